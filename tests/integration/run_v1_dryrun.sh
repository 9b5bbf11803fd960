#!/usr/bin/env bash
# run_v1_dryrun.sh - dry run and observe mode go through the real backend and
# stop at the write: on a real v1 memcg (below this test's own cgroup) held
# above its high mark by page cache nobody touches, `headroom run --dry-run`
# and a policy with mode = observe each log "would write
# memory.limit_in_bytes = N" and leave the limit alone; then reclaim mode's
# first write ("first write memory.limit_in_bytes = N", -v) is the same N.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib_run.bash

LIMIT=$((256 << 20))
"$WORK/hr_load" create "$WORK/file" 300 >/dev/null || fail "cannot create the test file"
cg=$(mkcg dry $LIMIT) || fail "cannot create cgroup"
# Fill it with clean page cache, then leave it idle: usage stays put.
# (hr_load drops its cache on exit; cat keeps it.)
"$WORK/hr_load" cold "$WORK/file" >/dev/null || fail "cannot drop the file's cache"
run_in "$cg" cat "$WORK/file" >/dev/null || fail "workload"
agent_config "$WORK/conf" "$PFX-*"
sed "s/^mode = reclaim/mode = observe/" "$WORK/conf" >"$WORK/observe.conf"

# run_agent LOG REGEX ARGS...: runs the agent until REGEX is logged; prints
# the matching line.
run_agent() {
	local log=$1 re=$2; shift 2
	"$HR" run -v "$@" >"$log" 2>&1 &
	AGENT_PID=$!
	wait_for "$log" "$re" 10 || { cat "$log"; fail "no '$re' in $log"; }
	kill -TERM "$AGENT_PID"; wait "$AGENT_PID"; AGENT_PID=
	grep -E "$re" "$log" | head -1
}
value() { sed -n 's/.*memory.limit_in_bytes = \([0-9]*\).*/\1/p' <<<"$1"; }
usage() { sed -n "s/.*${2}\([0-9]*\).*/\1/p" "$1" | head -1; }

u0=$(cat "$cg/memory.usage_in_bytes")
[ "$u0" -gt $((LIMIT * 9 / 10)) ] || fail "usage $u0 after the fill is below the high mark"
dry=$(run_agent "$WORK/dry.log" "$PFX-dry: would write memory.limit_in_bytes = [0-9]+ \(dry run\)" \
	-c "$WORK/conf" --dry-run)
[ "$(cat "$cg/memory.limit_in_bytes")" -eq $LIMIT ] || fail "--dry-run changed the limit"
obs=$(run_agent "$WORK/obs.log" "$PFX-dry: would write memory.limit_in_bytes = [0-9]+ \(mode observe\)" \
	-c "$WORK/observe.conf")
[ "$(cat "$cg/memory.limit_in_bytes")" -eq $LIMIT ] || fail "observe mode changed the limit"
real=$(run_agent "$WORK/real.log" "$PFX-dry: first write memory.limit_in_bytes = [0-9]+" -c "$WORK/conf")
u_dry=$(usage "$WORK/dry.log" "$PFX-dry: would reclaim [0-9]* bytes (usage ")
u_obs=$(usage "$WORK/obs.log" "$PFX-dry: would reclaim [0-9]* bytes (usage ")
u_real=$(usage "$WORK/real.log" "$PFX-dry: squeeze by=[a-z]* t_ns=[0-9]* usage=")
echo "measured: usage at start $u0; seen by dry run $u_dry, observe $u_obs, reclaim $u_real"
echo "measured: first write: dry run $(value "$dry"), observe $(value "$obs"), reclaim $(value "$real")"
[ -n "$(value "$dry")" ] && [ -n "$(value "$real")" ] || fail "no value parsed"
if [ "$u_dry" = "$u_real" ] && [ "$u_obs" = "$u_real" ]; then
	[ "$(value "$dry")" = "$(value "$real")" ] || fail "dry run would write $(value "$dry"), reclaim wrote $(value "$real")"
	[ "$(value "$obs")" = "$(value "$real")" ] || fail "observe would write $(value "$obs"), reclaim wrote $(value "$real")"
else
	# The idle cgroup's usage moved between the runs: the writes may
	# differ by that much, no more.
	d=$(( $(value "$dry") - $(value "$real") )); d=${d#-}
	du=$(( u_dry - u_real )); du=${du#-}
	[ "$d" -le $((du + 4096)) ] || fail "dry run write differs by $d bytes, usage by $du"
	echo "note: usage moved by $du bytes between the runs"
fi
[ "$(cat "$cg/memory.limit_in_bytes")" -eq $LIMIT ] || fail "limit not restored after reclaim"
echo "ok: dry run and observe stop at the write reclaim mode makes"
