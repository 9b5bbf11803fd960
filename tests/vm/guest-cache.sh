# guest-cache.sh - runs inside the qemu guest (tests/vm/vm-run.sh) for
# tests/integration/cache_v2_vm.sh: `headroom cache` on cgroup v2.
#  1. a 16 MiB file read inside /hr-p/a, then /hr-p/a removed: prints
#     `cache --json --expect /hr-p/a` (the pages must be charged above it);
#  2. 1 MiB of it mlocked by ./locker, `cache --json --recharge /hr-p/b`:
#     prints it with /hr-p/b's memory.current before and after.
# The guest is ours alone.
CG=/sys/fs/cgroup
S=/mnt/scratch
echo +memory >$CG/cgroup.subtree_control || exit 10
mkdir $CG/hr-p || exit 11
echo +memory >$CG/hr-p/cgroup.subtree_control || exit 12
mkdir $CG/hr-p/a || exit 13
dd if=/dev/zero of=$S/data bs=1M count=16 2>/dev/null
sync
echo 3 >/proc/sys/vm/drop_caches	# our own guest: nothing else lives here
sh -c "echo \$\$ >$CG/hr-p/a/cgroup.procs && exec dd if=$S/data of=/dev/null bs=1M 2>/dev/null" || exit 14
echo "a-file $(awk '$1 == "file" { print $2 }' $CG/hr-p/a/memory.stat)"
rmdir $CG/hr-p/a || exit 15
# Offlining after rmdir is asynchronous; kpagecgroup names the live ancestor
# once it is done. Bounded wait: the host side checks the result.
i=0
while [ $i -lt 50 ]; do
	./headroom cache --json --expect /hr-p/a $S/data >$S/expect.json
	rc=$?
	grep -q '"relation": *"unknown"' $S/expect.json || break
	i=$((i + 1))
	sleep 0.2
done
echo "expect-rc $rc"
echo "expect-scans $((i + 1))"
echo "dying $(awk '$1 == "nr_dying_descendants" { print $2 }' $CG/hr-p/cgroup.stat)"
./headroom cache --expect /hr-p/a $S/data >$S/expect.txt
echo "=== expect"
cat $S/expect.json
echo "=== end"
echo "=== expect-text"
cat $S/expect.txt
echo "=== end"

./locker $S/data 1048576 >$S/locker.out &
locker=$!
i=0
while [ $i -lt 100 ] && ! grep -q . $S/locker.out; do i=$((i + 1)); sleep 0.1; done
echo "locker $(cat $S/locker.out)"
mkdir $CG/hr-p/b || exit 16
echo "b-before $(cat $CG/hr-p/b/memory.current)"
./headroom cache --json --recharge /hr-p/b $S/data >$S/recharge.json
echo "recharge-rc $?"
echo "b-after $(cat $CG/hr-p/b/memory.current)"
kill $locker
echo "=== recharge"
cat $S/recharge.json
echo "=== end"
exit 0
