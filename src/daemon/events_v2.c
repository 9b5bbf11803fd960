/* events_v2.c - cgroup v2: memory.events is pollable (kernfs_notify, EPOLLPRI)
 * and changes when the cgroup hits memory.high or memory.max. That is after
 * the fact, so on v2 the agent's main trigger is the adaptive poll (agent.c:
 * interval = predicted time to reach the high mark / 2); memory.events makes
 * it react at once to a hit it did not prevent, and counts the hits.
 *
 * memory.events, Linux 6.1 (Debian cloud kernel under qemu):
 *   low 0
 *   high 0
 *   max 1616
 *   oom 0
 *   oom_kill 0
 *   oom_group_kill 0
 */
#define _GNU_SOURCE
#include "daemon/ctx.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "util/parse.h"
#include "util/clock.h"

static int read_max(struct hr_ctx *c, struct hr_cg *g, uint64_t *max)
{
	struct memcg_events ev;
	int rc = memcg_file_events(g->events_fd, c->buf, sizeof(c->buf), &ev);

	if (rc)
		return rc;
	if (ev.max == HR_UNSET)
		return -ENODATA;
	*max = ev.max;
	return 0;
}

static void on_psi(struct loop *l, int fd, void *data, uint32_t events)
{
	struct hr_ctx *c = ctx_of_loop(l);
	struct hr_cg *g = data;

	(void)events;
	if (!g->used || g->psi_fd != fd)
		return;
	c->st.events_v2++;
	c->trigger = "psi";
	agent_check(c, (int)(g - c->cg), clock_mono_ns());
	agent_arm_poll(c);
}

/* memory.events changed (kernfs_notify): count the new max hits. */
static void on_events(struct loop *l, int fd, void *data, uint32_t events)
{
	struct hr_ctx *c = ctx_of_loop(l);
	struct hr_cg *g = data;
	uint64_t max = 0;

	(void)events;
	if (!g->used || g->events_fd != fd)
		return;
	c->st.events_v2++;
	if (read_max(c, g, &max) == 0) {
		if (max > g->max_events)
			c->st.limit_hits_v2 += max - g->max_events;
		g->max_events = max;
	}
	c->trigger = "memory.events";
	agent_check(c, (int)(g - c->cg), clock_mono_ns());
	agent_arm_poll(c);
}

/* A PSI trigger on the cgroup's memory.pressure (Documentation/accounting/
 * psi.rst; per-cgroup since 5.2): 10 ms of "some" stall within 2 s. Stalls
 * mean the workload is already reclaiming or throttled, so this is a late
 * signal like memory.events, kept as a second net for what polling missed.
 * The window is 2 s because without CAP_SYS_RESOURCE (6.5+) it must be a
 * multiple of 2 s; the trigger dies with our fd, so nothing is journaled. */
static void psi_register(struct hr_ctx *c, int idx)
{
	static const char trig[] = "some 10000 2000000";
	struct hr_cg *g = &c->cg[idx];

	g->psi_fd = cg_open(c, g, MEMCG_F_PRESSURE, O_RDWR);
	if (g->psi_fd < 0) {
		hr_log(c, 7, "%s: no PSI trigger: memory.pressure: %s", g->path, strerror(-g->psi_fd));
		g->psi_fd = -1;	/* no PSI on this kernel (or psi=0): optional */
		return;
	}
	if (g->regular || write(g->psi_fd, trig, sizeof(trig)) != (ssize_t)sizeof(trig) ||
	    (g->psi_id = loop_add(&c->loop, g->psi_fd, LOOP_PRI, on_psi, g)) < 0) {
		int e = g->regular ? 0 : g->psi_id < -1 ? -g->psi_id : errno;
		hr_log(c, 7, "%s: no PSI trigger: %s", g->path, g->regular ? "fixture" : strerror(e));
		g->psi_id = -1;
		close(g->psi_fd);
		g->psi_fd = -1;
	}
}


int events_v2_register(struct hr_ctx *c, int idx)
{
	struct hr_cg *g = &c->cg[idx];

	if (g->limited && g->psi_fd < 0)
		psi_register(c, idx);
	if (!g->limited || g->events_fd >= 0)
		return 0;
	g->events_fd = cg_open(c, g, MEMCG_F_EVENTS, O_RDONLY);
	if (g->events_fd < 0) {
		g->events_fd = -1;
		return 0;	/* optional: polling still works */
	}
	if (read_max(c, g, &g->max_events))
		g->max_events = 0;
	g->events_id = loop_add(&c->loop, g->events_fd, LOOP_PRI, on_events, g);
	if (g->events_id < 0) {
		int rc = g->events_id;
		g->events_id = -1;
		close(g->events_fd);
		g->events_fd = -1;
		return rc;
	}
	return 0;
}
