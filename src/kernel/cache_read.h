/* cache_read.h - reads which page frames back a file's page cache and who
 * they are charged to (live host, root only).
 *
 * cache_scan_file() maps the file, asks mincore() which pages are resident,
 * touches each resident page once so that our own page table names its frame
 * (pagemap gives a PFN only for pages the reader maps), and reads the frame's
 * kpageflags, kpagecount and kpagecgroup words. It never reads a page that
 * mincore() called absent: readahead is off for the mapping (MADV_RANDOM), so
 * only a page evicted between mincore() and the touch is read back (charged
 * to the caller's cgroup: a narrow race, not detectable from here). The mapping is removed before returning.
 * The /proc files are opened through the root (proc/self/pagemap,
 * proc/kpage*): the root must be the live host's "/".
 *
 * Allocates the record array (released by cache_scan_fini); never logs,
 * never writes the host. Blocks for the page faults (no disk I/O for
 * resident pages).
 */
#ifndef HR_KERNEL_CACHE_READ_H
#define HR_KERNEL_CACHE_READ_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/root.h"
#include "snapshot/cache_scan.h"

/* Scans the regular file open as fd into *out (zeroed here first). Returns
 * 0; -EINVAL if fd is not a regular file; -EPERM if the PFNs are hidden (not
 * CAP_SYS_ADMIN) or a /proc/kpage* file cannot be opened (its -errno); the
 * -errno of mmap/mincore/pread; -ENOMEM. *out holds nothing on error. */
int cache_scan_file(const struct hr_root *r, int fd, struct cache_scan *out);
void cache_scan_fini(struct cache_scan *s);

/* The memory cgroup hierarchy's mount, relative to the root
 * ("sys/fs/cgroup/memory"), and its version (1, or 2 for a cgroup2 mount
 * whose cgroup.controllers lists memory). 0, -ENODEV if none, -E2BIG, or the
 * -errno of reading proc/self/mounts. */
int cache_memcg_mount(const struct hr_root *r, char *out, size_t cap, int *version);

/* Finds the hierarchy path ("/" or "/a/b") of each memcg inode inos[i] by
 * walking the hierarchy below mount_rel, stopping once all are found or
 * after max_dirs directories (deeper than 64 levels is not walked). paths[i]
 * is set for found inodes and left "" for others (a cgroup deleted since,
 * or beyond the bound). Returns the number of directories walked or
 * -errno of opening the hierarchy root; a directory vanishing during the
 * walk is skipped (a normal race). */
long cache_memcg_lookup(const struct hr_root *r, const char *mount_rel, const uint64_t *inos,
			size_t n, char (*paths)[CACHE_PATH_MAX], size_t max_dirs);

#endif
