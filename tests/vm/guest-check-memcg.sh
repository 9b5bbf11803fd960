# guest-check-memcg.sh - runs inside the qemu guest (tests/vm/vm-run.sh) for
# tests/integration/check_memcg_v2_vm.sh: builds the cgroup v2 cases and prints
# `headroom check --area memcg --json` with the kernel's own numbers beside it.
# The guest is ours alone, so dropping its caches here touches nothing else.
CG=/sys/fs/cgroup
S=/mnt/scratch
echo +memory >$CG/cgroup.subtree_control || exit 10
dd if=/dev/zero of=$S/fill bs=1M count=96 2>/dev/null
dd if=/dev/zero of=$S/cold bs=1M count=48 2>/dev/null
sync
echo 3 >/proc/sys/vm/drop_caches	# our own guest: nothing else lives here
mkdir $CG/hr-app || exit 11
echo $((64 << 20)) >$CG/hr-app/memory.max || exit 12
sh -c "echo \$\$ >$CG/hr-app/cgroup.procs && exec dd if=$S/fill of=/dev/null bs=1M 2>/dev/null" || exit 13

mkdir $CG/hr-parent || exit 14
echo +memory >$CG/hr-parent/cgroup.subtree_control || exit 15
mkdir $CG/hr-parent/c1 $CG/hr-parent/c2 || exit 16
sh -c "echo \$\$ >$CG/hr-parent/c1/cgroup.procs && exec dd if=$S/cold of=/dev/null bs=1M 2>/dev/null" || exit 17
echo "c1-file $(awk '$1 == "file" { print $2 }' $CG/hr-parent/c1/memory.stat)"
rmdir $CG/hr-parent/c1 || exit 18

./headroom check --area memcg --json >$S/out.json
echo "check-rc $?"
echo "app-current $(cat $CG/hr-app/memory.current)"
echo "app-events-max $(awk '$1 == "max" { print $2 }' $CG/hr-app/memory.events.local)"
echo "parent-file $(awk '$1 == "file" { print $2 }' $CG/hr-parent/memory.stat)"
echo "c2-file $(awk '$1 == "file" { print $2 }' $CG/hr-parent/c2/memory.stat)"
echo "parent-dying $(awk '$1 == "nr_dying_descendants" { print $2 }' $CG/hr-parent/cgroup.stat)"
echo "=== json"
cat $S/out.json
echo "=== end"
exit 0
