/* guards.h - the agent's guards (issue 11): after each judged pass, each
 * guard's pure decision (detect/ct_guard.h, wmark_guard.h,
 * deadcharge_guard.h) over that pass's samples, executed through act/.
 *
 *   conntrack   nf_conntrack_max raised in steps while the table stays
 *               nearly full, lowered back with hysteresis, never below the
 *               original (act/knob_write.h: journaled, held while raised);
 *   watermark   vm.watermark_scale_factor (vm.min_free_kbytes before 4.6)
 *               boosted on new atomic allocation failures (kmsg_watch.c's
 *               incident count) or a starved zone, decayed back when quiet;
 *               compaction triggered, rate-bounded, on a fragmentation
 *               finding (a trigger: not journaled), and with
 *               proactiveness set vm.compaction_proactiveness raised
 *               while fragmented (journaled, given back after
 *               proactive_hold quiet passes);
 *   deadcharge  page cache of deleted cgroups reclaimed at the parent the
 *               memcg judge names (memcg.dead_charges), at most the dead
 *               estimate per round, at most one round per interval: v2
 *               memory.reclaim, v1 the limit squeeze (reclaim_v1.c,
 *               journaled as every squeeze).
 *
 * mode = observe (the default) runs the same path and stops at the first
 * write, logging "would write FILE = N"; --dry-run forces it. Every write
 * is logged once with old -> new and the reason; an observe guard logs a
 * "would" line only when what it would do changes. Knobs held at stop are
 * given back by guards_stop() (journal_restore_slot: only if still ours);
 * after kill -9 the next start's journal_replay does it.
 *
 * Runs on the loop thread (daemon/judge_pass.c calls guards_after_pass
 * when a pass becomes current): knob writes take microseconds; a
 * dead-charge round is bounded by max_step and runs only when the judge
 * reports dead charges. The journal is shared with the reclaim worker:
 * taken with trylock, and a guard whose journal is busy waits a pass.
 * Allocates only in guards_init (before ready).
 */
#ifndef HR_DAEMON_GUARDS_H
#define HR_DAEMON_GUARDS_H

#include <stdbool.h>

#include "daemon/ctx.h"
#include "report/prom.h"

int guards_init(struct hr_ctx *c);
/* One round of every guard over the current pass (c->node). */
void guards_after_pass(struct hr_ctx *c);
/* Whether the next pass should read the ctnetlink breakdown: the last one
 * saw the conntrack table at the guard's high mark, so an action and its
 * "who fills it" line may follow. The dump allocates (libnetfilter_conntrack,
 * per entry), so only such passes make it. Loop thread. */
bool guards_want_ct_dump(const struct hr_ctx *c);
/* Gives back every knob still held (logged); call before the journal
 * closes. */
void guards_stop(struct hr_ctx *c);
void guards_fini(struct hr_ctx *c);
/* The guards' state for the exposition; NULL before init. */
const struct prom_guards *guards_prom(struct hr_ctx *c);

#endif
