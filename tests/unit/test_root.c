/* test_root.c - reading below a root that is not "/": links inside a
 * capture stay inside it, for reads and for readlink alike. */
#define _GNU_SOURCE
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
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

/* A FIFO where a kernel file should be is "not read", at once; the strict
 * resolution of host writes follows no symlink and takes no "..". */
static void test_fifo_and_strict(void **state)
{
	(void)state;
	char top[] = "/tmp/hr-test-root-XXXXXX", p[256], buf[64];
	assert_non_null(mkdtemp(top));
	snprintf(p, sizeof(p), "%s/d", top);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/d/fifo", top);
	assert_int_equal(mkfifo(p, 0644), 0);
	snprintf(p, sizeof(p), "%s/d/file", top);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs("7\n", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/link", top);
	assert_int_equal(symlink("d", p), 0);

	struct hr_root r;
	assert_int_equal(root_open(&r, top), 0);
	assert_int_equal(root_read(&r, "d/fifo", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(root_openat(&r, "d/fifo", O_RDONLY), -EINVAL);
	assert_int_equal(root_openat(&r, "d/fifo", O_WRONLY), -ENXIO);	/* no reader: not waited for */
	assert_int_equal(root_read(&r, "link/file", buf, sizeof(buf)), 2);
	int fd = root_openat_strict(r.fd, "d/file", O_RDONLY);
	assert_true(fd >= 0);
	close(fd);
	fd = root_openat_strict(r.fd, "link/file", O_RDONLY);
	assert_true(fd == -ELOOP || fd == -EXDEV);
	assert_int_equal(root_openat_strict(r.fd, "d/../d/file", O_RDONLY), -EINVAL);
	assert_int_equal(root_openat_strict(r.fd, "d/fifo", O_RDONLY), -EINVAL);
	fd = root_openat_strict(r.fd, "d", O_PATH | O_DIRECTORY);
	assert_true(fd >= 0);
	close(fd);
	assert_true(root_write(&r, "link/file", "8") < 0);
	assert_int_equal(root_write(&r, "d/file", "9"), 0);
	root_close(&r);

	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_links_stay_inside),
		cmocka_unit_test(test_fifo_and_strict),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
