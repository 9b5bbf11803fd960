#!/usr/bin/env bash
# prom_scrape.sh - CPU per scrape and scrape latency of headroom's metrics
# endpoint (tests/tools/prom_serve: engine + report/http_srv.c, release
# build) on a SYNTHETIC 1,000-container cgroup v2 tree and on this host,
# side by side with prometheus-node-exporter (Debian) serving only its
# conntrack, netstat, softnet and pressure collectors. One Python client
# scrapes each N times over loopback, sequentially; CPU is the server's
# utime+stime over the run (sampling is not in it: one pass at start).
# Prints figures; never fails on a time.
set -uo pipefail
cd "$(dirname "$0")/.."
N=${PROM_SCRAPES:-300}
SERVE=build/rel/tools/prom_serve
[ -x "$SERVE" ] || make -s "$SERVE" >/dev/null || { echo "cannot build $SERVE"; exit 1; }
tmp=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT
python3 bench/gen_memcg_tree.py "$tmp/tree" 1000

# scrape NAME PID URL: N sequential GETs; prints one line of figures.
scrape() {
	python3 - "$1" "$2" "$3" "$N" <<'PY'
import os, sys, time, urllib.request
name, pid, url, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
tck = os.sysconf("SC_CLK_TCK")
def cpu():
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / tck
urllib.request.urlopen(url).read()  # warm
c0, lat, size = cpu(), [], 0
t0 = time.monotonic()
for _ in range(n):
    s = time.monotonic()
    size = len(urllib.request.urlopen(url).read())
    lat.append(time.monotonic() - s)
wall = time.monotonic() - t0
c = cpu() - c0
lat.sort()
print(f"{name:34s} {size:8d} bytes  CPU {c / n * 1e6:7.0f} us/scrape  "
      f"p50 {lat[n // 2] * 1e3:6.2f} ms  p99 {lat[n * 99 // 100] * 1e3:6.2f} ms")
PY
}

serve() {	# serve ROOT: starts prom_serve, sets port
	"$SERVE" --root "$1" --port 0 --seconds 600 --interval-ms 600000 >"$tmp/out" 2>/dev/null &
	pids+=($!)
	spid=$!
	for _ in $(seq 100); do grep -q '^listening' "$tmp/out" && break; sleep 0.05; done
	port=$(awk '/^listening/ { print $2 }' "$tmp/out")
	: >"$tmp/out"
	sleep 0.5
}
echo "$N scrapes each, one client, loopback:"
serve "$tmp/tree"
scrape "headroom, 1000 containers" "$spid" "http://127.0.0.1:$port/metrics"
serve /
scrape "headroom, this host ($(ls -d /sys/fs/cgroup/memory 2>/dev/null >/dev/null && echo v1 || echo v2))" "$spid" "http://127.0.0.1:$port/metrics"
if command -v prometheus-node-exporter >/dev/null; then
	np=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	prometheus-node-exporter --web.listen-address="127.0.0.1:$np" --collector.disable-defaults \
		--collector.conntrack --collector.netstat --collector.softnet --collector.pressure \
		>/dev/null 2>&1 &
	pids+=($!)
	npid=$!
	for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$np/metrics" && break; sleep 0.05; done
	scrape "node_exporter conntrack+netstat+softnet+pressure" "$npid" "http://127.0.0.1:$np/metrics"
else
	echo "prometheus-node-exporter not installed: no side-by-side figure (tools/install-deps.sh test)"
fi
