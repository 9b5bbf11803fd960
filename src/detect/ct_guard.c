/* ct_guard.c - next nf_conntrack_max with hysteresis (see ct_guard.h). */
#include <errno.h>
#include <string.h>

#include "detect/ct_guard.h"
#include "util/parse.h"

void ct_guard_cfg_default(struct ct_guard_cfg *c)
{
	*c = (struct ct_guard_cfg){ .high_pct = 90, .low_pct = 60, .step_pct = 50, .ram_share_pct = 5,
				    .bytes_per_entry = 350, .chain_max = 4, .hold_up = 3, .hold_down = 30 };
}

static uint64_t mul_sat(uint64_t a, uint64_t b)
{
	return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

int ct_guard_decide(const struct ct_guard_cfg *c, struct ct_guard_state *st, const struct ct_guard_input *in,
		    struct ct_guard_decision *d)
{
	memset(d, 0, sizeof(*d));
	d->action = CT_GUARD_HOLD;
	d->new_max = in->max;
	if (!c->step_pct || !c->chain_max || !c->bytes_per_entry || c->low_pct >= c->high_pct ||
	    c->high_pct > 100) {
		d->reason = "bad guard configuration";
		return -EINVAL;
	}
	if (in->count == HR_UNSET || in->max == HR_UNSET || in->max == 0) {
		st->above = st->below = 0;
		d->reason = in->max == 0 ? "no limit (max 0)" : "count or max unreadable";
		return 0;
	}
	if (!st->original_max)
		st->original_max = in->max;
	uint64_t orig = st->original_max;

	uint64_t cmem = HR_UNSET, cbk = HR_UNSET;
	if (in->mem_total_bytes != HR_UNSET)
		cmem = in->mem_total_bytes / 100 * c->ram_share_pct / c->bytes_per_entry;
	if (in->buckets != HR_UNSET && in->buckets)
		cbk = mul_sat(in->buckets, c->chain_max);
	uint64_t ceil = cmem < cbk ? cmem : cbk;
	if (ceil == HR_UNSET)
		ceil = orig;	/* neither bound known: do not grow */
	d->ceiling_is_buckets = cbk != HR_UNSET && cbk < cmem;
	if (ceil < orig)
		ceil = orig;
	d->ceiling = ceil;

	/* compared as count * 100 >= max * pct, saturating, no float */
	bool high = mul_sat(in->count, 100) >= mul_sat(in->max, c->high_pct);
	/* divide first where max * 100 would wrap */
	uint64_t down = in->max > UINT64_MAX / 100 ? in->max / (100 + c->step_pct) * 100
						  : in->max * 100 / (100 + c->step_pct);
	if (down < orig)
		down = orig;
	bool low = in->max > orig && mul_sat(in->count, 100) < mul_sat(down, c->low_pct);

	if (high) {
		st->below = 0;
		if (++st->above < c->hold_up) {
			d->reason = "above the high mark, waiting for it to stay";
			return 0;
		}
		uint64_t up = mul_sat(in->max, 100 + c->step_pct) / 100;
		if (up > ceil)
			up = ceil;
		if (up <= in->max) {
			d->action = CT_GUARD_AT_CEILING;
			d->reason = d->ceiling_is_buckets ? "at the chain-length ceiling of the bucket count"
							  : "at the memory ceiling";
			if (d->ceiling_is_buckets && cmem != HR_UNSET && cmem > in->max) {
				d->want_hashsize = true;
				d->want_buckets = cmem / c->chain_max;
			}
			return 0;
		}
		st->above = 0;
		d->action = CT_GUARD_RAISE;
		d->new_max = up;
		d->reason = "count stayed above the high mark";
		return 0;
	}
	st->above = 0;
	if (low) {
		if (++st->below < c->hold_down) {
			d->reason = "below the low mark, waiting for it to stay";
			return 0;
		}
		st->below = 0;
		d->action = CT_GUARD_LOWER;
		d->new_max = down;
		d->reason = "count stayed below the low mark of the next lower step";
		return 0;
	}
	st->below = 0;
	d->reason = in->max > orig ? "between the marks" : "at the original max";
	return 0;
}
