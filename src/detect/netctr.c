/* netctr.c - see netctr.h. */
#include "detect/netctr.h"

#include <stdio.h>

#include "util/parse.h"

struct netctr netctr_get(uint64_t before, uint64_t now, uint64_t interval_usec)
{
	struct netctr c = { 0 };

	if (now == HR_UNSET)
		return c;
	c.present = true;
	c.total = now;
	/* A counter that went backwards was reset (netns recreated, module
	 * reloaded): no rate rather than a huge one. */
	if (before != HR_UNSET && now >= before && interval_usec > 0) {
		c.rated = true;
		c.delta = now - before;
		c.per_sec = (double)c.delta * 1e6 / (double)interval_usec;
	}
	return c;
}

struct netctr netctr_sum(struct netctr a, struct netctr b)
{
	if (!a.present)
		return b;
	if (!b.present)
		return a;
	struct netctr c = {
		.present = true,
		.total = sat_add(a.total, b.total),
		.rated = a.rated && b.rated,
		.delta = sat_add(a.delta, b.delta),
		.per_sec = a.per_sec + b.per_sec,
	};
	return c;
}

enum hr_severity netctr_severity(struct netctr c, bool interval, bool crit_when_rated)
{
	if (!c.present)
		return HR_SEV_OK;
	if (interval && c.rated)
		return c.delta ? (crit_when_rated ? HR_SEV_CRIT : HR_SEV_WARN) : HR_SEV_OK;
	return c.total ? HR_SEV_WARN : HR_SEV_OK;
}

void netctr_facts(struct hr_finding *f, const char *name, struct netctr c)
{
	char n[HR_FACT_NAME_MAX];

	if (!c.present)
		return;
	fact_u64(f, name, c.total);
	if (!c.rated)
		return;
	snprintf(n, sizeof(n), "%s_delta", name);
	fact_u64(f, n, c.delta);
	snprintf(n, sizeof(n), "%s_per_s", name);
	fact_f64(f, n, c.per_sec);
}

const char *netctr_window(bool interval)
{
	return interval ? "during the interval (a rate: happening now)"
			: "since boot (counters only; evidence of past trouble, not proof it is "
			  "happening now: rerun with --interval 10 for rates)";
}
