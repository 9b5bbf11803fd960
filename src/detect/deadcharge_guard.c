/* deadcharge_guard.c - bounded reclaim of dead cgroups' charges at the
 * parent (see deadcharge_guard.h). */
#include <errno.h>
#include <string.h>

#include "detect/deadcharge_guard.h"
#include "util/parse.h"

void deadcharge_guard_cfg_default(struct deadcharge_guard_cfg *c)
{
	*c = (struct deadcharge_guard_cfg){ .min_dead_bytes = 16ull << 20, .max_step_bytes = 256ull << 20,
					    .page_bytes = 4096, .max_live_pct = 10 };
}

int deadcharge_guard_decide(const struct deadcharge_guard_cfg *c, const struct deadcharge_guard_input *in,
			    struct deadcharge_guard_decision *d)
{
	memset(d, 0, sizeof(*d));
	d->action = DEADCHARGE_HOLD;
	if (!c->page_bytes || (in->version != 1 && in->version != 2)) {
		d->reason = "bad guard configuration or cgroup version";
		return -EINVAL;
	}
	uint64_t est = in->dead_estimate_bytes;
	if (est == HR_UNSET || est < c->min_dead_bytes || est < c->page_bytes) {
		d->reason = est == HR_UNSET ? "dead charge unknown" : "dead charge below the minimum";
		return 0;
	}
	if (in->version == 2 && in->dying == 0) {
		d->reason = "no dying descendants";
		return 0;
	}
	/* memory.reclaim at the parent takes from every child in proportion
	 * to its size, live ones too (measured on 6.1: 64 MiB asked with 64
	 * MiB dead and a live child's 32 MiB left 18.5 MiB dead and 9.2 MiB
	 * of the child's, doc/guards.md): bounding the amount does not protect
	 * them, so v2 acts only where the live children's cache is small
	 * beside the dead charge. */
	if (in->version == 2 && in->parent_file_bytes != HR_UNSET && in->parent_file_bytes > est &&
	    (in->parent_file_bytes - est) > est / 100 * c->max_live_pct) {
		d->reason = "live children hold cache that memory.reclaim at the parent would take in "
			    "proportion: not reclaiming";
		d->live_hold = true;
		return 0;
	}
	uint64_t amt = est;
	if (c->max_step_bytes && amt > c->max_step_bytes)
		amt = c->max_step_bytes;
	if (in->parent_file_bytes != HR_UNSET && amt > in->parent_file_bytes)
		amt = in->parent_file_bytes;
	amt -= amt % c->page_bytes;
	if (!amt) {
		d->reason = "no file cache at the parent to reclaim";
		return 0;
	}
	d->amount_bytes = amt;
	if (in->version == 2) {
		d->action = DEADCHARGE_RECLAIM_V2;
		d->reason = "dead charges at the parent: reclaim them, bounded to the estimate";
		return 0;
	}
	if (in->parent_usage_bytes == HR_UNSET || in->parent_usage_bytes <= amt) {
		d->amount_bytes = 0;
		d->reason = "parent usage unknown or not above the amount: no squeeze";
		return 0;
	}
	d->action = DEADCHARGE_SQUEEZE_V1;
	d->v1_limit_bytes = in->parent_usage_bytes - amt;
	d->reason = "dead charges at the parent: squeeze its limit by the amount, then restore";
	return 0;
}
