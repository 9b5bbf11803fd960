#!/usr/bin/env bash
# bench/conntrack_breakdown.sh - cost of the ctnetlink breakdown
# (kernel/ct_dump.c) with BENCH_CT_ENTRIES (default 250000) entries in a
# private network namespace filled over ctnetlink (tests/integration/
# hr_ctfill.c). The count is per netns, nf_conntrack_max is global and
# read-only outside the init netns (6.1+), so the fill needs no host change;
# it stops at what the max allows and says so. Prints: the full dump (no
# bound), the default bounded dump (CT_DUMP_CAP_DEFAULT entries /
# CT_DUMP_BUDGET_USEC_DEFAULT) with its "not counted" remainder, and
# `headroom check --area conntrack` wall time. Root; skips otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
HEADROOM=${HEADROOM:-$PWD/headroom}
n=${BENCH_CT_ENTRIES:-250000}
NS=hr-ctb-$$
[ "$(id -u)" -eq 0 ] || { echo "skip: needs root (ip netns, ctnetlink)"; exit 0; }
[ -f build/rel/libheadroom.a ] || { echo "build/rel/libheadroom.a missing"; exit 1; }
tmp=$(mktemp -d)
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$tmp"' EXIT
${CC:-cc} -std=c17 -O2 -Isrc -o "$tmp/hr_ctfill" tests/integration/hr_ctfill.c build/rel/libheadroom.a \
	-lnetfilter_conntrack -lnfnetlink -lm || exit 1
ip netns add "$NS" || { echo "skip: ip netns add failed"; exit 0; }
in_ns() { ip netns exec "$NS" "$@"; }
in_ns test -r /proc/sys/net/netfilter/nf_conntrack_count || { echo "skip: nf_conntrack not loaded"; exit 0; }
max=$(in_ns cat /proc/sys/net/netfilter/nf_conntrack_max)
echo "nf_conntrack_max $max (global; mode $(in_ns stat -c %a /proc/sys/net/netfilter/nf_conntrack_max) in the netns)"
t0=$(date +%s.%N)
in_ns "$tmp/hr_ctfill" fill "$n" >/dev/null 2>"$tmp/err" || echo "fill stopped: $(tail -1 "$tmp/err")"
t1=$(date +%s.%N)
count=$(in_ns cat /proc/sys/net/netfilter/nf_conntrack_count)
echo "filled $count of $n entries in $(echo "$t1 - $t0" | bc -l | cut -c1-5) s"
kv() { awk -F= -v k="$2" '$1 == k { print $2 }' "$1"; }
for r in 1 2 3; do
	in_ns "$tmp/hr_ctfill" dump 100000000 60000000 "$count" >"$tmp/full$r" || exit 1
done
best=$(for r in 1 2 3; do kv "$tmp/full$r" elapsed_usec; done | sort -n | head -1)
echo "full dump: $(kv "$tmp/full1" counted) entries in $best us (best of 3) = $(echo "$best * 1000 / $(kv "$tmp/full1" counted)" | bc) ns/entry"
in_ns "$tmp/hr_ctfill" dump 300000 500000 "$count" >"$tmp/bounded" || exit 1
echo "bounded dump (300000 entries / 0.5 s): counted $(kv "$tmp/bounded" counted), not counted $(kv "$tmp/bounded" not_counted), $(kv "$tmp/bounded" elapsed_usec) us, stopped by $( [ "$(kv "$tmp/bounded" stopped_time)" = 1 ] && echo time || { [ "$(kv "$tmp/bounded" stopped_cap)" = 1 ] && echo cap || echo "end of table"; })"
t0=$(date +%s.%N)
in_ns "$HEADROOM" check --area conntrack >/dev/null
t1=$(date +%s.%N)
echo "headroom check --area conntrack with $count entries: $(echo "$t1 - $t0" | bc -l | cut -c1-5) s wall"
