/* netswap_sample.h - the sampler of the netswap area (its judge:
 * detect/netswap_judge.c). */
#ifndef HR_KERNEL_NETSWAP_SAMPLE_H
#define HR_KERNEL_NETSWAP_SAMPLE_H

#include "kernel/root.h"
#include "snapshot/note.h"

/* Fills a struct netswap_snap (snapshot/vmsnap.h, zeroed by the caller)
 * from /proc/swaps, /proc/self/mountinfo, /sys/dev/block, /proc/vmstat,
 * /proc/meminfo, /proc/sys/vm and the NICs. Unreadable files are noted and
 * their part is left out. Returns 0, or the -errno of /proc/swaps when it
 * cannot be read. Allocates one read buffer, freed before return. */
int netswap_sample(const struct hr_root *root, void *state, struct hr_notes *notes);

#endif
