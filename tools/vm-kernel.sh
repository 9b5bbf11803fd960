#!/usr/bin/env bash
# tools/vm-kernel.sh - fetches Debian's cloud kernel for the cgroup v2 tests
# that run under qemu (tests/integration/*_vm.sh), without installing it:
# `apt-get download` + `dpkg-deb -x` into $HR_VM_DIR (default
# /var/tmp/headroom-vm). See /work/shared/VMTEST.md for why the cloud flavour
# (memcg, PSI, NVMe and ext4 built in) and why TCG. Prints the vmlinuz path.
set -euo pipefail
dir=${HR_VM_DIR:-/var/tmp/headroom-vm}
mkdir -p "$dir"
cd "$dir"
pkg=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-/ { print $2; exit }')
[ -n "$pkg" ] || { echo "vm-kernel: no linux-image-cloud-amd64 in the apt lists (apt-get update?)" >&2; exit 1; }
if ! ls "$dir"/root/boot/vmlinuz-* >/dev/null 2>&1; then
	apt-get download "$pkg" >/dev/null 2>&1
	dpkg-deb -x "$pkg"_*.deb root
	rm -f "$pkg"_*.deb
fi
ls "$dir"/root/boot/vmlinuz-* | sort -V | tail -1
