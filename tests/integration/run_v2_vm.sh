#!/usr/bin/env bash
# run_v2_vm.sh - `headroom run` on a real cgroup v2 kernel (Debian cloud 6.1,
# memory.reclaim) under qemu, with tests/vm/. In the guest (tests/vm/guest-run-v2.sh):
# a 128 MiB memcg, a file 3x the limit pushed through the page cache, first
# without the agent, then with it; memory.events max must not grow with the
# agent; then journal replay on v2 (planted records); then dry run on v2:
# the write --dry-run stops at equals reclaim mode's first (v2-reclaim, v2-high). Skips (77) when qemu or the kernel is not set up
# (tests/vm/vm-setup.sh, as root, sets them up).
set -uo pipefail
cd "$(dirname "$0")/../.."
HR=${HEADROOM:-$PWD/headroom}
skip() { echo "$*"; exit 77; }
[ -x "$HR" ] || skip "no headroom binary at $HR"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 missing (run tests/vm/vm-setup.sh)"
ls "${HEADROOM_VM_CACHE:-/var/cache/headroom-vm}"/kernels/*/boot/vmlinuz-* >/dev/null 2>&1 ||
	skip "no cached guest kernel (run tests/vm/vm-setup.sh)"
command -v cc >/dev/null || skip "no C compiler for the workload helper"
work=$(mktemp -d "${TMPDIR:-/tmp}/hr-run-vm-XXXXXX")
trap '[ "$BASHPID" = "$$" ] && rm -rf "$work"' EXIT
mkdir "$work/payload"
cp "$HR" "$work/payload/headroom"
cc -O2 -static -o "$work/payload/hr_load" tests/integration/hr_load.c 2>/dev/null ||
	cc -O2 -o "$work/payload/hr_load" tests/integration/hr_load.c || skip "cannot build hr_load"
cc -O2 -static -std=c17 -Isrc -o "$work/payload/hr_jrec" tests/integration/hr_jrec.c src/act/journal.c \
	src/kernel/root.c src/snapshot/memcg.c src/util/parse.c || skip "cannot build hr_jrec"
cp tests/vm/guest-run-v2.sh "$work/payload/guest.sh"
tests/vm/vm-run.sh -d 768 -m 1024 -t 400 -- "$work/payload" sh ./guest.sh >"$work/out" 2>&1
rc=$?
grep -E '^(measured|note|FAIL|guest):' "$work/out"
case $rc in
0) exit 0 ;;
124) echo "FAIL: the guest test timed out"; tail -30 "$work/out"; exit 1 ;;
125) tail -30 "$work/out"; skip "the VM did not report a status (qemu/kernel problem)" ;;
*) tail -40 "$work/out"; exit 1 ;;
esac
