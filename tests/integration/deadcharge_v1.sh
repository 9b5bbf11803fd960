#!/usr/bin/env bash
# deadcharge_v1.sh - the dead-charge guard on real cgroup v1, below this
# test's own memory cgroup: parent P with children C and L; 64 MiB of a file
# read inside C, 16 MiB of another read (twice: active) inside L; C removed,
# so its cache stays charged to P as a dead charge (kernel-facts.md G). The
# agent with `[guard deadcharge] mode = act` scoped to P must see the memcg
# judge's memcg.dead_charges at P and squeeze P's limit once, bounded by the
# estimate: P's usage falls by about the dead charge, L keeps most of its
# cache, P's limit is back at unlimited and no journal record stays open.
# Bounded (every wait has a deadline); everything removed on exit.
# Exit 0 pass, 77 skip (reason on the last line), else fail. Root only.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=tests/integration/lib_run.bash
source tests/integration/lib_run.bash
MIB=$((1 << 20))

P=$M/$PFX-P
# Page cache must be on a disk filesystem: tmpfs pages are shmem, not file.
case $(stat -f -c %T "$WORK") in tmpfs|ramfs) skip "$WORK is $(stat -f -c %T "$WORK"): page cache there is shmem" ;; esac
fd=$WORK/dead.data
fl=$WORK/live.data
trap 'cleanup_dc' EXIT
cleanup_dc() {
	[ "$BASHPID" = "$$" ] || return 0
	[ -n "$AGENT_PID" ] && kill -9 "$AGENT_PID" 2>/dev/null && wait "$AGENT_PID" 2>/dev/null
	AGENT_PID=
	for cg in "$P/C" "$P/L" "$P"; do [ -d "$cg" ] && echo 0 >"$cg/memory.force_empty" 2>/dev/null; done
	for cg in "$P/C" "$P/L" "$P"; do [ -d "$cg" ] && rmdir "$cg"; done
	cleanup
}
stat_of() { awk -v k="$2" '$1 == k { print $2 }' "$1/memory.stat"; }

mkdir "$P" "$P/C" "$P/L" || fail "mkdir $P/{C,L}"
dd if=/dev/zero of="$fd" bs=1M count=64 oflag=direct status=none || fail "dd write"
dd if=/dev/zero of="$fl" bs=1M count=16 oflag=direct status=none || fail "dd write"
dd if="$fd" iflag=nocache count=0 status=none
dd if="$fl" iflag=nocache count=0 status=none
# shellcheck disable=SC2016 # $1, $2 belong to the inner sh
timeout 60 sh -c 'echo $$ >"$1/cgroup.procs" && exec dd if="$2" of=/dev/null bs=1M status=none' sh "$P/C" "$fd" ||
	fail "read in C"
# shellcheck disable=SC2016
timeout 60 sh -c 'echo $$ >"$1/cgroup.procs" && for i in 1 2 3; do dd if="$2" of=/dev/null bs=1M status=none; done' \
	sh "$P/L" "$fl" || fail "read in L"
c_cache=$(stat_of "$P/C" total_cache)
[ "$c_cache" -ge $((56 * MIB)) ] || fail "precondition: C holds only $c_cache bytes of cache"
rmdir "$P/C" || fail "rmdir $P/C"
sleep 1	# offlining after rmdir is asynchronous
u0=$(cat "$P/memory.usage_in_bytes")
l0=$(stat_of "$P/L" total_cache)
p_total=$(stat_of "$P" total_cache)
p_local=$(stat_of "$P" cache)
dead=$((p_total - p_local - l0))
echo "measured: before: P usage $((u0 / 1024)) KiB, total_cache $((p_total / 1024)) KiB, L cache $((l0 / 1024)) KiB, dead estimate $((dead / 1024)) KiB"
[ "$dead" -ge $((56 * MIB)) ] || fail "precondition: dead charge $dead, want about 64 MiB"
lim0=$(cat "$P/memory.limit_in_bytes")

# check sees it (the judge the guard executes).
"$HR" check --area memcg --json >"$WORK/check.json" 2>/dev/null
grep -q '"memcg.dead_charges"' "$WORK/check.json" || fail "check reports no memcg.dead_charges"

conf() {
	cat >"$WORK/hr.conf" <<CONF
[agent]
cgroup_root = $M
run_dir = $WORK/run
mlock = no
rt_priority = 0
judge_interval = 1
metrics_listen = off
kmsg = no
[policy none]
match = /$PFX-nothing
mode = observe
[guard deadcharge]
mode = $1
match = $ME/$PFX-P
interval = 3600
CONF
}
# observe (the default mode): the same decision, logged, nothing written.
conf observe
"$HR" run -c "$WORK/hr.conf" >"$WORK/observe.log" 2>&1 &
AGENT_PID=$!
wait_for "$WORK/observe.log" "guard deadcharge: would write /.*memory.limit_in_bytes = " 30 ||
	{ cat "$WORK/observe.log"; fail "observe: no 'would write' line within 30 s"; }
kill -TERM "$AGENT_PID"; wait "$AGENT_PID"; AGENT_PID=
uo=$(cat "$P/memory.usage_in_bytes")
echo "measured: observe: P usage $((u0 / 1024)) -> $((uo / 1024)) KiB ($(grep -c 'would write' "$WORK/observe.log") 'would write' line)"
[ $((u0 - uo)) -lt $((4 * MIB)) ] || fail "observe mode changed P's usage: $u0 -> $uo"
[ "$(cat "$P/memory.limit_in_bytes")" = "$lim0" ] || fail "observe mode changed P's limit"

conf act
"$HR" run -c "$WORK/hr.conf" >"$WORK/agent.log" 2>&1 &
AGENT_PID=$!
wait_for "$WORK/agent.log" "guard deadcharge: /" 30 || { cat "$WORK/agent.log"; fail "no dead-charge round within 30 s"; }
sleep 1
kill -TERM "$AGENT_PID"
for _ in $(seq 100); do kill -0 "$AGENT_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$AGENT_PID" 2>/dev/null && fail "agent did not stop within 10 s"
wait "$AGENT_PID"
rc=$?
AGENT_PID=
grep "guard deadcharge" "$WORK/agent.log"
[ "$rc" -eq 0 ] || { cat "$WORK/agent.log"; fail "agent exit $rc"; }
u1=$(cat "$P/memory.usage_in_bytes")
l1=$(stat_of "$P/L" total_cache)
lim1=$(cat "$P/memory.limit_in_bytes")
p_total1=$(stat_of "$P" total_cache)
dead1=$((p_total1 - $(stat_of "$P" cache) - l1))
fell=$((u0 - u1))
echo "measured: after: P usage $((u1 / 1024)) KiB (fell $((fell / 1024)) KiB of a $((dead / 1024)) KiB dead estimate), L cache $((l0 / 1024)) -> $((l1 / 1024)) KiB, dead estimate $((dead1 / 1024)) KiB"
[ "$lim1" = "$lim0" ] || fail "P's limit is $lim1, not the original $lim0"
grep -q "journal: .* record(s) from a previous run" "$WORK/agent.log" && fail "journal records at start"
[ "$fell" -ge $((dead * 70 / 100)) ] || fail "P's usage fell by $fell, want about the dead charge $dead"
[ "$fell" -le $((dead + 8 * MIB)) ] || fail "P's usage fell by $fell, more than the dead charge $dead"
[ "$dead1" -le $((dead / 4)) ] || fail "dead charge still $dead1 of $dead"
[ "$l1" -ge $((l0 * 50 / 100)) ] || fail "L lost its cache: $l0 -> $l1"
echo "measured: ok: P fell by $((fell * 100 / dead))% of the dead charge, L kept $((l1 * 100 / l0))% of its cache"
