#!/usr/bin/env bash
# net-proof.sh - boots one cached Debian kernel under qemu (tests/vm/vm-run.sh)
# and runs the network proof in it (guest-net.sh, one boot, variants
# interleaved in rounds), then prints the table (net_table.py).
#
#   net-proof.sh [-t TIMEOUT_S] SERIES [NAME=VALUE...]
#     SERIES      kernel series in the VM cache: 5.10, 6.1, ...
#     NAME=VALUE  passed to guest-net.sh (ROUNDS, SECS, VARIANTS, DVARIANTS, ...)
#
# Environment: HEADROOM (the binary, default ./headroom), HEADROOM_VM_CACHE.
# Exit: 0, 77 (skipped: no qemu, no such kernel, no compiler; the reason on
# the last line), 1 (the guest failed or timed out), the raw rows are in
# $NET_PROOF_OUT when that is set.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
HR=${HEADROOM:-$repo/headroom}
timeout_s=600
skip() { echo "skipped: $*"; exit 77; }
while getopts t: opt; do
	case $opt in
	t) timeout_s=$OPTARG ;;
	*) echo "usage: net-proof.sh [-t TIMEOUT_S] SERIES [NAME=VALUE...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: net-proof.sh [-t TIMEOUT_S] SERIES [NAME=VALUE...]" >&2; exit 2; }
series=$1; shift
[ -x "$HR" ] || skip "no headroom binary at $HR"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 missing (run tests/vm/vm-setup.sh)"
command -v python3 >/dev/null || skip "python3 missing (for the table)"
cache=${HEADROOM_VM_CACHE:-/var/cache/headroom-vm}
kernel=$(ls -d "$cache"/kernels/"$series".*/boot/vmlinuz-"$series".* 2>/dev/null | sort -V | tail -1)
[ -n "$kernel" ] || skip "no cached $series kernel (run tests/vm/vm-setup.sh$([ "$series" = 5.10 ] && echo ' -s bullseye'))"
command -v cc >/dev/null || skip "no C compiler for netload"
work=$(mktemp -d "${TMPDIR:-/tmp}/hr-netproof-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/payload"
cp "$HR" "$work/payload/headroom"
cc -std=c17 -O2 -static -o "$work/payload/netload" "$here/netload.c" || skip "cannot build netload statically"
cp "$here/guest-net.sh" "$work/payload/guest.sh"
envs=()
for kv in "$@"; do envs+=(-e "$kv"); done
"$repo/tests/vm/vm-run.sh" -k "$kernel" -d 1024 -m 1024 -t "$timeout_s" "${envs[@]}" -- \
	"$work/payload" sh ./guest.sh >"$work/out" 2>&1
rc=$?
[ -n "${NET_PROOF_OUT:-}" ] && cp "$work/out" "$NET_PROOF_OUT"
grep -E '^(note|FAIL|guest):' "$work/out"
python3 "$here/net_table.py" <"$work/out"
case $rc in
0) exit 0 ;;
124) echo "FAIL: the guest timed out after ${timeout_s} s"; tail -20 "$work/out"; exit 1 ;;
125) tail -20 "$work/out"; skip "the VM did not report a status (qemu/kernel problem)" ;;
*) tail -30 "$work/out"; exit 1 ;;
esac
