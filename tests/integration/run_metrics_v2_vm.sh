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
. tests/integration/lib_vm.bash
command -v promtool >/dev/null || skip "promtool missing (tools/install-deps.sh test)"
vm_hog
vm_boot 256 768 400 tests/vm/guest-run-metrics.sh
vm_section prom >"$work/out.prom"
vm_section log >"$work/agent.log"
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
