/* judge_pass.c - the periodic judgement pass (node.h): the samplers and
 * judges of `check`, every judge_interval_ms, into storage allocated here
 * before ready; node_init/node_fini, the hooks daemon.c calls.
 *
 * The timer's passes run on a thread of their own, created before the
 * agent switches to SCHED_FIFO (sched_setscheduler applies to the calling
 * thread only), so it stays SCHED_OTHER: a pass over 1,000 memcgs takes
 * milliseconds, and on the loop thread it would hold back every cgroup
 * event for that long. A pass allocates nothing: its storage is sized here
 * (engine_storage_bytes_cap) before ready. Hand-off, no shared writes: the loop posts a pass only when
 * the previous one is done; while it runs the thread alone touches
 * pass[!cur] and fs, and the loop only pass[cur] (the render reads both
 * only after the done eventfd, on the loop). */
#define _GNU_SOURCE
#include "daemon/node.h"

#include <errno.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/guards.h"
#include "util/clock.h"

static void start_pass(struct hr_ctx *c);
static int thread_start(struct hr_ctx *c);
static void thread_stop(struct hr_ctx *c);

static void on_judge(struct loop *l, int fd, void *data, uint32_t events)
{
	struct hr_ctx *c = ctx_of_loop(l);
	struct hr_node *n = c->node;
	uint64_t now = clock_mono_ns();

	(void)fd;
	(void)data;
	(void)events;
	if (n->due_ns && now > n->due_ns) {
		double lag = (double)(now - n->due_ns) / 1e9;
		if (lag > n->lag_s)
			n->lag_s = lag;
	}
	/* The next due time on the period's grid (missed ones are skipped). */
	while (n->due_ns <= now)
		n->due_ns += n->period_ns;
	start_pass(c);
}

static size_t fd_budget(const struct hr_ctx *c)
{
	struct rlimit rl;
	uint64_t agent = (uint64_t)c->cfg.max_cgroups * 8 + 64 + 64, most = (uint64_t)c->cfg.max_cgroups * 6;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 0;
	if (rl.rlim_cur == RLIM_INFINITY)
		return (size_t)most;
	if (rl.rlim_cur <= agent)
		return 0;
	return (size_t)(rl.rlim_cur - agent < most ? rl.rlim_cur - agent : most);
}

int judge_init(struct hr_ctx *c)
{
	struct hr_node *n = c->node;

	n->judge_id = -1;
	/* Everything a pass needs, for max_cgroups memory cgroups (more are
	 * cut and counted: memcg.dropped): ~1 KiB a cgroup plus ~4.3 MiB of
	 * scratch per pass, in fresh zero mappings of which a pass touches
	 * what it uses. No ctnetlink dump unless the conntrack guard wants
	 * one (start_pass): libnetfilter_conntrack allocates per entry. */
	n->mem_len = engine_storage_bytes_cap(c->cfg.max_cgroups);
	n->mem[0] = calloc(1, n->mem_len);
	n->mem[1] = calloc(1, n->mem_len);
	n->items = calloc(NODE_FINDINGS_MAX, sizeof(*n->items));
	if (!n->mem[0] || !n->mem[1] || !n->items)
		return -ENOMEM;
	engine_pass_init_cap(&n->pass[0], n->mem[0], c->cfg.max_cgroups, ENGINE_NO_CT_DUMP);
	engine_pass_init_cap(&n->pass[1], n->mem[1], c->cfg.max_cgroups, ENGINE_NO_CT_DUMP);
	/* The walk keeps its cgroup files open between passes (pread ~2 us
	 * a file on kernfs, open+read+close ~12), with the fds the agent's
	 * own worst case leaves (daemon.c check_nofile: 8 per cgroup + 64),
	 * at most 6 per cgroup; without any, files are opened per read. */
	n->fdc_ents = calloc(c->cfg.max_cgroups, sizeof(*n->fdc_ents));
	if (!n->fdc_ents)
		return -ENOMEM;
	memcg_fdcache_init(&n->fdc, n->fdc_ents, c->cfg.max_cgroups, fd_budget(c));
	n->pass[0].memcg_fds = n->pass[1].memcg_fds = &n->fdc;
	hr_findings_init(&n->fs, n->items, NODE_FINDINGS_MAX);
	if (!c->cfg.judge_interval_ms)
		return 0;
	n->period_ns = (uint64_t)c->cfg.judge_interval_ms * 1000000u;
	n->judge_id = loop_timer_add(&c->loop, on_judge, NULL);
	if (n->judge_id < 0)
		return n->judge_id;
	int rc = thread_start(c);
	if (rc)
		hr_log(c, 4, "judgement thread: %s; passes run on the event loop", strerror(-rc));
	n->due_ns = clock_mono_ns() + n->period_ns;
	return loop_timer_arm(&c->loop, n->judge_id, n->due_ns, n->period_ns);
}

/* Sample and judge into pass[!cur] and fs: the thread's part. */
static void compute(struct hr_ctx *c)
{
	struct hr_node *n = c->node;
	uint64_t t0 = clock_mono_ns();
	int next = !n->cur;

	hr_findings_reset(&n->fs);
	n->ok = engine_sample(&c->root, ENGINE_ALL, &n->pass[next], &n->fs);
	engine_judge(n->have ? n->ok & n->prev_ok : n->ok, n->have ? &n->pass[n->cur] : NULL,
		     &n->pass[next], &n->fs);
	/* Not findings_sort(): glibc's qsort allocates for arrays this big;
	 * the renderer counts unsorted findings in O(n^2), n is tens. */
	n->pass_ns = clock_mono_ns() - t0;
}

/* The pass is the current one: the loop's part. */
static void finish(struct hr_ctx *c)
{
	struct hr_node *n = c->node;
	int next = !n->cur;
	unsigned ok = n->ok;

	n->cur = next;
	n->have = n->have < 2 ? n->have + 1 : 2;	/* 2: the other pass is the previous one */
	n->prev_ok = ok;
	n->passes++;
	n->agent.passes = n->passes;
	n->agent.pass_seconds = (double)n->pass_ns / 1e9;
	guards_after_pass(c);
	metrics_after_pass(c);
}

void judge_pass_run(struct hr_ctx *c)
{
	compute(c);
	finish(c);
}

static void *judge_thread(void *arg)
{
	struct hr_ctx *c = arg;
	struct hr_node *n = c->node;
	uint64_t one = 1;

	pthread_mutex_lock(&n->mu);
	for (;;) {
		while (!n->posted && !n->quit)
			pthread_cond_wait(&n->cv, &n->mu);
		if (n->quit)
			break;
		n->posted = false;
		pthread_mutex_unlock(&n->mu);
		compute(c);
		if (write(n->done_fd, &one, sizeof(one)) < 0)
			(void)0;	/* an eventfd counter cannot overflow at this rate */
		pthread_mutex_lock(&n->mu);
	}
	pthread_mutex_unlock(&n->mu);
	return NULL;
}

static void on_pass_done(struct loop *l, int fd, void *data, uint32_t events)
{
	struct hr_ctx *c = ctx_of_loop(l);
	uint64_t v;

	(void)data;
	(void)events;
	if (read(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		return;
	c->node->busy = false;
	finish(c);
}

/* The timer: post a pass to the thread, or run it here without one. */
static void start_pass(struct hr_ctx *c)
{
	struct hr_node *n = c->node;

	/* The exception to "a pass allocates nothing": the ctnetlink dump,
	 * made only when the conntrack guard may act (bounded by ct_dump's
	 * entry and time caps, off the reaction path on the judgement
	 * thread). Set here, before the post, so the thread sees it. */
	n->pass[!n->cur].flags = guards_want_ct_dump(c) ? 0 : ENGINE_NO_CT_DUMP;

	if (!n->thread_on) {
		judge_pass_run(c);
		return;
	}
	if (n->busy) {
		n->skipped++;	/* the last one is still running: this period is skipped */
		return;
	}
	n->busy = true;
	pthread_mutex_lock(&n->mu);
	n->posted = true;
	pthread_cond_signal(&n->cv);
	pthread_mutex_unlock(&n->mu);
}

static int thread_start(struct hr_ctx *c)
{
	struct hr_node *n = c->node;

	n->done_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (n->done_fd < 0)
		return -errno;
	n->done_id = loop_add(&c->loop, n->done_fd, LOOP_IN, on_pass_done, NULL);
	if (n->done_id < 0)
		return n->done_id;
	pthread_mutex_init(&n->mu, NULL);
	pthread_cond_init(&n->cv, NULL);
	int rc = pthread_create(&n->thread, NULL, judge_thread, c);
	if (rc) {
		pthread_cond_destroy(&n->cv);
		pthread_mutex_destroy(&n->mu);
		return -rc;
	}
	pthread_setname_np(n->thread, "hr-judge");	/* top -H, bench/judge_pass.sh */
	n->thread_on = true;
	return 0;
}

static void thread_stop(struct hr_ctx *c)
{
	struct hr_node *n = c->node;

	if (n->thread_on) {
		pthread_mutex_lock(&n->mu);
		n->quit = true;
		pthread_cond_signal(&n->cv);
		pthread_mutex_unlock(&n->mu);
		pthread_join(n->thread, NULL);	/* at most the pass in progress */
		pthread_cond_destroy(&n->cv);
		pthread_mutex_destroy(&n->mu);
		n->thread_on = false;
	}
	loop_del(&c->loop, n->done_id);
	n->done_id = -1;
	if (n->done_fd >= 0)
		close(n->done_fd);
	n->done_fd = -1;
}

void judge_fini(struct hr_ctx *c)
{
	struct hr_node *n = c->node;

	thread_stop(c);
	loop_del(&c->loop, n->judge_id);
	n->judge_id = -1;
	if (n->mem[0])
		engine_pass_fini(&n->pass[0]);
	if (n->mem[1])
		engine_pass_fini(&n->pass[1]);
	if (n->fdc_ents)
		memcg_fdcache_fini(&n->fdc);
	free(n->fdc_ents);
	n->fdc_ents = NULL;
	free(n->mem[0]);
	free(n->mem[1]);
	free(n->items);
	n->mem[0] = n->mem[1] = NULL;
	n->items = NULL;
}

int node_init(struct hr_ctx *c)
{
	int rc;

	c->node = calloc(1, sizeof(*c->node));
	if (!c->node)
		return -ENOMEM;
	c->node->kmsg_fd = c->node->kmsg_id = c->node->kmsg_tick_id = c->node->srv_id = -1;
	c->node->done_fd = c->node->done_id = -1;
	rc = judge_init(c);
	if (rc) {
		hr_log(c, 3, "cannot set up the judgement pass: %s", strerror(-rc));
		return rc;
	}
	rc = metrics_init(c);
	if (rc)
		return rc;
	if (guards_init(c))
		hr_log(c, 3, "guards: out of memory; running without them");
	kmsg_watch_init(c);	/* degrades: logged inside */
	/* The first pass now, before ready: every sampler's buffers are
	 * touched before mlockall, and the first scrape has an answer. */
	judge_pass_run(c);
	return 0;
}

void node_fini(struct hr_ctx *c)
{
	if (!c->node)
		return;
	kmsg_watch_fini(c);
	metrics_fini(c);
	judge_fini(c);
	guards_fini(c);
	free(c->node);
	c->node = NULL;
}
