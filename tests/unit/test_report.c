/* test_report.c - the finding model and the JSON writer. */
#define _GNU_SOURCE
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "detect/finding.h"
#include "report/jsonw.h"
#include "report/report.h"

/* Renders with fn into a memory buffer the test frees. */
static char *render(void (*fn)(struct jsonw *, const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct jsonw w;

	assert_non_null(f);
	jw_init(&w, f, false);
	fn(&w, arg);
	jw_finish(&w);
	fclose(f);
	return buf;
}

static void emit_str(struct jsonw *w, const void *arg)
{
	jw_arr_begin(w);
	jw_str(w, arg);
	jw_arr_end(w);
}

static void test_escape_and_utf8(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} t[] = {
		{ "plain", "[\"plain\"]\n" },
		{ "q\"b\\", "[\"q\\\"b\\\\\"]\n" },
		{ "a\nb\tc\r\x01", "[\"a\\nb\\tc\\r\\u0001\"]\n" },
		{ "caf\xc3\xa9", "[\"caf\xc3\xa9\"]\n" },		/* valid 2-byte */
		{ "\xff", "[\"\xef\xbf\xbd\"]\n" },			/* invalid byte */
		{ "\xc3", "[\"\xef\xbf\xbd\"]\n" },			/* cut sequence */
		{ "\xc0\xaf", "[\"\xef\xbf\xbd\xef\xbf\xbd\"]\n" },	/* overlong */
		{ "\xed\xa0\x80", "[\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"]\n" }, /* surrogate */
		{ "\xf0\x9f\x98\x80", "[\"\xf0\x9f\x98\x80\"]\n" },	/* 4-byte */
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *got = render(emit_str, t[i].in);
		assert_string_equal(got, t[i].out);
		free(got);
	}
}

static void emit_nested(struct jsonw *w, const void *arg)
{
	(void)arg;
	jw_obj_begin(w);
	jw_key(w, "a");
	jw_arr_begin(w);
	jw_u64(w, UINT64_MAX);
	jw_i64(w, INT64_MIN);
	jw_f64(w, 0.5);
	jw_f64(w, 1.0 / 0.0);
	jw_bool(w, true);
	jw_null(w);
	jw_obj_begin(w);
	jw_obj_end(w);
	jw_arr_end(w);
	jw_key(w, "b");
	jw_str(w, NULL);
	jw_arr_begin(w);	/* left open: jw_finish closes it */
}

static void test_structure(void **state)
{
	(void)state;
	char *got = render(emit_nested, NULL);
	assert_string_equal(got, "{\"a\":[18446744073709551615,-9223372036854775808,0.5,null,"
				 "true,null,{}],\"b\":null,[]}\n");
	free(got);
}

static void emit_deep(struct jsonw *w, const void *arg)
{
	(void)arg;
	for (int i = 0; i < 40; i++)
		jw_arr_begin(w);
	for (int i = 0; i < 40; i++)
		jw_arr_end(w);
}

static void test_depth_bounded(void **state)
{
	(void)state;
	char *got = render(emit_deep, NULL);
	/* Balanced brackets whatever the depth asked for. */
	int depth = 0;
	for (char *p = got; *p; p++) {
		depth += *p == '[';
		depth -= *p == ']';
		assert_true(depth >= 0);
	}
	assert_int_equal(depth, 0);
	free(got);
}

static void test_findings(void **state)
{
	(void)state;
	struct hr_finding items[2];
	struct hr_findings fs;
	hr_findings_init(&fs, items, 2);
	struct hr_finding *a = finding_add(&fs, "b.warn", HR_SEV_WARN, "cg %s", "/x");
	struct hr_finding *b = finding_add(&fs, "a.crit", HR_SEV_CRIT, "host");
	assert_null(finding_add(&fs, "c", HR_SEV_OK, "dropped"));
	assert_int_equal(fs.dropped, 1);
	fact_u64(a, "usage_bytes", 5);
	fact_list_add(b, "gfp", "GFP_ATOMIC");
	fact_list_add(b, "gfp", "__GFP_COMP");
	fact_u64(NULL, "ignored", 1);	/* NULL finding: no-op */
	for (int i = 0; i < HR_FACTS_MAX + 5; i++)
		fact_i64(a, "n", i);
	assert_int_equal(a->nfacts, HR_FACTS_MAX);
	assert_int_equal(a->facts_dropped, 6);	/* counted, and reported: */
	char *js = NULL;
	size_t jn = 0;
	FILE *jf = open_memstream(&js, &jn);
	struct jsonw w;
	jw_init(&w, jf, false);
	report_json_finding(&w, a);
	jw_finish(&w);
	fclose(jf);
	assert_non_null(strstr(js, "\"facts_dropped\":6"));
	free(js);
	char big[HR_TEXT_MAX * 2];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	finding_explain(a, "%s", big);
	assert_int_equal(strlen(a->explanation), HR_TEXT_MAX - 1);
	assert_int_equal(findings_worst(&fs), HR_SEV_CRIT);
	findings_sort(&fs);
	assert_string_equal(fs.items[0].id, "a.crit");
	const struct hr_fact *g = finding_fact(&fs.items[0], "gfp");
	assert_non_null(g);
	char buf[128];
	assert_string_equal(fact_format(g, buf, sizeof(buf)), "GFP_ATOMIC|__GFP_COMP");
	findings_note(&fs, "proc/x", -2, "x %d", 1);
	assert_int_equal(fs.notes.items[0].err, 2);
	assert_int_equal(report_exit_code(HR_SEV_WARN), 1);
}


/* Fix lines: one call is one whole line; a line that does not fit is
 * dropped whole (a cut command could do harm), control bytes never split
 * a line, and persistence quotes what it writes. */
static void test_fix_lines(void **state)
{
	(void)state;
	struct hr_finding items[1];
	struct hr_findings fs;
	hr_findings_init(&fs, items, 1);
	struct hr_finding *f = finding_add(&fs, "a.b", HR_SEV_WARN, "host");
	finding_fix_comment(f, "why %s", "a\nb");
	finding_fix_cmd(f, "echo %d > /proc/x", 1);
	finding_fix_sysctl(f, "net.ipv4.tcp_mem", "%d %d %d", 1, 2, 3);
	assert_string_equal(f->fix, "# why a?b\necho 1 > /proc/x\n"
			    "sysctl -w 'net.ipv4.tcp_mem=1 2 3'\n"
			    "printf '%s\\n' 'net.ipv4.tcp_mem = 1 2 3' | tee "
			    "/etc/sysctl.d/60-headroom-net.ipv4.tcp_mem.conf\n");
	char big[HR_TEXT_MAX];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	size_t before = strlen(f->fix);
	finding_fix_cmd(f, "echo 0 > /sys/%s", big);
	assert_null(strstr(f->fix, "/sys/"));
	assert_non_null(strstr(f->fix + before, "# ... (fix cut"));
	finding_fix_cmd(f, "echo 0 > /sys/%s", big);	/* the marker once */
	assert_null(strstr(strstr(f->fix, "# ... (fix cut") + 1, "# ... (fix cut"));
	finding_fix_cmd(NULL, "x");	/* NULL finding: no-op */
}

/* JSON numbers read back as the same double, in the shortest form. */
static void test_f64_round_trip(void **state)
{
	(void)state;
	static const struct {
		double v;
		const char *want;
	} t[] = {
		{ 98765432.1, "98765432.1" },	/* %.6g made this 9.87654e+07 */
		{ 0.5, "0.5" },
		{ 0.1, "0.1" },
		{ 1.0 / 3.0, "0.3333333333333333" },
		{ 0, "0" },
		{ -2.5, "-2.5" },
		{ 1e300, "1e+300" },
		{ 5e-324, "5e-324" },	/* smallest subnormal */
		{ 18446744073709551616.0, "1.8446744073709552e+19" },
		{ 123456789012345678.0, "1.2345678901234568e+17" },
	};
	char buf[32];
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_string_equal(jw_format_f64(t[i].v, buf, sizeof(buf)), t[i].want);
		assert_true(strtod(buf, NULL) == t[i].v);
	}
	/* every double of a spread reads back exactly */
	for (double v = 1e-9; v < 1e18; v *= 1.37) {
		jw_format_f64(v, buf, sizeof(buf));
		assert_true(strtod(buf, NULL) == v);
		jw_format_f64(v / 7.0, buf, sizeof(buf));
		assert_true(strtod(buf, NULL) == v / 7.0);
	}
}

/* The text report shows control bytes of kernel names as '?': an interface
 * named "\033]0;x\007" must not reach the terminal as an escape. */
static void test_text_no_control_bytes(void **state)
{
	(void)state;
	struct hr_finding items[1];
	struct hr_findings fs;
	hr_findings_init(&fs, items, 1);
	struct hr_finding *f = finding_add(&fs, "net.iface_drops", HR_SEV_WARN,
					   "interface \033[2J%s", "x");
	fact_str(f, "iface", "e\033]0;t\007");
	fact_list_add(f, "devs", "a\tb");
	finding_explain(f, "why \033[31m");
	finding_fix(f, "ethtool -g 'e\033'\n");
	findings_note(&fs, "sys/class/net/\033x/mtu", -5, "MTU of \033x unknown");
	struct hr_report_meta m = { .command = "check", .root = "/" };
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	report_text(out, &fs, &m, false, true);
	fclose(out);
	assert_null(memchr(buf, '\033', len));
	assert_null(memchr(buf, '\007', len));
	assert_null(memchr(buf, '\t', len));
	assert_non_null(strstr(buf, "interface ?[2Jx"));
	assert_non_null(strstr(buf, "iface=e?]0;t? "));
	assert_non_null(strstr(buf, "not read: sys/class/net/?x/mtu: "));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_and_utf8),
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_depth_bounded),
		cmocka_unit_test(test_findings),
		cmocka_unit_test(test_text_no_control_bytes),
		cmocka_unit_test(test_f64_round_trip),
		cmocka_unit_test(test_fix_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
