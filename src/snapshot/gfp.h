/* gfp.h - GFP allocation masks to flag names, per kernel-version layout.
 *
 * The bit values of __GFP_* changed in 4.2, 4.4, 4.10, 4.18, 5.1 and 6.3
 * (doc/kernel-facts.md E.1, from include/linux/gfp.h / gfp_types.h of each
 * release). Kernels
 * before 4.9 print only the number ("mode:0x20"), so decoding needs the
 * layout: taken from the kernel version when the log shows it, else from
 * the names a 4.9+ kernel printed next to the number, else guessed from
 * the shape of the mask. Pure: no I/O, no allocation.
 */
#ifndef HR_SNAPSHOT_GFP_H
#define HR_SNAPSHOT_GFP_H

#include <stddef.h>
#include <stdint.h>

enum hr_gfp_layout {
	HR_GFP_UNKNOWN = 0,
	HR_GFP_2_6,	/* 2.6.32 - 3.19 (3.10 adds MEMALLOC, KMEMCG, NO_KSWAPD...) */
	HR_GFP_4_0,	/* 4.0 - 4.1: the 2.6 bits, 0x100000 unused */
	HR_GFP_4_2,	/* 4.2 - 4.3: the 2.6 bits plus __GFP_NOACCOUNT 0x100000 */
	HR_GFP_4_4,	/* 4.4 - 4.9 */
	HR_GFP_4_10,	/* 4.10 - 4.17 */
	HR_GFP_4_18,	/* 4.18 - 5.0 */
	HR_GFP_5_1,	/* 5.1 - 6.2 (__GFP_ATOMIC 0x200) */
	HR_GFP_6_6,	/* 6.3 and later (__GFP_ATOMIC gone; the name says where it was read) */
	HR_GFP_NLAYOUTS
};

/* "4.18-5.0" etc.; "unknown" for HR_GFP_UNKNOWN. */
const char *gfp_layout_name(enum hr_gfp_layout l);

/* Layout of a kernel version (major, minor). 4.0-4.1 have the 3.x bits
 * (0x100000 unused), 4.2-4.3 add __GFP_NOACCOUNT there; 6.2 still has
 * __GFP_ATOMIC, 6.3 does not. */
enum hr_gfp_layout gfp_layout_for_version(unsigned major, unsigned minor);

/* Guess from the mask alone (kernel printed no version and no names).
 * Uses bits that exist in one layout only (__GFP_WAIT 0x10 with IO/FS
 * before 4.4, KSWAPD_RECLAIM at 0x2000000 / 0x1000000 / 0x400000 / 0x800);
 * HR_GFP_UNKNOWN when the mask does not tell. */
enum hr_gfp_layout gfp_layout_from_shape(uint64_t mask);

/* The layout whose decoding of mask yields exactly the names the kernel
 * printed ("GFP_ATOMIC|__GFP_COMP", '|'-separated, span not NUL-terminated);
 * HR_GFP_UNKNOWN if none or several disagree. */
enum hr_gfp_layout gfp_layout_from_names(uint64_t mask, const char *names, size_t len);

/* Decodes mask the way the kernel's %pGg does: composite names first
 * (GFP_KERNEL, GFP_ATOMIC, ...), then single __GFP_ flags, then leftover
 * bits as one hex number. Writes at most max pointers to static strings
 * into names[] (leftover hex goes into hexbuf[hexcap]); returns the count. */
size_t gfp_decode(uint64_t mask, enum hr_gfp_layout l, const char **names,
		  size_t max, char *hexbuf, size_t hexcap);

/* Bit of __GFP_DIRECT_RECLAIM (or __GFP_WAIT) in a layout: an allocation
 * without it cannot sleep, so it fails rather than reclaim. 0 if unknown. */
uint64_t gfp_can_sleep_bit(enum hr_gfp_layout l);

#endif
