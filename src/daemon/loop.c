/* loop.c - the event loop: one epoll set over a signalfd, two timerfds (a
 * 1 s housekeeping tick and the earliest per-cgroup poll deadline), the
 * inotify fd and the per-cgroup event fds. Handlers never block for long and
 * bound their work (reclaim rounds are bounded by chunks and budgets). */
#define _GNU_SOURCE
#include "daemon/ctx.h"
#include "util/clock.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#define MAX_EVENTS 64

void loop_arm_poll(struct hr_ctx *c)
{
	uint64_t next = UINT64_MAX;
	struct itimerspec its = { 0 };

	for (uint32_t i = 0; i < c->ncg; i++)
		if (c->cg[i].used && c->cg[i].next_poll_ns < next)
			next = c->cg[i].next_poll_ns;
	if (next == c->armed_poll_ns)
		return;
	c->armed_poll_ns = next;
	if (next != UINT64_MAX) {
		if (next == 0)
			next = 1;	/* 0 would disarm: "at once" */
		its.it_value.tv_sec = (time_t)(next / 1000000000u);
		its.it_value.tv_nsec = (long)(next % 1000000000u);
	}
	timerfd_settime(c->pollfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void on_signal(struct hr_ctx *c)
{
	struct signalfd_siginfo si;

	while (read(c->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			hr_log(c, 6, "SIGHUP: reloading configuration");
			/* The file is checked before the parser opens it: a FIFO
			 * would block the agent for good, a file others can
			 * write would choose what it writes. */
			char why[160];
			if (c->opts.config_path && daemon_check_config(c->opts.config_path, why, sizeof(why)))
				hr_log(c, 3, "reload: %s: %s; keeping the old configuration",
				       c->opts.config_path, why);
			else
				daemon_reload(c);
		} else {
			hr_log(c, 6, "%s: stopping", si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
			c->stop = true;
		}
	}
}

static void on_tick(struct hr_ctx *c)
{
	uint64_t n;

	if (read(c->tickfd, &n, sizeof(n)) != (ssize_t)sizeof(n))
		return;
	c->tick_count++;
	daemon_write_status(c);
	if (c->watchdog_usec)
		daemon_notify(c, "WATCHDOG=1");
	if (c->inofd < 0 && c->tick_count % 10 == 0)
		watch_scan(c);
	watch_retry_dropped(c);
}

int loop_once(struct hr_ctx *c, int timeout_ms)
{
	struct epoll_event ev[MAX_EVENTS];
	int n = epoll_wait(c->epfd, ev, MAX_EVENTS, timeout_ms);

	if (n < 0) {
		if (errno == EINTR)
			return 0;
		hr_log(c, 2, "epoll_wait: %s; stopping", strerror(errno));
		return -errno;
	}
	for (int i = 0; i < n; i++) {
		uint32_t id = ev[i].data.u32;
		switch (id & HR_SRC_KIND_MASK) {
		case HR_SRC_EVFD_V1:
			events_v1_ready(c, (int)(id & ~HR_SRC_KIND_MASK));
			continue;
		case HR_SRC_EVENTS_V2:
			events_v2_ready(c, (int)(id & ~HR_SRC_KIND_MASK));
			continue;
		case HR_SRC_PSI_V2:
			events_v2_psi(c, (int)(id & ~HR_SRC_KIND_MASK));
			continue;
		default:
			break;
		}
		switch (id) {
		case HR_SRC_SIGNAL:
			on_signal(c);
			break;
		case HR_SRC_TICK:
			on_tick(c);
			break;
		case HR_SRC_POLL: {
			uint64_t x;
			if (read(c->pollfd, &x, sizeof(x)) < 0 && errno != EAGAIN)
				break;
			c->armed_poll_ns = UINT64_MAX;
			agent_poll_due(c, clock_mono_ns());
			break;
		}
		case HR_SRC_INOTIFY:
			watch_inotify(c);
			break;
		default:
			break;
		}
	}
	loop_arm_poll(c);
	return 0;
}

int loop_run(struct hr_ctx *c)
{
	int watchdog_ms = c->watchdog_usec ? (int)(c->watchdog_usec / 2000) : -1;

	while (!c->stop) {
		int rc = loop_once(c, watchdog_ms > 0 && watchdog_ms < 1000 ? watchdog_ms : -1);
		if (rc < 0)
			return rc;
	}
	return 0;
}
