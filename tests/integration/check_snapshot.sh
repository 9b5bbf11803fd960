#!/usr/bin/env bash
# check_snapshot.sh - `headroom snapshot` of this host, every area: the
# capture must judge like the host (the same finding ids, subjects and
# severities; counters may move between the two reads, so facts are not
# compared), must capture everything check reads (nothing "not captured"),
# and must be a fixed point: a snapshot of the snapshot holds the same files
# and judges to the identical JSON. The netns case is check_net_netns.sh.
# Read-only on the host; runs as any user (what an unprivileged user cannot
# read is noted the same way in both runs).
set -uo pipefail
cd "$(dirname "$0")/../.."
HR=${HEADROOM_ASAN:-${HEADROOM:-./headroom}}
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
[ -x "$HR" ] || { echo "no headroom binary at $HR"; exit 77; }
[ -r /proc/meminfo ] || { echo "no /proc"; exit 77; }
tmp=$(mktemp -d /tmp/hr-review-snap-$$-XXXX)
trap '[ "$BASHPID" = "$$" ] && rm -rf "$tmp"' EXIT

ids() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for f in sorted((f["id"], f["subject"], f["severity"]) for f in d["findings"]):
    print(*f, sep="\t")
' "$1"
}

# Counters can cross a threshold between the live check and the capture
# (a first drop since boot): try three times before calling it a bug.
for attempt in 1 2 3; do
	rm -rf "$tmp/snap"
	timeout 60 "$HR" check --json >"$tmp/live.json"; rc=$?
	[ "$rc" -le 2 ] || { echo "live check exited $rc"; exit 1; }
	timeout 60 "$HR" snapshot "$tmp/snap" >"$tmp/snap.out" 2>"$tmp/snap.err"; rc=$?
	[ "$rc" -eq 0 ] || { echo "snapshot exited $rc: $(head -5 "$tmp/snap.err")"; exit 1; }
	grep -q "not captured" "$tmp/snap.err" && { echo "snapshot missed files: $(head -5 "$tmp/snap.err")"; exit 1; }
	timeout 60 "$HR" check --root "$tmp/snap" --json >"$tmp/snap.json"; rc=$?
	[ "$rc" -le 2 ] || { echo "check --root snapshot exited $rc"; exit 1; }
	ids "$tmp/live.json" >"$tmp/live.ids"
	ids "$tmp/snap.json" >"$tmp/snap.ids"
	cmp -s "$tmp/live.ids" "$tmp/snap.ids" && break
	echo "note: attempt $attempt: live and snapshot differ:"
	diff "$tmp/live.ids" "$tmp/snap.ids" | head -10
	[ "$attempt" = 3 ] && { echo "snapshot judged differently three times"; exit 1; }
	sleep 1
done
areas=$(cut -f1 "$tmp/live.ids" | cut -d. -f1 | sort -u | tr '\n' ' ')
echo "measured: snapshot judged like the host: $(wc -l <"$tmp/live.ids") finding(s), areas: $areas($(head -1 "$tmp/snap.out"))"

# The count printed is of unique files (SOURCE aside), as the tree holds them.
said=$(head -1 "$tmp/snap.out" | sed -n 's/^captured \([0-9]*\) files.*/\1/p')
have=$(find "$tmp/snap" -type f ! -path "$tmp/snap/SOURCE" | wc -l)
[ "$said" = "$have" ] || { echo "snapshot said $said files, the tree holds $have"; exit 1; }

# The kernel log is in the capture: `explain --root` reads it back, every
# record, with dates from the captured btime, and finds what the live
# /dev/kmsg gives (the live log may have grown since).
[ -s "$tmp/snap/dev/kmsg" ] || { echo "no kernel log (dev/kmsg) in the snapshot"; exit 1; }
[ -s "$tmp/snap/proc/stat" ] || { echo "no proc/stat (btime) in the snapshot"; exit 1; }
timeout 60 "$HR" explain --json --root "$tmp/snap" >"$tmp/ex-snap.json"; rc=$?
[ "$rc" -le 2 ] || { echo "explain --root snapshot exited $rc"; exit 1; }
timeout 60 "$HR" explain --json >"$tmp/ex-live.json"; rc=$?
[ "$rc" -le 2 ] || { echo "explain of the live /dev/kmsg exited $rc"; exit 1; }
python3 - "$tmp/ex-snap.json" "$tmp/ex-live.json" "$tmp/snap/dev/kmsg" <<'PY' || exit 1
import json, sys
snap, live = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
records = sum(1 for _ in open(sys.argv[3], errors="replace"))
assert snap["input"]["kernel_lines"] == records > 0, (snap["input"], records)
assert live["input"]["kernel_lines"] >= records, (live["input"], records)
ks = [f["kind"] for f in snap["findings"]]
kl = [f["kind"] for f in live["findings"]]
assert kl[:len(ks)] == ks, (ks, kl)
for f in snap["findings"]:
    assert f["facts"]["time_basis"] == "boot_time" and f["facts"]["first_seen"], f["facts"]
print("measured: explain --root snapshot: %d records, %d incidents (live: %d)" % (records, len(ks), len(kl)))
PY

# A non-empty OUTDIR is refused (exit 4) and left as it was.
mkdir "$tmp/full"; echo keep >"$tmp/full/mine"
timeout 60 "$HR" snapshot "$tmp/full" >/dev/null 2>"$tmp/full.err"; rc=$?
[ "$rc" = 4 ] || { echo "snapshot into a non-empty OUTDIR exited $rc, want 4"; exit 1; }
[ "$(ls -A "$tmp/full")" = mine ] && [ "$(cat "$tmp/full/mine")" = keep ] ||
	{ echo "snapshot wrote into a non-empty OUTDIR"; exit 1; }
grep -q "not empty" "$tmp/full.err" || { echo "no 'not empty' error: $(cat "$tmp/full.err")"; exit 1; }

# Every area reported something: a sampler that silently read nothing
# would make the comparison above trivially true.
python3 - "$tmp/live.json" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
seen = {f["id"].split(".")[0] for f in d["findings"]}
# netloss findings are named net.*; the netswap area also reports swap.* and writeback.*
want = {"memcg", "conntrack", "net", "zones"}
missing = want - seen
if missing:
    print("FAIL: no finding from", sorted(missing), "in", sorted(seen)); sys.exit(1)
if not seen & {"netswap", "swap", "writeback"}:
    print("FAIL: no netswap finding in", sorted(seen)); sys.exit(1)
PY

# Fixed point: a capture of the capture has the same files, and the two
# judge to the same JSON (only the "root" line differs).
timeout 60 "$HR" snapshot --root "$tmp/snap" "$tmp/snap2" >/dev/null 2>"$tmp/snap2.err"; rc=$?
[ "$rc" -eq 0 ] || { echo "snapshot of the snapshot exited $rc: $(head -5 "$tmp/snap2.err")"; exit 1; }
if ! diff -r --no-dereference -x SOURCE "$tmp/snap" "$tmp/snap2" >"$tmp/tree.diff"; then
	echo "snapshot of the snapshot differs:"; head -20 "$tmp/tree.diff"; exit 1
fi
timeout 60 "$HR" check --root "$tmp/snap2" --json >"$tmp/snap2.json"
if ! diff <(grep -v '"root":' "$tmp/snap.json") <(grep -v '"root":' "$tmp/snap2.json") >"$tmp/json.diff"; then
	echo "the two captures judge differently:"; head -20 "$tmp/json.diff"; exit 1
fi
echo "measured: snapshot of the snapshot: $(find "$tmp/snap2" -type f | wc -l) files, identical tree and JSON"
exit 0
