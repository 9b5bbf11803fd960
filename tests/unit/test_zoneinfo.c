/* test_zoneinfo.c - zoneinfo_parse() over real and broken text. */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>

#include "snapshot/zoneinfo.h"
#include "util/parse.h"

/* Linux 6.18.44 x86_64, trimmed (per-node stats and pagesets shortened). */
#define Z618 \
	"Node 0, zone      DMA\n" \
	"  per-node stats\n" \
	"      nr_inactive_anon 71392\n" \
	"      nr_free_pages 3840\n" \
	"  pages free     3840\n" \
	"        boost    0\n" \
	"        min      60\n" \
	"        low      75\n" \
	"        high     90\n" \
	"        promo    105\n" \
	"        spanned  4095\n" \
	"        present  3998\n" \
	"        managed  3840\n" \
	"        cma      0\n" \
	"        protection: (0, 3018, 4170, 4170, 4170)\n" \
	"      nr_free_pages 3840\n" \
	"  pagesets\n" \
	"    cpu: 0\n" \
	"              count:    0\n" \
	"              high:     0\n" \
	"  vm stats threshold: 4\n" \
	"  node_unreclaimable:  0\n" \
	"  start_pfn:           1\n" \
	"Node 0, zone   Normal\n" \
	"  pages free     137418\n" \
	"        boost    0\n" \
	"        min      5013\n" \
	"        low      6266\n" \
	"        high     7519\n" \
	"        promo    8772\n" \
	"        spanned  5505024\n" \
	"        present  5505024\n" \
	"        managed  327680\n" \
	"        cma      0\n" \
	"        protection: (0, 0, 0, 0, 0)\n" \
	"  node_unreclaimable:  1\n"

/* Linux 4.19 shape: no boost, cma, promo. */
#define Z419 \
	"Node 0, zone   Normal\n" \
	"  pages free     7965\n" \
	"        min      704\n" \
	"        low      880\n" \
	"        high     1056\n" \
	"        spanned  131072\n" \
	"        present  131072\n" \
	"        managed  127600\n" \
	"        protection: (0, 0, 0, 0)\n"

static void test_good(void **state)
{
	(void)state;
	struct zoneinfo zi;
	assert_int_equal(zoneinfo_parse(S(Z618), &zi), 0);
	assert_int_equal(zi.n, 2);
	const struct zoneinfo_zone *n = zoneinfo_find(&zi, 0, "Normal");
	assert_non_null(n);
	assert_true(n->free_pages == 137418 && n->min_pages == 5013 && n->low_pages == 6266);
	assert_true(n->high_pages == 7519 && n->promo_pages == 8772 && n->managed_pages == 327680);
	assert_true(n->boost_pages == 0 && n->node_unreclaimable == 1);
	const struct zoneinfo_zone *d = zoneinfo_find(&zi, 0, "DMA");
	assert_non_null(d);
	assert_int_equal(d->nprotection, 5);
	assert_true(d->protection[1] == 3018 && d->free_pages == 3840);
	assert_null(zoneinfo_find(&zi, 1, "Normal"));

	assert_int_equal(zoneinfo_parse(S(Z419), &zi), 0);
	assert_int_equal(zi.n, 1);
	assert_true(zi.zones[0].boost_pages == HR_UNSET && zi.zones[0].promo_pages == HR_UNSET);
	assert_true(zi.zones[0].node_unreclaimable == HR_UNSET);
}

static void test_pre38(void **state)
{
	(void)state;
	struct zoneinfo zi;
	/* 3.4 shape (seed 003's era): no "managed", "scanned" present. */
	const char t[] =
		"Node 0, zone   Normal\n"
		"  pages free     7965\n"
		"        min      704\n"
		"        low      880\n"
		"        high     1056\n"
		"        scanned  0\n"
		"        spanned  128016\n"
		"        present  128016\n"
		"    nr_free_pages 7965\n"
		"        protection: (0, 0, 0, 0)\n"
		"  all_unreclaimable: 0\n";
	assert_int_equal(zoneinfo_parse(S(t), &zi), 0);
	assert_true(zi.zones[0].managed_pages == 128016);
}

static void test_bad(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int rc;
	} t[] = {
		{ "", -ENODATA },
		{ "hello\nworld\n", -ENODATA },
		/* truncated: the zone lost its watermarks */
		{ "Node 0, zone   Normal\n  pages free     7965\n        min      704\n", -EINVAL },
		{ "Node 0, zone   Normal\n  pages free 18446744073709551616\n", -ERANGE },
		{ "Node 0, zone   Normal\n  pages free -1\n", -EINVAL },
		{ "Node x, zone Normal\n", -EINVAL },
		{ "Node 0 zone Normal\n", -EINVAL },
		{ "Node 0, zone\n", -EINVAL },
		{ "Node 0, zone Normal extra\n", -EINVAL },
		/* min > low breaks the kernel's invariant */
		{ "Node 0, zone N\n  pages free 1\n min 9\n low 8\n high 10\n managed 5\n", -EINVAL },
		{ "Node 0, zone N\n  pages free 1\n min 1\n low 2\n high 3\n managed 5\n"
		  " protection: 0, 1\n", -EINVAL },
		{ "Node 0, zone N\n  pages free 1\n min 1\n low 2\n high 3\n managed 5\n"
		  " protection: (0, x)\n", -EINVAL },
		{ "Node 0, zone N\n  pages free 1\n min 1\n low 2\n high 3\n managed 5\n"
		  " protection: (1,2,3,4,5,6,7,8,9)\n", -EINVAL },
		{ "Node 0, zone N\n  pages free 1\n min\n", -EINVAL },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct zoneinfo zi = { .n = 77 };
		assert_int_equal(zoneinfo_parse(t[i].in, strlen(t[i].in), &zi), t[i].rc);
		assert_int_equal(zi.n, 77);	/* untouched on error */
	}
}

static void test_unknown_and_new_columns(void **state)
{
	(void)state;
	struct zoneinfo zi;
	/* An unknown key, a new watermark name and an extra protection entry
	 * (a kernel with a 7th zone type) are all tolerated. */
	const char text[] =
		"Node 1, zone   Normal\n"
		"  pages free     100\n"
		"        min      10\n"
		"        low      20\n"
		"        high     30\n"
		"        newmark  40\n"
		"        managed  1000\n"
		"        protection: (0, 0, 0, 0, 0, 0, 0)\n"
		"      some_future_counter 5 6 7\n";
	assert_int_equal(zoneinfo_parse(S(text), &zi), 0);
	assert_int_equal(zi.n, 1);
	assert_int_equal(zi.zones[0].node, 1);
	assert_int_equal(zi.zones[0].nprotection, 7);
	assert_true(zi.zones[0].free_pages == 100);
}

static void test_many_zones(void **state)
{
	(void)state;
	static char buf[ZONEINFO_MAX_ZONES * 2 * 120];
	size_t n = 0;
	for (int i = 0; i < ZONEINFO_MAX_ZONES + 3; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n,
				      "Node %d, zone Normal\n pages free 1\n min 1\n low 2\n high 3\n managed 4\n", i);
	struct zoneinfo *zi = test_malloc(sizeof(*zi));
	assert_int_equal(zoneinfo_parse(buf, n, zi), 0);
	assert_int_equal(zi->n, ZONEINFO_MAX_ZONES);
	assert_int_equal(zi->dropped, 3);
	test_free(zi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_pre38),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_unknown_and_new_columns),
		cmocka_unit_test(test_many_zones),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
