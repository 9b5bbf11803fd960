/* zones_sample.h - the kernel-reading side of the zones area. */
#ifndef HR_KERNEL_ZONES_SAMPLE_H
#define HR_KERNEL_ZONES_SAMPLE_H

#include "detect/finding.h"
#include "kernel/root.h"

/* Fills a struct zones_snap (snapshot/vmsnap.h) from /proc/zoneinfo,
 * /proc/buddyinfo, /proc/vmstat, /proc/sys/vm values, /sys/class/net and the THP
 * settings. Unreadable files are noted and their part is left out. Returns
 * 0, or the -errno of /proc/zoneinfo when neither it nor buddyinfo could be
 * read (nothing to judge). Allocates one read buffer, freed before return. */
int zones_sample(const struct hr_root *root, void *state, struct hr_findings *notes);

/* Same for struct netswap_snap: /proc/swaps, /proc/self/mountinfo,
 * /sys/dev/block, /proc/vmstat, /proc/meminfo, /proc/sys/vm, NICs. Returns
 * 0, or the -errno of /proc/swaps when it cannot be read. */
int netswap_sample(const struct hr_root *root, void *state, struct hr_findings *notes);

#endif
