#!/usr/bin/env bash
# explain_kmsg.sh - `headroom explain` on the live /dev/kmsg: must read to the
# end without blocking, exit 0/1/2, and print valid JSON. Reads only.
set -uo pipefail
HR=${HEADROOM_ASAN:-${HEADROOM:-./headroom}}
if [ ! -r /dev/kmsg ]; then
	echo "/dev/kmsg not readable (not root or dmesg_restrict)"; exit 77
fi
out=$(mktemp); trap 'rm -f "$out"' EXIT
start=$(date +%s.%N)
timeout 20 "$HR" explain --json >"$out"; rc=$?
end=$(date +%s.%N)
case $rc in 0|1|2) ;; 124) echo "explain blocked on /dev/kmsg (timeout)"; exit 1 ;;
	*) echo "explain exit $rc"; cat "$out"; exit 1 ;; esac
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["command"]=="explain"; print("measured: /dev/kmsg %d bytes, %d incidents, %d lost records" % (d["input"]["bytes"], len(d["findings"]), d["input"]["lost_records"]))' "$out" || exit 1
printf 'measured: /dev/kmsg drained in %.3f s\n' "$(echo "$end - $start" | bc -l)"
# The same text through dmesg must give the same incidents.
if command -v dmesg >/dev/null; then
	n1=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$out")
	n2=$(dmesg | "$HR" explain --json - | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["findings"]))')
	[ "$n1" = "$n2" ] || { echo "kmsg gave $n1 incidents, dmesg text gave $n2"; exit 1; }
fi
exit 0
