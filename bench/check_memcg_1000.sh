#!/usr/bin/env bash
# check_memcg_1000.sh - wall time of `headroom check --area memcg` with 1,000
# extra memory cgroups (created below this script's own v1 memory cgroup,
# removed at exit). Prints wall ms per run, us per cgroup and the ratio to the
# 30 ms target; never fails on time. Uses hyperfine when installed, else a
# loop of RUNS runs timed with bash's `time` (wall and user+sys CPU; medians).
set -uo pipefail
HEADROOM=${HEADROOM:-./headroom}
N=${N:-1000}
RUNS=${RUNS:-20}
TARGET_MS=30

skip() { echo "skip: $*"; exit 0; }
[ "$(id -u)" -eq 0 ] || skip "needs root (creates memory cgroups)"
own=$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
mnt=$(awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { print $2; exit }' /proc/self/mounts)
[ -n "$own" ] && [ -n "$mnt" ] || skip "no cgroup v1 memory controller"
[ -x "$HEADROOM" ] || { echo "HEADROOM=$HEADROOM is not executable"; exit 1; }

top=$mnt${own%/}/hr-memcg-$$-bench
cleanup() {
	[ -d "$top" ] || return
	local g
	for g in "$top"/g*/; do
		find "$g" -mindepth 1 -maxdepth 1 -type d -exec rmdir {} +
		rmdir "$g"
	done
	rmdir "$top"
}
trap cleanup EXIT

t0=$(date +%s%N)
mkdir "$top" || exit 1
# Ten parents of N/10 - 1 leaves each (N cgroups with the parents), the shape
# of a container host: a level of slices, then leaves.
per=$((N / 10))
for g in $(seq 0 9); do
	mkdir "$top/g$g" || exit 1
	for i in $(seq 1 $((per - 1))); do mkdir "$top/g$g/c$i" || exit 1; done
done
t1=$(date +%s%N)
total=$(( $(find "$mnt" -mindepth 1 -type d | wc -l) + 1 ))
echo "created $(( $(find "$top" -type d | wc -l) - 1 )) cgroups below $top in $(( (t1 - t0) / 1000000 )) ms; the hierarchy has $total"

# Context for the figures: the 2 vCPUs are shared, so report CPU time beside
# wall time, and the cost of one open+read+close of a memory.stat right now.
stat1=$(python3 - "$top/g0/c1/memory.stat" <<'PY'
import os, sys, time
p = sys.argv[1]
t = time.perf_counter()
for _ in range(200):
    fd = os.open(p, os.O_RDONLY); os.read(fd, 65536); os.close(fd)
print("%.1f" % ((time.perf_counter() - t) / 200 * 1e6))
PY
)
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); one memory.stat open+read+close: ${stat1} us (python, includes interpreter overhead)"

"$HEADROOM" check --area memcg >/dev/null	# warm the dentry cache
if command -v hyperfine >/dev/null; then
	j=$(mktemp)
	hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$j" \
		"$HEADROOM check --area memcg" >/dev/null 2>&1 || true
	read -r wall cpu < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.2f %.2f" % (r["median"]*1000, (r["user"]+r["system"])*1000))' "$j")
	rm -f "$j"
	how="hyperfine, median of $RUNS"
else
	walls=() cpus=()
	TIMEFORMAT='%R %U %S'
	for _ in $(seq 1 "$RUNS"); do
		read -r r u s < <( { time "$HEADROOM" check --area memcg >/dev/null; } 2>&1 )
		walls+=("$r") cpus+=("$(python3 -c "print($u + $s)")")
	done
	med() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] * 1000 }'; }
	wall=$(med "${walls[@]}")
	cpu=$(med "${cpus[@]}")
	how="bash time, median of $RUNS runs"
fi
python3 - "$wall" "$cpu" "$total" "$TARGET_MS" "$how" <<'PY'
import sys
wall, cpu, cg, target, how = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
print("measured: check --area memcg over %d cgroups (%s): wall %.2f ms = %.1f us/cgroup, "
      "cpu %.2f ms = %.1f us/cgroup; target %.0f ms: wall ratio %.2f, cpu ratio %.2f"
      % (cg, how, wall, wall * 1000 / cg, cpu, cpu * 1000 / cg, target, wall / target, cpu / target))
PY
