#!/usr/bin/env bash
# bench/run.sh - runs every benchmark: bench/*.sh scripts and build/rel/bench/*
# binaries. Benchmarks print figures and ratios; they never fail on a time.
set -uo pipefail
cd "$(dirname "$0")/.."
rc=0
for b in bench/*.sh; do
	[ "$b" = bench/run.sh ] && continue
	[ -e "$b" ] || continue
	echo "== $b"
	HEADROOM="$PWD/headroom" bash "$b" || { echo "bench $b failed (exit $?)"; rc=1; }
done
for b in build/rel/bench/*; do
	[ -x "$b" ] || continue
	echo "== $b"
	"$b" || { echo "bench $b failed (exit $?)"; rc=1; }
done
exit $rc
