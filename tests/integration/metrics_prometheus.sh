#!/usr/bin/env bash
# metrics_prometheus.sh - the metrics endpoint against real clients, on this
# machine's kernel (cgroup v1), bounded in time and cleaned up:
#   1. tests/tools/prom_serve (check's engine + report/http_srv.c, the wiring
#      the agent gets) serves the host on a loopback port;
#   2. curl: status 200, Content-Type exactly "text/plain; version=0.0.4;
#      charset=utf-8", a body promtool check metrics accepts; 404 elsewhere;
#      the textfile written for node_exporter is valid too;
#   3. a memory cgroup below our own, named like a kubelet container
#      (.../kubepods/pod<uid>/<container id>), limited to 64 MiB and filled
#      with page cache by dd until it hits its limit;
#   4. a real Prometheus (Debian package) on loopback scrapes every second;
#      its HTTP API must report the target up, and a failcnt series with the
#      pod_uid and container_id labels that grows;
#   5. UDP receive-buffer drops caused in the test's network namespace (a
#      receiver with the smallest SO_RCVBUF that never reads): Prometheus
#      must show headroom_net_loss_total{counter="Udp:RcvbufErrors"} > 0
#      labelled with that netns' inode.
# Everything runs in a network namespace of its own (hr-prom-$$, loopback
# only): the net area reads /proc/net, the reader's netns.
# Exit 0 pass, 77 skip (reason on the last line), else fail. Root only.
set -uo pipefail
cd "$(dirname "$0")/../.."
MIB=$((1 << 20))
SERVE=${PROM_SERVE:-build/asan/tools/prom_serve}
skip() { echo "skip: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || skip "needs root (creates memory cgroups)"
[ -x "$SERVE" ] || make -s "$SERVE" >/dev/null || fail "cannot build $SERVE"
for t in prometheus promtool curl python3 ip nsenter; do
	command -v $t >/dev/null || skip "$t missing (tools/install-deps.sh test)"
done
own=$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
mnt=$(awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { print $2; exit }' /proc/self/mounts)
{ [ -n "$own" ] && [ -n "$mnt" ]; } || skip "no cgroup v1 memory controller on this kernel"

UID_="6f0a4c2e-1b7d-4e8a-9c3f-00000000$(printf %04x $(($$ % 65536)))"
CID=$(printf '%064x' $$)
top=$mnt${own%/}/hr-prom-$$
leaf=$top/kubepods/pod$UID_/$CID
tmp=$(mktemp -d /var/tmp/hr-prom.XXXXXX) || fail "mktemp"
case $(stat -f -c %T "$tmp") in tmpfs|ramfs) rm -rf "$tmp"; tmp=$(mktemp -d "$PWD/.hr-prom.XXXXXX") ;; esac
serve_pid= prom_pid= rcv_pid=
NS=hr-prom-$$
cleanup() {
	[ -n "$rcv_pid" ] && kill "$rcv_pid" 2>/dev/null
	for p in $serve_pid $prom_pid; do kill "$p" 2>/dev/null; done
	for p in $serve_pid $prom_pid; do wait "$p" 2>/dev/null; done
	if [ -d "$leaf" ]; then
		for _ in $(seq 50); do
			pids=$(cat "$leaf/cgroup.procs"); [ -z "$pids" ] && break
			# shellcheck disable=SC2086
			kill $pids 2>/dev/null; sleep 0.1
		done
		echo 0 >"$leaf/memory.force_empty" 2>/dev/null
	fi
	rm -rf "$tmp"
	for d in "$leaf" "$top/kubepods/pod$UID_" "$top/kubepods" "$top"; do [ -d "$d" ] && rmdir "$d"; done
	ip netns del "$NS" 2>/dev/null
}
trap cleanup EXIT
ip netns add "$NS" 2>/dev/null || skip "ip netns add failed"
ip -n "$NS" link set lo up || skip "ip netns exec failed"
# nsenter, not ip netns exec: that one remounts /sys for the netns, which
# hides the cgroup hierarchies below /sys/fs/cgroup.
# Background jobs call nsenter directly so that $! is the program itself
# (nsenter execs it), not a subshell that a kill would leave behind.
IN() { nsenter --net=/run/netns/"$NS" -- "$@"; }
ns_ino=$(IN readlink /proc/self/ns/net | tr -dc 0-9)

free_port() { IN python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# 1. the endpoint
nsenter --net=/run/netns/"$NS" -- "$SERVE" --root / --addr 127.0.0.1 --port 0 --seconds 120 --interval-ms 1000 \
	--textfile "$tmp/headroom.prom" >"$tmp/serve.out" 2>"$tmp/serve.err" &
serve_pid=$!
for _ in $(seq 100); do grep -q '^listening' "$tmp/serve.out" && break; sleep 0.05; done
port=$(awk '/^listening/ { print $2 }' "$tmp/serve.out")
[ -n "$port" ] || fail "prom_serve did not start: $(cat "$tmp/serve.err")"
url=http://127.0.0.1:$port/metrics
sleep 1.2	# first pass

# 2. curl
code=$(IN curl -s -o "$tmp/body" -D "$tmp/head" -w '%{http_code}' --max-time 5 "$url")
[ "$code" = 200 ] || fail "GET /metrics: HTTP $code"
grep -qx $'Content-Type: text/plain; version=0.0.4; charset=utf-8\r' "$tmp/head" ||
	fail "content type: $(grep -i content-type "$tmp/head")"
promtool check metrics <"$tmp/body" || fail "promtool check metrics on the live output"
grep -q '^headroom_area_sampled{area="memcg"} 1$' "$tmp/body" || fail "memcg area not sampled"
grep -q '^headroom_http_responses_total{code="200"} ' "$tmp/body" || fail "no endpoint counters"
code=$(IN curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$port/")
[ "$code" = 404 ] || fail "GET /: HTTP $code, want 404"
promtool check metrics <"$tmp/headroom.prom" || fail "textfile not valid exposition"

# 3. a kubelet-named cgroup hitting its limit
mkdir -p "$leaf" || fail "mkdir $leaf"
echo $((64 * MIB)) >"$leaf/memory.limit_in_bytes" || fail "limit"
dd_hits() {
	( echo $BASHPID >"$leaf/cgroup.procs" && exec dd if=/dev/zero of="$tmp/fill" bs=1M count=160 conv=fsync status=none )
}
dd_hits || fail "dd in the cgroup"
[ "$(cat "$leaf/memory.failcnt")" -gt 0 ] || fail "the cgroup did not hit its limit"

# 4. a real Prometheus scraping it
pport=$(free_port)
cat >"$tmp/prometheus.yml" <<CFG
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: headroom
    static_configs:
      - targets: ['127.0.0.1:$port']
CFG
nsenter --net=/run/netns/"$NS" -- prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
	--web.listen-address="127.0.0.1:$pport" --log.level=warn >"$tmp/prom.log" 2>&1 &
prom_pid=$!
api=http://127.0.0.1:$pport/api/v1
query() { IN curl -s --max-time 3 "$api/query" --data-urlencode "query=$1"; }
# value of the first result of a query, or empty
value() { query "$1" | python3 -c 'import json,sys
r=json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if r else "")' 2>/dev/null; }
sel="headroom_memcg_limit_hits_total{pod_uid=\"$UID_\",container_id=\"$CID\",event=\"failcnt\"}"
first=
for _ in $(seq 60); do
	first=$(value "$sel")
	[ -n "$first" ] && break
	sleep 0.5
done
[ -n "$first" ] || fail "Prometheus has no $sel (log: $(tail -5 "$tmp/prom.log"))"
health=$(IN curl -s --max-time 3 "$api/targets" | python3 -c 'import json,sys
t=json.load(sys.stdin)["data"]["activeTargets"][0]; print(t["health"], repr(t["lastError"]))')
[ "$health" = "up ''" ] || fail "target health: $health"
# more hits: the series grows in Prometheus
dd_hits || fail "dd in the cgroup (2)"
now=$(cat "$leaf/memory.failcnt")
grown=
for _ in $(seq 60); do
	v=$(value "$sel")
	if [ -n "$v" ] && python3 -c "import sys; sys.exit(0 if float('$v') > float('$first') else 1)"; then
		grown=$v; break
	fi
	sleep 0.5
done
[ -n "$grown" ] || fail "failcnt did not grow in Prometheus (first $first, kernel now $now)"
usage=$(value "headroom_memcg_usage_bytes{pod_uid=\"$UID_\"} / headroom_memcg_limit_bytes{pod_uid=\"$UID_\"}")
[ -n "$usage" ] || fail "no usage/limit ratio for the pod"

# 5. UDP drops in our netns: receiver never reads, sender paced and bounded.
nsenter --net=/run/netns/"$NS" -- timeout 40 python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
time.sleep(35)
' >"$tmp/udpport" &
rcv_pid=$!
for _ in $(seq 50); do [ -s "$tmp/udpport" ] && break; sleep 0.1; done
[ -s "$tmp/udpport" ] || fail "UDP receiver did not start"
IN timeout 10 python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end, n = time.time() + 2, 0
while time.time() < end and n < 40000:
    for _ in range(200):
        s.sendto(b"x" * 512, ("127.0.0.1", int(sys.argv[1]))); n += 1
    time.sleep(0.02)
' "$(cat "$tmp/udpport")" || fail "UDP sender"
drops=
for _ in $(seq 60); do
	drops=$(value "headroom_net_loss_total{counter=\"Udp:RcvbufErrors\",netns=\"$ns_ino\"} > 0")
	[ -n "$drops" ] && break
	sleep 0.5
done
[ -n "$drops" ] || fail "Prometheus shows no Udp:RcvbufErrors in netns $ns_ino"
echo "measured: Prometheus saw failcnt $first -> $grown (kernel $now), usage/limit $usage, Udp:RcvbufErrors $drops in netns $ns_ino"
