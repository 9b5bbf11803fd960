/* memcg_judge.h - the judge of the memcg area: memory cgroups
 * (detect/memcg_judge.c): headroom to the limit, limit hits, socket
 * pressure, dying cgroups, dead charges.
 *
 * Pure: `now` (and `before`, the earlier sample, or NULL) is a struct
 * memcg_tree as its sampler in src/kernel/ filled it; interval_usec is the
 * time between the two samples (0 without `before`). Appends findings to
 * *out, at least one ("ok" when all is well). No I/O, no logging. Needs
 * scratch of ~25 bytes per cgroup: memcg_judge_in() takes it from the
 * caller's arena (memcg_judge_scratch_bytes() of it, given back before
 * return) and allocates nothing; memcg_judge() mallocs it and frees it.
 * Too little is a note ("memcg not judged"), not a crash. Paired with its
 * sampler only in src/check/areas.c.
 */
#ifndef HR_DETECT_MEMCG_JUDGE_H
#define HR_DETECT_MEMCG_JUDGE_H

#include <stddef.h>
#include <stdint.h>

#include "detect/finding.h"
#include "util/arena.h"

void memcg_judge(const void *before, const void *now, uint64_t interval_usec,
                 struct hr_findings *out);
void memcg_judge_in(const void *before, const void *now, uint64_t interval_usec,
		    struct hr_arena *scratch, struct hr_findings *out);
/* Scratch for a tree of n_now cgroups judged against one of n_before. */
size_t memcg_judge_scratch_bytes(size_t n_now, size_t n_before);

#endif
