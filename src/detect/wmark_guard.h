/* wmark_guard.h - the watermark guard's decision: boost
 * vm.watermark_scale_factor (or vm.min_free_kbytes where it is absent) in
 * small bounded steps on atomic allocation failures, and decay back to the
 * original once they stop - the decay is the point: upstream's objection
 * to auto-tuning was that it never comes back down.
 *
 * Pure: no I/O, no allocation, no logging. The agent feeds, each pass, the
 * current knob values, the count of allocation failures seen so far (the
 * explain engine on /dev/kmsg) and whether a zone sits below its low
 * watermark with no free block of the failing order (zones judge), keeps
 * the state between passes, and executes BOOST/DECAY through act/wmark.c
 * (journaled; the original restored on stop). Nothing here writes the host.
 *
 *  - BOOST: a new failure (failures > last seen) or zone_starved, and at
 *    least cooldown passes since the last boost: + step, at most max.
 *  - DECAY: quiet passes in a row without either: - decay_step, never
 *    below the floor = max(original, floor_min_free_kib for min_free_kbytes:
 *    the reserve recommended when swap or writeback is on network storage).
 *  - A knob below its floor (someone lowered it, or the reserve floor is
 *    new) is raised to the floor (BOOST, reason says so).
 */
#ifndef HR_DETECT_WMARK_GUARD_H
#define HR_DETECT_WMARK_GUARD_H

#include <stdbool.h>
#include <stdint.h>

enum wmark_knob { WMARK_KNOB_WSF, WMARK_KNOB_MIN_FREE };

struct wmark_guard_cfg {
	uint64_t wsf_step, wsf_max;		/* 10, 200 (units of 0.01 % of RAM; kernel max 3000) */
	uint64_t min_free_step_kib, min_free_max_kib;	/* 16384, 262144 */
	uint64_t wsf_decay_step, min_free_decay_step_kib;	/* 5, 8192 */
	unsigned cooldown, quiet;		/* passes: 6, 60 */
};

struct wmark_guard_state {
	bool started;
	uint64_t original;		/* the knob's value at the first pass */
	uint64_t last_failures;
	unsigned since_boost, quiet_passes;
};

struct wmark_guard_input {
	uint64_t wsf;			/* HR_UNSET before Linux 4.6: min_free_kbytes is used */
	uint64_t min_free_kib;
	uint64_t failures;		/* allocation failures seen so far (monotonic) */
	bool zone_starved;		/* below low wmark, no free block of the failing order */
	uint64_t floor_min_free_kib;	/* recommended reserve, or 0 */
};

enum wmark_guard_action { WMARK_GUARD_HOLD, WMARK_GUARD_BOOST, WMARK_GUARD_DECAY };

struct wmark_guard_decision {
	enum wmark_guard_action action;
	enum wmark_knob knob;
	uint64_t value;			/* to write (BOOST/DECAY); else the current value */
	uint64_t floor;
	const char *reason;		/* static text */
};

void wmark_guard_cfg_default(struct wmark_guard_cfg *c);
/* 0, or -EINVAL (a zero step, max below the step, knob unreadable: HOLD).
 * Updates *st. */
int wmark_guard_decide(const struct wmark_guard_cfg *c, struct wmark_guard_state *st,
		       const struct wmark_guard_input *in, struct wmark_guard_decision *d);

#endif
