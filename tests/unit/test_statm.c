/* test_statm.c - /proc/PID/statm: the table of good and bad inputs, and
 * the agent's own RSS through kernel/self_read.h. */
#include "testutil.h"

#include <errno.h>

#include "kernel/self_read.h"
#include "snapshot/statm.h"

static void test_parse(void **state)
{
	(void)state;
	const struct {
		const char *in;
		int rc;
		uint64_t size, rss;
	} t[] = {
		{ "765 419 390 5 0 123 0\n", 0, 765, 419 },	/* cat, 6.18.44 x86_64 */
		{ "765 419", 0, 765, 419 },			/* no newline, no more fields */
		{ "765 419\n", 0, 765, 419 },
		{ "765 419 390 5 0 123 0 99\n", 0, 765, 419 },	/* a new column */
		{ "18446744073709551615 1 0 0 0 0 0\n", 0, UINT64_MAX, 1 },
		{ "18446744073709551616 1 0 0 0 0 0\n", -ERANGE, 0, 0 },
		{ "", -EINVAL, 0, 0 },
		{ "765", -EINVAL, 0, 0 },			/* truncated */
		{ "765 ", -EINVAL, 0, 0 },
		{ "-1 419 390\n", -EINVAL, 0, 0 },
		{ "765 -1 390\n", -EINVAL, 0, 0 },
		{ " 765 419\n", -EINVAL, 0, 0 },
		{ "765  419\n", -EINVAL, 0, 0 },
		{ "765 419x 390\n", -EINVAL, 0, 0 },		/* trailing junk */
		{ "765\t419\n", -EINVAL, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct statm s = { 7, 7 };
		int rc = statm_parse(t[i].in, strlen(t[i].in), &s);
		if (rc != t[i].rc)
			fail_msg("\"%s\": rc %d, want %d", t[i].in, rc, t[i].rc);
		if (rc == 0)
			assert_true(s.size_pages == t[i].size && s.resident_pages == t[i].rss);
		else
			assert_true(s.size_pages == 7 && s.resident_pages == 7);	/* untouched */
	}
}

/* The test process itself is resident: more than a page, less than 1 TiB. */
static void test_self(void **state)
{
	(void)state;
	uint64_t rss = 0;

	assert_int_equal(self_rss_bytes(&rss), 0);
	assert_true(rss >= 4096 && rss < (UINT64_C(1) << 40));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_self),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
