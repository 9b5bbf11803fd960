/* test_arena.c - util/arena.h: pieces aligned, inside the memory, full is
 * NULL and counted, marks give back. */
#include "testutil.h"

#include <stdint.h>

#include "util/arena.h"

static void test_arena(void **state)
{
	(void)state;
	static char mem[1000];
	struct hr_arena a;

	arena_init(&a, mem + 3, 900);	/* an unaligned base */
	char *p = arena_alloc(&a, 10);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 64, 0);
	assert_true(p >= mem + 3 && p + 10 <= mem + 903);
	size_t m = arena_mark(&a);
	char *q = arena_alloc(&a, 100);
	assert_non_null(q);
	assert_true(q >= p + 10);
	assert_int_equal((uintptr_t)q % 64, 0);
	/* Too big: NULL, counted, nothing taken. */
	size_t used = a.used;
	assert_null(arena_alloc(&a, 900));
	assert_int_equal(a.failed, 1);
	assert_int_equal(a.used, used);
	assert_null(arena_alloc(&a, 0));
	assert_int_equal(a.failed, 2);
	arena_release(&a, m);
	assert_ptr_equal(arena_alloc(&a, 100), q);	/* given back, handed out again */
	assert_true(a.peak >= a.used);
	arena_reset(&a);
	assert_int_equal(a.used, 0);
	/* Exactly full. */
	size_t room = a.cap - (size_t)((char *)p - a.base);
	assert_ptr_equal(arena_alloc(&a, room), p);
	assert_null(arena_alloc(&a, 1));
	/* No memory: every request fails. */
	arena_init(&a, NULL, 100);
	assert_null(arena_alloc(&a, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
