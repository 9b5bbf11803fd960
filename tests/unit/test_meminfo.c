/* test_meminfo.c - meminfo_parse() over real and broken text. */
#include "testutil.h"

#include <errno.h>

#include "snapshot/meminfo.h"
#include "util/parse.h"

static void test_good(void **state)
{
	(void)state;
	struct meminfo m;
	/* Linux 6.18.44 x86_64 (this VM), subset, plus an unknown key. */
	const char t[] =
		"MemTotal:       24683620 kB\n"
		"MemFree:        23922520 kB\n"
		"MemAvailable:   24114316 kB\n"
		"SwapCached:            0 kB\n"
		"Dirty:              2568 kB\n"
		"Writeback:             0 kB\n"
		"SwapTotal:             0 kB\n"
		"SwapFree:              0 kB\n"
		"FutureKey:            12 kB\n";
	assert_int_equal(meminfo_parse(S(t), &m), 0);
	assert_true(m.total_bytes == 24683620ull * 1024);
	assert_true(m.available_bytes == 24114316ull * 1024);
	assert_true(m.dirty_bytes == 2568 * 1024 && m.swap_total_bytes == 0);
	/* Before 3.14: no MemAvailable. */
	const char old[] = "MemTotal: 100 kB\nMemFree: 50 kB\n";
	assert_int_equal(meminfo_parse(S(old), &m), 0);
	assert_true(m.available_bytes == HR_UNSET);
}

static void test_bad(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int rc;
	} t[] = {
		{ "", -ENODATA },
		{ "garbage\n", -ENODATA },
		{ "MemFree: 5 kB\n", -ENODATA },		/* truncated */
		{ "MemTotal: -1 kB\n", -EINVAL },
		{ "MemTotal: 18446744073709551616 kB\n", -ERANGE },
		{ "MemTotal: 10 kB\nMemFree: 11 kB\n", -EINVAL },	/* free > total */
		{ "MemTotal: 10 kB\nMemAvailable: 11 kB\n", -EINVAL },
		{ "MemTotal: 10 kB\nSwapTotal: 1 kB\nSwapFree: 2 kB\n", -EINVAL },
		{ "MemTotal: abc kB\n", -EINVAL },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct meminfo m = { .total_bytes = 77 };
		assert_int_equal(meminfo_parse(t[i].in, strlen(t[i].in), &m), t[i].rc);
		assert_true(m.total_bytes == 77);
	}
}

static void test_new_column(void **state)
{
	(void)state;
	struct meminfo m;
	const char t[] = "MemTotal: 100 kB extra\nMemFree: 7 kB\n";
	assert_int_equal(meminfo_parse(S(t), &m), 0);
	assert_true(m.total_bytes == 102400 && m.free_bytes == 7168);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_new_column),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
