/* page.h - the one page-size source: the kernel's PAGE_SIZE as
 * sysconf(_SC_PAGESIZE) reports it, 4096 if it cannot. Cgroup limits and
 * memory.high are kept in pages (doc/kernel-facts.md B.3), so values written to
 * them are aligned to this. Kernel text never states it, so a capture from a
 * machine with another page size is misjudged (doc/check-zones.md). No
 * allocation, no I/O. */
#ifndef HR_UTIL_PAGE_H
#define HR_UTIL_PAGE_H

#include <stdint.h>

uint64_t page_size(void);

#endif
