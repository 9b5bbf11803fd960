/* test_memcg_hier.c - finding the memory hierarchy (kernel/memcg_hier.h)
 * and one cgroup's files (kernel/memcg_file.h) over synthetic trees: the v1
 * mount wins, a cgroup2 mount counts only if it delegates memory, an
 * explicit directory is classified by its files, "max" and v1's unlimited
 * value read as MEMCG_NO_LIMIT, names follow the version. */
#define _GNU_SOURCE
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/memcg_file.h"
#include "kernel/memcg_hier.h"

static char dir[64];

static void put(const char *rel, const char *s)
{
	tu_put(dir, rel, s);
}

static void mk(const char *rel)
{
	tu_mkdir(dir, rel);
}

static void test_find(void **state)
{
	(void)state;
	struct hr_root r;
	struct memcg_hier h;
	struct hr_notes notes = { 0 };

	snprintf(dir, sizeof(dir), "/tmp/hr-test-hier-XXXXXX");
	assert_non_null(mkdtemp(dir));
	mk("proc");
	mk("proc/self");
	mk("sys");
	mk("sys/fs");
	mk("sys/fs/cgroup");
	mk("sys/fs/cgroup/unified");
	mk("sys/fs/cgroup/memory");
	put("sys/fs/cgroup/unified/cgroup.controllers", "\n");
	put("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
	assert_int_equal(root_open(&r, dir), 0);
	/* No mount table: an error, noted. */
	assert_true(memcg_hier_find(&r, &h, &notes) < 0);
	assert_true(notes.n == 1);
	/* A controller-less cgroup2 mount alone is not the memory hierarchy. */
	put("proc/self/mounts", "cgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0\n");
	assert_int_equal(memcg_hier_find(&r, &h, NULL), -ENODEV);
	/* Beside a v1 memory mount, v1 wins. */
	put("proc/self/mounts", "cgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0\n"
				"cgroup /sys/fs/cgroup/memory cgroup rw,nosuid,memory 0 0\n");
	assert_int_equal(memcg_hier_find(&r, &h, NULL), 0);
	assert_int_equal(h.version, 1);
	assert_string_equal(h.mount, "sys/fs/cgroup/memory");
	/* A cgroup2 mount that delegates memory. */
	put("sys/fs/cgroup/unified/cgroup.controllers", "cpu io memory pids\n");
	put("proc/self/mounts", "cgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0\n");
	assert_int_equal(memcg_hier_find(&r, &h, NULL), 0);
	assert_int_equal(h.version, 2);
	assert_string_equal(h.mount, "sys/fs/cgroup/unified");
	/* An explicit directory, by its files; a word match, not a substring. */
	assert_int_equal(memcg_hier_at(&r, "sys/fs/cgroup/memory"), 1);
	assert_int_equal(memcg_hier_at(&r, "sys/fs/cgroup/unified"), 2);
	put("sys/fs/cgroup/unified/cgroup.controllers", "cpu memory_recursiveprot\n");
	assert_int_equal(memcg_hier_at(&r, "sys/fs/cgroup/unified"), -ENOENT);
	assert_int_equal(memcg_hier_at(&r, "proc"), -ENOENT);

	/* memcg_file: names per version, one "no limit". */
	assert_string_equal(memcg_file_name(1, MEMCG_F_LIMIT), "memory.limit_in_bytes");
	assert_string_equal(memcg_file_name(2, MEMCG_F_USAGE), "memory.current");
	assert_null(memcg_file_name(1, MEMCG_F_RECLAIM));
	assert_int_equal(memcg_file_open(r.fd, "sys/fs/cgroup/memory", 1, MEMCG_F_RECLAIM, O_RDONLY), -ENOENT);
	int fd = memcg_file_open(r.fd, "sys/fs/cgroup/memory", 1, MEMCG_F_LIMIT, O_RDONLY);
	assert_true(fd >= 0);
	uint64_t v = 0;
	assert_int_equal(memcg_file_u64(fd, &v), 0);
	assert_true(v == MEMCG_NO_LIMIT);
	close(fd);
	put("sys/fs/cgroup/unified/memory.max", "max\n");
	fd = memcg_file_open(r.fd, "sys/fs/cgroup/unified", 2, MEMCG_F_LIMIT, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(memcg_file_u64(fd, &v), 0);
	assert_true(v == MEMCG_NO_LIMIT);
	put("sys/fs/cgroup/unified/memory.max", "268435456\n");
	assert_int_equal(memcg_file_u64(fd, &v), 0);	/* re-read, same fd */
	assert_true(v == 268435456);
	close(fd);
	root_close(&r);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
