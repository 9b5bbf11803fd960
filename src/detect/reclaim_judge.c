/* reclaim_judge.c - the memcg reclaim decision (see reclaim_judge.h). */
#include "detect/reclaim_judge.h"

#include <errno.h>
#include <string.h>

#include "util/page.h"
#include "util/parse.h"

#define NSEC 1000000000ull

enum reclaim_backend reclaim_judge_backend(const struct reclaim_backend_in *in, const char **why)
{
	enum reclaim_backend_pref p = in->pref;

	if (p == RECLAIM_PREF_OBSERVE) {
		*why = "policy backend is observe";
		return RECLAIM_BE_OBSERVE;
	}
	if (p == RECLAIM_PREF_AUTO || p == RECLAIM_PREF_WMARK) {
		if (in->has_wmark_ratio) {
			*why = "kernel watermarks (memory.wmark_ratio) present: configured, kernel reclaims";
			return RECLAIM_BE_WMARK;
		}
		if (p == RECLAIM_PREF_WMARK) {
			*why = "backend wmark asked but memory.wmark_ratio is absent: observing";
			return RECLAIM_BE_OBSERVE;
		}
	}
	if (!in->v2) {
		if (p != RECLAIM_PREF_AUTO && p != RECLAIM_PREF_V1_LIMIT) {
			*why = "asked backend needs cgroup v2: observing";
			return RECLAIM_BE_OBSERVE;
		}
		if (!in->limit_rw) {
			*why = in->limit_err == -EACCES || in->limit_err == -EPERM ?
				"memory.limit_in_bytes is not writable (Permission denied; run as root): observing" :
				"memory.limit_in_bytes cannot be opened for writing: observing";
			return RECLAIM_BE_OBSERVE;
		}
		*why = "cgroup v1: memory.limit_in_bytes lowered per chunk and restored at once";
		return RECLAIM_BE_V1_LIMIT;
	}
	if ((p == RECLAIM_PREF_AUTO || p == RECLAIM_PREF_V2_RECLAIM) && in->has_reclaim) {
		*why = "cgroup v2 memory.reclaim (5.19+)";
		return RECLAIM_BE_V2_RECLAIM;
	}
	if ((p == RECLAIM_PREF_AUTO || p == RECLAIM_PREF_V2_HIGH) && in->has_high) {
		*why = "cgroup v2 without memory.reclaim: memory.high lowered for one write, journaled";
		return RECLAIM_BE_V2_HIGH;
	}
	*why = "no usable reclaim interface: observing";
	return RECLAIM_BE_OBSERVE;
}

static uint64_t known(uint64_t v)
{
	return v == HR_UNSET ? 0 : v;
}

int reclaim_plan(const struct reclaim_in *in, struct reclaim_plan *p)
{
	const uint64_t page = page_size();
	struct reclaim_plan r = { 0 };
	uint64_t reclaimable, target;

	if (in->low_bytes > in->high_bytes || in->high_bytes > in->limit_bytes ||
	    in->usage_bytes == HR_UNSET)
		return -EINVAL;
	if (in->usage_bytes < in->high_bytes)
		return 0;
	reclaimable = known(in->inactive_file_bytes);
	if (in->allow_active)
		reclaimable = sat_add(reclaimable, known(in->active_file_bytes));
	/* usage counts more than the LRUs (kernel memory, sockets), so the
	 * floor keeps everything that is not file cache. */
	r.floor_bytes = sat_add(sat_sub(in->usage_bytes, reclaimable), in->margin_bytes);
	r.floor_bytes = (r.floor_bytes + page - 1) / page * page;
	target = in->low_bytes;
	if (target < r.floor_bytes) {
		target = r.floor_bytes;
		r.limited_by_floor = true;
	}
	if (target >= in->usage_bytes)
		return 0;
	if (in->usage_bytes - target > in->budget_bytes) {
		target = in->usage_bytes - in->budget_bytes;
		r.limited_by_budget = true;
	}
	target = (target + page - 1) / page * page;
	if (target >= in->usage_bytes)
		return 0;
	r.target_bytes = target;
	r.want_bytes = in->usage_bytes - target;
	r.budget_bytes = in->budget_bytes;
	*p = r;
	return 1;
}

void reclaim_budget_refill(struct reclaim_budget *b, uint64_t max_rate_bytes, uint32_t max_cpu_pct,
			   uint64_t now_ns)
{
	uint64_t dt = now_ns > b->at_ns ? now_ns - b->at_ns : 0;
	uint64_t cap_c = (uint64_t)max_cpu_pct * (NSEC / 100);

	b->bytes = sat_add(b->bytes, (uint64_t)((double)max_rate_bytes * (double)dt / 1e9));
	if (b->bytes > max_rate_bytes)
		b->bytes = max_rate_bytes;
	b->cpu_ns = sat_add(b->cpu_ns, dt * max_cpu_pct / 100);
	if (b->cpu_ns > cap_c)
		b->cpu_ns = cap_c;
	b->at_ns = now_ns;
}

/* Longest a round waits for the worker before the RT thread runs it itself:
 * half the predicted time from usage to the limit at the current fill
 * rate, within [STEAL_MIN_NS, STEAL_MAX_NS]. With a CPU to spare the
 * worker starts within microseconds; when the application keeps every CPU
 * busy the worker may wait for a time slice, and a limit hit costs the
 * application more than the reclaim work does. */
#define STEAL_MIN_NS 200000ull
#define STEAL_MAX_NS 50000000ull

static uint64_t steal_after(const struct reclaim_judge_in *in)
{
	if (in->fill_bps == 0 || in->usage_bytes >= in->limit_bytes)
		return in->fill_bps ? STEAL_MIN_NS : 1000000ull;
	double t = (double)(in->limit_bytes - in->usage_bytes) / (double)in->fill_bps / 2.0 * 1e9;
	return t < (double)STEAL_MIN_NS ? STEAL_MIN_NS : t > (double)STEAL_MAX_NS ? STEAL_MAX_NS : (uint64_t)t;
}

bool reclaim_judge_wants_lru(enum reclaim_backend backend, bool dry)
{
	return backend != RECLAIM_BE_NONE && (backend != RECLAIM_BE_WMARK || dry);
}

int reclaim_judge_decide(const struct reclaim_judge_in *in, struct reclaim_decision *d)
{
	/* The dry run of a backend observe spends nothing, so its budget is
	 * unbounded; a dry run of a real backend spends no tokens either, so
	 * its budget stays what a reclaiming agent's first round has: the same
	 * plan. */
	bool dry = in->backend == RECLAIM_BE_OBSERVE || in->dry;
	struct reclaim_in pin = {
		.usage_bytes = in->usage_bytes, .limit_bytes = in->limit_bytes,
		.high_bytes = in->high_bytes, .low_bytes = in->low_bytes,
		.inactive_file_bytes = in->inactive_file_bytes, .active_file_bytes = in->active_file_bytes,
		.allow_active = in->allow_active,
		.budget_bytes = in->backend == RECLAIM_BE_OBSERVE ? UINT64_MAX : in->budget.bytes,
		/* Cache refilled during the round must not push the floor below
		 * what the kernel can take: keep one chunk above it (bounded by
		 * 1% of the limit for small cgroups). */
		.margin_bytes = in->limit_bytes / 100 < in->chunk_bytes ? in->limit_bytes / 100 : in->chunk_bytes,
	};

	memset(d, 0, sizeof(*d));
	d->verdict = RECLAIM_HOLD;
	d->backend = in->backend;
	d->dry = dry;
	if (!reclaim_judge_wants_lru(in->backend, dry)) {
		d->why = in->backend == RECLAIM_BE_NONE ? RECLAIM_WHY_NO_BACKEND : RECLAIM_WHY_KERNEL_WMARK;
		d->reason = in->backend == RECLAIM_BE_NONE ? "no backend" :
			"kernel watermarks reclaim by themselves";
		return 0;
	}
	int rc = reclaim_plan(&pin, &d->plan);
	if (rc == 1 && d->plan.limited_by_budget && !dry)
		d->throttled++;
	if (rc <= 0) {
		d->why = rc ? RECLAIM_WHY_BAD_INPUT : RECLAIM_WHY_NOT_RECLAIMABLE;
		d->reason = rc ? "low > high or high > limit" :
			"below the high mark, or nothing reclaimable above the floor";
		if (!dry && in->budget.bytes < (1u << 20)) {
			/* The byte budget, not the cache, may be what is short. */
			d->throttled++;
			d->again = true;
		}
		return rc < 0 ? rc : 0;
	}
	d->why = RECLAIM_WHY_PLANNED;
	if (dry) {
		d->would = true;
		if (in->backend == RECLAIM_BE_OBSERVE || in->backend == RECLAIM_BE_WMARK) {
			d->reason = "would reclaim: no backend call to run";
			return 0;
		}
	} else if (in->budget.cpu_ns == 0) {
		d->why = RECLAIM_WHY_CPU_SPENT;
		d->reason = "CPU budget spent";
		d->throttled++;
		d->again = true;
		return 0;
	}
	d->verdict = RECLAIM_RECLAIM;
	d->reason = dry ? "would reclaim: run to the first write" : "reclaim";
	d->chunk_bytes = in->chunk_bytes;
	d->max_chunks = RECLAIM_MAX_CHUNKS;
	d->steal_after_ns = steal_after(in);
	return 0;
}
