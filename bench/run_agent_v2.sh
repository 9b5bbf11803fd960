#!/usr/bin/env bash
# bench/run_agent_v2.sh - the cgroup v2 figures of `headroom run`, measured in
# a Debian 6.1 guest under qemu (tests/integration/run_v2_vm.sh, which skips
# without qemu or a cached kernel): limit hits (memory.events max) with and
# without the agent, and the reaction estimated from the overshoot above the
# high mark divided by the fill rate (v2 has no threshold event). TCG
# emulation runs guest code 5-15x slower than the host. Never fails on a number.
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(HEADROOM=${HEADROOM:-$PWD/headroom} bash tests/integration/run_v2_vm.sh 2>&1); rc=$?
if [ $rc -eq 77 ]; then
	echo "bench run_agent_v2: skipped: $(tail -1 <<<"$out")"
	exit 0
fi
grep -E '^measured:' <<<"$out" | sed 's/^measured: //'
[ $rc -eq 0 ] || echo "bench run_agent_v2: the VM test failed (exit $rc)"
exit 0
