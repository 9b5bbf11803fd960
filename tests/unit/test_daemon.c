/* test_daemon.c - the agent over a synthetic cgroup v1 tree: it finds the
 * limited cgroup, reclaims it (the limit file is lowered and restored), picks
 * up a new cgroup through inotify, reloads its configuration, and - the
 * point of this file - makes no heap allocation at all after daemon_ready().
 * Allocations are counted with
 * the sanitizer allocator's hooks, which see every malloc in the process
 * (libc's internal ones included), not only the ones in our code. */
#define _GNU_SOURCE
#include "testutil.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/ctx.h"
#include "util/clock.h"

/* compiler-rt / libsanitizer interface (sanitizer/allocator_interface.h;
 * gcc 12 ships the symbol but not the header). */
int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void *, size_t),
					      void (*free_hook)(const volatile void *));

/* Test-only state the hooks need (they take no argument). */
static volatile int counting;
static volatile unsigned long allocs;

static void on_malloc(const volatile void *p, size_t n)
{
	(void)p;
	(void)n;
	if (counting)
		allocs++;
}
static void on_free(const volatile void *p)
{
	(void)p;
}

static char dir[64];

static void put(const char *rel, const char *s)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(s, f);
	fclose(f);
}

static void mk(const char *rel)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	assert_int_equal(mkdir(p, 0700), 0);
}

static void memcg(const char *rel, const char *limit, const char *usage, const char *inactive)
{
	char p[256], stat[256];
	if (rel[0])
		mk(rel);
	snprintf(p, sizeof(p), "%s/memory.limit_in_bytes", rel);
	put(p, limit);
	snprintf(p, sizeof(p), "%s/memory.usage_in_bytes", rel);
	put(p, usage);
	snprintf(p, sizeof(p), "%s/cgroup.event_control", rel);
	put(p, "");
	snprintf(stat, sizeof(stat), "cache 1\nrss 2\ntotal_inactive_file %s\ntotal_active_file 0\n", inactive);
	snprintf(p, sizeof(p), "%s/memory.stat", rel);
	put(p, stat);
}

static void test_no_alloc_after_ready(void **state)
{
	(void)state;
	struct hr_config cfg;
	struct hr_config_err err;
	struct hr_daemon_opts o = { .no_signals = true, .no_mlock = true };
	char conf[512], p[256];

	snprintf(dir, sizeof(dir), "/tmp/hr-test-daemon-XXXXXX");
	assert_non_null(mkdtemp(dir));
	o.root = dir;
	mk("sys");
	mk("sys/fs");
	mk("sys/fs/cgroup");
	/* The agent finds the hierarchy in the mount table, as check does. */
	mk("proc");
	mk("proc/self");
	put("proc/self/mounts", "cgroup /sys/fs/cgroup/memory cgroup rw,nosuid,nodev,noexec,relatime,memory 0 0\n");
	memcg("sys/fs/cgroup/memory", "9223372036854771712\n", "1000000000\n", "0");
	/* 240 MiB used of 256 MiB, 200 MiB inactive cache: above the 90% mark. */
	memcg("sys/fs/cgroup/memory/app", "268435456\n", "251658240\n", "209715200");
	mk("run");
	snprintf(conf, sizeof(conf),
		 "[agent]\nrun_dir = %s/run\nmax_cgroups = 16\nreclaim_worker = yes\n[policy app]\nmatch = /app*\nmode = reclaim\n",
		 dir);
	assert_int_equal(config_parse(conf, strlen(conf), &cfg, &err), 0);

	struct hr_ctx *c = calloc(1, sizeof(*c));
	assert_int_equal(daemon_init(c, &cfg, &o), 0);
	assert_int_equal(daemon_ready(c), 0);
	assert_int_equal(c->ncg, 2);
	assert_true(c->cg[1].limited);
	assert_int_equal(c->cg[1].backend, HR_BE_V1_LIMIT);
	/* The dry tick in daemon_ready already reclaimed once. */
	assert_true(c->st.squeezes >= 1);

	assert_int_equal(__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free), 1);
	/* The counter works: one malloc is seen (else this test proves nothing). */
	counting = 1;
	void *volatile probe = malloc(24);
	counting = 0;
	free(probe);
	assert_int_equal(allocs, 1);
	allocs = 0;
	counting = 1;
	/* Steady state: polls, reclaim rounds, the status file, a new cgroup
	 * found through inotify and a removed one. */
	uint64_t sq = c->st.squeezes;
	for (int i = 0; i < 20; i++) {
		/* A plain file never shrinks, so the agent backs off to
		 * poll_max_ms after a round; make the app due again. */
		c->cg[1].next_poll_ns = 0;
		agent_arm_poll(c);
		assert_int_equal(loop_once(&c->loop, 5), 0);
	}
	status_write(c);
	counting = 0;
	memcg("sys/fs/cgroup/memory/app2", "268435456\n", "1000\n", "0");
	counting = 1;
	for (int i = 0; i < 5; i++)
		assert_int_equal(loop_once(&c->loop, 5), 0);
	/* SIGHUP: the reload (libinih over our buffer, stack line buffer) too. */
	counting = 0;
	char cpath[128];
	snprintf(cpath, sizeof(cpath), "%s/run/test.conf", dir);
	FILE *cf = fopen(cpath, "w");
	assert_non_null(cf);
	fputs(conf, cf);
	fclose(cf);
	c->opts.config_path = cpath;
	counting = 1;
	assert_int_equal(daemon_reload(c), 0);
	assert_int_equal(loop_once(&c->loop, 5), 0);
	/* Rounds run on the worker: wait (bounded) until none is in flight;
	 * collecting them allocates nothing either. */
	for (int i = 0; i < 400 && c->worker.nfree < HR_JOBS; i++)
		assert_int_equal(loop_once(&c->loop, 5), 0);
	counting = 0;
	unsigned long n = allocs;
	__sanitizer_install_malloc_and_free_hooks(NULL, NULL);
	printf("allocations after daemon_ready: %lu (squeezes %llu -> %llu, cgroups %u)\n", n,
	       (unsigned long long)sq, (unsigned long long)c->st.squeezes, c->ncg);
	assert_int_equal(n, 0);
	assert_true(c->st.squeezes > sq);
	assert_int_equal(c->ncg, 3);
	assert_true(c->cg[2].limited);
	assert_int_equal(c->worker.nfree, HR_JOBS);
	assert_true(c->st.reclaimed_bytes > 0);	/* completions were collected */
	/* The worker executes the writes at normal priority (SCHED_OTHER),
	 * whatever the RT thread runs at. */
	int pol = -1;
	struct sched_param sp;
	assert_int_equal(pthread_getschedparam(c->worker.thread, &pol, &sp), 0);
	assert_int_equal(pol, SCHED_OTHER);
	/* The limit is back after every round. */
	snprintf(p, sizeof(p), "%s/sys/fs/cgroup/memory/app/memory.limit_in_bytes", dir);
	FILE *f = fopen(p, "r");
	char buf[64] = { 0 };
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_int_equal(strncmp(buf, "268435456", 9), 0);
	assert_int_equal(c->journal.open_entries, 0);
	daemon_fini(c);
	free(c);
	snprintf(p, sizeof(p), "rm -rf %s", dir);
	assert_int_equal(system(p), 0);
}

/* cgroup v2, a new cgroup that has not started filling: the first look is
 * scheduled from its distance to the high mark at the assumed worst-case
 * fill rate (4 GiB/s: ~56 ms for 240 MiB), not poll_max_ms (1 s) later. */
static void test_v2_first_look_from_idle(void **state)
{
	(void)state;
	struct hr_config cfg;
	struct hr_config_err err;
	struct hr_daemon_opts o = { .no_signals = true, .no_mlock = true };
	char conf[512], p[256];

	snprintf(dir, sizeof(dir), "/tmp/hr-test-daemon-XXXXXX");
	assert_non_null(mkdtemp(dir));
	o.root = dir;
	mk("proc");
	mk("proc/self");
	put("proc/self/mounts", "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime 0 0\n");
	mk("sys");
	mk("sys/fs");
	mk("sys/fs/cgroup");
	put("sys/fs/cgroup/cgroup.controllers", "cpu memory\n");
	mk("sys/fs/cgroup/app");
	put("sys/fs/cgroup/app/memory.max", "268435456\n");
	put("sys/fs/cgroup/app/memory.high", "max\n");
	put("sys/fs/cgroup/app/memory.current", "4096\n");
	put("sys/fs/cgroup/app/memory.reclaim", "");
	put("sys/fs/cgroup/app/memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n");
	put("sys/fs/cgroup/app/memory.stat", "anon 0\nfile 0\ninactive_file 0\nactive_file 0\n");
	mk("run");
	snprintf(conf, sizeof(conf),
		 "[agent]\nrun_dir = %s/run\nmax_cgroups = 16\n[policy app]\nmatch = /app*\nmode = reclaim\n",
		 dir);
	assert_int_equal(config_parse(conf, strlen(conf), &cfg, &err), 0);
	struct hr_ctx *c = calloc(1, sizeof(*c));
	assert_int_equal(daemon_init(c, &cfg, &o), 0);
	assert_int_equal(daemon_ready(c), 0);
	assert_true(c->v2);
	assert_int_equal(c->ncg, 2);
	assert_true(c->cg[1].limited);
	assert_int_equal(c->cg[1].backend, HR_BE_V2_RECLAIM);
	assert_true(c->cg[1].rate_bps == 0);
	uint64_t now = clock_mono_ns(), next = c->cg[1].next_poll_ns;
	printf("v2 idle cgroup: next look in %.1f ms (poll_max_ms %u)\n",
	       next > now ? (double)(next - now) / 1e6 : 0.0, c->cfg.poll_max_ms);
	assert_true(next > 0);
	assert_true(next < now + 100000000ull);
	daemon_fini(c);
	free(c);
	snprintf(p, sizeof(p), "rm -rf %s", dir);
	assert_int_equal(system(p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_alloc_after_ready),
		cmocka_unit_test(test_v2_first_look_from_idle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
