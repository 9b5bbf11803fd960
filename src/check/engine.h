/* engine.h - runs the samplers and judges of src/check/areas.c.
 *
 * The one place where kernel state becomes findings: `headroom check` calls
 * it once (or twice, --interval apart), and a long-running caller (the
 * agent, on a timer) can call it every period with the same storage:
 *
 *	size_t len = engine_storage_bytes();	   once, at start
 *	void *mem[2] = { calloc(1, len), calloc(1, len) };
 *	struct engine_pass p[2];
 *	engine_pass_init(&p[0], mem[0]); engine_pass_init(&p[1], mem[1]);
 *	(or the _cap variants: memcg_cap cgroups, flags)
 *	each period:
 *		hr_findings_reset(&fs);
 *		unsigned ok = engine_sample(root, mask, &p[cur], &fs);
 *		engine_judge(ok & prev_ok, have_prev ? &p[!cur] : NULL, &p[cur], &fs);
 *		engine_pass_fini(&p[!cur]); cur = !cur; prev_ok = ok;
 *
 * An area mask has bit i set for hr_areas[i] (ENGINE_ALL: every area).
 * Nothing in a pass allocates (the samplers' libc calls included: no
 * opendir, no qsort; the ctnetlink dump aside, which ENGINE_NO_CT_DUMP
 * leaves out) and nothing logs: area states, what they point to
 * (the memcg node array) and every buffer a sampler or judge needs live in
 * the caller's storage, findings and notes in the caller's hr_findings.
 * The storage is sized for memcg_cap memory cgroups; more are cut and
 * counted (memcg.dropped). Nothing here writes to the host.
 */
#ifndef HR_CHECK_ENGINE_H
#define HR_CHECK_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "check/areas.h"
#include "detect/finding.h"
#include "kernel/root.h"

#define ENGINE_AREAS_MAX 16	/* bits of an area mask; areas.c has 5 */
#define ENGINE_ALL ((1u << ENGINE_AREAS_MAX) - 1)

/* engine_pass_init_cap() flags. */
#define ENGINE_NO_CT_DUMP 1u	/* no ctnetlink breakdown (libnetfilter_conntrack allocates) */

/* One sample of some areas. */
struct engine_pass {
	uint64_t t_usec;		/* CLOCK_MONOTONIC when sampling began */
	unsigned sampled;		/* areas whose state holds a sample */
	void *state[ENGINE_AREAS_MAX];	/* hr_areas[i]'s state, in the caller's storage */
	struct hr_arena keep;		/* what the states point to */
	struct hr_arena scratch;	/* the samplers' and judges' buffers */
	size_t memcg_cap;
	unsigned flags;
	/* Optional, set by the caller after init: the memcg walk's open files
	 * (kernel/memcg_read.h), kept between passes; both passes of a
	 * periodic caller share one. NULL: files opened per read. */
	struct memcg_fdcache *memcg_fds;
};

/* Number of areas in hr_areas. */
size_t engine_nareas(void);

/* Bytes of storage one pass needs for memcg_cap memory cgroups: every
 * area's state, what it points to, and the largest scratch one sampler or
 * judge needs (~4.3 MiB, of which a pass touches what it reads: a few
 * pages on a small host). engine_storage_bytes() is for MEMCG_TREE_CAP. */
size_t engine_storage_bytes_cap(size_t memcg_cap);
size_t engine_storage_bytes(void);

/* Points p's states and arenas into storage (engine_storage_bytes_cap(
 * memcg_cap) bytes, aligned like malloc's result, owned by the caller and
 * outliving p). engine_pass_init() is (MEMCG_TREE_CAP, flags 0). */
void engine_pass_init_cap(struct engine_pass *p, void *storage, size_t memcg_cap, unsigned flags);
void engine_pass_init(struct engine_pass *p, void *storage);

/* Samples every area in mask into p, in table order: zeroes its state and
 * calls its sampler; notes go to fs->notes. An area of which nothing could
 * be read is noted ("AREA not checked"), reported as the finding
 * AREA.not_checked (so the check is never green for it) and released.
 * Releases what p held before. Returns the mask of areas sampled. */
unsigned engine_sample(const struct hr_root *root, unsigned mask, struct engine_pass *p,
		       struct hr_findings *fs);

/* Judges every area in mask that `now` holds: with `before` (an earlier
 * pass holding it too) for rates, else alone. Appends to *fs; does not
 * sort it. Uses now's scratch (never its states). */
void engine_judge(unsigned mask, const struct engine_pass *before, struct engine_pass *now,
		  struct hr_findings *fs);

/* Marks p unsampled (its states' storage is taken back); p stays usable.
 * A NULL or never-sampled pass is a no-op. */
void engine_pass_fini(struct engine_pass *p);

#endif
