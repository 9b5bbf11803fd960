/* zones_sample.h - the sampler of the zones area (its judge: detect/zones_judge.c). */
#ifndef HR_KERNEL_ZONES_SAMPLE_H
#define HR_KERNEL_ZONES_SAMPLE_H

#include "snapshot/note.h"
#include "kernel/root.h"
#include "util/arena.h"

/* Fills a struct zones_snap (snapshot/vmsnap.h) from /proc/zoneinfo,
 * /proc/buddyinfo, /proc/vmstat, /proc/sys/vm values, /sys/class/net and the THP
 * settings. Unreadable files are noted and their part is left out. Returns
 * 0, or the -errno of /proc/zoneinfo when neither it nor buddyinfo could be
 * read (nothing to judge), or -ENOMEM when scratch has less than
 * ZONES_SAMPLE_SCRATCH bytes. Allocates nothing: its read buffer comes
 * from scratch. */
#define ZONES_SAMPLE_BUF (4u << 20)
#define ZONES_SAMPLE_SCRATCH ARENA_PIECE(ZONES_SAMPLE_BUF)
int zones_sample(const struct hr_root *root, void *state, struct hr_arena *scratch,
		 struct hr_notes *notes);

#endif
