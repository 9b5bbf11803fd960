/* loop.c - see loop.h. */
#define _GNU_SOURCE
#include "daemon/loop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 64

int loop_init(struct loop *l, uint32_t nslots)
{
	memset(l, 0, sizeof(*l));
	l->epfd = -1;
	l->free_head = l->dead_head = -1;
	if (nslots == 0 || nslots > (1u << 24))
		return -EINVAL;
	l->slot = calloc(nslots, sizeof(*l->slot));
	if (!l->slot)
		return -ENOMEM;
	l->nslots = nslots;
	for (uint32_t i = nslots; i-- > 0;) {
		l->slot[i].fd = -1;
		l->slot[i].next = l->free_head;
		l->free_head = (int)i;
	}
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		int rc = -errno;
		loop_fini(l);
		return rc;
	}
	return 0;
}

void loop_fini(struct loop *l)
{
	for (uint32_t i = 0; l->slot && i < l->nslots; i++)
		if (l->slot[i].timer && l->slot[i].fd >= 0)
			close(l->slot[i].fd);
	if (l->epfd >= 0)
		close(l->epfd);
	free(l->slot);
	memset(l, 0, sizeof(*l));
	l->epfd = -1;
	l->free_head = l->dead_head = -1;
}

int loop_add(struct loop *l, int fd, uint32_t mask, loop_proc *proc, void *data)
{
	int id = l->free_head;

	if (fd < 0 || !proc)
		return -EINVAL;
	if (id < 0)
		return -ENOSPC;
	struct epoll_event ev = { .events = mask, .data.u32 = (uint32_t)id };
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev))
		return -errno;
	struct loop_slot *s = &l->slot[id];
	l->free_head = s->next;
	s->fd = fd;
	s->timer = false;
	s->proc = proc;
	s->data = data;
	s->next = -1;
	l->nused++;
	return id;
}

static struct loop_slot *live(struct loop *l, int id)
{
	if (id < 0 || (uint32_t)id >= l->nslots || l->slot[id].fd < 0)
		return NULL;
	return &l->slot[id];
}

int loop_mod(struct loop *l, int id, uint32_t mask)
{
	struct loop_slot *s = live(l, id);
	struct epoll_event ev = { .events = mask, .data.u32 = (uint32_t)id };

	if (!s)
		return -EINVAL;
	return epoll_ctl(l->epfd, EPOLL_CTL_MOD, s->fd, &ev) ? -errno : 0;
}

void loop_del(struct loop *l, int id)
{
	struct loop_slot *s = live(l, id);

	if (!s)
		return;
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, s->fd, NULL);	/* ENOENT/EBADF: already gone */
	if (s->timer)
		close(s->fd);
	s->fd = -1;
	s->proc = NULL;
	s->data = NULL;
	s->timer = false;
	l->nused--;
	/* An event for this id may still be in the current batch: the slot
	 * goes back to the free list only after it. */
	if (l->dispatching) {
		s->next = l->dead_head;
		l->dead_head = id;
	} else {
		s->next = l->free_head;
		l->free_head = id;
	}
}

int loop_timer_add(struct loop *l, loop_proc *proc, void *data)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	int id;

	if (fd < 0)
		return -errno;
	id = loop_add(l, fd, LOOP_IN, proc, data);
	if (id < 0) {
		close(fd);
		return id;
	}
	l->slot[id].timer = true;
	return id;
}

int loop_timer_arm(struct loop *l, int id, uint64_t abs_ns, uint64_t period_ns)
{
	struct loop_slot *s = live(l, id);
	struct itimerspec its = { 0 };

	if (!s || !s->timer)
		return -EINVAL;
	if (abs_ns != UINT64_MAX) {
		if (abs_ns == 0)
			abs_ns = 1;	/* 0 would disarm: "at once" */
		its.it_value.tv_sec = (time_t)(abs_ns / 1000000000u);
		its.it_value.tv_nsec = (long)(abs_ns % 1000000000u);
		its.it_interval.tv_sec = (time_t)(period_ns / 1000000000u);
		its.it_interval.tv_nsec = (long)(period_ns % 1000000000u);
	}
	return timerfd_settime(s->fd, TFD_TIMER_ABSTIME, &its, NULL) ? -errno : 0;
}

int loop_once(struct loop *l, int timeout_ms)
{
	struct epoll_event ev[MAX_EVENTS];
	int n = epoll_wait(l->epfd, ev, MAX_EVENTS, timeout_ms);

	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	l->dispatching = true;
	for (int i = 0; i < n; i++) {
		struct loop_slot *s = live(l, (int)ev[i].data.u32);
		if (!s)
			continue;	/* deleted earlier in this batch */
		if (s->timer) {
			uint64_t x;
			if (read(s->fd, &x, sizeof(x)) != (ssize_t)sizeof(x))
				continue;	/* re-armed meanwhile: not expired */
		}
		l->dispatched++;
		s->proc(l, s->fd, s->data, ev[i].events);
	}
	l->dispatching = false;
	while (l->dead_head >= 0) {
		int id = l->dead_head;
		l->dead_head = l->slot[id].next;
		l->slot[id].next = l->free_head;
		l->free_head = id;
	}
	return 0;
}

int loop_run(struct loop *l, int timeout_ms)
{
	while (!l->stop) {
		int rc = loop_once(l, timeout_ms);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void loop_stop(struct loop *l)
{
	l->stop = true;
}
