/* cache_recharge.h - moves the memcg charge of clean, unmapped cached pages
 * of a file to another cgroup: drop them, then read them again from a
 * process inside that cgroup (page cache is charged to whoever faults it in).
 *
 * Host writes: posix_fadvise(POSIX_FADV_DONTNEED) on the given page runs
 * only (the caller passes pages it judged clean, unmapped and unlocked: on a
 * run holding a dirty page DONTNEED would also start its writeback), and a
 * forked child writing its own pid to CGROUP/cgroup.procs. Neither is
 * journaled (src/act/journal.c): nothing persistent is changed, so nothing
 * would be restored after a kill -9 - the child exits, and a dropped page
 * that is not read again is simply read by its next user. The kernel may
 * still keep a page (mapped meanwhile): the caller scans again to see
 * where the charge went. Blocks for the child's reads, at most timeout_ms;
 * never logs.
 */
#ifndef HR_ACT_CACHE_RECHARGE_H
#define HR_ACT_CACHE_RECHARGE_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/root.h"

struct cache_recharge_res {
	uint64_t pages_dropped;	/* pages DONTNEED was asked to drop */
	uint64_t runs;		/* contiguous ranges */
	uint64_t bytes_read;	/* read back by the child */
	int child_errno;	/* first error inside the child, 0 if none */
	const char *child_step;	/* "join" or "read" when child_errno */
};

/* idx[0..n) are page indices of the file open as fd, ascending. cgroup_rel
 * is the target cgroup directory relative to the root's fd ("sys/fs/cgroup/
 * memory/a/b"); it is opened without following symlinks. Returns 0 (look at
 * res->child_errno), -EINVAL for unsorted idx, -ETIMEDOUT (the child was
 * killed), or the -errno of fadvise/fork/open. */
int cache_recharge(const struct hr_root *r, int fd, const uint64_t *idx, size_t n, uint64_t page_size,
		   const char *cgroup_rel, int timeout_ms, struct cache_recharge_res *res);

#endif
