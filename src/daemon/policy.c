/* policy.c - which backend reclaims a limited cgroup under its policy, and
 * why (for the log and the man page's table). See ctx.h. */
#define _GNU_SOURCE
#include "daemon/ctx.h"

#include <errno.h>

/* Picks the backend for a limited cgroup and says why (for the log and the
 * man page's table). Mode observe gets the backend mode reclaim would use:
 * it runs the same code and stops at the write (cgtable.c sets g->dry). */
enum hr_backend policy_backend(const struct hr_ctx *c, struct hr_cg *g, const struct hr_policy *p)
{
	if (p->backend == HR_BACK_OBSERVE) {
		g->why = "policy backend is observe";
		return HR_BE_OBSERVE;
	}
	if (p->backend == HR_BACK_AUTO || p->backend == HR_BACK_WMARK) {
		if (cg_has(c, g, MEMCG_F_WMARK_RATIO)) {
			g->why = "kernel watermarks (memory.wmark_ratio) present: configured, kernel reclaims";
			return HR_BE_WMARK;
		}
		if (p->backend == HR_BACK_WMARK) {
			g->why = "backend wmark asked but memory.wmark_ratio is absent: observing";
			return HR_BE_OBSERVE;
		}
	}
	if (!c->v2) {
		if (p->backend != HR_BACK_AUTO && p->backend != HR_BACK_V1_LIMIT) {
			g->why = "asked backend needs cgroup v2: observing";
			return HR_BE_OBSERVE;
		}
		if (!g->limit_rw) {
			g->why = g->limit_err == -EACCES || g->limit_err == -EPERM ?
				"memory.limit_in_bytes is not writable (Permission denied; run as root): observing" :
				"memory.limit_in_bytes cannot be opened for writing: observing";
			return HR_BE_OBSERVE;
		}
		g->why = "cgroup v1: memory.limit_in_bytes lowered per chunk and restored at once";
		return HR_BE_V1_LIMIT;
	}
	bool has_reclaim = cg_has(c, g, MEMCG_F_RECLAIM);
	if ((p->backend == HR_BACK_AUTO || p->backend == HR_BACK_V2_RECLAIM) && has_reclaim) {
		g->why = "cgroup v2 memory.reclaim (5.19+)";
		return HR_BE_V2_RECLAIM;
	}
	if (p->backend == HR_BACK_AUTO || p->backend == HR_BACK_V2_HIGH) {
		if (cg_has(c, g, MEMCG_F_HIGH)) {
			g->why = "cgroup v2 without memory.reclaim: memory.high lowered for one write, journaled";
			return HR_BE_V2_HIGH;
		}
	}
	g->why = "no usable reclaim interface: observing";
	return HR_BE_OBSERVE;
}
