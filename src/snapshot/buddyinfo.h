/* buddyinfo.h - /proc/buddyinfo: free blocks per order, per zone.
 *
 * buddyinfo_parse() is pure: no I/O, no allocation, no logging. Each value
 * is a number of free *blocks* of 2^order pages (KERNEL-FACTS D.6), not
 * pages. The number of orders is NR_PAGE_ORDERS of the kernel (11 on x86_64
 * with 4 KiB pages, 14 on arm64 with 64 KiB pages); it is taken from the text.
 */
#ifndef HR_SNAPSHOT_BUDDYINFO_H
#define HR_SNAPSHOT_BUDDYINFO_H

#include <stddef.h>
#include <stdint.h>

#define BUDDYINFO_MAX_ZONES 64
#define BUDDYINFO_MAX_ORDERS 32

struct buddyinfo_zone {
	uint32_t node;
	char name[16];
	size_t norders;
	uint64_t blocks[BUDDYINFO_MAX_ORDERS];	/* free blocks of each order */
};

struct buddyinfo {
	struct buddyinfo_zone zones[BUDDYINFO_MAX_ZONES];
	size_t n;
	size_t dropped;		/* zones beyond BUDDYINFO_MAX_ZONES */
};

/* Fills *out from buf[0..len). Every non-empty line must be
 * "Node N, zone NAME c0 c1 ...", with 1..BUDDYINFO_MAX_ORDERS counts.
 * Returns 0; -ENODATA if there is no line; -EINVAL on a malformed line
 * (garbage, "-1", a line with no counts); -E2BIG with more than
 * BUDDYINFO_MAX_ORDERS orders; -ERANGE on a count above 2^64-1.
 * *out is untouched on error. */
int buddyinfo_parse(const char *buf, size_t len, struct buddyinfo *out);

/* The zone called `name` on `node`, or NULL. */
const struct buddyinfo_zone *buddyinfo_find(const struct buddyinfo *bi, uint32_t node,
					    const char *name);

/* Largest order with a free block, or -1 when the zone has none. */
int buddyinfo_largest_order(const struct buddyinfo_zone *z);

/* Free pages held in blocks of order >= min_order (saturating). */
uint64_t buddyinfo_pages_from(const struct buddyinfo_zone *z, unsigned min_order);

#endif
