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
#include "daemon/node.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>

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
	tu_put(dir, rel, s);
}

static void mk(const char *rel)
{
	tu_mkdir(dir, rel);
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

/* The kernel's OOM report (tests/fixtures/kmsg/02-oom-memcg-leaker-4.18.log,
 * the lines the engine uses) as /dev/kmsg records of facility `fac`, one
 * write each into the pipe that stands in for /dev/kmsg, each read by the
 * agent at once (a pipe, unlike the device, would join records). */
static const char *const oom_lines[] = {
	"leaker invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null), order=0, oom_score_adj=0",
	"CPU: 0 PID: 2746 Comm: leaker Not tainted 4.18.0+ #19",
	"Task in /leaker killed as a result of limit of /leaker",
	"memory: usage 524288kB, limit 524288kB, failcnt 158965",
	"Memory cgroup out of memory: Kill process 2746 (leaker) score 998 or sacrifice child",
	"Killed process 2746 (leaker) total-vm:536704kB, anon-rss:521176kB, file-rss:1208kB, shmem-rss:0kB",
};

static void feed_kmsg(struct hr_ctx *c, int wfd, unsigned fac, unsigned *seq)
{
	char rec[512];
	for (size_t i = 0; i < sizeof(oom_lines) / sizeof(oom_lines[0]); i++) {
		int n = snprintf(rec, sizeof(rec), "%u,%u,%u,-;%s\n", fac * 8 + 4, *seq, 1000000 + *seq,
				 oom_lines[i]);
		(*seq)++;
		assert_int_equal(write(wfd, rec, (size_t)n), n);
		kmsg_watch_read(c);
	}
	explain_idle(c->node->x, 2 * EXPLAIN_IDLE_USEC);
}

/* One GET /metrics through the agent's loop; returns the bytes received. */
static size_t scrape(struct hr_ctx *c, char *buf, size_t cap)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(http_srv_port(&c->node->srv)) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(fd >= 0);
	connect(fd, (struct sockaddr *)&a, sizeof(a));
	static const char req[] = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
	size_t got = 0;
	bool sent = false;
	for (int i = 0; i < 400; i++) {
		assert_int_equal(loop_once(&c->loop, 5), 0);
		if (!sent && write(fd, req, sizeof(req) - 1) == (ssize_t)(sizeof(req) - 1))
			sent = true;
		ssize_t k = read(fd, buf + got, cap - 1 - got);
		if (k == 0)
			break;
		if (k > 0)
			got += (size_t)k;
	}
	close(fd);
	buf[got] = 0;
	return got;
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
		 "[agent]\nrun_dir = %s/run\nmax_cgroups = 16\nreclaim_worker = yes\nmetrics_listen = 127.0.0.1:0\n[policy app]\nmatch = /app*\nmode = reclaim\n",
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
	/* The node agent: the exposition rendered after a pass and a scrape
	 * through the loop, and kernel records through the explain engine. */
	struct hr_node *nd = c->node;
	assert_true(nd->srv_on);
	assert_non_null(nd->x);	/* no dev/kmsg in the tree: a pipe stands in */
	int kp[2];
	assert_int_equal(pipe2(kp, O_NONBLOCK | O_CLOEXEC), 0);
	nd->kmsg_fd = kp[0];
	static char resp[1 << 20];
	unsigned seq = 1;
	allocs = 0;
	counting = 1;
	uint64_t passes = nd->passes;
	metrics_after_pass(c);
	size_t got = scrape(c, resp, sizeof(resp));
	feed_kmsg(c, kp[1], 0, &seq);	/* the kernel's: an incident */
	feed_kmsg(c, kp[1], 1, &seq);	/* the same text from a process (LOG_USER): none */
	metrics_after_pass(c);
	counting = 0;
	unsigned long n_node = allocs;
	/* The judgement pass itself (every area's sampler and judge), after
	 * the warm-up pass of node_init and the one above: two, so that both
	 * pass storages and the judge against a previous pass are covered. */
	allocs = 0;
	counting = 1;
	judge_pass_run(c);
	judge_pass_run(c);
	counting = 0;
	unsigned long n_pass = allocs;
	__sanitizer_install_malloc_and_free_hooks(NULL, NULL);
	printf("allocations: render + scrape + kmsg %lu, two judgement passes %lu\n", n_node, n_pass);
	assert_int_equal(n_node, 0);
	assert_int_equal(n_pass, 0);
	/* ... and they judged something: the memcg area was read. */
	assert_true(nd->pass[nd->cur].sampled & 1u);
	assert_true(nd->passes == passes + 2);
	assert_true(got > 0);
	assert_non_null(strstr(resp, "HTTP/1.1 200"));
	assert_non_null(strstr(resp, "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
	assert_non_null(strstr(resp, "headroom_area_sampled{area=\"memcg\"} 1"));
	assert_int_equal(nd->incidents[HR_INC_OOM_KILL], 1);
	assert_int_equal(nd->kmsg_user, sizeof(oom_lines) / sizeof(oom_lines[0]));
	assert_non_null(strstr(nd->cache, "headroom_kernel_incidents_total{kind=\"oom_kill\"} 1"));
	/* The timer's pass runs on the judgement thread and comes back
	 * through its eventfd; the loop then renders it. */
	assert_true(nd->thread_on);
	uint64_t p0 = nd->passes;
	assert_int_equal(loop_timer_arm(&c->loop, nd->judge_id, 0, nd->period_ns), 0);
	for (int i = 0; i < 500 && nd->passes == p0; i++)
		assert_int_equal(loop_once(&c->loop, 10), 0);
	assert_true(nd->passes == p0 + 1);
	assert_false(nd->busy);
	nd->kmsg_fd = -1;
	close(kp[0]);
	close(kp[1]);
	printf("allocations after daemon_ready: %lu (squeezes %llu -> %llu, cgroups %u)\n", n,
	       (unsigned long long)sq, (unsigned long long)c->st.squeezes, c->ncg);
	assert_int_equal(n, 0);
	assert_true(c->st.squeezes > sq);
	assert_int_equal(c->ncg, 3);
	assert_true(c->cg[2].limited);
	/* The loop turns above (scrape, pass) may have started another round
	 * on the worker: let it finish (bounded) before counting free jobs. */
	for (int i = 0; i < 400 && c->worker.nfree < HR_JOBS; i++)
		assert_int_equal(loop_once(&c->loop, 5), 0);
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
