#!/usr/bin/env bash
# cache_v2_vm.sh - `headroom cache` on a real cgroup v2 kernel (Debian's cloud
# kernel under qemu TCG; guest side tests/vm/guest-cache.sh), the same cases
# as cache_v1.sh on this host's v1:
#   1. a 16 MiB file read inside /hr-p/a, then /hr-p/a removed:
#      `--expect /hr-p/a` reports >= 90 % of its pages charged to /hr-p,
#      relation above_expected, with the kpagecgroup note, exit 1;
#   2. 1 MiB of it mlocked, `--recharge /hr-p/b`: /hr-p/b's memory.current
#      grows by about the other 15 MiB, the 256 mlocked pages are refused and
#      not moved.
# Nothing on the host is mounted or changed. Exit 0 pass, 77 skip, else fail.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib_vm.bash
command -v python3 >/dev/null || skip "python3 missing (tools/install-deps.sh test)"
cc -O2 -static -o "$work/payload/locker" tests/integration/hr_mlock.c 2>/dev/null ||
	cc -O2 -o "$work/payload/locker" tests/integration/hr_mlock.c || fail "cannot build hr_mlock"
vm_boot 256 512 300 tests/vm/guest-cache.sh
vm_section expect >"$work/expect.json"
vm_section expect-text >"$work/expect.txt"
vm_section recharge >"$work/recharge.json"
grep -q "ABOVE the expected cgroup" "$work/expect.txt" || { cat "$work/expect.txt"; fail "text lacks 'ABOVE the expected cgroup'"; }
grep -q "nearest live ancestor" "$work/expect.txt" || fail "text lacks the kpagecgroup note"
grep -q "^locker locked" "$work/out" || { tail -30 "$work/out"; fail "the mlock helper did not lock"; }
python3 - "$work/expect.json" "$work/recharge.json" "$(vm_val expect-rc)" "$(vm_val recharge-rc)" \
	"$(vm_val a-file)" "$(vm_val b-before)" "$(vm_val b-after)" "$(vm_val expect-scans)" "$(vm_val dying)" <<'PY' ||
import json, sys
ej, rj = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
erc, rrc, afile, b0, b1, scans, dying = map(int, sys.argv[3:])
mib = 1 << 20
print("measured: v2 guest: /hr-p/a charged %d bytes reading 16 MiB; removed, resolved after %d scan(s); dying %d"
      % (afile, scans, dying))
assert afile >= 14 * mib, ("precondition: the read charged only", afile)
f = ej["files"][0]
above = sum(o["pages"] for o in f["owners"] if o["cgroup"] == "/hr-p" and o["relation"] == "above_expected")
print("measured: v2 guest: %d resident pages, %d charged to /hr-p = above the expected /hr-p/a (exit %d)"
      % (f["resident_pages"], above, erc))
assert erc == 1, ("--expect exit", erc)
assert ej["expect"] == "/hr-p/a", ej["expect"]
assert above >= 4096 * 90 // 100, ("pages above the expected cgroup", above)
g = rj["files"][0]
moved = sum(o["pages"] for o in g["recharge"]["after"]["owners"] if o["cgroup"] == "/hr-p/b")
locked = sum(s["pages"] for s in g["not_movable"] if s["reason"] == "mlocked")
inb = sum(o["mlocked"] for o in g["recharge"]["after"]["owners"] if o["cgroup"] == "/hr-p/b")
print("measured: v2 guest: /hr-p/b memory.current %d -> %d (+%d KiB); %d pages now in /hr-p/b; %d mlocked refused, %d mlocked in /hr-p/b (exit %d)"
      % (b0, b1, (b1 - b0) // 1024, moved, locked, inb, rrc))
assert rrc == 0, ("--recharge exit", rrc)
assert b1 - b0 >= 15 * mib * 90 // 100, ("/hr-p/b grew by", b1 - b0)
assert b1 - b0 <= 17 * mib, ("/hr-p/b grew by more than the file", b1 - b0)
assert moved >= 3840 * 90 // 100, ("pages recharged", moved)
assert locked == 256, ("mlocked pages refused", locked)
assert inb == 0, ("mlocked pages moved into /hr-p/b", inb)
PY
	{ tail -60 "$work/out"; fail "assertions"; }
echo "pass"
