/* kpage.c - decoders of the pagemap / kpage* words (see kpage.h). */
#include "snapshot/kpage.h"

#define BIT(f, n) ((((f) >> (n)) & 1u) != 0)

void kpage_pm_decode(uint64_t e, struct kpage_pm *out)
{
	out->present = BIT(e, 63);
	out->swapped = BIT(e, 62);
	out->file_or_shared = BIT(e, 61);
	out->exclusive = BIT(e, 56);
	/* Bits 0-54 are the swap type/offset when swapped: never a PFN. */
	out->pfn = out->present ? e & ((UINT64_C(1) << 55) - 1) : 0;
}

void kpage_flags_decode(uint64_t f, struct kpage_flags *out)
{
	out->locked = BIT(f, 0);
	out->dirty = BIT(f, 4);
	out->lru = BIT(f, 5);
	out->active = BIT(f, 6);
	out->writeback = BIT(f, 8);
	out->mmap = BIT(f, 11);
	out->anon = BIT(f, 12);
	out->unevictable = BIT(f, 18);
	out->nopage = BIT(f, 20);
	out->mlocked = BIT(f, 33);
}
