#!/usr/bin/env bash
# explain_kmsg.sh - `headroom explain` on the live /dev/kmsg: must read to the
# end without blocking, exit 0/1/2, and print valid JSON. Reads only.
set -uo pipefail
HR=${HEADROOM_ASAN:-${HEADROOM:-./headroom}}
out=$(mktemp); tmpd=$(mktemp -d); trap '[ "$BASHPID" = "$$" ] && rm -rf "$out" "$tmpd"' EXIT

# Classic syslog dates have no year: the file's mtime chooses it (the year
# before, when the date would lie more than a day after the mtime).
seen() { python3 -c 'import json,sys; print(" ".join(str(f["facts"]["first_seen"]) for f in json.load(sys.stdin)["findings"]))'; }
line='kernel: TCP: out of memory -- consider tuning tcp_mem'
printf 'Dec 31 23:59:00 h %s\n' "$line" >"$tmpd/dec.log"
printf 'Jan  1 00:00:30 h %s\n' "$line" >"$tmpd/jan.log"
touch -d '2025-01-02 00:00:00 UTC' "$tmpd/dec.log" "$tmpd/jan.log"
for c in "dec.log 2024-12-31T23:59:00Z" "jan.log 2025-01-01T00:00:30Z"; do
	set -- $c
	got=$(TZ=UTC "$HR" explain --json "$tmpd/$1" | seen)
	[ "$got" = "$2" ] || { echo "year rule: $1 gave '$got', want $2"; exit 1; }
done
got=$("$HR" explain --tz Asia/Tokyo --year 2020 --json - <"$tmpd/dec.log" | seen)
[ "$got" = "2020-12-31T14:59:00Z" ] || { echo "--tz/--year: got '$got'"; exit 1; }
echo "measured: classic syslog year from mtime and --year/--tz: ok"

# --json-lines: every line of the output is one JSON document; incidents
# first (type "incident"), one summary line last, the same incidents as --json.
fx=tests/fixtures/kmsg
cd "$(dirname "$0")/../.."
"$HR" explain --tz UTC --json-lines "$fx"/*.log >"$tmpd/lines"; rc=$?
[ "$rc" -le 2 ] || { echo "--json-lines exit $rc"; exit 1; }
"$HR" explain --tz UTC --json "$fx"/*.log >"$tmpd/doc"
python3 - "$tmpd/lines" "$tmpd/doc" <<'PY' || exit 1
import json, sys
lines = open(sys.argv[1]).read().split("\n")
assert lines[-1] == "", "output does not end with a newline"
docs = [json.loads(l) for l in lines[:-1]]
assert all(d["schema"] == "headroom/1" for d in docs)
assert [d["type"] for d in docs] == ["incident"] * (len(docs) - 1) + ["summary"], "summary not last"
doc = json.load(open(sys.argv[2]))
assert [d["incident"] for d in docs[:-1]] == doc["findings"], "not the incidents of --json"
assert docs[-1]["counts"] == doc["counts"] and docs[-1]["exit_code"] == doc["exit_code"]
print("measured: --json-lines: %d lines, each one JSON document" % len(docs))
PY

# A live pipe that stalls after a complete report: the incident must come
# out (flushed) within a few seconds, while the writer still holds the pipe.
# 03 is an OOM report (complete at "Killed process"); 05 an allocation
# failure (no end marker: complete after 1 s of silence).
for f in 03-oom-memcg-cgroup2-stress-4.18 05-pagealloc-virtio_net-ceph-5.4; do
	for mode in --json-lines ""; do
		rm -f "$tmpd/stall" "$tmpd/sp"
		mkfifo "$tmpd/sp"
		# stdin is the pipe; this shell keeps its write end open (fd 7).
		timeout 30 "$HR" explain $mode - <"$tmpd/sp" >"$tmpd/stall" 2>/dev/null &
		pid=$!
		exec 7>"$tmpd/sp"
		cat "$fx/$f.log" >&7
		t0=$(date +%s.%N); ok=0
		for _ in $(seq 1 50); do	# at most 5 s
			if grep -qE '"type":"incident"|^CRIT|^WARN' "$tmpd/stall"; then ok=1; break; fi
			sleep 0.1
		done
		t1=$(date +%s.%N)
		exec 7>&-	# EOF: explain ends by itself
		wait "$pid"; rc=$?
		[ "$rc" = 2 ] || { echo "stalled pipe ($f): exit $rc after EOF, want 2"; exit 1; }
		[ "$ok" = 1 ] || { echo "stalled pipe ($f, ${mode:-text}): incident held back"; exit 1; }
		printf 'measured: stalled pipe %s %s: incident out after %.1f s\n' "$f" "${mode:-text}" "$(echo "$t1 - $t0" | bc -l)"
	done
done

# No kernel log at all: a note, a warning and exit 3, not a quiet "0 incidents".
head -c 5000000 /dev/urandom >"$tmpd/random"
"$HR" explain --json "$tmpd/random" >"$tmpd/r.json" 2>"$tmpd/r.err"; rc=$?
[ "$rc" = 3 ] || { echo "random bytes: exit $rc, want 3"; exit 1; }
grep -q "no line looked like kernel log" "$tmpd/r.err" || { echo "random bytes: no warning"; exit 1; }
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["input"]["kernel_lines"]==0 and d["not_read"], d["not_read"]' "$tmpd/r.json" || exit 1
echo "measured: 5 MB of random bytes: exit 3, kernel_lines 0"

# A FIFO nobody opens for writing: no hang (10 s wait, then exit 3); a
# writer that comes after 2 s is read.
mkfifo "$tmpd/fifo"
t0=$(date +%s)
timeout 30 "$HR" explain "$tmpd/fifo" >/dev/null 2>"$tmpd/f.err"; rc=$?
t1=$(date +%s)
[ "$rc" = 3 ] || { echo "FIFO without writer: exit $rc (124 = hung), want 3"; cat "$tmpd/f.err"; exit 1; }
echo "measured: FIFO without a writer: exit 3 after $((t1 - t0)) s"
( sleep 2; cat "$fx/14-tcpmem-tempesta-dmesg.log" >"$tmpd/fifo" ) &
wpid=$!
timeout 30 "$HR" explain "$tmpd/fifo" >"$tmpd/f.out" 2>&1; rc=$?
wait "$wpid"
[ "$rc" = 2 ] || { echo "FIFO with a late writer: exit $rc, want 2"; cat "$tmpd/f.out"; exit 1; }

if [ ! -r /dev/kmsg ]; then
	echo "/dev/kmsg not readable (not root or dmesg_restrict)"; exit 77
fi
start=$(date +%s.%N)
timeout 20 "$HR" explain --json >"$out"; rc=$?
end=$(date +%s.%N)
case $rc in 0|1|2) ;; 124) echo "explain blocked on /dev/kmsg (timeout)"; exit 1 ;;
	*) echo "explain exit $rc"; cat "$out"; exit 1 ;; esac
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["command"]=="explain"; print("measured: /dev/kmsg %d bytes, %d incidents, %d lost records" % (d["input"]["bytes"], len(d["findings"]), d["input"]["lost_records"]))' "$out" || exit 1
printf 'measured: /dev/kmsg drained in %.3f s\n' "$(echo "$end - $start" | bc -l)"
# The same text through dmesg must give the same incidents. Kernel records
# only: explain reading /dev/kmsg ignores records a process wrote (facility
# not kern; run_metrics.sh writes such a copy of an OOM report on purpose),
# and dmesg's text no longer tells them apart.
if command -v dmesg >/dev/null; then
	n1=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$out")
	n2=$(dmesg --facility=kern | "$HR" explain --json - | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["findings"]))')
	[ "$n1" = "$n2" ] || { echo "kmsg gave $n1 incidents, dmesg text gave $n2"; exit 1; }
fi
exit 0
