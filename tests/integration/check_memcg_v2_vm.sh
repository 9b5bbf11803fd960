#!/usr/bin/env bash
# check_memcg_v2_vm.sh - `headroom check --area memcg` on a real cgroup v2
# kernel: Debian's cloud kernel (tools/vm-kernel.sh) under qemu TCG, with a
# busybox initramfs carrying the headroom binary and an ext4 scratch disk for
# real page cache (see /work/shared/VMTEST.md). In the guest:
#   1. /hr-app, memory.max 64 MiB, filled by reading a cold 96 MiB file:
#      memcg.near_limit (usage within 3 % of memory.current, file cache
#      large) and memcg.limit_hits (memory.events.local max > 0);
#   2. /hr-parent with children c1 and c2; c1 reads a cold 48 MiB file and is
#      removed: memcg.dead_charges at /hr-parent within 10 % of the parent's
#      file minus c2's, and cgroup.stat counts the dying child.
# Nothing on the host is mounted or changed. Exit 0 pass, 77 skip, else fail.
set -uo pipefail
HEADROOM=${HEADROOM:-./headroom}
MIB=$((1 << 20))
skip() { echo "skip: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

for c in qemu-system-x86_64 cpio mkfs.ext4 python3 ldd; do
	command -v "$c" >/dev/null || skip "$c missing (tools/install-deps.sh vm)"
done
bb=$(command -v busybox) || skip "busybox-static missing (tools/install-deps.sh vm)"
file -L "$bb" 2>/dev/null | grep -q 'statically linked' || skip "$bb is not static (busybox-static)"
kdir=${HR_VM_DIR:-/var/tmp/headroom-vm}/root
kernel=$(find "$kdir/boot" -name 'vmlinuz-*cloud*' 2>/dev/null | sort -V | tail -1)
[ -n "$kernel" ] || skip "no cloud kernel in $kdir: run tools/vm-kernel.sh"
[ -x "$HEADROOM" ] || fail "HEADROOM=$HEADROOM is not executable"

work=$(mktemp -d /var/tmp/hr-memcg-vm.XXXXXX) || fail mktemp
trap 'rm -rf "$work"' EXIT
ir=$work/initramfs
mkdir -p "$ir"/{bin,proc,sys,dev,mnt/scratch,payload,tmp}
cp "$bb" "$ir/bin/busybox"
cp "$HEADROOM" "$ir/payload/headroom"
# The shared libraries of the (dynamic) headroom binary, at their own paths.
ldd "$HEADROOM" | grep -o '/[^ ]*' | while read -r lib; do
	mkdir -p "$ir$(dirname "$lib")"
	cp -L "$lib" "$ir$lib"
done

cat >"$ir/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t ext4 -o noinit_itable /dev/nvme0n1 /mnt/scratch
cd /payload
sh ./guest.sh
rc=$?
echo "$rc" >/dev/ttyS1
stty -F /dev/ttyS1 sane 2>/dev/null
poweroff -f
EOF
chmod +x "$ir/init"

cat >"$ir/payload/guest.sh" <<'EOF'
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
EOF

(cd "$ir" && find . | cpio -o -H newc 2>/dev/null) >"$work/initramfs.cpio" || fail "cpio"
truncate -s 512M "$work/scratch.img"
mkfs.ext4 -q -F -E lazy_itable_init=1 "$work/scratch.img" || fail "mkfs.ext4"
: >"$work/status"

t0=$(date +%s)
timeout 300 qemu-system-x86_64 -accel tcg,thread=multi -cpu max -m 768 -smp 2 \
	-nographic -no-reboot -nodefaults \
	-kernel "$kernel" -initrd "$work/initramfs.cpio" \
	-append "console=ttyS0 panic=-1 quiet cryptomgr.notests" \
	-chardev stdio,id=c0 -serial chardev:c0 -serial "file:$work/status" \
	-drive "file=$work/scratch.img,if=none,id=d0,format=raw,cache=unsafe" \
	-device nvme,drive=d0,serial=hrscratch </dev/null >"$work/console" 2>&1
qrc=$?
t1=$(date +%s)
tr -d '\r' <"$work/console" >"$work/out"
status=$(tr -dc '0-9' <"$work/status")
echo "measured: qemu TCG run $((t1 - t0)) s (qemu exit $qrc, guest status ${status:-none})"
[ "$qrc" -ne 124 ] || fail "qemu timed out after 300 s"
[ "$status" = 0 ] || { tail -40 "$work/out"; fail "guest test status ${status:-none}"; }

# Console escape sequences can precede a line: match the key anywhere.
val() { sed -n "s/.*$1 \([0-9][0-9]*\).*/\1/p" "$work/out" | head -1; }
sed -n '/^=== json$/,/^=== end$/p' "$work/out" | sed '1d;$d' >"$work/out.json"
python3 - "$work/out.json" "$(val app-current)" "$(val app-events-max)" "$(val parent-file)" \
	"$(val c2-file)" "$(val parent-dying)" "$(val c1-file)" "$MIB" <<'EOF' || { tail -60 "$work/out"; fail "assertions"; }
import json, sys
path, cur, evmax, pfile, c2file, dying, c1file, mib = sys.argv[1:]
cur, evmax, pfile, c2file, dying, c1file, mib = map(int, (cur, evmax, pfile, c2file, dying, c1file, mib))
d = json.load(open(path))
f = {(x["id"], x["subject"]): x["facts"] for x in d["findings"]}
def need(k):
    if k not in f:
        sys.exit("missing finding %s %s; have %s" % (k + (sorted(f),)))
    return f[k]
n = need(("memcg.near_limit", "/hr-app"))
print("measured: v2 near_limit /hr-app usage_bytes=%d (memory.current %d) limit=%d file=%d limit_file=%s"
      % (n["usage_bytes"], cur, n["limit_bytes"], n["file_bytes"], n["limit_file"]))
assert n["limit_bytes"] == 64 * mib and n["limit_file"] == "memory.max", n
assert abs(n["usage_bytes"] - cur) <= cur * 3 / 100, (n["usage_bytes"], cur)
assert n["file_bytes"] >= 48 * mib, n
h = need(("memcg.limit_hits", "/hr-app"))
print("measured: v2 limit_hits events_max=%d (memory.events.local max %d)" % (h["events_max"], evmax))
assert evmax > 0 and abs(h["events_max"] - evmax) <= max(2, evmax // 50), (h, evmax)
g = need(("memcg.dead_charges", "/hr-parent"))
want = pfile - c2file
print("measured: v2 dead_charges /hr-parent dead_cache_bytes=%d (file - c2 file = %d; c1 read %d; dying %d)"
      % (g["dead_cache_bytes"], want, c1file, dying))
assert c1file >= 40 * mib, c1file
assert abs(g["dead_cache_bytes"] - want) <= want / 10, (g, want)
assert g["dead_cache_bytes"] >= 40 * mib, g
assert dying >= 1 and g.get("dying_descendants", dying) >= 1, (dying, g)
EOF
echo ok
