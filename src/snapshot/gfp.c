/* gfp.c - see gfp.h. Bit tables from doc/kernel-facts.md E.1 (include/linux/gfp.h
 * of 2.6.32, 3.10, 4.1-rc, 4.2, 4.3, 4.4, 4.10, 4.14, 4.18, 5.1; gfp_types.h of
 * 6.1, 6.5, 6.6, 6.18).
 * Composite order follows %pGg (__def_gfpflag_names, lib/vsprintf.c). */
#include "snapshot/gfp.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct gfp_name {
	uint64_t mask;
	const char *name;
};

#define END { 0, NULL }
#define LOW4 { 0x1, "GFP_DMA" }, { 0x2, "__GFP_HIGHMEM" }, { 0x4, "GFP_DMA32" }, \
	{ 0x8, "__GFP_MOVABLE" }

/* 2.6.32 - 4.3: GFP_ATOMIC is __GFP_HIGH alone, GFP_NOWAIT is 0. 3.10 adds
 * MEMALLOC 0x2000, KMEMCG 0x100000, NO_KSWAPD 0x400000, OTHER_NODE 0x800000,
 * WRITE 0x1000000 (unused bits in 2.6.32, so naming them is harmless). */
static const struct gfp_name l26[] = {
	{ 0x200da, "GFP_HIGHUSER_MOVABLE" }, { 0x200d2, "GFP_HIGHUSER" },
	{ 0x200d0, "GFP_USER" }, { 0xd0, "GFP_KERNEL" }, { 0x50, "GFP_NOFS" },
	{ 0x20, "GFP_ATOMIC" }, { 0x10, "GFP_NOIO" }, LOW4,
	{ 0x10, "__GFP_WAIT" }, { 0x20, "__GFP_HIGH" }, { 0x40, "__GFP_IO" },
	{ 0x80, "__GFP_FS" }, { 0x100, "__GFP_COLD" }, { 0x200, "__GFP_NOWARN" },
	{ 0x400, "__GFP_REPEAT" }, { 0x800, "__GFP_NOFAIL" }, { 0x1000, "__GFP_NORETRY" },
	{ 0x2000, "__GFP_MEMALLOC" }, { 0x4000, "__GFP_COMP" }, { 0x8000, "__GFP_ZERO" },
	{ 0x10000, "__GFP_NOMEMALLOC" }, { 0x20000, "__GFP_HARDWALL" },
	{ 0x40000, "__GFP_THISNODE" }, { 0x80000, "__GFP_RECLAIMABLE" },
	{ 0x100000, "__GFP_KMEMCG" }, { 0x200000, "__GFP_NOTRACK" },
	{ 0x400000, "__GFP_NO_KSWAPD" }, { 0x800000, "__GFP_OTHER_NODE" },
	{ 0x1000000, "__GFP_WRITE" }, END
};

/* 4.0 - 4.3 (gfp.h of 4.2; the pre-images of the __GFP_NOACCOUNT patch,
 * 4.1-rc, and of the 4.4 GFP series, 4.3-rc): the 2.6 bits, GFP_TEMPORARY,
 * and 0x100000 unused until 4.1 and __GFP_NOACCOUNT from 4.2. */
#define L40 \
	{ 0x200da, "GFP_HIGHUSER_MOVABLE" }, { 0x200d2, "GFP_HIGHUSER" }, \
	{ 0x200d0, "GFP_USER" }, { 0x800d0, "GFP_TEMPORARY" }, { 0xd0, "GFP_KERNEL" }, \
	{ 0x50, "GFP_NOFS" }, { 0x20, "GFP_ATOMIC" }, { 0x10, "GFP_NOIO" }, LOW4, \
	{ 0x10, "__GFP_WAIT" }, { 0x20, "__GFP_HIGH" }, { 0x40, "__GFP_IO" }, \
	{ 0x80, "__GFP_FS" }, { 0x100, "__GFP_COLD" }, { 0x200, "__GFP_NOWARN" }, \
	{ 0x400, "__GFP_REPEAT" }, { 0x800, "__GFP_NOFAIL" }, { 0x1000, "__GFP_NORETRY" }, \
	{ 0x2000, "__GFP_MEMALLOC" }, { 0x4000, "__GFP_COMP" }, { 0x8000, "__GFP_ZERO" }, \
	{ 0x10000, "__GFP_NOMEMALLOC" }, { 0x20000, "__GFP_HARDWALL" }, \
	{ 0x40000, "__GFP_THISNODE" }, { 0x80000, "__GFP_RECLAIMABLE" }, \
	{ 0x200000, "__GFP_NOTRACK" }, { 0x400000, "__GFP_NO_KSWAPD" }, \
	{ 0x800000, "__GFP_OTHER_NODE" }, { 0x1000000, "__GFP_WRITE" }
static const struct gfp_name l40[] = { L40, END };
static const struct gfp_name l42[] = { L40, { 0x100000, "__GFP_NOACCOUNT" }, END };

/* 4.4 - 4.9: reclaim bits split into DIRECT (0x400000) and KSWAPD (0x2000000). */
static const struct gfp_name l44[] = {
	{ 0x24200ca, "GFP_HIGHUSER_MOVABLE" }, { 0x24200c2, "GFP_HIGHUSER" },
	{ 0x24200c0, "GFP_USER" }, { 0x25000c0, "GFP_KERNEL_ACCOUNT" },
	{ 0x24000c0, "GFP_KERNEL" }, { 0x2400040, "GFP_NOFS" }, { 0x2080020, "GFP_ATOMIC" },
	{ 0x2400000, "GFP_NOIO" }, { 0x2000000, "GFP_NOWAIT" }, LOW4,
	{ 0x10, "__GFP_RECLAIMABLE" }, { 0x20, "__GFP_HIGH" }, { 0x40, "__GFP_IO" },
	{ 0x80, "__GFP_FS" }, { 0x100, "__GFP_COLD" }, { 0x200, "__GFP_NOWARN" },
	{ 0x400, "__GFP_REPEAT" }, { 0x800, "__GFP_NOFAIL" }, { 0x1000, "__GFP_NORETRY" },
	{ 0x2000, "__GFP_MEMALLOC" }, { 0x4000, "__GFP_COMP" }, { 0x8000, "__GFP_ZERO" },
	{ 0x10000, "__GFP_NOMEMALLOC" }, { 0x20000, "__GFP_HARDWALL" },
	{ 0x40000, "__GFP_THISNODE" }, { 0x80000, "__GFP_ATOMIC" },
	{ 0x100000, "__GFP_ACCOUNT" }, { 0x200000, "__GFP_NOTRACK" },
	{ 0x400000, "__GFP_DIRECT_RECLAIM" }, { 0x800000, "__GFP_OTHER_NODE" },
	{ 0x1000000, "__GFP_WRITE" }, { 0x2000000, "__GFP_KSWAPD_RECLAIM" }, END
};

/* 4.10 - 4.17: KSWAPD moves to 0x1000000; COLD until 4.14; 0x400 becomes
 * RETRY_MAYFAIL in 4.14 (the later name is used for the whole range). */
static const struct gfp_name l410[] = {
	{ 0x14200ca, "GFP_HIGHUSER_MOVABLE" }, { 0x14200c2, "GFP_HIGHUSER" },
	{ 0x14200c0, "GFP_USER" }, { 0x15000c0, "GFP_KERNEL_ACCOUNT" },
	{ 0x14000c0, "GFP_KERNEL" }, { 0x1400040, "GFP_NOFS" }, { 0x1080020, "GFP_ATOMIC" },
	{ 0x1400000, "GFP_NOIO" }, { 0x1000000, "GFP_NOWAIT" }, LOW4,
	{ 0x10, "__GFP_RECLAIMABLE" }, { 0x20, "__GFP_HIGH" }, { 0x40, "__GFP_IO" },
	{ 0x80, "__GFP_FS" }, { 0x100, "__GFP_COLD" }, { 0x200, "__GFP_NOWARN" },
	{ 0x400, "__GFP_RETRY_MAYFAIL" }, { 0x800, "__GFP_NOFAIL" },
	{ 0x1000, "__GFP_NORETRY" }, { 0x2000, "__GFP_MEMALLOC" }, { 0x4000, "__GFP_COMP" },
	{ 0x8000, "__GFP_ZERO" }, { 0x10000, "__GFP_NOMEMALLOC" },
	{ 0x20000, "__GFP_HARDWALL" }, { 0x40000, "__GFP_THISNODE" },
	{ 0x80000, "__GFP_ATOMIC" }, { 0x100000, "__GFP_ACCOUNT" },
	{ 0x200000, "__GFP_NOTRACK" }, { 0x400000, "__GFP_DIRECT_RECLAIM" },
	{ 0x800000, "__GFP_WRITE" }, { 0x1000000, "__GFP_KSWAPD_RECLAIM" },
	{ 0x2000000, "__GFP_NOLOCKDEP" }, END
};

/* 4.18 - 5.0: GFP_ATOMIC = 0x480020. */
static const struct gfp_name l418[] = {
	{ 0x6200ca, "GFP_HIGHUSER_MOVABLE" }, { 0x6200c2, "GFP_HIGHUSER" },
	{ 0x6200c0, "GFP_USER" }, { 0x7000c0, "GFP_KERNEL_ACCOUNT" },
	{ 0x6000c0, "GFP_KERNEL" }, { 0x600040, "GFP_NOFS" }, { 0x480020, "GFP_ATOMIC" },
	{ 0x600000, "GFP_NOIO" }, { 0x400000, "GFP_NOWAIT" }, LOW4,
	{ 0x10, "__GFP_RECLAIMABLE" }, { 0x20, "__GFP_HIGH" }, { 0x40, "__GFP_IO" },
	{ 0x80, "__GFP_FS" }, { 0x100, "__GFP_WRITE" }, { 0x200, "__GFP_NOWARN" },
	{ 0x400, "__GFP_RETRY_MAYFAIL" }, { 0x800, "__GFP_NOFAIL" },
	{ 0x1000, "__GFP_NORETRY" }, { 0x2000, "__GFP_MEMALLOC" }, { 0x4000, "__GFP_COMP" },
	{ 0x8000, "__GFP_ZERO" }, { 0x10000, "__GFP_NOMEMALLOC" },
	{ 0x20000, "__GFP_HARDWALL" }, { 0x40000, "__GFP_THISNODE" },
	{ 0x80000, "__GFP_ATOMIC" }, { 0x100000, "__GFP_ACCOUNT" },
	{ 0x200000, "__GFP_DIRECT_RECLAIM" }, { 0x400000, "__GFP_KSWAPD_RECLAIM" },
	{ 0x800000, "__GFP_NOLOCKDEP" }, END
};

/* 5.1 - 6.2: compact low bits, GFP_ATOMIC = 0xa20. 0x800000 was
 * __GFP_NOLOCKDEP in 5.1 and is __GFP_ZEROTAGS in 6.1 (gfp_types.h, with
 * NOLOCKDEP moved to 0x8000000): it is left as a number here, since the
 * release where it changed inside this range was not read. */
static const struct gfp_name l51[] = {
	{ 0x100cca, "GFP_HIGHUSER_MOVABLE" }, { 0x100cc2, "GFP_HIGHUSER" },
	{ 0x100cc0, "GFP_USER" }, { 0x400cc0, "GFP_KERNEL_ACCOUNT" },
	{ 0xcc0, "GFP_KERNEL" }, { 0xc40, "GFP_NOFS" }, { 0xa20, "GFP_ATOMIC" },
	{ 0xc00, "GFP_NOIO" }, { 0x800, "GFP_NOWAIT" }, LOW4,
	{ 0x10, "__GFP_RECLAIMABLE" }, { 0x20, "__GFP_HIGH" }, { 0x40, "__GFP_IO" },
	{ 0x80, "__GFP_FS" }, { 0x100, "__GFP_ZERO" }, { 0x200, "__GFP_ATOMIC" },
	{ 0x400, "__GFP_DIRECT_RECLAIM" }, { 0x800, "__GFP_KSWAPD_RECLAIM" },
	{ 0x1000, "__GFP_WRITE" }, { 0x2000, "__GFP_NOWARN" },
	{ 0x4000, "__GFP_RETRY_MAYFAIL" }, { 0x8000, "__GFP_NOFAIL" },
	{ 0x10000, "__GFP_NORETRY" }, { 0x20000, "__GFP_MEMALLOC" },
	{ 0x40000, "__GFP_COMP" }, { 0x80000, "__GFP_NOMEMALLOC" },
	{ 0x100000, "__GFP_HARDWALL" }, { 0x200000, "__GFP_THISNODE" },
	{ 0x400000, "__GFP_ACCOUNT" }, END
};

/* 6.3+ (6.5 and 6.6 read): __GFP_ATOMIC is gone ("0x200u unused"),
 * GFP_ATOMIC = 0x820; 0x800000 is ZEROTAGS. Bits above depend on config
 * (KASAN_HW_TAGS, LOCKDEP; enum-numbered in 6.18) and stay hex. */
static const struct gfp_name l66[] = {
	{ 0x100cca, "GFP_HIGHUSER_MOVABLE" }, { 0x100cc2, "GFP_HIGHUSER" },
	{ 0x100cc0, "GFP_USER" }, { 0x400cc0, "GFP_KERNEL_ACCOUNT" },
	{ 0xcc0, "GFP_KERNEL" }, { 0xc40, "GFP_NOFS" }, { 0x820, "GFP_ATOMIC" },
	{ 0xc00, "GFP_NOIO" }, { 0x800, "GFP_NOWAIT" }, LOW4,
	{ 0x10, "__GFP_RECLAIMABLE" }, { 0x20, "__GFP_HIGH" }, { 0x40, "__GFP_IO" },
	{ 0x80, "__GFP_FS" }, { 0x100, "__GFP_ZERO" },
	{ 0x400, "__GFP_DIRECT_RECLAIM" }, { 0x800, "__GFP_KSWAPD_RECLAIM" },
	{ 0x1000, "__GFP_WRITE" }, { 0x2000, "__GFP_NOWARN" },
	{ 0x4000, "__GFP_RETRY_MAYFAIL" }, { 0x8000, "__GFP_NOFAIL" },
	{ 0x10000, "__GFP_NORETRY" }, { 0x20000, "__GFP_MEMALLOC" },
	{ 0x40000, "__GFP_COMP" }, { 0x80000, "__GFP_NOMEMALLOC" },
	{ 0x100000, "__GFP_HARDWALL" }, { 0x200000, "__GFP_THISNODE" },
	{ 0x400000, "__GFP_ACCOUNT" }, { 0x800000, "__GFP_ZEROTAGS" }, END
};

static const struct gfp_name *const tables[HR_GFP_NLAYOUTS] = {
	NULL, l26, l40, l42, l44, l410, l418, l51, l66,
};

static const char *const lnames[HR_GFP_NLAYOUTS] = {
	"unknown", "2.6.32-3.19", "4.0-4.1", "4.2-4.3", "4.4-4.9", "4.10-4.17", "4.18-5.0", "5.1-6.2", "6.3+",
};

const char *gfp_layout_name(enum hr_gfp_layout l)
{
	return (unsigned)l < HR_GFP_NLAYOUTS ? lnames[l] : "unknown";
}

enum hr_gfp_layout gfp_layout_for_version(unsigned major, unsigned minor)
{
	if (major < 2 || (major == 2 && minor < 6))
		return HR_GFP_UNKNOWN;
	if (major < 4)
		return HR_GFP_2_6;
	if (major == 4 && minor < 2)
		return HR_GFP_4_0;
	if (major == 4 && minor < 4)
		return HR_GFP_4_2;
	if (major == 4 && minor < 10)
		return HR_GFP_4_4;
	if (major == 4 && minor < 18)
		return HR_GFP_4_10;
	if (major == 4 || (major == 5 && minor == 0))
		return HR_GFP_4_18;
	/* __GFP_ATOMIC was removed in 6.3 (gfp_types.h of 6.1 has it at 0x200,
	 * that of 6.5 says "0x200u unused"). */
	if (major == 5 || (major == 6 && minor < 3))
		return HR_GFP_5_1;
	return HR_GFP_6_6;
}

enum hr_gfp_layout gfp_layout_from_shape(uint64_t mask)
{
	if (mask >> 26)
		return HR_GFP_UNKNOWN;
	if (mask & 0x2000000)		/* KSWAPD_RECLAIM 4.4-4.9 */
		return HR_GFP_4_4;
	if ((mask & 0x1000000) && !(mask & 0xc00))	/* KSWAPD 4.10-4.17 */
		return HR_GFP_4_10;
	if ((mask & 0x400000) && !(mask & 0xc00))	/* KSWAPD 4.18-5.0 */
		return HR_GFP_4_18;
	if (mask & 0x800)		/* KSWAPD 5.1+; __GFP_ATOMIC 0x200 until 6.1 */
		return (mask & 0x200) ? HR_GFP_5_1 : HR_GFP_6_6;
	if (!(mask & 0x1600400))	/* no reclaim bit of any later layout */
		return HR_GFP_2_6;
	return HR_GFP_UNKNOWN;
}

size_t gfp_decode(uint64_t mask, enum hr_gfp_layout l, const char **names,
		  size_t max, char *hexbuf, size_t hexcap)
{
	size_t n = 0;
	const struct gfp_name *t = (unsigned)l < HR_GFP_NLAYOUTS ? tables[l] : NULL;

	if (hexcap)
		hexbuf[0] = '\0';
	for (; t && t->name && n < max; t++) {
		if (t->mask && (mask & t->mask) == t->mask) {
			names[n++] = t->name;
			mask &= ~t->mask;
		}
	}
	if (mask && n < max && hexcap) {
		snprintf(hexbuf, hexcap, "%#llx", (unsigned long long)mask);
		names[n++] = hexbuf;
	}
	return n;
}

/* True if token tok[0..n) is one of names[0..cnt). */
static bool has_name(const char *const *names, size_t cnt, const char *tok, size_t n)
{
	for (size_t i = 0; i < cnt; i++)
		if (strlen(names[i]) == n && !memcmp(names[i], tok, n))
			return true;
	return false;
}

enum hr_gfp_layout gfp_layout_from_names(uint64_t mask, const char *s, size_t len)
{
	enum hr_gfp_layout found = HR_GFP_UNKNOWN;
	const char *names[48];
	char hex[24];

	if (!len)
		return HR_GFP_UNKNOWN;
	/* Names are printed since 4.9 (%pGg), so 3.x tables never apply. */
	for (int l = HR_GFP_4_4; l < HR_GFP_NLAYOUTS; l++) {
		size_t cnt = gfp_decode(mask, (enum hr_gfp_layout)l, names, 48, hex, sizeof(hex));
		size_t printed = 0, ok = 0;
		for (size_t i = 0; i < len;) {
			size_t j = i;
			while (j < len && s[j] != '|')
				j++;
			if (j > i && !(j - i > 1 && s[i] == '0' && s[i + 1] == 'x')) {
				printed++;
				ok += has_name(names, cnt, s + i, j - i);
			}
			i = j + 1;
		}
		size_t ours = cnt - (hex[0] ? 1 : 0);
		if (printed && ok == printed && ours == printed) {
			/* The first (oldest) layout that agrees: later ones that
			 * agree too decode the same names. */
			if (found == HR_GFP_UNKNOWN)
				found = (enum hr_gfp_layout)l;
		}
	}
	return found;
}

uint64_t gfp_can_sleep_bit(enum hr_gfp_layout l)
{
	switch (l) {
	case HR_GFP_2_6:
	case HR_GFP_4_0:
	case HR_GFP_4_2: return 0x10;
	case HR_GFP_4_4:
	case HR_GFP_4_10: return 0x400000;
	case HR_GFP_4_18: return 0x200000;
	case HR_GFP_5_1:
	case HR_GFP_6_6: return 0x400;
	default: return 0;
	}
}
