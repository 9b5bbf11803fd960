#!/usr/bin/env bash
# bench/net_proof.sh - the network proof under qemu, one boot per kernel
# (Debian 11's 5.10 and Debian 12's 6.1 when cached; tests/vm/vm-setup.sh
# [-s bullseye]): no agent, `headroom run`, memory.high = 90 %, and the 1 s /
# 100 ms memory.reclaim loops where the kernel has memory.reclaim, plus the
# dirty writer, interleaved in ROUNDS rounds (default 3) of SECS s (default
# 8). Prints one table per kernel (tests/vm/net/net_table.py): drop %, p99
# RTT ratio to the no-filler baseline, filler MB/s ratio to no agent,
# memory.events max/high, CPU per GiB reclaimed. TCG emulation on a shared
# machine: medians, never a pass/fail on a number.
set -uo pipefail
cd "$(dirname "$0")/.."
for k in 5.10 6.1; do
	out=$(HEADROOM=${HEADROOM:-$PWD/headroom} tests/vm/net/net-proof.sh -t 900 "$k" \
		ROUNDS="${ROUNDS:-3}" SECS="${SECS:-8}" 2>&1)
	rc=$?
	if [ $rc -eq 77 ]; then
		echo "bench net_proof $k: $(tail -1 <<<"$out")"
		continue
	fi
	grep -vE '^(summary|note: status):' <<<"$out"
	[ $rc -eq 0 ] || echo "bench net_proof $k: the VM run failed (exit $rc)"
done
exit 0
