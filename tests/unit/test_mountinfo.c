/* test_mountinfo.c - mountinfo lines, octal unescaping, prefix matching. */
#include "testutil.h"

#include <errno.h>

#include "snapshot/mountinfo.h"

static void test_line(void **state)
{
	(void)state;
	struct mountinfo_entry *e = test_malloc(sizeof(*e));
	/* Linux 6.18.44 x86_64 (this VM). */
	const char real[] = "26 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534";
	assert_int_equal(mountinfo_parse_line(S(real), e), 0);
	assert_true(e->mount_id == 26 && e->parent_id == 1 && e->major == 254 && e->minor == 0);
	assert_string_equal(e->mount_point, "/");
	assert_string_equal(e->fstype, "ext4");
	assert_string_equal(e->source, "/dev/vda");
	assert_string_equal(e->mount_opts, "rw,relatime");
	/* Optional fields, escapes, and a new trailing column. */
	const char nfs[] = "50 26 0:53 /ex\\134p /mnt/nfs\\040swap rw,relatime shared:7 master:2 - nfs4 srv:/export\\011x rw,vers=4.2,wsize=1048576 newcol";
	assert_int_equal(mountinfo_parse_line(S(nfs), e), 0);
	assert_string_equal(e->root, "/ex\\p");
	assert_string_equal(e->mount_point, "/mnt/nfs swap");
	assert_string_equal(e->source, "srv:/export\tx");
	assert_string_equal(e->fstype, "nfs4");
	assert_string_equal(e->super_opts, "rw,vers=4.2,wsize=1048576");
	test_free(e);
}

static void test_bad_lines(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int rc;
	} t[] = {
		{ "", -EINVAL },
		{ "garbage", -EINVAL },
		{ "26 1 254:0 / / rw,relatime", -EINVAL },		/* truncated: no " - " */
		{ "26 1 254:0 / / rw,relatime - ext4", -EINVAL },	/* no source */
		{ "26 1 254:0 / / rw - ext4 /dev/vda", -EINVAL },	/* no super opts */
		{ "-1 1 254:0 / / rw - ext4 /dev/vda rw", -EINVAL },
		{ "18446744073709551616 1 254:0 / / rw - ext4 /dev/vda rw", -ERANGE },
		{ "26 1 4294967296:0 / / rw - ext4 /dev/vda rw", -ERANGE },
		{ "26 1 254 / / rw - ext4 /dev/vda rw", -EINVAL },
		{ "26 1 :0 / / rw - ext4 /dev/vda rw", -EINVAL },
		{ "26 1 254:0 / /a\\000 rw - ext4 /dev/vda rw", -EINVAL },
	};
	struct mountinfo_entry *e = test_malloc(sizeof(*e));
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(mountinfo_parse_line(t[i].in, strlen(t[i].in), e), t[i].rc);
	test_free(e);
}

static void test_whole(void **state)
{
	(void)state;
	size_t n = 0;
	const char t[] = "21 26 0:20 / /proc rw,relatime - proc proc rw\n"
			 "26 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n\n";
	assert_int_equal(mountinfo_parse(S(t), &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(mountinfo_parse(S(""), &n), -ENODATA);
	assert_int_equal(mountinfo_parse(S("21 26 0:20 / /proc rw\n"), &n), -EINVAL);
}

static void test_unescape(void **state)
{
	(void)state;
	char b[8];
	assert_int_equal(octal_unescape((struct hr_span){ S("a\\040b") }, b, sizeof(b)), 3);
	assert_string_equal(b, "a b");
	/* Not an escape: kept as is (short, non-octal, at the end). */
	assert_int_equal(octal_unescape((struct hr_span){ S("\\09x\\1") }, b, sizeof(b)), 6);
	assert_string_equal(b, "\\09x\\1");
	assert_int_equal(octal_unescape((struct hr_span){ S("\\400") }, b, sizeof(b)), -EINVAL);
	assert_int_equal(octal_unescape((struct hr_span){ S("12345678") }, b, sizeof(b)), -ENAMETOOLONG);
	assert_int_equal(octal_unescape((struct hr_span){ S("1234567") }, b, sizeof(b)), 7);
}

static void test_prefix(void **state)
{
	(void)state;
	assert_int_equal(mountinfo_prefix_len("/", "/swapfile"), 1);
	assert_int_equal(mountinfo_prefix_len("/mnt", "/mnt/x"), 4);
	assert_int_equal(mountinfo_prefix_len("/mnt", "/mnt"), 4);
	assert_int_equal(mountinfo_prefix_len("/mnt", "/mntx"), -1);
	assert_int_equal(mountinfo_prefix_len("/mnt/a", "/mnt"), -1);
	assert_int_equal(mountinfo_prefix_len("/", "relative"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_whole),
		cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
