#!/bin/sh
# guest-run-v2.sh - runs INSIDE the qemu guest (see run_v2_vm.sh); refuses to
# run on a host. busybox sh.
[ "${HEADROOM_VM:-}" = 1 ] || { echo "FAIL: not in the test VM"; exit 2; }
set -u
CG=/sys/fs/cgroup
LIMIT=$((128 << 20))
D=/mnt/scratch
fail() { echo "FAIL: $*"; exit 1; }
[ -f $CG/cgroup.controllers ] || fail "no cgroup2"
grep -q memory $CG/cgroup.subtree_control || echo +memory >$CG/cgroup.subtree_control
echo "guest: kernel $(uname -r)"
./hr_load create $D/file 384 >/dev/null || fail "create"
run_in() { cg=$1; shift; ( echo $$ >/dev/null; sh -c 'echo $$ > '"$cg"'/cgroup.procs; exec "$@"' sh "$@" ); }
# wait_log FILE REGEX WHAT: up to 10 s for REGEX in FILE, else fail WHAT.
wait_log() {
	i=0
	while ! grep -q "$2" "$1"; do
		i=$((i + 1)); [ $i -gt 100 ] && { cat "$1"; fail "$3"; }
		sleep 0.1
	done
}
maxev() { sed -n 's/^max //p' "$1/memory.events"; }

# Without the agent.
mkdir $CG/hr-base && echo $LIMIT >$CG/hr-base/memory.max || fail "mkdir hr-base"
[ -e $CG/hr-base/memory.reclaim ] || fail "no memory.reclaim on this kernel"
run_in $CG/hr-base ./hr_load seq $D/file >/tmp/base.out || fail "workload"
base=$(maxev $CG/hr-base)
basepeak=$(cat $CG/hr-base/memory.peak 2>/dev/null || echo n/a)
rmdir $CG/hr-base 2>/dev/null

# With the agent. The guest's RLIMIT_NOFILE is 4096 (hard), too few for the
# default 4096-entry table, which the agent refuses; 256 is plenty here.
cat >/tmp/hr.conf <<CONF
[agent]
cgroup_root = /sys/fs/cgroup
run_dir = /tmp/hr-run
max_cgroups = 256
poll_min_ms = 1
poll_max_ms = 100
[policy high]
match = /hr-agent-high
backend = v2-high
mode = reclaim
max_rate = 16G
max_cpu = 100%
[policy test]
match = /hr-agent*
high = 90%
low = 80%
mode = reclaim
max_rate = 16G
max_cpu = 100%
CONF
./headroom run -c /tmp/hr.conf -v >/tmp/agent.log 2>&1 &
agent=$!
mkdir $CG/hr-agent && echo $LIMIT >$CG/hr-agent/memory.max || fail "mkdir hr-agent"
wait_log /tmp/agent.log "hr-agent: limit" "agent did not pick up hr-agent"
grep "hr-agent: limit" /tmp/agent.log | sed 's/^/note: /'
grep -q "backend v2-reclaim" /tmp/agent.log || fail "backend is not v2-reclaim"
grep "PSI" /tmp/agent.log | sed 's/^/note: /'
echo "note: agent holds $(ls -l /proc/$agent/fd | grep -c 'hr-agent/memory.pressure') PSI trigger fd(s) and $(ls -l /proc/$agent/fd | grep -c 'hr-agent/memory.events') memory.events fd(s) on hr-agent"
run_in $CG/hr-agent ./hr_load seq $D/file >/tmp/agent.out || fail "workload"
with=$(maxev $CG/hr-agent)
withpeak=$(cat $CG/hr-agent/memory.peak 2>/dev/null || echo n/a)
./headroom status --run-dir /tmp/hr-run | sed 's/^/note: /'
kill $agent; wait $agent
arc=$?
rounds=$(grep -c "reclaimed" /tmp/agent.log)
polls=$(grep -c "squeeze by=poll" /tmp/agent.log)
events=$(grep -c "squeeze by=memory.events" /tmp/agent.log)
echo "measured: v2: memory.events max without agent $base, with agent $with (limit 128 MiB, 384 MiB cold read)"
echo "measured: v2: peak usage without $basepeak, with $withpeak"
echo "measured: v2: reclaim rounds $rounds (started by poll $polls, by memory.events $events, by psi $(grep -c "squeeze by=psi" /tmp/agent.log))"
# v2 has no threshold event, so the crossing time is estimated: a poll that
# found usage U above the high mark H came (U - H) / fill rate after the
# crossing (fill rate = bytes read / workload time).
high=$((LIMIT / 100 * 90 + LIMIT % 100 * 90 / 100))
ns=$(sed -n 's/.*ns=//p' /tmp/agent.out)
grep "hr-agent: squeeze by=" /tmp/agent.log | sed 's/.*usage=\([0-9]*\).*/\1/' |
	awk -v h=$high -v ns="$ns" -v b=$((384 << 20)) '$1 >= h { print ($1 - h) / (b / ns) / 1e6 }' | sort -n >/tmp/lat
n=$(wc -l </tmp/lat)
if [ "$n" -gt 0 ]; then
	p50=$(awk -v n=$n 'NR >= n * 0.5 { print; exit }' /tmp/lat)
	p99=$(awk -v n=$n 'NR >= n * 0.99 { print; exit }' /tmp/lat)
	echo "measured: v2: reaction (estimated from overshoot / fill rate) n=$n p50=${p50} ms p99=${p99} ms (target p99 < 20 ms, under TCG emulation)"
fi
echo "measured: v2: time without $(sed -n 's/.*ns=//p' /tmp/base.out) ns, with $(sed -n 's/.*ns=//p' /tmp/agent.out) ns"
# The same with reclaim_worker = yes (rounds on the SCHED_OTHER thread): a
# figure for issue 13's comparison, not a pass/fail bound yet.
sed 's/^max_cgroups = 256$/max_cgroups = 256\nreclaim_worker = yes/' /tmp/hr.conf >/tmp/hrw.conf
mkdir $CG/hr-agent-w && echo $LIMIT >$CG/hr-agent-w/memory.max || fail "mkdir hr-agent-w"
./headroom run -c /tmp/hrw.conf -v >/tmp/agentw.log 2>&1 &
agent=$!
wait_log /tmp/agentw.log "hr-agent-w: limit" "agent did not pick up hr-agent-w"
run_in $CG/hr-agent-w ./hr_load seq $D/file >/tmp/agentw.out || fail "workload"
wmax=$(maxev $CG/hr-agent-w)
kill $agent; wait $agent
echo "measured: v2 reclaim_worker=yes: memory.events max $wmax (RT thread: $with), rounds $(grep -c reclaimed /tmp/agentw.log), run by the RT thread $(grep -c 'run by the RT thread' /tmp/agentw.log), time $(sed -n 's/.*ns=//p' /tmp/agentw.out) ns"
rmdir $CG/hr-agent-w 2>/dev/null
# The fallback for v2 kernels without memory.reclaim (4.5-5.18), forced here
# by policy: memory.high lowered for one write, journaled, restored.
mkdir $CG/hr-agent-high && echo $LIMIT >$CG/hr-agent-high/memory.max || fail "mkdir hr-agent-high"
./headroom run -c /tmp/hr.conf -v >/tmp/agent2.log 2>&1 &
agent=$!
wait_log /tmp/agent2.log "hr-agent-high: limit" "agent did not pick up hr-agent-high"
grep -q "hr-agent-high: .*backend v2-high" /tmp/agent2.log || fail "backend is not v2-high"
run_in $CG/hr-agent-high ./hr_load seq $D/file >/tmp/high.out || fail "workload"
hmax=$(maxev $CG/hr-agent-high)
hhigh=$(sed -n 's/^high //p' $CG/hr-agent-high/memory.events)
hval=$(cat $CG/hr-agent-high/memory.high)
kill $agent; wait $agent
echo "measured: v2-high fallback: memory.events max $hmax (without agent $base), high $hhigh, rounds $(grep -c reclaimed /tmp/agent2.log), memory.high after stop '$hval', time $(sed -n 's/.*ns=//p' /tmp/high.out) ns"
[ "$hval" = max ] || fail "memory.high left at $hval"
# The fallback's stated bound: <= 1% of the hits without the agent (it acts
# in one write per poll, and memory.high only throttles; 0 in 5 of 6 runs).
[ $((hmax * 100)) -le "$base" ] || fail "memory.events max grew by $hmax (> 1% of $base) with the v2-high fallback"
[ "$base" -gt 0 ] || fail "the workload never hit memory.max without the agent"
[ "$with" -eq 0 ] || fail "memory.events max grew with the agent: $with"
[ $arc -eq 0 ] || fail "agent exit $arc"

# Journal replay on v2: records a killed agent would leave (written by
# hr_jrec with the agent's encoder), some genuine, some forged. Only the
# genuine one below cgroup_root, for a file the agent writes, naming the
# same cgroup, is restored.
M60=$((60 << 20))
mkdir $CG/hr-jroot $CG/hr-jout || fail "mkdir hr-jroot"
echo +memory >$CG/hr-jroot/cgroup.subtree_control || fail "memory for hr-jroot children"
mkdir $CG/hr-jroot/a $CG/hr-jroot/b $CG/hr-jroot/c || fail "mkdir hr-jroot/*"
for d in $CG/hr-jroot/a $CG/hr-jroot/b $CG/hr-jroot/c $CG/hr-jout; do echo $M60 >$d/memory.high; done
echo $M60 >$CG/hr-jroot/c/memory.max
mkdir -m 0700 /tmp/hr-jrun
R=sys/fs/cgroup
./hr_jrec /tmp/hr-jrun \
	$R/hr-jroot/a memory.high max $((50 << 20)) 0 \
	$R/hr-jroot/b memory.high max $((50 << 20)) 0x10000 \
	$R/hr-jout memory.high max $((50 << 20)) 0 \
	$R/hr-jroot/c memory.max max $((50 << 20)) 0 || fail "hr_jrec"
cat >/tmp/hrj.conf <<CONF
[agent]
cgroup_root = /sys/fs/cgroup/hr-jroot
run_dir = /tmp/hr-jrun
max_cgroups = 64
[policy none]
match = /nothing
CONF
./headroom run -c /tmp/hrj.conf >/tmp/agentj.log 2>&1 &
agent=$!
wait_log /tmp/agentj.log "ready:" "agent not ready with a planted journal"
kill $agent; wait $agent
grep "journal:" /tmp/agentj.log | sed 's/^/note: /'
ja=$(cat $CG/hr-jroot/a/memory.high) jb=$(cat $CG/hr-jroot/b/memory.high)
jo=$(cat $CG/hr-jout/memory.high) jc=$(cat $CG/hr-jroot/c/memory.max)
echo "measured: v2 journal: genuine a -> $ja, replaced b -> $jb, outside root -> $jo, memory.max (not a file the agent writes) -> $jc"
[ "$ja" = max ] || fail "genuine v2 record not restored ($ja)"
[ "$jb" = $M60 ] || fail "record for a replaced cgroup written ($jb)"
[ "$jo" = $M60 ] || fail "record outside cgroup_root written ($jo)"
[ "$jc" = $M60 ] || fail "record for memory.max written ($jc)"
grep -q "2 refused" /tmp/agentj.log || fail "refusals not counted"
rmdir $CG/hr-jroot/a $CG/hr-jroot/b $CG/hr-jroot/c $CG/hr-jroot $CG/hr-jout
# Dry run through the real backend (v2-reclaim and v2-high): a memcg held
# above its high mark by clean page cache nobody touches; --dry-run logs the
# write it stops at, reclaim mode (-v) logs its first write: the same value.
cat >/tmp/hrd.conf <<CONF
[agent]
cgroup_root = /sys/fs/cgroup
run_dir = /tmp/hr-drun
max_cgroups = 64
[policy dryhigh]
match = /hr-dry-high
backend = v2-high
mode = reclaim
max_rate = 16G
max_cpu = 100%
[policy dry]
match = /hr-dry*
mode = reclaim
max_rate = 16G
max_cpu = 100%
CONF
./hr_load create $D/file2 160 >/dev/null || fail "create file2"
for d in hr-dry:file hr-dry-high:file2; do
	cgd=${d%%:*} f=$D/${d#*:}
	mkdir $CG/$cgd && echo $LIMIT >$CG/$cgd/memory.max || fail "mkdir $cgd"
	./hr_load cold $f >/dev/null	# (drops only that file's cache)
	run_in $CG/$cgd cat $f >/dev/null || fail "fill $cgd"
done
# agent_until LOG REGEX ARGS...: runs the agent until REGEX is logged.
agent_until() {
	log=$1 re=$2; shift 2
	./headroom run -v "$@" >"$log" 2>&1 &
	agent=$!
	wait_log "$log" "$re" "no '$re' in $log"
	kill $agent; wait $agent
}
agent_until /tmp/dry.log "hr-dry-high: would write memory.high" -c /tmp/hrd.conf --dry-run
wait_log /tmp/dry.log "hr-dry: would write memory.reclaim" "no dry-run write for hr-dry"
dr=$(sed -n 's/.*hr-dry: would write memory.reclaim = \([0-9]*\).*/\1/p' /tmp/dry.log | head -1)
dh=$(sed -n 's/.*hr-dry-high: would write memory.high = \([0-9]*\).*/\1/p' /tmp/dry.log | head -1)
[ "$(cat $CG/hr-dry-high/memory.high)" = max ] || fail "--dry-run changed memory.high"
ud=$(sed -n 's/.*hr-dry: would reclaim [0-9]* bytes (usage \([0-9]*\).*/\1/p' /tmp/dry.log | head -1)
agent_until /tmp/real.log "hr-dry-high: first write memory.high" -c /tmp/hrd.conf
wait_log /tmp/real.log "hr-dry: first write memory.reclaim" "no first write for hr-dry"
rr=$(sed -n 's/.*hr-dry: first write memory.reclaim = \([0-9]*\).*/\1/p' /tmp/real.log | head -1)
rh=$(sed -n 's/.*hr-dry-high: first write memory.high = \([0-9]*\).*/\1/p' /tmp/real.log | head -1)
ur=$(sed -n 's/.*hr-dry: squeeze by=[a-z.]* t_ns=[0-9]* usage=\([0-9]*\).*/\1/p' /tmp/real.log | head -1)
echo "measured: v2 dry run: memory.reclaim would write $dr, reclaim wrote $rr (usage $ud / $ur); memory.high would write $dh, reclaim wrote $rh"
[ -n "$dr" ] && [ -n "$dh" ] || fail "dry-run values not parsed"
[ "$dh" = "$rh" ] || fail "v2-high: dry run would write $dh, reclaim wrote $rh"
if [ "$ud" = "$ur" ]; then
	[ "$dr" = "$rr" ] || fail "v2-reclaim: dry run would write $dr, reclaim wrote $rr at the same usage"
else
	echo "note: hr-dry usage moved between the runs ($ud, $ur)"
fi
[ "$(cat $CG/hr-dry-high/memory.high)" = max ] || fail "memory.high not restored"
rmdir $CG/hr-dry $CG/hr-dry-high 2>/dev/null
echo "guest: ok"
exit 0
