/* test_root.c - reading below a root that is not "/": links inside a
 * capture stay inside it, for reads and for readlink alike. */
#define _GNU_SOURCE
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/root.h"

static void test_links_stay_inside(void **state)
{
	(void)state;
	char top[] = "/tmp/hr-review-root-XXXXXX", p[256], buf[64];
	assert_non_null(mkdtemp(top));
	/* top/inner/x -> "target-text"; top/abs -> "/inner" (absolute, as a
	 * careless copy of sysfs would have); top/rel -> "inner" */
	snprintf(p, sizeof(p), "%s/inner", top);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/inner/x", top);
	assert_int_equal(symlink("target-text", p), 0);
	snprintf(p, sizeof(p), "%s/inner/file", top);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs("42\n", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/abs", top);
	assert_int_equal(symlink("/inner", p), 0);
	snprintf(p, sizeof(p), "%s/rel", top);
	assert_int_equal(symlink("inner", p), 0);

	struct hr_root r;
	assert_int_equal(root_open(&r, top), 0);
	assert_false(r.is_host);
	assert_int_equal(root_readlink(&r, "inner/x", buf, sizeof(buf)), 11);
	assert_string_equal(buf, "target-text");
	assert_int_equal(root_readlink(&r, "rel/x", buf, sizeof(buf)), 11);
	/* through the absolute link: /inner is the capture's, not the host's */
	assert_int_equal(root_readlink(&r, "abs/x", buf, sizeof(buf)), 11);
	assert_string_equal(buf, "target-text");
	assert_int_equal(root_read(&r, "abs/file", buf, sizeof(buf)), 3);
	assert_int_equal(root_readlink(&r, "/abs", buf, sizeof(buf)), 6);
	assert_string_equal(buf, "/inner");
	assert_int_equal(root_readlink(&r, "abs/missing", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(root_readlink(&r, "inner/file", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(root_readlink(&r, "inner/x", buf, 4), -E2BIG);
	root_close(&r);

	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_links_stay_inside),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
