/* deadcharge_guard.h - the dead-cgroup guard's decision: how much page
 * cache to reclaim at a parent whose deleted descendants are still charged,
 * never more than the dead charge estimate per round.
 *
 * Pure: no I/O, no allocation, no logging. The estimate comes from the
 * memcg judge (v1: total_cache - cache - sum of live children's
 * total_cache, doc/kernel-facts.md G; v2: the same from memory.stat
 * file counts plus cgroup.stat nr_dying_descendants). The agent executes
 * through act/ (v2: memory.reclaim on the parent; v1: the limit squeeze
 * it already has, journaled and restored). Nothing here writes the host.
 *
 *  - Below min_dead_bytes, or no dying descendants (v2, when known): HOLD.
 *  - amount = min(estimate, max_step_bytes, the parent's file cache), in
 *    whole pages; a round never reclaims more than the estimate, so the
 *    live children's cache is only touched by as much as the kernel's LRU
 *    order mixes it in.
 *  - v1: squeeze the parent's limit to usage - amount (restored after), but
 *    never below usage - estimate and never to 0; v2: write amount to
 *    memory.reclaim.
 */
#ifndef HR_DETECT_DEADCHARGE_GUARD_H
#define HR_DETECT_DEADCHARGE_GUARD_H

#include <stdbool.h>
#include <stdint.h>

struct deadcharge_guard_cfg {
	uint64_t min_dead_bytes;	/* 16 MiB */
	uint64_t max_step_bytes;	/* 256 MiB per round */
	uint64_t page_bytes;		/* 4096 */
	unsigned max_live_pct;		/* v2: hold while live children's cache > this % of the dead charge: 10 */
};

struct deadcharge_guard_input {
	int version;			/* 1 or 2 */
	uint64_t dead_estimate_bytes;	/* HR_UNSET if unknown */
	uint64_t dying;			/* v2 nr_dying_descendants, HR_UNSET if unknown */
	uint64_t parent_usage_bytes;	/* v1 usage_in_bytes, v2 memory.current */
	uint64_t parent_file_bytes;	/* the parent's (hierarchical) file cache */
};

enum deadcharge_guard_action { DEADCHARGE_HOLD, DEADCHARGE_RECLAIM_V2, DEADCHARGE_SQUEEZE_V1 };

struct deadcharge_guard_decision {
	enum deadcharge_guard_action action;
	uint64_t amount_bytes;		/* to reclaim this round */
	uint64_t v1_limit_bytes;	/* SQUEEZE_V1: the temporary limit */
	const char *reason;
	bool live_hold;			/* HOLD because live children would lose cache (v2) */
};

void deadcharge_guard_cfg_default(struct deadcharge_guard_cfg *c);
/* 0, or -EINVAL (page_bytes 0, version not 1 or 2: HOLD). */
int deadcharge_guard_decide(const struct deadcharge_guard_cfg *c, const struct deadcharge_guard_input *in,
			    struct deadcharge_guard_decision *d);

#endif
