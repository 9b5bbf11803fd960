#!/usr/bin/env bash
# bench/explain.sh - `headroom explain` throughput on two SYNTHETIC logs
# (bench/gen/explain_gen.c: made-up noise lines, a WARNING trace among them,
# + real excerpts from tests/fixtures/kmsg every MiB): "complete" has the
# excerpts whole, "unfinished" has each cut in half (open reports of every
# kind that never finish, which must not slow the rest of the log). Each is
# measured against `grep -c 'page allocation failure'` on the same file in
# the same run. Prints MB/s and ratios; never fails on time.
# BENCH_EXPLAIN_MB sets the size (default 300).
set -uo pipefail
cd "$(dirname "$0")/.."
HEADROOM=${HEADROOM:-$PWD/headroom}
mb=${BENCH_EXPLAIN_MB:-300}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
${CC:-cc} -O2 -o "$tmp/gen" bench/gen/explain_gen.c || exit 1
fx=tests/fixtures/kmsg
fixtures=("$fx"/05-*.log "$fx"/28-*.log "$fx"/09-*.log "$fx"/14-*.log "$fx"/18-*.log
	"$fx"/21-*.log "$fx"/26-*.log "$fx"/04-*.log "$fx"/33-*.log "$fx"/25-*.log)
# best of 3 runs: wall seconds and CPU seconds (user+sys). The VM's 2 vCPUs
# are shared, so CPU time is the steadier figure; both are printed.
best() {
	local bw=999999 bc=999999 w c
	for _ in 1 2 3; do
		/usr/bin/time -f "%e %U %S" -o "$tmp/time" "$@" >"$tmp/out" 2>/dev/null
		read -r w u s < <(tail -1 "$tmp/time")
		c=$(echo "$u + $s" | bc -l)
		if [ "$(echo "$w < $bw" | bc -l)" = 1 ]; then bw=$w; fi
		if [ "$(echo "$c < $bc" | bc -l)" = 1 ]; then bc=$c; fi
	done
	echo "$bw $bc"
}
declare -A cpu_mbs
one() {	# name, generator flags...
	local name=$1 bytes ew ec gw gc inc
	shift
	"$tmp/gen" "$@" "$tmp/log" "$mb" "${fixtures[@]}" || exit 1
	bytes=$(stat -c %s "$tmp/log")
	cat "$tmp/log" >/dev/null	# page cache: both tools read from memory
	read -r ew ec <<<"$(best "$HEADROOM" explain --json "$tmp/log")"
	inc=$("$HEADROOM" explain "$tmp/log" | tail -1)
	read -r gw gc <<<"$(best grep -c 'page allocation failure' "$tmp/log")"
	mbs() { echo "$bytes / 1000000 / ($1 + 0.0001)" | bc -l; }
	cpu_mbs[$name]=$(mbs "$ec")
	printf '%s: explain: %d bytes: wall %.3f s = %.0f MB/s, cpu %.3f s = %.0f MB/s\n' \
		"$name" "$bytes" "$ew" "$(mbs "$ew")" "$ec" "$(mbs "$ec")"
	printf '         %s\n' "$inc"
	printf '%s: grep -c: wall %.3f s = %.0f MB/s, cpu %.3f s = %.0f MB/s\n' \
		"$name" "$gw" "$(mbs "$gw")" "$gc" "$(mbs "$gc")"
	printf '%s: ratio explain/grep throughput: wall %.2fx, cpu %.2fx (target >= 0.5x)\n' "$name" \
		"$(echo "($gw + 0.0001) / ($ew + 0.0001)" | bc -l)" "$(echo "($gc + 0.0001) / ($ec + 0.0001)" | bc -l)"
	printf '%s: target 1000 MB/s (cpu): %s\n' "$name" \
		"$( [ "$(echo "$(mbs "$ec") >= 1000" | bc -l)" = 1 ] && echo met || echo NOT met)"
}
one complete
one unfinished -u
printf 'unfinished/complete throughput (cpu): %.2fx\n' \
	"$(echo "${cpu_mbs[unfinished]} / ${cpu_mbs[complete]}" | bc -l)"
