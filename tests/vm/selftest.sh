#!/usr/bin/env bash
# selftest.sh - check that vm-setup.sh and vm-run.sh work on this machine.
#
# Runs vm-setup.sh, then boots the VM once per check:
#   exit-status  a payload "exit 7" returns 7
#   memcg        in a cgroup with memory.max=128M, a 96 MB file written and
#                read on the NVMe ext4 scratch disk is charged as page cache,
#                and memory.reclaim=32M lowers memory.current
#   timeout      "sleep 100" with -t 8 returns 124
# With --extra, also:
#   dynamic      a dynamically linked host binary (/usr/bin/false) runs, 1
#   module       -M nf_conntrack loads the module and its dependencies
# The last line is "N passed, N failed"; the exit status is 0 when all passed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
extra=0
case ${1:-} in
--extra) extra=1 ;;
"") ;;
*) echo "usage: selftest.sh [--extra]" >&2; exit 2 ;;
esac

"$here/vm-setup.sh" >/dev/null

tmp=$(mktemp -d "${TMPDIR:-/tmp}/headroom-vm-selftest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

now() { date +%s.%N; }

# check NAME EXPECTED_STATUS VM_RUN_ARGS...
check() {
	local name=$1 want=$2 start rc=0 secs
	shift 2
	echo "=== $name: vm-run.sh $*"
	start=$(now)
	"$here/vm-run.sh" "$@" || rc=$?
	secs=$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
	if [[ $rc == "$want" ]]; then
		echo "PASS $name (status $rc, ${secs}s)"
		passed=$((passed + 1))
	else
		echo "FAIL $name (status $rc, want $want, ${secs}s)"
		failed=$((failed + 1))
	fi
}

mkdir "$tmp/empty"
check exit-status 7 -- "$tmp/empty" 'exit 7'

mkdir "$tmp/memcg"
cat >"$tmp/memcg/memcg.sh" <<'TEST'
#!/bin/sh
# Runs in the guest (busybox sh). Page cache on ext4 is reclaimable without
# swap; on the tmpfs rootfs it would be shmem and memory.reclaim would fail.
set -eu
cg=/sys/fs/cgroup/t
mkdir "$cg"
echo 128M >"$cg/memory.max"
echo $$ >"$cg/cgroup.procs"
dd if=/dev/zero of=/mnt/scratch/f bs=1M count=96 conv=fsync 2>/dev/null
dd if=/mnt/scratch/f of=/dev/null bs=1M 2>/dev/null
before=$(cat "$cg/memory.current")
file=$(sed -n 's/^file //p' "$cg/memory.stat")
echo "memory.current $before ($((before >> 20))M)"
echo "memory.stat file $file ($((file >> 20))M)"
if [ "$file" -lt $((64 << 20)) ]; then
	echo "FAIL: expected at least 64M of file cache in the cgroup"
	exit 1
fi
echo 32M >"$cg/memory.reclaim"
after=$(cat "$cg/memory.current")
echo "memory.current after reclaim $after ($((after >> 20))M)"
[ "$after" -lt "$before" ]
TEST
chmod +x "$tmp/memcg/memcg.sh"
check memcg 0 -d 512 -- "$tmp/memcg" ./memcg.sh

check timeout 124 -t 8 -- "$tmp/empty" 'sleep 100'

if ((extra)); then
	mkdir "$tmp/dynamic"
	cp /usr/bin/false "$tmp/dynamic/"
	check dynamic 1 -- "$tmp/dynamic" ./false
	check module 0 -M nf_conntrack -- "$tmp/empty" \
		'grep -q "^nf_conntrack " /proc/modules && test -e /proc/net/stat/nf_conntrack'
fi

echo "$passed passed, $failed failed"
((failed == 0))
