/* test_conntrack_stat.c - /proc/net/stat/nf_conntrack by header names. */
#include "testutil.h"

#include <errno.h>

#include "snapshot/conntrack_stat.h"
#include "util/parse.h"

/* 6.18.44 x86_64, 2 CPUs, with made-up non-zero values. */
#define H618 "entries  clashres found new invalid ignore delete chainlength insert insert_failed drop early_drop icmp_error  expect_new expect_create expect_delete search_restart\n"
#define R618A "0000012c  00000001 00000002 00000000 00000003 00000000 00000000 00000004 00000005 00000006 00000007 00000008 00000000  00000000 00000000 00000000 0000000a\n"
#define R618B "0000012c  00000001 00000002 00000000 00000003 00000000 00000000 00000004 00000005 00000006 000000f0 00000008 00000000  00000000 00000000 00000000 0000000a\n"
/* 2.6.32 header (KERNEL-FACTS F.4): no search_restart, clashres, chainlength. */
#define H2632 "entries searched found new invalid ignore delete delete_list insert insert_failed drop early_drop icmp_error expect_new expect_create expect_delete\n"
#define R2632 "00000010 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000002 00000001 00000000 00000000 00000000 00000000\n"

static void test_table(void **state)
{
	(void)state;
	static const struct {
		const char *name, *in;
		int rc;
		uint64_t entries, drop, early_drop, insert_failed, chainlength;
		unsigned ncpus;
	} t[] = {
		{ "good 6.18", H618 R618A R618B, 0, 300, 7 + 0xf0, 16, 12, 8, 2 },
		{ "good 2.6.32 (old columns)", H2632 R2632, 0, 16, 2, 1, 0, HR_UNSET, 1 },
		{ "new column", "entries drop early_drop brand_new insert_failed\n1 2 3 4 5\n1 2 3 4 5\n",
		  0, 1, 4, 6, 10, HR_UNSET, 2 },
		{ "reordered columns", "drop entries insert_failed early_drop\n2 1 5 3\n", 0, 1, 2, 3, 5,
		  HR_UNSET, 1 },
		{ "trailing blank lines", "entries drop\n1 2\n\n\n", 0, 1, 2, HR_UNSET, HR_UNSET, HR_UNSET, 1 },
		{ "0x prefix", "entries drop\n0x1 0x2\n", 0, 1, 2, HR_UNSET, HR_UNSET, HR_UNSET, 1 },
		{ "empty", "", -ENODATA, 0, 0, 0, 0, 0, 0 },
		{ "header only (truncated)", H618, -ENODATA, 0, 0, 0, 0, 0, 0 },
		{ "truncated row", "entries drop early_drop\n1 2 3\n1 2\n", -EINVAL, 0, 0, 0, 0, 0, 0 },
		{ "row longer than header", "entries drop\n1 2 3\n", -EINVAL, 0, 0, 0, 0, 0, 0 },
		{ "garbage", "hello world\nfoo bar\n", -ENODATA, 0, 0, 0, 0, 0, 0 },
		{ "garbage value", "entries drop\n1 zz\n", -EINVAL, 0, 0, 0, 0, 0, 0 },
		{ "hex with junk", "entries drop\n1 2g\n", -EINVAL, 0, 0, 0, 0, 0, 0 },
		{ "overflow", "entries drop\n1 18446744073709551616\n", -ERANGE, 0, 0, 0, 0, 0, 0 },
		{ "overflow hex", "entries drop\n1 10000000000000000\n", -ERANGE, 0, 0, 0, 0, 0, 0 },
		{ "-1", "entries drop\n1 -1\n", -EINVAL, 0, 0, 0, 0, 0, 0 },
		{ "no drop column", "entries found\n1 2\n", -ENODATA, 0, 0, 0, 0, 0, 0 },
		{ "duplicate column", "entries drop drop\n1 2 3\n", -EINVAL, 0, 0, 0, 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct conntrack_stat s;
		memset(&s, 0x5a, sizeof(s));
		int rc = conntrack_stat_parse(t[i].in, strlen(t[i].in), &s);
		if (rc != t[i].rc)
			fail_msg("%s: rc %d, want %d", t[i].name, rc, t[i].rc);
		if (rc) {
			assert_true(s.ncpus == 0x5a5a5a5a);	/* untouched */
			continue;
		}
		if (s.entries != t[i].entries || s.drop != t[i].drop || s.early_drop != t[i].early_drop ||
		    s.insert_failed != t[i].insert_failed || s.chainlength != t[i].chainlength ||
		    s.ncpus != t[i].ncpus)
			fail_msg("%s: entries %llu drop %llu early %llu insf %llu chain %llu cpus %u", t[i].name,
				 (unsigned long long)s.entries, (unsigned long long)s.drop,
				 (unsigned long long)s.early_drop, (unsigned long long)s.insert_failed,
				 (unsigned long long)s.chainlength, s.ncpus);
	}
}

static void test_saturates(void **state)
{
	(void)state;
	const char in[] = "entries drop\n1 ffffffffffffffff\n1 ffffffffffffffff\n";
	struct conntrack_stat s;
	assert_int_equal(conntrack_stat_parse(S(in), &s), 0);
	/* Saturates below HR_UNSET, which would read as "absent". */
	assert_true(s.drop == HR_UNSET - 1);
}

static void test_too_many_columns(void **state)
{
	(void)state;
	char in[2048] = "entries drop";
	for (int i = 0; i < CONNTRACK_STAT_COLS_MAX; i++)
		strcat(in, " x");
	strcat(in, "\n");
	struct conntrack_stat s;
	assert_int_equal(conntrack_stat_parse(in, strlen(in), &s), -E2BIG);
}

static void test_real_capture(void **state)
{
	(void)state;
	/* The fixture file captured on this machine kind. */
	const char in[] = H618
		"00000000  00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000  00000000 00000000 00000000 00000000\n"
		"00000000  00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000  00000000 00000000 00000000 00000000\n";
	struct conntrack_stat s;
	assert_int_equal(conntrack_stat_parse(S(in), &s), 0);
	assert_int_equal(s.ncols, 17);
	assert_int_equal(s.ncpus, 2);
	assert_true(s.clashres == 0 && s.search_restart == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_saturates),
		cmocka_unit_test(test_too_many_columns),
		cmocka_unit_test(test_real_capture),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
