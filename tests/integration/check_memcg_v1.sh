#!/usr/bin/env bash
# check_memcg_v1.sh - `headroom check --area memcg` against real cgroup v1
# memory cgroups created below this test's own memory cgroup:
#   1. a 64 MiB cgroup filled with page cache by dd: memcg.near_limit (usage
#      within 3 % of memory.usage_in_bytes, file cache large) and
#      memcg.limit_hits (failcnt equal to memory.failcnt);
#   2. a child that reads a cold 48 MiB file and is removed: its parent shows
#      memcg.dead_charges of about that size.
# Exit 0 pass, 77 skip (reason on the last line), else fail. Root only.
set -uo pipefail
HEADROOM=${HEADROOM:-./headroom}
MIB=$((1 << 20))

skip() { echo "skip: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || skip "needs root (creates memory cgroups)"
own=$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
mnt=$(awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { print $2; exit }' /proc/self/mounts)
{ [ -n "$own" ] && [ -n "$mnt" ]; } || skip "no cgroup v1 memory controller on this kernel"
[ -x "$HEADROOM" ] || fail "HEADROOM=$HEADROOM is not executable"
command -v python3 >/dev/null || skip "python3 missing (tools/install-deps.sh test)"

own=${own%/}
base=$mnt$own
full=$base/hr-memcg-$$-full
dead=$base/hr-memcg-$$-dead
churn=$base/hr-memcg-$$-churn
churn_pid=
# Page cache must be on a disk filesystem: tmpfs pages are shmem, not file.
tmp=$(mktemp -d /var/tmp/hr-memcg.XXXXXX) || fail "mktemp"
case $(stat -f -c %T "$tmp") in tmpfs|ramfs) rm -rf "$tmp"; tmp=$(mktemp -d "$PWD/.hr-memcg.XXXXXX") ;; esac

cleanup() {
	[ "$BASHPID" = "$$" ] || return 0	# not in a forked child (see lib_run.bash)
	if [ -n "$churn_pid" ]; then kill "$churn_pid" 2>/dev/null; wait "$churn_pid" 2>/dev/null; fi
	if [ -d "$churn" ]; then
		find "$churn" -mindepth 1 -maxdepth 1 -type d -exec rmdir {} + 2>/dev/null
		rmdir "$churn"
	fi
	# Our cgroups hold only processes this test started (a reader's dd may
	# outlive its killed sh by one pass): stop them, bounded.
	for cg in "$full" "$dead/child"; do
		[ -f "$cg/cgroup.procs" ] || continue
		for _ in $(seq 50); do
			pids=$(cat "$cg/cgroup.procs")
			[ -z "$pids" ] && break
			# shellcheck disable=SC2086
			kill $pids 2>/dev/null
			sleep 0.1
		done
	done
	# Drop what our cgroups hold (so no dying cgroup stays charged with our
	# files), delete the files, then the cgroups, children first.
	for cg in "$full" "$dead"; do
		[ -d "$cg" ] && echo 0 >"$cg/memory.force_empty" 2>/dev/null
	done
	rm -rf "$tmp"
	[ -d "$dead/child" ] && rmdir "$dead/child"
	for cg in "$full" "$dead"; do [ -d "$cg" ] && rmdir "$cg"; done
}
trap cleanup EXIT

# Prints the fact $3 of the finding with id $1 and subject $2 from JSON on
# stdin, or "missing".
fact() {
	python3 -c '
import json, sys
d = json.load(sys.stdin)
for f in d["findings"]:
    if f["id"] == sys.argv[1] and f["subject"] == sys.argv[2]:
        print(f["facts"].get(sys.argv[3], "missing")); break
else:
    print("missing")' "$@"
}

within() { # within A B PCT: |A-B| <= PCT% of B
	python3 -c 'import sys; a, b, p = map(float, sys.argv[1:]); sys.exit(0 if abs(a - b) <= b * p / 100 else 1)' "$1" "$2" "$3"
}

stat_key() { awk -v k="$2" '$1 == k { print $2 }' "$1/memory.stat"; }

# --- 1. near limit, filled with page cache -----------------------------------
mkdir "$full" || fail "mkdir $full"
echo $((64 * MIB)) >"$full/memory.limit_in_bytes" || fail "set limit"
# Reading a cold 96 MiB file through the 64 MiB limit leaves the cgroup full
# of clean page cache (measured: 62.1-62.4 MiB, 97 %); a buffered write can
# stop lower while writeback runs.
dd if=/dev/zero of="$tmp/fill" bs=1M count=96 oflag=direct status=none || fail "dd fill file"
fill() {
	# shellcheck disable=SC2016 # $$, $1, $2 belong to the inner sh
	timeout 60 sh -c 'echo $$ >"$1/cgroup.procs" && exec dd if="$2/fill" of=/dev/null bs=1M status=none' \
		sh "$full" "$tmp" || fail "dd read in $full"
}
fill
[ "$(cat "$full/memory.usage_in_bytes")" -ge $((64 * MIB * 92 / 100)) ] || fill
usage=$(cat "$full/memory.usage_in_bytes")
[ "$usage" -ge $((64 * MIB * 92 / 100)) ] ||
	fail "precondition: usage $usage below 92% of 64 MiB after filling (global reclaim?)"
out=$("$HEADROOM" check --area memcg --json)
rc=$?
usage=$(cat "$full/memory.usage_in_bytes")
failcnt=$(cat "$full/memory.failcnt")
subj="$own/hr-memcg-$$-full"
[ "$rc" -eq 1 ] || [ "$rc" -eq 2 ] || fail "check exit $rc, want 1 (warn) or 2 (crit)"
got_usage=$(fact memcg.near_limit "$subj" usage_bytes <<<"$out")
got_limit=$(fact memcg.near_limit "$subj" limit_bytes <<<"$out")
got_file=$(fact memcg.near_limit "$subj" file_bytes <<<"$out")
got_recl=$(fact memcg.near_limit "$subj" reclaimable_file_bytes <<<"$out")
echo "measured: near_limit $subj usage_bytes=$got_usage (kernel $usage) limit=$got_limit file=$got_file reclaimable=$got_recl"
[ "$got_usage" != missing ] || { echo "$out" | head -60; fail "no memcg.near_limit for $subj"; }
[ "$got_limit" -eq $((64 * MIB)) ] || fail "limit_bytes $got_limit, want $((64 * MIB))"
within "$got_usage" "$usage" 3 || fail "usage_bytes $got_usage not within 3% of memory.usage_in_bytes $usage"
[ "$got_file" -ge $((48 * MIB)) ] || fail "file_bytes $got_file < 48 MiB after reading 96 MiB through a 64 MiB cgroup"
[ "$got_recl" -ge $((40 * MIB)) ] || fail "reclaimable_file_bytes $got_recl < 40 MiB"
got_fail=$(fact memcg.limit_hits "$subj" failcnt <<<"$out")
echo "measured: limit_hits failcnt=$got_fail (kernel $failcnt)"
if [ "$failcnt" -gt 0 ]; then
	[ "$got_fail" = "$failcnt" ] || fail "limit_hits failcnt $got_fail, memory.failcnt says $failcnt"
else
	[ "$got_fail" = missing ] || fail "limit_hits reported with memory.failcnt 0"
fi
# The rate form: nothing charges the cgroup now, so no limit hits per second.
out2=$("$HEADROOM" check --area memcg --json --interval 0.2)
[ "$(fact memcg.limit_hits "$subj" failcnt_per_s <<<"$out2")" = missing ] ||
	fail "limit_hits with --interval although nothing runs in $subj"
[ "$(fact memcg.near_limit "$subj" usage_bytes <<<"$out2")" != missing ] ||
	fail "near_limit missing with --interval"
# ... and while a reader streams the 96 MiB file through the 64 MiB limit
# (each pass re-charges evicted pages), failcnt/s is positive.
# shellcheck disable=SC2016 # $$, $1, $2 belong to the inner sh
timeout 20 sh -c 'echo $$ >"$1/cgroup.procs" && while :; do dd if="$2/fill" of=/dev/null bs=1M status=none; done' \
	sh "$full" "$tmp" &
reader=$!
f0=$(cat "$full/memory.failcnt")
out2=$("$HEADROOM" check --area memcg --json --interval 2)
f1=$(cat "$full/memory.failcnt")
kill "$reader" 2>/dev/null
wait "$reader" 2>/dev/null
rate=$(fact memcg.limit_hits "$subj" failcnt_per_s <<<"$out2")
echo "measured: limit_hits failcnt_per_s=$rate while streaming (memory.failcnt $f0 -> $f1 around the check)"
[ "$f1" -gt "$f0" ] || fail "precondition: the reader caused no failures ($f0 -> $f1)"
[ "$rate" != missing ] || { echo "$out2" | head -40; fail "no limit_hits rate with --interval while $subj hits its limit"; }
python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) > 0 else 1)' "$rate" || fail "failcnt_per_s $rate not > 0"

# --- 2. charges left by a removed child ---------------------------------------
mkdir "$dead" "$dead/child" || fail "mkdir $dead/child"
# O_DIRECT: the file starts with no page cache, so the child's read charges it.
dd if=/dev/zero of="$tmp/cold" bs=1M count=48 oflag=direct status=none || fail "dd cold file"
# shellcheck disable=SC2016 # $$, $1, $2 belong to the inner sh
timeout 60 sh -c 'echo $$ >"$1/cgroup.procs" && exec dd if="$2/cold" of=/dev/null bs=1M status=none' \
	sh "$dead/child" "$tmp" || fail "dd read in child"
child_cache=$(stat_key "$dead/child" total_cache)
[ "$child_cache" -ge $((40 * MIB)) ] || fail "precondition: child total_cache $child_cache < 40 MiB after reading 48 MiB"
rmdir "$dead/child" || fail "rmdir child"
out=$("$HEADROOM" check --area memcg --json)
parent_dead=$(( $(stat_key "$dead" total_cache) - $(stat_key "$dead" cache) ))
subj="$own/hr-memcg-$$-dead"
got_dead=$(fact memcg.dead_charges "$subj" dead_cache_bytes <<<"$out")
echo "measured: dead_charges $subj dead_cache_bytes=$got_dead (kernel total_cache-cache $parent_dead, child had $child_cache)"
[ "$got_dead" != missing ] || { echo "$out" | head -60; fail "no memcg.dead_charges for $subj"; }
within "$got_dead" "$parent_dead" 5 || fail "dead_cache_bytes $got_dead not within 5% of $parent_dead"
[ "$got_dead" -ge $((40 * MIB)) ] || fail "dead_cache_bytes $got_dead < 40 MiB"

# --- 3. cgroups vanishing mid-walk are skipped and counted, never fatal -------
mkdir "$churn" || fail "mkdir $churn"
(
	end=$((SECONDS + 60)) i=0
	while [ "$SECONDS" -lt "$end" ]; do
		mkdir "$churn/c$i" 2>/dev/null
		[ "$i" -gt 0 ] && rmdir "$churn/c$((i - 1))" 2>/dev/null
		i=$((i + 1))
	done
) &
churn_pid=$!
runs=0 end=$((SECONDS + 45))
while [ "$runs" -lt 10 ] && [ "$SECONDS" -lt "$end" ]; do
	out=$("$HEADROOM" check --area memcg --json)
	rc=$?
	[ "$rc" -le 2 ] || fail "check exit $rc while cgroups come and go"
	python3 -c 'import json, sys; json.load(sys.stdin)' <<<"$out" ||
		fail "invalid JSON while cgroups come and go"
	runs=$((runs + 1))
done
kill "$churn_pid" 2>/dev/null
wait "$churn_pid" 2>/dev/null
churn_pid=
echo "measured: $runs checks while cgroups were created and removed: all exit <= 2 with valid JSON"
[ "$runs" -gt 0 ] || fail "no check ran during churn"

# --- 4. the sanitizer build walks the real hierarchy cleanly -------------------
if [ -n "${HEADROOM_ASAN:-}" ] && [ -x "$HEADROOM_ASAN" ]; then
	"$HEADROOM_ASAN" check --area memcg --json >/dev/null 2>"$tmp/asan.err"
	arc=$?
	[ "$arc" -le 2 ] || { cat "$tmp/asan.err"; fail "ASan build exit $arc"; }
	grep -q 'Sanitizer' "$tmp/asan.err" && { cat "$tmp/asan.err"; fail "sanitizer report"; }
fi
echo "ok"
