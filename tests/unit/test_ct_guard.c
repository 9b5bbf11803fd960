/* test_ct_guard.c - next nf_conntrack_max: raise after the hold, ceilings
 * (memory, buckets), hysteresis on the way down, never below the original. */
#include "testutil.h"

#include <errno.h>

#include "detect/ct_guard.h"
#include "util/parse.h"

#define GIB (UINT64_C(1) << 30)

static struct ct_guard_decision run(const struct ct_guard_cfg *c, struct ct_guard_state *st, uint64_t count,
				    uint64_t max, uint64_t buckets, uint64_t mem)
{
	struct ct_guard_input in = { count, max, buckets, mem };
	struct ct_guard_decision d;
	assert_int_equal(ct_guard_decide(c, st, &in, &d), 0);
	return d;
}

static void test_raise_hold_ceiling(void **state)
{
	struct ct_guard_cfg c;
	struct ct_guard_state st = { 0 };

	(void)state;
	ct_guard_cfg_default(&c);
	/* 89 % : below the high mark */
	assert_int_equal(run(&c, &st, 89, 100, 1000, 16 * GIB).action, CT_GUARD_HOLD);
	assert_true(st.original_max == 100);
	/* 90 % twice: waiting; third pass in a row: raise by 50 % */
	assert_int_equal(run(&c, &st, 90, 100, 1000, 16 * GIB).action, CT_GUARD_HOLD);
	assert_int_equal(run(&c, &st, 95, 100, 1000, 16 * GIB).action, CT_GUARD_HOLD);
	struct ct_guard_decision d = run(&c, &st, 99, 100, 1000, 16 * GIB);
	assert_int_equal(d.action, CT_GUARD_RAISE);
	assert_true(d.new_max == 150);
	/* an interruption resets the hold */
	st = (struct ct_guard_state){ 0 };
	run(&c, &st, 90, 100, 1000, 16 * GIB);
	run(&c, &st, 90, 100, 1000, 16 * GIB);
	run(&c, &st, 10, 100, 1000, 16 * GIB);
	assert_int_equal(run(&c, &st, 90, 100, 1000, 16 * GIB).action, CT_GUARD_HOLD);

	/* bucket ceiling: 100 buckets x 4 = 400 */
	c.hold_up = 1;
	st = (struct ct_guard_state){ 0 };
	d = run(&c, &st, 380, 380, 100, 16 * GIB);
	assert_int_equal(d.action, CT_GUARD_RAISE);
	assert_true(d.new_max == 400 && d.ceiling == 400 && d.ceiling_is_buckets);
	d = run(&c, &st, 400, 400, 100, 16 * GIB);
	assert_int_equal(d.action, CT_GUARD_AT_CEILING);
	assert_true(d.want_hashsize);
	/* memory allows 5 % of 16 GiB / 350 = 2454267 entries: buckets for it */
	assert_true(d.want_buckets == (16 * GIB / 100 * 5 / 350) / 4);
	/* memory ceiling: 1 GiB x 5 % / 350 = 153391 */
	st = (struct ct_guard_state){ 0 };
	d = run(&c, &st, 150000, 150000, 1u << 20, GIB);
	assert_int_equal(d.action, CT_GUARD_RAISE);
	assert_true(d.new_max == GIB / 100 * 5 / 350 && !d.ceiling_is_buckets);
	d = run(&c, &st, d.new_max, d.new_max, 1u << 20, GIB);
	assert_int_equal(d.action, CT_GUARD_AT_CEILING);
	assert_false(d.want_hashsize);
	/* original above both ceilings: the ceiling is the original, no raise */
	st = (struct ct_guard_state){ 0 };
	d = run(&c, &st, 1000000, 1000000, 10, GIB);
	assert_int_equal(d.action, CT_GUARD_AT_CEILING);
	assert_true(d.ceiling == 1000000);
	/* no bound known: never grows */
	st = (struct ct_guard_state){ 0 };
	assert_int_equal(run(&c, &st, 100, 100, HR_UNSET, HR_UNSET).action, CT_GUARD_AT_CEILING);
}

static void test_lower_hysteresis(void **state)
{
	struct ct_guard_cfg c;
	struct ct_guard_state st = { .original_max = 1000 };

	(void)state;
	ct_guard_cfg_default(&c);
	c.hold_down = 2;
	/* max 2250 (raised twice); next lower step 1500; low mark 60 % of it = 900 */
	assert_int_equal(run(&c, &st, 900, 2250, 1u << 20, 16 * GIB).action, CT_GUARD_HOLD);
	assert_true(st.below == 0);	/* 900 is not below 900 */
	assert_int_equal(run(&c, &st, 899, 2250, 1u << 20, 16 * GIB).action, CT_GUARD_HOLD);
	struct ct_guard_decision d = run(&c, &st, 899, 2250, 1u << 20, 16 * GIB);
	assert_int_equal(d.action, CT_GUARD_LOWER);
	assert_true(d.new_max == 1500);
	/* after lowering, the same load is 60 % < 90 %: not raised again */
	assert_int_equal(run(&c, &st, 899, 1500, 1u << 20, 16 * GIB).action, CT_GUARD_HOLD);
	/* next step would be 1000 (= original); 60 % of it = 600 */
	run(&c, &st, 599, 1500, 1u << 20, 16 * GIB);
	d = run(&c, &st, 599, 1500, 1u << 20, 16 * GIB);
	assert_int_equal(d.action, CT_GUARD_LOWER);
	assert_true(d.new_max == 1000);
	/* at the original: never lower */
	for (int i = 0; i < 5; i++)
		assert_int_equal(run(&c, &st, 0, 1000, 1u << 20, 16 * GIB).action, CT_GUARD_HOLD);
	/* a step down that would cross the original stops at it */
	st = (struct ct_guard_state){ .original_max = 1000 };
	run(&c, &st, 0, 1200, 1u << 20, 16 * GIB);
	d = run(&c, &st, 0, 1200, 1u << 20, 16 * GIB);
	assert_true(d.action == CT_GUARD_LOWER && d.new_max == 1000);
}

static void test_bad_and_unset(void **state)
{
	struct ct_guard_cfg c;
	struct ct_guard_state st = { 0 };
	struct ct_guard_decision d;
	struct ct_guard_input in = { 10, 0, 100, GIB };

	(void)state;
	ct_guard_cfg_default(&c);
	assert_int_equal(ct_guard_decide(&c, &st, &in, &d), 0);
	assert_int_equal(d.action, CT_GUARD_HOLD);	/* max 0: no limit */
	assert_true(st.original_max == 0);
	in = (struct ct_guard_input){ HR_UNSET, 100, 100, GIB };
	assert_int_equal(ct_guard_decide(&c, &st, &in, &d), 0);
	assert_int_equal(d.action, CT_GUARD_HOLD);
	c.low_pct = c.high_pct;
	assert_int_equal(ct_guard_decide(&c, &st, &in, &d), -EINVAL);
	ct_guard_cfg_default(&c);
	c.step_pct = 0;
	assert_int_equal(ct_guard_decide(&c, &st, &in, &d), -EINVAL);
	/* huge values saturate instead of wrapping */
	ct_guard_cfg_default(&c);
	c.hold_up = 1;
	st = (struct ct_guard_state){ 0 };
	in = (struct ct_guard_input){ UINT64_MAX - 2, UINT64_MAX - 2, UINT64_MAX - 2, UINT64_MAX - 2 };
	assert_int_equal(ct_guard_decide(&c, &st, &in, &d), 0);
	assert_true(d.new_max >= in.max || d.action != CT_GUARD_RAISE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raise_hold_ceiling),
		cmocka_unit_test(test_lower_hysteresis),
		cmocka_unit_test(test_bad_and_unset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
