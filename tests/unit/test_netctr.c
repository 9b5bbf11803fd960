/* test_netctr.c - since-boot vs rate severity of drop counters. */
#include "testutil.h"

#include "detect/netctr.h"
#include "util/parse.h"

static void test_rules(void **state)
{
	(void)state;
	/* single sample: non-zero total warns, zero is ok */
	struct netctr c = netctr_get(HR_UNSET, 5, 0);
	assert_true(c.present && !c.rated && c.total == 5);
	assert_int_equal(netctr_severity(c, false, true), HR_SEV_WARN);
	assert_int_equal(netctr_severity(netctr_get(HR_UNSET, 0, 0), false, true), HR_SEV_OK);
	/* absent: ok, no facts */
	c = netctr_get(HR_UNSET, HR_UNSET, 0);
	assert_false(c.present);
	assert_int_equal(netctr_severity(c, false, true), HR_SEV_OK);
	/* interval: moved = crit (or warn when asked), still = ok */
	c = netctr_get(100, 150, 500000);
	assert_true(c.rated && c.delta == 50);
	assert_true(c.per_sec > 99.9 && c.per_sec < 100.1);
	assert_int_equal(netctr_severity(c, true, true), HR_SEV_CRIT);
	assert_int_equal(netctr_severity(c, true, false), HR_SEV_WARN);
	assert_int_equal(netctr_severity(netctr_get(150, 150, 1000000), true, true), HR_SEV_OK);
	/* counter went backwards (reset): no rate, falls back to the total */
	c = netctr_get(150, 10, 1000000);
	assert_false(c.rated);
	assert_int_equal(netctr_severity(c, true, true), HR_SEV_WARN);
	/* sums */
	struct netctr s = netctr_sum(netctr_get(1, 3, 1000000), netctr_get(HR_UNSET, HR_UNSET, 0));
	assert_true(s.present && s.rated && s.delta == 2);
	s = netctr_sum(netctr_get(1, 3, 1000000), netctr_get(0, 4, 1000000));
	assert_true(s.delta == 6 && s.total == 7);
	/* facts */
	struct hr_finding f = { 0 };
	netctr_facts(&f, "x", netctr_get(1, 3, 1000000));
	assert_non_null(finding_fact(&f, "x"));
	assert_non_null(finding_fact(&f, "x_delta"));
	assert_non_null(finding_fact(&f, "x_per_s"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
