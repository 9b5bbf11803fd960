/* test_memcg.c - the memcg file parsers (snapshot/memcg.h). */
#include "testutil.h"

#include <errno.h>

#include "snapshot/memcg.h"

static const char v1_stat[] =
	"cache 2711552\nrss 1683456\nrss_huge 0\nshmem 0\nmapped_file 4096\n"
	"dirty 20480\nwriteback 0\ninactive_file 372736\nactive_file 2338816\n"
	"unevictable 0\nhierarchical_memory_limit 9223372036854771712\n"
	"total_cache 2711552\ntotal_rss 1683456\ntotal_unevictable 8192\n";

static void test_stat_v1(void **state)
{
	(void)state;
	struct memcg_stat s;
	assert_int_equal(memcg_stat_parse(S(v1_stat), &s), 0);
	assert_true(s.cache == 2711552 && s.rss == 1683456 && s.mapped_file == 4096);
	assert_true(s.inactive_file == 372736 && s.active_file == 2338816);
	assert_true(s.total_cache == 2711552 && s.total_unevictable == 8192);
	assert_false(memcg_limit_is_set(s.hierarchical_memory_limit));
	/* v2 keys are absent here, not zero. */
	assert_true(s.anon == HR_UNSET && s.file == HR_UNSET && s.sock == HR_UNSET);
	assert_true(s.total_inactive_file == HR_UNSET);
}

static void test_stat_v2(void **state)
{
	(void)state;
	struct memcg_stat s;
	const char t[] = "anon 100\nfile 200\nkernel 5\nsock 4096\nshmem 7\n"
			 "file_dirty 8\nfile_writeback 9\ninactive_file 150\n"
			 "active_file 50\nunevictable 3\nnew_counter_2030 1\n";
	assert_int_equal(memcg_stat_parse(S(t), &s), 0);
	assert_true(s.anon == 100 && s.file == 200 && s.sock == 4096 && s.shmem == 7);
	assert_true(s.file_dirty == 8 && s.file_writeback == 9);
	assert_true(s.inactive_file == 150 && s.active_file == 50 && s.unevictable == 3);
	assert_true(s.cache == HR_UNSET && s.total_cache == HR_UNSET);
}

static void test_stat_bad(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int rc;
	} t[] = {
		{ "", -ENODATA },
		{ "\n\n", -ENODATA },
		{ "unknown 5\nother 6\n", -ENODATA },
		{ "cache 18446744073709551616\n", -ERANGE },
		{ "cache -1\n", -EINVAL },
		{ "cache\n", -EINVAL },
		{ "cache 12x\n", -EINVAL },
		{ "cache 0x10\n", -EINVAL },
		{ "garbage \xff\xfe\ncache", -EINVAL },
		{ "cache 1 extra_column\n", 0 },	/* new column: tolerated */
		{ "cache 40", 0 },			/* no final newline */
		{ "cach", -ENODATA },			/* truncated key */
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct memcg_stat s;
		memset(&s, 0x5a, sizeof(s));
		int rc = memcg_stat_parse(t[i].in, strlen(t[i].in), &s);
		assert_int_equal(rc, t[i].rc);
		if (rc)
			assert_true(s.cache == 0x5a5a5a5a5a5a5a5aULL);	/* untouched */
	}
}

static void test_events(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int rc;
		uint64_t max, oom_kill, sock_throttled;
	} t[] = {
		{ "low 0\nhigh 3\nmax 1523\noom 2\noom_kill 1\noom_group_kill 0\n", 0, 1523, 1, HR_UNSET },
		{ "low 0\nhigh 0\nmax 7\noom 0\noom_kill 0\noom_group_kill 0\nsock_throttled 12\n", 0, 7, 0, 12 },
		{ "max 5", 0, 5, HR_UNSET, HR_UNSET },
		{ "max 5 newcol\nfuture_event 9\n", 0, 5, HR_UNSET, HR_UNSET },
		{ "", -ENODATA, 0, 0, 0 },
		{ "low 5\n", -ENODATA, 0, 0, 0 },
		{ "max 18446744073709551616\n", -ERANGE, 0, 0, 0 },
		{ "max -1\n", -EINVAL, 0, 0, 0 },
		{ "max\n", -EINVAL, 0, 0, 0 },
		{ "max  abc\n", -EINVAL, 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct memcg_events e = { .max = 42 };
		int rc = memcg_events_parse(t[i].in, strlen(t[i].in), &e);
		assert_int_equal(rc, t[i].rc);
		if (rc == 0) {
			assert_true(e.max == t[i].max);
			assert_true(e.oom_kill == t[i].oom_kill);
			assert_true(e.sock_throttled == t[i].sock_throttled);
		} else {
			assert_true(e.max == 42);
		}
	}
}

static void test_cgroup_stat(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int rc;
		uint64_t desc, dying, dying_mem;
	} t[] = {
		{ "nr_descendants 3\nnr_dying_descendants 12\n", 0, 3, 12, HR_UNSET },
		{ "nr_descendants 3\nnr_subsys_cpu 1\nnr_subsys_memory 4\nnr_dying_descendants 12\n"
		  "nr_dying_subsys_cpu 0\nnr_dying_subsys_memory 11\n", 0, 3, 12, 11 },
		{ "nr_descendants 3\n", -ENODATA, 0, 0, 0 },
		{ "", -ENODATA, 0, 0, 0 },
		{ "nr_dying_descendants -1\n", -EINVAL, 0, 0, 0 },
		{ "nr_dying_descendants 18446744073709551616\n", -ERANGE, 0, 0, 0 },
		{ "nr_dying_descendants 4 extra\n", 0, HR_UNSET, 4, HR_UNSET },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct cgroup_stat c = { .nr_dying_descendants = 42 };
		int rc = cgroup_stat_parse(t[i].in, strlen(t[i].in), &c);
		assert_int_equal(rc, t[i].rc);
		if (rc == 0) {
			assert_true(c.nr_descendants == t[i].desc);
			assert_true(c.nr_dying_descendants == t[i].dying);
			assert_true(c.nr_dying_subsys_memory == t[i].dying_mem);
		} else {
			assert_true(c.nr_dying_descendants == 42);
		}
	}
}

static void test_single_numbers(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int rc_u64, rc_lim;
		uint64_t u64, lim;
	} t[] = {
		{ "5533696\n", 0, 0, 5533696, 5533696 },
		{ "0", 0, 0, 0, 0 },
		{ "9223372036854771712\n", 0, 0, 9223372036854771712ULL, MEMCG_NO_LIMIT },
		{ "18446744073709551615\n", 0, 0, UINT64_MAX, MEMCG_NO_LIMIT },
		{ "4611686018427387903\n", 0, 0, 4611686018427387903ULL, 4611686018427387903ULL },
		{ "max\n", -EINVAL, 0, 0, MEMCG_NO_LIMIT },
		{ "18446744073709551616\n", -ERANGE, -ERANGE, 0, 0 },
		{ "-1\n", -EINVAL, -EINVAL, 0, 0 },
		{ "", -EINVAL, -EINVAL, 0, 0 },
		{ "\n", -EINVAL, -EINVAL, 0, 0 },
		{ "12 34\n", -EINVAL, -EINVAL, 0, 0 },
		{ "12abc", -EINVAL, -EINVAL, 0, 0 },
		{ "maximum", -EINVAL, -EINVAL, 0, 0 },
		{ "ma", -EINVAL, -EINVAL, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t a = 42, b = 42;
		assert_int_equal(memcg_u64_parse(t[i].in, strlen(t[i].in), &a), t[i].rc_u64);
		assert_int_equal(memcg_limit_parse(t[i].in, strlen(t[i].in), &b), t[i].rc_lim);
		assert_true(a == (t[i].rc_u64 ? 42 : t[i].u64));
		assert_true(b == (t[i].rc_lim ? 42 : t[i].lim));
	}
}

static void test_wmark(void **state)
{
	(void)state;
	static const struct {
		const char *name, *in;
		int rc;
	} t[] = {
		{ "memory.wmark_ratio", "0\n", 0 },
		{ "memory.wmark_ratio", "95\n", 0 },
		{ "memory.wmark_ratio", "100\n", 0 },
		{ "memory.wmark_ratio", "101\n", -ERANGE },
		{ "memory.wmark_ratio", "-1\n", -EINVAL },
		{ "memory.wmark_ratio", "", -EINVAL },
		{ "memory.wmark_scale_factor", "50\n", 0 },
		{ "memory.wmark_scale_factor", "0\n", -ERANGE },
		{ "memory.wmark_scale_factor", "1001\n", -ERANGE },
		{ "memory.wmark_high", "63753420\n", 0 },
		{ "memory.wmark_high", "18446744073709551616\n", -ERANGE },
		{ "memory.wmark_low", "63417876\n", 0 },
		{ "memory.wmark_min_adj", "0\n", -ENOENT },
		{ NULL, "0\n", -ENOENT },
	};
	struct memcg_wmark w = { 7, 7, 7, 7 };
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(memcg_wmark_parse(t[i].name, t[i].in, strlen(t[i].in), &w), t[i].rc);
	assert_true(w.ratio == 100 && w.scale_factor == 50);
	assert_true(w.high_bytes == 63753420 && w.low_bytes == 63417876);
}

static void test_proc_cgroups(void **state)
{
	(void)state;
	const char real[] = "#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
			    "cpuset\t3\t1\t1\nmemory\t4\t32\t1\nmemory_extra\t9\t9\t9\n";
	/* A future kernel adding a column, and reordering. */
	const char newcol[] = "#subsys_name\tnum_cgroups\tnew\thierarchy\tenabled\n"
			      "memory\t77\t5\t4\t1\n";
	struct proc_cgroups_row r = { 0 };
	assert_int_equal(proc_cgroups_parse(S(real), "memory", &r), 0);
	assert_true(r.hierarchy == 4 && r.num_cgroups == 32 && r.enabled == 1);
	assert_int_equal(proc_cgroups_parse(S(newcol), "memory", &r), 0);
	assert_true(r.hierarchy == 4 && r.num_cgroups == 77 && r.enabled == 1);

	static const struct {
		const char *in;
		int rc;
	} bad[] = {
		{ "", -ENODATA },
		{ "#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpu\t1\t1\t1\n", -ENODATA },
		{ "memory\t4\t32\t1\n", -ENODATA },	/* no header */
		{ "#subsys_name\thierarchy\tenabled\nmemory\t4\t1\n", -ENODATA },
		{ "#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t4\t-1\t1\n", -EINVAL },
		{ "#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t4\t18446744073709551616\t1\n", -ERANGE },
		{ "#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t4\t32\n", -EINVAL },
		{ "#subsys_name\thierarchy\tnum_cgroups\tenabled\nmemory\t4\tx\t1\n", -EINVAL },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct proc_cgroups_row z = { 42, 42, 42 };
		assert_int_equal(proc_cgroups_parse(bad[i].in, strlen(bad[i].in), "memory", &z), bad[i].rc);
		assert_true(z.num_cgroups == 42);
	}
}

static void test_mounts(void **state)
{
	(void)state;
	const char real[] = "tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0\n"
			    "cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0\n"
			    "cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0\n"
			    "cgroup /sys/fs/cgroup/memoryx cgroup rw,relatime,memoryx 0 0\n"
			    "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0\n";
	struct memcg_mounts m;
	assert_int_equal(memcg_mounts_parse(S(real), &m), 0);
	assert_true(m.has_v1);
	assert_string_equal(m.v1, "sys/fs/cgroup/memory");
	assert_int_equal(m.n_v2, 1);
	assert_string_equal(m.v2[0], "sys/fs/cgroup/unified");

	const char v2[] = "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate 0 0\n"
			  "cgroup2 /my\\040cg\\134x cgroup2 rw 0 0\n"
			  "cgroup /v1/cpu cgroup rw,cpu,cpuacct 0 0\n";
	assert_int_equal(memcg_mounts_parse(S(v2), &m), 0);
	assert_false(m.has_v1);
	assert_int_equal(m.n_v2, 2);
	assert_string_equal(m.v2[0], "sys/fs/cgroup");
	assert_string_equal(m.v2[1], "my cg\\x");

	/* Mounted at "/" in a container: the root itself. */
	assert_int_equal(memcg_mounts_parse(S("cgroup2 / cgroup2 rw 0 0\n"), &m), 0);
	assert_int_equal(m.n_v2, 1);
	assert_string_equal(m.v2[0], "");

	/* Truncated line, empty text, relative path, unfinished escape. */
	struct memcg_mounts keep = { .has_v1 = true };
	assert_int_equal(memcg_mounts_parse(S("cgroup /sys/fs/cgroup/memory cgroup\n"), &keep), -EINVAL);
	assert_true(keep.has_v1);
	assert_int_equal(memcg_mounts_parse(S(""), &m), 0);
	assert_false(m.has_v1);
	assert_int_equal(m.n_v2, 0);
	assert_int_equal(memcg_mounts_parse(S("c rel cgroup memory 0 0\n"), &m), 0);
	assert_false(m.has_v1);
	assert_int_equal(memcg_mounts_parse(S("c /a\\04 cgroup memory 0 0\n"), &m), 0);
	assert_string_equal(m.v1, "a\\04");
}

static void test_controllers(void **state)
{
	(void)state;
	assert_true(cgroup_controllers_has(S("cpuset cpu io memory hugetlb pids\n"), "memory"));
	assert_false(cgroup_controllers_has(S("cpuset cpu io hugetlb\n"), "memory"));
	assert_false(cgroup_controllers_has(S(""), "memory"));
	assert_false(cgroup_controllers_has(S("\n"), "memory"));
	assert_false(cgroup_controllers_has(S("memoryx memor"), "memory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_v1),
		cmocka_unit_test(test_stat_v2),
		cmocka_unit_test(test_stat_bad),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_cgroup_stat),
		cmocka_unit_test(test_single_numbers),
		cmocka_unit_test(test_wmark),
		cmocka_unit_test(test_proc_cgroups),
		cmocka_unit_test(test_mounts),
		cmocka_unit_test(test_controllers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
