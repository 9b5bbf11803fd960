/* test_softnet_stat.c - /proc/net/softnet_stat rows, column count by kernel. */
#include "testutil.h"

#include <errno.h>

#include "snapshot/softnet_stat.h"
#include "util/parse.h"

/* 6.18: 15 columns. */
#define R618A "0000000f 00000001 00000002 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000003 00000000 00000000 00000000 00000000\n"
#define R618B "0000067f 00000010 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000004 00000000 00000001 00000000 00000000\n"
/* 3.10: 10 columns, no flow_limit_count. */
#define R310 "00a0f2b1 00000002 00000005 00000000 00000000 00000000 00000000 00000000 00000000 00000000\n"

static void test_table(void **state)
{
	(void)state;
	static const struct {
		const char *name, *in;
		int rc;
		uint64_t processed, dropped, squeeze, flow;
		unsigned ncpus, ncols;
	} t[] = {
		{ "good 6.18", R618A R618B, 0, 0xf + 0x67f, 0x11, 2, 7, 2, 15 },
		{ "good 3.10 (no flow_limit_count)", R310 R310, 0, 2 * 0xa0f2b1, 4, 10, HR_UNSET, 2, 10 },
		{ "new column", "1 2 3 4 5 6 7 8 9 a b c d e f 10\n", 0, 1, 2, 3, 0xb, 1, 16 },
		{ "empty", "", -ENODATA, 0, 0, 0, 0, 0, 0 },
		{ "blank only", "\n\n", -ENODATA, 0, 0, 0, 0, 0, 0 },
		{ "truncated row", R618A "0000067f 00000010\n", -EINVAL, 0, 0, 0, 0, 0, 0 },
		{ "rows differ", R618A R310, -EINVAL, 0, 0, 0, 0, 0, 0 },
		{ "garbage", "hello there friend\n", -EINVAL, 0, 0, 0, 0, 0, 0 },
		{ "overflow", "1 18446744073709551616 3\n", -ERANGE, 0, 0, 0, 0, 0, 0 },
		{ "-1", "1 -1 3\n", -EINVAL, 0, 0, 0, 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct softnet_stat s;
		memset(&s, 0x22, sizeof(s));
		int rc = softnet_stat_parse(t[i].in, strlen(t[i].in), &s);
		if (rc != t[i].rc)
			fail_msg("%s: rc %d, want %d", t[i].name, rc, t[i].rc);
		if (rc) {
			assert_true(s.ncpus == 0x22222222);
			continue;
		}
		if (s.processed != t[i].processed || s.dropped != t[i].dropped ||
		    s.time_squeeze != t[i].squeeze || s.flow_limit_count != t[i].flow ||
		    s.ncpus != t[i].ncpus || s.ncols != t[i].ncols)
			fail_msg("%s: values", t[i].name);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
