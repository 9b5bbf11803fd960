#!/usr/bin/env bash
# bench/dirty_v1.sh - dirty writes into a cgroup v1 memcg with and without
# `headroom run`: 1 MiB buffered writes at full speed into a 256 MiB memcg
# for 5 s (tests/vm/net/netload.c dirty, a new file per run), ROUNDS
# interleaved rounds (default 3). Prints memory.failcnt and write MB/s per
# run, the medians, the hit reduction (goal >= 99 %) and the throughput
# ratio (goal >= 0.9). Policy: high 90 %, low 80 %, reclaim mode, other
# settings default. Never fails on a number; skips without root or v1.
set -uo pipefail
cd "$(dirname "$0")/.."
HR=${HEADROOM:-$PWD/headroom}
ROUNDS=${ROUNDS:-3}
NAME=dirty_v1
PFX=hr-dirty-$$
. bench/lib_v1.bash
cc -std=c17 -O2 -o "$WORK/netload" tests/vm/net/netload.c || { note "cannot build netload"; exit 1; }
LIMIT=$((256 << 20))
cat >"$WORK/conf" <<CONF
[agent]
cgroup_root = $M
run_dir = $WORK/run
max_cgroups = 256
[policy bench]
match = /$PFX-a*
mode = reclaim
CONF
"$HR" run -c "$WORK/conf" -v >"$WORK/agent.log" 2>&1 &
AGENT=$!
for _ in $(seq 100); do grep -q "ready:" "$WORK/agent.log" && break; sleep 0.05; done
grep -q "ready:" "$WORK/agent.log" || { note "agent did not start"; cat "$WORK/agent.log"; exit 1; }
for r in $(seq "$ROUNDS"); do
	for who in b a; do
		cg=$M/$PFX-$who$r
		mkdir "$cg" && echo $LIMIT >"$cg/memory.limit_in_bytes"
		sleep 0.3	# the agent picks it up through inotify
		sync
		out=$("$WORK/netload" -g "$cg" dirty "$WORK/f.$who$r" 1024 5)
		fc=$(cat "$cg/memory.failcnt")
		mbps=$(sed -n 's/.*dirty_mbps=\([0-9.]*\).*/\1/p' <<<"$out")
		echo "run $r $([ $who = a ] && echo "with agent   " || echo "without agent"): failcnt $fc, $mbps MB/s"
		echo "$who $fc $mbps" >>"$WORK/res"
		rm -f "$WORK/f.$who$r"
		echo 0 >"$cg/memory.force_empty"; rmdir "$cg"
	done
done
awk '
function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
$1 == "b" { nb++; fb[nb] = $2; tb[nb] = $3 } $1 == "a" { na++; fa[na] = $2; ta[na] = $3 }
END { mfb = med(fb, nb); mfa = med(fa, na); mtb = med(tb, nb); mta = med(ta, na)
	printf "dirty writes v1 (256 MiB memcg, 1 MiB writes, 5 s, medians of %d): failcnt without agent %d, with agent %d, reduction %.2f%% (goal >= 99%%); MB/s without %.0f, with %.0f, ratio %.3f (goal >= 0.9)\n",
		nb, mfb, mfa, mfb ? 100 * (mfb - mfa) / mfb : 0, mtb, mta, mtb ? mta / mtb : 0 }' "$WORK/res"
echo "agent: $(grep -c 'squeeze by=' "$WORK/agent.log") rounds, $(grep -c 'not reclaiming' "$WORK/agent.log") 'not reclaiming' notes; status: $("$HR" status --run-dir "$WORK/run")"
[ -n "${DIRTY_V1_LOG:-}" ] && cp "$WORK/agent.log" "$DIRTY_V1_LOG"
exit 0
