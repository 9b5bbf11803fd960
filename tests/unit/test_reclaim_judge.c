/* test_reclaim_judge.c - the memcg reclaim decision: HOLD or RECLAIM per
 * backend, dry run, byte and CPU budgets, the refill, the steal deadline,
 * and the backend a policy gets. */
#include "testutil.h"

#include <errno.h>

#include "detect/reclaim_judge.h"
#include "util/parse.h"

#define MIB (UINT64_C(1) << 20)
#define NSEC UINT64_C(1000000000)

/* A 256 MiB v1 cgroup at 240 MiB, high 230, low 200, 100 MiB of inactive
 * cache, full budgets: the agent's usual crossing. */
static struct reclaim_judge_in base(void)
{
	return (struct reclaim_judge_in){
		.backend = RECLAIM_BE_V1_LIMIT,
		.usage_bytes = 240 * MIB, .limit_bytes = 256 * MIB, .high_bytes = 230 * MIB, .low_bytes = 200 * MIB,
		.inactive_file_bytes = 100 * MIB, .active_file_bytes = 50 * MIB,
		.fill_bps = 0, .allow_active = false, .chunk_bytes = 32 * MIB,
		.budget = { .bytes = 1024 * MIB, .cpu_ns = NSEC / 10 },
	};
}

static void test_table(void **state)
{
	(void)state;
	struct reclaim_judge_in t;
	const struct {
		const char *name;
		enum reclaim_backend be;
		bool dry;
		uint64_t usage, inactive, budget_bytes, cpu_ns;
		enum reclaim_verdict verdict;
		enum reclaim_why why;
		bool would, again;
		unsigned throttled;
		uint64_t target;	/* RECLAIM and would: plan target, MiB */
	} c[] = {
		{ "reclaim to low", RECLAIM_BE_V1_LIMIT, false, 240, 100, 1024, 100, RECLAIM_RECLAIM,
		  RECLAIM_WHY_PLANNED, false, false, 0, 200 },
		/* floor = 240 - 30 + margin 2.56 MiB (1% of the limit < chunk) */
		{ "floor", RECLAIM_BE_V2_RECLAIM, false, 240, 30, 1024, 100, RECLAIM_RECLAIM,
		  RECLAIM_WHY_PLANNED, false, false, 0, 0 },
		{ "below high", RECLAIM_BE_V1_LIMIT, false, 229, 100, 1024, 100, RECLAIM_HOLD,
		  RECLAIM_WHY_NOT_RECLAIMABLE, false, false, 0, 0 },
		{ "nothing reclaimable", RECLAIM_BE_V1_LIMIT, false, 240, 0, 1024, 100, RECLAIM_HOLD,
		  RECLAIM_WHY_NOT_RECLAIMABLE, false, false, 0, 0 },
		{ "bytes spent: look again", RECLAIM_BE_V1_LIMIT, false, 240, 100, 0, 100, RECLAIM_HOLD,
		  RECLAIM_WHY_NOT_RECLAIMABLE, false, true, 1, 0 },
		{ "byte budget cuts the round", RECLAIM_BE_V1_LIMIT, false, 240, 100, 16, 100, RECLAIM_RECLAIM,
		  RECLAIM_WHY_PLANNED, false, false, 1, 224 },
		{ "cpu spent", RECLAIM_BE_V2_HIGH, false, 240, 100, 1024, 0, RECLAIM_HOLD,
		  RECLAIM_WHY_CPU_SPENT, false, true, 1, 0 },
		{ "cpu and bytes both short", RECLAIM_BE_V2_HIGH, false, 240, 100, 16, 0, RECLAIM_HOLD,
		  RECLAIM_WHY_CPU_SPENT, false, true, 2, 0 },
		{ "no backend", RECLAIM_BE_NONE, false, 240, 100, 1024, 100, RECLAIM_HOLD,
		  RECLAIM_WHY_NO_BACKEND, false, false, 0, 0 },
		{ "wmark: the kernel does it", RECLAIM_BE_WMARK, false, 240, 100, 1024, 100, RECLAIM_HOLD,
		  RECLAIM_WHY_KERNEL_WMARK, false, false, 0, 0 },
		/* dry: the same plan, run to the first write; budgets do not defer it */
		{ "dry v1", RECLAIM_BE_V1_LIMIT, true, 240, 100, 1024, 0, RECLAIM_RECLAIM,
		  RECLAIM_WHY_PLANNED, true, false, 0, 200 },
		{ "dry, budget cut not counted", RECLAIM_BE_V1_LIMIT, true, 240, 100, 16, 0, RECLAIM_RECLAIM,
		  RECLAIM_WHY_PLANNED, true, false, 0, 224 },
		{ "dry, bytes spent: not again", RECLAIM_BE_V1_LIMIT, true, 240, 0, 0, 0, RECLAIM_HOLD,
		  RECLAIM_WHY_NOT_RECLAIMABLE, false, false, 0, 0 },
		{ "dry wmark: would, nothing to run", RECLAIM_BE_WMARK, true, 240, 100, 1024, 100, RECLAIM_HOLD,
		  RECLAIM_WHY_PLANNED, true, false, 0, 200 },
		/* observe: no budget at all (it never spends one) */
		{ "observe", RECLAIM_BE_OBSERVE, false, 240, 100, 0, 0, RECLAIM_HOLD,
		  RECLAIM_WHY_PLANNED, true, false, 0, 200 },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct reclaim_decision d;
		t = base();
		t.backend = c[i].be;
		t.dry = c[i].dry;
		t.usage_bytes = c[i].usage * MIB;
		t.inactive_file_bytes = c[i].inactive * MIB;
		t.budget.bytes = c[i].budget_bytes * MIB;
		t.budget.cpu_ns = c[i].cpu_ns * 1000000;
		assert_int_equal(reclaim_judge_decide(&t, &d), 0);
		if (d.verdict != c[i].verdict || d.why != c[i].why || d.would != c[i].would ||
		    d.again != c[i].again || d.throttled != c[i].throttled)
			fail_msg("%s: verdict %d why %d would %d again %d throttled %u", c[i].name, d.verdict,
				 d.why, d.would, d.again, d.throttled);
		assert_non_null(d.reason);
		assert_int_equal(d.backend, c[i].be);
		if (c[i].target)
			assert_true(d.plan.target_bytes == c[i].target * MIB);
		if (d.verdict == RECLAIM_RECLAIM) {
			assert_true(d.plan.target_bytes < t.usage_bytes);
			assert_true(d.plan.target_bytes >= d.plan.floor_bytes || d.plan.limited_by_budget);
			assert_true(d.plan.want_bytes == t.usage_bytes - d.plan.target_bytes);
			assert_true(d.chunk_bytes == 32 * MIB);
			assert_int_equal(d.max_chunks, RECLAIM_MAX_CHUNKS);
			assert_int_equal(d.dry, c[i].dry);
			assert_true(d.steal_after_ns > 0);
		}
	}
	/* the floor case: usage - reclaimable + margin, in whole pages */
	struct reclaim_decision d;
	t = base();
	t.inactive_file_bytes = 30 * MIB;
	assert_int_equal(reclaim_judge_decide(&t, &d), 0);
	assert_true(d.plan.limited_by_floor);
	assert_true(d.plan.floor_bytes >= 210 * MIB + 256 * MIB / 100);
	assert_true(d.plan.floor_bytes < 210 * MIB + 256 * MIB / 100 + 65536);
	/* reclaim_active counts the active list */
	t.allow_active = true;
	assert_int_equal(reclaim_judge_decide(&t, &d), 0);
	assert_true(d.plan.target_bytes == 200 * MIB);
	assert_false(d.plan.limited_by_floor);
}

static void test_bad_input(void **state)
{
	(void)state;
	struct reclaim_decision d;
	struct reclaim_judge_in t = base();

	t.low_bytes = t.high_bytes + 1;	/* low > high */
	assert_int_equal(reclaim_judge_decide(&t, &d), -EINVAL);
	assert_int_equal(d.verdict, RECLAIM_HOLD);
	assert_int_equal(d.why, RECLAIM_WHY_BAD_INPUT);
	assert_false(d.again);
	t = base();
	t.high_bytes = t.limit_bytes + 1;
	assert_int_equal(reclaim_judge_decide(&t, &d), -EINVAL);
	t = base();
	t.usage_bytes = HR_UNSET;
	assert_int_equal(reclaim_judge_decide(&t, &d), -EINVAL);
	t.budget.bytes = 0;	/* a short byte budget still asks for another look */
	assert_int_equal(reclaim_judge_decide(&t, &d), -EINVAL);
	assert_true(d.again);
	assert_int_equal(d.throttled, 1);
	/* unknown LRU sizes count as nothing reclaimable */
	t = base();
	t.inactive_file_bytes = HR_UNSET;
	assert_int_equal(reclaim_judge_decide(&t, &d), 0);
	assert_int_equal(d.why, RECLAIM_WHY_NOT_RECLAIMABLE);
}

static void test_wants_lru(void **state)
{
	(void)state;
	assert_false(reclaim_judge_wants_lru(RECLAIM_BE_NONE, false));
	assert_false(reclaim_judge_wants_lru(RECLAIM_BE_NONE, true));
	assert_false(reclaim_judge_wants_lru(RECLAIM_BE_WMARK, false));
	assert_true(reclaim_judge_wants_lru(RECLAIM_BE_WMARK, true));
	assert_true(reclaim_judge_wants_lru(RECLAIM_BE_OBSERVE, false));
	assert_true(reclaim_judge_wants_lru(RECLAIM_BE_V1_LIMIT, false));
	assert_true(reclaim_judge_wants_lru(RECLAIM_BE_V2_RECLAIM, false));
	assert_true(reclaim_judge_wants_lru(RECLAIM_BE_V2_HIGH, false));
}

static void test_steal_after(void **state)
{
	(void)state;
	struct reclaim_decision d;
	struct reclaim_judge_in t = base();

	/* no rate known: 1 ms */
	assert_int_equal(reclaim_judge_decide(&t, &d), 0);
	assert_true(d.steal_after_ns == 1000000);
	/* 16 MiB to the limit at 1 GiB/s: half of 15.6 ms */
	t.fill_bps = 1024 * MIB;
	assert_int_equal(reclaim_judge_decide(&t, &d), 0);
	assert_true(d.steal_after_ns > 7800000 && d.steal_after_ns < 7900000);
	/* fast: the minimum 200 us; slow: the maximum 50 ms */
	t.fill_bps = 1000 * 1024 * MIB;
	assert_int_equal(reclaim_judge_decide(&t, &d), 0);
	assert_true(d.steal_after_ns == 200000);
	t.fill_bps = 1;
	assert_int_equal(reclaim_judge_decide(&t, &d), 0);
	assert_true(d.steal_after_ns == 50000000);
	/* at the limit already */
	t.usage_bytes = t.limit_bytes;
	t.fill_bps = 1;
	assert_int_equal(reclaim_judge_decide(&t, &d), 0);
	assert_true(d.steal_after_ns == 200000);
}

static void test_refill(void **state)
{
	(void)state;
	struct reclaim_budget b = { .bytes = 0, .cpu_ns = 0, .at_ns = 10 * NSEC };

	/* half a second at 100 MiB/s and 10% of a CPU */
	reclaim_budget_refill(&b, 100 * MIB, 10, 10 * NSEC + NSEC / 2);
	assert_true(b.bytes == 50 * MIB);
	assert_true(b.cpu_ns == NSEC / 20);
	assert_true(b.at_ns == 10 * NSEC + NSEC / 2);
	/* one second of burst at most */
	reclaim_budget_refill(&b, 100 * MIB, 10, 100 * NSEC);
	assert_true(b.bytes == 100 * MIB);
	assert_true(b.cpu_ns == NSEC / 10);
	/* a clock that did not move (or went back) adds nothing */
	b.bytes = 5;
	b.cpu_ns = 7;
	reclaim_budget_refill(&b, 100 * MIB, 10, 50 * NSEC);
	assert_true(b.bytes == 5 && b.cpu_ns == 7);
	/* saturates instead of wrapping */
	b = (struct reclaim_budget){ .bytes = UINT64_MAX - 1, .cpu_ns = UINT64_MAX - 1, .at_ns = 0 };
	reclaim_budget_refill(&b, UINT64_MAX / 2, 100, NSEC / 2);
	assert_true(b.bytes == UINT64_MAX / 2);
	assert_true(b.cpu_ns == NSEC);
}

static void test_backend(void **state)
{
	(void)state;
	const struct {
		struct reclaim_backend_in in;
		enum reclaim_backend want;
	} t[] = {
		{ { RECLAIM_PREF_OBSERVE, true, true, true, true, true, 0 }, RECLAIM_BE_OBSERVE },
		{ { RECLAIM_PREF_AUTO, true, true, true, true, true, 0 }, RECLAIM_BE_WMARK },
		{ { RECLAIM_PREF_WMARK, false, false, false, false, true, 0 }, RECLAIM_BE_OBSERVE },
		{ { RECLAIM_PREF_AUTO, false, false, false, false, true, 0 }, RECLAIM_BE_V1_LIMIT },
		{ { RECLAIM_PREF_AUTO, false, false, false, false, false, -EACCES }, RECLAIM_BE_OBSERVE },
		{ { RECLAIM_PREF_V2_RECLAIM, false, false, false, false, true, 0 }, RECLAIM_BE_OBSERVE },
		{ { RECLAIM_PREF_AUTO, true, false, true, true, false, 0 }, RECLAIM_BE_V2_RECLAIM },
		{ { RECLAIM_PREF_AUTO, true, false, false, true, false, 0 }, RECLAIM_BE_V2_HIGH },
		{ { RECLAIM_PREF_V2_HIGH, true, false, true, true, false, 0 }, RECLAIM_BE_V2_HIGH },
		{ { RECLAIM_PREF_V2_RECLAIM, true, false, false, true, false, 0 }, RECLAIM_BE_OBSERVE },
		{ { RECLAIM_PREF_V1_LIMIT, true, false, true, true, false, 0 }, RECLAIM_BE_OBSERVE },
		{ { RECLAIM_PREF_AUTO, true, false, false, false, false, 0 }, RECLAIM_BE_OBSERVE },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *why = NULL;
		if (reclaim_judge_backend(&t[i].in, &why) != t[i].want)
			fail_msg("row %zu: want backend %d", i, t[i].want);
		assert_non_null(why);
	}
	const char *why = NULL;
	struct reclaim_backend_in eacces = { RECLAIM_PREF_AUTO, false, false, false, false, false, -EACCES };
	reclaim_judge_backend(&eacces, &why);
	assert_non_null(strstr(why, "Permission denied"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_wants_lru),
		cmocka_unit_test(test_steal_after),
		cmocka_unit_test(test_refill),
		cmocka_unit_test(test_backend),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
