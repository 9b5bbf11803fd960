#!/usr/bin/env bash
# run_v1_observe.sh - `headroom run` operations on the real kernel: built-in
# defaults (observe only: logs "would reclaim", writes no limit), sd_notify
# READY=1 / WATCHDOG=1 / RELOADING=1 / STOPPING=1 over $NOTIFY_SOCKET,
# `headroom status` (0 while running, 3 after), SIGHUP reload with a bad
# file (kept old config) and a good one (reclaim takes over), and a config
# error reported as file:line.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib_run.bash
command -v python3 >/dev/null || skip "python3 needed for the notify socket listener"

LIMIT=$((256 << 20))
"$WORK/hr_load" create "$WORK/file" 300 >/dev/null || fail "cannot create the test file"
mkdir -p "$WORK/run"
notify_listen "$WORK/notify.sock" "$WORK/notify.log" 60
# Built-in defaults: an empty config file has no policy.
: >"$WORK/empty.conf"
NOTIFY_SOCKET=$WORK/notify.sock WATCHDOG_USEC=2000000 "$HR" run -c "$WORK/empty.conf" \
	--cgroup-root "$M" --run-dir "$WORK/run" >"$WORK/agent.log" 2>&1 &
AGENT_PID=$!
wait_for "$WORK/notify.log" "READY=1" 10 || { cat "$WORK/agent.log"; fail "no READY=1 on the notify socket"; }
# A second agent on the same run dir refuses to start.
"$HR" run -c "$WORK/empty.conf" --cgroup-root "$M" --run-dir "$WORK/run" >"$WORK/second.log" 2>&1; src=$?
[ $src -eq 3 ] && grep -q "another agent is running" "$WORK/second.log" ||
	{ cat "$WORK/second.log"; fail "a second agent on the same run dir started (exit $src)"; }
cg=$(mkcg obs $LIMIT) || fail "cannot create cgroup"
wait_for "$WORK/agent.log" "$PFX-obs: limit.*mode observe" 5 || { cat "$WORK/agent.log"; fail "agent did not observe $cg"; }
run_in "$cg" "$WORK/hr_load" seq "$WORK/file" >/dev/null
wait_for "$WORK/agent.log" "$PFX-obs: would reclaim" 5 || { cat "$WORK/agent.log"; fail "no 'would reclaim' in observe mode"; }
[ "$(cat "$cg/memory.limit_in_bytes")" -eq $LIMIT ] || fail "observe mode changed the limit"
echo "measured: observe: $(grep -c "would reclaim" "$WORK/agent.log") 'would reclaim' line(s), failcnt $(cat "$cg/memory.failcnt") (no reclaim done)"
sleep 1.2	# the status file is rewritten every second
out=$("$HR" status --run-dir "$WORK/run"); src=$?
[ $src -eq 0 ] || fail "headroom status exit $src while the agent runs"
grep -q "would_reclaim=[1-9]" <<<"$out" || fail "status does not count would_reclaim: $out"
echo "note: $out"
grep -q "WATCHDOG=1" "$WORK/notify.log" || fail "no WATCHDOG=1"

# SIGHUP with a broken file: one error line, old configuration kept.
printf '[policy x]\nmatch = /%s-*\nmode = sometimes\n' "$PFX" >"$WORK/empty.conf"
kill -HUP "$AGENT_PID"
wait_for "$WORK/agent.log" "empty.conf:3: mode: need observe or reclaim.*keeping the old" 5 ||
	{ cat "$WORK/agent.log"; fail "bad reload not reported as file:line"; }
# SIGHUP with a good file: the cgroup switches to reclaim.
agent_config "$WORK/good.conf" "$PFX-*"
sed -i "s|^run_dir = .*|run_dir = $WORK/run|" "$WORK/good.conf"
cp "$WORK/good.conf" "$WORK/empty.conf"
kill -HUP "$AGENT_PID"
wait_for "$WORK/agent.log" "$PFX-obs: limit.*mode reclaim, backend v1-limit" 5 || { cat "$WORK/agent.log"; fail "reload did not switch to reclaim"; }
grep -q "RELOADING=1" "$WORK/notify.log" || fail "no RELOADING=1"
f0=$(cat "$cg/memory.failcnt")
echo 0 >"$cg/memory.force_empty"
run_in "$cg" "$WORK/hr_load" seq "$WORK/file" >/dev/null
f1=$(cat "$cg/memory.failcnt")
echo "measured: after reload to reclaim: failcnt grew by $((f1 - f0)) over a 300 MiB read (observe run before: $f0)"
[ $((f1 - f0)) -le 1 ] || fail "reclaim after reload let $((f1 - f0)) limit hits through"
kill -TERM "$AGENT_PID"; wait "$AGENT_PID"; arc=$?; AGENT_PID=
[ $arc -eq 0 ] || fail "agent exit $arc"
sleep 0.6
grep -q "STOPPING=1" "$WORK/notify.log" || fail "no STOPPING=1"
"$HR" status --run-dir "$WORK/run" >/dev/null 2>&1; src=$?
[ $src -eq 3 ] || fail "headroom status exit $src with no agent (want 3)"
# A config error at start: file:line, exit 4.
printf '[agent]\nmax_cgroups = lots\n' >"$WORK/bad.conf"
err=$("$HR" run -c "$WORK/bad.conf" --check-config 2>&1); erc=$?
[ $erc -eq 4 ] || fail "bad config exit $erc (want 4)"
grep -q "bad.conf:2: max_cgroups" <<<"$err" || fail "bad config message: $err"
echo "note: config error: $err"
kill $listener 2>/dev/null; wait $listener 2>/dev/null
exit 0
