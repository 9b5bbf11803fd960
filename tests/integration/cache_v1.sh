#!/usr/bin/env bash
# cache_v1.sh - `headroom cache` against real cgroup v1 memory cgroups below
# this test's own memory cgroup:
#   1. a 16 MiB file read inside P/a, then P/a removed: `--expect P/a` says
#      the pages are charged ABOVE the expected cgroup (kpagecgroup shows the
#      nearest live ancestor P), exit 1;
#   2. 1 MiB of it mlocked by another process, `--recharge P/b`: P/b's
#      memory.usage_in_bytes grows by about the other 15 MiB, the mlocked
#      pages are refused with the reason and stay where they were;
#   3. bad input (missing file, directory, FIFO, non-root): one line, exit 3.
# Exit 0 pass, 77 skip (reason on the last line), else fail. Root only.
set -uo pipefail
HEADROOM=${HEADROOM:-./headroom}
MIB=$((1 << 20))

skip() { echo "skip: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || skip "needs root (creates memory cgroups, reads /proc/kpage*)"
own=$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
mnt=$(awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ { print $2; exit }' /proc/self/mounts)
{ [ -n "$own" ] && [ -n "$mnt" ]; } || skip "no cgroup v1 memory controller on this kernel"
[ -r /proc/kpagecgroup ] || skip "no /proc/kpagecgroup (CONFIG_MEMCG and CONFIG_PROC_PAGE_MONITOR)"
[ -x "$HEADROOM" ] || fail "HEADROOM=$HEADROOM is not executable"
command -v python3 >/dev/null || skip "python3 missing (tools/install-deps.sh test)"

own=${own%/}
P=$own/hr-cache-$$
base=$mnt$P
locker=
# Page cache must be on a disk filesystem: tmpfs pages are shmem, not file.
tmp=$(mktemp -d /var/tmp/hr-cache.XXXXXX) || fail "mktemp"
case $(stat -f -c %T "$tmp") in tmpfs|ramfs) rm -rf "$tmp"; tmp=$(mktemp -d "$PWD/.hr-cache.XXXXXX") ;; esac
f=$tmp/data

cleanup() {
	[ "$BASHPID" = "$$" ] || return 0	# not in a forked child (see lib_run.bash)
	if [ -n "$locker" ]; then kill "$locker" 2>/dev/null; wait "$locker" 2>/dev/null; fi
	# Drop what our cgroups hold so none stays charged with our file, then
	# delete the file and the cgroups, children first.
	for cg in "$base/a" "$base/b" "$base"; do
		[ -d "$cg" ] && echo 0 >"$cg/memory.force_empty" 2>/dev/null
	done
	rm -rf "$tmp"
	for cg in "$base/a" "$base/b" "$base"; do [ -d "$cg" ] && rmdir "$cg"; done
}
trap cleanup EXIT

# jq-like: prints python expression $1 over the JSON on stdin (d = document).
js() { python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

mkdir "$base" "$base/a" || fail "mkdir $base/a"
dd if=/dev/zero of="$f" bs=1M count=16 oflag=direct status=none || fail "dd write"
# oflag=direct leaves nothing cached; make sure (count=0 + nocache drops the file).
dd if="$f" iflag=nocache count=0 status=none
u0=$(cat "$base/a/memory.usage_in_bytes")
# shellcheck disable=SC2016 # $$, $1, $2 belong to the inner sh
timeout 60 sh -c 'echo $$ >"$1/cgroup.procs" && exec dd if="$2" of=/dev/null bs=1M status=none' \
	sh "$base/a" "$f" || fail "read in $base/a"
u1=$(cat "$base/a/memory.usage_in_bytes")
echo "measured: $P/a usage $u0 -> $u1 after reading 16 MiB"
[ $((u1 - u0)) -ge $((14 * MIB)) ] || fail "precondition: reading 16 MiB in $P/a charged only $((u1 - u0)) bytes"
rmdir "$base/a" || fail "rmdir $base/a"

# --- 1. charged above the expected (deleted) cgroup -----------------------------
# Offlining after rmdir is asynchronous: until it is done kpagecgroup still
# names the removed cgroup (an inode no longer in the hierarchy, relation
# "unknown"; measured < 2 s on 6.18). Wait for that, bounded.
for i in $(seq 100); do
	out=$("$HEADROOM" cache --json --expect "$base/a" "$f")
	rc=$?
	[ "$(js "[o['relation'] for o in d['files'][0]['owners']].count('unknown')" <<<"$out")" = 0 ] && break
	sleep 0.1
done
echo "measured: removed cgroup resolved to its live ancestor after $i scans (0.1 s apart)"
[ "$rc" -eq 1 ] || { echo "$out"; fail "cache --expect (deleted) exit $rc, want 1"; }
[ "$(js 'd["expect"]' <<<"$out")" = "$P/a" ] || fail "expect not normalised to $P/a: $(js 'd["expect"]' <<<"$out")"
above=$(js "sum(o['pages'] for o in d['files'][0]['owners'] if o['cgroup'] == '$P' and o['relation'] == 'above_expected')" <<<"$out")
res=$(js "d['files'][0]['resident_pages']" <<<"$out")
echo "measured: $res resident pages, $above charged to $P = above the expected $P/a"
[ "$above" -ge $((4096 * 90 / 100)) ] || { echo "$out"; fail "only $above of 4096 pages above the expected cgroup"; }
txt=$("$HEADROOM" cache --expect "$P/a" "$f")
grep -q "ABOVE the expected cgroup" <<<"$txt" || fail "text lacks 'ABOVE the expected cgroup': $txt"
grep -q "nearest live ancestor" <<<"$txt" || fail "text lacks the kpagecgroup note: $txt"
# The owner itself as --expect: exit 0.
"$HEADROOM" cache --expect "$P" "$f" >/dev/null || fail "cache --expect $P (the owner) exit $?"

# --- 2. recharge to P/b, 1 MiB mlocked elsewhere ---------------------------------
# The locker maps the first 1 MiB read-only and shared through libc's mmap
# (a writable private map would be copied on mlock, locking anon copies).
python3 -c '
import ctypes, os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
a = libc.mmap(None, 1 << 20, 1, 1, fd, 0)  # PROT_READ, MAP_SHARED
if a in (None, ctypes.c_void_p(-1).value) or libc.mlock(ctypes.c_void_p(a), ctypes.c_size_t(1 << 20)):
    print("mmap/mlock failed", ctypes.get_errno(), flush=True); sys.exit(1)
print("locked", flush=True)
time.sleep(120)
' "$f" >"$tmp/locker.out" &
locker=$!
for _ in $(seq 100); do grep -q . "$tmp/locker.out" && break; sleep 0.1; done
grep -q locked "$tmp/locker.out" || fail "mlock helper: $(cat "$tmp/locker.out")"
mkdir "$base/b" || fail "mkdir $base/b"
b0=$(cat "$base/b/memory.usage_in_bytes")
out=$("$HEADROOM" cache --json --recharge "$P/b" "$f")
rc=$?
b1=$(cat "$base/b/memory.usage_in_bytes")
[ "$rc" -eq 0 ] || { echo "$out"; fail "cache --recharge exit $rc"; }
moved=$(js "sum(o['pages'] for o in d['files'][0]['recharge']['after']['owners'] if o['cgroup'] == '$P/b')" <<<"$out")
locked=$(js "sum(s['pages'] for s in d['files'][0]['not_movable'] if s['reason'] == 'mlocked')" <<<"$out")
# Untouched = none moved to P/b. Where the rest sits is P, except a page
# that was evicted before the mlock: the mlock faulted it back in and
# charged it to the locker's own cgroup (seen: 255 in P, 1 elsewhere).
left=$(js "sum(o['mlocked'] for o in d['files'][0]['recharge']['after']['owners'] if o['cgroup'] != '$P/b')" <<<"$out")
inb=$(js "sum(o['mlocked'] for o in d['files'][0]['recharge']['after']['owners'] if o['cgroup'] == '$P/b')" <<<"$out")
echo "measured: $P/b usage $b0 -> $b1 (+$(((b1 - b0) / 1024)) KiB); $moved pages now in $P/b; $locked mlocked refused, $left still mlocked outside $P/b, $inb in it"
[ $((b1 - b0)) -ge $((15 * MIB * 90 / 100)) ] || { echo "$out"; fail "$P/b grew by $((b1 - b0)), want about 15 MiB"; }
[ $((b1 - b0)) -le $((17 * MIB)) ] || fail "$P/b grew by $((b1 - b0)): more than the file"
[ "$moved" -ge $((3840 * 90 / 100)) ] || fail "only $moved pages recharged to $P/b"
[ "$locked" -eq 256 ] || { echo "$out"; fail "$locked mlocked pages refused, want 256"; }
[ "$left" -eq 256 ] && [ "$inb" -eq 0 ] || fail "$left mlocked pages left outside $P/b and $inb in it, want 256 and 0 (untouched)"
txt=$("$HEADROOM" cache --recharge "$P/b" "$f")
grep -q "not moved: 256 pages mlocked" <<<"$txt" || fail "text lacks the mlocked refusal: $txt"
grep -q "munlock" <<<"$txt" || fail "text lacks what the owner must do: $txt"

# --- 3. bad input: one line, exit 3 ------------------------------------------------
one_line() { # one_line WANT-RC PATTERN ARGS...
	local want=$1 pat=$2; shift 2
	local err rc
	err=$("$@" 2>&1 >/dev/null); rc=$?
	[ "$rc" -eq "$want" ] || fail "$*: exit $rc, want $want ($err)"
	[ "$(wc -l <<<"$err")" -eq 1 ] && [[ $err == "headroom: cache: "*$pat* ]] || fail "$*: '$err'"
}
one_line 3 "No such file" "$HEADROOM" cache "$tmp/nope"
one_line 3 "a directory" "$HEADROOM" cache "$tmp"
mkfifo "$tmp/fifo"
one_line 3 "a FIFO" timeout 10 "$HEADROOM" cache "$tmp/fifo"
one_line 4 "no FILE" "$HEADROOM" cache
one_line 4 "not a cgroup path" "$HEADROOM" cache --expect /a/../b "$f"
one_line 3 "no such cgroup" "$HEADROOM" cache --recharge "$P/nope" "$f"
if command -v setpriv >/dev/null; then
	one_line 3 "needs root" setpriv --reuid=65534 --regid=65534 --clear-groups "$HEADROOM" cache "$f"
fi
echo "pass"
