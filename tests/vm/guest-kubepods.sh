# guest-kubepods.sh - sourced by guest scripts (tests/vm/vm-run.sh copies it
# into /payload through tests/integration/lib_vm.bash): a kubelet-shaped
# cgroup v2 tree, systemd driver names, with two containers of one burstable
# pod: C (memory.max 64 MiB) and O (32 MiB, no swap). Sets CG, S, UIDU, CID,
# CID2, K, Q, P, C, O; exits 10-15 when the tree cannot be made.
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
