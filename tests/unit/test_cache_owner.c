/* test_cache_owner.c - pagemap/kpageflags decoders, the recharge verdict,
 * owner relations, the per-owner tally and cgroup argument normalisation. */
#include <errno.h>
#include <string.h>

#include "testutil.h"

#include "detect/cache_owner.h"
#include "snapshot/kpage.h"

#define B(n) (UINT64_C(1) << (n))

static void test_pagemap(void **state)
{
	struct kpage_pm d;

	(void)state;
	/* present, file page, exclusive, PFN 0x1234 */
	kpage_pm_decode(B(63) | B(61) | B(56) | 0x1234, &d);
	assert_true(d.present && d.file_or_shared && d.exclusive && !d.swapped);
	assert_true(d.pfn == 0x1234);
	/* the largest PFN the 55 bits hold; bits 55 (soft-dirty) and 57-60 are not PFN */
	kpage_pm_decode(B(63) | B(55) | B(57) | (B(55) - 1), &d);
	assert_true(d.pfn == B(55) - 1);
	/* swapped: bits 0-54 are the swap entry, never a PFN */
	kpage_pm_decode(B(62) | 0x77, &d);
	assert_true(!d.present && d.swapped && d.pfn == 0);
	/* present but PFN hidden (no CAP_SYS_ADMIN) */
	kpage_pm_decode(B(63), &d);
	assert_true(d.present && d.pfn == 0);
	kpage_pm_decode(0, &d);
	assert_false(d.present || d.swapped || d.file_or_shared || d.exclusive);
}

static void test_flags(void **state)
{
	struct kpage_flags f;

	(void)state;
	kpage_flags_decode(B(0) | B(4) | B(5) | B(6) | B(8) | B(11) | B(12) | B(18) | B(20) | B(33), &f);
	assert_true(f.locked && f.dirty && f.lru && f.active && f.writeback && f.mmap && f.anon &&
		    f.unevictable && f.nopage && f.mlocked);
	/* neighbours of the used bits set: nothing decoded */
	kpage_flags_decode(B(1) | B(2) | B(3) | B(7) | B(9) | B(10) | B(13) | B(17) | B(19) | B(32) | B(34) |
			   B(63), &f);
	assert_false(f.locked || f.dirty || f.lru || f.active || f.writeback || f.mmap || f.anon ||
		     f.unevictable || f.nopage || f.mlocked);
}

static void test_verdict(void **state)
{
	(void)state;
	const struct {
		uint64_t flags, mapcount;
		enum cache_skip want;
	} t[] = {
		{ B(5), 1, CACHE_SKIP_NONE },				/* clean LRU page, only our map */
		{ B(5), 0, CACHE_SKIP_NONE },
		{ B(5), 2, CACHE_SKIP_MAPPED },				/* one other mapper */
		{ B(4) | B(5), 1, CACHE_SKIP_DIRTY },
		{ B(8) | B(5), 1, CACHE_SKIP_WRITEBACK },
		{ B(0), 1, CACHE_SKIP_LOCKED },
		{ B(18), 1, CACHE_SKIP_UNEVICTABLE },
		{ B(33) | B(18) | B(4), 3, CACHE_SKIP_MLOCKED },	/* mlocked wins */
		{ B(18) | B(4), 2, CACHE_SKIP_UNEVICTABLE },
		{ B(4), 2, CACHE_SKIP_MAPPED },				/* mapped before dirty */
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct kpage_flags f;
		kpage_flags_decode(t[i].flags, &f);
		assert_int_equal(cache_recharge_verdict(&f, cache_mapped_others(t[i].mapcount)), t[i].want);
	}
	assert_null(cache_skip_reason(CACHE_SKIP_NONE));
	assert_null(cache_skip_fix(CACHE_SKIP_N));
	for (int s = CACHE_SKIP_NONE + 1; s < CACHE_SKIP_N; s++) {
		assert_non_null(cache_skip_name((enum cache_skip)s));
		assert_non_null(cache_skip_reason((enum cache_skip)s));
		assert_non_null(cache_skip_fix((enum cache_skip)s));
	}
	assert_non_null(strstr(cache_skip_fix(CACHE_SKIP_MLOCKED), "munlock"));
}

static void test_relation(void **state)
{
	(void)state;
	const struct {
		const char *owner, *expect;
		enum cache_rel want;
	} t[] = {
		{ "/a/b", "/a/b", CACHE_REL_EXPECTED },
		{ "/a", "/a/b", CACHE_REL_ABOVE },
		{ "/", "/a/b", CACHE_REL_ABOVE },
		{ "/a/b/c", "/a/b", CACHE_REL_BELOW },
		{ "/a/b", "/", CACHE_REL_BELOW },
		{ "/", "/", CACHE_REL_EXPECTED },
		{ "/a/bc", "/a/b", CACHE_REL_ELSEWHERE },	/* prefix but not a path prefix */
		{ "/a/b", "/a/bc", CACHE_REL_ELSEWHERE },
		{ "/x", "/a/b", CACHE_REL_ELSEWHERE },
		{ NULL, "/a", CACHE_REL_UNKNOWN },
		{ "/a", NULL, CACHE_REL_NONE },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(cache_owner_relation(t[i].owner, t[i].expect), t[i].want);
	assert_string_equal(cache_rel_name(CACHE_REL_ABOVE), "above_expected");
	assert_string_equal(cache_rel_name((enum cache_rel)99), "unknown");
}

static void test_tally(void **state)
{
	struct kpage_rec recs[CACHE_OWNERS_MAX + 3];
	struct cache_scan s = { .recs = recs, .page_size = 4096 };
	static struct cache_tally t;

	(void)state;
	/* owner 10: active clean, inactive dirty, mlocked+unevictable mapped; owner 0: one page */
	recs[0] = (struct kpage_rec){ 0, B(5) | B(6), 1, 10 };
	recs[1] = (struct kpage_rec){ 1, B(5) | B(4), 1, 10 };
	recs[2] = (struct kpage_rec){ 2, B(5) | B(33) | B(18), 2, 10 };
	recs[3] = (struct kpage_rec){ 3, B(5), 1, 0 };
	s.n = 4;
	cache_tally(&s, &t);
	assert_int_equal(t.n, 2);
	assert_true(t.owners[0].ino == 10 && t.owners[0].pages == 3);
	assert_true(t.owners[0].active == 1 && t.owners[0].inactive == 1 && t.owners[0].dirty == 1);
	assert_true(t.owners[0].mlocked == 1 && t.owners[0].unevictable == 1 && t.owners[0].mapped == 1);
	assert_true(t.owners[0].skip[CACHE_SKIP_NONE] == 1 && t.owners[0].skip[CACHE_SKIP_DIRTY] == 1 &&
		    t.owners[0].skip[CACHE_SKIP_MLOCKED] == 1);
	assert_true(t.owners[1].ino == 0 && t.owners[1].pages == 1);
	assert_true(t.skip[CACHE_SKIP_NONE] == 2);
	/* more owners than the table: counted, not itemised */
	for (size_t i = 0; i < CACHE_OWNERS_MAX + 3; i++)
		recs[i] = (struct kpage_rec){ i, B(5), 1, 100 + i };
	s.n = CACHE_OWNERS_MAX + 3;
	cache_tally(&s, &t);
	assert_int_equal(t.n, CACHE_OWNERS_MAX);
	assert_true(t.owners_dropped_pages == 3);
	s.n = 0;
	cache_tally(&s, &t);
	assert_int_equal(t.n, 0);
}

static void test_norm(void **state)
{
	const char *m = "/sys/fs/cgroup/memory";
	char out[CACHE_PATH_MAX];

	(void)state;
	const struct {
		const char *in, *want;
	} ok[] = {
		{ "/sys/fs/cgroup/memory/a/b", "/a/b" }, { "/sys/fs/cgroup/memory", "/" },
		{ "/sys/fs/cgroup/memory/", "/" }, { "/a/b", "/a/b" }, { "a/b", "/a/b" },
		{ "a//b/", "/a/b" }, { "", "/" }, { "/", "/" },
		{ "/sys/fs/cgroup/memoryx/a", "/sys/fs/cgroup/memoryx/a" },	/* not the mount */
		{ "/a/.b/..c", "/a/.b/..c" },
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(cache_cgroup_norm(ok[i].in, strlen(ok[i].in), m, out, sizeof(out)), 0);
		assert_string_equal(out, ok[i].want);
	}
	assert_int_equal(cache_cgroup_norm("/a/b", 4, NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "/a/b");
	strcpy(out, "untouched");
	assert_int_equal(cache_cgroup_norm("/a/../b", 7, m, out, sizeof(out)), -EINVAL);
	assert_int_equal(cache_cgroup_norm("/a/./b", 6, m, out, sizeof(out)), -EINVAL);
	assert_int_equal(cache_cgroup_norm("..", 2, m, out, sizeof(out)), -EINVAL);
	assert_int_equal(cache_cgroup_norm("/a\nb", 4, m, out, sizeof(out)), -EINVAL);
	assert_int_equal(cache_cgroup_norm("/a\0b", 4, m, out, sizeof(out)), -EINVAL);
	assert_int_equal(cache_cgroup_norm("/abc", 4, m, out, 4), -E2BIG);
	assert_string_equal(out, "untouched");
	char big[CACHE_PATH_MAX + 10];
	memset(big, 'x', sizeof(big));
	assert_int_equal(cache_cgroup_norm(big, sizeof(big), m, out, sizeof(out)), -E2BIG);
	assert_int_equal(cache_cgroup_norm(big, CACHE_PATH_MAX - 2, m, out, sizeof(out)), 0);
	assert_int_equal(strlen(out), CACHE_PATH_MAX - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pagemap), cmocka_unit_test(test_flags),
		cmocka_unit_test(test_verdict), cmocka_unit_test(test_relation),
		cmocka_unit_test(test_tally),	cmocka_unit_test(test_norm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
