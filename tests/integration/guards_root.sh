#!/usr/bin/env bash
# guards_root.sh - the conntrack and watermark guards of the real agent
# process over a fixture root (--root: fake proc/sys files in a temp tree;
# no host sysctl is ever written here, the real-kernel proofs run in the
# qemu guest): act raises nf_conntrack_max, SIGTERM gives it back; kill -9
# leaves it raised and the next start's journal replay gives it back; a
# value someone else wrote meanwhile is left alone. Bounded; the tree is
# removed on exit. Exit 0 pass, 77 skip, else fail.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
HR=${HEADROOM:-$PWD/headroom}
skip() { echo "$*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
[ -x "$HR" ] || skip "no headroom binary at $HR (make first)"
T=$(mktemp -d "${TMPDIR:-/tmp}/hr-guards-XXXXXX")
PID=
cleanup() { [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
R=$T/root
mkdir -p "$R/proc/self" "$R/proc/sys/net/netfilter" "$R/proc/sys/vm" "$R/sys/fs/cgroup/memory" "$T/run"
echo "cgroup /sys/fs/cgroup/memory cgroup rw,nosuid,nodev,noexec,relatime,memory 0 0" >"$R/proc/self/mounts"
echo 9223372036854771712 >"$R/sys/fs/cgroup/memory/memory.limit_in_bytes"
echo 1000000000 >"$R/sys/fs/cgroup/memory/memory.usage_in_bytes"
printf 'cache 1\nrss 2\ntotal_cache 1\n' >"$R/sys/fs/cgroup/memory/memory.stat"
: >"$R/sys/fs/cgroup/memory/cgroup.event_control"
printf 'MemTotal:       16384000 kB\n' >"$R/proc/meminfo"
echo 950 >"$R/proc/sys/net/netfilter/nf_conntrack_count"
echo 1000 >"$R/proc/sys/net/netfilter/nf_conntrack_max"
echo 1024 >"$R/proc/sys/net/netfilter/nf_conntrack_buckets"
ct=$R/proc/sys/net/netfilter/nf_conntrack_max
conf() {
	cat >"$T/hr.conf" <<CONF
[agent]
run_dir = $T/run
mlock = no
rt_priority = 0
judge_interval = 1
metrics_listen = off
kmsg = no
[guard conntrack]
mode = $1
hold_up = 1
CONF
}
wait_for() { local i; for ((i = 0; i < $3 * 20; i++)); do grep -qE "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done; return 1; }
agent() { "$HR" run --root "$R" -c "$T/hr.conf" >"$T/$1.log" 2>&1 & PID=$!; }
stop() { kill "-$1" "$PID"; for _ in $(seq 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$PID" 2>/dev/null && fail "agent did not stop"; wait "$PID" 2>/dev/null; PID=; }

# 1. act, then SIGTERM: raised, given back.
conf act
agent term
wait_for "$T/term.log" "nf_conntrack_max 1000 -> 1500" 10 || { cat "$T/term.log"; fail "no raise"; }
[ "$(cat "$ct")" = 1500 ] || fail "max is $(cat "$ct") after the raise"
stop TERM
grep -q "stop: /proc/sys/net/netfilter/nf_conntrack_max 1500 -> 1000: restored" "$T/term.log" || { cat "$T/term.log"; fail "no restore at stop"; }
[ "$(cat "$ct")" = 1000 ] || fail "max is $(cat "$ct") after SIGTERM, want 1000"
echo "measured: SIGTERM: 1000 -> 1500 -> 1000"

# 2. act, then kill -9: left raised; the next start (observe) restores it.
agent kill
wait_for "$T/kill.log" "nf_conntrack_max 1000 -> 1500" 10 || { cat "$T/kill.log"; fail "no raise"; }
stop KILL
[ "$(cat "$ct")" = 1500 ] || fail "max is $(cat "$ct") after kill -9, want 1500 (left raised)"
echo 10 >"$R/proc/sys/net/netfilter/nf_conntrack_count"
conf observe
agent replay
wait_for "$T/replay.log" "ready" 10 || { cat "$T/replay.log"; fail "no start after kill -9"; }
stop TERM
grep -q "journal: /proc/sys/net/netfilter/nf_conntrack_max = 1000 (we had set 1500): restored" "$T/replay.log" ||
	{ cat "$T/replay.log"; fail "replay did not restore"; }
[ "$(cat "$ct")" = 1000 ] || fail "max is $(cat "$ct") after replay, want 1000"
echo "measured: kill -9: left at 1500, replay at the next start: 1000"

# 3. kill -9, then someone else sets 5000: replay leaves it.
echo 950 >"$R/proc/sys/net/netfilter/nf_conntrack_count"
conf act
agent kill2
wait_for "$T/kill2.log" "nf_conntrack_max 1000 -> 1500" 10 || { cat "$T/kill2.log"; fail "no raise"; }
stop KILL
echo 5000 >"$ct"
conf observe
agent replay2
wait_for "$T/replay2.log" "ready" 10 || fail "no start"
stop TERM
grep -q "nf_conntrack_max = 1000 (we had set 1500): changed by someone else since, left alone" "$T/replay2.log" ||
	{ cat "$T/replay2.log"; fail "replay did not leave someone else's value"; }
[ "$(cat "$ct")" = 5000 ] || fail "max is $(cat "$ct"), want someone else's 5000"
echo "measured: kill -9 then an admin's 5000: left at 5000"
