/* test_explain.c - log-line prefixes, /dev/kmsg records, GFP tables, the
 * kernel-log line parsers, the anchor scanner, and the whole engine over
 * the real excerpts in tests/fixtures/kmsg (facts from each .source). */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "detect/incident.h"
#include "report/report.h"

static struct hr_span sp(const char *s)
{
	struct hr_span r = { s, strlen(s) };
	return r;
}

/* ---- logline ---- */
static void test_logline(void **state)
{
	(void)state;
	static const struct {
		const char *in, *text, *caller, *host;
		enum hr_ts_kind ts;
		int64_t usec;
		bool not_kernel;
	} t[] = {
		{ "[  785.581198] kworker/3:2: page allocation failure", "kworker/3:2: page allocation failure", "", "", HR_TS_MONO, 785581198, false },
		{ "[  659.105948][ T3124] kworker/2:1H: x", "kworker/2:1H: x", "T3124", "", HR_TS_MONO, 659105948, false },
		{ "[   12.1][    C3] y", "y", "C3", "", HR_TS_MONO, 12100000, false },
		{ "Sep  8 16:40:44 knalp3 kernel: chrome: page", "chrome: page", "", "knalp3", HR_TS_WALL, (8 * 86400 + 16 * 3600 + 40 * 60 + 44) * 1000000LL, false },
		{ "Feb 29 19:54:23 kernel: TCP: TCP: Possible", "TCP: TCP: Possible", "", "", HR_TS_WALL, (29 * 86400 + 19 * 3600 + 54 * 60 + 23) * 1000000LL, false },
		{ "2019-02-25T03:45:03.778502+00:00 hostname kernel: [20763743.334180] nf_conntrack: table full", "nf_conntrack: table full", "", "hostname", HR_TS_MONO, 20763743334180LL, false },
		{ "[Thu May  9 14:52:38 2024] CPU 11/KVM invoked", "CPU 11/KVM invoked", "", "", HR_TS_WALL, (9 * 86400 + 14 * 3600 + 52 * 60 + 38) * 1000000LL, false },
		{ "[  +0.000004]       Not tainted 5.7.0-rc2+ #2", "Not tainted 5.7.0-rc2+ #2", "", "", HR_TS_NONE, 0, false },
		{ "kernel: [759720.237846] TCP: out of memory", "TCP: out of memory", "", "", HR_TS_MONO, 759720237846LL, false },
		{ "    kernel: Pid: 0, comm: swapper", "Pid: 0, comm: swapper", "", "", HR_TS_NONE, 0, false },
		{ "Sep  8 16:40:44 host sshd[12]: page allocation failure", "page allocation failure", "", "host", HR_TS_WALL, (8 * 86400 + 16 * 3600 + 40 * 60 + 44) * 1000000LL, true },
		{ "<4>[ 1.5] hi", "hi", "", "", HR_TS_MONO, 1500000, false },
		{ "[24389]     0 24389      253        1 pause", "[24389]     0 24389      253        1 pause", "", "", HR_TS_NONE, 0, false },
		{ " [<ffffffff816a5ea1>] dump_stack+0x19/0x1b", "[<ffffffff816a5ea1>] dump_stack+0x19/0x1b", "", "", HR_TS_NONE, 0, false },
		{ "text\r", "text", "", "", HR_TS_NONE, 0, false },
		{ "", "", "", "", HR_TS_NONE, 0, false },
		{ "[", "[", "", "", HR_TS_NONE, 0, false },
		/* A bracketed number too large for a time: dropped as an unusable stamp. */
		{ "[18446744073709551616.0] x", "x", "", "", HR_TS_NONE, 0, false },
		/* paste markers: quoting and a glued code fence */
		{ "> [  785.581198] CPU: 3 PID: 1", "CPU: 3 PID: 1", "", "", HR_TS_MONO, 785581198, false },
		{ ">> > [ 1.5] z", "z", "", "", HR_TS_MONO, 1500000, false },
		{ "```[ 1.5] y", "y", "", "", HR_TS_MONO, 1500000, false },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct hr_logline ll;
		char buf[512];
		logline_parse(t[i].in, strlen(t[i].in), &ll);
		span_copy(ll.text, buf, sizeof(buf));
		if (strcmp(buf, t[i].text))
			fail_msg("case %zu: text '%s' want '%s'", i, buf, t[i].text);
		assert_string_equal(ll.caller, t[i].caller);
		span_copy(ll.host, buf, sizeof(buf));
		assert_string_equal(buf, t[i].host);
		if (ll.ts_kind != t[i].ts)
			fail_msg("case %zu: ts kind %d want %d", i, ll.ts_kind, t[i].ts);
		if (t[i].ts != HR_TS_NONE)
			assert_true(ll.ts_usec == t[i].usec);
		assert_int_equal(ll.not_kernel, t[i].not_kernel);
	}
}

static void test_kmsg_record(void **state)
{
	(void)state;
	struct hr_kmsg_rec r;
	assert_int_equal(kmsg_record_parse(S("6,1234,5678901,-;hello\n SUBSYSTEM=net\n"), &r), 0);
	assert_int_equal(r.level, 6);
	assert_int_equal(r.facility, 0);
	assert_true(r.seq == 1234 && r.usec == 5678901);
	assert_true(span_eq(r.text, "hello"));
	assert_int_equal(kmsg_record_parse(S("4,1,2,c,caller=T42,more=1;x"), &r), 0);
	assert_true(r.cont);
	assert_string_equal(r.caller, "T42");
	assert_int_equal(kmsg_record_parse(S("30,1,2,-;from user"), &r), 0);
	assert_int_equal(r.facility, 3);
	assert_int_equal(kmsg_record_parse(S(""), &r), -EINVAL);
	assert_int_equal(kmsg_record_parse(S("6,1,2"), &r), -EINVAL);
	assert_int_equal(kmsg_record_parse(S("-1,1,2,-;x"), &r), -EINVAL);
	assert_int_equal(kmsg_record_parse(S("6,18446744073709551616,2,-;x"), &r), -EINVAL);
	assert_int_equal(kmsg_record_parse(S("6,1,2,-\nx;y"), &r), -EINVAL);
	assert_int_equal(kmsg_record_parse(S("garbage"), &r), -EINVAL);
}

/* ---- gfp ---- */
static void test_gfp(void **state)
{
	(void)state;
	const char *names[48];
	char hex[24];
	assert_int_equal(gfp_layout_for_version(3, 4), HR_GFP_2_6);
	assert_int_equal(gfp_layout_for_version(4, 9), HR_GFP_4_4);
	assert_int_equal(gfp_layout_for_version(4, 14), HR_GFP_4_10);
	assert_int_equal(gfp_layout_for_version(4, 19), HR_GFP_4_18);
	assert_int_equal(gfp_layout_for_version(5, 4), HR_GFP_5_1);
	assert_int_equal(gfp_layout_for_version(6, 18), HR_GFP_6_6);
	assert_int_equal(gfp_layout_for_version(1, 0), HR_GFP_UNKNOWN);
	/* Composite masks per layout (KERNEL-FACTS E.1). */
	static const struct { enum hr_gfp_layout l; uint64_t m; const char *first; } c[] = {
		{ HR_GFP_2_6, 0x20, "GFP_ATOMIC" }, { HR_GFP_2_6, 0xd0, "GFP_KERNEL" },
		{ HR_GFP_4_4, 0x2080020, "GFP_ATOMIC" }, { HR_GFP_4_10, 0x1080020, "GFP_ATOMIC" },
		{ HR_GFP_4_18, 0x480020, "GFP_ATOMIC" }, { HR_GFP_5_1, 0xa20, "GFP_ATOMIC" },
		{ HR_GFP_6_6, 0x820, "GFP_ATOMIC" }, { HR_GFP_4_18, 0x6200ca, "GFP_HIGHUSER_MOVABLE" },
		{ HR_GFP_5_1, 0xcc0, "GFP_KERNEL" },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		size_t n = gfp_decode(c[i].m, c[i].l, names, 48, hex, sizeof(hex));
		assert_int_equal(n, 1);
		assert_string_equal(names[0], c[i].first);
	}
	/* 0x24201ca on 4.6 printed GFP_HIGHUSER_MOVABLE|__GFP_COLD (fixture 32). */
	size_t n = gfp_decode(0x24201ca, HR_GFP_4_4, names, 48, hex, sizeof(hex));
	assert_int_equal(n, 2);
	assert_string_equal(names[1], "__GFP_COLD");
	/* Unknown bits stay hex. */
	n = gfp_decode(0x40000000, HR_GFP_6_6, names, 48, hex, sizeof(hex));
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "0x40000000");
	/* No table: the whole mask stays a number. */
	assert_int_equal(gfp_decode(0x20, HR_GFP_UNKNOWN, names, 48, hex, sizeof(hex)), 1);
	assert_string_equal(names[0], "0x20");
	/* Layout from printed names and from shape. */
	assert_int_equal(gfp_layout_from_names(0x40a20, S("GFP_ATOMIC|__GFP_COMP")), HR_GFP_5_1);
	assert_int_equal(gfp_layout_from_names(0x2080020, S("GFP_ATOMIC")), HR_GFP_4_4);
	assert_int_equal(gfp_layout_from_names(0x820, S("GFP_ATOMIC")), HR_GFP_6_6);
	assert_int_equal(gfp_layout_from_names(0x20, S("GFP_NONSENSE")), HR_GFP_UNKNOWN);
	assert_int_equal(gfp_layout_from_names(0x20, S("")), HR_GFP_UNKNOWN);
	assert_int_equal(gfp_layout_from_shape(0x20), HR_GFP_2_6);
	assert_int_equal(gfp_layout_from_shape(0x280da), HR_GFP_2_6);
	assert_int_equal(gfp_layout_from_shape(0x2080020), HR_GFP_4_4);
	assert_int_equal(gfp_layout_from_shape(0x1080020), HR_GFP_4_10);
	assert_int_equal(gfp_layout_from_shape(0x480020), HR_GFP_4_18);
	assert_int_equal(gfp_layout_from_shape(0xa20), HR_GFP_5_1);
	assert_int_equal(gfp_layout_from_shape(0x820), HR_GFP_6_6);
	assert_int_equal(gfp_layout_from_shape(UINT64_MAX), HR_GFP_UNKNOWN);
	assert_string_equal(gfp_layout_name(HR_GFP_4_18), "4.18-5.0");
	assert_string_equal(gfp_layout_name((enum hr_gfp_layout)99), "unknown");
}

/* ---- klog line parsers ---- */
static void test_klog_alloc(void **state)
{
	(void)state;
	struct klog_alloc a;
	char b[64];
	/* 5.4.26 */
	assert_int_equal(klog_alloc_parse(sp("kworker/3:2: page allocation failure: order:0, mode:0xa20(GFP_ATOMIC), nodemask=(null),cpuset=/,mems_allowed=0"), &a), 0);
	assert_string_equal(span_copy(a.comm, b, sizeof(b)), "kworker/3:2");
	assert_true(a.order == 0 && a.mask == 0xa20);
	assert_string_equal(span_copy(a.names, b, sizeof(b)), "GFP_ATOMIC");
	assert_string_equal(span_copy(a.nodemask, b, sizeof(b)), "(null)");
	/* 2.6.18 */
	assert_int_equal(klog_alloc_parse(sp("swapper: page allocation failure. order:1, mode:0x20"), &a), 0);
	assert_true(a.order == 1 && a.mask == 0x20 && a.names.len == 0);
	/* 4.9 stall */
	assert_int_equal(klog_alloc_parse(sp("java: page allocation stalls for 10012ms, order:0, mode:0x24201ca(GFP_HIGHUSER_MOVABLE|__GFP_COLD)"), &a), 0);
	assert_true(a.stall && a.stall_ms == 10012);
	static const char *const bad[] = {
		"", "x: page allocation failure: order:", "x: page allocation failure: order:18446744073709551616, mode:0x20",
		"x: page allocation failure: order:-1, mode:0x20", "x: page allocation failure: order:1, mode:zz",
		"x: page allocation success: order:1, mode:0x20", "x: page allocation failure: order:99, mode:0x20",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(klog_alloc_parse(sp(bad[i]), &a), -EINVAL);
}

static void test_klog_oom(void **state)
{
	(void)state;
	struct klog_oom_hdr h;
	struct klog_oom_kill k;
	struct klog_oom_cons c;
	struct klog_memcg_usage u;
	char b[256];
	assert_int_equal(klog_oom_hdr_parse(sp("CPU 11/KVM invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=830"), &h), 0);
	assert_string_equal(span_copy(h.comm, b, sizeof(b)), "CPU 11/KVM");
	assert_true(h.mask == 0xcc0 && h.order == 0 && h.score_adj == 830);
	assert_int_equal(klog_oom_hdr_parse(sp("bash invoked oom-killer: gfp_mask=0x0, order=-1, oom_score_adj=-1000"), &h), 0);
	assert_true(h.order == -1 && h.score_adj == -1000);
	assert_int_equal(klog_oom_hdr_parse(sp("x invoked oom-killer: gfp_mask="), &h), -EINVAL);
	assert_int_equal(klog_oom_hdr_parse(sp(""), &h), -EINVAL);

	assert_int_equal(klog_oom_kill_parse(sp("Memory cgroup out of memory: Killed process 50624 (java) total-vm:59726088kB, anon-rss:8225208kB, file-rss:26912kB, shmem-rss:0kB, UID:10000 pgtables:21384kB oom_score_adj:969"), &k), 0);
	assert_true(k.final && k.scope == KLOG_OOM_MEMCG && k.pid == 50624 && k.has_rss);
	assert_true(k.anon_kb == 8225208 && k.file_kb == 26912 && k.shmem_kb == 0);
	assert_int_equal(klog_oom_kill_parse(sp("Out of memory: Kill process 443 (oleg's-test) score 855 or sacrifice child"), &k), 0);
	assert_true(!k.final && k.scope == KLOG_OOM_GLOBAL && k.score == 855);
	assert_string_equal(span_copy(k.comm, b, sizeof(b)), "oleg's-test");
	assert_int_equal(klog_oom_kill_parse(sp("Killed process 18694 (perl) total-vm:1972392kB, anon-rss:1953348kB, file-rss:0kB"), &k), 0);
	assert_true(k.shmem_kb == HR_UNSET);
	assert_int_equal(klog_oom_kill_parse(sp("Killed process -1 (x)"), &k), -EINVAL);
	assert_int_equal(klog_oom_kill_parse(sp("Killed process 18446744073709551616 (x)"), &k), -EINVAL);
	assert_int_equal(klog_oom_kill_parse(sp("systemd: Killed process 5 (x)"), &k), -EINVAL);

	assert_int_equal(klog_oom_cons_parse(sp("oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=abc,mems_allowed=0-1,oom_memcg=/k/p,task_memcg=/k/p/c,task=java,pid=50624,uid=10000"), &c), 0);
	assert_string_equal(span_copy(c.oom_memcg, b, sizeof(b)), "/k/p");
	assert_string_equal(span_copy(c.task_memcg, b, sizeof(b)), "/k/p/c");
	assert_string_equal(span_copy(c.task, b, sizeof(b)), "java");
	assert_true(c.pid == 50624 && !c.global);
	assert_int_equal(klog_oom_cons_parse(sp("oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/user.slice,task=baloo_file,pid=662,uid=1000"), &c), 0);
	assert_true(c.global && c.pid == 662);
	assert_int_equal(klog_oom_cons_parse(sp("oom-kill:"), &c), -EINVAL);

	assert_int_equal(klog_memcg_usage_parse(sp("memory: usage 524288kB, limit 524288kB, failcnt 158965"), &u), 0);
	assert_true(u.usage_kb == 524288 && u.limit_kb == 524288 && u.failcnt == 158965);
	assert_int_equal(klog_memcg_usage_parse(sp("memory: usage 1kB, limit 2kB"), &u), 0);
	assert_true(u.failcnt == HR_UNSET);
	assert_int_equal(klog_memcg_usage_parse(sp("memory: usage -1kB, limit 2kB"), &u), -EINVAL);
	assert_int_equal(klog_memcg_usage_parse(sp("memory+swap: usage 1kB, limit 2kB"), &u), -EINVAL);
}

static void test_klog_tables(void **state)
{
	(void)state;
	unsigned cols = 0;
	struct klog_task_row r;
	char b[64];
	assert_int_equal(klog_task_header_parse(sp("[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name"), &cols), 0);
	assert_int_equal(cols, 8);
	assert_int_equal(klog_task_row_parse(sp("[24518]     0 24518    66805    60921     134        0          -998 monocular"), cols, &r), 0);
	assert_true(r.pid == 24518 && r.rss_pages == 60921);
	assert_string_equal(span_copy(r.comm, b, sizeof(b)), "monocular");
	/* 6.18 adds three columns: parse by the header's count. */
	assert_int_equal(klog_task_header_parse(sp("[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name"), &cols), 0);
	assert_int_equal(cols, 11);
	assert_int_equal(klog_task_row_parse(sp("[  70870]   107 70870 18302464 16718510 1 2 3 135278592        0           830 CPU 11/KVM"), cols, &r), 0);
	assert_string_equal(span_copy(r.comm, b, sizeof(b)), "CPU 11/KVM");
	assert_int_equal(klog_task_row_parse(sp("[  70870]   107"), cols, &r), -EINVAL);
	assert_int_equal(klog_task_row_parse(sp("[x]"), cols, &r), -EINVAL);
	assert_int_equal(klog_task_header_parse(sp("[ pid ] name"), &cols), -EINVAL);

	struct klog_zone z;
	assert_int_equal(klog_zone_parse(sp("Node 0 Normal free:20672kB min:56392kB low:65880kB high:75368kB active_anon:21604kB"), &z), 0);
	assert_true(z.node == 0 && z.free_kb == 20672 && z.min_kb == 56392 && z.low_kb == 65880 && z.high_kb == 75368);
	assert_int_equal(klog_zone_parse(sp("Normal free:3316kB min:3756kB low:4692kB high:5632kB active:187336kB"), &z), 0);
	assert_int_equal(z.node, -1);
	assert_int_equal(klog_zone_parse(sp("Node 0 Normal free:1kB min:"), &z), -EINVAL);
	assert_int_equal(klog_zone_parse(sp("Node 0 Weird free:1kB"), &z), -EINVAL);

	struct klog_buddy bd;
	assert_int_equal(klog_buddy_parse(sp("Node 0 Normal: 347*4kB (UMEH) 250*8kB (UMEH) 655*16kB (UMEH) 80*32kB (UMEH) 29*64kB (ME) 7*128kB (MEH) 6*256kB (MEH) 0*512kB 0*1024kB 0*2048kB 0*4096kB = 20716kB"), &bd), 0);
	assert_int_equal(bd.norders, 11);
	assert_int_equal(bd.largest, 6);
	assert_true(bd.total_kb == 20716);
	assert_int_equal(klog_buddy_parse(sp("DMA32: empty"), &bd), -EINVAL);
	assert_int_equal(klog_buddy_parse(sp("Normal: 1*4kB 2*x"), &bd), -EINVAL);
	assert_int_equal(klog_buddy_parse(sp("Normal: 18446744073709551616*4kB"), &bd), -EINVAL);
	assert_int_equal(klog_buddy_parse(sp("Normal: 0*4kB 0*8kB"), &bd), 0);	/* truncated */
	assert_int_equal(bd.largest, -1);
}

static void test_klog_misc(void **state)
{
	(void)state;
	struct klog_frame fr;
	struct klog_kver v;
	struct klog_hung h;
	struct klog_suppressed s;
	char b[64];
	assert_int_equal(klog_frame_parse(sp("try_fill_recv+0x3ed/0x740 [virtio_net]"), &fr), 0);
	assert_string_equal(span_copy(fr.func, b, sizeof(b)), "try_fill_recv");
	assert_string_equal(span_copy(fr.module, b, sizeof(b)), "virtio_net");
	assert_int_equal(klog_frame_parse(sp("[<c019b538>] ? warn_alloc_failed+0x98/0x100"), &fr), 0);
	assert_true(fr.unreliable);
	assert_int_equal(klog_frame_parse(sp("[<c01132d0>] (unwind_backtrace) from [<c010d5e0>] (show_stack+0x20/0x24)"), &fr), 0);
	assert_string_equal(span_copy(fr.func, b, sizeof(b)), "unwind_backtrace");
	assert_int_equal(klog_frame_parse(sp("Call Trace:"), &fr), -EINVAL);
	assert_int_equal(klog_frame_parse(sp("+0x1/0x2"), &fr), -EINVAL);
	assert_int_equal(klog_frame_parse(sp(""), &fr), -EINVAL);

	assert_int_equal(klog_kver_parse(sp("CPU: 3 PID: 332 Comm: kworker/3:2 Not tainted 5.4.26 #4"), &v), 0);
	assert_true(v.major == 5 && v.minor == 4 && v.pid == 332);
	assert_string_equal(v.release, "5.4.26");
	assert_string_equal(span_copy(v.comm, b, sizeof(b)), "kworker/3:2");
	assert_int_equal(klog_kver_parse(sp("Pid: 0, comm: swapper/0 Not tainted 3.4.2-linode44 #1"), &v), 0);
	assert_true(v.major == 3 && v.minor == 4 && v.pid == 0);
	assert_int_equal(klog_kver_parse(sp("CPU: 0 PID: 26049 Comm: monocular Tainted: G               ------------ T 3.10.0-693.11.6.el7.x86_64 #1"), &v), 0);
	assert_true(v.major == 3 && v.minor == 10);
	assert_int_equal(klog_kver_parse(sp("Linux version 2.6.18.2 (root@h) (gcc)"), &v), 0);
	assert_true(v.major == 2 && v.minor == 6);
	assert_int_equal(klog_kver_parse(sp("Linux version x"), &v), -EINVAL);
	assert_int_equal(klog_kver_parse(sp("CPU: 1 PID: 2"), &v), -EINVAL);

	assert_int_equal(klog_hung_parse(sp("INFO: task kworker/u16:2:1234 blocked for more than 120 seconds."), &h), 0);
	assert_string_equal(span_copy(h.comm, b, sizeof(b)), "kworker/u16:2");
	assert_true(h.pid == 1234 && h.seconds == 120);
	assert_int_equal(klog_hung_parse(sp("INFO: task x blocked for more than 120 seconds."), &h), -EINVAL);
	assert_int_equal(klog_hung_parse(sp("INFO: task x:12a blocked for more than 1 seconds."), &h), -EINVAL);

	assert_int_equal(klog_suppressed_parse(sp("net_ratelimit: 321 callbacks suppressed"), &s), 0);
	assert_true(s.count == 321 && span_eq(s.who, "net_ratelimit"));
	assert_int_equal(klog_suppressed_parse(sp("NET: 347 messages suppressed."), &s), 0);
	assert_int_equal(klog_suppressed_parse(sp("x: -1 callbacks suppressed"), &s), -EINVAL);
	assert_int_equal(klog_suppressed_parse(sp("x: 18446744073709551616 callbacks suppressed"), &s), -EINVAL);

	assert_true(klog_is_report_noise(sp("RIP: 0033:0x5566cd5aadd0")));
	assert_true(klog_is_report_noise(sp("0000000000000286 00000000a17a86b0 ffff88001e673a18")));
	assert_false(klog_is_report_noise(sp("eth0: link up")));
	assert_false(klog_is_report_noise(sp("TCP: eth0: Driver has suspect GRO implementation")));
	assert_true(klog_is_report_noise(sp("R13: 0000000000000002 R14: 0000000000001000")));
	assert_true(klog_is_report_noise(sp("x29: ffff800008003d50 x28: ffff000003b6c000")));
	assert_true(klog_is_report_noise(sp("CR2: 00007f3a397d8010 CR3: 000000010f2e6000")));
}

/* ---- anchors: the SIMD scan agrees with a plain search ---- */
static void test_anchors(void **state)
{
	(void)state;
	static const char *const w[] = { "page allocation", "table full", "oom-kill", "xyxy" };
	struct hr_anchors a;
	anchors_init(&a, w, 4);
	char *buf = malloc(5000);
	assert_non_null(buf);
	unsigned seed = 12345;
	for (int round = 0; round < 300; round++) {
		size_t len = (size_t)(round * 16 % 4999);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245 + 12345;
			buf[i] = "abcdefgxyp oagetlmk-fu"[(seed >> 16) % 22];
		}
		if (len > 40 && round % 3 == 0)
			memcpy(buf + (seed >> 8) % (len - 20), w[round % 3], strlen(w[round % 3]));
		size_t want = len;
		for (size_t i = 0; i < len && want == len; i++)
			for (int k = 0; k < 4; k++)
				if (len - i >= strlen(w[k]) && !memcmp(buf + i, w[k], strlen(w[k])))
					want = i;
		assert_int_equal(anchors_find(&a, buf, len), want);
		/* The portable vector loop must agree with the AVX2 one. */
		struct hr_anchors g = a;
		g.avx2 = false;
		assert_int_equal(anchors_find(&g, buf, len), want);
		uint32_t mask = anchors_mask(&a, buf, len);
		assert_int_equal(mask != 0, want != len);
	}
	free(buf);
}

/* ---- the engine over real excerpts ---- */
#define MAXF 64
struct collect {
	size_t n;
	struct hr_finding f[MAXF];
};

static void collect(void *arg, const struct hr_finding *f)
{
	struct collect *c = arg;
	if (c->n < MAXF)
		c->f[c->n++] = *f;
}

static struct collect *run_file(const char *name, size_t block)
{
	char path[512];
	snprintf(path, sizeof(path), FIXTURES "/kmsg/%s", name);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open %s", path);
	struct collect *c = calloc(1, sizeof(*c));
	struct hr_explain *x = calloc(1, sizeof(*x));
	char *buf = malloc(block);
	assert_true(c && x && buf);
	explain_init(x, collect, c);
	size_t n;
	while ((n = fread(buf, 1, block, fp)) > 0)
		explain_feed(x, buf, n);
	explain_finish(x);
	fclose(fp);
	free(buf);
	free(x);
	return c;
}

/* One expected fact: incident idx of file has fact = value (text form,
 * lists '|'-joined). "#n" is the number of incidents, "#kind" the kind. */
static const struct expect {
	const char *file;
	int idx;
	const char *fact, *value;
} expects[] = {
	{ "01-oom-memcg-k8s-monocular-3.10.log", 0, "#n", "1" },
	{ "01-oom-memcg-k8s-monocular-3.10.log", 0, "#kind", "oom_kill" },
	{ "01-oom-memcg-k8s-monocular-3.10.log", 0, "constraint", "memcg" },
	{ "01-oom-memcg-k8s-monocular-3.10.log", 0, "invoker_pid", "26049" },
	{ "01-oom-memcg-k8s-monocular-3.10.log", 0, "gfp_flags", "GFP_KERNEL" },
	{ "01-oom-memcg-k8s-monocular-3.10.log", 0, "victim_pid", "24518" },
	{ "01-oom-memcg-k8s-monocular-3.10.log", 0, "victim_anon_rss_bytes", "238202880" },
	{ "01-oom-memcg-k8s-monocular-3.10.log", 0, "memcg", "/kubepods.slice/kubepods-podbee65b57_7e71_11e8_9ced_d24398b14524.slice" },
	{ "01-oom-memcg-k8s-monocular-3.10.log", 0, "memcg_limit_bytes", "239075328" },
	{ "01-oom-memcg-k8s-monocular-3.10.log", 0, "memcg_failcnt", "3028" },
	{ "01-oom-memcg-k8s-monocular-3.10.log", 0, "tasks_listed", "2" },
	{ "02-oom-memcg-leaker-4.18.log", 0, "#n", "1" },
	{ "02-oom-memcg-leaker-4.18.log", 0, "memcg", "/leaker" },
	{ "02-oom-memcg-leaker-4.18.log", 0, "memcg_failcnt", "158965" },
	{ "02-oom-memcg-leaker-4.18.log", 0, "gfp_flags", "GFP_HIGHUSER_MOVABLE" },
	{ "02-oom-memcg-leaker-4.18.log", 0, "victim_score", "998" },
	{ "03-oom-memcg-cgroup2-stress-4.18.log", 0, "#n", "1" },
	{ "03-oom-memcg-cgroup2-stress-4.18.log", 0, "memcg", "/test-cgroup" },
	{ "03-oom-memcg-cgroup2-stress-4.18.log", 0, "victim_pid", "1990" },
	{ "03-oom-memcg-cgroup2-stress-4.18.log", 0, "tasks_listed", "3" },
	{ "04-pagealloc-tg3-tcp_collapse-2.6.18.log", 0, "#n", "1" },
	{ "04-pagealloc-tg3-tcp_collapse-2.6.18.log", 0, "#kind", "alloc_failure" },
	{ "04-pagealloc-tg3-tcp_collapse-2.6.18.log", 0, "order", "1" },
	{ "04-pagealloc-tg3-tcp_collapse-2.6.18.log", 0, "gfp_flags", "GFP_ATOMIC" },
	{ "04-pagealloc-tg3-tcp_collapse-2.6.18.log", 0, "context", "softirq" },
	{ "04-pagealloc-tg3-tcp_collapse-2.6.18.log", 0, "path", "network_receive" },
	{ "04-pagealloc-tg3-tcp_collapse-2.6.18.log", 0, "driver", "tg3" },
	{ "04-pagealloc-tg3-tcp_collapse-2.6.18.log", 0, "zone_free_bytes", "3395584" },
	{ "04-pagealloc-tg3-tcp_collapse-2.6.18.log", 0, "zone_min_bytes", "3846144" },
	{ "04-pagealloc-tg3-tcp_collapse-2.6.18.log", 0, "verdict", "exhaustion" },
	{ "05-pagealloc-virtio_net-ceph-5.4.log", 0, "#n", "1" },
	{ "05-pagealloc-virtio_net-ceph-5.4.log", 0, "pid", "332" },
	{ "05-pagealloc-virtio_net-ceph-5.4.log", 0, "gfp_layout", "5.1-6.2" },
	{ "05-pagealloc-virtio_net-ceph-5.4.log", 0, "context", "softirq" },
	{ "05-pagealloc-virtio_net-ceph-5.4.log", 0, "path", "driver_refill" },
	{ "05-pagealloc-virtio_net-ceph-5.4.log", 0, "driver", "virtio_net" },
	{ "05-pagealloc-virtio_net-ceph-5.4.log", 0, "zone_largest_free_order", "6" },
	{ "05-pagealloc-virtio_net-ceph-5.4.log", 0, "verdict", "exhaustion" },
	{ "06-pagealloc-callerid-kblockd-iova-5.2next.log", 0, "#n", "2" },
	{ "06-pagealloc-callerid-kblockd-iova-5.2next.log", 0, "caller", "T3124" },
	{ "06-pagealloc-callerid-kblockd-iova-5.2next.log", 0, "path", "other" },
	{ "06-pagealloc-callerid-kblockd-iova-5.2next.log", 0, "context", "process" },
	{ "06-pagealloc-callerid-kblockd-iova-5.2next.log", 0, "slab_cache", "iommu_iova" },
	{ "06-pagealloc-callerid-kblockd-iova-5.2next.log", 0, "zone_free_bytes", "48906240" },
	{ "06-pagealloc-callerid-kblockd-iova-5.2next.log", 1, "caller", "T1598" },
	{ "06-pagealloc-callerid-kblockd-iova-5.2next.log", 1, "pid", "1598" },
	{ "07-pagealloc-bridge-fdb-mvneta-5.18.log", 0, "gfp_flags", "GFP_ATOMIC|__GFP_COMP" },
	{ "07-pagealloc-bridge-fdb-mvneta-5.18.log", 0, "context", "softirq" },
	{ "07-pagealloc-bridge-fdb-mvneta-5.18.log", 0, "path", "network_receive" },
	{ "07-pagealloc-bridge-fdb-mvneta-5.18.log", 0, "driver", "mvneta" },
	{ "08-pagealloc-lkrg-chrome-syslog-5.13.log", 0, "order", "7" },
	{ "08-pagealloc-lkrg-chrome-syslog-5.13.log", 0, "path", "other" },
	{ "08-pagealloc-lkrg-chrome-syslog-5.13.log", 0, "verdict", "fragmentation" },
	{ "08-pagealloc-lkrg-chrome-syslog-5.13.log", 0, "zone_free_bytes", "268914688" },
	{ "09-conntrack-net_ratelimit-3.2.log", 0, "#kind", "conntrack_full" },
	{ "09-conntrack-net_ratelimit-3.2.log", 0, "lines", "10" },
	{ "09-conntrack-net_ratelimit-3.2.log", 0, "suppressed", "321" },
	{ "09-conntrack-net_ratelimit-3.2.log", 0, "drops_logged", "331" },
	{ "10-conntrack-__ratelimit-pcfreak.log", 0, "drops_logged", "95" },
	{ "10-conntrack-__ratelimit-pcfreak.log", 0, "lines", "12" },
	{ "11-conntrack-rfc3339-syslog-cumulus.log", 0, "lines", "3" },
	{ "12-conntrack-ip_conntrack-NET-suppressed-syslog.log", 0, "message_form", "ip_conntrack:" },
	{ "12-conntrack-ip_conntrack-NET-suppressed-syslog.log", 0, "suppressed", "739" },
	{ "13-conntrack-double-prefix-centos8-vs-centos6-syslog.log", 0, "#n", "2" },
	{ "13-conntrack-double-prefix-centos8-vs-centos6-syslog.log", 0, "kernel_hint", "4.9+" },
	{ "13-conntrack-double-prefix-centos8-vs-centos6-syslog.log", 1, "kernel_hint", "before 4.9" },
	{ "14-tcpmem-tempesta-dmesg.log", 0, "#kind", "socket_memory" },
	{ "14-tcpmem-tempesta-dmesg.log", 0, "lines", "7" },
	{ "15-tcpmem-cpanel-syslog.log", 0, "lines", "2" },
	{ "16-tcpmem-garbled-duplicate-syslog.log", 0, "lines", "1" },
	{ "17-tcp-out-of-socket-memory-syslog-2.6.log", 0, "messages", "out_of_socket_memory" },
	{ "18-tcp-synflood-cuberite-4.4.log", 0, "#n", "1" },
	{ "18-tcp-synflood-cuberite-4.4.log", 0, "ports", "8080|25565" },
	{ "18-tcp-synflood-cuberite-4.4.log", 0, "lines", "9" },
	{ "18-tcp-synflood-cuberite-4.4.log", 0, "action", "cookies" },
	{ "19-tcp-synflood-kernlog-syslog.log", 0, "ports", "8000" },
	{ "20-tcp-synflood-dropping-router-syslog.log", 0, "action", "dropping" },
	{ "21-hung-nfs-write-open-6.18.log", 0, "#n", "2" },
	{ "21-hung-nfs-write-open-6.18.log", 0, "#kind", "hung_task_netstorage" },
	{ "21-hung-nfs-write-open-6.18.log", 0, "pid", "1646922" },
	{ "21-hung-nfs-write-open-6.18.log", 0, "storage", "nfs" },
	{ "21-hung-nfs-write-open-6.18.log", 1, "comm", "libuv-worker" },
	{ "22-hung-nfs-flush-exit-4.18.log", 1, "pid", "4513" },
	{ "22-hung-nfs-flush-exit-4.18.log", 1, "blocked_seconds", "120" },
	{ "23-hung-nbd-qemu-nbd-5.18.log", 0, "storage", "nbd" },
	{ "23-hung-nbd-qemu-nbd-5.18.log", 0, "blocked_seconds", "368" },
	{ "24-hung-iscsi-target-dmesg-H-5.7.log", 0, "#n", "2" },
	{ "24-hung-iscsi-target-dmesg-H-5.7.log", 1, "comm", "iscsi_ttx" },
	{ "24-hung-iscsi-target-dmesg-H-5.7.log", 1, "storage", "iscsi" },
	{ "25-hung-iscsi-target-syslog-5.15.log", 1, "pid", "588744" },
	{ "26-nfs-not-responding-diskless-syslog.log", 0, "#kind", "nfs_not_responding" },
	{ "26-nfs-not-responding-diskless-syslog.log", 0, "server", "192.168.1.35" },
	{ "26-nfs-not-responding-diskless-syslog.log", 0, "lines", "4" },
	{ "26-nfs-not-responding-diskless-syslog.log", 0, "recovered", "true" },
	{ "26-nfs-not-responding-diskless-syslog.log", 0, "outage_seconds", "93.68" },
	{ "33-oom-global-journalctl-hyperv-5.13.log", 0, "gfp_flags", "GFP_HIGHUSER_MOVABLE" },
	{ "33-oom-global-journalctl-hyperv-5.13.log", 0, "tasks_listed", "76" },
	{ "29-oom-memcg-kubevirt-dmesg-T-5.3.log", 0, "memcg_failcnt", "67391" },
	{ "29-oom-memcg-kubevirt-dmesg-T-5.3.log", 0, "tasks_listed", "6" },
	{ "27-nfs-not-responding-resume-doublespaced.log", 0, "#n", "1" },
	{ "27-nfs-not-responding-resume-doublespaced.log", 0, "lines", "2" },
	{ "28-oom-memcg-kubevirt-journalctl-5.14.log", 0, "victim_pid", "39079" },
	{ "28-oom-memcg-kubevirt-journalctl-5.14.log", 0, "memcg_failcnt", "1243" },
	{ "28-oom-memcg-kubevirt-journalctl-5.14.log", 0, "victim_rss_bytes", "17210433536" },
	{ "29-oom-memcg-kubevirt-dmesg-T-5.3.log", 0, "invoker_comm", "CPU 11/KVM" },
	{ "29-oom-memcg-kubevirt-dmesg-T-5.3.log", 0, "victim_shmem_rss_bytes", "4096" },
	{ "30-oom-memcg-dmesg-T-zh-locale.log", 0, "victim_pid", "50624" },
	{ "30-oom-memcg-dmesg-T-zh-locale.log", 0, "memcg", "/kubepods/burstable/pod28fcb1a0-a45c-44e7-b9bf-e3b9360bedba" },
	{ "31-oom-global-perl-plus-synflood-3.13.log", 0, "constraint", "global" },
	{ "31-oom-global-perl-plus-synflood-3.13.log", 0, "gfp_layout_basis", "shape of the mask" },
	{ "31-oom-global-perl-plus-synflood-3.13.log", 1, "#kind", "syn_flood" },
	{ "32-oom-global-interleaved-reaper-4.6.log", 0, "victim_comm", "oleg's-test" },
	{ "32-oom-global-interleaved-reaper-4.6.log", 1, "invoker_comm", "sh" },
	{ "33-oom-global-journalctl-hyperv-5.13.log", 0, "#n", "1" },
	{ "33-oom-global-journalctl-hyperv-5.13.log", 0, "constraint", "global" },
	{ "33-oom-global-journalctl-hyperv-5.13.log", 0, "victim_pid", "662" },
	{ "34-pagealloc-ixgbe-rx-plus-oom-3.18.log", 0, "driver", "ixgbe" },
	{ "34-pagealloc-ixgbe-rx-plus-oom-3.18.log", 1, "victim_comm", "ovs-vswitchd" },
	{ "34-pagealloc-ixgbe-rx-plus-oom-3.18.log", 1, "tasks_listed", "28" },
	{ "35-pagealloc-ipoib-rx-syslog-2.6.32.log", 0, "driver", "ib_ipoib" },
	{ "35-pagealloc-ipoib-rx-syslog-2.6.32.log", 0, "order", "1" },
	{ "36-pagealloc-synrecv-sk_clone-syslog-2.6.32.log", 0, "#n", "6" },
	{ "36-pagealloc-synrecv-sk_clone-syslog-2.6.32.log", 5, "path", "network_receive" },
	{ "37-pagealloc-napi-journal-3.10-el7.log", 0, "#n", "2" },
	{ "37-pagealloc-napi-journal-3.10-el7.log", 0, "path", "network_receive" },
	{ "38-pagealloc-dcache-ixgbe-interleaved-4.9.log", 0, "#n", "1" },
	{ "38-pagealloc-dcache-ixgbe-interleaved-4.9.log", 0, "comm", "swapper/20" },
	{ "38-pagealloc-dcache-ixgbe-interleaved-4.9.log", 0, "driver", "ixgbe" },
	{ "38-pagealloc-dcache-ixgbe-interleaved-4.9.log", 0, "context", "softirq" },
	{ "39-pagealloc-coreos-java-syslog-4.9.log", 0, "gfp_flags", "GFP_ATOMIC|__GFP_COLD|__GFP_COMP" },
	{ "39-pagealloc-coreos-java-syslog-4.9.log", 0, "context", "softirq" },
	{ "40-pagealloc-mtk_rx_alloc-open-4.14.log", 0, "path", "driver_refill" },
	{ "40-pagealloc-mtk_rx_alloc-open-4.14.log", 0, "context", "process" },
	{ "41-pagealloc-xtensa-6.8.log", 0, "gfp_layout", "6.3+" },
	{ "42-negative-boot-2.6.18.log", 0, "#n", "0" },
	{ "45-pagealloc-stall-khugepaged-4.12.log", 0, "#n", "1" },
	{ "45-pagealloc-stall-khugepaged-4.12.log", 0, "#kind", "alloc_failure" },
	{ "45-pagealloc-stall-khugepaged-4.12.log", 0, "stall_ms", "10273" },
	{ "45-pagealloc-stall-khugepaged-4.12.log", 0, "order", "10" },
	{ "45-pagealloc-stall-khugepaged-4.12.log", 0, "size_bytes", "4194304" },
	{ "45-pagealloc-stall-khugepaged-4.12.log", 0, "gfp_layout", "4.10-4.17" },
	{ "45-pagealloc-stall-khugepaged-4.12.log", 0, "can_sleep", "true" },
	{ "45-pagealloc-stall-khugepaged-4.12.log", 0, "context", "process" },
	{ "43-negative-nbd-disconnect-3.x.log", 0, "#n", "0" },
	{ "44-negative-xen-balloon-BUG-3.0.log", 0, "#n", "0" },
	{ "90-negative-boot-6.18-firecracker-vm.log", 0, "#n", "0" },
	{ "46-oom-no-killable-panic-5.10.log", 0, "#n", "1" },
	{ "46-oom-no-killable-panic-5.10.log", 0, "#kind", "oom_kill" },
	{ "46-oom-no-killable-panic-5.10.log", 0, "no_killable_process", "true" },
	{ "47-slab-kmalloc1024-memcg-moby-3.10.log", 0, "#n", "1" },
	{ "47-slab-kmalloc1024-memcg-moby-3.10.log", 0, "#kind", "slab_alloc_failure" },
	{ "47-slab-kmalloc1024-memcg-moby-3.10.log", 0, "cache", "kmalloc-1024" },
	{ "47-slab-kmalloc1024-memcg-moby-3.10.log", 0, "reports", "4" },
	{ "47-slab-kmalloc1024-memcg-moby-3.10.log", 0, "objects", "20964" },
	{ "47-slab-kmalloc1024-memcg-moby-3.10.log", 0, "free_objects", "0" },
	{ "47-slab-kmalloc1024-memcg-moby-3.10.log", 0, "slab_order", "3" },
	{ "47-slab-kmalloc1024-memcg-moby-3.10.log", 0, "can_sleep", "false" },
	{ "48-slab-kmalloc192-smsc95xx-ratelimit-armv5.log", 0, "#n", "1" },
	{ "48-slab-kmalloc192-smsc95xx-ratelimit-armv5.log", 0, "reports", "3" },
	{ "48-slab-kmalloc192-smsc95xx-ratelimit-armv5.log", 0, "suppressed", "0" },
	{ "49-slab-mnt_cache-two-nodes-docker-4.4.log", 0, "#n", "3" },
	{ "49-slab-mnt_cache-two-nodes-docker-4.4.log", 0, "objects", "1332" },
	{ "49-slab-mnt_cache-two-nodes-docker-4.4.log", 0, "gfp_flags", "GFP_ATOMIC|__GFP_ZERO" },
	{ "49-slab-mnt_cache-two-nodes-docker-4.4.log", 0, "gfp_layout", "4.4-4.9" },
	{ "49-slab-mnt_cache-two-nodes-docker-4.4.log", 2, "cache", "kmalloc-128" },
	{ "50-neigh-arp_cache-router7-serial.log", 0, "#kind", "neighbour_table_overflow" },
	{ "50-neigh-arp_cache-router7-serial.log", 0, "table", "arp_cache" },
	{ "50-neigh-arp_cache-router7-serial.log", 0, "lines", "2" },
	{ "52-neigh-syslog-printk-suppressed-2.6.log", 0, "#n", "2" },
	{ "52-neigh-syslog-printk-suppressed-2.6.log", 0, "lines", "21" },
	{ "52-neigh-syslog-printk-suppressed-2.6.log", 1, "suppressed", "100" },
	{ "53-conntrack-expect-full-asuswrt-busybox-syslog.log", 0, "#kind", "conntrack_expect_full" },
	{ "53-conntrack-expect-full-asuswrt-busybox-syslog.log", 0, "lines", "20" },
	{ "54-dst-cache-overflow-gentoo-syslog-2.6.2.log", 0, "#n", "1" },
	{ "54-dst-cache-overflow-gentoo-syslog-2.6.2.log", 0, "lines", "14" },
	{ "54-dst-cache-overflow-gentoo-syslog-2.6.2.log", 0, "suppressed", "266" },
	{ "55-dst-cache-overflow-ratelimit-2.6.32.log", 0, "suppressed", "1771" },
	{ "56-netblk-nbd-buse-other-side-error.log", 0, "#n", "1" },
	{ "56-netblk-nbd-buse-other-side-error.log", 0, "io_errors", "3" },
	{ "57-netblk-nbd-nvme-tcp-spdk-ci.log", 0, "#n", "3" },
	{ "57-netblk-nbd-nvme-tcp-spdk-ci.log", 0, "connection_errors", "1" },
	{ "57-netblk-nbd-nvme-tcp-spdk-ci.log", 2, "storage", "nvme_of" },
	{ "57-netblk-nbd-nvme-tcp-spdk-ci.log", 2, "timeouts", "1" },
	{ "58-netblk-iscsi-ping-timeout-syslog.log", 0, "storage", "iscsi" },
	{ "58-netblk-iscsi-ping-timeout-syslog.log", 0, "device", "connection3:0" },
	{ "59-tcp-orphans-mptcp-openmptcprouter-5.4.log", 0, "#n", "1" },
	{ "59-tcp-orphans-mptcp-openmptcprouter-5.4.log", 0, "lines", "10" },
	{ "59-tcp-orphans-mptcp-openmptcprouter-5.4.log", 0, "suppressed", "273" },
	{ "59-tcp-orphans-mptcp-openmptcprouter-5.4.log", 0, "messages", "orphans" },
	{ "60-tcp-orphans-i2pd-syslog.log", 0, "suppressed", "302" },
	{ "61-hung-fuse-blobfuse-cp-3.10.log", 0, "#n", "1" },
	{ "61-hung-fuse-blobfuse-cp-3.10.log", 0, "storage", "fuse" },
	{ "61-hung-fuse-blobfuse-cp-3.10.log", 0, "storage_frame", "__fuse_request_send [fuse]" },
	{ "23-hung-nbd-qemu-nbd-5.18.log", 0, "#kind", "hung_task_netstorage" },
	{ "62-hung-not-netstorage-glusterfsd-mutex-syslog.log", 0, "#n", "0" },
};

static void check_expects(size_t block)
{
	const char *cur = NULL;
	struct collect *c = NULL;
	char buf[HR_FACT_STR_MAX * 2];
	for (size_t i = 0; i < sizeof(expects) / sizeof(expects[0]); i++) {
		const struct expect *e = &expects[i];
		if (!cur || strcmp(cur, e->file)) {
			free(c);
			c = run_file(e->file, block);
			cur = e->file;
		}
		if (!strcmp(e->fact, "#n")) {
			snprintf(buf, sizeof(buf), "%zu", c->n);
		} else {
			if ((size_t)e->idx >= c->n)
				fail_msg("%s: no incident %d (have %zu)", e->file, e->idx, c->n);
			const struct hr_finding *f = &c->f[e->idx];
			if (!strcmp(e->fact, "#kind")) {
				snprintf(buf, sizeof(buf), "%s", f->kind);
			} else {
				const struct hr_fact *x = finding_fact(f, e->fact);
				if (!x)
					fail_msg("%s[%d]: no fact %s", e->file, e->idx, e->fact);
				fact_format(x, buf, sizeof(buf));
			}
		}
		if (strcmp(buf, e->value))
			fail_msg("%s[%d] %s = '%s', want '%s' (block %zu)", e->file, e->idx, e->fact, buf,
				 e->value, block);
	}
	free(c);
}

static void test_fixtures(void **state)
{
	(void)state;
	check_expects(1 << 20);
}

/* The same facts when the text arrives in tiny pieces: carry-over of
 * partial lines between blocks must not change anything. */
static void test_fixtures_small_blocks(void **state)
{
	(void)state;
	check_expects(7);
	check_expects(64);
}

/* Every fixture (all of them, not only those listed above) yields valid
 * findings: kind set, id "explain.*", severity warn/crit. */
static void test_all_fixtures_sane(void **state)
{
	(void)state;
	FILE *p = popen("ls " FIXTURES "/kmsg/ | grep '\\.log$'", "r");
	assert_non_null(p);
	char name[256];
	int files = 0;
	while (fgets(name, sizeof(name), p)) {
		name[strcspn(name, "\n")] = '\0';
		struct collect *c = run_file(name, 4096);
		for (size_t i = 0; i < c->n; i++) {
			assert_true(c->f[i].kind[0]);
			assert_true(!strncmp(c->f[i].id, "explain.", 8));
			assert_true(c->f[i].severity != HR_SEV_OK);
			assert_true(c->f[i].explanation[0] && c->f[i].fix[0]);
		}
		free(c);
		files++;
	}
	pclose(p);
	assert_true(files >= 30);
}

/* One real mask per layout era, decoded with the table of that era
 * (doc/kernel-facts.md E.1 says which header each table was read from). */
static void test_gfp_eras(void **state)
{
	(void)state;
	const char *names[48];
	char hex[24];
	static const struct {
		unsigned maj, min;
		uint64_t m;
		const char *want;	/* names joined by '|' */
	} c[] = {
		/* 2.6.32-220.el6 "swapper: page allocation failure. order:2, mode:0x20" (Red Hat solution 74573) */
		{ 2, 6, 0x20, "GFP_ATOMIC" },
		/* SLES 11 SP4 (3.0) "mount.nfs: page allocation failure: order:4, mode:0x4d0" (linux-390 list) */
		{ 3, 0, 0x4d0, "GFP_KERNEL|__GFP_REPEAT" },
		/* 4.1: 0x100000 is unused (pre-image of the __GFP_NOACCOUNT patch, May 2015): a number */
		{ 4, 1, 0x1000d0, "GFP_KERNEL|0x100000" },
		/* 4.2-4.3: the same bit is __GFP_NOACCOUNT (gfp.h of 4.2). No logged 4.2/4.3 mask
		 * was found; this one is GFP_KERNEL | __GFP_NOACCOUNT from that header. */
		{ 4, 3, 0x1000d0, "GFP_KERNEL|__GFP_NOACCOUNT" },
		/* 4.9.56 "page allocation failure: order:10, mode:0x2084020(GFP_ATOMIC|__GFP_COMP)" (unix.SE 593335) */
		{ 4, 9, 0x2084020, "GFP_ATOMIC|__GFP_COMP" },
		/* 5.x "SLUB: ... gfp=0x900(GFP_NOWAIT|__GFP_ZERO)" (earlyoom#220) */
		{ 5, 8, 0x900, "GFP_NOWAIT|__GFP_ZERO" },
		/* 6.2 keeps __GFP_ATOMIC: 0xa20 is GFP_ATOMIC (gfp_types.h of 6.1) */
		{ 6, 2, 0xa20, "GFP_ATOMIC" },
		/* 6.3-6.5: 0x200 is unused (gfp_types.h of 6.5.8), GFP_ATOMIC is 0x820 */
		{ 6, 5, 0xa20, "GFP_ATOMIC|0x200" },
		{ 6, 5, 0x820, "GFP_ATOMIC" },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		enum hr_gfp_layout l = gfp_layout_for_version(c[i].maj, c[i].min);
		size_t n = gfp_decode(c[i].m, l, names, 48, hex, sizeof(hex));
		char got[256] = "";
		for (size_t k = 0; k < n; k++) {
			if (k)
				strcat(got, "|");
			strcat(got, names[k]);
		}
		if (strcmp(got, c[i].want))
			fail_msg("%u.%u %#llx: %s, want %s", c[i].maj, c[i].min,
				 (unsigned long long)c[i].m, got, c[i].want);
	}
	assert_int_equal(gfp_layout_for_version(3, 19), HR_GFP_2_6);
	assert_int_equal(gfp_layout_for_version(4, 0), HR_GFP_4_0);
	assert_int_equal(gfp_layout_for_version(4, 1), HR_GFP_4_0);
	assert_int_equal(gfp_layout_for_version(4, 2), HR_GFP_4_2);
	assert_int_equal(gfp_layout_for_version(4, 4), HR_GFP_4_4);
	assert_int_equal(gfp_layout_for_version(6, 2), HR_GFP_5_1);
	assert_int_equal(gfp_layout_for_version(6, 3), HR_GFP_6_6);
	assert_string_equal(gfp_layout_name(HR_GFP_4_0), "4.0-4.1");
	assert_string_equal(gfp_layout_name(HR_GFP_4_2), "4.2-4.3");
	assert_string_equal(gfp_layout_name(HR_GFP_6_6), "6.3+");
	/* Names are printed from 4.9 on: the 4.2 table never matches them. */
	assert_int_equal(gfp_layout_from_names(0x1000d0, S("GFP_KERNEL|__GFP_NOACCOUNT")), HR_GFP_UNKNOWN);
	assert_int_equal(gfp_can_sleep_bit(HR_GFP_4_2), 0x10);
}

static void test_klog_slab_netblk(void **state)
{
	(void)state;
	struct klog_slub h;
	struct klog_slub_cache c;
	struct klog_slub_node n;
	struct klog_netblk b;

	assert_int_equal(klog_slub_parse(sp("SLUB: Unable to allocate memory on node -1 (gfp=0x20)"), &h), 0);
	assert_int_equal(h.node, -1);
	assert_int_equal(h.mask, 0x20);
	assert_int_equal(h.names.len, 0);
	assert_false(h.slab);
	assert_int_equal(klog_slub_parse(sp("SLUB: Unable to allocate memory on node -1, gfp=0x900(GFP_NOWAIT|__GFP_ZERO)"), &h), 0);
	assert_int_equal(h.mask, 0x900);
	assert_true(span_eq(h.names, "GFP_NOWAIT|__GFP_ZERO"));
	assert_int_equal(klog_slub_parse(sp("SLAB: Unable to allocate memory on node 1 (gfp=0xd0)"), &h), 0);
	assert_true(h.slab);
	assert_int_equal(h.node, 1);
	assert_int_equal(klog_slub_parse(sp("SLUB: Unable to allocate memory on node x (gfp=0x20)"), &h), -EINVAL);
	assert_int_equal(klog_slub_parse(sp("SLUB: Unable to allocate memory on node -1"), &h), -EINVAL);
	assert_int_equal(klog_slub_parse(sp("SLOB: Unable to allocate memory on node -1 (gfp=0x20)"), &h), -EINVAL);

	assert_int_equal(klog_slub_cache_parse(sp("cache: kmalloc-1024(1793:c8ed), object size: 1024, buffer size: 1024, default order: 3, min order: 0"), &c), 0);
	assert_true(span_eq(c.name, "kmalloc-1024"));
	assert_true(span_eq(c.memcg, "1793:c8ed"));
	assert_int_equal(c.object_size, 1024);
	assert_int_equal(c.default_order, 3);
	assert_int_equal(c.min_order, 0);
	assert_int_equal(klog_slub_cache_parse(sp("cache: skbuff_head_cache, object size: 256, order: 0"), &c), 0);
	assert_true(span_eq(c.name, "skbuff_head_cache"));
	assert_int_equal(c.memcg.len, 0);
	assert_int_equal(c.default_order, 0);
	assert_true(c.buffer_size == HR_UNSET && c.min_order == HR_UNSET);
	assert_int_equal(klog_slub_cache_parse(sp("cache: "), &c), -EINVAL);
	assert_int_equal(klog_slub_cache_parse(sp("cache: page->ptl, object size: 72"), &c), 0);
	assert_true(span_eq(c.name, "page->ptl"));

	assert_int_equal(klog_slub_node_parse(sp("node 0: slabs: 663, objs: 20964, free: 0"), &n), 0);
	assert_int_equal(n.slabs, 663);
	assert_int_equal(n.objs, 20964);
	assert_int_equal(klog_slub_node_parse(sp("node 1: slabs: 0/3, objs: 0/48, free: 0"), &n), 0);
	assert_int_equal(n.slabs, 3);
	assert_int_equal(n.objs, 48);
	assert_int_equal(klog_slub_node_parse(sp("node 0: slabs: x"), &n), -EINVAL);

	assert_int_equal(klog_netblk_parse(sp("block nbd0: Other side returned error (-5)"), &b), 0);
	assert_string_equal(b.storage, "nbd");
	assert_true(span_eq(b.dev, "nbd0"));
	assert_int_equal(b.what, KLOG_NB_IO_ERROR);
	assert_int_equal(klog_netblk_parse(sp("block nbd1: Attempted send on invalid socket"), &b), 0);
	assert_int_equal(b.what, KLOG_NB_CONN);
	/* A requested disconnect is not an error (fixture 43). */
	assert_int_equal(klog_netblk_parse(sp("block nbd0: NBD_DISCONNECT"), &b), -EINVAL);
	assert_int_equal(klog_netblk_parse(sp("block nbd0: Unexpected reply (ffff8800084a3c58)"), &b), -EINVAL);
	assert_int_equal(klog_netblk_parse(sp("block nbd0: queue cleared"), &b), -EINVAL);
	assert_int_equal(klog_netblk_parse(sp("blk_update_request: I/O error, dev nbd0, sector 167938"), &b), 0);
	assert_true(span_eq(b.dev, "nbd0"));
	assert_int_equal(klog_netblk_parse(sp("I/O error, dev rbd3, sector 0 op 0x0:(READ) flags 0x0 phys_seg 1 prio class 2"), &b), 0);
	assert_string_equal(b.storage, "rbd");
	/* Local disks are not ours, whatever the error. */
	assert_int_equal(klog_netblk_parse(sp("blk_update_request: I/O error, dev sda, sector 12"), &b), -EINVAL);
	assert_int_equal(klog_netblk_parse(sp("Buffer I/O error on dev sdb1, logical block 4096, async page read"), &b), -EINVAL);
	assert_int_equal(klog_netblk_parse(sp("Buffer I/O error on device nbd0, logical block 83210"), &b), 0);
	assert_true(span_eq(b.dev, "nbd0"));
	assert_int_equal(klog_netblk_parse(sp("Buffer I/O error on dev nbd0p1, logical block 4096, async page read"), &b), 0);
	assert_true(span_eq(b.dev, "nbd0p1"));
	assert_int_equal(klog_netblk_parse(sp("connection3:0: detected conn error (1022)"), &b), 0);
	assert_string_equal(b.storage, "iscsi");
	assert_true(span_eq(b.dev, "connection3:0"));
	assert_int_equal(klog_netblk_parse(sp("connection1:0: ping timeout of 5 secs expired, recv timeout 5"), &b), 0);
	assert_int_equal(b.what, KLOG_NB_TIMEOUT);
	assert_int_equal(klog_netblk_parse(sp("session1: session recovery timed out after 120 secs"), &b), 0);
	assert_true(span_eq(b.dev, "session1"));
	assert_int_equal(klog_netblk_parse(sp("connection reset by peer"), &b), -EINVAL);
	assert_int_equal(klog_netblk_parse(sp("rbd: rbd0: write at objno 12 0~4096 result -108"), &b), 0);
	assert_true(span_eq(b.dev, "rbd0"));
	assert_int_equal(klog_netblk_parse(sp("rbd: rbd0: capacity 10737418240 features 0x1"), &b), -EINVAL);
	assert_int_equal(klog_netblk_parse(sp("nvme nvme0: queue 0: timeout request 0x1 type 4"), &b), 0);
	assert_string_equal(b.storage, "nvme_of");
	assert_int_equal(klog_netblk_parse(sp("nvme nvme2: queue 0: timeout cid 0xb001 type 4 opcode 0x18 (Admin Cmd)"), &b), 0);
	assert_int_equal(klog_netblk_parse(sp("nvme nvme0: 8/0/0 default/read/poll queues"), &b), -EINVAL);
	assert_int_equal(klog_netblk_parse(sp("Write-error on swap-device (43:0:123456)"), &b), 0);
	assert_string_equal(b.storage, "nbd");
	assert_true(span_eq(b.dev, "43:0"));
	assert_true(b.swap_write);
	assert_int_equal(klog_netblk_parse(sp("Read-error on swap-device (8:2:99)"), &b), 0);
	assert_string_equal(b.storage, "");
	assert_false(b.swap_write);
	assert_int_equal(klog_netblk_parse(sp("Write-error on swap-device (x)"), &b), -EINVAL);
}

/* Which frames name network storage (hung_task_netstorage is decided by
 * the stack alone). */
static void test_storage_of(void **state)
{
	(void)state;
	static const struct { const char *func, *mod, *want; } c[] = {
		{ "rpc_wait_bit_killable", "sunrpc", "nfs" }, { "xprt_reserve", "", "nfs" },
		{ "nfs4_do_open", "nfsv4", "nfs" }, { "ceph_mdsc_do_request", "ceph", "ceph" },
		{ "ceph_osdc_wait_request", "libceph", "ceph" }, { "rbd_queue_workfn", "rbd", "rbd" },
		{ "__fuse_request_send", "fuse", "fuse" }, { "p9_client_rpc", "9pnet", "9p" },
		{ "smb3_simple_fallocate_range", "cifs", "cifs" }, { "smb2_reconnect", "", "cifs" },
		{ "iscsit_stop_session", "iscsi_target_mod", "iscsi" }, { "nbd_add_socket", "nbd", "nbd" },
		{ "nvme_tcp_queue_rq", "nvme_tcp", "nvme_tcp" },
		{ "mutex_lock", "", NULL }, { "ext4_file_write_iter", "ext4", NULL },
		{ "rpcrdma_xxx", "", NULL },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct ex_frame fr;
		memset(&fr, 0, sizeof(fr));
		snprintf(fr.func, sizeof(fr.func), "%s", c[i].func);
		snprintf(fr.module, sizeof(fr.module), "%s", c[i].mod);
		const char *got = incident_storage_of(&fr);
		if (!c[i].want ? got != NULL : (!got || strcmp(got, c[i].want)))
			fail_msg("%s [%s]: %s, want %s", c[i].func, c[i].mod, got ? got : "NULL",
				 c[i].want ? c[i].want : "NULL");
	}
}

/* Rate-limit summaries join the report they belong to, never make one. */
static void test_ratelimit_attribution(void **state)
{
	(void)state;
	static const char log[] =
		"[ 10.000000] slab_out_of_memory: 7 callbacks suppressed\n"
		"[ 10.000001] SLUB: Unable to allocate memory on node -1 (gfp=0x20)\n"
		"[ 10.000002]   cache: skbuff_head_cache, object size: 232, buffer size: 256, default order: 0, min order: 0\n"
		"[ 10.000003]   node 0: slabs: 10, objs: 160, free: 0\n"
		"[ 20.000000] block nbd0: Other side returned error (-5)\n"
		"[ 20.500000] blk_update_request: 12 callbacks suppressed\n"
		"[ 21.000000] neighbour: ndisc_cache: neighbor table overflow!\n"
		"[ 22.000000] net_ratelimit: 40 callbacks suppressed\n"
		"[ 90.000000] net_ratelimit: 5 callbacks suppressed\n";
	struct collect *c = calloc(1, sizeof(*c));
	struct hr_explain *x = calloc(1, sizeof(*x));
	explain_init(x, collect, c);
	explain_feed(x, log, sizeof(log) - 1);
	explain_finish(x);
	assert_int_equal(c->n, 3);
	char buf[64];
	assert_string_equal(c->f[0].kind, "slab_alloc_failure");
	fact_format(finding_fact(&c->f[0], "suppressed"), buf, sizeof(buf));
	assert_string_equal(buf, "7");
	fact_format(finding_fact(&c->f[0], "network_cache"), buf, sizeof(buf));
	assert_string_equal(buf, "true");
	assert_int_equal(c->f[0].severity, HR_SEV_CRIT);
	assert_string_equal(c->f[1].kind, "netblock_io_error");
	fact_format(finding_fact(&c->f[1], "suppressed"), buf, sizeof(buf));
	assert_string_equal(buf, "12");
	assert_string_equal(c->f[2].kind, "neighbour_table_overflow");
	fact_format(finding_fact(&c->f[2], "suppressed"), buf, sizeof(buf));
	assert_string_equal(buf, "40");	/* not the 5 of 68 s later */
	fact_format(finding_fact(&c->f[2], "family"), buf, sizeof(buf));
	assert_string_equal(buf, "ipv6");
	assert_int_equal(x->st.incidents[HR_INC_NETBLOCK_IO_ERROR], 1);
	free(x);
	free(c);
}

/* Long lines are cut, not fatal; pool eviction keeps memory bounded. */
static void test_bounds(void **state)
{
	(void)state;
	struct collect *c = calloc(1, sizeof(*c));
	struct hr_explain *x = calloc(1, sizeof(*x));
	assert_true(c && x);
	explain_init(x, collect, c);
	/* SYNTHETIC: a 100 KB line, then 40 interleaved headers with
	 * different caller ids (more than EXPLAIN_OPEN_MAX). */
	char *big = malloc(100000);
	memset(big, 'a', 100000);
	explain_feed(x, big, 100000);
	explain_feed(x, "\n", 1);
	for (int i = 0; i < 40; i++) {
		char l[160];
		int n = snprintf(l, sizeof(l), "[ 1.0][ T%d] t%d: page allocation failure: order:0, mode:0x20\n", i, i);
		explain_feed(x, l, (size_t)n);
	}
	explain_finish(x);
	assert_int_equal(x->st.lines_truncated, 1);
	assert_int_equal(c->n, 40);
	assert_true(x->st.evicted >= 40 - EXPLAIN_OPEN_MAX);
	free(big);
	free(x);
	free(c);
}

/* The same report with CRLF line ends gives the same facts. */
static void test_crlf(void **state)
{
	(void)state;
	struct collect *a = run_file("05-pagealloc-virtio_net-ceph-5.4.log", 1 << 20);
	FILE *fp = fopen(FIXTURES "/kmsg/05-pagealloc-virtio_net-ceph-5.4.log", "rb");
	assert_non_null(fp);
	char *in = malloc(1 << 16), *crlf = malloc(1 << 17);
	size_t n = fread(in, 1, 1 << 16, fp), m = 0;
	fclose(fp);
	for (size_t i = 0; i < n; i++) {
		if (in[i] == '\n')
			crlf[m++] = '\r';
		crlf[m++] = in[i];
	}
	struct collect *b = calloc(1, sizeof(*b));
	struct hr_explain *x = calloc(1, sizeof(*x));
	explain_init(x, collect, b);
	explain_feed(x, crlf, m);
	explain_finish(x);
	assert_int_equal(a->n, b->n);
	char fa[512], fb[512];
	for (size_t k = 0; k < a->f[0].nfacts; k++) {
		const struct hr_fact *y = finding_fact(&b->f[0], a->f[0].facts[k].name);
		assert_non_null(y);
		assert_string_equal(fact_format(&a->f[0].facts[k], fa, sizeof(fa)), fact_format(y, fb, sizeof(fb)));
	}
	free(in);
	free(crlf);
	free(x);
	free(a);
	free(b);
}

/* ---- wall-clock times ---- */
static void test_logline_wall(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		enum hr_wall_kind kind;
		int year, mon, day, hour, min, sec, usec, off;
	} t[] = {
		{ "2019-02-25T03:45:03.778502+00:00 h kernel: x", HR_WALL_UTC, 2019, 2, 25, 3, 45, 3, 778502, 0 },
		{ "2024-03-05T10:11:12Z h kernel: x", HR_WALL_UTC, 2024, 3, 5, 10, 11, 12, 0, 0 },
		/* journalctl -o short-iso, systemd < 249 and >= 249 */
		{ "2024-03-05T10:11:12+0100 h kernel: x", HR_WALL_UTC, 2024, 3, 5, 10, 11, 12, 0, 3600 },
		{ "2024-03-05T10:11:12.5-05:30 h kernel: x", HR_WALL_UTC, 2024, 3, 5, 10, 11, 12, 500000, -19800 },
		{ "2024-03-05 10:11:12 h kernel: x", HR_WALL_LOCAL, 2024, 3, 5, 10, 11, 12, 0, 0 },
		{ "[Thu May  9 14:52:38 2024] CPU 11/KVM invoked", HR_WALL_LOCAL, 2024, 5, 9, 14, 52, 38, 0, 0 },
		{ "[Fri May 10 04:02:38 2024] y", HR_WALL_LOCAL, 2024, 5, 10, 4, 2, 38, 0, 0 },
		{ "Mar  5 10:11:12 host kernel: x", HR_WALL_NOYEAR, 0, 3, 5, 10, 11, 12, 0, 0 },
		{ "Mar 15 10:11:12.250 host kernel: x", HR_WALL_NOYEAR, 0, 3, 15, 10, 11, 12, 250000, 0 },
		/* OpenWrt logread: ctime with a year, facility.priority, tag */
		{ "Mon Apr 12 18:29:48 2021 kern.warn kernel: [  267.7] x", HR_WALL_LOCAL, 2021, 4, 12, 18, 29, 48, 0, 0 },
		{ "Thu Sep  1 19:19:48 2022 kern.info kernel: x", HR_WALL_LOCAL, 2022, 9, 1, 19, 19, 48, 0, 0 },
		/* no wall clock, or an impossible one */
		{ "[  785.581198] x", HR_WALL_NONE, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ "[May 7 20:30] x", HR_WALL_NONE, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ "2024-13-05T10:11:12Z h kernel: x", HR_WALL_NONE, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ "Mar 45 10:11:12 host kernel: x", HR_WALL_NONE, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ "Mar  5 25:11:12 host kernel: x", HR_WALL_NONE, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ "[Thu Foo  9 14:52:38 2024] y", HR_WALL_NONE, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ "Mon Apr 12 18:29:48 2021 x", HR_WALL_NONE, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ "Mon Apr 12 18:29:48 2021 kern. kernel: x", HR_WALL_NONE, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ "Mon Apr 32 18:29:48 2021 kern.warn kernel: x", HR_WALL_NONE, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ "", HR_WALL_NONE, 0, 0, 0, 0, 0, 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct hr_logline ll;
		logline_parse(t[i].in, strlen(t[i].in), &ll);
		if (ll.wall.kind != t[i].kind)
			fail_msg("case %zu: wall kind %d want %d", i, ll.wall.kind, t[i].kind);
		if (t[i].kind == HR_WALL_NONE)
			continue;
		assert_int_equal(ll.wall.year, t[i].year);
		assert_int_equal(ll.wall.mon, t[i].mon);
		assert_int_equal(ll.wall.day, t[i].day);
		assert_int_equal(ll.wall.hour, t[i].hour);
		assert_int_equal(ll.wall.min, t[i].min);
		assert_int_equal(ll.wall.sec, t[i].sec);
		assert_int_equal(ll.wall.usec, t[i].usec);
		assert_int_equal(ll.wall.off_sec, t[i].off);
	}
	/* Calendar arithmetic both ways, leap days and centuries included. */
	static const struct {
		int y, m, d, hh, mm, ss;
		int64_t t;
		const char *iso;
	} c[] = {
		{ 1970, 1, 1, 0, 0, 0, 0, "1970-01-01T00:00:00Z" },
		{ 2024, 3, 5, 10, 11, 12, 1709633472, "2024-03-05T10:11:12Z" },
		{ 2024, 2, 29, 23, 59, 59, 1709251199, "2024-02-29T23:59:59Z" },
		{ 2000, 3, 1, 0, 0, 0, 951868800, "2000-03-01T00:00:00Z" },
		{ 2100, 3, 1, 0, 0, 0, 4107542400, "2100-03-01T00:00:00Z" },
		{ 1969, 12, 31, 23, 59, 59, -1, "1969-12-31T23:59:59Z" },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char buf[32];
		assert_int_equal(logline_civil_seconds(c[i].y, c[i].m, c[i].d, c[i].hh, c[i].mm, c[i].ss), c[i].t);
		logline_iso_utc(c[i].t, buf, sizeof(buf));
		assert_string_equal(buf, c[i].iso);
	}
	char buf[32];
	logline_iso_utc(INT64_MAX / 2, buf, sizeof(buf));	/* clamped, not overflowed */
	assert_int_equal(strlen(buf), 20);
}

/* OpenWrt logread lines: only the kern facility is the kernel's; a
 * "user.info kernel:" line is procd writing to /dev/kmsg, and daemons log
 * under their own facility. */
static void test_logline_logread(void **state)
{
	(void)state;
	static const struct {
		const char *in, *text;
		bool kernel;
		enum hr_ts_kind ts;
	} t[] = {
		{ "Mon Apr 12 18:29:48 2021 kern.warn kernel: [  267.720081] hostapd invoked",
		  "hostapd invoked", true, HR_TS_MONO },
		{ "Sat Oct 28 15:00:55 2017 kern.err kernel: nf_conntrack: table full",
		  "nf_conntrack: table full", true, HR_TS_WALL },
		{ "Thu Sep  1 19:19:48 2022 user.info kernel: [   16.479260] procd: - early -",
		  "procd: - early -", false, HR_TS_MONO },
		{ "Mon Apr 12 18:29:38 2021 daemon.info v2ray[4723]: A unified platform",
		  "A unified platform", false, HR_TS_WALL },
		{ "Mon Apr 12 18:29:38 2021 authpriv.info dropbear[3327]: Exit (root)",
		  "Exit (root)", false, HR_TS_WALL },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct hr_logline ll;
		logline_parse(t[i].in, strlen(t[i].in), &ll);
		if (ll.kernel != t[i].kernel || ll.ts_kind != t[i].ts ||
		    ll.text.len != strlen(t[i].text) || memcmp(ll.text.p, t[i].text, ll.text.len))
			fail_msg("case %zu: kernel %d ts %d text '%.*s'", i, ll.kernel, ll.ts_kind,
				 (int)ll.text.len, ll.text.p);
		assert_int_equal(logline_is_kernel(t[i].in, strlen(t[i].in)), t[i].kernel);
	}
}

static void test_btime(void **state)
{
	(void)state;
	int64_t s = 7;
	const char *ok = "cpu  1 2 3\nctxt 5\nbtime 1709633472\nprocesses 9\n";
	assert_int_equal(logline_btime_parse(ok, strlen(ok), &s), 0);
	assert_int_equal(s, 1709633472);
	s = 7;
	const char *bad[] = { "btime -1\n", "btime 1x\n", "btime 18446744073709551616\n", "btime \n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(logline_btime_parse(bad[i], strlen(bad[i]), &s), -EINVAL);
	assert_int_equal(logline_btime_parse("ctxt 5\n", 7, &s), -ENODATA);
	assert_int_equal(logline_btime_parse("", 0, &s), -ENODATA);
	assert_int_equal(s, 7);
}

static const char *fact_s(const struct hr_finding *f, const char *name)
{
	static char buf[HR_FACT_STR_MAX];
	const struct hr_fact *x = finding_fact(f, name);
	if (!x)
		return "(absent)";
	return fact_format(x, buf, sizeof(buf));
}

/* A hook that takes local times as UTC and gives classic syslog 2023. */
static int wall_as_utc(void *arg, const struct hr_wall *w, int64_t *t)
{
	(void)arg;
	*t = logline_civil_seconds(w->year ? w->year : 2023, w->mon, w->day, w->hour, w->min, w->sec);
	return 0;
}

static void run_text(struct collect *c, const char *text, hr_wall_fn fn, int64_t boot_usec)
{
	struct hr_explain *x = calloc(1, sizeof(*x));
	assert_non_null(x);
	explain_init(x, collect, c);
	x->wall_fn = fn;
	x->boot_usec = boot_usec;
	explain_feed(x, text, strlen(text));
	explain_finish(x);
	assert_int_equal(x->boot_usec, 0);	/* per input */
	free(x);
}

static void test_seen_times(void **state)
{
	(void)state;
	/* SYNTHETIC lines in the forms of fixtures 11, 28 and 29. */
	static const struct {
		const char *text;
		bool hook;
		int64_t boot_usec;
		const char *first, *last, *basis;
	} t[] = {
		{ "2019-02-25T03:45:03.778502+01:00 h kernel: nf_conntrack: table full, dropping packet\n"
		  "2019-02-25T03:45:09.100000+01:00 h kernel: nf_conntrack: table full, dropping packet\n",
		  false, 0, "2019-02-25T02:45:03Z", "2019-02-25T02:45:09Z", "log_utc_offset" },
		{ "Feb  3 19:57:08 h kernel: TCP: out of memory -- consider tuning tcp_mem\n",
		  true, 0, "2023-02-03T19:57:08Z", "2023-02-03T19:57:08Z", "log_local_time_year_assumed" },
		/* Without a zone/year to assume, a local time is unknown, not guessed. */
		{ "Feb  3 19:57:08 h kernel: TCP: out of memory -- consider tuning tcp_mem\n",
		  false, 0, "unknown", "unknown", "(absent)" },
		{ "[Thu May  9 14:52:38 2024] TCP: out of memory -- consider tuning tcp_mem\n",
		  true, 0, "2024-05-09T14:52:38Z", "2024-05-09T14:52:38Z", "log_local_time" },
		/* /dev/kmsg: boot time + uptime stamp. */
		{ "[  100.500000] TCP: out of memory -- consider tuning tcp_mem\n"
		  "[  130.000000] TCP: out of memory -- consider tuning tcp_mem\n",
		  false, 1709633472000000LL, "2024-03-05T10:12:52Z", "2024-03-05T10:13:22Z", "boot_time" },
		/* Pasted dmesg text: uptime only, no date. */
		{ "[  100.500000] TCP: out of memory -- consider tuning tcp_mem\n",
		  false, 0, "unknown", "unknown", "(absent)" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct collect *c = calloc(1, sizeof(*c));
		assert_non_null(c);
		run_text(c, t[i].text, t[i].hook ? wall_as_utc : NULL, t[i].boot_usec);
		if (c->n != 1)
			fail_msg("case %zu: %zu incidents", i, c->n);
		if (strcmp(fact_s(&c->f[0], "first_seen"), t[i].first) ||
		    strcmp(fact_s(&c->f[0], "last_seen"), t[i].last) ||
		    strcmp(fact_s(&c->f[0], "time_basis"), t[i].basis))
			fail_msg("case %zu: %s %s %s", i, fact_s(&c->f[0], "first_seen"),
				 fact_s(&c->f[0], "last_seen"), fact_s(&c->f[0], "time_basis"));
		free(c);
	}
}

/* Which lines count as kernel log lines (explain's "not a kernel log"). */
static void test_kernel_lines(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		bool kernel;
	} t[] = {
		{ "[  785.581198] kworker/3:2: page allocation failure", true },
		{ "[  659.105948][ T3124] x", true },
		{ "[Thu May  9 14:52:38 2024] CPU 11/KVM invoked", true },
		{ "[  +0.000004]       Not tainted 5.7.0-rc2+ #2", true },
		{ "[May 7 20:30] x", true },
		{ "<4>[ 1.5] hi", true },
		{ "<6>Linux version 2.6.18", true },
		{ "Sep  8 16:40:44 knalp3 kernel: chrome: page", true },
		{ "2019-02-25T03:45:03.778502+00:00 hostname kernel: [1.2] x", true },
		{ "kernel: [759720.237846] TCP: out of memory", true },
		{ "-- No entries --", true },
		{ "4,2,0,-;[Firmware Bug]: TSC doesn't count with P0 frequency!", true },
		{ "6,1234,5678901,-,caller=T1;nf_conntrack: table full", true },
		{ "14,1235,5678902,-;user space wrote this", false },
		{ "-- Boot 3f2a5c0e1d2b4a69b2e1f0c3d4e5f607 --", true },
		{ "Sep  8 16:40:44 host sshd[12]: Accepted publickey", false },
		{ "web-01.example.net", false },
		{ "[Unit]", false },
		{ "[INFO] started", false },
		{ "<4>\x01\x02\x03\x04", false },
		{ "", false },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct hr_logline ll;
		logline_parse(t[i].in, strlen(t[i].in), &ll);
		if (ll.kernel != t[i].kernel || logline_is_kernel(t[i].in, strlen(t[i].in)) != t[i].kernel)
			fail_msg("case %zu '%s': kernel %d/%d want %d", i, t[i].in, ll.kernel,
				 logline_is_kernel(t[i].in, strlen(t[i].in)), t[i].kernel);
	}
	/* The prefilter's skipped lines are counted like parsed ones. */
	struct collect *c = calloc(1, sizeof(*c));
	struct hr_explain *x = calloc(1, sizeof(*x));
	assert_true(c && x);
	explain_init(x, collect, c);
	const char *text = "[ 1.0] a\nnoise\n[ 2.0] b\nSep  8 16:40:44 h kernel: c\n";
	explain_feed(x, text, strlen(text));
	explain_finish(x);
	assert_int_equal(x->st.kernel_lines, 3);
	free(x);
	free(c);
}

/* A live input gone quiet: reports printed in one go are complete after
 * EXPLAIN_IDLE_USEC; bursts only after their window. */
static void test_idle(void **state)
{
	(void)state;
	struct collect *c = calloc(1, sizeof(*c));
	struct hr_explain *x = calloc(1, sizeof(*x));
	assert_true(c && x);
	explain_init(x, collect, c);
	const char *text =
		"[ 1.0] nf_conntrack: table full, dropping packet\n"
		"[ 2.0] swapper/0: page allocation failure: order:4, mode:0x20\n"
		"[ 2.0] Call Trace:\n";
	explain_feed(x, text, strlen(text));
	explain_idle(x, EXPLAIN_IDLE_USEC - 1);
	assert_int_equal(c->n, 0);
	explain_idle(x, EXPLAIN_IDLE_USEC);
	assert_int_equal(c->n, 1);
	assert_string_equal(c->f[0].kind, "alloc_failure");
	explain_idle(x, 59 * 1000000LL);
	assert_int_equal(c->n, 1);
	explain_idle(x, 60 * 1000000LL);
	assert_int_equal(c->n, 2);
	assert_string_equal(c->f[1].kind, "conntrack_full");
	explain_finish(x);
	assert_int_equal(c->n, 2);
	free(x);
	free(c);
}

/* An unfinished report closes on evidence (incident.h): a gap in its
 * timestamps, a line starting another report, the line budget; after that
 * the fast path resumes (ntraced 0) even though later lines look like
 * lines of a report (frames, CPU lines). */
static void test_close_on_evidence(void **state)
{
	(void)state;
	struct collect *c = calloc(1, sizeof(*c));
	struct hr_explain *x = calloc(1, sizeof(*x));
	assert_true(c && x);
	explain_init(x, collect, c);
	const char *gap =
		"[ 5.0] swapper/0: page allocation failure: order:4, mode:0x20\n"
		"[ 5.0] Call Trace:\n"
		"[ 6.0]  ? __warn+0x7d/0xc0\n";
	explain_feed(x, gap, strlen(gap));
	assert_int_equal(x->ntraced, 1);
	const char *later = "[ 16.1]  ? __warn+0x7d/0xc0\n";	/* 10.1 s later */
	explain_feed(x, later, strlen(later));
	assert_int_equal(x->ntraced, 0);
	assert_int_equal(c->n, 1);
	assert_int_equal(c->f[0].nfacts > 0, 1);

	const char *other =
		"[ 20.0] INFO: task nfsd:99 blocked for more than 120 seconds.\n"
		"[ 20.0] Call Trace:\n"
		"[ 20.1] WARNING: CPU: 3 PID: 1 at net/core/dev.c:1 f+0x1/0x2\n";
	explain_feed(x, other, strlen(other));
	assert_int_equal(x->ntraced, 0);

	/* No timestamps: only the line budget ends it. */
	const char *hdr = "swapper/0: page allocation failure: order:4, mode:0x20\n";
	explain_feed(x, hdr, strlen(hdr));
	assert_int_equal(x->ntraced, 1);
	const char *frame = " ? __warn+0x7d/0xc0\n";
	for (unsigned i = 0; i < EXPLAIN_LINE_BUDGET && x->ntraced; i++)
		explain_feed(x, frame, strlen(frame));
	assert_int_equal(x->ntraced, 1);
	explain_feed(x, frame, strlen(frame));
	assert_int_equal(x->ntraced, 0);
	explain_finish(x);
	free(x);
	free(c);
}

/* 5.x memcg OOM rows pasted as a table, newest first: each row is a
 * self-contained incident with its own victim (SYNTHETIC rows in the 5.x
 * format of mm/oom_kill.c __oom_kill_process). */
static void test_oom_table_rows(void **state)
{
	(void)state;
	struct collect *c = calloc(1, sizeof(*c));
	struct hr_explain *x = calloc(1, sizeof(*x));
	assert_true(c && x);
	explain_init(x, collect, c);
	const char *text =
		"[ 7001.1] Memory cgroup out of memory: Killed process 3100 (java) total-vm:9000000kB, anon-rss:800000kB, file-rss:2000kB, shmem-rss:0kB, UID:0 pgtables:2000kB oom_score_adj:900\n"
		"[ 7000.9] Memory cgroup out of memory: Killed process 3000 (java) total-vm:9000000kB, anon-rss:700000kB, file-rss:2000kB, shmem-rss:0kB, UID:0 pgtables:2000kB oom_score_adj:900\n"
		"[ 6999.2] Memory cgroup out of memory: Killed process 2900 (python3) total-vm:900000kB, anon-rss:300000kB, file-rss:2000kB, shmem-rss:0kB, UID:0 pgtables:200kB oom_score_adj:900\n";
	explain_feed(x, text, strlen(text));
	explain_finish(x);
	assert_int_equal(c->n, 3);
	static const char *const pid[] = { "3100", "3000", "2900" };
	char buf[64];
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(c->f[i].kind, "oom_kill");
		const struct hr_fact *fa = finding_fact(&c->f[i], "victim_pid");
		assert_non_null(fa);
		fact_format(fa, buf, sizeof(buf));
		assert_string_equal(buf, pid[i]);
	}
	free(x);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_logline),
		cmocka_unit_test(test_kmsg_record),
		cmocka_unit_test(test_gfp),
		cmocka_unit_test(test_gfp_eras),
		cmocka_unit_test(test_klog_slab_netblk),
		cmocka_unit_test(test_ratelimit_attribution),
		cmocka_unit_test(test_storage_of),
		cmocka_unit_test(test_klog_alloc),
		cmocka_unit_test(test_klog_oom),
		cmocka_unit_test(test_klog_tables),
		cmocka_unit_test(test_klog_misc),
		cmocka_unit_test(test_anchors),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_fixtures_small_blocks),
		cmocka_unit_test(test_all_fixtures_sane),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_logline_wall),
		cmocka_unit_test(test_logline_logread),
		cmocka_unit_test(test_btime),
		cmocka_unit_test(test_seen_times),
		cmocka_unit_test(test_kernel_lines),
		cmocka_unit_test(test_idle),
		cmocka_unit_test(test_close_on_evidence),
		cmocka_unit_test(test_oom_table_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
