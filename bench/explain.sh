#!/usr/bin/env bash
# bench/explain.sh - `headroom explain` throughput on a SYNTHETIC log
# (bench/gen/explain_gen.c: made-up noise lines + real excerpts from
# tests/fixtures/kmsg every MiB), against `grep -c 'page allocation failure'`
# on the same file in the same run. Prints MB/s and the ratio; never fails on
# time. BENCH_EXPLAIN_MB sets the size (default 300).
set -uo pipefail
cd "$(dirname "$0")/.."
HEADROOM=${HEADROOM:-$PWD/headroom}
mb=${BENCH_EXPLAIN_MB:-300}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
${CC:-cc} -O2 -o "$tmp/gen" bench/gen/explain_gen.c || exit 1
fx=tests/fixtures/kmsg
"$tmp/gen" "$tmp/log" "$mb" "$fx"/05-*.log "$fx"/28-*.log "$fx"/09-*.log "$fx"/14-*.log \
	"$fx"/18-*.log "$fx"/21-*.log "$fx"/26-*.log "$fx"/04-*.log "$fx"/33-*.log "$fx"/25-*.log || exit 1
bytes=$(stat -c %s "$tmp/log")
cat "$tmp/log" >/dev/null	# page cache: both tools read from memory
now() { date +%s.%N; }
best() { # best of 3 runs of "$@", seconds
	local b=999999 s e d
	for _ in 1 2 3; do
		s=$(now); "$@" >"$tmp/out" 2>&1; e=$(now)
		d=$(echo "$e - $s" | bc -l)
		if [ "$(echo "$d < $b" | bc -l)" = 1 ]; then b=$d; fi
	done
	echo "$b"
}
te=$(best "$HEADROOM" explain --json "$tmp/log")
inc=$("$HEADROOM" explain "$tmp/log" | tail -1)
tg=$(best grep -c 'page allocation failure' "$tmp/log")
mbs=$(echo "$bytes / 1000000 / $te" | bc -l)
gmbs=$(echo "$bytes / 1000000 / $tg" | bc -l)
printf 'explain: %d bytes in %.3f s = %.0f MB/s (%s)\n' "$bytes" "$te" "$mbs" "$inc"
printf 'grep -c: %.3f s = %.0f MB/s\n' "$tg" "$gmbs"
printf 'ratio explain/grep: %.2fx (target >= 0.5x), target 1000 MB/s: %s\n' \
	"$(echo "$tg / $te" | bc -l)" "$( [ "$(echo "$mbs >= 1000" | bc -l)" = 1 ] && echo met || echo NOT met)"
