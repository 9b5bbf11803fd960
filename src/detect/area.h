/* area.h - one area of `headroom check`: how to sample it, how to judge it.
 *
 * An area pairs a sampler from src/kernel/ (reads the root into a plain
 * snapshot struct, the area's `state`) with a judge in src/detect/ (snapshot
 * -> findings, no I/O). `headroom check` allocates two states per area,
 * samples once (or twice, --interval apart) and calls judge once.
 *
 * sample(): fills *state (zeroed by the caller, state_size bytes). Files it
 *   cannot read are recorded with findings_note() and the area degrades;
 *   returns 0, or a negative errno when nothing at all of the area could be
 *   read (the check then says so once and goes on).
 * judge(): `before` is NULL for a single sample; otherwise it is the first
 *   sample and interval_usec the time between them (for rates). Appends
 *   findings; must emit at least one finding (an "ok" one when all is well)
 *   unless the area could not be read.
 * fini(): optional; releases what sample() allocated inside state.
 */
#ifndef HR_DETECT_AREA_H
#define HR_DETECT_AREA_H

#include <stddef.h>
#include <stdint.h>

#include "detect/finding.h"
#include "kernel/root.h"

struct hr_area {
	const char *name;
	const char *summary;	/* one line for --help / --list-areas */
	size_t state_size;
	int (*sample)(const struct hr_root *root, void *state, struct hr_findings *notes);
	void (*judge)(const void *before, const void *now, uint64_t interval_usec,
		      struct hr_findings *out);
	void (*fini)(void *state);
};

/* The areas in report order; NULL-terminated. Defined in cli/areas.c. */
extern const struct hr_area *const hr_areas[];

#endif
