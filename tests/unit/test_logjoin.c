/* test_logjoin.c - the paste joiner: wrapped lines rejoined on evidence,
 * glued records split, complete records never joined, and no prefix left
 * inside a parsed field. */
#include "testutil.h"

#include <string.h>

#include "snapshot/klog.h"
#include "snapshot/logjoin.h"
#include "snapshot/logline.h"

struct out {
	char text[8192];
	size_t len;
	unsigned lines;
};

static void sink(void *arg, const char *line, size_t len)
{
	struct out *o = arg;
	assert_true(o->len + len + 1 < sizeof(o->text));
	memcpy(o->text + o->len, line, len);
	o->len += len;
	o->text[o->len++] = '\n';
	o->text[o->len] = '\0';
	o->lines++;
}

static void run(const char *in, struct out *o, bool enabled)
{
	static struct hr_logjoin j;
	memset(o, 0, sizeof(*o));
	logjoin_init(&j, sink, o, enabled);
	logjoin_feed(&j, in, strlen(in));
	logjoin_flush(&j, true);
	assert_true(o->len <= strlen(in) + 1);
}

/* The as-posted text of tests/fixtures/kmsg/47 (a mail client wrapped
 * the header at ~80 columns, with the space eaten). */
static void test_wrapped_alloc_header(void **state)
{
	(void)state;
	struct out o;
	run("[  785.581198] kworker/3:2: page allocation failure: order:0,\n"
	    "mode:0xa20(GFP_ATOMIC), nodemask=(null),cpuset=/,mems_allowed=0\n"
	    "[  785.581201] CPU: 3 PID: 332 Comm: kworker/3:2 Not tainted 5.4.26 #4\n", &o, true);
	assert_int_equal(o.lines, 2);
	assert_string_equal(o.text,
			    "[  785.581198] kworker/3:2: page allocation failure: order:0, "
			    "mode:0xa20(GFP_ATOMIC), nodemask=(null),cpuset=/,mems_allowed=0\n"
			    "[  785.581201] CPU: 3 PID: 332 Comm: kworker/3:2 Not tainted 5.4.26 #4\n");
	/* disabled: lines pass as they are */
	run("a\nb\n", &o, false);
	assert_string_equal(o.text, "a\nb\n");
}

/* A bare paste: only the shape of the message can tell. */
static void test_bare_shape(void **state)
{
	(void)state;
	struct out o;
	run("java invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE),\n"
	    "order=0, oom_score_adj=0\n"
	    "CPU: 0 PID: 2746 Comm: leaker Not tainted 4.18.0+ #19\n", &o, true);
	assert_int_equal(o.lines, 2);
	struct hr_span first = { o.text, (size_t)(strchr(o.text, '\n') - o.text) };
	struct klog_oom_hdr h;
	assert_int_equal(klog_oom_hdr_parse(first, &h), 0);
	assert_int_equal(h.score_adj, 0);
	/* two whole records are never joined */
	run("CPU: 0 PID: 2746 Comm: leaker Not tainted 4.18.0+ #19\n"
	    "Hardware name: VMware, Inc. VMware Virtual Platform\n", &o, true);
	assert_int_equal(o.lines, 2);
}

static void test_never_join_records(void **state)
{
	(void)state;
	struct out o;
	run("[    1.000000] short line\n[    1.000001] another record\n", &o, true);
	assert_int_equal(o.lines, 2);
	run("Mar  5 10:11:12 host kernel: a\nMar  5 10:11:12 host kernel: b\n", &o, true);
	assert_int_equal(o.lines, 2);
	/* a prefix-less line far from the width is not a wrap */
	run("[    1.000000] x\nplain text of someone else\n"
	    "[    1.000001] a much longer record line that sets the width of this input\n", &o, true);
	assert_int_equal(o.lines, 3);
}

static void test_glued(void **state)
{
	(void)state;
	struct out o;
	const char *g = "[  657.060922][ T3384]  ? page_[  659.105948][ T3124] kworker/2:1H: page "
			"allocation failure: order:0, mode:0xa20(GFP_ATOMIC)";
	size_t at = logjoin_glue_at(g, strlen(g));
	assert_int_equal(at, strlen("[  657.060922][ T3384]  ? page_"));
	run("Jul  8 10:00:00 centos8 kernel: nf_conntrack: table full, dropping packet"
	    "Jul  8 10:00:01 centos6 kernel: nf_conntrack: table full, dropping packet.\n", &o, true);
	assert_int_equal(o.lines, 2);
	assert_non_null(strstr(o.text, "packet\nJul  8 10:00:01 centos6"));
	/* dmesg -H: relative and minute stamps (tests/fixtures/kmsg/24, glued) */
	const char *h = "[  +0.000004]       Not tainted 5.7.0-rc2+ #2[  +0.000001] \"echo 0\"";
	assert_int_equal(logjoin_glue_at(h, strlen(h)), strlen("[  +0.000004]       Not tainted 5.7.0-rc2+ #2"));
	const char *mh = "[May 7 20:30] iSCSI Login timeout on 102.1.1.6:3260[May 7 20:33] kworker/dying";
	assert_int_equal(logjoin_glue_at(mh, strlen(mh)), strlen("[May 7 20:30] iSCSI Login timeout on 102.1.1.6:3260"));
	/* a doubled prefix is one record */
	const char *d = "[  123.456789] [  123.456789] text";
	assert_int_equal(logjoin_glue_at(d, strlen(d)), 0);
	/* stamps inside a message of another form are not records */
	const char *m = "[    2.000000] ACPI: [Firmware Bug]: value [1.5] ignored";
	assert_int_equal(logjoin_glue_at(m, strlen(m)), 0);
}

/* A process name never holds a prefix, whatever the paste did. */
static void test_no_prefix_leak(void **state)
{
	(void)state;
	static const char *const in[] = {
		"[  657.060922]  ? page_[  659.105948] kworker/2:1H: page allocation failure: order:0, mode:0x20\n",
		"Mar  5 10:11:12 h kernel: x Mar  5 10:11:13 h kernel: java: page allocation failure: order:0, mode:0x20\n",
		"> [  1.000000] java: page allocation\n> failure: order:0, mode:0x20\n",
		"```[Tue Mar  5 10:11:12 2024] java: page allocation failure: order:0,\nmode:0x20\n```\n",
	};
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		struct out o;
		run(in[i], &o, true);
		bool found = false;
		for (char *p = o.text; *p;) {
			char *nl = strchr(p, '\n');
			struct hr_logline ll;
			logline_parse(p, (size_t)(nl - p), &ll);
			struct klog_alloc a;
			if (!klog_alloc_parse(ll.text, &a)) {
				found = true;
				const char *want = i == 0 ? "kworker/2:1H" : "java";
				assert_int_equal(a.comm.len, strlen(want));
				assert_memory_equal(a.comm.p, want, strlen(want));
			}
			p = nl + 1;
		}
		assert_true(found);
	}
}

static void test_shape(void **state)
{
	(void)state;
	static const struct {
		const char *t;
		int want;
	} t[] = {
		{ "", 0 },
		{ "java: page allocation failure: order:0, mode:0x20", 2 },
		{ "java: page allocation failure: order:0,", 1 },
		{ "page allocation failure: order:0, mode:0x20", 1 },
		{ "Killed process 1 (x) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB", 2 },
		{ "memory: usage 1kB, limit 1kB, failcnt 3", 2 },
		{ "memory: usage 1kB, limit 1kB,", 1 },
		{ "tcp_collapse+0x1a/0x200 [tg3]", 2 },
		{ "random words", 0 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(logjoin_shape(t[i].t, strlen(t[i].t)), t[i].want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrapped_alloc_header),
		cmocka_unit_test(test_bare_shape),
		cmocka_unit_test(test_never_join_records),
		cmocka_unit_test(test_glued),
		cmocka_unit_test(test_no_prefix_leak),
		cmocka_unit_test(test_shape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
