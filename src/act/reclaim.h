/* reclaim.h - the backends that execute a reclaim decision.
 *
 * How much to reclaim, down to which target, above which floor, and with
 * which backend is the reclaim judge's decision (detect/reclaim_judge.h:
 * struct reclaim_decision, its struct reclaim_plan); reclaim_run() executes
 * it with the backend it names. A new guard is the same pair: a judge in
 * detect/ and an action here, journaled first.
 *
 * The backends write the host. They bound their work by the plan's byte
 * budget and chunk size, stop at the first EBUSY/EAGAIN, never log, and
 * return 0 or -errno with the outcome in *res.
 */
#ifndef HR_ACT_RECLAIM_H
#define HR_ACT_RECLAIM_H

#include <stdbool.h>
#include <stdint.h>

#include "act/journal.h"
#include "detect/reclaim_judge.h"

/* One write to a cgroup file: the first a round made, or in a dry run the
 * one it stopped at (file name below the cgroup directory, the text). */
struct reclaim_write {
	char file[JOURNAL_FILE_MAX];
	char value[32];
};

struct reclaim_res {
	/* What our writes took out, counted per write as usage before it minus
	 * the limit it installed (v1) or the amount asked of memory.reclaim
	 * (v2): a lower bound that the workload refilling the cgroup, or its own
	 * reclaim at the limit, cannot inflate. Rate bounds are charged this. */
	uint64_t reclaimed_bytes;
	uint64_t usage_after_bytes;
	unsigned chunks;		/* limit writes (v1) or memory.reclaim writes (v2) */
	uint64_t window_ns;		/* v1: total time a lowered limit was in place */
	uint64_t max_window_ns;		/* v1: longest single lowered window */
	int stop;			/* 0, -EBUSY, -EAGAIN, ... what ended the round */
	/* Compare-and-swap restore lost: the limit held neither our value nor
	 * the original, so someone else wrote it inside the window and their
	 * value was left in place (lost_to). */
	bool lost;
	uint64_t lost_to;
	int kept_slot;			/* journal slot still open (restore failed), or -1 */
	struct reclaim_write first;	/* file[0] == 0: no write was due */
};

/* Files of one cgroup a backend works on (fds owned by the caller). */
struct reclaim_files {
	const char *cgroup;	/* root-relative directory, for the journal */
	uint64_t dev, ino;	/* its identity (fstat of the directory), for the journal */
	int usage_fd;		/* memory.usage_in_bytes / memory.current, O_RDONLY */
	int ctl_fd;		/* v1: memory.limit_in_bytes O_RDWR; v2: memory.reclaim or memory.high */
	bool ctl_is_regular;	/* fixture tree: truncate after writing */
};

/* Options shared by the backends. */
struct reclaim_opts {
	uint64_t chunk_bytes;	/* per write; 32-64 MiB keeps each lowered window ~1 ms */
	unsigned max_chunks;	/* bound per round */
	/* Run the round up to its first write, which goes into res->first
	 * instead of the file; journal nothing, write nothing. The value is
	 * the one the same call without dry_run writes first. */
	bool dry_run;
	unsigned pause_ms;	/* debug: sleep inside the first lowered window (tests only) */
	void (*on_pause)(void *arg);	/* told just before that sleep */
	void *pause_arg;
};

/* cgroup v1: lowers memory.limit_in_bytes to max(floor, usage - chunk) so the
 * kernel reclaims synchronously in this thread, and writes the original limit
 * back at once after each chunk, so the workload sees the lowered limit only
 * between the two writes. The original limit is journaled (one record for the
 * round) before the first lowering and cleared after the last restore.
 *
 * The restore is compare-and-swap: the original goes back only if the limit
 * still holds the value this round wrote. Holding the original already (the
 * lowering failed with EBUSY) needs no write; any other value was written by
 * someone else inside the window (an administrator, another tool) and wins:
 * res->lost, res->lost_to, the record is closed and the round ends. A
 * cgroup removed under us (ENODEV/ENOENT) closes the record too. Only a
 * failed restore write keeps it open (res->kept_slot). */
int reclaim_v1_squeeze(struct hr_journal *j, const struct reclaim_files *f,
		       uint64_t orig_limit, const struct reclaim_plan *p,
		       const struct reclaim_opts *o, struct reclaim_res *res);

/* cgroup v2 with memory.reclaim (5.19+): writes chunk sizes to memory.reclaim
 * until usage <= target. Nothing is lowered, so nothing is journaled. */
int reclaim_v2_reclaim(const struct reclaim_files *f, const struct reclaim_plan *p,
		       const struct reclaim_opts *o, struct reclaim_res *res);

/* cgroup v2 without memory.reclaim (4.5-5.18): lowers memory.high towards
 * the target in steps of at most a quarter chunk (memory_high_write
 * reclaims the excess in the writer: mm/memcontrol.c in 4.19 and 6.1; the
 * earliest v2 kernels only set it; one large ask overshoots the target),
 * reading usage between steps, and restores the journaled original after
 * each step, compare-and-swap as the v1 squeeze (res->lost when someone
 * else's value is there). res->reclaimed_bytes is the net drop of usage
 * over the steps; window_ns/max_window_ns the time memory.high was
 * lowered. ctl_fd is memory.high. */
int reclaim_v2_high(struct hr_journal *j, const struct reclaim_files *f,
		    const char *orig_high, const struct reclaim_plan *p,
		    const struct reclaim_opts *o, struct reclaim_res *res);

/* Executes one round of a RECLAIM decision with backend be: v1-limit
 * (orig_limit: the limit as configured), v2-reclaim, v2-high (orig_high:
 * memory.high as read, trimmed). o->dry_run as the backends say. Any other
 * backend has nothing to run: -EINVAL. */
int reclaim_run(struct hr_journal *j, enum reclaim_backend be, const struct reclaim_files *f,
		uint64_t orig_limit, const char *orig_high, const struct reclaim_plan *p,
		const struct reclaim_opts *o, struct reclaim_res *res);

/* Writes s at offset 0 of fd (truncating a regular file). 0 or -errno. */
int reclaim_write_fd(int fd, bool is_regular, const char *s);

/* One chunk of a reclaim round, shared by every backend: reads usage into
 * *usage and, while usage is above the plan's target and the round's byte
 * budget is not spent, sets *step to the next chunk (at most chunk_bytes
 * and what is left of the budget) and returns 1. Returns 0 when the round
 * is done, or the -errno of the usage read. */
int reclaim_next_step(const struct reclaim_files *f, const struct reclaim_plan *p,
		      const struct reclaim_opts *o, const struct reclaim_res *res,
		      uint64_t *usage, uint64_t *step);

/* Memory watermarks of Alibaba Cloud Linux (memory.wmark_ratio,
 * memory.wmark_scale_factor): configure them for high/low in percent of the
 * limit, journaling the originals; the kernel then reclaims by itself.
 * Returns the journal slots used (out_slots[0..1]) or -errno. The writes
 * made, or with dry_run the ones that would be (a value already in place
 * is none), go to would[0..1] (file[0] == 0: none) when would is not NULL. */
int wmark_configure(struct hr_journal *j, const struct hr_root *r, const struct reclaim_files *f,
		    unsigned high_pct, unsigned low_pct, bool dry_run, int out_slots[2],
		    struct reclaim_write would[2]);
/* Pure: the two values to write. ratio = high %, scale = (high-low) % in
 * 1/10000 of the limit, clamped to the kernel's [1, 1000]. */
void wmark_values(unsigned high_pct, unsigned low_pct, unsigned *ratio, unsigned *scale);

#endif
