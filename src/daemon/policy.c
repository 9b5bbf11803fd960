/* policy.c - which backend reclaims a limited cgroup under its policy: what
 * the cgroup's files say, handed to the reclaim judge
 * (detect/reclaim_judge.h), which decides. See ctx.h. */
#define _GNU_SOURCE
#include "daemon/ctx.h"

/* config.h's preference is the judge's, value for value. */
_Static_assert((int)HR_BACK_AUTO == (int)RECLAIM_PREF_AUTO && (int)HR_BACK_V1_LIMIT == (int)RECLAIM_PREF_V1_LIMIT &&
	       (int)HR_BACK_V2_RECLAIM == (int)RECLAIM_PREF_V2_RECLAIM &&
	       (int)HR_BACK_V2_HIGH == (int)RECLAIM_PREF_V2_HIGH && (int)HR_BACK_WMARK == (int)RECLAIM_PREF_WMARK &&
	       (int)HR_BACK_OBSERVE == (int)RECLAIM_PREF_OBSERVE, "enum hr_backend_pref != enum reclaim_backend_pref");

/* Mode observe gets the backend mode reclaim would use: it runs the same
 * code and stops at the write (cgtable.c sets g->dry). */
enum reclaim_backend policy_backend(const struct hr_ctx *c, struct hr_cg *g, const struct hr_policy *p)
{
	struct reclaim_backend_in in = {
		.pref = (enum reclaim_backend_pref)p->backend,
		.v2 = c->v2,
		.limit_rw = g->limit_rw,
		.limit_err = g->limit_err,
	};

	/* Only what the judge's order of tests reaches: cg_has() is a
	 * faccessat per file. */
	if (p->backend == HR_BACK_AUTO || p->backend == HR_BACK_WMARK)
		in.has_wmark_ratio = cg_has(c, g, MEMCG_F_WMARK_RATIO);
	if (c->v2) {
		in.has_reclaim = cg_has(c, g, MEMCG_F_RECLAIM);
		in.has_high = cg_has(c, g, MEMCG_F_HIGH);
	}
	return reclaim_judge_backend(&in, &g->why);
}
