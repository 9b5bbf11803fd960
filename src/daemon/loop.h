/* loop.h - the agent's event loop: epoll over a preallocated table of
 * sources, each with its own handler and data (the shape of redis' ae.c,
 * aeCreateFileEvent(loop, fd, mask, proc, data)). The loop names no module:
 * whoever owns an fd registers it, and gets a source id back.
 *
 *	struct loop l;
 *	loop_init(&l, nslots);			   before ready: the only allocation
 *	int id = loop_add(&l, fd, LOOP_IN, on_readable, obj);
 *	int t = loop_timer_add(&l, on_timer, obj); a timerfd, owned by the loop
 *	loop_timer_arm(&l, t, deadline_ns, 0);	   CLOCK_MONOTONIC, absolute
 *	while (!l.stop) loop_once(&l, -1);
 *	loop_del(&l, id);			   before the owner closes fd
 *
 * A handler is called as proc(loop, fd, data, events) with the epoll event
 * bits that fired. It may add and delete sources, its own included: a
 * source deleted during a batch is never called again, and its slot is
 * reused only after the batch. A timer's handler is called once per expiry
 * batch (the timerfd is read first).
 *
 * Sockets: a listening socket is loop_add(l, lfd, LOOP_IN, on_accept, srv);
 * on_accept accept4()s with SOCK_NONBLOCK and loop_add()s each client fd
 * with its own data; loop_mod() switches a client to LOOP_OUT while it has
 * output queued. Handlers must not block (non-blocking fds, bounded work).
 *
 * No allocation after loop_init, no logging; all calls return 0 (or an id)
 * or -errno. One loop per thread; not thread-safe.
 */
#ifndef HR_DAEMON_LOOP_H
#define HR_DAEMON_LOOP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/epoll.h>

#define LOOP_IN EPOLLIN
#define LOOP_OUT EPOLLOUT
#define LOOP_PRI EPOLLPRI	/* kernfs_notify: memory.events, PSI triggers */

struct loop;
typedef void loop_proc(struct loop *l, int fd, void *data, uint32_t events);

struct loop_slot {
	int fd;			/* -1: free or deleted */
	bool timer;		/* fd is a timerfd the loop created and closes */
	loop_proc *proc;
	void *data;
	int next;		/* free list / deferred-free list link */
};

struct loop {
	int epfd;
	struct loop_slot *slot;	/* [nslots], allocated by loop_init */
	uint32_t nslots, nused;
	int free_head;		/* -1 when the table is full */
	int dead_head;		/* deleted during the current batch */
	bool dispatching;
	bool stop;		/* set by a handler (loop_stop) to end loop_run */
	uint64_t dispatched;	/* handler calls, for tests and status */
};

/* Allocates a table of nslots sources and the epoll set. */
int loop_init(struct loop *l, uint32_t nslots);
/* Closes the epoll set and the loop's timerfds, frees the table. Sources
 * still registered are dropped; their fds stay open (their owners close them). */
void loop_fini(struct loop *l);

/* Registers fd for the events in mask (LOOP_IN, LOOP_OUT, LOOP_PRI, and
 * any EPOLL* bit). Returns a source id >= 0, -ENOSPC when the table is
 * full, or epoll_ctl's -errno. */
int loop_add(struct loop *l, int fd, uint32_t mask, loop_proc *proc, void *data);
/* Changes the event mask of source id. */
int loop_mod(struct loop *l, int id, uint32_t mask);
/* Unregisters source id (a negative id is ignored); a timer's fd is closed,
 * any other fd is left to its owner. */
void loop_del(struct loop *l, int id);

/* A timer: a CLOCK_MONOTONIC timerfd in the table. Returns its id. */
int loop_timer_add(struct loop *l, loop_proc *proc, void *data);
/* Fires at abs_ns (CLOCK_MONOTONIC; 0 = at once, UINT64_MAX = disarmed),
 * then every period_ns if not 0. */
int loop_timer_arm(struct loop *l, int id, uint64_t abs_ns, uint64_t period_ns);

/* Waits up to timeout_ms (-1: forever) and runs the handlers of what fired.
 * 0, or -errno of epoll_wait (EINTR is 0). */
int loop_once(struct loop *l, int timeout_ms);
/* loop_once until loop_stop() or an error. */
int loop_run(struct loop *l, int timeout_ms);
void loop_stop(struct loop *l);

#endif
