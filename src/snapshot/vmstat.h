/* vmstat.h - the /proc/vmstat counters headroom judges, as numbers.
 *
 * vmstat_parse() is pure: no I/O, no allocation, no logging. Values are the
 * kernel's (pages or event counts); a key absent on this kernel is HR_UNSET
 * ("not on this kernel"). allocstall_* exists per zone since 4.8; older
 * kernels have one "allocstall", which is read into allocstall_total, and
 * pgscan_{kswapd,direct}_<zone>, which are summed into pgscan_{kswapd,direct}.
 */
#ifndef HR_SNAPSHOT_VMSTAT_H
#define HR_SNAPSHOT_VMSTAT_H

#include <stddef.h>
#include <stdint.h>

struct vmstat {
	uint64_t nr_free_pages;
	uint64_t nr_dirty, nr_writeback;
	uint64_t nr_dirty_threshold, nr_dirty_background_threshold;	/* pages */
	uint64_t allocstall_dma, allocstall_dma32, allocstall_normal,
		 allocstall_movable, allocstall_device;
	uint64_t allocstall_total;	/* sum of the above, or "allocstall" (< 4.8) */
	uint64_t pgscan_kswapd, pgscan_direct;
	uint64_t pgsteal_kswapd, pgsteal_direct;
	uint64_t kswapd_low_wmark_hit_quickly;
	uint64_t compact_stall, compact_fail, compact_success;
	uint64_t oom_kill;		/* 4.14+ */
};

/* Fills *out from buf[0..len). Unknown keys are skipped. Returns 0;
 * -ENODATA if nr_free_pages is missing (not a vmstat file, or empty);
 * -EINVAL on a value that is not a number ("-1", garbage); -ERANGE above
 * 2^64-1. *out is untouched on error. */
int vmstat_parse(const char *buf, size_t len, struct vmstat *out);

#endif
