#!/usr/bin/env bash
# check_chaos.sh - `headroom check` on damaged fixture trees. Every fixture
# under tests/fixtures/ is copied to a temporary directory and, one file at a
# time, that file is cut to half, replaced with random bytes, given huge
# numbers (18446744073709551616, -1, 99999999999999999999999) or a very long
# line, deleted, or made unreadable (chmod 000; as root, where mode bits do
# not stop a read, it becomes a directory instead). After each mutation
# check runs twice (--json and text) under ASan+UBSan and must:
#   - exit 0, 1 or 2 (a damaged file degrades a finding; it never makes the
#     whole check fail: 3 is for an unusable root) and the same code twice,
#   - not crash, not hang (20 s), not print a sanitizer report,
#   - print at most a few one-line messages on stderr,
#   - print valid JSON whose exit_code matches the process exit code.
# The plan gives every file one mutation before any file gets a second, in an
# order shuffled from CHAOS_SEED (default 1), and runs the first CHAOS_COUNT
# mutations (default 400; 0 = all): the same mutations, the same random bytes
# and so the same verdict on every machine, however fast. CHAOS_SEED=random
# for an exploratory run. CHAOS_FIXTURES (a regular expression, default all)
# picks fixtures. Needs no root.
set -uo pipefail
cd "$(dirname "$0")/../.."
HR=${HEADROOM_ASAN:-$PWD/build/asan/headroom}
COUNT_MAX=${CHAOS_COUNT:-400}
SEED=${CHAOS_SEED:-1}
[ "$SEED" = random ] && SEED=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
echo "note: chaos seed $SEED"
RANDOM=$SEED
STDERR_LINES_MAX=4
STDERR_LINE_CHARS_MAX=300
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
[ -x "$HR" ] || { echo "no headroom binary at $HR (make build/asan/headroom)"; exit 77; }

tmp=$(mktemp -d /tmp/hr-review-chaos-$$-XXXX)
keep=""
cleanup() {
	[ "$BASHPID" = "$$" ] || return 0	# not in a forked child (see lib_run.bash)
	chmod -R u+rwX "$tmp" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
asan_user=${ASAN_OPTIONS:-}
export NO_COLOR=1 ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

mutations=(half random bignum longline delete unreadable)
root_user=0
[ "$(id -u)" = 0 ] && root_user=1

# Plan: "fixture<TAB>relative path<TAB>mutation", round-robin over the
# mutations so breadth comes first. SOURCE notes are never read by headroom.
python3 - "$SEED" "${CHAOS_FIXTURES:-.}" "${mutations[@]}" >"$tmp/plan" <<'PY'
import os, random, re, sys
random.seed(int(sys.argv[1]))
only, muts = re.compile(sys.argv[2]), sys.argv[3:]
files = []
base = "tests/fixtures"
for fx in sorted(os.listdir(base)):
    top = os.path.join(base, fx)
    # root trees only (proc/ or sys/ below); tests/fixtures/kmsg holds logs
    if not only.search(fx) or not any(os.path.isdir(os.path.join(top, d)) for d in ("proc", "sys")):
        continue
    for d, dirs, names in os.walk(top):
        # symlinks to directories are listed in dirs; treat them as files
        for n in names + [x for x in dirs if os.path.islink(os.path.join(d, x))]:
            rel = os.path.relpath(os.path.join(d, n), top)
            if rel != "SOURCE":
                files.append((fx, rel))
rounds = []
for fx, rel in files:
    order = muts[:]
    random.shuffle(order)
    for r, m in enumerate(order):
        rounds.append((r, random.random(), fx, rel, m))
rounds.sort()
for _, _, fx, rel, m in rounds:
    print(f"{fx}\t{rel}\t{m}")
PY
total=$(wc -l <"$tmp/plan")
# 32 KiB of seeded random bytes for the "random" mutation.
python3 -c 'import random, sys; random.seed(int(sys.argv[1]))
sys.stdout.buffer.write(random.randbytes(32768))' "$SEED" >"$tmp/pool"

bignums=(18446744073709551616 -1 99999999999999999999999)

# mutate FILE MUTATION: FILE is a path in the working copy.
mutate() {
	local f=$1 m=$2 size
	case $m in
	half)
		if [ -L "$f" ]; then
			# a link cut in half: its target path loses its tail
			local t; t=$(readlink "$f"); rm -f "$f"; ln -s "${t:0:$((${#t} / 2))}" "$f"
		else
			size=$(stat -c %s "$f"); truncate -s $((size / 2)) "$f"
		fi ;;
	random)
		# a slice of the seeded pool, not /dev/urandom: reproducible
		rm -f "$f"; tail -c +$((RANDOM % 24576 + 1)) "$tmp/pool" | head -c $((RANDOM % 8192 + 1)) >"$f" ;;
	bignum)
		local big=${bignums[$((RANDOM % 3))]}
		if [ -L "$f" ]; then
			rm -f "$f"; printf '%s\n' "$big" >"$f"
		else
			# every number becomes the huge one; the keys stay in place
			sed -E "s/[0-9]+/$big/g" "$f" >"$f.tmp" && mv -f "$f.tmp" "$f"
		fi ;;
	longline)
		local body=""
		[ -L "$f" ] || body=$(head -c 4096 "$f" | tr -d '\0')
		rm -f "$f"
		{ printf '%s\n' "$body"; head -c 200000 /dev/zero | tr '\0' '9'; printf ' '
		  head -c 100000 /dev/zero | tr '\0' 'x'; } >"$f" ;;
	delete)
		rm -f "$f" ;;
	unreadable)
		if [ -L "$f" ]; then
			rm -f "$f"; ln -s "$(basename "$f")" "$f"	# ELOOP
		elif [ "$root_user" = 1 ]; then
			rm -f "$f"; mkdir "$f"
		else
			chmod 000 "$f"
		fi ;;
	esac
}

# launch MODE: starts check on the working copy in the background (the two
# modes run side by side: 2 CPUs); its stdout, stderr and exit code land in
# $tmp/MODE.{out,err,rc}.
launch() {
	local mode=$1 args=(check --root "$work") asan=$ASAN_OPTIONS
	# Leaks are looked for in the JSON run only: the sampling code is the
	# same in both, and the leak scan doubles the run time.
	[ "$mode" = json ] && args+=(--json)
	[ "$mode" = text ] && [ -z "$asan_user" ] && asan=detect_leaks=0
	{ ASAN_OPTIONS=$asan timeout 20 "$HR" "${args[@]}" >"$tmp/$mode.out" 2>"$tmp/$mode.err"
	  echo $? >"$tmp/$mode.rc"; } &
}

# judge MODE: after launch and wait; sets $last_rc, and $why and returns 1
# if the run misbehaved.
last_rc=0
why=""
lines=0
judge() {
	local mode=$1
	local err=$tmp/$mode.err
	read -r last_rc <"$tmp/$mode.rc"
	if [ "$last_rc" -gt 2 ]; then
		why="exit $last_rc ($mode)"; return 1
	fi
	if [ -s "$err" ] && grep -qE 'AddressSanitizer|LeakSanitizer|runtime error|Sanitizer' "$err"; then
		why="sanitizer report ($mode)"; return 1
	fi
	[ -s "$err" ] || lines=0
	[ -s "$err" ] && lines=$(wc -l <"$err")
	if [ "$lines" -gt "$STDERR_LINES_MAX" ] ||
	   { [ "$lines" -gt 0 ] && [ -n "$(awk -v m="$STDERR_LINE_CHARS_MAX" 'length > m' "$err")" ]; }; then
		why="stderr has $lines line(s) or an over-long one ($mode)"; return 1
	fi
	# JSON is checked in one batch at the end: python3 takes ~1 s to
	# start here, longer than headroom under ASan.
	if [ "$mode" = json ]; then
		cp "$tmp/json.out" "$tmp/json/$ran.json"
		printf '%s\t%s\t%s\n' "$ran" "$last_rc" "$fx/$rel ($m)" >>"$tmp/json/index"
	fi
	return 0
}

# run_both: both modes, side by side; $why says what went wrong.
run_both() {
	why=""
	launch json
	launch text
	wait
	judge json || return 1
	local jrc=$last_rc
	judge text || return 1
	if [ "$last_rc" != "$jrc" ]; then
		why="text exit $last_rc but json exit $jrc"; return 1
	fi
	return 0
}

mkdir -p "$tmp/json"
: >"$tmp/json/index"

# The checks must be able to fail: a fake headroom that aborts with a
# sanitizer report, and a JSON report that does not parse, must be caught.
printf '#!/bin/sh\necho "==1==ERROR: AddressSanitizer: heap-buffer-overflow" >&2\nexit 1\n' >"$tmp/fake"
chmod +x "$tmp/fake"
work=$tmp && real_hr=$HR && HR=$tmp/fake fx=self rel=test m=fake
if run_both; then echo "self-test: a sanitizer report was not caught"; exit 1; fi
HR=$real_hr
: >"$tmp/json/index"
echo '{"schema": "headroom/1", "exit_code": 0,' >"$tmp/json/selftest.json"
printf 'selftest\t0\tself-test (truncated JSON)\n' >>"$tmp/json/index"

start=$SECONDS
ran=0 crashes=0
cur_fx=""
work=""
while IFS=$'\t' read -r fx rel m; do
	if [ "$COUNT_MAX" -gt 0 ] && [ "$ran" -ge "$COUNT_MAX" ]; then
		echo "note: $ran of $total planned mutations run (CHAOS_COUNT=$COUNT_MAX)"
		break
	fi
	work=$tmp/fx/$fx
	if [ "$fx" != "$cur_fx" ] && [ ! -d "$work" ]; then
		mkdir -p "$tmp/fx" && cp -a "tests/fixtures/$fx" "$work"
	fi
	cur_fx=$fx
	f=$work/$rel
	mutate "$f" "$m"
	run_both
	if [ -n "$why" ]; then
		# Once, a run on a loaded machine failed and passed on every rerun of
		# the same tree (a timeout or a sanitizer runtime error, not headroom's
		# output): rerun once and say so; a second failure counts.
		echo "note: $fx/$rel ($m): $why; rerun"
		sed 's/^/    stderr: /' "$tmp/json.err" "$tmp/text.err" | head -5
		run_both
	fi
	ran=$((ran + 1))
	if [ -n "$why" ]; then
		crashes=$((crashes + 1))
		echo "FAIL: $fx/$rel ($m): $why"
		cat "$tmp/json.err" "$tmp/text.err" | sed 's/^/    stderr: /' | head -20
		if [ -z "$keep" ]; then
			keep=$(mktemp -d /tmp/hr-review-chaos-fail-XXXX)
			cp -a "$work" "$keep/" 2>/dev/null
			echo "    damaged tree kept in $keep/$fx"
		fi
	fi
	# restore the pristine file (a directory or a 000 file included)
	chmod -R u+rwX "$f" 2>/dev/null
	rm -rf "$f"
	cp -a "tests/fixtures/$fx/$rel" "$f"
done <"$tmp/plan"

# Every JSON report must parse and carry the process's exit code.
bad=$(python3 - "$tmp/json" <<'PY'
import json, os, sys
d = sys.argv[1]
bad = 0
for line in open(os.path.join(d, "index")):
    n, rc, what = line.rstrip("\n").split("\t", 2)
    try:
        doc = json.load(open(os.path.join(d, n + ".json")))
        assert doc["exit_code"] == int(rc), "exit_code %s, process %s" % (doc["exit_code"], rc)
        assert doc["schema"] == "headroom/1"
    except Exception as e:
        bad += 1
        if n != "selftest":
            print("FAIL: %s: invalid JSON report: %s" % (what, e), file=sys.stderr)
print(bad)
PY
)
[ -n "$bad" ] && [ "$bad" -ge 1 ] || { echo "JSON validation did not run or missed the self-test"; exit 1; }
crashes=$((crashes + bad - 1))

echo "measured: $ran mutations, $crashes crashes ($(cut -f1 "$tmp/plan" | sort -u | wc -l) fixtures, $total planned, $((SECONDS - start)) s)"
[ "$ran" -gt 0 ] || { echo "no mutation ran"; exit 1; }
[ "$crashes" -eq 0 ]
