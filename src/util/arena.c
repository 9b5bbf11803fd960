/* arena.c - see arena.h. */
#include "util/arena.h"

#include <stdint.h>

void arena_init(struct hr_arena *a, void *mem, size_t cap)
{
	a->base = mem;
	a->cap = mem ? cap : 0;
	a->used = a->peak = a->failed = 0;
}

void *arena_alloc(struct hr_arena *a, size_t n)
{
	/* Aligned on the address, not the offset: base need not be. */
	uintptr_t b = (uintptr_t)a->base, at = (b + a->used + 63) & ~(uintptr_t)63;
	size_t off = (size_t)(at - b);

	if (!n || !a->base || off > a->cap || n > a->cap - off) {
		a->failed++;
		return NULL;
	}
	a->used = off + n;
	if (a->used > a->peak)
		a->peak = a->used;
	return a->base + off;
}
