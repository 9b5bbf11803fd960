/* meminfo.h - /proc/meminfo as numbers.
 *
 * meminfo_parse() is pure: no I/O, no allocation, no logging; it is what
 * the unit tests and the fuzzer call. All values are bytes; a key absent on
 * this kernel is HR_UNSET.
 */
#ifndef HR_SNAPSHOT_MEMINFO_H
#define HR_SNAPSHOT_MEMINFO_H

#include <stddef.h>
#include <stdint.h>

struct meminfo {
	uint64_t total_bytes;
	uint64_t free_bytes;
	uint64_t available_bytes;	/* HR_UNSET before Linux 3.14 */
	uint64_t dirty_bytes, writeback_bytes;
	uint64_t swap_total_bytes, swap_free_bytes;
};

/* Fills *out from the text in buf[0..len). Unknown keys are skipped.
 * Returns 0, -ENODATA if MemTotal is missing, -EINVAL on a malformed
 * value or when MemFree or MemAvailable exceed MemTotal, or SwapFree
 * exceeds SwapTotal; -ERANGE above 2^64-1. *out is untouched on error. */
int meminfo_parse(const char *buf, size_t len, struct meminfo *out);

#endif
