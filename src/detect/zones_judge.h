/* zones_judge.h - the judge of the zones area: zone watermarks,
 * fragmentation, atomic-allocation headroom.
 *
 * Pure: `now` (and `before`, the earlier sample, or NULL) is a struct
 * zones_snap as its sampler in src/kernel/ filled it; interval_usec is the
 * time between the two samples (0 without `before`). Appends findings to
 * *out, at least one ("ok" when all is well). No I/O, no logging, no
 * allocation. Paired with its sampler only in src/check/areas.c.
 */
#ifndef HR_DETECT_ZONES_JUDGE_H
#define HR_DETECT_ZONES_JUDGE_H

#include <stdint.h>

#include "detect/finding.h"

void zones_judge(const void *before, const void *now, uint64_t interval_usec,
                 struct hr_findings *out);

#endif
