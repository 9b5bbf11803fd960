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
. tests/integration/lib_vm.bash
command -v promtool >/dev/null || skip "promtool missing (tools/install-deps.sh test)"
vm_hog
vm_boot 256 768 300 tests/vm/guest-metrics.sh
vm_section prom >"$work/out.prom"
promtool check metrics <"$work/out.prom" || fail "promtool check metrics on the guest's output"
python3 - "$work/out.prom" "$(vm_val c-events-max)" "$(vm_val o-oom-kill)" <<'EOF2' || { tail -60 "$work/out"; fail "assertions"; }
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
