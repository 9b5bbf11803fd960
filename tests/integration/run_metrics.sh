#!/usr/bin/env bash
# run_metrics.sh - `headroom run` as the node agent, on this machine's kernel
# (cgroup v1), against real memory cgroups below the test's own, bounded in
# time and cleaned up:
#   1. the agent runs with judge_interval = 1 s, metrics on a free loopback
#      port, a textfile, /dev/kmsg on; GET /metrics gives the exact content
#      type and a body `promtool check metrics` accepts (the textfile too);
#   2. a reclaim-policy cgroup ($PFX-fill, 64 MiB) is filled with page cache
#      by dd, twice; a real Prometheus (Debian package) scraping every second
#      must show its limit hits and the bytes the agent reclaimed from it
#      increase between the two fills;
#   3. a real OOM kill: a process allocating 64 MiB of anonymous memory in
#      $PFX-oom (limit 16 MiB, no swap); the kernel logs it to /dev/kmsg, the
#      agent logs one "kernel incident oom_kill" naming that cgroup and
#      Prometheus shows headroom_kernel_incidents_total{kind="oom_kill"} grow;
#   4. the same report written to /dev/kmsg by a process (facility LOG_USER,
#      doc/kernel-facts.md /dev/kmsg) is not an incident: the agent's log
#      still names $PFX-oom once;
#   5. with no configuration file at all (only --metrics-listen, so the port
#      is free) the agent still judges every area and exports the families,
#      incidents included.
# Exit 0 pass, 77 skip (reason on the last line), else fail. Root only.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib_run.bash
MIB=$((1 << 20))
for t in prometheus promtool curl python3; do
	command -v $t >/dev/null || skip "$t missing (tools/install-deps.sh test)"
done
[ -r /dev/kmsg ] || skip "no /dev/kmsg"
case $(stat -f -c %T "$WORK") in tmpfs|ramfs) skip "$WORK is on tmpfs: page cache would be shmem" ;; esac
prom_pid=
trap 'kill $prom_pid 2>/dev/null; wait $prom_pid 2>/dev/null; cleanup' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

fill=$(mkcg fill $((64 * MIB))) || fail "mkcg fill"
oom=$(mkcg oom $((16 * MIB))) || fail "mkcg oom"
[ -f "$oom/memory.memsw.limit_in_bytes" ] && echo $((16 * MIB)) >"$oom/memory.memsw.limit_in_bytes"
echo 0 >"$oom/memory.swappiness" 2>/dev/null
port=$(free_port)
mkdir -p "$WORK/run"
cat >"$WORK/headroom.conf" <<CONF
[agent]
cgroup_root = $M
run_dir = $WORK/run
mlock = no
judge_interval = 1
metrics_listen = 127.0.0.1:$port
metrics_textfile = $WORK/headroom.prom
kmsg = yes
[policy fill]
match = /$PFX-fill
high = 90%
low = 80%
mode = reclaim
max_rate = 16G
max_cpu = 100%
chunk = 8M
CONF
"$HR" run -c "$WORK/headroom.conf" >"$WORK/agent.log" 2>&1 &
AGENT_PID=$!
wait_for "$WORK/agent.log" "ready:" 10 || fail "agent not ready: $(cat "$WORK/agent.log")"
url=http://127.0.0.1:$port/metrics
sleep 1.5

# 1. the endpoint
code=$(curl -s -o "$WORK/body" -D "$WORK/head" -w '%{http_code}' --max-time 5 "$url")
[ "$code" = 200 ] || fail "GET /metrics: HTTP $code"
grep -qx $'Content-Type: text/plain; version=0.0.4; charset=utf-8\r' "$WORK/head" ||
	fail "content type: $(grep -i content-type "$WORK/head")"
promtool check metrics <"$WORK/body" || fail "promtool check metrics on the live output"
for a in memcg conntrack netswap zones net; do
	grep -q "^headroom_area_sampled{area=\"$a\"} 1$" "$WORK/body" || fail "area $a not sampled"
done
grep -q '^headroom_agent_passes_total ' "$WORK/body" || fail "no pass counter"
grep -q '^headroom_kernel_incidents_total{kind="oom_kill"} ' "$WORK/body" || fail "no incident family"
promtool check metrics <"$WORK/headroom.prom" || fail "textfile not valid exposition"

pport=$(free_port)
cat >"$WORK/prometheus.yml" <<CFG
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: headroom
    static_configs:
      - targets: ['127.0.0.1:$port']
CFG
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
	--web.listen-address="127.0.0.1:$pport" --log.level=warn >"$WORK/prom.log" 2>&1 &
prom_pid=$!
api=http://127.0.0.1:$pport/api/v1
value() { curl -s --max-time 3 "$api/query" --data-urlencode "query=$1" | python3 -c 'import json,sys
r=json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if r else "")' 2>/dev/null; }
# wait_value QUERY SECONDS [ABOVE]: the first value (above ABOVE if given)
wait_value() {
	local v i
	for ((i = 0; i < $2 * 2; i++)); do
		v=$(value "$1")
		if [ -n "$v" ] && { [ -z "${3:-}" ] || python3 -c "import sys; sys.exit(0 if float('$v') > float('$3') else 1)"; }; then
			echo "$v"; return 0
		fi
		sleep 0.5
	done
	return 1
}
up=$(wait_value 'up{job="headroom"} == 1' 30) || fail "Prometheus never scraped the agent up (log: $(tail -3 "$WORK/prom.log"))"

# 2. a cgroup driven to its limit, reclaimed by the agent
dd_fill() { run_in "$fill" dd if=/dev/zero of="$WORK/fill$1" bs=1M count=160 conv=fsync status=none; }
hits="headroom_memcg_limit_hits_total{cgroup=~\".*/$PFX-fill\",event=\"failcnt\"}"
recl="headroom_memcg_reclaimed_bytes_total{cgroup=~\".*/$PFX-fill\"}"
dd_fill 1 || fail "dd in $fill"
h1=$(wait_value "$hits" 30) || fail "Prometheus has no $hits"
r1=$(wait_value "$recl" 30) || fail "Prometheus has no $recl"
dd_fill 2 || fail "dd in $fill (2)"
# The exported hits follow the kernel's failcnt: they must grow when it
# grew; when the agent kept the second fill off the limit (it may: dirty
# writes are reclaimed in time more often than not) they must stay equal.
k2=$(cat "$fill/memory.failcnt")
if python3 -c "import sys; sys.exit(0 if $k2 > float('$h1') else 1)"; then
	h2=$(wait_value "$hits" 30 "$h1") || fail "limit hits did not grow in Prometheus ($h1, kernel $k2)"
else
	h2=$h1
	echo "note: the second fill hit no limit (failcnt $k2); hits stay $h1"
fi
r2=$(wait_value "$recl" 30 "$r1") || fail "reclaimed bytes did not grow in Prometheus ($r1)"

# 3. a real OOM kill below our cgroup
inc='headroom_kernel_incidents_total{kind="oom_kill"}'
i0=$(wait_value "$inc" 10) || fail "Prometheus has no $inc"
run_in "$oom" timeout 20 python3 -c 'b = bytearray(64 << 20); b[::4096] = b"x" * len(b[::4096])' 2>/dev/null &&
	fail "the allocation in $oom was not OOM-killed"
[ "$(awk '$1 == "oom_kill" { print $2 }' "$oom/memory.oom_control")" -ge 1 ] || fail "no OOM kill in $oom (memory.oom_control)"
i1=$(wait_value "$inc" 30 "$i0") || fail "Prometheus: $inc did not grow ($i0; agent log: $(grep -c 'kernel incident' "$WORK/agent.log") incidents)"
wait_for "$WORK/agent.log" "kernel incident oom_kill: .*$PFX-oom" 10 || fail "agent did not log the OOM kill in $PFX-oom"

# 4. the same report written by a process: LOG_USER, not an incident
victim=$(grep -o "kernel incident oom_kill: [^ ]* pid [0-9]*" "$WORK/agent.log" | tail -1 | awk '{print $NF}')
dmesg 2>/dev/null | grep -E "Killed process $victim|invoked oom-killer|oom-kill:.*$PFX-oom" | tail -3 |
	sed -E 's/^\[[^]]*\] ?//' | while IFS= read -r l; do printf '<3>%s\n' "$l" >/dev/kmsg; done
[ "$(dmesg | grep -c "Killed process $victim")" -ge 2 ] || fail "the copy was not written to /dev/kmsg"
sleep 4
n=$(grep -c "kernel incident oom_kill: .*$PFX-oom" "$WORK/agent.log")
[ "$n" = 1 ] || fail "the OOM in $PFX-oom was counted $n times (a process's /dev/kmsg write must not count)"
promtool check metrics <"$WORK/headroom.prom" || fail "textfile not valid exposition (after the OOM)"
# 5. no configuration file
kill "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null; AGENT_PID=
if [ -e /etc/headroom/headroom.conf ]; then
	echo "note: /etc/headroom/headroom.conf exists: the no-configuration run is left out"
else
	port2=$(free_port)
	"$HR" run --cgroup-root "$M" --run-dir "$WORK/run2" --metrics-listen "127.0.0.1:$port2" >"$WORK/agent2.log" 2>&1 &
	AGENT_PID=$!
	wait_for "$WORK/agent2.log" "ready:" 10 || fail "no-config agent not ready: $(cat "$WORK/agent2.log")"
	grep -q "not found: built-in defaults" "$WORK/agent2.log" || fail "the agent did not say it runs on defaults"
	curl -s --max-time 5 -o "$WORK/body2" "http://127.0.0.1:$port2/metrics" || fail "no-config agent: no /metrics"
	promtool check metrics <"$WORK/body2" || fail "no-config agent: promtool check metrics"
	for a in memcg conntrack netswap zones net; do
		grep -q "^headroom_area_sampled{area=\"$a\"} 1$" "$WORK/body2" || fail "no-config agent: area $a not sampled"
	done
	grep -q '^headroom_kernel_incidents_total{kind="oom_kill"} ' "$WORK/body2" || fail "no-config agent: no incidents family"
fi
echo "measured: limit hits $h1 -> $h2, reclaimed bytes $r1 -> $r2, oom_kill incidents $i0 -> $i1 (Prometheus over its HTTP API)"
