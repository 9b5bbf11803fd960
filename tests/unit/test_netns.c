/* test_netns.c - netns link names and kernel release numbers. */
#include "testutil.h"

#include <errno.h>

#include "snapshot/kver.h"
#include "snapshot/netns.h"

static void test_netns_link(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int rc;
		uint64_t ino;
	} t[] = {
		{ "net:[4026531833]", 0, 4026531833u },
		{ "", -EINVAL, 0 },
		{ "net:[", -EINVAL, 0 },
		{ "net:[4026531833", -EINVAL, 0 },
		{ "net:[4026531833]x", -EINVAL, 0 },
		{ "mnt:[4026531833]", -EINVAL, 0 },
		{ "net:[-1]", -EINVAL, 0 },
		{ "net:[18446744073709551616]", -ERANGE, 0 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t ino = 5;
		int rc = netns_link_parse(t[i].in, strlen(t[i].in), &ino);
		if (rc != t[i].rc)
			fail_msg("'%s': rc %d want %d", t[i].in, rc, t[i].rc);
		assert_true(ino == (rc ? 5 : t[i].ino));
	}
}

static void test_kver(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int rc;
		unsigned maj, min;
	} t[] = {
		{ "6.18.44-fc-v769\n", 0, 6, 18 },
		{ "4.19.0", 0, 4, 19 },
		{ "5.15", 0, 5, 15 },
		{ "", -EINVAL, 0, 0 },
		{ "6", -EINVAL, 0, 0 },
		{ "6.", -EINVAL, 0, 0 },
		{ "v6.1", -EINVAL, 0, 0 },
		{ "-1.2", -EINVAL, 0, 0 },
		{ "70000.1", -ERANGE, 0, 0 },
		{ "18446744073709551616.1", -ERANGE, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		unsigned a = 9, b = 9;
		int rc = kver_parse(t[i].in, strlen(t[i].in), &a, &b);
		if (rc != t[i].rc)
			fail_msg("'%s': rc %d want %d", t[i].in, rc, t[i].rc);
		if (!rc)
			assert_true(a == t[i].maj && b == t[i].min);
		else
			assert_true(a == 9 && b == 9);
	}
	assert_true(kver_at_least(6, 18, 5, 15));
	assert_true(kver_at_least(5, 15, 5, 15));
	assert_false(kver_at_least(5, 10, 5, 15));
	assert_false(kver_at_least(4, 99, 5, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_netns_link),
		cmocka_unit_test(test_kver),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
