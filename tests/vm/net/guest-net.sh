#!/bin/sh
# guest-net.sh - runs INSIDE the qemu guest (tests/vm/net/net-proof.sh boots
# it); refuses to run on a host. busybox sh.
#
# In ONE boot: the network scenario of the proof, each variant in a fresh
# memcg of LIMIT_MIB, the variants interleaved in ROUNDS rounds (the order
# rotates per round). A UDP receiver and a TCP request/response server live
# in the memcg with a page-cache filler; the UDP sender (UDP_RATE/s) and the
# TCP client (TCP_RATE/s) run outside at SCHED_FIFO 20.
#   nofill  no filler, no agent: the RTT baseline
#   none    filler, no agent
#   hr      filler, `headroom run` (reclaim mode, high 90 %, low 80 %)
#   high90  filler, memory.high = 90 % of memory.max (Kubernetes MemoryQoS)
#   loop1s, loop100ms  filler, 32 MiB into memory.reclaim every 1 s / 100 ms
#                      (only where the kernel has memory.reclaim)
# Then the dirty writer (1 MiB buffered writes) in place of the reader:
#   dnone, dhr, dhigh90.
# Prints one "row: k=v ..." line per variant and round; net_table.py turns
# them into the table. VARIANTS / DVARIANTS override the lists.
[ "${HEADROOM_VM:-}" = 1 ] || { echo "FAIL: not in the test VM"; exit 2; }
set -u
CG=/sys/fs/cgroup
D=/mnt/scratch
ROUNDS=${ROUNDS:-3}
SECS=${SECS:-8}
DSECS=${DSECS:-5}
UDP_RATE=${UDP_RATE:-5000}
TCP_RATE=${TCP_RATE:-100}
LIMIT=$((${LIMIT_MIB:-192} << 20))
fail() { echo "FAIL: $*"; exit 1; }
[ -f $CG/cgroup.controllers ] || fail "no cgroup2"
grep -q memory $CG/cgroup.subtree_control || echo +memory >$CG/cgroup.subtree_control
K=$(uname -r)
HAS_RECLAIM=0
mkdir $CG/nl-probe && { [ -e $CG/nl-probe/memory.reclaim ] && HAS_RECLAIM=1; rmdir $CG/nl-probe; }
if [ -z "${VARIANTS+set}" ]; then
	VARIANTS="nofill none hr high90"
	[ $HAS_RECLAIM = 1 ] && VARIANTS="$VARIANTS loop1s loop100ms"
fi
DVARIANTS=${DVARIANTS-dnone dhr dhigh90}
echo "guest: kernel $K memory.reclaim=$HAS_RECLAIM rounds=$ROUNDS secs=$SECS udp=$UDP_RATE/s tcp=$TCP_RATE/s limit=$LIMIT"
./netload create $D/fill 384 >/dev/null || fail "create fill file"
./netload create $D/data 32 >/dev/null || fail "create data file"

# The agent, for the whole boot: only /nl-hr* cgroups match a policy.
cat >/tmp/hr.conf <<CONF
[agent]
cgroup_root = /sys/fs/cgroup
run_dir = /tmp/hr-run
max_cgroups = 256
[policy net]
match = /nl-hr*
high = 90%
low = 80%
mode = reclaim
CONF
AGENT=
case "$VARIANTS $DVARIANTS" in *hr*)
	./headroom run -c /tmp/hr.conf -v >/tmp/agent.log 2>&1 &
	AGENT=$!
	i=0
	until grep -q "ready:" /tmp/agent.log; do
		i=$((i + 1)); [ $i -gt 100 ] && { cat /tmp/agent.log; fail "agent not ready"; }
		sleep 0.1
	done ;;
esac
ticks() { [ -n "$AGENT" ] && awk '{ print $14 + $15 }' /proc/$AGENT/stat || echo 0; }
ev() { sed -n "s/^$2 //p" "$1/memory.events"; }
kv() { sed -n "s/.*$1=\([-0-9.]*\).*/\1/p" "$2" | head -1; }
reclaimed_in_log() {
	grep "/$1: reclaimed" /tmp/agent.log | sed 's/.*reclaimed \([0-9]*\) bytes.*/\1/' |
		awk '{ s += $1 } END { printf "%d", s }'
}

# run_variant NAME ROUND
run_variant() {
	v=$1 r=$2 w=/tmp/v.$1.$2
	case $v in
	hr | dhr) cg=$CG/nl-hr-$v-$r ;;
	*) cg=$CG/nl-$v-$r ;;
	esac
	mkdir -p $w
	mkdir $cg && echo $LIMIT >$cg/memory.max || fail "mkdir $cg"
	case $v in high90 | dhigh90) echo $((LIMIT / 10 * 9)) >$cg/memory.high ;; esac
	if [ "${cg#$CG/nl-hr}" != "$cg" ]; then
		i=0
		until grep -q "${cg#$CG}: limit" /tmp/agent.log; do
			i=$((i + 1)); [ $i -gt 100 ] && fail "agent did not pick up $cg"
			sleep 0.05
		done
	fi
	# The previous variant's dirty pages must not throttle this one
	# (global writeback), and the server's data file starts cold.
	sync
	./netload cold $D/data >/dev/null
	t0=$(ticks)
	u0=$(./netload udpstat)
	pids=
	case $v in
	d*)
		# A file of its own, created in the memcg (an inode first written
		# by another cgroup is written back under that cgroup's wb).
		./netload -g $cg dirty $D/dirty.$v.$r 384 $DSECS >$w/fill & pids="$pids $!" ;;
	*)
		./netload -g $cg udprecv 9000 $((SECS + 2)) >$w/udpr & pids="$pids $!"
		./netload -g $cg tcpserver 9001 $D/data $((SECS + 4)) >$w/tcps & pids="$pids $!"
		[ $v = nofill ] || { ./netload -g $cg fill $D/fill $SECS >$w/fill & pids="$pids $!"; }
		case $v in
		loop1s) ./netload reclaimloop $cg $((32 << 20)) 1000 $SECS >$w/loop & pids="$pids $!" ;;
		loop100ms) ./netload reclaimloop $cg $((32 << 20)) 100 $SECS >$w/loop & pids="$pids $!" ;;
		esac
		sleep 0.3
		./netload -r 20 udpsend 9000 $UDP_RATE $SECS >$w/udps & pids="$pids $!"
		./netload -r 20 tcpclient 9001 $TCP_RATE $SECS >$w/tcpc & pids="$pids $!" ;;
	esac
	for p in $pids; do wait $p || echo "note: $v round $r: a workload process exited $?"; done
	u1=$(./netload udpstat)
	t1=$(ticks)
	emax=$(ev $cg max) ehigh=$(ev $cg high)
	peak=$(cat $cg/memory.peak 2>/dev/null || echo -1)
	cpu_ns=0 recl=0
	case $v in
	hr | dhr) cpu_ns=$(((t1 - t0) * 10000000)); recl=$(reclaimed_in_log ${cg#$CG/}) ;;
	loop*) cpu_ns=$(kv loop_cpu_ns $w/loop); recl=$(kv loop_reclaimed $w/loop) ;;
	esac
	ie=$(($(echo "$u1" | sed 's/.*InErrors=\([-0-9]*\).*/\1/') - $(echo "$u0" | sed 's/.*InErrors=\([-0-9]*\).*/\1/')))
	rb=$(($(echo "$u1" | sed 's/.*RcvbufErrors=\([-0-9]*\).*/\1/') - $(echo "$u0" | sed 's/.*RcvbufErrors=\([-0-9]*\).*/\1/')))
	me=$(($(echo "$u1" | sed 's/.*MemErrors=\([-0-9]*\).*/\1/') - $(echo "$u0" | sed 's/.*MemErrors=\([-0-9]*\).*/\1/')))
	case "$u0" in *MemErrors=-1*) me=-1 ;; esac
	case $v in
	d*)
		echo "row: kernel=$K variant=$v round=$r fill_mbps=$(kv dirty_mbps $w/fill) events_max=$emax events_high=$ehigh peak=$peak agent_cpu_ns=$cpu_ns reclaimed=$recl" ;;
	*)
		echo "row: kernel=$K variant=$v round=$r sent=$(kv udp_sent $w/udps) received=$(kv udp_received $w/udpr) inerrors=$ie rcvbuferrors=$rb memerrors=$me tcp_n=$(kv tcp_n $w/tcpc) p50_us=$(kv p50_us $w/tcpc) p99_us=$(kv p99_us $w/tcpc) p999_us=$(kv p999_us $w/tcpc) over10ms=$(kv over10ms $w/tcpc) fill_mbps=$([ -f $w/fill ] && kv fill_mbps $w/fill || echo 0) events_max=$emax events_high=$ehigh peak=$peak agent_cpu_ns=$cpu_ns reclaimed=$recl" ;;
	esac
	rm -f $D/dirty.$v.$r
	rmdir $cg 2>/dev/null || echo "note: $cg not removed"
	rm -rf $w
}

rotate() {	# rotate N LIST...: LIST rotated left by N mod its length
	n=$1; shift
	c=$#; [ $c -gt 0 ] || return
	n=$((n % c))
	i=0; out=; rest=
	for x in "$@"; do
		if [ $i -lt $n ]; then rest="$rest $x"; else out="$out $x"; fi
		i=$((i + 1))
	done
	echo $out $rest
}

r=1
while [ $r -le $ROUNDS ]; do
	for v in $(rotate $((r - 1)) $VARIANTS) $(rotate $((r - 1)) $DVARIANTS); do
		run_variant $v $r
	done
	r=$((r + 1))
done
if [ -n "$AGENT" ]; then
	grep -c "squeeze by=" /tmp/agent.log | sed 's/^/note: agent rounds: /'
	grep -E "window 0 ns" /tmp/agent.log | head -1 | sed 's/^/note: v1-only field logged: /'
	./headroom status --run-dir /tmp/hr-run | sed 's/^/note: status: /'
	[ "${ALOG:-0}" = 1 ] && grep -E "squeeze by=|reclaimed" /tmp/agent.log | sed 's/^/alog: /'
	kill $AGENT; wait $AGENT
fi
echo "guest: ok"
exit 0
