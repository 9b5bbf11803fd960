# guest-metrics.sh - runs inside the qemu guest (tests/vm/vm-run.sh) for
# tests/integration/metrics_v2_vm.sh: a kubelet-shaped cgroup v2 tree (systemd
# driver names) with one container filled with page cache to its memory.max
# and one whose anonymous memory is OOM-killed at its limit; then prints
# `headroom check --area memcg --format=prometheus`. The guest is ours alone.
. ./guest-kubepods.sh
dd if=/dev/zero of=$S/fill bs=1M count=96 2>/dev/null
sync
echo 3 >/proc/sys/vm/drop_caches	# our own guest: nothing else lives here
sh -c "echo \$\$ >$C/cgroup.procs && exec dd if=$S/fill of=/dev/null bs=1M 2>/dev/null" || exit 16
sh -c "echo \$\$ >$O/cgroup.procs && exec ./hog 128"
echo "hog-status $?"
echo "c-events-max $(awk '$1 == "max" { print $2 }' $C/memory.events)"
echo "o-oom-kill $(awk '$1 == "oom_kill" { print $2 }' $O/memory.events)"
./headroom check --area memcg --format=prometheus >$S/out.prom
echo "check-rc $?"
echo "=== prom"
cat $S/out.prom
echo "=== end"
exit 0
