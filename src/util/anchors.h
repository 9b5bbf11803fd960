/* anchors.h - find the first of a few fixed strings in a large buffer, fast.
 *
 * `explain` reads multi-GB logs in which almost every line is noise; this is
 * its prefilter. Each needle is tested at every position by comparing its
 * first two bytes and its last byte with SIMD vectors (GCC/clang vector
 * extensions, 32 bytes per step; an AVX2 build of the same loop is picked at
 * init when the CPU has it), and only positions where all three match are
 * checked with memcmp. Pure; no allocation; never reads outside buf[0..len).
 */
#ifndef HR_UTIL_ANCHORS_H
#define HR_UTIL_ANCHORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HR_ANCHORS_MAX 24	/* needles are 4..32 bytes */
#define HR_ANCHOR_LEN_MAX 32

struct hr_anchors {
	size_t n;
	const char *needle[HR_ANCHORS_MAX];	/* static strings, 2..32 bytes */
	size_t len[HR_ANCHORS_MAX];
	size_t maxlen;
	bool avx2;
	uint32_t first[256];	/* bit k set: needle k starts with this byte */
	/* Nibble tables of the AVX2 filter: bucket bits per low/high nibble of
	 * the needles' bytes 0-3 (8 buckets, needle k in bucket k % 8). */
	uint8_t lo[4][16], hi[4][16];
};

/* Keeps pointers to the needles (they must outlive a). Needles shorter
 * than 2 or longer than HR_ANCHOR_LEN_MAX bytes, and those past
 * HR_ANCHORS_MAX, are ignored. */
void anchors_init(struct hr_anchors *a, const char *const *needles, size_t n);

/* Offset of the first position in buf[0..len) where any needle starts
 * (whole needle inside buf), or len if there is none. */
size_t anchors_find(const struct hr_anchors *a, const char *buf, size_t len);

/* Bit k set for every needle k that occurs in buf[0..len) (a scalar pass
 * for one line; at most 32 needles are reported). */
uint32_t anchors_mask(const struct hr_anchors *a, const char *buf, size_t len);

#endif
