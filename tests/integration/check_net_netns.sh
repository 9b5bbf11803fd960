#!/usr/bin/env bash
# check_net_netns.sh - the netloss and conntrack areas on the real kernel,
# inside a network namespace of our own (hr-net-$$), loopback only.
#
# 1. A UDP receiver with the smallest SO_RCVBUF that never reads; a sender
#    blasts loopback datagrams at it for at most 6 s / 300000 datagrams.
#    `headroom check --area netloss --interval 1 --json` run in the netns
#    must report net.udp_rcvbuf_errors as crit with a non-zero rate.
# 2. When nf_conntrack is loaded: an nft rule with a conntrack match in the
#    netns makes the sender's flow tracked; `check --area conntrack` in the
#    netns must read the table (count >= 1 with nft; count and max readable
#    without it) and name the netns by its inode, not the host's.
# 3. `headroom snapshot` in the netns, then `check --root` on it, gives the
#    same finding ids and severities as the live netns.
# Exit 0 pass, 77 skip (reason on the last line), anything else fail.
set -uo pipefail
HR=${HEADROOM:-./headroom}
HR_ASAN=${HEADROOM_ASAN:-}
NS=hr-net-$$
pids=()

skip() { echo "skip: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || skip "needs root (ip netns)"
command -v ip >/dev/null || skip "ip (iproute2) not installed"
command -v python3 >/dev/null || skip "python3 not installed"
[ -x "$HR" ] || fail "no headroom binary at $HR"

cleanup() {
	[ "$BASHPID" = "$$" ] || return 0	# not in a forked child (see lib_run.bash)
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$tmp"
}
tmp=$(mktemp -d)
trap cleanup EXIT
ip netns add "$NS" 2>"$tmp/err" || skip "ip netns add failed: $(head -1 "$tmp/err")"
ip netns exec "$NS" ip link set lo up || skip "ip netns exec failed"

ns_ino=$(ip netns exec "$NS" readlink /proc/self/ns/net | tr -dc 0-9)
host_ino=$(readlink /proc/self/ns/net | tr -dc 0-9)
[ -n "$ns_ino" ] && [ "$ns_ino" != "$host_ino" ] || fail "netns inode $ns_ino vs host $host_ino"

have_ct=0
[ -e /proc/net/stat/nf_conntrack ] && have_ct=1
have_nft=0
if [ $have_ct = 1 ] && command -v nft >/dev/null; then
	# A conntrack match makes nf_conntrack register its hooks in this netns.
	ip netns exec "$NS" nft -f - <<'NFT' && have_nft=1
table inet hrnet {
	chain out { type filter hook output priority 0; ct state new,established accept; }
}
NFT
fi

# Receiver: SO_RCVBUF 1 is raised by the kernel to its minimum (2 x 2304 on
# 6.18), so a few datagrams fill it; it never reads. Bounded by timeout.
ip netns exec "$NS" timeout 30 python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
time.sleep(25)
' >"$tmp/port" &
pids+=($!)
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
[ -n "$port" ] || fail "receiver did not start"

# Sender: paced bursts (200 datagrams, 20 ms pause: ~10000/s) so it does
# not hog a shared CPU; at most 6 s and 300000 datagrams.
ip netns exec "$NS" timeout 10 python3 -c '
import socket, sys, time
port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end, n = time.time() + 6, 0
while time.time() < end and n < 300000:
    for _ in range(200):
        s.sendto(b"x" * 256, ("127.0.0.1", port))
    n += 200
    if n == 200:
        open(sys.argv[2], "w").write("started")
    time.sleep(0.02)
' "$port" "$tmp/started" &
pids+=($!)
# Wait (at most 5 s) until the sender runs and the receiver overflows, so
# the 1 s interval below falls inside the blast even on a loaded machine.
rcvbuf_errors() {
	ip netns exec "$NS" awk '/^Udp:/ { if (h) { print $(i) ; exit } for (i = 1; i <= NF; i++) if ($i == "RcvbufErrors") break; h = 1 }' /proc/net/snmp
}
for _ in $(seq 50); do
	[ -e "$tmp/started" ] && [ "$(rcvbuf_errors)" -gt 0 ] 2>/dev/null && break
	sleep 0.1
done
[ "$(rcvbuf_errors)" -gt 0 ] 2>/dev/null || fail "the blast produced no RcvbufErrors in 5 s"

ip netns exec "$NS" "$HR" check --area netloss --interval 1 --json >"$tmp/netloss.json"
rc=$?
[ $rc -eq 2 ] || fail "check --area netloss exit $rc, want 2 (crit); $(head -c 600 "$tmp/netloss.json")"
python3 - "$tmp/netloss.json" "$ns_ino" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["id"] == "net.udp_rcvbuf_errors"]
if not f:
    print("FAIL: no net.udp_rcvbuf_errors finding:", [x["id"] for x in d["findings"]]); sys.exit(1)
f = f[0]
rate, delta = f["facts"].get("udp_rcvbuf_errors_per_s", 0), f["facts"].get("udp_rcvbuf_errors_delta", 0)
if f["severity"] != "crit" or not rate > 0 or not delta > 0:
    print("FAIL: want crit with a rate, got", f["severity"], f["facts"]); sys.exit(1)
if sys.argv[2] not in f["subject"]:
    print("FAIL: subject", f["subject"], "does not name netns", sys.argv[2]); sys.exit(1)
if "during the interval" not in f["explanation"]:
    print("FAIL: explanation does not say it is a rate"); sys.exit(1)
print("measured: udp RcvbufErrors in netns: %d in %.2f s = %.0f/s (crit)" %
      (delta, f["facts"]["interval_seconds"], rate))
PY

# Round trip: a snapshot taken in the netns, checked with --root, judges
# like the live netns (same ids and severities; counters moved in between).
ip netns exec "$NS" "$HR" snapshot "$tmp/snap" >/dev/null 2>"$tmp/snap.err" ||
	fail "snapshot in netns: $(cat "$tmp/snap.err")"
grep -q "not captured" "$tmp/snap.err" && fail "snapshot missed files: $(cat "$tmp/snap.err")"
ids() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(sorted((f["id"], f["severity"]) for f in d["findings"]))'; }
live=$(ip netns exec "$NS" "$HR" check --area conntrack,netloss --json | ids)
snap=$("$HR" check --root "$tmp/snap" --area conntrack,netloss --json | ids)
[ "$live" = "$snap" ] || fail "snapshot judged differently: live $live, snapshot $snap"
[ "$(readlink "$tmp/snap/proc/self/ns/net" | tr -dc 0-9)" = "$ns_ino" ] ||
	fail "snapshot does not carry the netns link"
echo "note: live and snapshot findings: $live"

if [ $have_ct = 1 ]; then
	# The ASan build when present: the conntrack read path under sanitizers.
	bin=$HR
	[ -n "$HR_ASAN" ] && [ -x "$HR_ASAN" ] && bin=$HR_ASAN
	ip netns exec "$NS" "$bin" check --area conntrack --json >"$tmp/ct.json"
	rc=$?
	[ $rc -le 2 ] || fail "check --area conntrack exit $rc"
	python3 - "$tmp/ct.json" "$ns_ino" "$have_nft" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
ids = [x["id"] for x in d["findings"]]
if "conntrack.not_loaded" in ids or not any(i.startswith("conntrack.") for i in ids):
    print("FAIL: conntrack not read in the netns:", ids, d.get("not_read")); sys.exit(1)
f = [x for x in d["findings"] if x["id"] in ("conntrack.ok", "conntrack.usage")][0]
c, m = f["facts"].get("count"), f["facts"].get("max")
if c is None or not m:
    print("FAIL: count/max not read:", f["facts"]); sys.exit(1)
if sys.argv[2] not in f["subject"]:
    print("FAIL: subject", f["subject"], "is not netns", sys.argv[2]); sys.exit(1)
if sys.argv[3] == "1" and c < 1:
    print("FAIL: nft conntrack rule and a UDP flow, but count", c); sys.exit(1)
print("measured: conntrack in netns %s: count %d of max %d, drop %s" %
      (sys.argv[2], c, m, f["facts"].get("drop")))
PY
	[ $have_nft = 1 ] || echo "note: nft not installed: conntrack count not exercised above 0"
else
	echo "note: nf_conntrack not loaded on this host: conntrack part not run"
fi
echo "ok"
