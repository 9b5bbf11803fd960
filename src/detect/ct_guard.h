/* ct_guard.h - the conntrack guard's decision: the next nf_conntrack_max.
 *
 * Pure: no I/O, no allocation, no logging; the caller (the agent) samples
 * count/max/buckets each pass, calls ct_guard_decide() with the state it
 * keeps between passes, and executes RAISE/LOWER through act/ (journaled,
 * the original value restored on stop). Nothing here writes the host.
 *
 * Rules (doc/check-conntrack.md sizing):
 *  - RAISE when count/max >= high_pct for hold_up passes in a row: to
 *    max * (100 + step_pct) / 100, at most the ceiling.
 *  - ceiling = min(ram_share_pct % of MemTotal / bytes_per_entry,
 *    buckets * chain_max) - the table's memory and the kernel's chain-length
 *    guidance (resizing hashsize rehashes the table, so it is only
 *    suggested: want_hashsize) - and never below the original max.
 *  - LOWER with hysteresis: after hold_down passes in a row in which the
 *    count stays below low_pct % of the next lower step, to that step
 *    (max * 100 / (100 + step_pct)), never below the original. Because
 *    low_pct < high_pct, a lowered table is not raised again by the same load.
 */
#ifndef HR_DETECT_CT_GUARD_H
#define HR_DETECT_CT_GUARD_H

#include <stdbool.h>
#include <stdint.h>

struct ct_guard_cfg {
	unsigned high_pct;		/* 90 */
	unsigned low_pct;		/* 60; must be < high_pct */
	unsigned step_pct;		/* 50: +50 % per raise */
	unsigned ram_share_pct;		/* 5 % of MemTotal for the table */
	unsigned bytes_per_entry;	/* 350 (doc/check-conntrack.md) */
	unsigned chain_max;		/* 4: max <= buckets * 4 */
	unsigned hold_up, hold_down;	/* passes in a row: 3, 30 */
};

struct ct_guard_state {
	uint64_t original_max;		/* 0 = not yet seen: set at the first pass */
	unsigned above, below;		/* passes in a row */
};

struct ct_guard_input {
	uint64_t count, max, buckets;	/* HR_UNSET where unread */
	uint64_t mem_total_bytes;
};

enum ct_guard_action { CT_GUARD_HOLD, CT_GUARD_RAISE, CT_GUARD_LOWER, CT_GUARD_AT_CEILING };

struct ct_guard_decision {
	enum ct_guard_action action;
	uint64_t new_max;		/* RAISE/LOWER: the value to write; else max */
	uint64_t ceiling;
	bool ceiling_is_buckets;	/* the bucket count, not memory, bounds it */
	bool want_hashsize;		/* memory would allow more with more buckets */
	uint64_t want_buckets;		/* then: buckets for the memory ceiling */
	const char *reason;		/* static text */
};

void ct_guard_cfg_default(struct ct_guard_cfg *c);
/* Returns 0, or -EINVAL for a bad cfg (low >= high, a zero step, chain or
 * entry size); *d is then HOLD. Updates *st. */
int ct_guard_decide(const struct ct_guard_cfg *c, struct ct_guard_state *st, const struct ct_guard_input *in,
		    struct ct_guard_decision *d);

#endif
