/* conntrack_judge.h - the judge of the conntrack area: the conntrack table:
 * usage, hash sizing, drops, TIME_WAIT timeout.
 *
 * Pure: `now` (and `before`, the earlier sample, or NULL) is a struct
 * conntrack_snap as its sampler in src/kernel/ filled it; interval_usec is
 * the time between the two samples (0 without `before`). Appends findings to
 * *out, at least one ("ok" when all is well). No I/O, no logging, no
 * allocation. Paired with its sampler only in src/check/areas.c.
 */
#ifndef HR_DETECT_CONNTRACK_JUDGE_H
#define HR_DETECT_CONNTRACK_JUDGE_H

#include <stdint.h>

#include "detect/finding.h"

void conntrack_judge(const void *before, const void *now, uint64_t interval_usec,
                     struct hr_findings *out);

#endif
