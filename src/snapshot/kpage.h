/* kpage.h - the binary words of /proc/PID/pagemap, /proc/kpageflags,
 * /proc/kpagecount and /proc/kpagecgroup, decoded.
 *
 * Every file is an array of u64 in host byte order, one per
 * virtual page (pagemap) or per PFN (the kpage* files); the reader
 * (src/kernel/cache_read.c) preads the words, these functions only decode
 * them. Pure: no I/O, no allocation, no logging. Bit numbers are the
 * kernel's ABI (admin-guide/mm/pagemap; doc/kernel-facts.md G).
 */
#ifndef HR_SNAPSHOT_KPAGE_H
#define HR_SNAPSHOT_KPAGE_H

#include <stdbool.h>
#include <stdint.h>

/* One /proc/PID/pagemap entry. */
struct kpage_pm {
	bool present;		/* bit 63: page in RAM */
	bool swapped;		/* bit 62 */
	bool file_or_shared;	/* bit 61: file page or shared anon */
	bool exclusive;		/* bit 56: mapped only here (4.2+) */
	uint64_t pfn;		/* bits 0-54 when present; 0 when hidden
				 * (no CAP_SYS_ADMIN, 4.2+) or not present */
};

void kpage_pm_decode(uint64_t e, struct kpage_pm *out);

/* The /proc/kpageflags bits headroom uses. KPF_MLOCKED (33) is one of the
 * "kernel hacking" bits but is copied from PG_mlocked on every kernel that
 * has the file (fs/proc/page.c stable_page_flags). */
struct kpage_flags {
	bool locked;		/* 0: page lock held (I/O in flight) */
	bool dirty;		/* 4 */
	bool lru;		/* 5 */
	bool active;		/* 6 */
	bool mmap;		/* 11: mapped into some page table */
	bool anon;		/* 12 */
	bool unevictable;	/* 18 */
	bool nopage;		/* 20: no page frame at this PFN */
	bool writeback;		/* 8 */
	bool mlocked;		/* 33 */
};

void kpage_flags_decode(uint64_t f, struct kpage_flags *out);

#endif
