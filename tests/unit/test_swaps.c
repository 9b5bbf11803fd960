/* test_swaps.c - swaps_parse() with octal unescaping. */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>

#include "snapshot/swaps.h"

#define HDR "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"

static void test_good(void **state)
{
	(void)state;
	struct swaps *s = test_malloc(sizeof(*s));
	/* 6.18 layout (tabs after Size and Used), a path with a space, a
	 * partition and a deleted file. */
	const char t[] = HDR
		"/mnt/nfs/swap\\040file                   file\t\t1048572\t\t12\t\t-2\n"
		"/dev/nbd0                               partition\t4194300\t\t0\t\t-3\n"
		"/old\\040(deleted)                       file\t\t1024\t\t0\t\t5\n";
	assert_int_equal(swaps_parse(S(t), s), 0);
	assert_int_equal(s->n, 3);
	assert_string_equal(s->e[0].path, "/mnt/nfs/swap file");
	assert_int_equal(s->e[0].type, SWAPS_FILE);
	assert_true(s->e[0].size_bytes == 1048572ull * 1024 && s->e[0].used_bytes == 12 * 1024);
	assert_true(s->e[0].priority == -2 && !s->e[0].deleted);
	assert_string_equal(s->e[1].path, "/dev/nbd0");
	assert_int_equal(s->e[1].type, SWAPS_PARTITION);
	assert_string_equal(s->e[2].path, "/old");
	assert_true(s->e[2].deleted && s->e[2].priority == 5);
	/* The real file of this VM: header only, no swap. */
	assert_int_equal(swaps_parse(S(HDR), s), 0);
	assert_int_equal(s->n, 0);
	/* <= 4.19 header (one tab after Size), an unknown type, a new column. */
	const char old[] = "Filename\t\t\t\tType\t\tSize\tUsed\tPriority\n"
			   "/z zram 10 0 100 newcol\n";
	assert_int_equal(swaps_parse(S(old), s), 0);
	assert_int_equal(s->e[0].type, SWAPS_OTHER);
	assert_string_equal(swaps_type_name(s->e[0].type), "other");
	test_free(s);
}

static void test_bad(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int rc;
	} t[] = {
		{ "", -ENODATA },
		{ "garbage\n/dev/sda2 partition 1 0 -1\n", -EINVAL },	/* no header */
		{ HDR "/dev/sda2 partition 1024\n", -EINVAL },		/* truncated */
		{ HDR "/dev/sda2 partition 18446744073709551616 0 -1\n", -ERANGE },
		{ HDR "/dev/sda2 partition 18446744073709551615 0 -1\n", -ERANGE }, /* KiB -> bytes */
		{ HDR "/dev/sda2 partition -1 0 -1\n", -EINVAL },
		{ HDR "/dev/sda2 partition 10 20 -1\n", -EINVAL },	/* used > size */
		{ HDR "/dev/sda2 partition 10 0 x\n", -EINVAL },
		{ HDR "/a\\000b file 10 0 1\n", -EINVAL },		/* NUL escape */
	};
	struct swaps *s = test_malloc(sizeof(*s));
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		s->n = 77;
		assert_int_equal(swaps_parse(t[i].in, strlen(t[i].in), s), t[i].rc);
		assert_int_equal(s->n, 77);
	}
	test_free(s);
}

static void test_too_many(void **state)
{
	(void)state;
	char buf[64 * 40];
	size_t n = (size_t)snprintf(buf, sizeof(buf), HDR);
	for (int i = 0; i <= SWAPS_MAX; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "/s%d file 4 0 -%d\n", i, i + 2);
	struct swaps *s = test_malloc(sizeof(*s));
	assert_int_equal(swaps_parse(buf, n, s), -E2BIG);
	test_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_too_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
