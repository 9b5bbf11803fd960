/* wmark_guard.c - watermark boost and decay (see wmark_guard.h). */
#include <errno.h>
#include <string.h>

#include "detect/wmark_guard.h"
#include "util/parse.h"

void wmark_guard_cfg_default(struct wmark_guard_cfg *c)
{
	*c = (struct wmark_guard_cfg){ .wsf_step = 10, .wsf_max = 200, .min_free_step_kib = 16384,
				       .min_free_max_kib = 262144, .wsf_decay_step = 5,
				       .min_free_decay_step_kib = 8192, .cooldown = 6, .quiet = 60 };
}

int wmark_guard_decide(const struct wmark_guard_cfg *c, struct wmark_guard_state *st,
		       const struct wmark_guard_input *in, struct wmark_guard_decision *d)
{
	memset(d, 0, sizeof(*d));
	d->action = WMARK_GUARD_HOLD;
	d->knob = in->wsf != HR_UNSET ? WMARK_KNOB_WSF : WMARK_KNOB_MIN_FREE;
	bool wsf = d->knob == WMARK_KNOB_WSF;
	uint64_t cur = wsf ? in->wsf : in->min_free_kib;
	uint64_t step = wsf ? c->wsf_step : c->min_free_step_kib;
	uint64_t decay = wsf ? c->wsf_decay_step : c->min_free_decay_step_kib;
	uint64_t max = wsf ? c->wsf_max : c->min_free_max_kib;
	d->value = cur;
	if (cur == HR_UNSET || !step || !decay || max < step) {
		d->reason = cur == HR_UNSET ? "knob unreadable" : "bad guard configuration";
		return -EINVAL;
	}
	if (!st->started) {
		st->started = true;
		st->original = cur;
		st->last_failures = in->failures;
		st->since_boost = c->cooldown;	/* a first boost needs no wait */
	}
	uint64_t floor = st->original;
	if (!wsf && in->floor_min_free_kib > floor)
		floor = in->floor_min_free_kib;
	if (max < floor)
		max = floor;
	d->floor = floor;
	bool fresh = in->failures != HR_UNSET && in->failures > st->last_failures;
	if (in->failures != HR_UNSET)
		st->last_failures = in->failures;
	if (st->since_boost < c->cooldown)
		st->since_boost++;

	if (cur < floor) {
		d->action = WMARK_GUARD_BOOST;
		d->value = floor;
		d->reason = "below its floor (the original, or the reserve network storage needs)";
		st->quiet_passes = 0;
		return 0;
	}
	if (fresh || in->zone_starved) {
		st->quiet_passes = 0;
		if (cur >= max) {
			d->reason = "failing, but already at the guard's maximum";
			return 0;
		}
		if (st->since_boost < c->cooldown) {
			d->reason = "failing, waiting for the last boost to take effect";
			return 0;
		}
		d->action = WMARK_GUARD_BOOST;
		d->value = cur + step > max ? max : cur + step;
		d->reason = fresh ? "new atomic allocation failures" : "a zone below its low watermark "
			    "without a free block of the failing order";
		st->since_boost = 0;
		return 0;
	}
	if (cur <= floor) {
		st->quiet_passes = 0;
		d->reason = "at its floor";
		return 0;
	}
	if (++st->quiet_passes < c->quiet) {
		d->reason = "boosted, quiet: waiting before the next decay step";
		return 0;
	}
	st->quiet_passes = 0;
	d->action = WMARK_GUARD_DECAY;
	d->value = cur - floor > decay ? cur - decay : floor;
	d->reason = "no failures for the quiet period: decay toward the original";
	return 0;
}
