/* test_kver.c - kernel release numbers and the memcg socket-charge regime
 * of each release (doc/kernel-facts.md A.1), at every boundary. */
#include "testutil.h"

#include "snapshot/kver.h"

static void test_parse(void **state)
{
	(void)state;
	unsigned a = 9, b = 9;
	assert_int_equal(kver_parse("6.18.44-fc-v769", 15, &a, &b), 0);
	assert_int_equal(a, 6);
	assert_int_equal(b, 18);
	assert_int_not_equal(kver_parse("linux", 5, &a, &b), 0);
	assert_int_not_equal(kver_parse("99999.1", 7, &a, &b), 0);
}

static void test_sock_regime(void **state)
{
	(void)state;
	static const struct {
		const char *rel;
		enum hr_sock_regime want;
	} t[] = {
		{ "", HR_SOCK_UNKNOWN },
		{ "garbage", HR_SOCK_UNKNOWN },
		{ "4.4.0-210-generic", HR_SOCK_NOT_ACCOUNTED },
		{ "3.10.0-1160.el7.x86_64", HR_SOCK_NOT_ACCOUNTED },
		{ "4.5.0", HR_SOCK_DROP_OVERCHARGE },
		{ "4.19.0-27-amd64", HR_SOCK_DROP_OVERCHARGE },
		{ "5.10.0-32-amd64", HR_SOCK_DROP_OVERCHARGE },
		{ "5.14.21", HR_SOCK_DROP_OVERCHARGE },
		{ "5.15", HR_SOCK_DROP },
		{ "5.15.0", HR_SOCK_DROP },
		{ "5.15.76", HR_SOCK_DROP },
		{ "5.15.76-custom", HR_SOCK_DROP },
		{ "5.15.77", HR_SOCK_OVERCHARGE },
		{ "5.15.100-1-lts", HR_SOCK_OVERCHARGE },
		{ "5.15.0-91-generic", HR_SOCK_UNKNOWN },	/* Ubuntu ABI, not a sublevel */
		{ "6.0.2", HR_SOCK_UNKNOWN },
		{ "6.1", HR_SOCK_OVERCHARGE },
		{ "6.1.0-18-amd64", HR_SOCK_OVERCHARGE },
		{ "6.18.44-fc-v769", HR_SOCK_OVERCHARGE },
		{ "7.0", HR_SOCK_OVERCHARGE },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		enum hr_sock_regime r = kver_memcg_sock_regime(t[i].rel, strlen(t[i].rel));
		if (r != t[i].want)
			fail_msg("%s: regime %d want %d", t[i].rel, r, t[i].want);
		assert_non_null(kver_sock_regime_text(r));
	}
	assert_int_equal(kver_memcg_sock_regime(NULL, 0), HR_SOCK_UNKNOWN);
	/* len bounds the read: "5.15.77" cut to "5.15.7" */
	assert_int_equal(kver_memcg_sock_regime("5.15.77", 6), HR_SOCK_DROP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_sock_regime),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
