/* cache_scan.h - what one scan of a file's page cache read, as plain data.
 *
 * Filled by cache_scan_file() (src/kernel/cache_read.h), tallied by
 * src/detect/cache_owner.h. One record per page that was resident and
 * whose frame could be looked up; the record array is allocated by the
 * reader and released by cache_scan_fini().
 */
#ifndef HR_SNAPSHOT_CACHE_SCAN_H
#define HR_SNAPSHOT_CACHE_SCAN_H

#include <stddef.h>
#include <stdint.h>

#define CACHE_PATH_MAX 512	/* a hierarchy path, "/a/b" */

struct kpage_rec {
	uint64_t index;		/* page index in the file */
	uint64_t flags;		/* /proc/kpageflags word */
	uint64_t mapcount;	/* /proc/kpagecount, our own mapping included */
	uint64_t memcg_ino;	/* /proc/kpagecgroup: inode of the memcg, 0 none */
};

struct cache_scan {
	uint64_t size_bytes;	/* st_size at the scan */
	uint64_t page_size;
	uint64_t pages;		/* ceil(size / page_size) */
	uint64_t resident;	/* mincore said resident */
	/* Resident by mincore but absent from our page table after the touch:
	 * evicted in between (the touch then read it back, see cache_read.c) or
	 * the PFN hidden from us (no CAP_SYS_ADMIN). */
	uint64_t no_pfn;
	struct kpage_rec *recs;	/* [n], by index */
	size_t n, cap;
};

#endif
