/* events_v1.c - cgroup v1 usage thresholds: an eventfd that the kernel
 * signals when memory.usage_in_bytes crosses a value, in either direction
 * (Documentation/admin-guide/cgroup-v1/memory.rst "Memory thresholds";
 * mm/memcontrol-v1.c). Measured on 6.18: fires 0-2.7 ms after the crossing,
 * 0.1-5 MiB past it (MEASURED-V1.md), so it is the agent's main trigger on
 * v1. Writing cgroup.event_control creates no lasting state to undo: the
 * kernel drops the registration when our eventfd is closed (or the cgroup
 * removed, when every registered eventfd fires once), so it is not journaled.
 */
#define _GNU_SOURCE
#include "daemon/ctx.h"
#include "util/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* The kernel signalled the eventfd: usage crossed the threshold. */
static void on_threshold(struct loop *l, int fd, void *data, uint32_t events)
{
	struct hr_ctx *c = ctx_of_loop(l);
	struct hr_cg *g = data;
	uint64_t n;

	(void)events;
	if (!g->used || g->evfd != fd)
		return;
	if (read(fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
		return;
	c->st.events_v1++;
	c->trigger = "event";
	agent_check(c, (int)(g - c->cg), clock_mono_ns());
	agent_arm_poll(c);
}

int events_v1_register(struct hr_ctx *c, int idx)
{
	struct hr_cg *g = &c->cg[idx];
	char msg[64];
	int fd, rc;

	if (!g->limited || g->usage_fd < 0)
		return 0;
	if (g->evfd >= 0 && g->threshold == g->high)
		return 0;
	if (g->evfd >= 0) {
		loop_del(&c->loop, g->evfd_id);
		g->evfd_id = -1;
		close(g->evfd);	/* unregisters the old threshold */
		g->evfd = -1;
	}
	g->threshold = 0;
	g->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (g->evfd < 0)
		return -errno;
	snprintf(msg, sizeof(msg), "%d %d %llu", g->evfd, g->usage_fd, (unsigned long long)g->high);
	fd = cg_open(c, g, MEMCG_F_EVENT_CONTROL, O_WRONLY);
	if (fd < 0) {
		rc = fd;
	} else {
		ssize_t n = write(fd, msg, strlen(msg));
		rc = n < 0 ? -errno : 0;
		close(fd);
	}
	if (rc) {
		hr_log(c, 4, "%s: cannot register a usage threshold: %s; polling instead", g->path,
		       strerror(-rc));
		close(g->evfd);
		g->evfd = -1;
		return rc;
	}
	g->evfd_id = loop_add(&c->loop, g->evfd, LOOP_IN, on_threshold, g);
	if (g->evfd_id < 0) {
		rc = g->evfd_id;
		g->evfd_id = -1;
		close(g->evfd);
		g->evfd = -1;
		return rc;
	}
	g->threshold = g->high;
	return 0;
}
