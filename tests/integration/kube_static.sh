#!/usr/bin/env bash
# kube_static.sh - the binary of the FROM scratch image (make headroom-static):
# no program interpreter (fully static), and it runs in an empty chroot (what
# the image holds: the binary and the host mounted at /host) against a
# captured fixture with output identical to the dynamic build's goldens
# (--format=prometheus and --json). Exit 0 pass, 77 skip, else fail. Root
# only (chroot).
set -uo pipefail
cd "$(dirname "$0")/../.."
skip() { echo "skip: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
[ "$(id -u)" -eq 0 ] || skip "needs root (chroot)"
make -s headroom-static >/dev/null 2>&1 || fail "make headroom-static"
python3 - headroom-static <<'PY' || fail "headroom-static has a program interpreter (not static)"
import struct, sys
d = open(sys.argv[1], "rb").read()
assert d[:4] == b"\x7fELF" and d[4] == 2
phoff, = struct.unpack_from("<Q", d, 0x20)
phentsize, phnum = struct.unpack_from("<HH", d, 0x36)
types = [struct.unpack_from("<I", d, phoff + i * phentsize)[0] for i in range(phnum)]
sys.exit(1 if 3 in types else 0)	# PT_INTERP
PY
tmp=$(mktemp -d) || fail mktemp
trap 'rm -rf "$tmp"' EXIT
cp headroom-static "$tmp/headroom"
cp -a tests/fixtures/6.18.44-vm-x86_64 "$tmp/host"
for g in prom-real-6.18.44-vm real-6.18.44-vm-all; do
	args=$(sed -e 's|--root tests/fixtures/6.18.44-vm-x86_64|--root /host|' tests/golden/$g.cmd)
	# shellcheck disable=SC2086
	out=$(NO_COLOR=1 chroot "$tmp" /headroom $args); rc=$?
	[ "$rc" = "$(cat tests/golden/$g.rc)" ] || fail "$g: exit $rc"
	# The golden names the root path it was given; the chroot's is /host.
	diff <(sed 's|"root": "tests/fixtures/6.18.44-vm-x86_64"|"root": "/host"|' tests/golden/$g.ok) \
		<(printf '%s\n' "$out") >"$tmp/diff" || { head -20 "$tmp/diff"; fail "$g differs from its golden"; }
done
echo "measured: headroom-static $(stat -c %s headroom-static) bytes, runs in an empty chroot"
