/* test_wmark_guard.c - watermark boost on failures, cooldown, cap, and the
 * decay back to the original (never below it, nor below the reserve floor). */
#include "testutil.h"

#include <errno.h>

#include "detect/wmark_guard.h"
#include "util/parse.h"

static struct wmark_guard_decision run(const struct wmark_guard_cfg *c, struct wmark_guard_state *st,
				       uint64_t wsf, uint64_t mfk, uint64_t fails, bool starved, uint64_t floor)
{
	struct wmark_guard_input in = { wsf, mfk, fails, starved, floor };
	struct wmark_guard_decision d;
	assert_int_equal(wmark_guard_decide(c, st, &in, &d), 0);
	return d;
}

static void test_boost_and_decay(void **state)
{
	struct wmark_guard_cfg c;
	struct wmark_guard_state st = { 0 };
	struct wmark_guard_decision d;

	(void)state;
	wmark_guard_cfg_default(&c);
	c.cooldown = 2;
	c.quiet = 3;
	c.wsf_max = 30;
	/* first pass: failures already there count as history, not new */
	d = run(&c, &st, 10, 67584, 5, false, 0);
	assert_int_equal(d.action, WMARK_GUARD_HOLD);
	assert_int_equal(d.knob, WMARK_KNOB_WSF);
	assert_true(st.original == 10);
	/* a new failure: boost by 10 */
	d = run(&c, &st, 10, 67584, 6, false, 0);
	assert_true(d.action == WMARK_GUARD_BOOST && d.value == 20);
	/* another at once: cooldown */
	d = run(&c, &st, 20, 67584, 7, false, 0);
	assert_int_equal(d.action, WMARK_GUARD_HOLD);
	/* a starved zone after the cooldown: boost, capped at 30 */
	d = run(&c, &st, 20, 67584, 7, true, 0);
	assert_true(d.action == WMARK_GUARD_BOOST && d.value == 30);
	run(&c, &st, 30, 67584, 8, false, 0);
	d = run(&c, &st, 30, 67584, 9, false, 0);
	assert_int_equal(d.action, WMARK_GUARD_HOLD);	/* at the maximum */
	/* quiet: decay by 5 every 3 passes, down to the original 10 */
	uint64_t v = 30;
	int decays = 0;
	for (int pass = 0; pass < 40; pass++) {
		d = run(&c, &st, v, 67584, 9, false, 0);
		if (d.action == WMARK_GUARD_DECAY) {
			assert_true(d.value == v - 5);
			v = d.value;
			decays++;
		} else {
			assert_int_equal(d.action, WMARK_GUARD_HOLD);
		}
	}
	assert_true(v == 10 && decays == 4);
	/* a failure during the decay resets the quiet count */
	st = (struct wmark_guard_state){ 0 };
	run(&c, &st, 20, 67584, 0, false, 0);	/* original 20 */
	st.original = 10;
	run(&c, &st, 20, 67584, 0, false, 0);
	run(&c, &st, 20, 67584, 0, false, 0);
	d = run(&c, &st, 20, 67584, 1, false, 0);
	assert_int_equal(d.action, WMARK_GUARD_BOOST);
	d = run(&c, &st, 30, 67584, 1, false, 0);
	assert_int_equal(d.action, WMARK_GUARD_HOLD);
}

static void test_min_free_and_floor(void **state)
{
	struct wmark_guard_cfg c;
	struct wmark_guard_state st = { 0 };
	struct wmark_guard_decision d;

	(void)state;
	wmark_guard_cfg_default(&c);
	c.quiet = 1;
	/* no watermark_scale_factor (before 4.6): min_free_kbytes */
	d = run(&c, &st, HR_UNSET, 45056, 0, false, 0);
	assert_int_equal(d.knob, WMARK_KNOB_MIN_FREE);
	d = run(&c, &st, HR_UNSET, 45056, 1, false, 0);
	assert_true(d.action == WMARK_GUARD_BOOST && d.value == 45056 + 16384);
	/* the network-storage reserve raises the floor: decay stops there */
	d = run(&c, &st, HR_UNSET, 61440, 1, false, 50000);
	assert_true(d.action == WMARK_GUARD_DECAY && d.value == 61440 - 8192 && d.floor == 50000);
	d = run(&c, &st, HR_UNSET, 53248, 1, false, 50000);
	assert_true(d.action == WMARK_GUARD_DECAY && d.value == 50000);
	d = run(&c, &st, HR_UNSET, 50000, 1, false, 50000);
	assert_int_equal(d.action, WMARK_GUARD_HOLD);
	/* someone lowered it below the floor: back up to it */
	d = run(&c, &st, HR_UNSET, 20000, 1, false, 50000);
	assert_true(d.action == WMARK_GUARD_BOOST && d.value == 50000);
	/* bad input */
	struct wmark_guard_input in = { HR_UNSET, HR_UNSET, 0, false, 0 };
	assert_int_equal(wmark_guard_decide(&c, &st, &in, &d), -EINVAL);
	c.wsf_step = 0;
	in.wsf = 10;
	assert_int_equal(wmark_guard_decide(&c, &st, &in, &d), -EINVAL);
	assert_int_equal(d.action, WMARK_GUARD_HOLD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boost_and_decay),
		cmocka_unit_test(test_min_free_and_floor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
