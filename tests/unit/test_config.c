/* test_config.c - headroom.conf parsing: good files, bad lines, defaults. */
#define _GNU_SOURCE
#include "testutil.h"

#include <stdlib.h>
#include <unistd.h>

#include <errno.h>
#include <stdio.h>

#include "daemon/config.h"

static void test_defaults(void **state)
{
	(void)state;
	struct hr_config c;
	struct hr_config_err e;

	assert_int_equal(config_parse(S(""), &c, &e), 0);
	assert_int_equal(c.npolicy, 1);
	assert_int_equal(c.policy[0].mode, HR_MODE_OBSERVE);
	assert_string_equal(c.policy[0].match, "*");
	assert_string_equal(c.run_dir, "/run/headroom");
	assert_non_null(config_match(&c, "/any/thing"));
	/* Comments and an [agent] section alone keep the built-in policy. */
	assert_int_equal(config_parse(S("; comment\n# another\n[agent]\nmax_cgroups = 10\n"), &c, &e), 0);
	assert_int_equal(c.max_cgroups, 10);
	assert_int_equal(c.npolicy, 1);
}

static void test_good(void **state)
{
	(void)state;
	static const char f[] =
		"[agent]\n"
		"cgroup_root = /sys/fs/cgroup/memory/kubepods\n"
		"run_dir = /run/hr\n"
		"poll_min_ms = 5\n"
		"poll_max_ms = 500\n"
		"dry_run = yes\n"
		"rt_priority = 0\n"
		"\n"
		"[policy web]\n"
		"match = /web-*\n"
		"high = 85%\n"
		"low = 70%\n"
		"mode = reclaim\n"
		"max_rate = 512M\n"
		"max_cpu = 20%\n"
		"chunk = 64M\n"
		"reclaim_active = no\n"
		"[policy batch]\n"
		"match = /batch/*\n"
		"high = 64M\n"
		"low = 256MiB\n"
		"backend = v1-limit\n";
	struct hr_config c;
	struct hr_config_err e;

	assert_int_equal(config_parse(S(f), &c, &e), 0);
	assert_string_equal(c.cgroup_root, "/sys/fs/cgroup/memory/kubepods");
	assert_string_equal(c.run_dir, "/run/hr");
	assert_int_equal(c.poll_min_ms, 5);
	assert_true(c.dry_run);
	assert_int_equal(c.rt_priority, 0);
	assert_int_equal(c.npolicy, 2);
	const struct hr_policy *p = &c.policy[0];
	assert_string_equal(p->name, "web");
	assert_int_equal(p->high.pct, 85);
	assert_int_equal(p->low.pct, 70);
	assert_int_equal(p->mode, HR_MODE_RECLAIM);
	assert_true(p->max_rate_bytes == 512ull << 20);
	assert_int_equal(p->max_cpu_pct, 20);
	assert_true(p->chunk_bytes == 64ull << 20);
	assert_false(p->reclaim_active);
	assert_int_equal(p->line, 9);
	p = &c.policy[1];
	assert_false(p->high.is_pct);
	assert_true(p->high.headroom_bytes == 64ull << 20);
	assert_int_equal(p->backend, HR_BACK_V1_LIMIT);
	assert_int_equal(p->mode, HR_MODE_OBSERVE);	/* default */
	/* Matching, first wins; unmatched is NULL (the file replaced the default). */
	assert_ptr_equal(config_match(&c, "/web-1"), &c.policy[0]);
	assert_ptr_equal(config_match(&c, "/batch/x/y"), &c.policy[1]);
	assert_null(config_match(&c, "/other"));
	/* Marks in bytes. */
	assert_true(mark_bytes(&c.policy[0].high, 1000) == 850);
	assert_true(mark_bytes(&c.policy[1].high, 1ull << 30) == (1ull << 30) - (64ull << 20));
	assert_true(mark_bytes(&c.policy[1].low, 100ull << 20) == 0);
	assert_true(mark_bytes(&c.policy[0].high, UINT64_MAX) <= UINT64_MAX / 100 * 85 + 100);
}

static void test_bad(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		unsigned line;
		const char *msg;	/* substring of the error */
	} t[] = {
		{ "[agent]\nfoo = 1\n", 2, "unknown key 'foo'" },
		{ "[agent]\nmax_cgroups = -1\n", 2, "max_cgroups" },
		{ "[agent]\nmax_cgroups = 18446744073709551616\n", 2, "max_cgroups" },
		{ "[agent]\nmax_cgroups = 0\n", 2, "max_cgroups" },
		{ "[agent]\ncgroup_root = relative\n", 2, "absolute" },
		{ "[bogus]\nx = 1\n", 1, "unknown section" },
		{ "[policy]\nmatch = *\n", 1, "needs a name" },
		{ "[policy a]\nmatch = *\nhigh = 90\n", 3, "high" },
		{ "[policy a]\nmatch = *\nhigh = 100%\n", 3, "high" },
		{ "[policy a]\nmatch = *\nhigh = 0%\n", 3, "high" },
		{ "[policy a]\nmatch = *\nmode = fast\n", 3, "mode" },
		{ "[policy a]\nmatch = *\nmax_rate = 1K\n", 3, "max_rate" },
		{ "[policy a]\nmatch = *\nmax_cpu = 150%\n", 3, "max_cpu" },
		{ "[policy a]\nmatch = *\nchunk = 2G\n", 3, "chunk" },
		{ "[policy a]\nmatch = *\nchunk = 32X\n", 3, "chunk" },
		{ "[policy a]\nmatch = *\nreclaim_active = maybe\n", 3, "reclaim_active" },
		{ "[policy a]\nmatch = *\nbackend = magic\n", 3, "backend" },
		{ "[policy a]\nmatch = app\n", 2, "glob starting with '/'" },
		{ "[policy a]\nhigh = 90%\n", 1, "no match" },
		{ "[policy a]\nmatch = *\nhigh = 80%\nlow = 90%\n", 1, "low must be below high" },
		{ "[policy a]\nmatch = *\nhigh = 64M\nlow = 80%\n", 1, "both" },
		{ "[policy a]\nmatch = *\n[policy a]\nmatch = *\n", 3, "duplicate" },
		{ "[agent]\nthis line has no equals\n", 2, "syntax" },
		{ "[agent\n", 1, "syntax" },
		{ "[agent]\npoll_min_ms = 600\npoll_max_ms = 500\n", 0, "poll_min_ms" },
		{ "[policy a]\nmatch = *\nhigh = \n", 3, "empty" },
		{ "[agent]\nmlock = yes\ndry_run = 2\n", 3, "dry_run" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct hr_config c;
		struct hr_config_err e;
		int rc = config_parse(t[i].in, strlen(t[i].in), &c, &e);
		if (rc != -EINVAL || e.line != t[i].line || !strstr(e.msg, t[i].msg))
			fail_msg("case %zu: rc %d line %u msg '%s' (want line %u, '%s')", i, rc, e.line,
				 e.msg, t[i].line, t[i].msg);
	}
}

/* The typos Debian's libinih build lets through silently (config.c). */
static void test_typos_loud(void **state)
{
	(void)state;
	struct hr_config c;
	struct hr_config_err e;

	/* A misspelled section with nothing below it. */
	assert_int_equal(config_parse(S("[polcy web]\n"), &c, &e), -EINVAL);
	assert_int_equal(e.line, 1);
	assert_non_null(strstr(e.msg, "unknown section [polcy web]"));
	/* A known but empty policy is a policy without match. */
	assert_int_equal(config_parse(S("[agent]\n[policy web]\n"), &c, &e), -EINVAL);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.msg, "no match"));
	/* An inline comment ends the value ('#' and ';' after a blank). */
	assert_int_equal(config_parse(S("[policy web]  # the front\nmatch = /web-? # web\nhigh = 85% ; x\n"),
				  &c, &e), 0);
	assert_string_equal(c.policy[0].match, "/web-?");
	assert_int_equal(c.policy[0].high.pct, 85);
	assert_int_equal(e.ndiag, 0);
	/* '#' inside a word stays. */
	assert_int_equal(config_parse(S("[policy a]\nmatch = /a#b\n"), &c, &e), 0);
	assert_string_equal(c.policy[0].match, "/a#b");
	/* An indented key is its own key (inih would append it to low), with a warning. */
	assert_int_equal(config_parse(S("[policy a]\nmatch = *\nlow = 70%\n  high = 80%\n"), &c, &e), 0);
	assert_int_equal(c.policy[0].low.pct, 70);
	assert_int_equal(c.policy[0].high.pct, 80);
	assert_int_equal(e.nerrors, 0);
	assert_int_equal(e.nwarnings, 1);
	assert_int_equal(e.ndiag, 1);
	assert_int_equal(e.diag[0].line, 4);
	assert_true(e.diag[0].warning);
	assert_non_null(strstr(e.diag[0].msg, "indented"));
	/* ':' is not a delimiter; text after ']' is an error. */
	assert_int_equal(config_parse(S("[agent]\nmlock: no\n"), &c, &e), -EINVAL);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.msg, "syntax"));
	assert_int_equal(config_parse(S("[agent] x\n"), &c, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "after ']'"));
	/* Blanks inside the brackets are trimmed. */
	assert_int_equal(config_parse(S("[ policy  b ]\nmatch = /b\n"), &c, &e), 0);
	assert_string_equal(c.policy[0].name, "b");
}

/* Every error, not the first: what --check-config prints. */
static void test_all_errors(void **state)
{
	(void)state;
	static const char f[] =
		"[agent]\n"
		"max_cgroups = 0\n"		/* 2 */
		"  mlock = maybe\n"		/* 3: warning + error */
		"[polcy x]\n"			/* 4 */
		"match = /x\n"			/* skipped: its section is wrong */
		"[policy a]\n"			/* 6: no match (validation) */
		"high = 90\n"			/* 7 */
		"bogus\n";			/* 8 */
	struct hr_config c;
	struct hr_config_err e;
	static const struct { unsigned line; bool warning; const char *msg; } want[] = {
		{ 2, false, "max_cgroups" }, { 3, true, "indented" }, { 3, false, "mlock" },
		{ 4, false, "unknown section" }, { 7, false, "high" }, { 8, false, "syntax" },
		{ 6, false, "no match" },
	};
	char line[512];

	assert_int_equal(config_parse(S(f), &c, &e), -EINVAL);
	assert_int_equal(e.nerrors, 6);
	assert_int_equal(e.nwarnings, 1);
	assert_int_equal(e.ndiag, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < e.ndiag; i++) {
		if (e.diag[i].line != want[i].line || e.diag[i].warning != want[i].warning ||
		    !strstr(e.diag[i].msg, want[i].msg))
			fail_msg("diag %zu: line %u %s '%s' (want line %u '%s')", i, e.diag[i].line,
				 e.diag[i].warning ? "warning" : "error", e.diag[i].msg, want[i].line, want[i].msg);
	}
	assert_int_equal(e.line, 2);	/* the first error, as before */
	config_diag_format(&e.diag[1], "/etc/h.conf", line, sizeof(line));
	assert_string_equal(line, "/etc/h.conf:3: warning: indented line read as its own line (there are no continuation lines)");
	config_diag_format(&e.diag[0], "/etc/h.conf", line, sizeof(line));
	assert_non_null(strstr(line, "/etc/h.conf:2: max_cgroups"));
	/* More errors than HR_CONFIG_DIAG_MAX are counted, the first kept. */
	char big[4096] = "[agent]\n";
	for (int i = 0; i < HR_CONFIG_DIAG_MAX + 8; i++)
		strcat(big, "x = 1\n");
	assert_int_equal(config_parse(big, strlen(big), &c, &e), -EINVAL);
	assert_int_equal(e.nerrors, HR_CONFIG_DIAG_MAX + 8);
	assert_int_equal(e.ndiag, HR_CONFIG_DIAG_MAX);
	/* A line too long is one error; parsing goes on after it. */
	char lng[600];
	snprintf(lng, sizeof(lng), "[agent]\nrun_dir = /%0300d\nmax_cgroups = 0\n", 0);
	assert_int_equal(config_parse(lng, strlen(lng), &c, &e), -EINVAL);
	assert_int_equal(e.nerrors, 2);
	assert_non_null(strstr(e.diag[0].msg, "too long"));
	assert_int_equal(e.diag[1].line, 3);
}

static void test_long_and_nul(void **state)
{
	(void)state;
	char buf[1024];
	struct hr_config c;
	struct hr_config_err e;

	memset(buf, 'x', sizeof(buf));
	memcpy(buf, "[agent]\nrun_dir = /", 19);
	assert_int_equal(config_parse(buf, sizeof(buf), &c, &e), -EINVAL);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.msg, "too long"));
	assert_int_equal(config_parse("[agent]\n\0x = 1\n", 15, &c, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "NUL"));
	/* A file that does not end in a newline is fine. */
	assert_int_equal(config_parse(S("[agent]\nmax_cgroups = 7"), &c, &e), 0);
	assert_int_equal(c.max_cgroups, 7);
}

static void test_sizes(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int rc;
		uint64_t v;
	} t[] = {
		{ "0", 0, 0 }, { "4096", 0, 4096 }, { "1K", 0, 1024 }, { "64M", 0, 64ull << 20 },
		{ "64MiB", 0, 64ull << 20 }, { "2G", 0, 2ull << 30 }, { "1T", 0, 1ull << 40 },
		{ "-1", -EINVAL, 0 }, { "", -EINVAL, 0 }, { "M", -EINVAL, 0 }, { "1 M", -EINVAL, 0 },
		{ "18446744073709551616", -ERANGE, 0 }, { "17179869184G", -ERANGE, 0 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t v = 42;
		int rc = config_parse_size(t[i].in, &v);
		assert_int_equal(rc, t[i].rc);
		if (!rc)
			assert_true(v == t[i].v);
	}
}

static void test_load(void **state)
{
	(void)state;
	struct hr_config c;
	struct hr_config_err e;
	char path[] = "/tmp/hr-test-conf-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("[policy x]\nmatch = /a\nmode = reclaim\n", f);
	fclose(f);
	assert_int_equal(config_load(path, &c, &e), 0);
	assert_int_equal(c.policy[0].mode, HR_MODE_RECLAIM);
	unlink(path);
	assert_int_equal(config_load(path, &c, &e), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults), cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad), cmocka_unit_test(test_long_and_nul),
		cmocka_unit_test(test_sizes), cmocka_unit_test(test_load),
		cmocka_unit_test(test_typos_loud), cmocka_unit_test(test_all_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
