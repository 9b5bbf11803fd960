# guest-guards.sh - runs inside the qemu guest (tests/vm/vm-run.sh) for
# tests/integration/guards_vm.sh: real-kernel proof of the agent's guards.
# The guest kernel is disposable, so global knobs are written here freely.
# Phases (GG_PHASES, default "atomic ct dead wmark"):
#   atomic  hr_atomic_fail.ko makes the kernel itself log a GFP_ATOMIC failure;
#           `headroom explain` on the live /dev/kmsg must recognise it
#   ct      real TCP flows (ctflows) past a small nf_conntrack_max: drops
#           without the agent, then with [guard conntrack] mode = act; the
#           max after stop and after kill -9 at random points (GG_KILLS)
#   dead    page cache charged to a deleted child of P; the agent with
#           [guard deadcharge] mode = act reclaims it at P
#   wmark   the module's failures drive [guard watermark] mode = act: the
#           boost, the decay (series), stop and kill -9 restore
#   frag    fragmem leaves free memory in blocks below order 3; buddyinfo
#           without the agent, then after [guard watermark] mode = act
#           triggers compaction (node0/compact)
# Output: "gg KEY=VALUE..." lines for the host; "series ..." lines; the agent
# logs between "=== log NAME" and "=== end". Exit 0 when it ran to the end
# (the host judges the figures), 10+ on a setup failure.
S=/mnt/scratch
CG=/sys/fs/cgroup
NF=/proc/sys/net/netfilter
PHASES=${GG_PHASES:-atomic ct dead wmark frag}
KILLS=${GG_KILLS:-10}
SEED=${GG_SEED:-11}
mkdir -p $S/run || exit 10
say() { echo "gg $*"; }
has_phase() { case " $PHASES " in *" $1 "*) return 0 ;; esac; return 1; }

# A fixed-seed pseudo random sequence (LCG), busybox sh arithmetic.
rnd_state=$SEED
rnd() { # rnd N: 0..N-1
	rnd_state=$(((rnd_state * 1103515245 + 12345) % 2147483648))
	echo $((rnd_state / 65536 % $1))
}
msleep() { usleep $(($1 * 1000)); }
# One shot from a process of its own (each failure its own context, as
# different drivers' would be).
fire1() { sh -c 'echo 1 >/sys/module/hr_atomic_fail/parameters/fire'; }

# The agent: config in $S/NAME.conf, log in $S/NAME.log.
agent_pid=
nready() { cat $S/$1.log 2>/dev/null | grep -c "ready:"; }
agent_start() { # NAME: starts (log appended), waits up to 30 s for a new "ready:"
	r0=$(nready $1)
	./headroom run -c $S/$1.conf >>$S/$1.log 2>&1 &
	agent_pid=$!
	i=0
	while [ "$(nready $1)" -le "$r0" ] && [ $i -lt 300 ]; do
		kill -0 $agent_pid 2>/dev/null || break
		msleep 100; i=$((i + 1))
	done
	[ "$(nready $1)" -gt "$r0" ]
}
arc=
agent_stop() { # SIGTERM, wait; its status in $arc (not in $(...): a subshell cannot wait)
	kill $agent_pid 2>/dev/null
	wait $agent_pid
	arc=$?
}
agent_kill9() { kill -9 $agent_pid 2>/dev/null; wait $agent_pid 2>/dev/null; }
dump_log() { echo "=== log $1"; cat $S/$1.log; echo "=== end"; }
conf_head() { # NAME: the [agent] section
	cat <<CONF
[agent]
run_dir = $S/run
mlock = no
max_cgroups = 256
judge_interval = 1
kmsg = yes
CONF
}

# ---- atomic: the kernel itself logs a real GFP_ATOMIC failure ----------------
if has_phase atomic || has_phase wmark; then
	insmod ./hr_atomic_fail.ko || { echo "insmod hr_atomic_fail.ko failed"; exit 11; }
fi
if has_phase atomic; then
	fire1 || exit 12
	f=$(cat /sys/module/hr_atomic_fail/parameters/failures)
	n=$(dmesg | grep -c 'page allocation failure: order:10, mode:0x[0-9a-f]*(GFP_ATOMIC')
	dmesg | grep -m1 'page allocation failure' | sed 's/^/kernel: /'
	./headroom explain --json >$S/explain.json
	erc=$?
	ea=$(grep -c '"kind": "alloc_failure"' $S/explain.json)
	eo=$(grep -c '"order": 10,' $S/explain.json)
	ev=$(sed -n 's/.*"verdict": "\([a-z]*\)".*/\1/p' $S/explain.json | head -n 1)
	say atomic module_failures=$f kernel_lines=$n explain_rc=$erc explain_alloc_failures=$ea explain_order10=$eo verdict=$ev
fi

# ---- ct: conntrack filled by real flows -----------------------------------
ct_stat() { # sum of column $1 of /proc/net/stat/nf_conntrack over the CPUs
	awk -v k="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == k) c = i; next }
		c { print $c }' /proc/net/stat/nf_conntrack | {
		t=0
		while read -r v; do t=$((t + 0x$v)); done
		echo $t
	}
}
ct_empty() { # flush, and wait until the count is below 10 (5 s)
	./ctflows flush
	i=0
	while [ "$(cat $NF/nf_conntrack_count)" -ge 10 ] && [ $i -lt 50 ]; do msleep 100; i=$((i + 1)); done
}
up() { cut -d' ' -f1 /proc/uptime; }	# seconds since boot, 10 ms resolution
ct_max_series() { # about every 500 ms while $1 runs: "series NAME t=.. max=.. count=.. drop=.."
	while kill -0 "$1" 2>/dev/null; do
		echo "series $2 t=$(up) max=$(cat $NF/nf_conntrack_max) count=$(cat $NF/nf_conntrack_count) drop=$(ct_stat drop)"
		msleep 500
	done
}
# One load profile for both runs: CT_BURST connections at once (below the
# high mark), then CT_RATE/s up to CT_TOTAL, held CT_SECS s from the start.
CT_ORIG=${GG_CT_MAX:-256}
CT_BURST=${GG_CT_BURST:-200}
CT_RATE=${GG_CT_RATE:-5}
CT_TOTAL=${GG_CT_TOTAL:-400}
CT_SECS=${GG_CT_SECS:-45}
if has_phase ct; then
	nft add table inet hrct && nft add chain inet hrct out '{ type filter hook output priority 0; }' &&
		nft add rule inet hrct out ct state new counter || { echo "nft failed"; exit 13; }
	# Short TCP teardown timeouts: only for the RST/close leftovers between runs.
	for k in close close_wait fin_wait last_ack time_wait; do echo 2 >$NF/nf_conntrack_tcp_timeout_$k; done
	echo $CT_ORIG >$NF/nf_conntrack_max || exit 14
	say ct buckets=$(cat $NF/nf_conntrack_buckets) max=$(cat $NF/nf_conntrack_max) mem_total_kb=$(awk '/MemTotal/ { print $2 }' /proc/meminfo)
	ct_empty
	# Without the guard.
	d0=$(ct_stat drop); f0=$(dmesg | grep -c 'nf_conntrack: table full, dropping packet')
	./ctflows open 5001 $CT_BURST $CT_RATE $CT_TOTAL $CT_SECS >$S/ct0.out &
	g=$!
	ct_max_series $g noguard
	wait $g
	d1=$(ct_stat drop); f1=$(dmesg | grep -c 'nf_conntrack: table full, dropping packet')
	say ct_noguard $(cat $S/ct0.out) drops=$((d1 - d0)) kernel_table_full_lines=$((f1 - f0)) max_after=$(cat $NF/nf_conntrack_max)
	ct_empty
	# With the guard.
	{ conf_head; cat <<CONF
[guard conntrack]
mode = act
CONF
	cat ${GG_CT_CONF:-/dev/null}; } >$S/ct.conf
	if agent_start ct; then
		d0=$(ct_stat drop)
		./ctflows open 5002 $CT_BURST $CT_RATE $CT_TOTAL $CT_SECS >$S/ct1.out &
		g=$!
		ct_max_series $g guard
		wait $g
		d1=$(ct_stat drop)
		m_run=$(cat $NF/nf_conntrack_max)
		agent_stop; rc=$arc
		say ct_guard $(cat $S/ct1.out) drops=$((d1 - d0)) max_at_end=$m_run agent_rc=$rc max_after_stop=$(cat $NF/nf_conntrack_max) original=$CT_ORIG
		ct_empty
		# kill -9 at random points of the action: a steady load at 94 % of
		# the original max, the agent raises it after its hold passes.
		echo $CT_ORIG >$NF/nf_conntrack_max
		cp $S/ct.conf $S/ctk.conf
		./ctflows open 5003 $((CT_ORIG * 94 / 100)) 0 $((CT_ORIG * 94 / 100)) $((KILLS * 30)) >/dev/null &
		g=$!
		sleep 3
		k=0 raised=0 restored=0 stopped=0
		while [ $k -lt $KILLS ]; do
			k=$((k + 1))
			agent_start ctk || break
			msleep $((200 + $(rnd 6000)))
			agent_kill9
			m=$(cat $NF/nf_conntrack_max)
			[ "$m" != $CT_ORIG ] && raised=$((raised + 1))
			agent_start ctk || break
			m2=$(cat $NF/nf_conntrack_max)
			[ "$m2" = $CT_ORIG ] && restored=$((restored + 1))
			agent_stop; rc=$arc
			m3=$(cat $NF/nf_conntrack_max)
			[ "$m3" = $CT_ORIG ] && stopped=$((stopped + 1))
			echo "series ctkill k=$k max_at_kill=$m max_after_restart=$m2 max_after_stop=$m3 rc=$rc"
			# back to the original for the next round, whatever happened
			echo $CT_ORIG >$NF/nf_conntrack_max
		done
		kill $g; wait $g
		say ct_kill9 kills=$k raised_at_kill=$raised restored_on_restart=$restored original_after_stop=$stopped
	else
		say ct_guard agent_failed=1
	fi
	dump_log ct
	[ -f $S/ctk.log ] && tail -n 40 $S/ctk.log | sed 's/^/ctk: /'
	ct_empty
fi

# ---- dead: page cache charged to a deleted child ---------------------------
mstat() { awk -v k="$2" '$1 == k { print $2 }' $1/memory.stat; }
dying() { awk '$1 == "nr_dying_descendants" { print $2 }' $1/cgroup.stat; }
if has_phase dead; then
	P=$CG/hrP
	# E: a live child without cache. v2 judges dead charges only at a
	# parent with children (a leaf may hold its own tasks' cache), so E keeps
	# P a parent once L is removed.
	mkdir $P $P/C $P/L $P/E || exit 20
	echo +memory >$P/cgroup.subtree_control || exit 21
	dd if=/dev/zero of=$S/dead.dat bs=1M count=${GG_DEAD_MB:-64} 2>/dev/null
	dd if=/dev/zero of=$S/live.dat bs=1M count=${GG_LIVE_MB:-32} 2>/dev/null
	sync
	echo 3 >/proc/sys/vm/drop_caches	# the guest's own: the files start cold
	sh -c "echo \$\$ >$P/C/cgroup.procs && exec cat $S/dead.dat >/dev/null" || exit 22
	sh -c "echo \$\$ >$P/L/cgroup.procs && exec cat $S/live.dat >/dev/null" || exit 23
	c_file=$(mstat $P/C file)
	rmdir $P/C || exit 24
	lfile() { if [ -d $P/L ]; then mstat $P/L file; else echo 0; fi; }
	dead_series() { # NAME SECONDS: until no dying descendant, or SECONDS
		i=0
		while [ $i -le $(($2 * 2)) ]; do
			pf=$(mstat $P file); lf=$(lfile)
			echo "series $1 t=$(up) dying=$(dying $P) p_file=$pf l_file=$lf dead=$((pf - lf))"
			[ "$(dying $P)" = 0 ] && break
			msleep 500; i=$((i + 1))
		done
	}
	pf=$(mstat $P file); lf=$(mstat $P/L file); lf0=$lf
	say dead_before c_file=$c_file dying=$(dying $P) p_file=$pf l_file=$lf dead=$((pf - lf))
	# No agent for 5 s: without pressure the kernel keeps the dead charge.
	dead_series dead_idle 5
	pf=$(mstat $P file); lf=$(mstat $P/L file)
	say dead_idle dying=$(dying $P) p_file=$pf l_file=$lf dead=$((pf - lf))
	{ conf_head; cat <<CONF
[guard deadcharge]
mode = act
match = /hrP
min_dead = 4M
CONF
	cat ${GG_DEAD_CONF:-/dev/null}; } >$S/dead.conf
	if [ -n "${GG_DEAD_MANUAL:-}" ]; then
		# Reference only (no agent): what the guard's write does
		# (GG_DEAD_MANUAL=low: with the live child's memory.low at its usage).
		[ "$GG_DEAD_MANUAL" = low ] && cat $P/L/memory.current >$P/L/memory.low
		echo "$((pf - lf))" >$P/memory.reclaim
		echo "manual: reclaim rc $?"
		dead_series dead_manual 20
	elif agent_start dead; then
		# With the live child L the guard must hold: memory.reclaim at P
		# would take L's cache in proportion (doc/guards.md).
		dead_series dead_guard 8
		pf=$(mstat $P file); lf=$(lfile)
		say dead_hold dying=$(dying $P) p_file=$pf l_file=$lf dead=$((pf - lf))
		# Without it every page of P is dead: the guard reclaims them.
		rmdir $P/L || exit 25
		dead_series dead_guard_nolive 40
		agent_stop; rc=$arc
	else
		say dead_guard agent_failed=1
	fi
	pf=$(mstat $P file); lf=$(lfile)
	say dead_after dying=$(dying $P) p_file=$pf l_file=$lf dead=$((pf - lf)) l_file_before=$lf0 agent_rc=${rc:-}
	echo "dead: P memory.current $(cat $P/memory.current)"
	grep -E '^(anon|file|kernel|kernel_stack|pagetables|percpu|sock|slab|shmem|file_mapped|file_dirty|file_writeback) ' $P/memory.stat | sed 's/^/dead: P /'
	dump_log dead
fi

# ---- wmark: real atomic failures drive the watermark guard -----------------
V=/proc/sys/vm
wm_series() { # NAME: about every 500 ms while $2 lives
	while kill -0 "$2" 2>/dev/null; do
		echo "series $1 t=$(up) wsf=$(cat $V/watermark_scale_factor) min_free_kbytes=$(cat $V/min_free_kbytes) failures=$(cat /sys/module/hr_atomic_fail/parameters/failures)"
		msleep 500
	done
}
if has_phase wmark; then
	W0=$(cat $V/watermark_scale_factor)
	M0=$(cat $V/min_free_kbytes)
	{ conf_head; cat <<CONF
[guard watermark]
mode = act
wsf_step = 10
wsf_max = 60
wsf_decay = 10
cooldown = 2
quiet = 12
CONF
	cat ${GG_WM_CONF:-/dev/null}; } >$S/wm.conf
	if agent_start wm; then
		sh -c 'while :; do sleep 1; done' &
		tick=$!
		wm_series wmark $tick &
		ser=$!
		# GG_WM_SHOTS real failures, GG_WM_GAP s apart, then quiet.
		n=0
		while [ $n -lt ${GG_WM_SHOTS:-4} ]; do
			fire1
			n=$((n + 1))
			sleep ${GG_WM_GAP:-11}	# warn_alloc reports one failure per 10 s
		done
		peak=$(cat $V/watermark_scale_factor)
		# The decay: back to the original once the failures stop (60 s).
		i=0
		while [ "$(cat $V/watermark_scale_factor)" != $W0 ] && [ $i -lt 240 ]; do msleep 500; i=$((i + 1)); done
		sleep 1
		kill $tick; wait $ser
		back=$(cat $V/watermark_scale_factor)
		agent_stop; rc=$arc
		say wmark_incidents kernel_reports=$(dmesg | grep -c 'page allocation failure: order:10') agent_incidents=$(grep -c 'kernel incident alloc_failure' $S/wm.log)
		say wmark original=$W0 min_free_orig=$M0 shots=$n failures=$(cat /sys/module/hr_atomic_fail/parameters/failures) peak=$peak after_decay=$back agent_rc=$rc after_stop=$(cat $V/watermark_scale_factor) min_free_after_stop=$(cat $V/min_free_kbytes)
		# Stop inside the boost: SIGTERM must restore.
		agent_start wm
		fire1
		i=0
		while [ "$(cat $V/watermark_scale_factor)" = $W0 ] && [ $i -lt 40 ]; do msleep 250; i=$((i + 1)); done
		b=$(cat $V/watermark_scale_factor)
		agent_stop; rc=$arc
		say wmark_stop boosted=$b after_stop=$(cat $V/watermark_scale_factor) original=$W0 agent_rc=$rc
		# kill -9 at random points of the action.
		cp $S/wm.conf $S/wmk.conf
		k=0 raised=0 restored=0 stopped=0
		while [ $k -lt $KILLS ]; do
			k=$((k + 1))
			agent_start wmk || break
			fire1
			msleep $((200 + $(rnd 4000)))
			agent_kill9
			m=$(cat $V/watermark_scale_factor)
			[ "$m" != $W0 ] && raised=$((raised + 1))
			agent_start wmk || break
			m2=$(cat $V/watermark_scale_factor)
			[ "$m2" = $W0 ] && restored=$((restored + 1))
			agent_stop; rc=$arc
			m3=$(cat $V/watermark_scale_factor)
			[ "$m3" = $W0 ] && stopped=$((stopped + 1))
			echo "series wmkill k=$k wsf_at_kill=$m wsf_after_restart=$m2 wsf_after_stop=$m3 rc=$rc"
			echo $W0 >$V/watermark_scale_factor
		done
		say wmark_kill9 kills=$k raised_at_kill=$raised restored_on_restart=$restored original_after_stop=$stopped
	else
		say wmark agent_failed=1
	fi
	dump_log wm
	[ -f $S/wmk.log ] && tail -n 40 $S/wmk.log | sed 's/^/wmk: /'
fi
# ---- frag: the guard's compaction, seen in /proc/buddyinfo ------------------
# Free blocks of order >= 3 (FRAG_WARN_ORDER) in node 0's DMA32 zone, the
# one the agent judges in this 1 GiB guest: "blocks=N pages=N".
bi3() {
	awk '$2 == "0," && $4 == "DMA32" { b = 0; p = 0; m = 8; for (i = 8; i <= NF; i++) { b += $i; p += $i * m; m *= 2 }; print "blocks=" b " pages=" p }' /proc/buddyinfo
}
if has_phase frag; then
	# The kernel's own background compaction off, so only the trigger acts.
	P0=$(cat $V/compaction_proactiveness)
	echo 0 >$V/compaction_proactiveness
	echo 1 >$V/compact_memory
	free=$(awk '$1 == "MemFree:" { print int($2 / 1024) }' /proc/meminfo)
	mib=$((free - ${GG_FRAG_LEAVE:-80}))
	./fragmem $mib >$S/fragmem.out 2>&1 &
	fm=$!
	i=0
	while ! grep -q fragmem: $S/fragmem.out && [ $i -lt 600 ]; do msleep 100; i=$((i + 1)); done
	cat $S/fragmem.out
	say frag_before $(bi3) memfree_mib=$free fragmem_mib=$mib
	grep -E '^Node 0, zone +DMA32' /proc/buddyinfo | sed 's/^/series frag before: /'
	sleep 5
	say frag_idle $(bi3)
	grep -E '^Node 0, zone +DMA32' /proc/buddyinfo | sed 's/^/series frag idle: /'
	{ conf_head; cat <<CONF
metrics_textfile = $S/frag.prom
[guard watermark]
mode = act
compact = yes
proactiveness = 0
CONF
	} >$S/frag.conf
	if agent_start frag; then
		i=0
		while ! grep -q 'compaction: /' $S/frag.log && [ $i -lt 200 ]; do msleep 100; i=$((i + 1)); done
		sleep 2	# the write returns when compaction is done; one more tick for the metrics file
		say frag_after $(bi3) logged=$(grep -c 'compaction: /' $S/frag.log) \
			actions=$(awk '/^headroom_guard_actions_total\{guard="watermark",action="compact"\}/ { print $2 }' $S/frag.prom)
		grep -E '^Node 0, zone +DMA32' /proc/buddyinfo | sed 's/^/series frag after: /'
		agent_stop
		say frag_stop agent_rc=$arc
	else
		say frag agent_failed=1
	fi
	kill $fm
	wait $fm 2>/dev/null
	echo $P0 >$V/compaction_proactiveness
	dump_log frag
fi
exit 0
