# bench/lib_v1.bash - the setup the cgroup v1 benches share. Source it after
# setting NAME (the bench's name in notes) and PFX (the prefix of the memcgs
# it creates beneath its own memory cgroup). Sets M (our memory cgroup) and
# WORK (a scratch directory), defines note(), and on exit stops $AGENT (when
# set) and removes WORK and every $M/$PFX-* cgroup. Skips (exit 0 with a
# note) without root or a v1 memory controller.
note() { echo "bench $NAME: $*"; }
[ "$(id -u)" = 0 ] || { note "skipped: needs root"; exit 0; }
ME=$(awk -F: '$2=="memory"{print $3}' /proc/self/cgroup)
M=/sys/fs/cgroup/memory$ME
[ -f "$M/memory.limit_in_bytes" ] || { note "skipped: no cgroup v1 memory controller"; exit 0; }
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/hr-$NAME-XXXXXX")
AGENT=
bench_cleanup() {
	# bash may run this trap in a forked child that is killed before it
	# resets its traps: only the bench itself cleans up.
	[ "$BASHPID" = "$$" ] || return 0
	[ -n "$AGENT" ] && kill "$AGENT" 2>/dev/null && wait "$AGENT" 2>/dev/null
	for cg in "$M/$PFX"-*; do
		[ -d "$cg" ] || continue
		echo 0 >"$cg/memory.force_empty" 2>/dev/null
		rmdir "$cg" 2>/dev/null
	done
	rm -rf "$WORK"
}
trap bench_cleanup EXIT
