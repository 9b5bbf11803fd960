/* test_knob_write.c - a knob held, moved, given back, taken by someone
 * else; dry run; triggers. On a fixture tree (never a host sysctl). */
#define _GNU_SOURCE
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "act/knob_write.h"

#define WSF "proc/sys/vm/watermark_scale_factor"

struct env {
	char dir[64];
	int dfd;
	struct hr_root root;
	struct hr_journal j;
};

#define put tu_put

static uint64_t val(struct env *v, const char *rel)
{
	uint64_t x = 0;
	assert_int_equal(journal_knob_read(&v->root, rel, &x), 0);
	return x;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	char p[128];
	snprintf(e->dir, sizeof(e->dir), "/tmp/hr-test-knob-XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	const char *dirs[] = { "proc", "proc/sys", "proc/sys/vm", "sys", "sys/devices", "sys/devices/system",
			       "sys/devices/system/node", "sys/devices/system/node/node0" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", e->dir, dirs[i]);
		assert_int_equal(mkdir(p, 0700), 0);
	}
	put(e->dir, WSF, "10\n");
	put(e->dir, "proc/sys/vm/compact_memory", "");
	put(e->dir, "sys/devices/system/node/node0/compact", "");
	assert_int_equal(root_open(&e->root, e->dir), 0);
	e->dfd = open(e->dir, O_RDONLY | O_DIRECTORY);
	assert_true(e->dfd >= 0);
	assert_int_equal(journal_open(&e->j, e->dfd, "journal", "b", false), 0);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];
	journal_close(&e->j);
	root_close(&e->root);
	close(e->dfd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", e->dir);
	assert_int_equal(system(cmd), 0);
	free(e);
	return 0;
}

static void test_hold_and_release(void **state)
{
	struct env *v = *state;
	struct knob k;
	enum knob_outcome out;
	enum journal_outcome o;
	const char *why;
	uint64_t old;

	knob_init(&k, WSF);
	/* Dry run: the same path up to the write. */
	assert_int_equal(knob_set(&v->j, &v->root, &k, 20, true, &out, &old), 0);
	assert_int_equal(out, KNOB_WOULD);
	assert_true(old == 10);
	assert_false(knob_held(&k));
	assert_int_equal(v->j.open_entries, 0);
	assert_true(val(v, WSF) == 10);

	assert_int_equal(knob_set(&v->j, &v->root, &k, 20, false, &out, &old), 0);
	assert_int_equal(out, KNOB_WROTE);
	assert_true(knob_held(&k) && k.orig == 10 && k.wrote == 20);
	assert_int_equal(v->j.open_entries, 1);
	assert_true(val(v, WSF) == 20);
	/* Boost again: one record still, the original kept. */
	assert_int_equal(knob_set(&v->j, &v->root, &k, 100, false, &out, &old), 0);
	assert_int_equal(out, KNOB_WROTE);
	assert_true(old == 20 && k.orig == 10 && k.wrote == 100);
	assert_int_equal(v->j.open_entries, 1);
	assert_int_equal(knob_set(&v->j, &v->root, &k, 100, false, &out, &old), 0);
	assert_int_equal(out, KNOB_NOOP);
	/* Decay to the original: given back, nothing held. */
	assert_int_equal(knob_set(&v->j, &v->root, &k, 10, false, &out, &old), 0);
	assert_int_equal(out, KNOB_RESTORED);
	assert_false(knob_held(&k));
	assert_int_equal(v->j.open_entries, 0);
	assert_true(val(v, WSF) == 10);

	/* Stop while held: released to the original. */
	assert_int_equal(knob_set(&v->j, &v->root, &k, 30, false, &out, &old), 0);
	assert_int_equal(knob_release(&v->j, &v->root, &k, &o, &why), 0);
	assert_int_equal(o, JOURNAL_RESTORED);
	assert_true(val(v, WSF) == 10);
	assert_int_equal(v->j.open_entries, 0);
	assert_int_equal(knob_release(&v->j, &v->root, &k, &o, &why), 0);
	assert_int_equal(o, JOURNAL_GONE);	/* nothing held */
}

static void test_taken_and_killed(void **state)
{
	struct env *v = *state;
	struct knob k;
	enum knob_outcome out;
	enum journal_outcome o;
	const char *why;
	struct journal_counts n;
	uint64_t old;
	static const struct journal_scope sc = { .base = "", .dry_run = false };

	knob_init(&k, WSF);
	assert_int_equal(knob_set(&v->j, &v->root, &k, 40, false, &out, &old), 0);
	put(v->dir, WSF, "77\n");	/* an administrator */
	assert_int_equal(knob_set(&v->j, &v->root, &k, 50, false, &out, &old), 0);
	assert_int_equal(out, KNOB_TAKEN);
	assert_false(knob_held(&k));
	assert_int_equal(v->j.open_entries, 0);
	assert_true(val(v, WSF) == 77);
	/* Released while someone else's value is there: left alone. */
	assert_int_equal(knob_set(&v->j, &v->root, &k, 90, false, &out, &old), 0);
	put(v->dir, WSF, "5\n");
	assert_int_equal(knob_release(&v->j, &v->root, &k, &o, &why), 0);
	assert_int_equal(o, JOURNAL_CHANGED);
	assert_true(val(v, WSF) == 5);
	assert_int_equal(v->j.open_entries, 0);

	/* kill -9 while held: the next start's replay gives the original back. */
	assert_int_equal(knob_set(&v->j, &v->root, &k, 123456, false, &out, &old), 0);
	assert_int_equal(knob_set(&v->j, &v->root, &k, 200, false, &out, &old), 0);
	journal_close(&v->j);
	assert_int_equal(journal_open(&v->j, v->dfd, "journal", "b", false), 0);
	assert_int_equal(journal_replay(&v->j, &v->root, &sc, NULL, NULL, &n), 0);
	assert_int_equal(n.seen, 1);
	assert_true(val(v, WSF) == 5);
	/* A knob not on the list is never written. */
	knob_init(&k, "proc/sys/vm/swappiness");
	assert_int_equal(knob_set(&v->j, &v->root, &k, 1, false, &out, &old), -EINVAL);
}

static void test_trigger(void **state)
{
	struct env *v = *state;
	uint64_t last = 0;

	assert_true(knob_trigger_ok("proc/sys/vm/compact_memory"));
	assert_true(knob_trigger_ok("sys/devices/system/node/node12/compact"));
	assert_false(knob_trigger_ok("sys/devices/system/node/node/compact"));
	assert_false(knob_trigger_ok("sys/devices/system/node/node1/../node0/compact"));
	assert_false(knob_trigger_ok("proc/sys/vm/drop_caches"));
	assert_int_equal(knob_trigger(&v->root, "proc/sys/vm/drop_caches", false, 1, 10, &last), -EINVAL);
	assert_int_equal(knob_trigger(&v->root, "sys/devices/system/node/node0/compact", false, 100, 50, &last), 0);
	assert_true(last == 100);
	assert_int_equal(knob_trigger(&v->root, "sys/devices/system/node/node0/compact", false, 120, 50, &last),
			 -EAGAIN);
	assert_int_equal(knob_trigger(&v->root, "proc/sys/vm/compact_memory", true, 151, 50, &last), 0);
	char b[8] = { 0 };
	assert_true(root_read(&v->root, "sys/devices/system/node/node0/compact", b, sizeof(b)) == 1);
	assert_true(root_read(&v->root, "proc/sys/vm/compact_memory", b, sizeof(b)) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hold_and_release, setup, teardown),
		cmocka_unit_test_setup_teardown(test_taken_and_killed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trigger, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
