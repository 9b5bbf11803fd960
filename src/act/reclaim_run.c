/* reclaim_run.c - one round of a reclaim decision, by its backend. See
 * reclaim.h. */
#include "act/reclaim.h"

#include <errno.h>

int reclaim_run(struct hr_journal *j, enum reclaim_backend be, const struct reclaim_files *f,
		uint64_t orig_limit, const char *orig_high, const struct reclaim_plan *p,
		const struct reclaim_opts *o, struct reclaim_res *res)
{
	switch (be) {
	case RECLAIM_BE_V1_LIMIT:
		return reclaim_v1_squeeze(j, f, orig_limit, p, o, res);
	case RECLAIM_BE_V2_RECLAIM:
		return reclaim_v2_reclaim(f, p, o, res);
	case RECLAIM_BE_V2_HIGH:
		return reclaim_v2_high(j, f, orig_high, p, o, res);
	default:
		return -EINVAL;
	}
}
