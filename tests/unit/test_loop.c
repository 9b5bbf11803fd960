/* test_loop.c - the event loop (src/daemon/loop.h) over pipes and timers:
 * handlers get their own fd and data, a source deleted earlier in the same
 * batch is not called (and its slot is not reused inside the batch), a full
 * table is -ENOSPC, loop_mod switches the mask, timers fire once armed and
 * not when disarmed. */
#define _GNU_SOURCE
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "daemon/loop.h"
#include "util/clock.h"

struct src {
	int fd[2];
	int id;
	int calls;
	uint32_t last;
	struct src *kill;	/* deletes this source when called */
	struct loop *l;
};

static void on_ready(struct loop *l, int fd, void *data, uint32_t events)
{
	struct src *s = data;
	char b[16];

	assert_int_equal(fd, s->fd[0]);
	s->calls++;
	s->last = events;
	if (events & LOOP_IN)
		assert_true(read(fd, b, sizeof(b)) > 0);
	if (s->kill) {
		loop_del(l, s->kill->id);
		s->kill->id = -1;
		s->kill = NULL;
	}
}

static void mk(struct loop *l, struct src *s)
{
	memset(s, 0, sizeof(*s));
	assert_int_equal(pipe2(s->fd, O_NONBLOCK | O_CLOEXEC), 0);
	s->id = loop_add(l, s->fd[0], LOOP_IN, on_ready, s);
	assert_true(s->id >= 0);
}

static void rm(struct loop *l, struct src *s)
{
	loop_del(l, s->id);
	close(s->fd[0]);
	close(s->fd[1]);
}

static void test_dispatch_and_delete_in_batch(void **state)
{
	(void)state;
	struct loop l;
	struct src a, b;

	assert_int_equal(loop_init(&l, 2), 0);
	mk(&l, &a);
	mk(&l, &b);
	/* Full: a third source is refused, not dropped silently. */
	int extra[2];
	assert_int_equal(pipe2(extra, O_NONBLOCK), 0);
	assert_int_equal(loop_add(&l, extra[0], LOOP_IN, on_ready, NULL), -ENOSPC);
	/* Both readable; whichever runs first deletes the other. */
	a.kill = &b;
	b.kill = &a;
	assert_int_equal(write(a.fd[1], "x", 1), 1);
	assert_int_equal(write(b.fd[1], "y", 1), 1);
	assert_int_equal(loop_once(&l, 100), 0);
	assert_int_equal(a.calls + b.calls, 1);
	assert_int_equal(l.nused, 1);
	/* The freed slot is reusable after the batch. */
	int id = loop_add(&l, extra[0], LOOP_IN, on_ready, NULL);
	assert_true(id >= 0);
	loop_del(&l, id);
	struct src *alive = a.id >= 0 ? &a : &b, *dead = a.id >= 0 ? &b : &a;
	close(dead->fd[0]);
	close(dead->fd[1]);
	/* loop_mod: writable instead of readable. */
	alive->kill = NULL;
	assert_int_equal(loop_mod(&l, alive->id, LOOP_OUT), 0);
	assert_int_equal(loop_once(&l, 0), 0);	/* a read end is never writable */
	int calls = alive->calls;
	assert_int_equal(loop_mod(&l, alive->id, LOOP_IN), 0);
	assert_int_equal(write(alive->fd[1], "z", 1), 1);
	assert_int_equal(loop_once(&l, 100), 0);
	assert_int_equal(alive->calls, calls + 1);
	assert_true(alive->last & LOOP_IN);
	assert_int_equal(loop_mod(&l, 99, LOOP_IN), -EINVAL);
	rm(&l, alive);
	close(extra[0]);
	close(extra[1]);
	loop_fini(&l);
}

static int fired;
static void on_timer(struct loop *l, int fd, void *data, uint32_t events)
{
	(void)fd;
	(void)events;
	fired++;
	if (data)
		loop_stop(l);
}

static void test_timer(void **state)
{
	(void)state;
	struct loop l;

	assert_int_equal(loop_init(&l, 4), 0);
	int t = loop_timer_add(&l, on_timer, &l);
	assert_true(t >= 0);
	/* Disarmed: nothing within 20 ms. */
	assert_int_equal(loop_timer_arm(&l, t, UINT64_MAX, 0), 0);
	fired = 0;
	assert_int_equal(loop_once(&l, 20), 0);
	assert_int_equal(fired, 0);
	/* Armed 5 ms ahead: loop_run returns once the handler stops it. */
	assert_int_equal(loop_timer_arm(&l, t, clock_mono_ns() + 5000000u, 0), 0);
	assert_int_equal(loop_run(&l, 1000), 0);
	assert_int_equal(fired, 1);
	/* At once (0), and a non-timer id is refused. */
	l.stop = false;
	assert_int_equal(loop_timer_arm(&l, t, 0, 0), 0);
	assert_int_equal(loop_run(&l, 1000), 0);
	assert_int_equal(fired, 2);
	assert_int_equal(loop_timer_arm(&l, 3, 0, 0), -EINVAL);
	loop_fini(&l);	/* closes the timerfd */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dispatch_and_delete_in_batch),
		cmocka_unit_test(test_timer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
