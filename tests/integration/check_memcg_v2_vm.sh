#!/usr/bin/env bash
# check_memcg_v2_vm.sh - `headroom check --area memcg` on a real cgroup v2
# kernel: Debian's cloud kernel under qemu TCG (tests/vm/vm-run.sh, set up by
# tests/vm/vm-setup.sh), with an ext4 scratch disk for real page cache. In the
# guest (tests/vm/guest-check-memcg.sh):
#   1. /hr-app, memory.max 64 MiB, filled by reading a cold 96 MiB file:
#      memcg.near_limit (usage within 3 % of memory.current, file cache
#      large) and memcg.limit_hits (memory.events.local max > 0);
#   2. /hr-parent with children c1 and c2; c1 reads a cold 48 MiB file and is
#      removed: memcg.dead_charges at /hr-parent within 10 % of the parent's
#      file minus c2's, and cgroup.stat counts the dying child.
# Nothing on the host is mounted or changed. Exit 0 pass, 77 skip, else fail.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib_vm.bash
MIB=$((1 << 20))
vm_boot 512 768 300 tests/vm/guest-check-memcg.sh

# Console escape sequences can precede a line: match the key anywhere.
vm_section json >"$work/out.json"
python3 - "$work/out.json" "$(vm_val app-current)" "$(vm_val app-events-max)" "$(vm_val parent-file)" \
	"$(vm_val c2-file)" "$(vm_val parent-dying)" "$(vm_val c1-file)" "$MIB" <<'EOF' || { tail -60 "$work/out"; fail "assertions"; }
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
