/* netctr.h - kernel drop counters as evidence: since boot, or per second.
 *
 * Shared by the conntrack and netloss judges. A counter read once is
 * evidence of past trouble (warn); a counter that moved during --interval is
 * trouble now (crit). Pure: no I/O, no allocation.
 */
#ifndef HR_DETECT_NETCTR_H
#define HR_DETECT_NETCTR_H

#include <stdbool.h>
#include <stdint.h>

#include "detect/finding.h"

struct netctr {
	bool present;		/* the kernel has this counter */
	uint64_t total;		/* since boot (or since the netns was made) */
	bool rated;		/* two samples, counter did not go backwards */
	uint64_t delta;
	double per_sec;
};

/* before is HR_UNSET for a single sample (or when absent before). */
struct netctr netctr_get(uint64_t before, uint64_t now, uint64_t interval_usec);

/* Sum of two counters (v4 + v6, drops of one kind); present if either is. */
struct netctr netctr_sum(struct netctr a, struct netctr b);

/* ok when 0; warn when only the since-boot total is non-zero (or when it
 * moved but `crit_when_rated` is false); crit when it moved in the interval. */
enum hr_severity netctr_severity(struct netctr c, bool interval, bool crit_when_rated);

/* Adds fact `name` (total), and with a rate `name`_delta and `name`_per_sec.
 * Absent counters add nothing (the caller lists them as not on this kernel). */
void netctr_facts(struct hr_finding *f, const char *name, struct netctr c);

/* "since boot" or "in the last 1.0 s" wording for explanations. */
const char *netctr_window(bool interval);

static inline enum hr_severity sev_max(enum hr_severity a, enum hr_severity b)
{
	return a > b ? a : b;
}

#endif
