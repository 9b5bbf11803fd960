/* areas.h - the areas of `headroom check`: which sampler feeds which judge.
 *
 * An area pairs a sampler from src/kernel/ (reads the root into a plain
 * snapshot struct, the area's `state`) with a judge in src/detect/ (snapshot
 * -> findings, no I/O). This table, in src/check/areas.c, is the only place
 * where the two meet; src/check/engine.h runs them.
 *
 * sample(): fills *state (zeroed by the caller, state_size bytes). Files it
 *   cannot read are recorded with note_add() and the area degrades;
 *   returns 0, or a negative errno when nothing at all of the area could be
 *   read (the engine then says so once and goes on). It allocates nothing:
 *   what its state points to comes from ac->keep (keep_bytes() of it),
 *   its buffers from ac->scratch (scratch_bytes() of it, taken back after
 *   the call). What does not fit is cut and counted, never a crash.
 * judge(): `before` is NULL for a single sample; otherwise it is the first
 *   sample and interval_usec the time between them (for rates). Appends
 *   findings; must emit at least one finding (an "ok" one when all is well)
 *   unless the area could not be read. judge_in(), where set, is called
 *   instead, with the scratch arena (scratch_bytes() of it).
 * fini(): optional; releases what sample() allocated inside state.
 *
 * A new area is one sampler, one judge and one line here.
 */
#ifndef HR_CHECK_AREAS_H
#define HR_CHECK_AREAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect/finding.h"
#include "kernel/root.h"
#include "snapshot/note.h"
#include "util/arena.h"

struct memcg_fdcache;

/* What a sampler gets besides its state. */
struct area_ctx {
	const struct hr_root *root;
	struct hr_notes *notes;
	struct hr_arena *keep;		/* the pass's: lives until it is sampled again */
	struct hr_arena *scratch;	/* nothing in it outlives the call */
	size_t memcg_cap;		/* memory cgroups the memcg walk records */
	struct memcg_fdcache *memcg_fds;	/* files kept open between passes, or NULL */
	bool no_ct_dump;		/* no ctnetlink dump (it allocates per entry) */
};

struct hr_area {
	const char *name;
	const char *summary;	/* one line for --help / --list-areas */
	size_t state_size;
	size_t (*keep_bytes)(size_t memcg_cap);		/* optional: 0 */
	size_t (*scratch_bytes)(size_t memcg_cap);	/* optional: 0 */
	int (*sample)(const struct area_ctx *ac, void *state);
	void (*judge)(const void *before, const void *now, uint64_t interval_usec,
		      struct hr_findings *out);
	void (*judge_in)(const void *before, const void *now, uint64_t interval_usec,
			 struct hr_arena *scratch, struct hr_findings *out);
	void (*fini)(void *state);
};

/* The areas in report order; NULL-terminated. */
extern const struct hr_area *const hr_areas[];

#endif
