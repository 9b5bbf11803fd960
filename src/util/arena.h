/* arena.h - a bump allocator over caller-owned memory.
 *
 * What a periodic caller (the agent's judgement pass) gives the samplers
 * and judges instead of malloc: the memory is allocated once, before ready,
 * and handed out in pieces; arena_reset() takes it all back. A request that
 * does not fit returns NULL and is counted (`failed`): the caller cuts what
 * it was for and says so, it never crashes. Every piece is aligned for any
 * type. arena_alloc() neither zeroes, allocates, logs nor blocks.
 */
#ifndef HR_UTIL_ARENA_H
#define HR_UTIL_ARENA_H

#include <stddef.h>

struct hr_arena {
	char *base;
	size_t cap, used;
	size_t peak;		/* most ever used, for sizing */
	size_t failed;		/* requests that did not fit */
};

/* Bytes an arena needs to hand out n bytes in one piece (the alignment
 * padding of one request). */
#define ARENA_PIECE(n) (((size_t)(n) + 63) & ~(size_t)63)

/* Over mem[0..cap) (cap 0 and mem NULL: every request fails). */
void arena_init(struct hr_arena *a, void *mem, size_t cap);

/* n bytes (n > 0), aligned for any type (64), or NULL when full. */
void *arena_alloc(struct hr_arena *a, size_t n);

/* Everything handed out since arena_mark() returned m is taken back. */
static inline size_t arena_mark(const struct hr_arena *a)
{
	return a->used;
}
static inline void arena_release(struct hr_arena *a, size_t m)
{
	if (m <= a->used)
		a->used = m;
}
static inline void arena_reset(struct hr_arena *a)
{
	a->used = 0;
}

#endif
