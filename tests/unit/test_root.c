/* test_root.c - reading below a root that is not "/": links inside a
 * capture stay inside it, for reads and for readlink alike. */
#define _GNU_SOURCE
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* The heap-free directory reader: every entry once, "." and ".." not,
 * more entries than one getdents buffer, and a kept directory fd listed
 * twice from its start. */
static void test_dir_list(void **state)
{
	(void)state;
	char top[] = "/tmp/hr-test-rootdir-XXXXXX", p[300];
	struct hr_root r;
	struct root_dir d;
	const char *name;
	unsigned char type;
	static unsigned char seen[600];

	assert_non_null(mkdtemp(top));
	for (int i = 0; i < 600; i++) {
		snprintf(p, sizeof(p), "%s/entry-with-a-longish-name-%04d", top, i);
		assert_int_equal(mkdir(p, 0700), 0);
	}
	snprintf(p, sizeof(p), "%s/file", top);
	int fd = open(p, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(root_open(&r, top), 0);
	assert_int_equal(root_dir_open(&r, ".", &d), 0);
	int dirs = 0, files = 0;
	while ((name = root_dir_next(&d, &type))) {
		assert_true(strcmp(name, ".") && strcmp(name, ".."));
		if (!strcmp(name, "file")) {
			files++;
			continue;
		}
		int k = atoi(name + strlen("entry-with-a-longish-name-"));
		assert_true(k >= 0 && k < 600);
		assert_int_equal(seen[k], 0);
		seen[k] = 1;
		assert_true(type == DT_DIR || type == DT_UNKNOWN);
		dirs++;
	}
	assert_int_equal(d.err, 0);
	root_dir_close(&d);
	assert_int_equal(dirs, 600);
	assert_int_equal(files, 1);
	int dfd = root_openat(&r, ".", O_RDONLY | O_DIRECTORY);
	assert_true(dfd >= 0);
	for (int pass = 0; pass < 2; pass++) {
		int n = 0;
		assert_int_equal(root_dir_open_fd(&r, dfd, ".", &d), 0);
		while (root_dir_next(&d, NULL))
			n++;
		root_dir_close(&d);
		assert_int_equal(n, 601);
	}
	assert_true(fcntl(dfd, F_GETFD) >= 0);	/* still the caller's */
	close(dfd);
	assert_int_equal(root_dir_open(&r, "missing", &d), -ENOENT);
	root_close(&r);
	snprintf(p, sizeof(p), "rm -rf %s", top);
	assert_int_equal(system(p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_links_stay_inside),
		cmocka_unit_test(test_fifo_and_strict),
		cmocka_unit_test(test_dir_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
