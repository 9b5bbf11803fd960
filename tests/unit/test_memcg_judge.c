/* test_memcg_judge.c - the memcg area's judge on hand-built trees (rates,
 * vanished cgroups, quiet trees) and the hierarchy walk on fixtures (caps,
 * discovery). */
#define _GNU_SOURCE
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "detect/memcg_judge.h"
#include "kernel/memcg_read.h"


#define MIB (UINT64_C(1) << 20)
#define FMAX 64

static struct hr_finding items[FMAX];

static void node_init(struct memcg_node *n, const char *path, uint32_t parent, uint16_t depth)
{
	snprintf(n->path, sizeof(n->path), "%s", path);
	memset(&n->stat, 0xff, sizeof(n->stat));	/* all HR_UNSET */
	memset(&n->events, 0xff, sizeof(n->events));
	n->parent = parent;
	n->depth = depth;
	n->first_child = 0;
	n->nchildren = 0;
	n->gone = n->unreadable = false;
	n->children_complete = true;
	n->has_stat = true;
	n->has_events = n->has_cstat = n->has_wmark = false;
	n->limit_bytes = n->high_bytes = n->usage_bytes = n->failcnt = HR_UNSET;
	n->tcp_limit_bytes = n->tcp_usage_bytes = n->tcp_failcnt = HR_UNSET;
	n->stat.cache = n->stat.total_cache = 0;
	n->stat.rss = n->stat.total_rss = 0;
	n->stat.unevictable = n->stat.total_unevictable = 0;
	n->stat.hierarchical_memory_limit = MEMCG_NO_LIMIT;
}

/* v1: root -> /app (limit 1 GiB, usage 50 %, failcnt given). */
static void tree_v1(struct memcg_tree *t, struct memcg_node *nodes, uint64_t failcnt)
{
	memset(t, 0, sizeof(*t));
	t->version = 1;
	snprintf(t->mount, sizeof(t->mount), "sys/fs/cgroup/memory");
	t->nodes = nodes;
	t->n = t->cap = 2;
	t->mem_total_bytes = 16384 * MIB;
	t->proc_num_cgroups = 2;
	node_init(&nodes[0], "/", MEMCG_NONE, 0);
	nodes[0].first_child = 1;
	nodes[0].nchildren = 1;
	node_init(&nodes[1], "/app", 0, 1);
	nodes[1].first_child = 2;
	nodes[1].stat.hierarchical_memory_limit = 1024 * MIB;
	nodes[1].limit_bytes = 1024 * MIB;
	nodes[1].usage_bytes = 512 * MIB;
	nodes[1].failcnt = failcnt;
	nodes[1].stat.cache = nodes[1].stat.total_cache = 400 * MIB;
	nodes[0].stat.total_cache = 400 * MIB;
}

static const struct hr_finding *find(const struct hr_findings *fs, const char *id)
{
	for (size_t i = 0; i < fs->n; i++)
		if (!strcmp(fs->items[i].id, id))
			return &fs->items[i];
	return NULL;
}

static void judge(const struct memcg_tree *before, const struct memcg_tree *now,
		  uint64_t usec, struct hr_findings *fs)
{
	hr_findings_init(fs, items, FMAX);
	memcg_judge(before, now, usec, fs);
}

static void test_quiet_single_ok(void **state)
{
	(void)state;
	struct memcg_node nodes[2];
	struct memcg_tree t;
	struct hr_findings fs;
	tree_v1(&t, nodes, 0);
	judge(NULL, &t, 0, &fs);
	assert_int_equal(fs.n, 1);
	assert_string_equal(fs.items[0].id, "memcg.ok");
	assert_int_equal(fs.items[0].severity, HR_SEV_OK);
	assert_true(finding_fact(&fs.items[0], "cgroups_examined")->v.u == 2);
}

static void test_failcnt_cumulative_and_rate(void **state)
{
	(void)state;
	struct memcg_node a[2], b[2];
	struct memcg_tree ta, tb;
	struct hr_findings fs;
	const struct hr_finding *f;

	/* One sample: any failcnt is reported as history. */
	tree_v1(&tb, b, 500);
	judge(NULL, &tb, 0, &fs);
	f = find(&fs, "memcg.limit_hits");
	assert_non_null(f);
	assert_true(finding_fact(f, "failcnt")->v.u == 500);
	assert_null(find(&fs, "memcg.ok"));

	/* Two samples 2 s apart, 100 -> 500: 200 failures/s. */
	tree_v1(&ta, a, 100);
	judge(&ta, &tb, 2000000, &fs);
	f = find(&fs, "memcg.limit_hits");
	assert_non_null(f);
	assert_true(finding_fact(f, "failcnt_per_s")->v.f > 199.9 &&
		    finding_fact(f, "failcnt_per_s")->v.f < 200.1);

	/* No change: not happening now, quiet even though failcnt > 0. */
	tree_v1(&ta, a, 500);
	judge(&ta, &tb, 2000000, &fs);
	assert_null(find(&fs, "memcg.limit_hits"));
	assert_non_null(find(&fs, "memcg.ok"));

	/* Counter went down: the cgroup was recreated; no negative rate. */
	tree_v1(&ta, a, 900);
	judge(&ta, &tb, 2000000, &fs);
	assert_null(find(&fs, "memcg.limit_hits"));

	/* Matched by path even when the order differs: a cgroup new in the
	 * second sample has no rate. */
	tree_v1(&ta, a, 100);
	snprintf(a[1].path, sizeof(a[1].path), "/other");
	judge(&ta, &tb, 2000000, &fs);
	assert_null(find(&fs, "memcg.limit_hits"));
}

static void test_v2_oom_rate_is_crit(void **state)
{
	(void)state;
	struct memcg_node a[2], b[2];
	struct memcg_tree ta, tb;
	struct hr_findings fs;

	tree_v1(&ta, a, 0);
	tree_v1(&tb, b, 0);
	ta.version = tb.version = 2;
	for (int k = 0; k < 2; k++) {
		struct memcg_node *n = k ? &b[1] : &a[1];
		n->has_events = true;
		n->events.max = 10;
		n->events.high = 0;
		n->events.oom_kill = k ? 3 : 1;
		n->high_bytes = MEMCG_NO_LIMIT;
		n->stat.file = 400 * MIB;
	}
	judge(&ta, &tb, 1000000, &fs);
	const struct hr_finding *f = find(&fs, "memcg.limit_hits");
	assert_non_null(f);
	assert_int_equal(f->severity, HR_SEV_CRIT);
	assert_true(finding_fact(f, "oom_kill_delta")->v.u == 2);

	/* The limit was set between the samples: no events were read the
	 * first time, so there is no rate (not 10 max events "per second"). */
	a[1].has_events = false;
	memset(&a[1].events, 0, sizeof(a[1].events));
	judge(&ta, &tb, 1000000, &fs);
	assert_null(find(&fs, "memcg.limit_hits"));
}

static void test_vanished_child_no_dead_charges(void **state)
{
	(void)state;
	struct memcg_node nodes[2];
	struct memcg_tree t;
	struct hr_findings fs;

	tree_v1(&t, nodes, 0);
	/* The parent's total_cache exceeds its child's by 1 GiB ... */
	nodes[0].stat.total_cache = 1424 * MIB;
	judge(NULL, &t, 0, &fs);
	assert_non_null(find(&fs, "memcg.dead_charges"));
	/* ... but when the child vanished mid-walk nothing can be concluded. */
	nodes[1].gone = true;
	nodes[1].has_stat = false;
	judge(NULL, &t, 0, &fs);
	assert_null(find(&fs, "memcg.dead_charges"));
	/* A cut listing (cap reached) is just as inconclusive. */
	nodes[1].gone = false;
	nodes[1].has_stat = true;
	nodes[0].children_complete = false;
	judge(NULL, &t, 0, &fs);
	assert_null(find(&fs, "memcg.dead_charges"));
}

static void test_walk_cap_and_discovery(void **state)
{
	(void)state;
	struct hr_root root;
	struct memcg_tree t;
	struct hr_findings fs;

	/* synthetic-memcg-quiet: 6 cgroups; a cap of 3 drops 3 and says so. */
	assert_int_equal(root_open(&root, FIXTURES "/synthetic-memcg-quiet"), 0);
	hr_findings_init(&fs, items, FMAX);
	memset(&t, 0, sizeof(t));
	assert_int_equal(memcg_tree_read(&root, &t, 3, &fs.notes), 0);
	assert_int_equal(t.version, 1);
	assert_string_equal(t.mount, "sys/fs/cgroup/memory");
	assert_int_equal(t.n, 3);
	assert_int_equal(t.dropped, 3);
	assert_true(t.nodes[0].children_complete);
	assert_false(t.nodes[1].children_complete);
	assert_false(t.nodes[2].children_complete);
	judge(NULL, &t, 0, &fs);
	const struct hr_finding *f = find(&fs, "memcg.dropped");
	assert_non_null(f);
	assert_true(finding_fact(f, "cgroups_dropped")->v.u == 3);
	memcg_tree_fini(&t);

	/* Full cap: every cgroup, BFS order, sorted children. */
	memset(&t, 0, sizeof(t));
	assert_int_equal(memcg_tree_read(&root, &t, MEMCG_TREE_CAP, &fs.notes), 0);
	assert_int_equal(t.n, 6);
	assert_int_equal(t.dropped, 0);
	assert_string_equal(t.nodes[1].path, "/system");
	assert_string_equal(t.nodes[2].path, "/tenants");
	assert_string_equal(t.nodes[5].path, "/tenants/b");
	assert_true(t.nodes[5].parent == 2);
	assert_true(t.proc_num_cgroups == 7);
	memcg_tree_fini(&t);
	root_close(&root);

	/* Only a cgroup2 mount without controllers: no memory hierarchy. */
	assert_int_equal(root_open(&root, FIXTURES "/synthetic-memcg-nocontroller"), 0);
	memset(&t, 0, sizeof(t));
	assert_int_equal(memcg_tree_read(&root, &t, 16, &fs.notes), -ENODEV);
	assert_null(t.nodes);
	root_close(&root);

	/* A root that is not a host at all. */
	assert_int_equal(root_open(&root, FIXTURES), 0);
	memset(&t, 0, sizeof(t));
	assert_true(memcg_tree_read(&root, &t, 16, &fs.notes) < 0);
	root_close(&root);
}

static void put(const char *dir, const char *name, const char *text)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_true(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

/* A temporary v1 host below top[64]: proc/meminfo, proc/self/mounts with
 * the memory hierarchy at /cg, and the empty directory cg. On tmpfs: 20,000
 * small files on ext4 took 33 s of wall time here. */
static void host_tree(char *top, size_t cap)
{
	char d[200];

	snprintf(top, cap, "%s/hr-memcg-unit-XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	assert_non_null(mkdtemp(top));
	snprintf(d, sizeof(d), "%s/proc", top);
	assert_int_equal(mkdir(d, 0755), 0);
	put(d, "meminfo", "MemTotal:       16384000 kB\n");
	snprintf(d, sizeof(d), "%s/proc/self", top);
	assert_int_equal(mkdir(d, 0755), 0);
	put(d, "mounts", "cgroup /cg cgroup rw,memory 0 0\n");
	snprintf(d, sizeof(d), "%s/cg", top);
	assert_int_equal(mkdir(d, 0755), 0);
}

/* 10,050 cgroups (50 parents of 200 leaves) in a temporary tree: all are
 * walked under the default cap, and a cap of 10,000 drops and reports the
 * rest. */
static void test_walk_10000(void **state)
{
	(void)state;
	static const char stat_text[] = "cache 4096\nrss 0\nunevictable 0\n"
		"hierarchical_memory_limit 9223372036854771712\ntotal_cache 4096\n"
		"total_rss 0\ntotal_unevictable 0\n";
	char top[64], d[4200], mem[4096];
	struct hr_root root;
	struct memcg_tree t;
	struct hr_findings fs;

	host_tree(top, sizeof(top));
	snprintf(mem, sizeof(mem), "%s/cg", top);
	put(mem, "memory.stat", stat_text);
	for (int p = 0; p < 50; p++) {
		snprintf(d, sizeof(d), "%s/p%02d", mem, p);
		assert_int_equal(mkdir(d, 0755), 0);
		put(d, "memory.stat", stat_text);
		for (int c = 0; c < 200; c++) {
			char leaf[4300];
			snprintf(leaf, sizeof(leaf), "%s/c%03d", d, c);
			assert_int_equal(mkdir(leaf, 0755), 0);
			put(leaf, "memory.stat", stat_text);
		}
	}
	assert_int_equal(root_open(&root, top), 0);

	memset(&t, 0, sizeof(t));
	hr_findings_init(&fs, items, FMAX);
	assert_int_equal(memcg_tree_read(&root, &t, MEMCG_TREE_CAP, &fs.notes), 0);
	assert_int_equal(t.n, 10051);
	assert_int_equal(t.dropped, 0);
	judge(NULL, &t, 0, &fs);
	assert_int_equal(fs.n, 1);
	assert_string_equal(fs.items[0].id, "memcg.ok");
	assert_true(finding_fact(&fs.items[0], "cgroups_examined")->v.u == 10051);
	memcg_tree_fini(&t);

	memset(&t, 0, sizeof(t));
	assert_int_equal(memcg_tree_read(&root, &t, 10000, &fs.notes), 0);
	assert_int_equal(t.n, 10000);
	assert_int_equal(t.dropped, 51);
	judge(NULL, &t, 0, &fs);
	const struct hr_finding *f = find(&fs, "memcg.dropped");
	assert_non_null(f);
	assert_true(finding_fact(f, "cgroups_dropped")->v.u == 51);
	assert_null(find(&fs, "memcg.ok"));
	memcg_tree_fini(&t);

	root_close(&root);
	assert_int_equal(nftw(top, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* A directory whose memory.stat is gone (ENOENT) was removed between the
 * listing and the read: skipped and counted, never an error. */
static void test_walk_vanished(void **state)
{
	(void)state;
	static const char stat_text[] = "cache 0\ntotal_cache 0\n"
		"hierarchical_memory_limit 9223372036854771712\n";
	char top[64], d[4200];
	struct hr_root root;
	struct memcg_tree t;
	struct hr_findings fs;

	host_tree(top, sizeof(top));
	snprintf(d, sizeof(d), "%s/cg", top);
	put(d, "memory.stat", stat_text);
	snprintf(d, sizeof(d), "%s/cg/a", top);
	assert_int_equal(mkdir(d, 0755), 0);
	put(d, "memory.stat", stat_text);
	snprintf(d, sizeof(d), "%s/cg/b", top);
	assert_int_equal(mkdir(d, 0755), 0);
	snprintf(d, sizeof(d), "%s/cg/b/x", top);
	assert_int_equal(mkdir(d, 0755), 0);
	put(d, "memory.stat", stat_text);

	assert_int_equal(root_open(&root, top), 0);
	memset(&t, 0, sizeof(t));
	hr_findings_init(&fs, items, FMAX);
	assert_int_equal(memcg_tree_read(&root, &t, 64, &fs.notes), 0);
	assert_int_equal(t.n, 3);
	assert_int_equal(t.vanished, 1);
	assert_int_equal(t.unreadable, 0);
	assert_int_equal(fs.notes.n, 0);
	assert_true(t.nodes[2].gone);
	judge(NULL, &t, 0, &fs);
	assert_int_equal(fs.n, 1);
	assert_string_equal(fs.items[0].id, "memcg.ok");
	assert_true(finding_fact(&fs.items[0], "cgroups_examined")->v.u == 2);
	assert_true(finding_fact(&fs.items[0], "cgroups_vanished")->v.u == 1);
	memcg_tree_fini(&t);
	root_close(&root);
	assert_int_equal(nftw(top, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* Files kept open between walks (the agent's pass): the same numbers as
 * reading by path, a rewritten file read anew through its kept fd, a
 * removed cgroup's fds closed, nothing left open after fini. */
static void test_walk_fd_cache(void **state)
{
	(void)state;
	static const char root_stat[] = "cache 0\ntotal_cache 0\n"
		"hierarchical_memory_limit 9223372036854771712\n";
	static const char lim_stat[] = "cache 0\ntotal_cache 0\n"
		"hierarchical_memory_limit 67108864\n";
	char top[64], d[4200], rm[4300];
	struct hr_root root;
	static struct memcg_node nodes[8];
	struct memcg_fdc_entry ents[8];
	struct memcg_fdcache fdc;
	static char mem[MEMCG_READ_SCRATCH];
	struct hr_arena a;
	struct hr_findings fs;

	host_tree(top, sizeof(top));
	snprintf(d, sizeof(d), "%s/cg", top);
	put(d, "memory.stat", root_stat);
	snprintf(d, sizeof(d), "%s/cg/a", top);
	assert_int_equal(mkdir(d, 0755), 0);
	put(d, "memory.stat", lim_stat);
	put(d, "memory.usage_in_bytes", "1000\n");
	put(d, "memory.failcnt", "7\n");
	put(d, "memory.kmem.tcp.limit_in_bytes", "9223372036854771712\n");
	snprintf(d, sizeof(d), "%s/cg/b", top);
	assert_int_equal(mkdir(d, 0755), 0);
	put(d, "memory.stat", root_stat);
	assert_int_equal(root_open(&root, top), 0);
	arena_init(&a, mem, sizeof(mem));
	memcg_fdcache_init(&fdc, ents, 8, 100);
	hr_findings_init(&fs, items, FMAX);
	for (int pass = 0; pass < 2; pass++) {
		struct memcg_tree t = { 0 };
		assert_int_equal(memcg_tree_read_in(&root, &t, nodes, 8, &a, &fdc, &fs.notes), 0);
		assert_int_equal(t.n, 3);
		assert_string_equal(t.nodes[1].path, "/a");
		assert_int_equal(t.nodes[1].usage_bytes, pass ? 2000 : 1000);
		assert_int_equal(t.nodes[1].failcnt, 7);
		assert_int_equal(t.nodes[1].limit_bytes, 67108864);
		assert_int_equal(fdc.reopened, 3);	/* opened once, kept */
		assert_true(fdc.nfds >= 3 + 4);
		snprintf(d, sizeof(d), "%s/cg/a", top);
		put(d, "memory.usage_in_bytes", "2000\n");	/* same inode */
	}
	assert_int_equal(fs.notes.n, 0);
	size_t held = fdc.nfds;
	snprintf(rm, sizeof(rm), "rm -r %s/cg/b", top);
	assert_int_equal(system(rm), 0);
	struct memcg_tree t = { 0 };
	assert_int_equal(memcg_tree_read_in(&root, &t, nodes, 8, &a, &fdc, &fs.notes), 0);
	assert_int_equal(t.n, 2);
	assert_int_equal(fdc.used, 2);
	assert_true(fdc.nfds < held);	/* b's directory and memory.stat closed */
	/* A budget of 0 keeps nothing and reads the same. */
	memcg_fdcache_fini(&fdc);
	assert_int_equal(fdc.nfds, 0);
	memcg_fdcache_init(&fdc, ents, 8, 0);
	memset(&t, 0, sizeof(t));
	assert_int_equal(memcg_tree_read_in(&root, &t, nodes, 8, &a, &fdc, &fs.notes), 0);
	assert_int_equal(t.nodes[1].usage_bytes, 2000);
	assert_int_equal(fdc.nfds, 0);
	assert_int_equal(a.used, 0);	/* the walk gave its scratch back */
	root_close(&root);
	assert_int_equal(nftw(top, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quiet_single_ok),
		cmocka_unit_test(test_failcnt_cumulative_and_rate),
		cmocka_unit_test(test_v2_oom_rate_is_crit),
		cmocka_unit_test(test_vanished_child_no_dead_charges),
		cmocka_unit_test(test_walk_cap_and_discovery),
		cmocka_unit_test(test_walk_10000),
		cmocka_unit_test(test_walk_fd_cache),
		cmocka_unit_test(test_walk_vanished),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
