/* test_buddyinfo.c - buddyinfo_parse() and its helpers. */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>

#include "snapshot/buddyinfo.h"

/* Linux 6.18.44 x86_64 (this VM). */
#define B618 \
	"Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3 \n" \
	"Node 0, zone    DMA32      2      3      0      2      3      2      1      4      4      2    752 \n" \
	"Node 0, zone   Normal    133     85      4     29     79     37    170    183     79      0     32 \n"

static void test_good(void **state)
{
	(void)state;
	struct buddyinfo bi;
	assert_int_equal(buddyinfo_parse(S(B618), &bi), 0);
	assert_int_equal(bi.n, 3);
	const struct buddyinfo_zone *z = buddyinfo_find(&bi, 0, "Normal");
	assert_non_null(z);
	assert_int_equal(z->norders, 11);
	assert_true(z->blocks[0] == 133 && z->blocks[10] == 32);
	assert_int_equal(buddyinfo_largest_order(z), 10);
	/* 79*2^8 + 0*2^9 + 32*2^10 = 20224 + 32768 */
	assert_true(buddyinfo_pages_from(z, 8) == 52992);
	assert_null(buddyinfo_find(&bi, 1, "Normal"));
}

static void test_seed003(void **state)
{
	(void)state;
	/* The Normal zone of seed 003 (Linux 3.4, i686):
	 * 385*4kB 160*8kB 1631*16kB 92*32kB 0*64kB ... = 31860kB */
	struct buddyinfo bi;
	const char t[] = "Node 0, zone   Normal    385    160   1631     92      0      0      0      0      0      0      0\n";
	assert_int_equal(buddyinfo_parse(S(t), &bi), 0);
	assert_int_equal(buddyinfo_largest_order(&bi.zones[0]), 3);
	assert_true(buddyinfo_pages_from(&bi.zones[0], 0) * 4 == 31860);
	assert_true(buddyinfo_pages_from(&bi.zones[0], 4) == 0);
}

static void test_bad(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int rc;
	} t[] = {
		{ "", -ENODATA },
		{ "\n\n", -ENODATA },
		{ "garbage\n", -EINVAL },
		{ "Node 0, zone   Normal\n", -EINVAL },			/* truncated: no counts */
		{ "Node 0, zone   Normal 1 2 -1\n", -EINVAL },
		{ "Node 0, zone   Normal 1 18446744073709551616\n", -ERANGE },
		{ "Node 0, zone   Normal 1 2x\n", -EINVAL },
		{ "Node 0 zone Normal 1\n", -EINVAL },
		{ "Node 0, zone Normal 1\nNode 0, zone DMA\n", -EINVAL },
		{ "Node 0, zone Normal 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1\n", -E2BIG },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct buddyinfo bi = { .n = 77 };
		assert_int_equal(buddyinfo_parse(t[i].in, strlen(t[i].in), &bi), t[i].rc);
		assert_int_equal(bi.n, 77);
	}
}

static void test_new_order_count(void **state)
{
	(void)state;
	struct buddyinfo bi;
	/* arm64 with 64 KiB pages: 14 orders; a different count per line is fine. */
	const char t[] = "Node 0, zone Normal 1 0 0 0 0 0 0 0 0 0 0 0 0 7\nNode 1, zone Normal 0 2\n";
	assert_int_equal(buddyinfo_parse(S(t), &bi), 0);
	assert_int_equal(bi.zones[0].norders, 14);
	assert_int_equal(buddyinfo_largest_order(&bi.zones[0]), 13);
	assert_int_equal(buddyinfo_largest_order(&bi.zones[1]), 1);
	const char e[] = "Node 0, zone Normal 0 0 0\n";
	assert_int_equal(buddyinfo_parse(S(e), &bi), 0);
	assert_int_equal(buddyinfo_largest_order(&bi.zones[0]), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_seed003),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_new_order_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
