/* reclaim_plan.c - the pure part of reclaim: target and floor. See reclaim.h. */
#include "act/reclaim.h"

#include <errno.h>

#include "util/page.h"
#include "util/parse.h"

#define PAGE page_size()

static uint64_t known(uint64_t v)
{
	return v == HR_UNSET ? 0 : v;
}

int reclaim_plan(const struct reclaim_in *in, struct reclaim_plan *p)
{
	struct reclaim_plan r = { 0 };
	uint64_t reclaimable, target;

	if (in->low_bytes > in->high_bytes || in->high_bytes > in->limit_bytes ||
	    in->usage_bytes == HR_UNSET)
		return -EINVAL;
	if (in->usage_bytes < in->high_bytes)
		return 0;
	reclaimable = known(in->inactive_file_bytes);
	if (in->allow_active)
		reclaimable = sat_add(reclaimable, known(in->active_file_bytes));
	/* usage counts more than the LRUs (kernel memory, sockets), so the
	 * floor keeps everything that is not file cache. */
	r.floor_bytes = sat_add(sat_sub(in->usage_bytes, reclaimable), in->margin_bytes);
	r.floor_bytes = (r.floor_bytes + PAGE - 1) / PAGE * PAGE;
	target = in->low_bytes;
	if (target < r.floor_bytes) {
		target = r.floor_bytes;
		r.limited_by_floor = true;
	}
	if (target >= in->usage_bytes)
		return 0;
	if (in->usage_bytes - target > in->budget_bytes) {
		target = in->usage_bytes - in->budget_bytes;
		r.limited_by_budget = true;
	}
	target = (target + PAGE - 1) / PAGE * PAGE;
	if (target >= in->usage_bytes)
		return 0;
	r.target_bytes = target;
	r.want_bytes = in->usage_bytes - target;
	r.budget_bytes = in->budget_bytes;
	*p = r;
	return 1;
}
