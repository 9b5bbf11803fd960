/* agent.c - per-cgroup decision: read usage, compare with the marks, plan,
 * reclaim within the rate bounds, schedule the next look (the poll timer).
 * See ctx.h. */
#define _GNU_SOURCE
#include "daemon/ctx.h"

#include <errno.h>
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

static void refill(struct hr_cg *g, const struct hr_policy *p, uint64_t now)
{
	uint64_t dt = now > g->tokens_ns ? now - g->tokens_ns : 0;
	uint64_t cap_b = p->max_rate_bytes, cap_c = (uint64_t)p->max_cpu_pct * (NSEC / 100);

	/* Token buckets with one second of burst. */
	g->tokens_bytes = sat_add(g->tokens_bytes, (uint64_t)((double)p->max_rate_bytes * (double)dt / 1e9));
	if (g->tokens_bytes > cap_b)
		g->tokens_bytes = cap_b;
	g->tokens_cpu_ns = sat_add(g->tokens_cpu_ns, dt * p->max_cpu_pct / 100);
	if (g->tokens_cpu_ns > cap_c)
		g->tokens_cpu_ns = cap_c;
	g->tokens_ns = now;
}

#ifdef HR_TEST_HOOKS
static void on_pause(void *arg)
{
	struct hr_ctx *c = arg;

	hr_log(c, 5, "debug: pausing %u ms inside the lowered-limit window (HEADROOM_DEBUG_SQUEEZE_PAUSE_MS)",
	       c->opts.debug_pause_ms);
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
	int rc = journal_retry_slot(&c->journal, &c->root, &sc, g->kept_slot, &o, &why);

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

/* One round of g's backend: the same call in reclaim mode and in a dry
 * run (o->dry_run), which stops at the first write. */
static int backend_round(struct hr_ctx *c, struct hr_cg *g, const struct reclaim_files *f,
			 const struct reclaim_plan *plan, const struct reclaim_opts *o,
			 struct reclaim_res *res)
{
	int rc;

	switch (g->backend) {
	case HR_BE_V1_LIMIT:
		rc = reclaim_v1_squeeze(&c->journal, f, g->limit, plan, o, res);
		break;
	case HR_BE_V2_RECLAIM:
		rc = reclaim_v2_reclaim(f, plan, o, res);
		break;
	case HR_BE_V2_HIGH: {
		char orig[32];
		long n = fd_reread(g->ctl_fd, orig, sizeof(orig));
		if (n <= 0) {
			rc = n < 0 ? (int)n : -ENODATA;
			break;
		}
		struct hr_span s = span_trim((struct hr_span){ orig, (size_t)n });
		span_copy(s, orig, sizeof(orig));
		rc = reclaim_v2_high(&c->journal, f, orig, plan, o, res);
		break;
	}
	default:
		return -EINVAL;
	}
	return rc;
}

/* Returns true when it is worth looking again soon: the round reclaimed
 * something, or a rate bound deferred it. Observing, or having nothing
 * reclaimable, is not (a cgroup sitting at its limit in observe mode must
 * not be polled every poll_min_ms forever).
 *
 * Observe mode and --dry-run (g->dry) take the same path as reclaim mode
 * through the plan and the backend, which stops at its first write and
 * returns it; that write is logged ("would write FILE = VALUE"). */
static bool act(struct hr_ctx *c, int idx, uint64_t usage, uint64_t now)
{
	struct hr_cg *g = &c->cg[idx];
	const struct hr_policy *p = &c->cfg.policy[g->pol];
	struct reclaim_in in = { 0 };
	struct reclaim_plan plan;
	struct reclaim_res res = { 0 };
	bool observe = g->backend == HR_BE_OBSERVE || g->dry;
	int rc;

	if (g->backend == HR_BE_NONE)
		return false;
	if (g->backend == HR_BE_WMARK && !observe)
		return false;	/* the kernel's watermarks do it */
	refill(g, p, now);
	in.usage_bytes = usage;
	in.limit_bytes = g->limit;
	in.high_bytes = g->high;
	in.low_bytes = g->low;
	in.allow_active = p->reclaim_active;
	/* A dry run spends no tokens, so its budget is what a reclaiming
	 * agent's first round has: the same plan. */
	in.budget_bytes = g->backend == HR_BE_OBSERVE ? UINT64_MAX : g->tokens_bytes;
	/* Cache refilled during the round must not push the floor below what
	 * the kernel can take: keep one chunk above it (bounded by 1% of the
	 * limit for small cgroups). */
	in.margin_bytes = g->limit / 100 < p->chunk_bytes ? g->limit / 100 : p->chunk_bytes;
	if (read_file_lru(c, g, &in.inactive_file_bytes, &in.active_file_bytes)) {
		c->st.races++;
		return false;
	}
	rc = reclaim_plan(&in, &plan);
	if (rc == 1 && plan.limited_by_budget && !observe)
		c->st.throttled++;
	if (rc <= 0) {
		if (rc == 0 && now - g->last_log_ns > LOG_EVERY_NS) {
			g->last_log_ns = now;
			hr_log(c, 5, "%s: usage %llu is above the high mark %llu but only %llu bytes are "
			       "reclaimable file cache%s: not reclaiming (it would only evict cache and fail)",
			       g->path, (unsigned long long)usage, (unsigned long long)g->high,
			       (unsigned long long)(in.inactive_file_bytes + (p->reclaim_active ? in.active_file_bytes : 0)),
			       p->reclaim_active ? "" : " (inactive only: reclaim_active = no)");
		}
		if (!observe && g->tokens_bytes < (1u << 20)) {
			c->st.throttled++;
			return true;
		}
		return false;
	}
	bool log_due = false;
	if (observe) {
		c->st.would_reclaim++;
		if (now - g->last_log_ns > LOG_EVERY_NS) {
			g->last_log_ns = now;
			log_due = true;
			hr_log(c, 6, "%s: would reclaim %llu bytes (usage %llu, limit %llu, high %llu, low %llu, "
			       "floor %llu) with %s%s", g->path, (unsigned long long)plan.want_bytes,
			       (unsigned long long)usage, (unsigned long long)g->limit,
			       (unsigned long long)g->high, (unsigned long long)g->low,
			       (unsigned long long)plan.floor_bytes,
			       backend_name(g->backend == HR_BE_OBSERVE ? HR_BE_OBSERVE : g->backend),
			       c->cfg.dry_run ? " (dry run)" : " (mode observe)");
		}
		if (g->backend == HR_BE_OBSERVE || g->backend == HR_BE_WMARK)
			return false;	/* no backend to run (wmark: configured at setup) */
	}
	if (!observe && g->tokens_cpu_ns == 0) {
		c->st.throttled++;
		return true;
	}
	char dir[HR_CG_REL_MAX];
	struct reclaim_files f = {
		.cgroup = cg_dir(c, g, dir), .dev = g->dev, .ino = g->ino, .usage_fd = g->usage_fd,
		.ctl_fd = g->backend == HR_BE_V1_LIMIT ? g->limit_fd : g->ctl_fd,
		.ctl_is_regular = g->regular,
	};
	struct reclaim_opts o = {
		.chunk_bytes = p->chunk_bytes, .max_chunks = 64, .dry_run = observe,
#ifdef HR_TEST_HOOKS
		.pause_ms = c->opts.debug_pause_ms, .on_pause = on_pause, .pause_arg = c,
#endif
	};
	if (observe) {
		rc = backend_round(c, g, &f, &plan, &o, &res);
		if (rc && log_due)
			hr_log(c, 4, "%s: dry run with %s failed: %s", g->path, backend_name(g->backend),
			       strerror(-rc));
		else if (log_due && res.first.file[0])
			hr_log(c, 6, "%s: would write %s = %s%s", g->path, res.first.file, res.first.value,
			       c->cfg.dry_run ? " (dry run)" : " (mode observe)");
		return false;
	}
	hr_log(c, 7, "%s: squeeze by=%s t_ns=%llu usage=%llu target=%llu floor=%llu", g->path,
	       c->trigger ? c->trigger : "poll", (unsigned long long)clock_mono_ns(), (unsigned long long)usage,
	       (unsigned long long)plan.target_bytes, (unsigned long long)plan.floor_bytes);
	uint64_t cpu0 = clock_thread_cpu_ns();
	rc = backend_round(c, g, &f, &plan, &o, &res);
	uint64_t cpu = clock_thread_cpu_ns() - cpu0;
	g->tokens_cpu_ns = sat_sub(g->tokens_cpu_ns, cpu);
	g->tokens_bytes = sat_sub(g->tokens_bytes, res.reclaimed_bytes);
	g->squeezes++;
	g->reclaimed_bytes += res.reclaimed_bytes;
	c->st.squeezes++;
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
		       g->path, (unsigned long long)res.lost_to, (unsigned long long)g->limit);
		cgtable_configure(c, idx);	/* their value is the limit now */
	}
	if (rc == -ENOSPC) {
		c->st.journal_full++;
		c->st.errors++;
		if (now - g->last_log_ns > LOG_EVERY_NS) {
			g->last_log_ns = now;
			hr_log(c, 3, "%s: journal full (%u records open): not reclaiming until records close",
			       g->path, c->journal.open_entries);
		}
	} else if (rc == -ENODEV || rc == -ENOENT) {
		c->st.races++;	/* removed under us; inotify removes the entry */
	} else if (rc) {
		c->st.errors++;
		if (now - g->last_log_ns > LOG_EVERY_NS) {
			g->last_log_ns = now;
			hr_log(c, 3, "%s: reclaim with %s failed: %s%s", g->path, backend_name(g->backend),
			       strerror(-rc), c->journal.open_entries ? "; the journal keeps the original value" : "");
		}
	}
	if (res.first.file[0])
		hr_log(c, 7, "%s: first write %s = %s", g->path, res.first.file, res.first.value);
	hr_log(c, 7, "%s: reclaimed %llu bytes in %u chunks, usage now %llu, window %llu ns, cpu %llu ns%s",
	       g->path, (unsigned long long)res.reclaimed_bytes, res.chunks,
	       (unsigned long long)res.usage_after_bytes, (unsigned long long)res.max_window_ns,
	       (unsigned long long)cpu, res.stop == -EBUSY ? " (EBUSY: stopped)" : "");
	/* Usage may not have dropped (the workload refilled as fast), yet the
	 * round worked: look again soon, the threshold will not fire while
	 * usage stays above it. */
	return res.chunks > 0 && res.stop == 0 && !rc;
}

static void schedule(struct hr_ctx *c, struct hr_cg *g, uint64_t usage, bool again, uint64_t now)
{
	uint64_t min = (uint64_t)c->cfg.poll_min_ms * 1000000u, max = (uint64_t)c->cfg.poll_max_ms * 1000000u;
	uint64_t dt;

	if (!g->limited) {
		dt = c->inofd >= 0 ? SLOW_POLL_NS : 10 * NSEC;
	} else if (usage >= g->high) {
		dt = again ? min : max;	/* still above: keep at it within the budgets */
	} else if (g->evfd >= 0 || g->backend == HR_BE_WMARK) {
		dt = SLOW_POLL_NS;	/* the threshold event (or the kernel) covers it */
	} else if (g->rate_bps == 0) {
		dt = max;
	} else {
		/* Half the predicted time to reach the high mark. */
		double t = (double)(g->high - usage) / (double)g->rate_bps / 2.0 * 1e9;
		dt = t < (double)min ? min : t > (double)max ? max : (uint64_t)t;
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
		again = act(c, idx, usage, now);
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

