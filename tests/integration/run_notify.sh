#!/usr/bin/env bash
# run_notify.sh - what systemd sees of `headroom run`: on SIGHUP
# RELOADING=1 with MONOTONIC_USEC= (Type=notify-reload) then READY=1, a live
# STATUS= line, and "<N>" syslog prefixes on stderr only when stderr is the
# stream $JOURNAL_STREAM names.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib_run.bash
command -v python3 >/dev/null || skip "python3 needed for the notify socket listener"

mkdir -p "$WORK/run"
# Each datagram with the listener's CLOCK_MONOTONIC in us.
notify_listen "$WORK/notify.sock" "$WORK/notify.log" 40 stamp
trap '[ "$BASHPID" = "$$" ] || exit; kill $listener 2>/dev/null; cleanup' EXIT
agent_config "$WORK/a.conf" "$PFX-*"
# stderr is a file: JOURNAL_STREAM names some other inode, so no prefixes.
: >"$WORK/agent.log"
JOURNAL_STREAM=1:1 NOTIFY_SOCKET=$WORK/notify.sock "$HR" run -c "$WORK/a.conf" >"$WORK/agent.log" 2>&1 &
AGENT_PID=$!
wait_for "$WORK/notify.log" "READY=1" 10 || { cat "$WORK/agent.log"; fail "no READY=1"; }
wait_for "$WORK/notify.log" "STATUS=.*cgroups watched" 5 || { cat "$WORK/notify.log"; fail "no live STATUS= line"; }
cg=$(mkcg st $((256 << 20))) || fail "cannot create cgroup"
# The tick resends STATUS= when it changes: the new cgroup shows up in it.
wait_for "$WORK/notify.log" "STATUS=[2-9][0-9]* cgroups watched, [1-9]" 5 ||
	{ cat "$WORK/notify.log"; fail "STATUS= did not follow the new cgroup"; }
n_status=$(grep -c "STATUS=" "$WORK/notify.log")
sleep 2.2
[ "$(grep -c "STATUS=" "$WORK/notify.log")" -eq "$n_status" ] || fail "STATUS= resent without a change"
before=$(grep -c "READY=1" "$WORK/notify.log")
kill -HUP "$AGENT_PID"
wait_for "$WORK/notify.log" "RELOADING=1" 5 || { cat "$WORK/notify.log"; fail "no RELOADING=1 on SIGHUP"; }
rl=$(grep "RELOADING=1" "$WORK/notify.log" | head -1)
read -r recv_us rest <<<"$rl"
mono=$(grep -Eo 'MONOTONIC_USEC=[0-9]+' <<<"$rest" | cut -d= -f2)
[ -n "$mono" ] || fail "RELOADING=1 without MONOTONIC_USEC=: $rl"
# Same clock: sent before it was received, and not long before.
[ "$mono" -le "$recv_us" ] && [ $((recv_us - mono)) -lt 5000000 ] ||
	fail "MONOTONIC_USEC=$mono is not CLOCK_MONOTONIC (received at $recv_us)"
for _ in $(seq 50); do [ "$(grep -c "READY=1" "$WORK/notify.log")" -gt "$before" ] && break; sleep 0.1; done
[ "$(grep -c "READY=1" "$WORK/notify.log")" -gt "$before" ] || fail "no READY=1 after the reload"
awk '/RELOADING=1/{r=NR} /READY=1/{if (r && NR > r) ok=1} END{exit !ok}' "$WORK/notify.log" ||
	fail "READY=1 did not follow RELOADING=1"
grep -q '^<[0-9]>' "$WORK/agent.log" && { cat "$WORK/agent.log"; fail "'<N>' prefixes on a stderr that is not the journal"; }
grep -q '^headroom: run: ' "$WORK/agent.log" || { cat "$WORK/agent.log"; fail "no log lines"; }
kill -TERM "$AGENT_PID"; wait "$AGENT_PID"; AGENT_PID=

# stderr is the stream JOURNAL_STREAM names: prefixes.
: >"$WORK/j.log"
js=$(stat -c '%d:%i' "$WORK/j.log")
JOURNAL_STREAM=$js "$HR" run -c "$WORK/a.conf" >>"$WORK/j.log" 2>&1 &
AGENT_PID=$!
wait_for "$WORK/j.log" "ready:" 10 || { cat "$WORK/j.log"; fail "agent did not start"; }
kill -TERM "$AGENT_PID"; wait "$AGENT_PID"; AGENT_PID=
grep -q '^<6>headroom: run: ready:' "$WORK/j.log" || { cat "$WORK/j.log"; fail "no '<6>' prefix when stderr is the journal stream"; }
grep -qv '^<[0-7]>' "$WORK/j.log" && { cat "$WORK/j.log"; fail "a line without a prefix on the journal stream"; }
echo "note: $(grep -c STATUS= "$WORK/notify.log") STATUS= updates; reload seen $((recv_us - mono)) us after MONOTONIC_USEC"
