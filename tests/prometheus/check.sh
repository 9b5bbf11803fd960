#!/usr/bin/env bash
# tests/prometheus/check.sh HEADROOM - the shipped Prometheus rules and
# Grafana dashboard: promtool check rules, promtool test rules (unit tests
# with every alert firing and a quiet instance), and every metric they name
# exported by HEADROOM's renderer (--list-metrics). Called by tests/run.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
hr=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
promtool check rules dist/prometheus/headroom-rules.yml
(cd tests/prometheus && promtool test rules headroom-rules.test.yml)
"$hr" check --list-metrics >"$tmp/families"
# --textfile: the same text as standard output, written atomically, 0644.
rc=0
"$hr" check --root tests/fixtures/6.18.44-vm-x86_64 --format=prometheus --textfile "$tmp/h.prom" || rc=$?
[ $rc -le 2 ] || { echo "check --textfile failed"; exit 1; }
cmp -s "$tmp/h.prom" tests/golden/prom-real-6.18.44-vm.ok || { echo "--textfile differs from the golden"; exit 1; }
[ "$(stat -c %a "$tmp/h.prom")" = 644 ] && [ ! -e "$tmp/h.prom.tmp" ] || { echo "--textfile mode or leftover"; exit 1; }
if "$hr" check --root tests/fixtures/6.18.44-vm-x86_64 --format=prometheus --textfile /nonexistent/h.prom 2>/dev/null; then
	echo "--textfile into a missing directory succeeded"; exit 1
fi
python3 tests/prometheus/names.py "$tmp/families" dist/prometheus/headroom-rules.yml \
	tests/prometheus/headroom-rules.test.yml dist/grafana/headroom.json
