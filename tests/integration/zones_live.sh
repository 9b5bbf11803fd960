#!/usr/bin/env bash
# zones_live.sh - the zones and netswap areas on the real kernel: the numbers
# headroom reports must equal what this script reads from /proc and /sys
# itself, the kernel's min_free_kbytes formulas must reproduce the running
# value when THP raised it, and --interval must work under ASan (the
# snapshot round trip is check_snapshot.sh). Read-only: no sysctl is
# written, no swap is enabled.
set -uo pipefail
HR=${HEADROOM_ASAN:-${HEADROOM:-./headroom}}
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
[ -r /proc/zoneinfo ] && [ -r /proc/buddyinfo ] || { echo "no /proc/zoneinfo or /proc/buddyinfo"; exit 77; }
tmp=$(mktemp -d /tmp/hr-zones-$$-XXXX)
trap '[ "$BASHPID" = "$$" ] && rm -rf "$tmp"' EXIT

timeout 60 "$HR" check --area zones,netswap --json >"$tmp/live.json"; rc=$?
[ "$rc" -le 2 ] || { echo "check exited $rc"; exit 1; }

python3 - "$tmp/live.json" <<'PY' || exit 1
import json, math, sys
doc = json.load(open(sys.argv[1]))
ids = {f["id"]: f for f in doc["findings"]}
assert any(i.startswith("zones.") for i in ids), ids
assert any(i.startswith(("netswap.", "swap.", "writeback.")) for i in ids), ids
mfk = int(open("/proc/sys/vm/min_free_kbytes").read())
zones, cur = [], None
for line in open("/proc/zoneinfo"):
    t = line.split()
    if line.startswith("Node"):
        cur = {"name": t[3]}; zones.append(cur)
    elif cur is not None and len(t) == 2 and t[0] in ("managed", "present"):
        cur[t[0]] = int(t[1])
low = [z for z in zones if z["name"] in ("DMA", "DMA32", "Normal")]
lowmem = sum(z.get("managed", z.get("present", 0)) for z in low) * 4
default = max(128, min(262144, math.isqrt(lowmem * 16)))
for f in doc["findings"]:
    facts = f["facts"]
    if "min_free_kbytes" in facts:
        assert facts["min_free_kbytes"] == mfk, (facts, mfk)
    if "kernel_default_kbytes" in facts:
        # managed pages can grow between the two reads (memory hotplug)
        assert abs(facts["kernel_default_kbytes"] - default) <= default // 50 + 1, (facts, default)
    if "thp_recommended_kbytes" in facts and facts["thp_recommended_kbytes"]:
        pmd = int(open("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size").read())
        nz = sum(1 for z in low if z.get("present", 0))
        thp = min(pmd // 4096 * nz * 11 * 4, lowmem // 20)
        assert facts["thp_recommended_kbytes"] == thp, (facts, thp)
        print(f"measured: THP-raised min_free_kbytes formula gives {thp} kB, kernel runs with {mfk} kB")
ok = ids.get("zones.ok")
if ok and "atomic_zone" in ok["facts"]:
    name = ok["facts"]["atomic_zone"]
    for line in open("/proc/buddyinfo"):
        t = line.split()
        if t[3] == name and t[1] == "0,":
            counts = [int(x) for x in t[4:]]
            largest = max((o for o, c in enumerate(counts) if c), default=-1)
            got = ok["facts"]["atomic_zone_largest_free_order"]
            # the allocator moves between the two reads; order 10 blocks
            # come and go only under load
            assert abs(got - largest) <= 1, (got, largest)
            print(f"measured: zone {name} largest free order {got} (buddyinfo now {largest})")
print(f"measured: min_free_kbytes={mfk} kernel_default={default} lowmem_kb={lowmem}")
PY

timeout 60 "$HR" check --area zones,netswap --interval 1 --json >"$tmp/rate.json"; rc=$?
[ "$rc" -le 2 ] || { echo "check --interval exited $rc"; exit 1; }
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["interval_seconds"] == 1, d' "$tmp/rate.json" || exit 1

# The snapshot round trip (every area, this one included) is
# check_snapshot.sh.
exit 0
