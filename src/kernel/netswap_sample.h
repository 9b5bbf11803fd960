/* netswap_sample.h - the sampler of the netswap area (its judge:
 * detect/netswap_judge.c). */
#ifndef HR_KERNEL_NETSWAP_SAMPLE_H
#define HR_KERNEL_NETSWAP_SAMPLE_H

#include "kernel/root.h"
#include "snapshot/note.h"
#include "util/arena.h"

/* Fills a struct netswap_snap (snapshot/vmsnap.h, zeroed by the caller)
 * from /proc/swaps, /proc/self/mountinfo, /sys/dev/block, /proc/vmstat,
 * /proc/meminfo, /proc/sys/vm and the NICs. Unreadable files are noted and
 * their part is left out. Returns 0, or the -errno of /proc/swaps when it
 * cannot be read, or -ENOMEM when scratch has less than
 * netswap_sample_scratch() bytes. Allocates nothing: its buffers (the
 * mount table, the swaps list, the per-swap match state) come from
 * scratch, directory listings are on the stack. */
#define NETSWAP_SAMPLE_BUF (4u << 20)	/* mountinfo of a host with ~20k mounts */
int netswap_sample(const struct hr_root *root, void *state, struct hr_arena *scratch,
		   struct hr_notes *notes);
size_t netswap_sample_scratch(void);

#endif
