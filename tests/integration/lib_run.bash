# lib_run.bash - shared setup of the `headroom run` integration tests (sourced).
# Creates cgroups only below the test's own memory cgroup, named hr-run-$$-*,
# and removes them on exit (force_empty first, so no page cache stays charged
# to a dead cgroup). Sets: HR, M (our memcg dir), ME (its path), PFX, WORK.
HR=${HEADROOM:-$PWD/headroom}
skip() { echo "$*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
[ "$(id -u)" = 0 ] || skip "needs root (cgroup writes)"
[ -x "$HR" ] || skip "no headroom binary at $HR (make first)"
ME=$(awk -F: '$2=="memory"{print $3}' /proc/self/cgroup)
M=/sys/fs/cgroup/memory$ME
[ -n "$ME" ] && [ -f "$M/memory.limit_in_bytes" ] || skip "no cgroup v1 memory controller for this process"
command -v cc >/dev/null || skip "no C compiler for the workload helper"
PFX=hr-run-$$
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/hr-run-XXXXXX")
AGENT_PID=
cleanup() {
	# Only the test's own shell cleans up. A subshell forked for a
	# background job (loadloop) that is killed at the wrong moment can run
	# an inherited EXIT trap and used to delete $WORK and our cgroups under
	# the running test (run_reliability's kill storm, seen several times).
	[ "$BASHPID" = "$$" ] || return 0
	[ -n "$AGENT_PID" ] && kill -9 "$AGENT_PID" 2>/dev/null && wait "$AGENT_PID" 2>/dev/null
	for cg in "$M/$PFX"-*; do
		[ -d "$cg" ] || continue
		echo 0 >"$cg/memory.force_empty" 2>/dev/null
		rmdir "$cg" 2>/dev/null
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
cc -O2 -o "$WORK/hr_load" "$(dirname "${BASH_SOURCE[0]}")/hr_load.c" || fail "cannot build hr_load"
# notify_listen SOCK LOG SECONDS [stamp]: systemd's side of sd_notify, in the
# background (its pid in $listener): every datagram to LOG on one line,
# newlines as spaces; with "stamp", prefixed by the listener's
# CLOCK_MONOTONIC in microseconds. Returns once the socket exists.
notify_listen() {
	python3 - "$1" "$2" "$3" "${4:-}" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); s.settimeout(0.5)
end, stamp = time.time() + int(sys.argv[3]), sys.argv[4] == "stamp"
with open(sys.argv[2], "a", buffering=1) as log:
    while time.time() < end:
        try:
            m = s.recv(4096).decode().replace("\n", " ")
        except socket.timeout:
            continue
        if stamp:
            m = "%d %s" % (time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000, m)
        log.write(m + "\n")
PY
	listener=$!
	for _ in $(seq 50); do [ -S "$1" ] && break; sleep 0.05; done
}
# run_in CGROUP_DIR CMD...: runs CMD inside the cgroup.
run_in() { local cg=$1; shift; ( echo $BASHPID >"$cg/cgroup.procs" && exec "$@" ); }
# mkcg NAME LIMIT: creates $M/$PFX-NAME with that limit; prints the path.
mkcg() { local cg=$M/$PFX-$1; mkdir "$cg" && echo "$2" >"$cg/memory.limit_in_bytes" && echo "$cg"; }
rmcg() { echo 0 >"$1/memory.force_empty" 2>/dev/null; rmdir "$1"; }
# agent_config FILE MATCH [RUN_DIR [CGROUP_ROOT]]: a reclaim policy for our
# cgroups only. HR_RECLAIM_WORKER=yes runs the rounds on the worker thread.
agent_config() {
	cat >"$1" <<CONF
[agent]
cgroup_root = ${4:-$M}
run_dir = ${3:-$WORK/run}
mlock = no
reclaim_worker = ${HR_RECLAIM_WORKER:-no}
[policy test]
match = /$2
high = 90%
low = 80%
mode = reclaim
max_rate = 16G
max_cpu = 100%
chunk = 32M
CONF
}
# wait_for FILE REGEX SECONDS
wait_for() {
	local i
	for ((i = 0; i < $3 * 20; i++)); do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}
