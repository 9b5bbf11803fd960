/* test_shquote.c - kernel names in fix lines become one shell word. */
#include "testutil.h"

#include "util/shquote.h"

static void test_shell_quote(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} t[] = {
		{ "eth0", "eth0" },
		{ "/mnt/nfs/swapfile", "/mnt/nfs/swapfile" },
		{ "enp0s31f6.100", "enp0s31f6.100" },
		{ "", "''" },
		{ "/swap dir/file", "'/swap dir/file'" },		/* \040 in /proc/swaps */
		{ "$(reboot)", "'$(reboot)'" },			/* a valid interface name */
		{ "a;b", "'a;b'" },
		{ "it's", "'it'\\''s'" },
		{ "'", "''\\'''" },
		{ "`id`", "'`id`'" },
		/* control bytes: one $'...' word on one line */
		{ "x\ny", "$'x\\ny'" },
		{ "a'b\n", "$'a\\'b\\n'" },
		{ "\x01-\x7f", "$'\\x01-\\x7f'" },
		{ "a\\b\t", "$'a\\\\b\\t'" },
		{ "a\\b", "'a\\b'" },
		{ "-x", "-x" },
		{ "*?[", "'*?['" },
	};
	char buf[64];
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_string_equal(shell_quote(t[i].in, buf, sizeof(buf)), t[i].out);
}

static void test_shell_quote_small(void **state)
{
	(void)state;
	char buf[8];
	/* fits exactly: 7 bytes and the NUL */
	assert_string_equal(shell_quote("abcdefg", buf, sizeof(buf)), "abcdefg");
	/* too long: an empty word, never a cut or half-quoted one */
	assert_string_equal(shell_quote("abcdefgh", buf, sizeof(buf)), "''");
	assert_string_equal(shell_quote("a b c d", buf, sizeof(buf)), "''");
	assert_string_equal(shell_quote("a b c", buf, sizeof(buf)), "'a b c'");
	assert_string_equal(shell_quote("a'b", buf, sizeof(buf)), "''");
	char tiny[2] = "x";
	assert_string_equal(shell_quote("abc", tiny, sizeof(tiny)), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shell_quote),
		cmocka_unit_test(test_shell_quote_small),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
