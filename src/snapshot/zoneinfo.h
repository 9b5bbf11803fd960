/* zoneinfo.h - /proc/zoneinfo as numbers: per-zone free pages and watermarks.
 *
 * zoneinfo_parse() is pure: no I/O, no allocation, no logging; it is what the
 * unit tests and the fuzzer call. Values are in pages, as the kernel prints
 * them (the caller knows the page size). Format by version: KERNEL-FACTS D.5
 * (`boost` 6.1+, `cma` 5.15+, `promo` 6.18, `scanned` 3.10).
 */
#ifndef HR_SNAPSHOT_ZONEINFO_H
#define HR_SNAPSHOT_ZONEINFO_H

#include <stddef.h>
#include <stdint.h>

/* 8 nodes x 5 zones (DMA, DMA32, Normal, Movable, Device) fit twice over. */
#define ZONEINFO_MAX_ZONES 64
/* lowmem_reserve[] has MAX_NR_ZONES entries (<= 6 on every config). */
#define ZONEINFO_MAX_PROT 8

struct zoneinfo_zone {
	uint32_t node;
	char name[16];			/* "DMA", "DMA32", "Normal", "Movable", ... */
	uint64_t free_pages;		/* "pages free" */
	uint64_t boost_pages;		/* HR_UNSET before 6.1 */
	uint64_t min_pages, low_pages, high_pages;
	uint64_t promo_pages;		/* HR_UNSET before 6.18 */
	uint64_t spanned_pages, present_pages, managed_pages;
	uint64_t protection[ZONEINFO_MAX_PROT];	/* lowmem_reserve[], pages */
	size_t nprotection;
	uint64_t node_unreclaimable;	/* HR_UNSET when not printed */
};

struct zoneinfo {
	struct zoneinfo_zone zones[ZONEINFO_MAX_ZONES];
	size_t n;
	size_t dropped;			/* zones beyond ZONEINFO_MAX_ZONES */
};

/* Fills *out from the text in buf[0..len). Unknown keys (per-node stats,
 * per-zone vmstat, pagesets) are skipped. Every zone must carry "pages free",
 * min, low, high and managed (or present), with min <= low <= high (kernel
 * invariant).
 * A zone without "managed" (before 3.8) takes present_pages instead.
 * Returns 0; -ENODATA if no zone header is found; -EINVAL on a malformed
 * line, a missing key (a cut file) or a broken invariant; -ERANGE on a
 * number above 2^64-1. *out is untouched on error. */
int zoneinfo_parse(const char *buf, size_t len, struct zoneinfo *out);

/* The zone called `name` on `node`, or NULL. */
const struct zoneinfo_zone *zoneinfo_find(const struct zoneinfo *zi, uint32_t node,
					  const char *name);

#endif
