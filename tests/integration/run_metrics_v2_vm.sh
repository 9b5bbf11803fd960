#!/usr/bin/env bash
# run_metrics_v2_vm.sh - `headroom run` as the node agent on a real cgroup v2
# kernel (Debian's cloud kernel under qemu TCG, tests/vm/vm-run.sh; guest side
# tests/vm/guest-run-metrics.sh): the agent's own textfile, written after a
# 1 s judgement pass, must
#   1. pass promtool check metrics;
#   2. carry the filled container's limit hits (event="max" > 0) with its
#      pod_uid / container_id labels and the bytes the agent reclaimed from
#      it under its reclaim policy (> 0);
#   3. count the guest kernel's real OOM kill of the other container:
#      headroom_kernel_incidents_total{kind="oom_kill"} >= 1, and the agent
#      logged "kernel incident oom_kill" once for it.
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
work=$(mktemp -d "${TMPDIR:-/tmp}/hr-run-metrics-vm.XXXXXX") || fail mktemp
trap 'rm -rf "$work"' EXIT
mkdir "$work/payload"
cp "$HEADROOM" "$work/payload/headroom"
cp tests/vm/guest-run-metrics.sh "$work/payload/guest.sh"
cat >"$work/hog.c" <<'C'
#include <stdlib.h>
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
tests/vm/vm-run.sh -d 256 -m 768 -t 400 -- "$work/payload" sh ./guest.sh >"$work/out" 2>&1
rc=$?
echo "measured: qemu TCG run $(($(date +%s) - t0)) s (guest status $rc)"
case $rc in
0) ;;
124) tail -30 "$work/out"; fail "the guest test timed out" ;;
125) tail -30 "$work/out"; skip "the VM did not report a status (qemu/kernel problem)" ;;
*) tail -40 "$work/out"; fail "guest test status $rc" ;;
esac
sed -n '/^=== prom/,/^=== end/p' "$work/out" | sed '1d;$d' | tr -d '\r' >"$work/out.prom"
sed -n '/^=== log/,/^=== end/p' "$work/out" | sed '1d;$d' | tr -d '\r' >"$work/agent.log"
promtool check metrics <"$work/out.prom" || { cat "$work/agent.log"; tail -30 "$work/out"; fail "promtool check metrics on the agent's textfile"; }
n=$(grep -c "kernel incident oom_kill: hog pid [0-9]* in .*cri-containerd-0000000000" "$work/agent.log")
[ "$n" = 1 ] || { cat "$work/agent.log"; fail "the OOM kill was logged $n times, want 1"; }
python3 - "$work/out.prom" "$work/out" <<'EOF2' || { tail -60 "$work/out"; fail "assertions"; }
import re, sys
text = open(sys.argv[1]).read()
uid = "6f0a4c2e-1b7d-4e8a-9c3f-2d5e6f7a8b9c"
cid = "3f1e2d3c4b5a69788796a5b4c3d2e1f03f1e2d3c4b5a69788796a5b4c3d2e1f0"
def val(pat):
    m = re.search(pat, text, re.M)
    if not m:
        sys.exit("no series matching " + pat)
    return float(m.group(1))
hits = val(r'^headroom_memcg_limit_hits_total\{qos="burstable",pod_uid="%s",container_id="%s",event="max"\} (\S+)$' % (uid, cid))
recl = val(r'^headroom_memcg_reclaimed_bytes_total\{[^}]*container_id="%s"[^}]*\} (\S+)$' % cid)
ooms = val(r'^headroom_kernel_incidents_total\{kind="oom_kill"\} (\S+)$')
# The exported hits are the kernel's memory.events max, whatever it is: the
# agent reclaiming in time (since the first look from idle, often 0 hits)
# must not fail the test, a series that disagrees with the kernel must.
ev = re.search(r'^c-events-max (\d+)', open(sys.argv[2]).read().replace('\r', ''), re.M)
if not ev:
    sys.exit("the guest printed no c-events-max")
print("measured: v2 guest agent: limit hits max %d (memory.events max %s), reclaimed %d bytes, oom_kill incidents %d" % (hits, ev.group(1), recl, ooms))
assert hits == int(ev.group(1)) and recl > 0 and ooms >= 1, (hits, ev.group(1), recl, ooms)
EOF2
