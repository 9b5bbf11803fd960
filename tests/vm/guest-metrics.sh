# guest-metrics.sh - runs inside the qemu guest (tests/vm/vm-run.sh) for
# tests/integration/metrics_v2_vm.sh: a kubelet-shaped cgroup v2 tree (systemd
# driver names) with one container filled with page cache to its memory.max
# and one whose anonymous memory is OOM-killed at its limit; then prints
# `headroom check --area memcg --format=prometheus`. The guest is ours alone.
CG=/sys/fs/cgroup
S=/mnt/scratch
UIDU=6f0a4c2e_1b7d_4e8a_9c3f_2d5e6f7a8b9c
CID=3f1e2d3c4b5a69788796a5b4c3d2e1f03f1e2d3c4b5a69788796a5b4c3d2e1f0
CID2=0000000000000000000000000000000000000000000000000000000000000bad
K=$CG/kubepods.slice
Q=$K/kubepods-burstable.slice
P=$Q/kubepods-burstable-pod$UIDU.slice
echo +memory >$CG/cgroup.subtree_control || exit 10
for d in $K $Q $P; do
	mkdir $d || exit 11
	echo +memory >$d/cgroup.subtree_control || exit 12
done
C=$P/cri-containerd-$CID.scope
O=$P/cri-containerd-$CID2.scope
mkdir $C $O || exit 13
echo $((64 << 20)) >$C/memory.max || exit 14
echo $((32 << 20)) >$O/memory.max || exit 15
[ -e $O/memory.swap.max ] && echo 0 >$O/memory.swap.max
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
