/* worker.c - the reclaim worker: a SCHED_OTHER thread (nice 0) that
 * executes the reclaim rounds the agent's real-time thread decided. See
 * ctx.h.
 *
 * Why a second thread: a round makes the kernel reclaim in the writer
 * (v1 limit writes, memory.reclaim, memory.high), 1-30 ms of CPU; at
 * SCHED_FIFO that work preempts the application it is meant to help. The
 * RT thread only reads and decides (and reacts within microseconds); the
 * worker uses spare CPU like the kernel's own background reclaim. Its CPU
 * is still bounded by the policy's max_cpu: the RT thread charges each
 * round's thread CPU time to the cgroup's token bucket on completion.
 *
 * Hand-off: a fixed pool of jobs (preallocated), a ring of submitted job
 * indices under a mutex + condition variable, a ring of done ones and an
 * eventfd the RT thread's loop watches. A job owns dup()s of the cgroup's
 * fds and a copy of everything the round needs, so the RT thread may close
 * or reconfigure the table entry meanwhile. The journal is shared: whoever
 * uses it holds journal_mu (the RT thread only with trylock where it must
 * never wait for the worker). Nothing here allocates after worker_start;
 * the worker never logs.
 */
#define _GNU_SOURCE
#include "daemon/ctx.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/parse.h"

int worker_round(struct hr_journal *j, struct hr_job *job)
{
	return reclaim_run(j, job->backend, &job->f, job->limit, job->orig_high, &job->plan, &job->o, &job->res);
}

static void put(uint32_t *ring, uint32_t cap, uint32_t *head, uint32_t *n, uint32_t v)
{
	ring[(*head + *n) % cap] = v;
	(*n)++;
}

static uint32_t take(const uint32_t *ring, uint32_t cap, uint32_t *head, uint32_t *n)
{
	uint32_t v = ring[*head];

	*head = (*head + 1) % cap;
	(*n)--;
	return v;
}

static void *run(void *arg)
{
	struct hr_ctx *c = arg;
	struct hr_worker *w = &c->worker;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->todo_n && !w->stop)
			pthread_cond_wait(&w->cv, &w->mu);
		if (!w->todo_n)
			break;	/* stop, and nothing left to do */
		uint32_t k = take(w->todo, HR_JOBS, &w->todo_head, &w->todo_n);
		pthread_mutex_unlock(&w->mu);

		struct hr_job *job = &w->job[k];
		job->start_ns = clock_mono_ns();
		uint64_t cpu0 = clock_thread_cpu_ns();
		pthread_mutex_lock(&w->journal_mu);
		job->rc = worker_round(&c->journal, job);
		job->journal_open = c->journal.open_entries;
		pthread_mutex_unlock(&w->journal_mu);
		job->cpu_ns = clock_thread_cpu_ns() - cpu0;
		if (job->f.usage_fd >= 0)
			close(job->f.usage_fd);
		if (job->f.ctl_fd >= 0)
			close(job->f.ctl_fd);
		job->f.usage_fd = job->f.ctl_fd = -1;

		pthread_mutex_lock(&w->mu);
		put(w->done, HR_JOBS, &w->done_head, &w->done_n, k);
		uint64_t one = 1;
		ssize_t n = write(w->done_fd, &one, sizeof(one));
		(void)n;	/* EAGAIN: the counter is already non-zero */
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

int worker_start(struct hr_ctx *c)
{
	struct hr_worker *w = &c->worker;
	pthread_attr_t a;
	struct sched_param sp = { .sched_priority = 0 };
	int rc;

	w->nfree = 0;
	for (uint32_t i = HR_JOBS; i-- > 0;) {
		w->job[i].f.usage_fd = w->job[i].f.ctl_fd = -1;
		w->free[w->nfree++] = i;
	}
	w->done_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->done_fd < 0)
		return -errno;
	pthread_mutex_init(&w->mu, NULL);
	pthread_mutex_init(&w->journal_mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	w->inited = true;
	/* Explicitly SCHED_OTHER, whatever the creating thread runs at. */
	pthread_attr_init(&a);
	pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(&a, SCHED_OTHER);
	pthread_attr_setschedparam(&a, &sp);
	/* Every signal blocked in the worker (it inherits the mask): signals
	 * are the RT thread's signalfd's, never a default action here. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = -pthread_create(&w->thread, &a, run, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&a);
	if (rc)
		return rc;
	w->running = true;
	pthread_setname_np(w->thread, "headroom-reclaim");
	return 0;
}

void worker_stop(struct hr_ctx *c)
{
	struct hr_worker *w = &c->worker;

	if (w->running) {
		pthread_mutex_lock(&w->mu);
		w->stop = true;
		pthread_cond_signal(&w->cv);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->thread, NULL);	/* a round in flight ends first (bounded) */
		w->running = false;
		while (w->done_n)	/* finished, never collected: drop their fds */
			worker_release(c, &w->job[take(w->done, HR_JOBS, &w->done_head, &w->done_n)]);
	}
	if (w->inited) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		pthread_mutex_destroy(&w->journal_mu);
		w->inited = false;
	}
	if (w->done_fd >= 0)
		close(w->done_fd);
	w->done_fd = -1;
}

struct hr_job *worker_job(struct hr_ctx *c)
{
	struct hr_worker *w = &c->worker;
	struct hr_job *job;

	if (!w->running || !w->nfree)
		return NULL;
	job = &w->job[w->free[--w->nfree]];
	memset(&job->res, 0, sizeof(job->res));
	job->res.kept_slot = -1;
	job->rc = 0;
	job->cpu_ns = 0;
	return job;
}

void worker_release(struct hr_ctx *c, struct hr_job *job)
{
	struct hr_worker *w = &c->worker;

	if (job->f.usage_fd >= 0)
		close(job->f.usage_fd);
	if (job->f.ctl_fd >= 0)
		close(job->f.ctl_fd);
	job->f.usage_fd = job->f.ctl_fd = -1;
	w->free[w->nfree++] = (uint32_t)(job - w->job);
}

int worker_submit(struct hr_ctx *c, struct hr_job *job)
{
	struct hr_worker *w = &c->worker;

	pthread_mutex_lock(&w->mu);
	put(w->todo, HR_JOBS, &w->todo_head, &w->todo_n, (uint32_t)(job - w->job));
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return 0;
}

bool worker_steal(struct hr_ctx *c, struct hr_job *job)
{
	struct hr_worker *w = &c->worker;
	uint32_t k = (uint32_t)(job - w->job);
	bool found = false;

	pthread_mutex_lock(&w->mu);
	for (uint32_t i = 0; i < w->todo_n; i++) {
		uint32_t at = (w->todo_head + i) % HR_JOBS;
		if (!found && w->todo[at] == k)
			found = true;
		if (found && i + 1 < w->todo_n)
			w->todo[at] = w->todo[(at + 1) % HR_JOBS];	/* close the gap */
	}
	if (found)
		w->todo_n--;
	pthread_mutex_unlock(&w->mu);
	return found;
}

struct hr_job *worker_done(struct hr_ctx *c)
{
	struct hr_worker *w = &c->worker;
	struct hr_job *job = NULL;
	uint64_t n;

	pthread_mutex_lock(&w->mu);
	if (w->done_n)
		job = &w->job[take(w->done, HR_JOBS, &w->done_head, &w->done_n)];
	else if (read(w->done_fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		job = NULL;	/* nothing, and the counter is reset */
	pthread_mutex_unlock(&w->mu);
	return job;
}
