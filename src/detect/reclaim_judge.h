/* reclaim_judge.h - the memcg reclaim guard's decision: for one limited
 * cgroup at or above its high mark, HOLD or RECLAIM (amount, target,
 * floor, backend, reason), within its byte and CPU budgets.
 *
 * Pure: no I/O, no allocation, no logging, a few dozen instructions (the
 * agent calls it on its reaction path, between reading memory.current and
 * handing the round to act/). The agent samples (memory.current, the file
 * LRUs of memory.stat), keeps the budgets between calls, and executes a
 * RECLAIM decision through act/reclaim_run() - the dry run (mode observe,
 * --dry-run) is the same call stopping at its first write. Nothing here
 * writes the host.
 *
 * The plan (reclaim_plan): target = max(low mark, floor), floor = usage -
 * reclaimable file cache + margin, in whole pages; the round's bytes are
 * cut to the byte budget. On cgroup v1 a limit below the floor fails with
 * EBUSY only after the kernel evicted every reclaimable page
 * (MEASURED-V1.md: "A target below what is reclaimable returns EBUSY ...
 * but the cache has been evicted anyway"), hence the floor.
 *
 * The decision, in order:
 *  - backend none: HOLD; kernel watermarks (wmark) and not dry: HOLD, the
 *    kernel reclaims by itself.
 *  - no plan (below the high mark, or nothing reclaimable above the
 *    floor): HOLD; again (and throttled) when the byte budget is under
 *    1 MiB, since the budget, not the cache, may be what is missing.
 *  - dry: the round would run; backend observe or wmark has no backend
 *    call to make (HOLD, would), others run it dry (RECLAIM, dry).
 *  - CPU budget spent: HOLD, again, throttled.
 *  - RECLAIM: the plan, the backend, chunk bytes per write, at most
 *    RECLAIM_MAX_CHUNKS writes, and how long it may wait for the worker.
 */
#ifndef HR_DETECT_RECLAIM_JUDGE_H
#define HR_DETECT_RECLAIM_JUDGE_H

#include <stdbool.h>
#include <stdint.h>

/* How a cgroup is reclaimed: chosen once per configuration
 * (reclaim_judge_backend), executed per round by act/. */
enum reclaim_backend {
	RECLAIM_BE_NONE,	/* not limited, or no policy matches */
	RECLAIM_BE_OBSERVE,	/* policy says observe, or no backend works */
	RECLAIM_BE_V1_LIMIT,	/* v1 memory.limit_in_bytes lowered per chunk */
	RECLAIM_BE_V2_RECLAIM,	/* v2 memory.reclaim (5.19+) */
	RECLAIM_BE_V2_HIGH,	/* v2 memory.high lowered per step */
	RECLAIM_BE_WMARK,	/* memory.wmark_ratio: the kernel reclaims */
};

/* What a policy asks for (config's backend = ...). */
enum reclaim_backend_pref {
	RECLAIM_PREF_AUTO, RECLAIM_PREF_V1_LIMIT, RECLAIM_PREF_V2_RECLAIM, RECLAIM_PREF_V2_HIGH,
	RECLAIM_PREF_WMARK, RECLAIM_PREF_OBSERVE,
};

/* What the agent found about one limited cgroup's files. */
struct reclaim_backend_in {
	enum reclaim_backend_pref pref;
	bool v2;
	bool has_wmark_ratio, has_reclaim, has_high;	/* the files exist */
	bool limit_rw;		/* v1: memory.limit_in_bytes opened for writing */
	int limit_err;		/* why not (-errno), 0 when it is */
};

/* The backend for a limited cgroup; *why (static text) says why, for the
 * log and the man page's table. Mode observe gets the backend mode reclaim
 * would use: it runs the same code and stops at the write. */
enum reclaim_backend reclaim_judge_backend(const struct reclaim_backend_in *in, const char **why);

struct reclaim_in {
	uint64_t usage_bytes;		/* memory.usage_in_bytes / memory.current */
	uint64_t limit_bytes;		/* memory.limit_in_bytes / memory.max */
	uint64_t high_bytes;		/* act at or above this usage */
	uint64_t low_bytes;		/* reclaim down to this usage */
	uint64_t inactive_file_bytes;	/* total_inactive_file (v1) / inactive_file (v2) */
	uint64_t active_file_bytes;	/* total_active_file / active_file */
	bool allow_active;		/* count active file pages as reclaimable */
	uint64_t budget_bytes;		/* most this round may reclaim (rate bound) */
	uint64_t margin_bytes;		/* kept above the floor: cache refilled while we work */
};

struct reclaim_plan {
	uint64_t target_bytes;	/* reclaim until usage <= this */
	uint64_t floor_bytes;	/* never write a limit below this */
	uint64_t want_bytes;	/* usage - target */
	uint64_t budget_bytes;	/* the round stops once its writes took this much */
	bool limited_by_floor;	/* low mark unreachable: too little is reclaimable */
	bool limited_by_budget;	/* rate bound cut this round short */
};

/* Returns 1 and fills *p when there is something to reclaim, 0 when usage is
 * below the high mark or nothing reclaimable is left above the floor,
 * -EINVAL when the inputs contradict each other (low > high, high > limit).
 * *p is untouched unless 1. */
int reclaim_plan(const struct reclaim_in *in, struct reclaim_plan *p);

/* Token buckets with one second of burst: bytes reclaimed and CPU spent
 * (the reclaiming thread's), refilled by rate x elapsed time. */
struct reclaim_budget {
	uint64_t bytes;
	uint64_t cpu_ns;
	uint64_t at_ns;		/* CLOCK_MONOTONIC of the last refill */
};

/* Refills *b to now_ns at max_rate_bytes per second and max_cpu_pct of one
 * CPU, capped at one second's worth. */
void reclaim_budget_refill(struct reclaim_budget *b, uint64_t max_rate_bytes, uint32_t max_cpu_pct,
			   uint64_t now_ns);

#define RECLAIM_MAX_CHUNKS 64	/* writes per round at most */

struct reclaim_judge_in {
	enum reclaim_backend backend;
	bool dry;			/* mode observe or --dry-run: run up to the first write */
	uint64_t usage_bytes, limit_bytes, high_bytes, low_bytes;
	uint64_t inactive_file_bytes, active_file_bytes;	/* sampled when reclaim_judge_wants_lru() */
	uint64_t fill_bps;		/* usage growth, smoothed on the way down; 0 unknown */
	bool allow_active;		/* policy reclaim_active */
	uint64_t chunk_bytes;		/* policy chunk */
	struct reclaim_budget budget;	/* refilled to now */
};

enum reclaim_verdict { RECLAIM_HOLD, RECLAIM_RECLAIM };

enum reclaim_why {
	RECLAIM_WHY_PLANNED,		/* RECLAIM, or a dry run's would-reclaim */
	RECLAIM_WHY_NO_BACKEND,
	RECLAIM_WHY_KERNEL_WMARK,
	RECLAIM_WHY_NOT_RECLAIMABLE,	/* below high, or nothing above the floor */
	RECLAIM_WHY_BAD_INPUT,		/* low > high or high > limit */
	RECLAIM_WHY_CPU_SPENT,
};

struct reclaim_decision {
	enum reclaim_verdict verdict;
	enum reclaim_why why;
	const char *reason;		/* static text */
	enum reclaim_backend backend;	/* what act/ runs (RECLAIM) */
	bool dry;			/* RECLAIM: stop at the first write */
	bool would;			/* dry, and a round would reclaim (plan set) */
	bool again;			/* worth looking again soon: a budget deferred it */
	unsigned throttled;		/* rate bounds that cut or deferred it (0..2) */
	struct reclaim_plan plan;	/* RECLAIM and would: amount = want_bytes, target_bytes */
	uint64_t chunk_bytes;		/* per write */
	unsigned max_chunks;		/* writes per round at most */
	uint64_t steal_after_ns;	/* RECLAIM: longest a round waits for the worker */
};

/* False when the decision does not depend on the file LRUs (the caller may
 * skip reading memory.stat): backend none, or wmark and not dry. */
bool reclaim_judge_wants_lru(enum reclaim_backend backend, bool dry);

/* Fills *d (always). 0, or -EINVAL when the inputs contradict each other
 * (then HOLD, why BAD_INPUT). */
int reclaim_judge_decide(const struct reclaim_judge_in *in, struct reclaim_decision *d);

#endif
