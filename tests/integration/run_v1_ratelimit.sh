#!/usr/bin/env bash
# run_v1_ratelimit.sh - the policy's max_rate bound holds on the real kernel:
# with max_rate = 8M the agent reclaims no more than 8 MiB per second (plus
# the one-second burst) even while a 1 GiB cold read keeps the cgroup above
# its high mark, and it says so (throttled rounds in the status line).
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib_run.bash

LIMIT=$((256 << 20))
RATE=$((8 << 20))
"$WORK/hr_load" create "$WORK/file" 1024 >/dev/null || fail "cannot create the test file"
agent_config "$WORK/conf" "$PFX-*"
sed -i "s/^max_rate = .*/max_rate = 8M/" "$WORK/conf"
"$HR" run -c "$WORK/conf" >"$WORK/agent.log" 2>&1 &
AGENT_PID=$!
cg=$(mkcg rate $LIMIT) || fail "cannot create cgroup"
wait_for "$WORK/agent.log" "$PFX-rate: limit" 10 || { cat "$WORK/agent.log"; fail "agent did not pick up $cg"; }
t0=$(date +%s%N)
for _ in 1 2; do run_in "$cg" "$WORK/hr_load" seq "$WORK/file" >/dev/null || fail "workload"; done
t1=$(date +%s%N)
sleep 1.2	# status is rewritten every second
st=$("$HR" status --run-dir "$WORK/run") || fail "no status"
rec=$(sed -n 's/.* reclaimed_bytes=\([0-9]*\).*/\1/p' <<<"$st")
thr=$(sed -n 's/.* throttled=\([0-9]*\).*/\1/p' <<<"$st")
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 + 1.2 }')
# Bound: rate x (elapsed + 1 s burst) + one chunk of slack (a round measures
# what it reclaimed after the fact; the kernel may take a little more).
bound=$(awk -v r=$RATE -v s="$secs" 'BEGIN { printf "%d", r * (s + 1) + 32 * 1048576 }')
echo "measured: max_rate 8 MiB/s: reclaimed $((rec >> 10)) KiB in ${secs} s (bound $((bound >> 10)) KiB), throttled rounds $thr, failcnt $(cat "$cg/memory.failcnt")"
[ "$rec" -gt 0 ] || fail "nothing reclaimed"
[ "$rec" -le "$bound" ] || fail "reclaimed $rec bytes > bound $bound"
[ "$thr" -gt 0 ] || fail "no throttled round reported"
exit 0
