/* test_vmstat.c - vmstat_parse() over real and broken text. */
#include "testutil.h"

#include <errno.h>

#include "snapshot/vmstat.h"
#include "util/parse.h"

static void test_good(void **state)
{
	(void)state;
	struct vmstat v;
	/* Linux 6.18.44 x86_64, a subset of keys plus neighbours that must
	 * not match (pgscan_direct_throttle, compact_stall_x). */
	const char t[] =
		"nr_free_pages 914066\n"
		"nr_dirty 642\n"
		"nr_writeback 0\n"
		"nr_dirty_threshold 1208240\n"
		"nr_dirty_background_threshold 603382\n"
		"allocstall_dma 0\nallocstall_dma32 1\nallocstall_normal 5\nallocstall_movable 2\nallocstall_device 0\n"
		"pgscan_kswapd 10\npgscan_direct 20\npgscan_direct_throttle 99\n"
		"compact_stall 7\ncompact_fail 6\ncompact_success 1\n"
		"oom_kill 3\nsome_new_counter 12\n";
	assert_int_equal(vmstat_parse(S(t), &v), 0);
	assert_true(v.nr_free_pages == 914066 && v.nr_dirty == 642);
	assert_true(v.nr_dirty_threshold == 1208240);
	assert_true(v.allocstall_total == 8 && v.allocstall_normal == 5);
	assert_true(v.pgscan_direct == 20 && v.pgscan_kswapd == 10);
	assert_true(v.compact_stall == 7 && v.compact_fail == 6 && v.compact_success == 1);
	assert_true(v.oom_kill == 3);
	assert_true(v.pgsteal_kswapd == HR_UNSET);
}

static void test_old_kernel(void **state)
{
	(void)state;
	struct vmstat v;
	/* Before 4.8: one allocstall counter, no oom_kill (before 4.14). */
	const char t[] = "nr_free_pages 5\nallocstall 44\n";
	assert_int_equal(vmstat_parse(S(t), &v), 0);
	assert_true(v.allocstall_total == 44 && v.oom_kill == HR_UNSET);
	const char p[] = "nr_free_pages 5\npgscan_kswapd_dma 1\npgscan_kswapd_normal 10\n"
			 "pgscan_direct_normal 4\npgscan_direct_movable 6\n";
	assert_int_equal(vmstat_parse(S(p), &v), 0);
	assert_true(v.pgscan_kswapd == 11 && v.pgscan_direct == 10);
	const char u[] = "nr_free_pages 5\n";
	assert_int_equal(vmstat_parse(S(u), &v), 0);
	assert_true(v.allocstall_total == HR_UNSET);
}

static void test_bad(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int rc;
	} t[] = {
		{ "", -ENODATA },
		{ "garbage here\n", -ENODATA },
		{ "nr_dirty 5\n", -ENODATA },			/* truncated before nr_free_pages */
		{ "nr_free_pages -1\n", -EINVAL },
		{ "nr_free_pages 18446744073709551616\n", -ERANGE },
		{ "nr_free_pages 12x\n", -EINVAL },
		{ "nr_free_pages\n", -EINVAL },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct vmstat v = { .nr_free_pages = 77 };
		assert_int_equal(vmstat_parse(t[i].in, strlen(t[i].in), &v), t[i].rc);
		assert_true(v.nr_free_pages == 77);
	}
}

static void test_new_column(void **state)
{
	(void)state;
	struct vmstat v;
	/* A future "key value extra" line: the value is still the 2nd token. */
	const char t[] = "nr_free_pages 5 pages\ncompact_stall 3 x\n";
	assert_int_equal(vmstat_parse(S(t), &v), 0);
	assert_true(v.nr_free_pages == 5 && v.compact_stall == 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_old_kernel),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_new_column),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
