#!/usr/bin/env bash
# netswap_live.sh - the live-host half of swap resolution (stat: st_rdev of
# a partition, st_dev of a file matched against mountinfo), which fixtures
# cannot reach. This host has no swap and the test must not enable any, so
# a private mount namespace (propagation private: nothing leaks to the host)
# bind-mounts a made-up /proc/swaps naming a real block device and a real
# file whose path has a space (escaped \040, as the kernel prints it).
# headroom must resolve both through stat and call them local.
set -uo pipefail
HR=${HEADROOM_ASAN:-${HEADROOM:-./headroom}}
HR=$(readlink -f "$HR")
[ "$(id -u)" -eq 0 ] || { echo "needs root for a private mount namespace"; exit 77; }
command -v unshare >/dev/null && command -v python3 >/dev/null || { echo "unshare or python3 missing"; exit 77; }
rootdev=$(awk '$5 == "/" { for (i = 7; i <= NF; i++) if ($i == "-") { print $(i + 2); break } }' /proc/self/mountinfo | tail -n 1)
[ -b "$rootdev" ] || { echo "root filesystem is not on a block device ($rootdev)"; exit 77; }
tmp=$(mktemp -d /var/tmp/hr-zones-$$-XXXX)
trap '[ "$BASHPID" = "$$" ] && rm -rf "$tmp"' EXIT
mkdir -p "$tmp/swap dir" && : >"$tmp/swap dir/file"
esc=$(printf '%s' "$tmp/swap dir/file" | sed 's/ /\\040/g')
printf 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n%s file\t\t1024\t\t0\t\t-2\n%s partition\t2048\t\t0\t\t-3\n' \
	"$esc" "$rootdev" >"$tmp/swaps"

timeout 60 unshare -m --propagation private sh -c \
	'mount --bind "$1" /proc/swaps && exec "$2" check --area netswap --json' \
	sh "$tmp/swaps" "$HR" >"$tmp/out.json"; rc=$?
[ "$rc" -le 2 ] || { echo "check exited $rc"; exit 1; }
grep -q "hr-zones-$$" /proc/swaps && { echo "fake /proc/swaps leaked to the host"; exit 1; }

python3 - "$tmp/out.json" "$tmp/swap dir/file" "$rootdev" <<'PY' || exit 1
import json, os, sys
doc, path, dev = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
ids = [f["id"] for f in doc["findings"]]
assert ids == ["netswap.ok"], ids
facts = doc["findings"][0]["facts"]
assert facts["local_swaps"] == [path, dev], facts
st = facts["local_swap_storage"]
assert st[0].endswith("(stat)") and st[1].endswith("(stat)"), st
name = os.path.basename(os.path.realpath(dev))
assert st[1] == f"{name} (stat)", st
print(f"measured: {path!r} resolved as {st[0]}; {dev} as {st[1]}")
PY
