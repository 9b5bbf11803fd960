/* test_journal.c - journal write, replay, torn and stale records. */
#define _GNU_SOURCE
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "act/journal.h"

struct env {
	char dir[64];
	char jpath[128];
	struct hr_root root;
};

static void put(const char *dir, const char *rel, const char *s)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(s, f);
	fclose(f);
}

static void get(const char *dir, const char *rel, char *out, size_t cap)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	FILE *f = fopen(p, "r");
	assert_non_null(f);
	size_t n = fread(out, 1, cap - 1, f);
	out[n] = '\0';
	fclose(f);
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	snprintf(e->dir, sizeof(e->dir), "/tmp/hr-test-journal-XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	char p[128];
	snprintf(p, sizeof(p), "%s/cg", e->dir);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/cg/a", e->dir);
	mkdir(p, 0700);
	snprintf(e->jpath, sizeof(e->jpath), "%s/journal", e->dir);
	assert_int_equal(root_open(&e->root, e->dir), 0);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];
	root_close(&e->root);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", e->dir);
	assert_int_equal(system(cmd), 0);
	free(e);
	return 0;
}

static struct journal_entry entry(const char *orig, const char *low)
{
	struct journal_entry e;
	memset(&e, 0, sizeof(e));
	snprintf(e.cgroup, sizeof(e.cgroup), "cg/a");
	snprintf(e.file, sizeof(e.file), "memory.limit_in_bytes");
	snprintf(e.orig, sizeof(e.orig), "%s", orig);
	snprintf(e.lowered, sizeof(e.lowered), "%s", low);
	return e;
}

static void test_encode_decode(void **state)
{
	(void)state;
	unsigned char slot[JOURNAL_SLOT_SIZE];
	struct journal_entry e = entry("268435456", "4259840"), d;
	char boot[JOURNAL_BOOT_MAX];
	uint64_t seq;

	assert_int_equal(journal_encode(&e, 7, "boot-1", slot), 0);
	assert_int_equal(journal_decode(slot, &d, &seq, boot), 1);
	assert_true(seq == 7);
	assert_string_equal(d.cgroup, "cg/a");
	assert_string_equal(d.orig, "268435456");
	assert_string_equal(d.lowered, "4259840");
	assert_string_equal(boot, "boot-1");
	/* Every single-byte corruption is caught (torn write, bit rot). */
	for (size_t i = 0; i < JOURNAL_SLOT_SIZE; i += 7) {
		unsigned char c[JOURNAL_SLOT_SIZE];
		memcpy(c, slot, sizeof(c));
		c[i] ^= 0x40;
		assert_int_equal(journal_decode(c, &d, &seq, boot), -EBADMSG);
	}
	/* A torn write: the first half new, the rest zero. */
	unsigned char torn[JOURNAL_SLOT_SIZE] = { 0 };
	memcpy(torn, slot, 256);
	assert_int_equal(journal_decode(torn, &d, &seq, boot), -EBADMSG);
	/* Free slot. */
	memset(torn, 0, sizeof(torn));
	assert_int_equal(journal_decode(torn, &d, &seq, boot), 0);
	/* Fields that do not fit, or escape the root. */
	struct journal_entry big = e;
	memset(big.orig, '9', sizeof(big.orig));
	assert_int_equal(journal_encode(&big, 1, "b", slot), -E2BIG);
	struct journal_entry esc = entry("1", "0");
	snprintf(esc.cgroup, sizeof(esc.cgroup), "cg/../../etc");
	assert_int_equal(journal_encode(&esc, 1, "b", slot), 0);
	assert_int_equal(journal_decode(slot, &d, &seq, boot), -EBADMSG);
	/* CRC-32 check value. */
	assert_true(journal_crc32("123456789", 9) == 0xcbf43926u);
}

static void test_replay_restores(void **state)
{
	struct env *v = *state;
	struct hr_journal j;
	struct journal_entry e = entry("268435456", "4259840");
	unsigned torn, stale;
	char buf[64];

	put(v->dir, "cg/a/memory.limit_in_bytes", "268435456\n");
	assert_int_equal(journal_open(&j, v->jpath, "boot-1", true), 0);
	int slot = journal_begin(&j, &e);
	assert_true(slot >= 0);
	assert_int_equal(j.open_entries, 1);
	/* The agent lowers the limit, then "dies" (no journal_end). */
	put(v->dir, "cg/a/memory.limit_in_bytes", "214749184\n");
	journal_close(&j);

	assert_int_equal(journal_open(&j, v->jpath, "boot-1", false), 0);
	assert_int_equal(journal_replay(&j, &v->root, NULL, NULL, &torn, &stale), 1);
	assert_int_equal(torn, 0);
	get(v->dir, "cg/a/memory.limit_in_bytes", buf, sizeof(buf));
	/* root_write does not truncate a regular file: compare the number. */
	assert_int_equal(strncmp(buf, "268435456\n", 10), 0);
	assert_int_equal(j.open_entries, 0);
	/* Cleared: a second replay finds nothing. */
	assert_int_equal(journal_replay(&j, &v->root, NULL, NULL, &torn, &stale), 0);
	journal_close(&j);
}

struct seen {
	enum journal_outcome o[8];
	int n;
};
static void rec(void *arg, const struct journal_entry *e, enum journal_outcome o, int err)
{
	(void)e;
	(void)err;
	struct seen *s = arg;
	if (s->n < 8)
		s->o[s->n++] = o;
}

static void test_replay_cases(void **state)
{
	struct env *v = *state;
	struct hr_journal j;
	unsigned torn, stale;
	struct seen s = { 0 };
	char buf[64];

	assert_int_equal(journal_open(&j, v->jpath, "boot-1", false), 0);
	/* 1: already back. 2: changed by an admin to a larger value: left alone.
	 * 3: cgroup gone. */
	struct journal_entry a = entry("268435456", "4259840");
	put(v->dir, "cg/a/memory.limit_in_bytes", "268435456\n");
	assert_true(journal_begin(&j, &a) >= 0);
	struct journal_entry b = entry("1000000", "500000");
	snprintf(b.file, sizeof(b.file), "memory.high");
	put(v->dir, "cg/a/memory.high", "max\n");
	assert_true(journal_begin(&j, &b) >= 0);
	struct journal_entry c = entry("1", "0");
	snprintf(c.cgroup, sizeof(c.cgroup), "cg/gone");
	assert_true(journal_begin(&j, &c) >= 0);
	journal_close(&j);

	assert_int_equal(journal_open(&j, v->jpath, "boot-1", false), 0);
	assert_int_equal(journal_replay(&j, &v->root, rec, &s, &torn, &stale), 3);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.o[0], JOURNAL_ALREADY);
	assert_int_equal(s.o[1], JOURNAL_CHANGED);
	assert_int_equal(s.o[2], JOURNAL_GONE);
	get(v->dir, "cg/a/memory.high", buf, sizeof(buf));
	assert_string_equal(buf, "max\n");
	journal_close(&j);
}

static void test_torn_and_stale(void **state)
{
	struct env *v = *state;
	struct hr_journal j;
	unsigned torn, stale;
	struct journal_entry e = entry("268435456", "4259840");
	char buf[64];

	put(v->dir, "cg/a/memory.limit_in_bytes", "214749184\n");
	assert_int_equal(journal_open(&j, v->jpath, "boot-OLD", false), 0);
	assert_true(journal_begin(&j, &e) >= 0);	/* slot 0: from another boot */
	assert_true(journal_begin(&j, &e) >= 0);	/* slot 1: will be torn */
	journal_close(&j);
	int fd = open(v->jpath, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "\xff\xff\xff\xff", 4, JOURNAL_SLOT_SIZE + 100), 4);
	close(fd);

	assert_int_equal(journal_open(&j, v->jpath, "boot-NEW", false), 0);
	assert_int_equal(journal_replay(&j, &v->root, NULL, NULL, &torn, &stale), 0);
	assert_int_equal(torn, 1);
	assert_int_equal(stale, 1);
	/* Neither was replayed: the limit stays as it is. */
	get(v->dir, "cg/a/memory.limit_in_bytes", buf, sizeof(buf));
	assert_string_equal(buf, "214749184\n");
	assert_int_equal(j.open_entries, 0);
	journal_close(&j);
}

static void test_full(void **state)
{
	struct env *v = *state;
	struct hr_journal j;
	struct journal_entry e = entry("2", "1");

	assert_int_equal(journal_open(&j, v->jpath, "b", false), 0);
	for (int i = 0; i < JOURNAL_SLOTS; i++)
		assert_int_equal(journal_begin(&j, &e), i);
	assert_int_equal(journal_begin(&j, &e), -ENOSPC);
	assert_int_equal(journal_end(&j, 5), 0);
	assert_int_equal(journal_begin(&j, &e), 5);
	assert_int_equal(journal_end(&j, -1), -EINVAL);
	assert_int_equal(journal_end(&j, JOURNAL_SLOTS), -EINVAL);
	journal_close(&j);
	assert_int_equal(journal_open(&j, v->jpath, "", false), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_decode),
		cmocka_unit_test_setup_teardown(test_replay_restores, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replay_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_and_stale, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
