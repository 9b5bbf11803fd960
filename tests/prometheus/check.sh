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
python3 tests/prometheus/names.py "$tmp/families" dist/prometheus/headroom-rules.yml \
	tests/prometheus/headroom-rules.test.yml dist/grafana/headroom.json
