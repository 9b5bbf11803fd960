/* memcg_judge.h - the judge of the memcg area: memory cgroups
 * (detect/memcg_judge.c): headroom to the limit, limit hits, socket
 * pressure, dying cgroups, dead charges.
 *
 * Pure: `now` (and `before`, the earlier sample, or NULL) is a struct
 * memcg_tree as its sampler in src/kernel/ filled it; interval_usec is the
 * time between the two samples (0 without `before`). Appends findings to
 * *out, at least one ("ok" when all is well). No I/O, no logging. Allocates
 * scratch of a few bytes per cgroup (calloc) and frees it before return; out
 * of memory is a note ("memcg not judged"), not a crash. Paired with its
 * sampler only in src/check/areas.c.
 */
#ifndef HR_DETECT_MEMCG_JUDGE_H
#define HR_DETECT_MEMCG_JUDGE_H

#include <stdint.h>

#include "detect/finding.h"

void memcg_judge(const void *before, const void *now, uint64_t interval_usec,
                 struct hr_findings *out);

#endif
