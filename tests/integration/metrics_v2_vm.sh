#!/usr/bin/env bash
# metrics_v2_vm.sh - `headroom check --format=prometheus` on a real cgroup v2
# kernel (Debian's cloud kernel under qemu TCG, tests/vm/vm-run.sh): in the
# guest (tests/vm/guest-metrics.sh) a kubelet-shaped tree, systemd driver:
#   1. a container filled with page cache to its 64 MiB memory.max: its
#      headroom_memcg_limit_hits_total{event="max"} equals memory.events max
#      (> 0), labelled with qos, pod_uid (dashes restored) and container_id;
#   2. a container whose anonymous memory is OOM-killed at 32 MiB: its
#      event="oom_kill" series equals memory.events oom_kill (>= 1);
#   3. the whole output passes promtool check metrics.
# Nothing on the host is mounted or changed. Exit 0 pass, 77 skip, else fail.
set -uo pipefail
cd "$(dirname "$0")/../.."
HEADROOM=${HEADROOM:-$PWD/headroom}
skip() { echo "skip: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
[ -x "$HEADROOM" ] || fail "HEADROOM=$HEADROOM is not executable"
command -v promtool >/dev/null || skip "promtool missing (tools/install-deps.sh test)"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 missing (run tests/vm/vm-setup.sh)"
ls "${HEADROOM_VM_CACHE:-/var/cache/headroom-vm}"/kernels/*/boot/vmlinuz-* >/dev/null 2>&1 ||
	skip "no cached guest kernel (run tests/vm/vm-setup.sh)"
work=$(mktemp -d "${TMPDIR:-/tmp}/hr-metrics-vm.XXXXXX") || fail mktemp
trap 'rm -rf "$work"' EXIT
mkdir "$work/payload"
cp "$HEADROOM" "$work/payload/headroom"
cp tests/vm/guest-metrics.sh "$work/payload/guest.sh"
# The OOM victim: touches N MiB of anonymous memory, page by page.
cat >"$work/hog.c" <<'C'
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv)
{
	size_t n = (size_t)atoi(argv[1]) << 20;
	char *p = malloc(n);
	for (size_t i = 0; p && i < n; i += 4096)
		p[i] = 1;
	return 0;
}
C
cc -O0 -o "$work/payload/hog" "$work/hog.c" || fail "cannot build the hog"
t0=$(date +%s)
tests/vm/vm-run.sh -d 256 -m 768 -t 300 -- "$work/payload" sh ./guest.sh >"$work/out" 2>&1
rc=$?
echo "measured: qemu TCG run $(($(date +%s) - t0)) s (guest status $rc)"
case $rc in
0) ;;
124) tail -30 "$work/out"; fail "the guest test timed out" ;;
125) tail -30 "$work/out"; skip "the VM did not report a status (qemu/kernel problem)" ;;
*) tail -40 "$work/out"; fail "guest test status $rc" ;;
esac
val() { sed -n "s/.*$1 \([0-9][0-9]*\).*/\1/p" "$work/out" | head -1; }
sed -n '/^=== prom/,/^=== end/p' "$work/out" | sed '1d;$d' | tr -d '\r' >"$work/out.prom"
promtool check metrics <"$work/out.prom" || fail "promtool check metrics on the guest's output"
python3 - "$work/out.prom" "$(val c-events-max)" "$(val o-oom-kill)" <<'EOF2' || { tail -60 "$work/out"; fail "assertions"; }
import re, sys
path, evmax, ooms = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
text = open(path).read()
uid = "6f0a4c2e-1b7d-4e8a-9c3f-2d5e6f7a8b9c"
cid = "3f1e2d3c4b5a69788796a5b4c3d2e1f03f1e2d3c4b5a69788796a5b4c3d2e1f0"
cid2 = "0" * 61 + "bad"
def value(cid_, event):
    m = re.search(r'^headroom_memcg_limit_hits_total\{qos="burstable",pod_uid="%s",container_id="%s",'
                  r'event="%s"\} (\d+)$' % (uid, cid_, event), text, re.M)
    if not m:
        sys.exit("no limit_hits series for %s %s" % (cid_, event))
    return int(m.group(1))
hits, kills = value(cid, "max"), value(cid2, "oom_kill")
print("measured: v2 guest: memory.events max %d exported %d; oom_kill %d exported %d" % (evmax, hits, ooms, kills))
assert evmax > 0 and hits == evmax, (evmax, hits)
assert ooms >= 1 and kills == ooms, (ooms, kills)
EOF2
