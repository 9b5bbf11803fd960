/* test_deadcharge_guard.c - reclaim at the parent bounded by the dead
 * charge estimate, the step cap and the parent's file cache; v1 squeeze. */
#include "testutil.h"

#include <errno.h>

#include "detect/deadcharge_guard.h"
#include "util/parse.h"

#define MIB (UINT64_C(1) << 20)

static void test_bounds(void **state)
{
	struct deadcharge_guard_cfg c;
	struct deadcharge_guard_decision d;

	(void)state;
	deadcharge_guard_cfg_default(&c);
	const struct {
		struct deadcharge_guard_input in;
		enum deadcharge_guard_action want;
		uint64_t amount, limit;
	} t[] = {
		/* v2: the estimate, in pages (live cache 2 MiB: under 10 % of it) */
		{ { 2, 48 * MIB + 100, 3, 900 * MIB, 50 * MIB }, DEADCHARGE_RECLAIM_V2, 48 * MIB, 0 },
		/* v2: live children's cache (452 MiB) would be reclaimed in proportion: hold */
		{ { 2, 48 * MIB, 3, 900 * MIB, 500 * MIB }, DEADCHARGE_HOLD, 0, 0 },
		/* capped by the step */
		{ { 2, 2048 * MIB, 3, 4096 * MIB, 2100 * MIB }, DEADCHARGE_RECLAIM_V2, 256 * MIB, 0 },
		/* capped by the parent's file cache */
		{ { 2, 100 * MIB, 3, 900 * MIB, 40 * MIB }, DEADCHARGE_RECLAIM_V2, 40 * MIB, 0 },
		/* below the minimum, unknown, no dying descendants */
		{ { 2, 15 * MIB, 3, 900 * MIB, 500 * MIB }, DEADCHARGE_HOLD, 0, 0 },
		{ { 2, HR_UNSET, 3, 900 * MIB, 500 * MIB }, DEADCHARGE_HOLD, 0, 0 },
		{ { 2, 100 * MIB, 0, 900 * MIB, 500 * MIB }, DEADCHARGE_HOLD, 0, 0 },
		{ { 2, 100 * MIB, 3, 900 * MIB, 0 }, DEADCHARGE_HOLD, 0, 0 },
		/* v1: squeeze the limit to usage - amount (dying unknown on v1) */
		{ { 1, 48 * MIB, HR_UNSET, 900 * MIB, 500 * MIB }, DEADCHARGE_SQUEEZE_V1, 48 * MIB, 852 * MIB },
		{ { 1, 48 * MIB, HR_UNSET, 48 * MIB, 500 * MIB }, DEADCHARGE_HOLD, 0, 0 },
		{ { 1, 48 * MIB, HR_UNSET, HR_UNSET, 500 * MIB }, DEADCHARGE_HOLD, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(deadcharge_guard_decide(&c, &t[i].in, &d), 0);
		assert_int_equal(d.action, t[i].want);
		assert_true(d.amount_bytes == t[i].amount);
		assert_true(d.v1_limit_bytes == t[i].limit);
		/* never more than the estimate */
		if (t[i].in.dead_estimate_bytes != HR_UNSET)
			assert_true(d.amount_bytes <= t[i].in.dead_estimate_bytes);
		assert_non_null(d.reason);
		assert_true(d.live_hold == (t[i].in.version == 2 && t[i].in.dead_estimate_bytes == 48 * MIB &&
					    t[i].in.parent_file_bytes == 500 * MIB));
	}
	struct deadcharge_guard_input bad = { 3, 48 * MIB, 1, 900 * MIB, 500 * MIB };
	assert_int_equal(deadcharge_guard_decide(&c, &bad, &d), -EINVAL);
	c.page_bytes = 0;
	bad.version = 2;
	assert_int_equal(deadcharge_guard_decide(&c, &bad, &d), -EINVAL);
	assert_int_equal(d.action, DEADCHARGE_HOLD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
