#!/usr/bin/env bash
# guards_vm.sh - real-kernel proof of the agent's guards (issue 11) inside the
# qemu guest (Debian's cloud kernel, tests/vm/vm-run.sh; guest side
# tests/vm/guest-guards.sh), because they write global knobs that must never
# change on this host:
#   atomic  the test module tests/vm/kmod/hr_atomic_fail.ko, built here
#           against the guest kernel's own headers (tests/vm/kheaders-setup.sh),
#           makes the guest kernel log a real "page allocation failure:
#           order:10, mode:0x...(GFP_ATOMIC)"; `headroom explain` on the live
#           /dev/kmsg reports it as alloc_failure order 10;
#   ct      real TCP flows past nf_conntrack_max: drops without the agent;
#           with [guard conntrack] mode = act the max is raised in steps and
#           drops stay 0, the original is back after stop, and after each of
#           GG_KILLS kill -9s at random points (fixed seed) plus a restart;
#   dead    [guard deadcharge] mode = act: the dying child's charge is
#           reclaimed at its parent, the live child keeps its cache;
#   wmark   [guard watermark] mode = act: the module's real failures boost
#           vm.watermark_scale_factor in steps, it decays back when they stop,
#           the original is back after stop and kill -9.
# Nothing on the host is mounted or changed. Exit 0 pass, 77 skip, else fail.
# GG_PHASES="atomic ct dead wmark frag" selects phases (all by default).
set -uo pipefail
cd "$(dirname "$0")/../.."
HEADROOM=${HEADROOM:-$PWD/headroom}
skip() { echo "skip: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
[ -x "$HEADROOM" ] || fail "HEADROOM=$HEADROOM is not executable"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 missing (run tests/vm/vm-setup.sh)"
cache=${HEADROOM_VM_CACHE:-/var/cache/headroom-vm}
kernel=$(ls "$cache"/kernels/*-cloud-amd64/boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)
[ -n "$kernel" ] || skip "no cached guest kernel (run tests/vm/vm-setup.sh)"
kver=${kernel##*/vmlinuz-}
hdr=$cache/kernels/$kver/headers/usr/src/linux-headers-$kver
[ -f "$cache/kernels/$kver/headers/.complete" ] ||
	skip "no headers for the guest kernel $kver (run tests/vm/vm-setup.sh as root: it fetches them)"
command -v make >/dev/null || skip "make missing"
command -v gcc-12 >/dev/null || skip "gcc-12 missing (the guest kernel's headers build with it)"
command -v nft >/dev/null || skip "nft missing (tools/install-deps.sh test)"
pkg-config --exists libnetfilter_conntrack || skip "libnetfilter-conntrack-dev missing"
work=$(mktemp -d "${TMPDIR:-/tmp}/hr-guards-vm.XXXXXX") || fail mktemp
trap 'rm -rf "$work"' EXIT
mkdir "$work/payload" "$work/kmod"
cp tests/vm/kmod/hr_atomic_fail.c tests/vm/kmod/Kbuild "$work/kmod/"
make -C "$hdr" M="$work/kmod" modules >"$work/kmod.log" 2>&1 ||
	{ tail -20 "$work/kmod.log"; fail "cannot build hr_atomic_fail.ko against $hdr"; }
cp "$work/kmod/hr_atomic_fail.ko" "$HEADROOM" "$work/payload/"
cp tests/vm/guest-guards.sh "$work/payload/guest.sh"
cp "$(command -v nft)" "$work/payload/nft"
cat >"$work/ctflows.c" <<'C'
/* ctflows - real TCP flows on 127.0.0.1 for the conntrack guard proof (guest
 * only). Each established connection is one ASSURED conntrack entry, which
 * the kernel never early-drops: past nf_conntrack_max the SYN is dropped
 * ("nf_conntrack: table full, dropping packet") and the client retransmits.
 *   ctflows open PORT BURST RATE TOTAL SECONDS
 *       listen on PORT, open BURST connections at once, then RATE/s up to
 *       TOTAL; hold them all until SECONDS after the start; print
 *       "ct_open target=TOTAL established=N" and close (with RST: no TIME_WAIT).
 *   ctflows flush      flush the netns' conntrack table (ctnetlink)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "flush")) {
		struct nfct_handle *h = nfct_open(CONNTRACK, 0);
		uint32_t fam = AF_INET;
		if (!h || nfct_query(h, NFCT_Q_FLUSH, &fam) < 0) {
			perror("ctflows: flush");
			return 1;
		}
		nfct_close(h);
		return 0;
	}
	if (argc != 7 || strcmp(argv[1], "open")) {
		fprintf(stderr, "usage: ctflows open PORT BURST RATE TOTAL SECONDS | ctflows flush\n");
		return 2;
	}
	int port = atoi(argv[2]), burst = atoi(argv[3]), rate = atoi(argv[4]), total = atoi(argv[5]);
	double secs = atof(argv[6]), t0 = now();
	struct rlimit rl = { 65536, 65536 };
	setrlimit(RLIMIT_NOFILE, &rl);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int one = 1, l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 65535)) {
		perror("ctflows: listen");
		return 1;
	}
	int *c = calloc((size_t)total, sizeof(int)), *s = calloc((size_t)total, sizeof(int));
	char *up = calloc((size_t)total, 1);
	int opened = 0, est = 0, acc = 0;
	while (now() - t0 < secs) {
		double t = now() - t0;
		int want = burst + (int)(t * rate);
		if (want > total)
			want = total;
		while (opened < want) {
			c[opened] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
			if (c[opened] < 0 || (connect(c[opened], (struct sockaddr *)&a, sizeof(a)) && errno != EINPROGRESS)) {
				perror("ctflows: connect");
				return 1;
			}
			opened++;
		}
		int fd;
		while (acc < total && (fd = accept(l, NULL, NULL)) >= 0)
			s[acc++] = fd;
		for (int i = 0; i < opened; i++) {
			if (up[i])
				continue;
			struct pollfd p = { c[i], POLLOUT, 0 };
			int err = 0;
			socklen_t el = sizeof(err);
			if (poll(&p, 1, 0) == 1 && !getsockopt(c[i], SOL_SOCKET, SO_ERROR, &err, &el) && !err) {
				up[i] = 1;
				est++;
			}
		}
		usleep(20000);
	}
	printf("ct_open target=%d opened=%d established=%d accepted=%d\n", total, opened, est, acc);
	fflush(stdout);
	struct linger lg = { 1, 0 };
	for (int i = 0; i < opened; i++) {
		setsockopt(c[i], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(c[i]);
	}
	for (int i = 0; i < acc; i++)
		close(s[i]);
	return 0;
}
C
cc -O2 -Wall -Werror -o "$work/payload/ctflows" "$work/ctflows.c" -lnetfilter_conntrack ||
	fail "cannot build ctflows"
cc -O2 -Wall -Werror -static -o "$work/payload/fragmem" tests/vm/fragmem.c || fail "cannot build fragmem"
envs=()
for v in GG_PHASES GG_KILLS GG_SEED GG_CT_MAX GG_CT_BURST GG_CT_RATE GG_CT_TOTAL GG_CT_SECS \
	GG_DEAD_MANUAL GG_DEAD_MB GG_LIVE_MB GG_WM_SHOTS GG_WM_GAP GG_FRAG_LEAVE; do
	[ -z "${!v:-}" ] || envs+=(-e "$v=${!v}")
done
t0=$(date +%s)
tests/vm/vm-run.sh -d 512 -m 1024 -t 900 -M nf_conntrack -M nf_conntrack_netlink -M nft_ct "${envs[@]}" -- "$work/payload" \
	'PATH=/payload:$PATH sh ./guest.sh' >"$work/out" 2>&1
rc=$?
echo "measured: qemu TCG run $(($(date +%s) - t0)) s (guest status $rc)"
[ -z "${GG_KEEP:-}" ] || cp "$work/out" "$GG_KEEP"	# the whole guest output, for a look
grep -E '^(gg|series|kernel:) ' "$work/out"
case $rc in
0) ;;
124) tail -30 "$work/out"; fail "the guest test timed out" ;;
125) tail -30 "$work/out"; skip "the VM did not report a status (qemu/kernel problem)" ;;
*) tail -40 "$work/out"; fail "guest test status $rc" ;;
esac
python3 - "$work/out" <<'PY' || { sed -n '/^=== log/,/^=== end/p' "$work/out" | tail -80; grep -E '^(ctk|wmk): ' "$work/out" | tail -40; fail "assertions"; }
import re, sys
lines = open(sys.argv[1]).read().replace('\r', '').split('\n')
gg = {}
for l in lines:
    if l.startswith('gg '):
        w = l.split()
        gg[w[1]] = dict(x.split('=', 1) for x in w[2:] if '=' in x)
def num(ph, k):
    return int(gg[ph][k])
bad = []
def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        bad.append(what)
if 'atomic' in gg:
    a = gg['atomic']
    check(num('atomic', 'module_failures') == 1, "module caused 1 GFP_ATOMIC failure (%s)" % a['module_failures'])
    check(num('atomic', 'kernel_lines') >= 1, "kernel logged 'page allocation failure: order:10 ... GFP_ATOMIC'")
    check(num('atomic', 'explain_alloc_failures') >= 1 and num('atomic', 'explain_order10') >= 1,
          "headroom explain on /dev/kmsg: alloc_failure order 10 (verdict %s)" % a.get('verdict'))
if 'ct_noguard' in gg:
    check(num('ct_noguard', 'drops') > 0, "without the guard: %s conntrack drops" % gg['ct_noguard']['drops'])
    check(num('ct_noguard', 'kernel_table_full_lines') > 0, "without the guard: kernel logged 'table full'")
if 'ct_guard' in gg:
    g = gg['ct_guard']
    check('agent_failed' not in g, "agent with [guard conntrack] mode = act started")
    if 'agent_failed' not in g:
        series = [int(m.group(1)) for l in lines for m in [re.match(r'series guard t=\S+ max=(\d+)', l)] if m]
        steps = sorted(set(series))
        print("measured: conntrack max series with the guard: %s" % ' '.join(map(str, steps)))
        check(len(steps) >= 2, "max raised in steps (%d distinct values)" % len(steps))
        check(num('ct_guard', 'drops') == 0, "with the guard: %s drops" % g['drops'])
        check(g['agent_rc'] == '0', "agent exit status %s on SIGTERM" % g['agent_rc'])
        check(g['max_after_stop'] == g['original'], "max after stop %s == original %s" % (g['max_after_stop'], g['original']))
if 'ct_kill9' in gg:
    k = gg['ct_kill9']
    check(num('ct_kill9', 'kills') >= 1 and k['restored_on_restart'] == k['kills'] and k['original_after_stop'] == k['kills'],
          "kill -9: %s kills (%s while raised), original back on restart %s, after stop %s" %
          (k['kills'], k['raised_at_kill'], k['restored_on_restart'], k['original_after_stop']))
    check(all(l.split()[-1] == 'rc=0' for l in lines if l.startswith('series ctkill')), "every restarted agent exited 0 on SIGTERM")
    check(num('ct_kill9', 'raised_at_kill') >= 1, "at least one kill hit a raised max")
MiB = 1 << 20
if 'dead_before' in gg:
    b, a = gg['dead_before'], gg['dead_after']
    check(num('dead_before', 'dying') >= 1 and num('dead_before', 'dead') >= 32 * MiB,
          "setup: %s dying, dead charge %.1f MiB" % (b['dying'], num('dead_before', 'dead') / MiB))
    check(num('dead_idle', 'dead') >= 32 * MiB, "without the guard the dead charge stays (%.1f MiB after 5 s)" % (num('dead_idle', 'dead') / MiB))
    if 'dead_guard' in gg:
        check(False, "agent with [guard deadcharge] mode = act started")
    else:
        check(num('dead_hold', 'dead') >= num('dead_idle', 'dead') * 9 // 10,
              "with a live child the guard holds: dead charge %.1f of %.1f MiB left" % (num('dead_hold', 'dead') / MiB, num('dead_idle', 'dead') / MiB))
        check(num('dead_hold', 'l_file') >= num('dead_after', 'l_file_before') * 9 // 10,
              "live child keeps its cache: %.1f of %.1f MiB" % (num('dead_hold', 'l_file') / MiB, num('dead_after', 'l_file_before') / MiB))
        check(any('live children hold cache' in l for l in lines), "the agent logged why it holds")
        check(num('dead_after', 'dead') <= 2 * MiB, "live child removed: dead charge after %.1f MiB (<= 2 MiB)" % (num('dead_after', 'dead') / MiB))
        # Not asserted: on 6.1 the removed children stayed dying after their
        # page cache was gone (other references pin them; doc/guards.md).
        print("measured: dying descendants after the reclaim: %s (before %s)" % (a['dying'], b['dying']))
if 'wmark' in gg:
    w = gg['wmark']
    check('agent_failed' not in w, "agent with [guard watermark] mode = act started")
    if 'agent_failed' not in w:
        ser = [(float(m.group(1)), int(m.group(2)), int(m.group(3))) for l in lines
               for m in [re.match(r'series wmark t=(\S+) wsf=(\d+) min_free_kbytes=\d+ failures=(\d+)', l)] if m]
        vals = [v for _, v, _ in ser]
        comp = [vals[0]] + [v for i, v in enumerate(vals[1:]) if v != vals[i]] if vals else []
        print("measured: watermark_scale_factor series (changes): %s" % ' '.join(map(str, comp)))
        o = num('wmark', 'original')
        check(num('wmark', 'failures') >= num('wmark', 'shots'), "%s real failures from %s shots" % (w['failures'], w['shots']))
        check(num('wmark', 'peak') > o and max(vals or [0]) > o, "boosted: peak %d over original %d" % (max(vals or [0]), o))
        ups = [b - a for a, b in zip(comp, comp[1:]) if b > a]
        check(len(ups) >= 2, "boost in steps: %s" % ups)
        top = comp.index(max(comp)) if comp else 0
        check(any(v < max(comp) for v in comp[top:]) and num('wmark', 'after_decay') == o,
              "decayed back to the original %d (after decay %s)" % (o, w['after_decay']))
        check(num('wmark', 'after_stop') == o and num('wmark', 'min_free_after_stop') == num('wmark', 'min_free_orig'),
              "after stop: wsf %s, min_free_kbytes %s (originals %d, %s)" % (w['after_stop'], w['min_free_after_stop'], o, w['min_free_orig']))
if 'frag_before' in gg:
    b, i = gg['frag_before'], gg['frag_idle']
    print("measured: DMA32 free blocks of order >= 3: %s (%s pages) fragmented, %s (%s pages) 5 s later without the agent"
          % (b['blocks'], b['pages'], i['blocks'], i['pages']))
    check('frag' not in gg, "agent with [guard watermark] compact = yes started")
    if 'frag_after' in gg:
        a = gg['frag_after']
        print("measured: after the guard's compaction: %s blocks (%s pages) of order >= 3" % (a['blocks'], a['pages']))
        check(a['logged'] != '0', "the agent logged the compaction trigger (%s lines)" % a['logged'])
        check(a['actions'] not in ('', '0'), "headroom_guard_actions_total{guard=watermark,action=compact} = %s" % a['actions'])
        check(num('frag_idle', 'pages') <= num('frag_before', 'pages') * 2 + 1024,
              "without the agent order >= 3 stays scarce (%s -> %s pages)" % (b['pages'], i['pages']))
        check(num('frag_after', 'pages') >= 2 * num('frag_idle', 'pages') + 4096,
              "after the guard's compaction order >= 3 pages grew: %s -> %s" % (i['pages'], a['pages']))
        check(gg['frag_stop']['agent_rc'] == '0', "agent exit status %s on SIGTERM" % gg['frag_stop']['agent_rc'])
if 'wmark_incidents' in gg:
    i = gg['wmark_incidents']
    print("measured: kernel allocation failure reports so far %s, agent incidents in the boost run %s" % (i['kernel_reports'], i['agent_incidents']))
if 'wmark_stop' in gg:
    s = gg['wmark_stop']
    check(num('wmark_stop', 'boosted') > num('wmark_stop', 'original') and s['after_stop'] == s['original'],
          "SIGTERM inside the boost (%s): original %s back" % (s['boosted'], s['original']))
if 'wmark_kill9' in gg:
    k = gg['wmark_kill9']
    check(num('wmark_kill9', 'kills') >= 1 and k['restored_on_restart'] == k['kills'] and k['original_after_stop'] == k['kills'],
          "wmark kill -9: %s kills (%s while boosted), original back on restart %s, after stop %s" %
          (k['kills'], k['raised_at_kill'], k['restored_on_restart'], k['original_after_stop']))
    # Not asserted: whether a kill lands while boosted depends on the
    # kernel's 10 s limit on failure reports (0-3 of 10 seen); the
    # conntrack phase asserts a kill inside a raised value.
    print("measured: wmark kill -9: %s of %s kills hit a boosted knob" % (k['raised_at_kill'], k['kills']))
sys.exit(1 if bad else 0)
PY
echo pass
exit 0

