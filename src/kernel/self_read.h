/* self_read.h - the running process itself: /proc/self/statm.
 *
 * Unlike every other reader in kernel/, this one does NOT go through the
 * root dirfd (--root): it opens the absolute /proc/self of the process
 * calling it, because what it reads is a fact about this process (the
 * agent's own resident size, for its metrics), not about the host or the
 * fixture tree being inspected, which has no "self". Never logs, no
 * allocation, one open + read + close per call (not for a hot path).
 */
#ifndef HR_KERNEL_SELF_READ_H
#define HR_KERNEL_SELF_READ_H

#include <stdint.h>

/* This process's resident set in bytes (statm resident x page size).
 * Returns 0, or -errno of the open/read, -EINVAL when the text is not
 * statm's (snapshot/statm.h). *out is untouched on error. */
int self_rss_bytes(uint64_t *out);

#endif
