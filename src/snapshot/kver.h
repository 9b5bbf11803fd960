/* kver.h - the kernel release (/proc/sys/kernel/osrelease) as numbers.
 *
 * kver_parse() is pure: no I/O, no allocation, no logging. Formats and
 * defaults that changed between kernels (KERNEL-FACTS) are chosen by
 * kver_at_least().
 */
#ifndef HR_SNAPSHOT_KVER_H
#define HR_SNAPSHOT_KVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kver {
	uint32_t major, minor, patch;	/* all 0: unknown */
};

/* "6.18.44-fc-v769\n" -> 6.18.44; "4.4.0-210-generic" -> 4.4.0; "5.10" ->
 * 5.10.0. Returns 0, -ENODATA for empty text, -EINVAL when it does not start
 * with MAJOR.MINOR, -ERANGE for a part above 2^32-1. *out untouched on error. */
int kver_parse(const char *buf, size_t len, struct kver *out);

/* True if v >= major.minor. An unknown version (0.0) is never at least. */
bool kver_at_least(const struct kver *v, uint32_t major, uint32_t minor);

#endif
