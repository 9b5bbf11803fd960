#!/usr/bin/env bash
# bench/judge_pass.sh - the agent's periodic judgement pass with 1,000
# limited cgroup v1 memcgs (created beneath this process's own memory
# cgroup, removed at the end):
#  1. CPU per pass (build/rel/bench/bench_judge: every area sampled and
#     judged as daemon/judge_pass.c does, this thread's user+sys), per
#     memcg, and heap allocations after the first pass;
#  2. the agent's idle cost: `headroom run` with judge_interval = 10 s,
#     kmsg and metrics on, over 60 s: CPU % of one core and RSS.
# Prints figures and ratios; never fails on a number. Skips (exit 0 with a
# note) without root or cgroup v1.
set -uo pipefail
cd "$(dirname "$0")/.."
HR=${HEADROOM:-$PWD/headroom}
BJ=$PWD/build/rel/bench/bench_judge
note() { echo "bench judge_pass: $*"; }
[ "$(id -u)" = 0 ] || { note "skipped: needs root"; exit 0; }
ME=$(awk -F: '$2=="memory"{print $3}' /proc/self/cgroup)
M=/sys/fs/cgroup/memory$ME
[ -f "$M/memory.limit_in_bytes" ] || { note "skipped: no cgroup v1 memory controller"; exit 0; }
[ -x "$BJ" ] || { note "no $BJ (make bench builds it)"; exit 1; }
N=${HR_BENCH_MEMCGS:-1000}
PFX=hr-jp-$$
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/hr-bench-XXXXXX")
AGENT=
cleanup() {
	[ -n "$AGENT" ] && kill "$AGENT" 2>/dev/null && wait "$AGENT" 2>/dev/null
	for cg in "$M/$PFX"-*; do
		[ -d "$cg" ] && rmdir "$cg" 2>/dev/null
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
for i in $(seq "$N"); do
	mkdir "$M/$PFX-$i" && echo $((64 << 20)) >"$M/$PFX-$i/memory.limit_in_bytes"
done
total=$(find /sys/fs/cgroup/memory -type d | wc -l)
note "$N limited memcgs created below $M ($total memcgs in the hierarchy)"
HR_BENCH_CAP=${HR_BENCH_CAP:-4096} "$BJ"

MPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$WORK/conf" <<CONF
[agent]
cgroup_root = $M
run_dir = $WORK/run
max_cgroups = 4096
judge_interval = 10
metrics_listen = 127.0.0.1:$MPORT
kmsg = yes
[policy bench]
match = /$PFX-*
mode = reclaim
CONF
"$HR" run -c "$WORK/conf" >"$WORK/agent.log" 2>&1 &
AGENT=$!
# With 1,000 memcgs the agent needs several seconds to become ready (one
# setup per memcg; more on a loaded host): wait up to 90 s, print how long.
r0=$(date +%s.%N)
for _ in $(seq 1800); do grep -q "ready:" "$WORK/agent.log" && break; sleep 0.05; done
grep -q "ready:" "$WORK/agent.log" || { note "agent did not start within 90 s"; cat "$WORK/agent.log"; exit 1; }
note "agent ready after $(awk -v a="$r0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') s wall with $N memcgs"
sleep 2
hz=$(getconf CLK_TCK)
p0=$(curl -s --max-time 3 "http://127.0.0.1:$MPORT/metrics" | awk '/^headroom_agent_passes_total /{print $2}')
# The judgement thread is named hr-judge (daemon/judge_pass.c).
jt() { for t in /proc/$AGENT/task/*; do [ "$(cat "$t/comm")" = hr-judge ] && awk '{ print $14 + $15 }' "$t/stat"; done; }
t0=$(awk '{ print $14 + $15 }' /proc/$AGENT/stat)
j0=$(jt)
sleep 60
t1=$(awk '{ print $14 + $15 }' /proc/$AGENT/stat)
j1=$(jt)
m=$(curl -s --max-time 3 "http://127.0.0.1:$MPORT/metrics")
p1=$(awk '/^headroom_agent_passes_total /{print $2}' <<<"$m")
wall=$(awk '/^headroom_agent_pass_duration_seconds /{printf "%.2f", $2 * 1000}' <<<"$m")
rss=$(awk '/^VmRSS/ { print $2 }' /proc/$AGENT/status)
cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$hz" 'BEGIN { printf "%.3f", 100 * (b - a) / hz / 60 }')
jcpu=$(awk -v a="${j0:-0}" -v b="${j1:-0}" -v hz="$hz" 'BEGIN { printf "%.3f", 100 * (b - a) / hz / 60 }')
echo "agent idle with $N limited memcgs, judge_interval 10 s, kmsg and metrics on: CPU $cpu% of one core over 60 s ($((t1 - t0)) ticks of 1/$hz s; the judgement thread $jcpu%, $((${p1%.*} - ${p0%.*})) passes, last pass ${wall} ms wall) (target < 0.5%; ratio $(awk -v c="$cpu" 'BEGIN{printf "%.3f", c/0.5}')), RSS $rss KiB (target < 8192 KiB; ratio $(awk -v r="$rss" 'BEGIN{printf "%.3f", r/8192}'))"
