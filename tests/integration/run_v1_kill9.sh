#!/usr/bin/env bash
# run_v1_kill9.sh - crash safety of the v1 squeeze: the agent is told (debug
# env HEADROOM_DEBUG_SQUEEZE_PAUSE_MS) to sleep inside the lowered-limit
# window; the test waits until the limit is really lowered, kill -9s the
# agent there, checks the limit is still lowered, restarts the agent and
# requires the original limit back (journal replay). Then the same with
# SIGTERM arriving inside the window: the agent must restore before exiting.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib_run.bash
# The pause hook exists only in test builds (HR_TEST_HOOKS: the ASan build).
[ -n "${HEADROOM_ASAN:-}" ] && [ -x "$HEADROOM_ASAN" ] || skip "needs HEADROOM_ASAN (the pause hook is in test builds only)"
HR=$HEADROOM_ASAN

LIMIT=$((256 << 20))
"$WORK/hr_load" create "$WORK/file" 240 >/dev/null || fail "cannot create the test file"
agent_config "$WORK/conf" "$PFX-k*"
rc=0
for how in KILL TERM; do
	cg=$(mkcg "k$how" $LIMIT) || fail "cannot create cgroup"
	: >"$WORK/agent.log"
	HEADROOM_DEBUG_SQUEEZE_PAUSE_MS=8000 "$HR" run -c "$WORK/conf" >"$WORK/agent.log" 2>&1 &
	AGENT_PID=$!
	wait_for "$WORK/agent.log" "k$how: limit" 10 || { cat "$WORK/agent.log"; fail "agent did not pick up $cg"; }
	# 240 MiB of cache crosses the 90% mark (230 MiB) without reaching the limit.
	run_in "$cg" "$WORK/hr_load" seq "$WORK/file" >/dev/null &
	load=$!
	# Bounded generously: a cold 240 MiB read on a loaded CI machine took
	# over 10 s once (load average 8 on 2 cores).
	wait_for "$WORK/agent.log" "debug: pausing" 60 || { cat "$WORK/agent.log"
		fail "agent never squeezed (max usage $(cat "$cg/memory.max_usage_in_bytes") of $LIMIT; loader $(kill -0 $load 2>/dev/null && echo running || echo done))"; }
	lowered=$(cat "$cg/memory.limit_in_bytes")
	echo "measured: $how: limit inside the window $lowered (original $LIMIT)"
	[ "$lowered" -lt $LIMIT ] || fail "limit not lowered inside the window"
	if [ $how = KILL ]; then
		kill -9 "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null; AGENT_PID=
		after=$(cat "$cg/memory.limit_in_bytes")
		[ "$after" -lt $LIMIT ] || fail "limit restored without the journal? ($after)"
		echo "measured: after kill -9 the limit is still $after"
		"$HR" run -c "$WORK/conf" >"$WORK/agent2.log" 2>&1 &
		AGENT_PID=$!
		wait_for "$WORK/agent2.log" "ready:" 10 || { cat "$WORK/agent2.log"; fail "restart failed"; }
		grep -E "journal:.*restored" "$WORK/agent2.log" || { echo "FAIL: no journal replay logged"; rc=1; }
		kill -TERM "$AGENT_PID"; wait "$AGENT_PID"; AGENT_PID=
	else
		t0=$(date +%s%N)
		kill -TERM "$AGENT_PID"; wait "$AGENT_PID"; arc=$?; AGENT_PID=
		echo "measured: TERM inside the window: agent exit $arc after $((($(date +%s%N) - t0) / 1000000)) ms"
		[ $arc -eq 0 ] || { echo "FAIL: agent exit $arc"; rc=1; }
	fi
	final=$(cat "$cg/memory.limit_in_bytes")
	echo "measured: $how: limit after restart/stop $final"
	[ "$final" -eq $LIMIT ] || { echo "FAIL: $how: limit $final, want $LIMIT"; rc=1; }
	wait $load
	rmcg "$cg"
done
exit $rc
