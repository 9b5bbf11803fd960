/* agent.c - per-cgroup reaction: read usage, and at the high mark sample the
 * file LRUs, ask the reclaim judge (detect/reclaim_judge.h) and hand its
 * decision to act/ (on the worker, or here); schedule the next look (the
 * poll timer). See ctx.h. */
#define _GNU_SOURCE
#include "daemon/ctx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <string.h>
#include <time.h>

#include "util/parse.h"
#include "util/clock.h"

#define NSEC 1000000000ull
/* Safety-net look at event-backed and unlimited cgroups: threshold events
 * cover crossings and inotify IN_MODIFY covers limit changes, so this only
 * catches what both missed. 60 s, rounded up to a whole second so that one
 * timer wake serves many cgroups: with 10 s unbatched, 1,000 idle memcgs
 * cost 0.9% of a core here (bench/run_agent.sh). */
#define SLOW_POLL_NS (60 * NSEC)
#define LOG_EVERY_NS (10 * NSEC)

/* memory.stat through the shared parser (src/snapshot/memcg.h). v1 limits
 * are hierarchical, so the hierarchical total_* LRU sizes count; v2 prints
 * only hierarchical counters, under the plain names. */
static int read_file_lru(struct hr_ctx *c, struct hr_cg *g, uint64_t *inactive, uint64_t *active)
{
	struct memcg_stat ms;
	int rc = memcg_file_stat(g->stat_fd, c->buf, sizeof(c->buf), &ms);

	if (rc)
		return rc;
	*inactive = c->v2 ? ms.inactive_file : ms.total_inactive_file;
	*active = c->v2 ? ms.active_file : ms.total_active_file;
	return 0;
}

#ifdef HR_TEST_HOOKS
/* Runs on the worker thread: its own buffer, one write (hr_log's buffer
 * belongs to the RT thread). */
static void on_pause(void *arg)
{
	const struct hr_ctx *c = arg;
	char line[200];
	int n = snprintf(line, sizeof(line), "%sheadroom: run: debug: pausing %u ms inside the lowered-limit "
			 "window (HEADROOM_DEBUG_SQUEEZE_PAUSE_MS)\n", c->log_journal ? "<5>" : "",
			 c->opts.debug_pause_ms);
	ssize_t w = write(STDERR_FILENO, line, n > 0 && (size_t)n < sizeof(line) ? (size_t)n : 0);
	(void)w;
}
#endif

/* A restore that failed during a round left its record open: try again
 * before anything else, through the same checks as replay. true when the
 * record is closed (restored, or no longer ours to restore). */
static bool retry_kept(struct hr_ctx *c, struct hr_cg *g)
{
	struct journal_scope sc = { .base = c->base, .dry_run = false };
	enum journal_outcome o;
	const char *why = NULL;
	/* The worker may be inside a round: never wait for it here. */
	if (c->worker.inited && pthread_mutex_trylock(&c->worker.journal_mu))
		return false;
	int rc = journal_retry_slot(&c->journal, &c->root, &sc, g->kept_slot, &o, &why);
	c->journal_open = c->journal.open_entries;
	if (c->worker.inited)
		pthread_mutex_unlock(&c->worker.journal_mu);

	if (rc && o == JOURNAL_FAILED)
		return false;
	hr_log(c, o == JOURNAL_RESTORED || o == JOURNAL_ALREADY ? 5 : 4,
	       "%s: journaled limit %s on retry%s%s", g->path,
	       o == JOURNAL_RESTORED ? "restored" : o == JOURNAL_ALREADY ? "already back" :
	       o == JOURNAL_GONE ? "not restored (cgroup gone)" : "left alone (changed by someone else)",
	       why ? ": " : "", why ? why : "");
	g->kept_slot = -1;
	return true;
}

/* memory.high as it is now, trimmed: the value the v2-high round journals
 * and writes back. */
static int read_orig_high(const struct hr_cg *g, char *orig, size_t cap)
{
	long n = fd_reread(g->ctl_fd, orig, cap);

	if (n <= 0)
		return n < 0 ? (int)n : -ENODATA;
	struct hr_span sp = span_trim((struct hr_span){ orig, (size_t)n });
	span_copy(sp, orig, cap);
	return 0;
}

/* Fills job for one round of g's backend: the same job in reclaim mode
 * (run by the worker, on dup()ed fds) and in a dry run (run here, on g's
 * own fds, stopping at the first write). */
static int job_fill(struct hr_ctx *c, struct hr_cg *g, int idx, struct hr_job *job,
		    const struct reclaim_decision *d, const struct reclaim_opts *o, uint64_t usage)
{
	job->idx = idx;
	job->gen = g->gen;
	job->backend = d->backend;
	job->limit = g->limit;
	job->usage = usage;
	job->plan = d->plan;
	job->o = *o;
	job->f = (struct reclaim_files){
		.cgroup = cg_dir(c, g, job->dir), .dev = g->dev, .ino = g->ino, .usage_fd = g->usage_fd,
		.ctl_fd = g->backend == HR_BE_V1_LIMIT ? g->limit_fd : g->ctl_fd,
		.ctl_is_regular = g->regular,
	};
	job->orig_high[0] = 0;
	if (g->backend == HR_BE_V2_HIGH)
		return read_orig_high(g, job->orig_high, sizeof(job->orig_high));
	return 0;
}

enum { ACT_IDLE, ACT_AGAIN, ACT_PENDING };

static void finish(struct hr_ctx *c, struct hr_job *job);
static bool finish_round(struct hr_ctx *c, struct hr_job *job, uint64_t now);

/* Runs a job the worker did not start in time, here, as the worker would. */
static void steal(struct hr_ctx *c, struct hr_job *job)
{
	c->st.stolen++;
	job->stolen = true;
	job->start_ns = clock_mono_ns();
	uint64_t cpu0 = clock_thread_cpu_ns();
	pthread_mutex_lock(&c->worker.journal_mu);	/* the worker is between rounds */
	job->rc = worker_round(&c->journal, job);
	job->journal_open = c->journal.open_entries;
	pthread_mutex_unlock(&c->worker.journal_mu);
	job->cpu_ns = clock_thread_cpu_ns() - cpu0;
	finish(c, job);
	worker_release(c, job);
}

/* The judge's input for g at usage: the marks, the file LRUs (read only
 * when the decision depends on them), the fill rate and the budgets
 * refilled to now. Returns 0, or the -errno of the memory.stat read. */
static int sample(struct hr_ctx *c, struct hr_cg *g, const struct hr_policy *p, uint64_t usage,
		  uint64_t now, struct reclaim_judge_in *in)
{
	*in = (struct reclaim_judge_in){
		.backend = g->backend, .dry = g->dry,
		.usage_bytes = usage, .limit_bytes = g->limit, .high_bytes = g->high, .low_bytes = g->low,
		.fill_bps = g->rate_bps, .allow_active = p->reclaim_active, .chunk_bytes = p->chunk_bytes,
	};
	if (!reclaim_judge_wants_lru(g->backend, g->dry))
		return 0;
	in->budget = (struct reclaim_budget){ g->tokens_bytes, g->tokens_cpu_ns, g->tokens_ns };
	reclaim_budget_refill(&in->budget, p->max_rate_bytes, p->max_cpu_pct, now);
	g->tokens_bytes = in->budget.bytes;
	g->tokens_cpu_ns = in->budget.cpu_ns;
	g->tokens_ns = in->budget.at_ns;
	return read_file_lru(c, g, &in->inactive_file_bytes, &in->active_file_bytes);
}

/* Returns true when it is worth looking again soon: the round reclaimed
 * something, or a rate bound deferred it. Observing, or having nothing
 * reclaimable, is not (a cgroup sitting at its limit in observe mode must
 * not be polled every poll_min_ms forever).
 *
 * Observe mode and --dry-run (g->dry) take the same path as reclaim mode
 * through the judge and the backend, which stops at its first write and
 * returns it; that write is logged ("would write FILE = VALUE").
 *
 * A real round is handed to the worker thread (ACT_PENDING); finish()
 * completes it when the worker is done. */
static int act(struct hr_ctx *c, int idx, uint64_t usage, uint64_t now)
{
	struct hr_cg *g = &c->cg[idx];
	if (g->pol < 0)
		return ACT_IDLE;	/* a reload's reconfiguration is still pending */
	const struct hr_policy *p = &c->cfg.policy[g->pol];
	struct reclaim_judge_in in;
	struct reclaim_decision d;
	int rc;

	if (sample(c, g, p, usage, now, &in)) {
		c->st.races++;
		return ACT_IDLE;
	}
	(void)reclaim_judge_decide(&in, &d);	/* -EINVAL: HOLD, why says so */
	c->st.throttled += d.throttled;
	if (d.why == RECLAIM_WHY_NOT_RECLAIMABLE && now - g->last_log_ns > LOG_EVERY_NS) {
		g->last_log_ns = now;
		hr_log(c, 5, "%s: usage %llu is above the high mark %llu but only %llu bytes are "
		       "reclaimable file cache%s: not reclaiming (it would only evict cache and fail)",
		       g->path, (unsigned long long)usage, (unsigned long long)g->high,
		       (unsigned long long)(in.inactive_file_bytes + (p->reclaim_active ? in.active_file_bytes : 0)),
		       p->reclaim_active ? "" : " (inactive only: reclaim_active = no)");
	}
	bool log_due = false;
	if (d.would) {
		c->st.would_reclaim++;
		if (now - g->last_log_ns > LOG_EVERY_NS) {
			g->last_log_ns = now;
			log_due = true;
			hr_log(c, 6, "%s: would reclaim %llu bytes (usage %llu, limit %llu, high %llu, low %llu, "
			       "floor %llu) with %s%s", g->path, (unsigned long long)d.plan.want_bytes,
			       (unsigned long long)usage, (unsigned long long)g->limit,
			       (unsigned long long)g->high, (unsigned long long)g->low,
			       (unsigned long long)d.plan.floor_bytes, backend_name(g->backend),
			       c->cfg.dry_run ? " (dry run)" : " (mode observe)");
		}
	}
	if (d.verdict == RECLAIM_HOLD)
		return d.again ? ACT_AGAIN : ACT_IDLE;
	struct reclaim_opts o = {
		.chunk_bytes = d.chunk_bytes, .max_chunks = d.max_chunks, .dry_run = d.dry,
#ifdef HR_TEST_HOOKS
		.pause_ms = c->opts.debug_pause_ms, .on_pause = on_pause, .pause_arg = c,
#endif
	};
	if (d.dry) {
		struct hr_job dj;
		rc = job_fill(c, g, idx, &dj, &d, &o, usage);
		if (!rc) {
			memset(&dj.res, 0, sizeof(dj.res));
			rc = worker_round(&c->journal, &dj);	/* dry: journals nothing */
		}
		if (rc && log_due)
			hr_log(c, 4, "%s: dry run with %s failed: %s", g->path, backend_name(g->backend),
			       strerror(-rc));
		else if (log_due && dj.res.first.file[0])
			hr_log(c, 6, "%s: would write %s = %s%s", g->path, dj.res.first.file, dj.res.first.value,
			       c->cfg.dry_run ? " (dry run)" : " (mode observe)");
		return ACT_IDLE;
	}
	if (!c->worker.running) {
		/* reclaim_worker = no: the round runs here, as the worker would. */
		struct hr_job sj;
		rc = job_fill(c, g, idx, &sj, &d, &o, usage);
		if (rc) {
			c->st.errors++;
			return ACT_IDLE;
		}
		sj.trigger = c->trigger ? c->trigger : "poll";
		sj.stolen = false;
		memset(&sj.res, 0, sizeof(sj.res));
		sj.submit_ns = sj.start_ns = clock_mono_ns();
		uint64_t cpu0 = clock_thread_cpu_ns();
		sj.rc = worker_round(&c->journal, &sj);
		sj.cpu_ns = clock_thread_cpu_ns() - cpu0;
		sj.journal_open = c->journal_open = c->journal.open_entries;
		g->squeezes++;
		c->st.squeezes++;
		return finish_round(c, &sj, now) ? ACT_AGAIN : ACT_IDLE;
	}
	struct hr_job *job = worker_job(c);
	if (!job) {
		c->st.throttled++;	/* every job in flight: the next poll tries again */
		return ACT_AGAIN;
	}
	rc = job_fill(c, g, idx, job, &d, &o, usage);
	if (!rc) {
		job->f.usage_fd = fcntl(g->usage_fd, F_DUPFD_CLOEXEC, 0);
		job->f.ctl_fd = fcntl(job->f.ctl_fd, F_DUPFD_CLOEXEC, 0);
		if (job->f.usage_fd < 0 || job->f.ctl_fd < 0)
			rc = -errno;
	} else {
		job->f.usage_fd = job->f.ctl_fd = -1;
	}
	if (rc) {
		worker_release(c, job);
		c->st.errors++;
		if (rc == -ENODEV || rc == -ENOENT)
			c->st.races++;
		return ACT_IDLE;
	}
	job->submit_ns = clock_mono_ns();
	job->steal_ns = job->submit_ns + d.steal_after_ns;
	job->start_ns = 0;
	job->stolen = false;
	job->trigger = c->trigger ? c->trigger : "poll";
	g->job = job;
	g->squeezes++;
	c->st.squeezes++;
	worker_submit(c, job);
	return ACT_PENDING;
}

/* A round the worker finished, on the RT thread: charge the budgets, count,
 * log, and schedule the next look. Returns true when it is worth looking
 * again soon. */
static bool finish_round(struct hr_ctx *c, struct hr_job *job, uint64_t now)
{
	int idx = job->idx;
	struct hr_cg *g = &c->cg[idx];
	const struct reclaim_res res = job->res;
	uint64_t cpu = job->cpu_ns;
	int rc = job->rc;

	/* Logged now, stamped with when the worker began the round: the
	 * reaction is event -> first write, hand-off included. */
	hr_log(c, 7, "%s: squeeze by=%s t_ns=%llu usage=%llu target=%llu floor=%llu queued_ns=%llu%s", g->path,
	       job->trigger, (unsigned long long)job->start_ns, (unsigned long long)job->usage,
	       (unsigned long long)job->plan.target_bytes, (unsigned long long)job->plan.floor_bytes,
	       (unsigned long long)(job->start_ns - job->submit_ns),
	       job->stolen ? " (run by the RT thread: the worker had not started it)" : "");

	g->tokens_cpu_ns = sat_sub(g->tokens_cpu_ns, cpu);
	g->tokens_bytes = sat_sub(g->tokens_bytes, res.reclaimed_bytes);
	g->reclaimed_bytes += res.reclaimed_bytes;
	c->st.reclaimed_bytes += res.reclaimed_bytes;
	if (res.max_window_ns > c->st.max_window_ns)
		c->st.max_window_ns = res.max_window_ns;
	if (res.stop == -EBUSY) {
		g->ebusy++;
		c->st.ebusy++;
	} else if (res.stop == -EAGAIN) {
		c->st.eagain++;
	}
	if (res.kept_slot >= 0)
		g->kept_slot = res.kept_slot;
	if (res.lost) {
		c->st.lost_restores++;
		hr_log(c, 4, "%s: the limit changed inside our window (now %llu, we had written a lower "
		       "value, the original was %llu): someone else wrote it and wins; left as it is",
		       g->path, (unsigned long long)res.lost_to, (unsigned long long)job->limit);
		cgtable_configure(c, idx);	/* their value is the limit now */
	}
	if (rc == -ENOSPC) {
		c->st.journal_full++;
		c->st.errors++;
		if (now - g->last_log_ns > LOG_EVERY_NS) {
			g->last_log_ns = now;
			hr_log(c, 3, "%s: journal full (%u records open): not reclaiming until records close",
			       g->path, job->journal_open);
		}
	} else if (rc == -ENODEV || rc == -ENOENT) {
		c->st.races++;	/* removed under us; inotify removes the entry */
	} else if (rc) {
		c->st.errors++;
		if (now - g->last_log_ns > LOG_EVERY_NS) {
			g->last_log_ns = now;
			hr_log(c, 3, "%s: reclaim with %s failed: %s%s", g->path, backend_name(g->backend),
			       strerror(-rc), job->journal_open ? "; the journal keeps the original value" : "");
		}
	}
	if (res.first.file[0])
		hr_log(c, 7, "%s: first write %s = %s", g->path, res.first.file, res.first.value);
	/* Only the backends that lower a limit have a window; memory.reclaim
	 * lowers nothing, so v2-reclaim rounds print none. */
	char win[48] = "";
	if (g->backend == HR_BE_V1_LIMIT || g->backend == HR_BE_V2_HIGH)
		snprintf(win, sizeof(win), ", window %llu ns", (unsigned long long)res.max_window_ns);
	hr_log(c, 7, "%s: reclaimed %llu bytes in %u chunks, usage now %llu%s, cpu %llu ns%s",
	       g->path, (unsigned long long)res.reclaimed_bytes, res.chunks,
	       (unsigned long long)res.usage_after_bytes, win,
	       (unsigned long long)cpu, res.stop == -EBUSY ? " (EBUSY: stopped)" : "");
	/* Usage may not have dropped (the workload refilled as fast), yet the
	 * round worked: look again soon, the threshold will not fire while
	 * usage stays above it. */
	return res.chunks > 0 && res.stop == 0 && !rc;
}

/* The worst case the polls are sized for: a cgroup filling at the fastest
 * rate measured here, cache reads at 2.5 GB/s (doc/kernel-facts.md M.3),
 * rounded up. A polled cgroup is looked at before it could reach its limit
 * at that rate, as earlyoom's sleep_time_ms does with its assumed fill
 * rate: a new or idle cgroup (no rate estimate) gets its first look before
 * it could reach the high mark, not poll_max_ms later, and a measured rate
 * that lags a fill just starting (measured under qemu: a reader that
 * dropped its cache refilled 192 MiB in 1.3 s while the estimate asked for
 * a look 1.4 s later) cannot stretch the interval past that bound. The
 * bound's looks are limited to IDLE_POLLS_PER_S over all tracked cgroups
 * (about 1% of a core at ~10 us a look, doc/kernel-facts.md M.4), so
 * 1,000 cgroups still get a look a second each. */
#define WORST_FILL_BPS (4ull << 30)
#define IDLE_POLLS_PER_S 1000u

static void schedule(struct hr_ctx *c, struct hr_cg *g, uint64_t usage, bool again, uint64_t now)
{
	uint64_t min = (uint64_t)c->cfg.poll_min_ms * 1000000u, max = (uint64_t)c->cfg.poll_max_ms * 1000000u;
	uint64_t dt;

	if (!g->limited) {
		dt = c->inofd >= 0 ? SLOW_POLL_NS : 10 * NSEC;
	} else if (usage >= g->high) {
		dt = again ? min : max;	/* still above: keep at it within the budgets */
	} else if (g->backend == HR_BE_WMARK || (g->evfd >= 0 && g->rate_bps == 0)) {
		dt = SLOW_POLL_NS;	/* the threshold event (or the kernel) covers it */
	} else {
		uint64_t floor = (uint64_t)c->ncg * NSEC / IDLE_POLLS_PER_S;
		floor = floor < min ? min : floor > max ? max : floor;
		uint64_t room = g->rate_bps ? g->limit - usage : g->high - usage;
		double t = (double)room / (double)WORST_FILL_BPS * 1e9;
		if (t < (double)floor)
			t = (double)floor;	/* the worst-case bound, within the look budget */
		if (g->rate_bps) {
			/* Half the predicted time to reach the high mark, when
			 * sooner. A v1 cgroup that is filling is polled this way
			 * too: the kernel checks thresholds only every 128 page
			 * events, so a squeeze that took usage below the mark and
			 * a refill above it between two checks sends no event,
			 * and none comes while usage stays above (measured: dirty
			 * writes at 2.3 GB/s, bench/dirty_v1.sh, the events
			 * stopped after 0.25 s of a 5 s run). */
			double tr = (double)(g->high - usage) / (double)g->rate_bps / 2.0 * 1e9;
			if (tr < (double)min)
				tr = (double)min;
			if (tr < t)
				t = tr;
		}
		dt = t > (double)max ? max : (uint64_t)t;
	}
	g->next_poll_ns = now + dt;
	if (dt >= NSEC)
		g->next_poll_ns = (g->next_poll_ns + NSEC - 1) / NSEC * NSEC;
}

void agent_check(struct hr_ctx *c, int idx, uint64_t now)
{
	struct hr_cg *g = &c->cg[idx];
	uint64_t usage = 0;
	int rc;

	if (!g->used)
		return;
	if (g->job) {
		/* A round is in flight: its completion looks again at once. */
		g->recheck = true;
		g->recheck_by = c->trigger;
		if (now >= g->job->steal_ns && worker_steal(c, g->job)) {
			steal(c, g->job);
			return;
		}
		g->next_poll_ns = g->job->steal_ns > now ? g->job->steal_ns : UINT64_MAX;
		return;
	}
	if (g->kept_slot >= 0 && !retry_kept(c, g)) {
		g->next_poll_ns = now + NSEC;	/* our value may still be in place: retry soon */
		return;
	}
	if (!g->limited) {
		cgtable_configure(c, idx);	/* a limit may have been set since */
		if (!g->limited) {
			schedule(c, g, 0, false, now);
			return;
		}
	}
	rc = memcg_file_u64(g->usage_fd, &usage);
	if (rc == -ENODEV || rc == -ENOENT) {
		c->st.races++;	/* cgroup removed: the normal race with rmdir */
		cgtable_remove(c, idx);
		return;
	}
	if (rc) {
		c->st.errors++;
		g->next_poll_ns = now + SLOW_POLL_NS;
		return;
	}
	if (g->last_ns && now > g->last_ns) {
		uint64_t inst = usage > g->last_usage ?
			(uint64_t)((double)(usage - g->last_usage) * 1e9 / (double)(now - g->last_ns)) : 0;
		/* Smoothed on the way down, immediate on the way up: a cgroup
		 * that starts filling fast must shorten the next interval now,
		 * not after four polls (v2 has no threshold event to catch it). */
		g->rate_bps = inst > g->rate_bps ? inst : (g->rate_bps * 3 + inst) / 4;
	}
	g->last_usage = usage;
	g->last_ns = now;
	bool again = false;
	if (usage >= g->high) {
		int a = act(c, idx, usage, now);
		if (a == ACT_PENDING) {
			g->next_poll_ns = g->job->steal_ns;	/* finish() schedules; or steal then */
			return;
		}
		again = a == ACT_AGAIN;
		if (memcg_file_u64(g->usage_fd, &usage) == 0) {
			g->last_usage = usage;
			g->last_ns = clock_mono_ns();
		}
	}
	schedule(c, g, usage, again, now);
}

void agent_poll_due(struct hr_ctx *c, uint64_t now)
{
	for (uint32_t i = 0; i < c->ncg; i++) {
		struct hr_cg *g = &c->cg[i];
		if (!g->used || g->next_poll_ns > now)
			continue;
		c->st.polls++;
		c->trigger = "poll";
		/* Slow polls also pick up a changed limit or policy. */
		if (g->limited && g->next_poll_ns && now - g->last_ns >= SLOW_POLL_NS - NSEC / 10)
			cgtable_configure(c, (int)i);
		if (c->cg[i].used)
			agent_check(c, (int)i, now);
	}
}

void agent_arm_poll(struct hr_ctx *c)
{
	uint64_t next = UINT64_MAX;

	for (uint32_t i = 0; i < c->ncg; i++)
		if (c->cg[i].used && c->cg[i].next_poll_ns < next)
			next = c->cg[i].next_poll_ns;
	if (next == c->armed_poll_ns)
		return;
	c->armed_poll_ns = next;
	loop_timer_arm(&c->loop, c->poll_id, next, 0);
}

void agent_on_poll(struct loop *l, int fd, void *data, uint32_t events)
{
	struct hr_ctx *c = ctx_of_loop(l);

	(void)fd;
	(void)data;
	(void)events;
	c->armed_poll_ns = UINT64_MAX;
	agent_poll_due(c, clock_mono_ns());
	agent_arm_poll(c);
}

/* One finished round: dropped when its table entry went (removed, or
 * reused for another cgroup: gen changed) while it ran; an open journal
 * record it left stays for the next replay. */
static void finish(struct hr_ctx *c, struct hr_job *job)
{
	struct hr_cg *g = &c->cg[job->idx];
	uint64_t now = clock_mono_ns(), usage;

	c->journal_open = job->journal_open;
	if (g->job == job)
		g->job = NULL;
	if (!g->used || g->gen != job->gen) {
		c->st.reclaimed_bytes += job->res.reclaimed_bytes;
		return;
	}
	bool again = finish_round(c, job, now);
	if (g->reconfigure && g->kept_slot < 0) {
		g->reconfigure = false;
		cgtable_configure(c, job->idx);	/* the limit is ours again to read */
	}
	if (!g->used)
		return;
	if (g->recheck) {
		g->recheck = false;
		c->trigger = g->recheck_by;
		agent_check(c, job->idx, now);	/* what came meanwhile, now */
		return;
	}
	usage = job->res.usage_after_bytes;
	if (memcg_file_u64(g->usage_fd, &usage) == 0) {
		g->last_usage = usage;
		g->last_ns = now;
	}
	schedule(c, g, usage, again, now);
}

void agent_on_done(struct loop *l, int fd, void *data, uint32_t events)
{
	struct hr_ctx *c = ctx_of_loop(l);
	struct hr_job *job;

	(void)fd;
	(void)data;
	(void)events;
	/* Bounded: at most HR_JOBS are done at once. */
	for (int i = 0; i <= HR_JOBS && (job = worker_done(c)); i++) {
		finish(c, job);
		worker_release(c, job);
	}
	agent_arm_poll(c);
}

