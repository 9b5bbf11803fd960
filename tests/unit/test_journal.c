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

/* The test tree whose cg/a gives entries their identity (set by setup). */
static const char *ident_dir;

struct env {
	char dir[64];
	char jpath[128];
	int dfd;
	struct hr_root root;
};

static const struct journal_scope scope = { .base = "cg", .dry_run = false };

static int jopen(struct env *v, struct hr_journal *j, const char *boot, bool sync)
{
	return journal_open(j, v->dfd, "journal", boot, sync);
}

#define put tu_put

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
	ident_dir = e->dir;
	assert_int_equal(root_open(&e->root, e->dir), 0);
	e->dfd = open(e->dir, O_RDONLY | O_DIRECTORY);
	assert_true(e->dfd >= 0);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];
	root_close(&e->root);
	close(e->dfd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", e->dir);
	assert_int_equal(system(cmd), 0);
	free(e);
	return 0;
}


static struct journal_entry entry(const char *orig, const char *low)
{
	struct journal_entry e;
	struct stat st;
	char p[128];
	memset(&e, 0, sizeof(e));
	snprintf(e.cgroup, sizeof(e.cgroup), "cg/a");
	e.dev = 1;
	e.ino = 2;
	snprintf(p, sizeof(p), "%s/cg/a", ident_dir ? ident_dir : "/nonexistent");
	if (ident_dir && stat(p, &st) == 0) {
		e.dev = (uint64_t)st.st_dev;
		e.ino = (uint64_t)st.st_ino;
	}
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
	/* Non-canonical: a byte after the cgroup's NUL, CRC fixed up. The
	 * fuzzer's find (tests/fuzz/corpus/journal/noncanonical-after-nul). */
	assert_int_equal(journal_encode(&e, 7, "boot-1", slot), 0);
	slot[32 + strlen("cg/a") + 1] = 'x';
	uint32_t crc = journal_crc32(slot, JOURNAL_SLOT_SIZE - 4);
	memcpy(slot + JOURNAL_SLOT_SIZE - 4, &crc, 4);
	assert_int_equal(journal_decode(slot, &d, &seq, boot), -EBADMSG);
	/* ... and in the padding before the CRC. */
	assert_int_equal(journal_encode(&e, 7, "boot-1", slot), 0);
	slot[JOURNAL_SLOT_SIZE - 5] = 1;
	crc = journal_crc32(slot, JOURNAL_SLOT_SIZE - 4);
	memcpy(slot + JOURNAL_SLOT_SIZE - 4, &crc, 4);
	assert_int_equal(journal_decode(slot, &d, &seq, boot), -EBADMSG);
	/* The identity survives the round trip. */
	e.dev = 0x1234;
	e.ino = 0xabcdef;
	assert_int_equal(journal_encode(&e, 7, "boot-1", slot), 0);
	assert_int_equal(journal_decode(slot, &d, &seq, boot), 1);
	assert_true(d.dev == 0x1234 && d.ino == 0xabcdef);
	/* CRC-32 check value. */
	assert_true(journal_crc32("123456789", 9) == 0xcbf43926u);
}

static void test_replay_restores(void **state)
{
	struct env *v = *state;
	struct hr_journal j;
	struct journal_entry e = entry("268435456", "4259840");
	struct journal_counts n;
	char buf[64];

	put(v->dir, "cg/a/memory.limit_in_bytes", "268435456\n");
	assert_int_equal(jopen(v, &j, "boot-1", true), 0);
	int slot = journal_begin(&j, &e);
	assert_true(slot >= 0);
	assert_int_equal(j.open_entries, 1);
	/* The agent lowers the limit, then "dies" (no journal_end). */
	put(v->dir, "cg/a/memory.limit_in_bytes", "214749184\n");
	journal_close(&j);

	assert_int_equal(jopen(v, &j, "boot-1", false), 0);
	assert_int_equal(journal_replay(&j, &v->root, &scope, NULL, NULL, &n), 0);
	assert_int_equal(n.seen, 1);
	assert_int_equal(n.torn, 0);
	get(v->dir, "cg/a/memory.limit_in_bytes", buf, sizeof(buf));
	/* root_write does not truncate a regular file: compare the number. */
	assert_int_equal(strncmp(buf, "268435456\n", 10), 0);
	assert_int_equal(j.open_entries, 0);
	/* Cleared: a second replay finds nothing. */
	assert_int_equal(journal_replay(&j, &v->root, &scope, NULL, NULL, &n), 0);
	assert_int_equal(n.seen, 0);
	journal_close(&j);
}

struct seen {
	enum journal_outcome o[8];
	int n;
};
static void rec(void *arg, const struct journal_entry *e, enum journal_outcome o, int err, const char *why)
{
	(void)e;
	(void)err;
	(void)why;
	struct seen *s = arg;
	if (s->n < 8)
		s->o[s->n++] = o;
}

static void test_replay_cases(void **state)
{
	struct env *v = *state;
	struct hr_journal j;
	struct journal_counts n;
	struct seen s = { 0 };
	char buf[64];

	assert_int_equal(jopen(v, &j, "boot-1", false), 0);
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

	assert_int_equal(jopen(v, &j, "boot-1", false), 0);
	assert_int_equal(journal_replay(&j, &v->root, &scope, rec, &s, &n), 0);
	assert_int_equal(n.seen, 3);
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
	struct journal_counts n;
	struct journal_entry e = entry("268435456", "4259840");
	char buf[64];

	put(v->dir, "cg/a/memory.limit_in_bytes", "214749184\n");
	assert_int_equal(jopen(v, &j, "boot-OLD", false), 0);
	assert_true(journal_begin(&j, &e) >= 0);	/* slot 0: from another boot */
	assert_true(journal_begin(&j, &e) >= 0);	/* slot 1: will be torn */
	journal_close(&j);
	int fd = open(v->jpath, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "\xff\xff\xff\xff", 4, JOURNAL_SLOT_SIZE + 100), 4);
	close(fd);

	assert_int_equal(jopen(v, &j, "boot-NEW", false), 0);
	assert_int_equal(journal_replay(&j, &v->root, &scope, NULL, NULL, &n), 0);
	assert_int_equal(n.seen, 0);
	assert_int_equal(n.torn, 1);
	assert_int_equal(n.stale, 1);
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

	assert_int_equal(jopen(v, &j, "b", false), 0);
	for (int i = 0; i < JOURNAL_SLOTS; i++)
		assert_int_equal(journal_begin(&j, &e), i);
	assert_int_equal(journal_begin(&j, &e), -ENOSPC);
	assert_int_equal(journal_end(&j, 5), 0);
	assert_int_equal(journal_begin(&j, &e), 5);
	assert_int_equal(journal_end(&j, -1), -EINVAL);
	assert_int_equal(journal_end(&j, JOURNAL_SLOTS), -EINVAL);
	journal_close(&j);
	assert_int_equal(jopen(v, &j, "", false), -EINVAL);
}

/* Records a stranger could have forged: a file the agent never writes, a
 * cgroup outside the root, a path through a symlink, a new cgroup under an
 * old path. None is written; each is counted. Dry run writes nothing. */
static void test_refused(void **state)
{
	struct env *v = *state;
	struct hr_journal j;
	struct journal_counts n;
	struct seen s = { 0 };
	char buf[64], p[200];

	put(v->dir, "cg/a/memory.limit_in_bytes", "1000\n");
	put(v->dir, "cg/a/notes", "keep\n");
	snprintf(p, sizeof(p), "%s/other", v->dir);
	mkdir(p, 0700);
	put(v->dir, "other/memory.limit_in_bytes", "1000\n");
	snprintf(p, sizeof(p), "%s/cg/link", v->dir);
	assert_int_equal(symlink("a", p), 0);
	assert_int_equal(jopen(v, &j, "b", false), 0);
	struct journal_entry e = entry("4242", "1000");
	snprintf(e.file, sizeof(e.file), "notes");
	assert_true(journal_begin(&j, &e) >= 0);
	e = entry("4242", "1000");
	snprintf(e.cgroup, sizeof(e.cgroup), "other");
	assert_true(journal_begin(&j, &e) >= 0);
	e = entry("4242", "1000");
	snprintf(e.cgroup, sizeof(e.cgroup), "cg/link");
	assert_true(journal_begin(&j, &e) >= 0);
	e = entry("4242", "1000");
	e.ino ^= 1;	/* another cgroup now has this path */
	assert_true(journal_begin(&j, &e) >= 0);
	e = entry("4242", "1000");
	e.ino = 0;
	assert_true(journal_begin(&j, &e) >= 0);
	journal_close(&j);

	assert_int_equal(jopen(v, &j, "b", false), 0);
	assert_int_equal(journal_replay(&j, &v->root, &scope, rec, &s, &n), 0);
	assert_int_equal(n.seen, 5);
	assert_int_equal(n.refused, 4);
	assert_int_equal(s.o[0], JOURNAL_REFUSED);
	assert_int_equal(s.o[1], JOURNAL_REFUSED);
	assert_int_equal(s.o[2], JOURNAL_REFUSED);
	assert_int_equal(s.o[3], JOURNAL_REPLACED);
	assert_int_equal(s.o[4], JOURNAL_REFUSED);
	get(v->dir, "cg/a/memory.limit_in_bytes", buf, sizeof(buf));
	assert_string_equal(buf, "1000\n");
	get(v->dir, "cg/a/notes", buf, sizeof(buf));
	assert_string_equal(buf, "keep\n");
	get(v->dir, "other/memory.limit_in_bytes", buf, sizeof(buf));
	assert_string_equal(buf, "1000\n");
	assert_int_equal(j.open_entries, 0);

	/* Dry run: reports "would restore", writes and clears nothing. */
	e = entry("4242", "1000");
	assert_true(journal_begin(&j, &e) >= 0);
	journal_close(&j);
	assert_int_equal(jopen(v, &j, "b", false), 0);
	struct journal_scope dry = { .base = "cg", .dry_run = true };
	memset(&s, 0, sizeof(s));
	assert_int_equal(journal_replay(&j, &v->root, &dry, rec, &s, &n), 0);
	assert_int_equal(n.seen, 1);
	assert_int_equal(s.o[0], JOURNAL_RESTORED);
	get(v->dir, "cg/a/memory.limit_in_bytes", buf, sizeof(buf));
	assert_string_equal(buf, "1000\n");
	assert_int_equal(journal_replay(&j, &v->root, &scope, NULL, NULL, &n), 0);
	assert_int_equal(n.seen, 1);	/* still there for the real replay */
	get(v->dir, "cg/a/memory.limit_in_bytes", buf, sizeof(buf));
	assert_int_equal(strncmp(buf, "4242", 4), 0);
	journal_close(&j);
}

/* A journal others can write is refused; a FIFO or symlink in its place
 * is an error, not a hang; the file is allocated at open. */
static void test_open_checks(void **state)
{
	struct env *v = *state;
	struct hr_journal j;
	struct stat st;
	char p[200];

	assert_int_equal(jopen(v, &j, "b", false), 0);
	assert_int_equal(fstat(j.fd, &st), 0);
	assert_true(st.st_size == JOURNAL_SLOTS * JOURNAL_SLOT_SIZE);
	assert_true((uint64_t)st.st_blocks * 512 >= JOURNAL_SLOTS * JOURNAL_SLOT_SIZE);
	journal_close(&j);
	assert_int_equal(chmod(v->jpath, 0666), 0);
	assert_int_equal(jopen(v, &j, "b", false), -EPERM);
	assert_int_equal(unlink(v->jpath), 0);
	assert_int_equal(mkfifo(v->jpath, 0600), 0);
	assert_int_equal(jopen(v, &j, "b", false), -EINVAL);
	assert_int_equal(unlink(v->jpath), 0);
	snprintf(p, sizeof(p), "%s/elsewhere", v->dir);
	assert_int_equal(symlink(p, v->jpath), 0);
	assert_int_equal(jopen(v, &j, "b", false), -ELOOP);
	assert_int_equal(access(p, F_OK), -1);	/* nothing created through the link */
}

/* Knob records (journal.h): restored only when the knob still holds
 * exactly what we wrote, refused when not on the list or not numbers. */
static void mkknobs(struct env *v)
{
	char p[200];
	const char *dirs[] = { "proc", "proc/sys", "proc/sys/vm", "proc/sys/net", "proc/sys/net/netfilter" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", v->dir, dirs[i]);
		mkdir(p, 0700);
	}
	put(v->dir, "proc/sys/vm/watermark_scale_factor", "10\n");
	put(v->dir, "proc/sys/vm/min_free_kbytes", "262144\n");
	put(v->dir, "proc/sys/vm/swappiness", "60\n");
	put(v->dir, "proc/sys/vm/compaction_proactiveness", "20\n");
	put(v->dir, "proc/sys/net/netfilter/nf_conntrack_max", "262144\n");
}

static void test_knob_encode_check(void **state)
{
	(void)state;
	unsigned char slot[JOURNAL_SLOT_SIZE];
	struct journal_entry e, d;
	char boot[JOURNAL_BOOT_MAX];
	uint64_t seq;

	assert_int_equal(journal_knob_entry(&e, "proc/sys/vm/watermark_scale_factor", 10, 20), 0);
	assert_int_equal(e.kind, JOURNAL_KIND_KNOB);
	assert_string_equal(e.cgroup, "proc/sys/vm");
	assert_string_equal(e.file, "watermark_scale_factor");
	assert_int_equal(journal_encode(&e, 3, "b", slot), 0);
	assert_int_equal(journal_decode(slot, &d, &seq, boot), 1);
	assert_int_equal(d.kind, JOURNAL_KIND_KNOB);
	assert_string_equal(d.orig, "10");
	assert_string_equal(d.lowered, "20");
	assert_null(journal_check(&d, "cg"));	/* base does not apply to knobs */
	/* The kind is the state word: a cgroup record of the same bytes is
	 * another record (and fails its own checks: no identity). */
	uint32_t st = 1;
	memcpy(slot + 4, &st, 4);
	assert_int_equal(journal_decode(slot, &d, &seq, boot), -EBADMSG);	/* CRC */
	e.kind = JOURNAL_KIND_CGROUP;
	assert_non_null(journal_check(&e, ""));
	e.kind = (enum journal_kind)7;
	assert_int_equal(journal_encode(&e, 3, "b", slot), -EINVAL);

	assert_int_equal(journal_knob_entry(&e, "proc/sys/vm/swappiness", 60, 0), -EINVAL);
	assert_int_equal(journal_knob_entry(&e, "proc/sys/vm/../vm/min_free_kbytes", 1, 2), -EINVAL);
	assert_int_equal(journal_knob_entry(&e, "min_free_kbytes", 1, 2), -EINVAL);
	assert_true(journal_knob_ok("proc/sys/net/netfilter/nf_conntrack_max"));
	assert_true(journal_knob_ok("proc/sys/vm/compaction_proactiveness"));
	assert_false(journal_knob_ok("proc/sys/vm/compact_memory"));
	assert_false(journal_knob_ok("proc/sys/net/netfilter/nf_conntrack_buckets"));
	assert_false(journal_knob_ok("proc/sys/vm/min_free_kbytes/"));
	assert_false(journal_knob_ok("xproc/sys/vm/min_free_kbytes"));
	/* Forged knob records: each check refuses. */
	assert_int_equal(journal_knob_entry(&e, "proc/sys/vm/min_free_kbytes", 1, 2), 0);
	d = e;
	snprintf(d.file, sizeof(d.file), "swappiness");
	assert_non_null(journal_check(&d, ""));
	d = e;
	snprintf(d.cgroup, sizeof(d.cgroup), "proc/sys/net/netfilter");	/* pair, not parts */
	assert_non_null(journal_check(&d, ""));
	d = e;
	d.ino = 5;
	assert_non_null(journal_check(&d, ""));
	d = e;
	snprintf(d.orig, sizeof(d.orig), "max");
	assert_non_null(journal_check(&d, ""));
	d = e;
	snprintf(d.lowered, sizeof(d.lowered), "12 ");
	assert_non_null(journal_check(&d, ""));
	d = e;
	snprintf(d.lowered, sizeof(d.lowered), "-1");
	assert_non_null(journal_check(&d, ""));
	d = e;
	snprintf(d.lowered, sizeof(d.lowered), "18446744073709551616");
	assert_non_null(journal_check(&d, ""));
}

static void test_knob_replay(void **state)
{
	struct env *v = *state;
	struct hr_journal j;
	struct journal_counts n;
	struct seen s = { 0 };
	struct journal_entry e;
	char buf[64], p[200];

	mkknobs(v);
	assert_int_equal(jopen(v, &j, "b", false), 0);
	/* 0: boosted 10 -> 30, still 30: restored (a shorter value: truncated). */
	assert_int_equal(journal_knob_entry(&e, "proc/sys/vm/watermark_scale_factor", 10, 30), 0);
	assert_true(journal_begin(&j, &e) >= 0);
	put(v->dir, "proc/sys/vm/watermark_scale_factor", "30\n");
	/* 1: raised 262144 -> 393216, an admin set 300000 since: left alone
	 * (inside [orig, wrote], which a cgroup record would restore). */
	assert_int_equal(journal_knob_entry(&e, "proc/sys/net/netfilter/nf_conntrack_max", 262144, 393216), 0);
	assert_true(journal_begin(&j, &e) >= 0);
	put(v->dir, "proc/sys/net/netfilter/nf_conntrack_max", "300000\n");
	/* 2: already back at the original. */
	assert_int_equal(journal_knob_entry(&e, "proc/sys/vm/min_free_kbytes", 262144, 278528), 0);
	assert_true(journal_begin(&j, &e) >= 0);
	/* 3: a knob not on the list, forged: refused, not written. */
	assert_int_equal(journal_knob_entry(&e, "proc/sys/vm/min_free_kbytes", 60, 61), 0);
	snprintf(e.file, sizeof(e.file), "swappiness");
	assert_true(journal_begin(&j, &e) >= 0);
	/* 4: restoring larger over smaller: "100000" over "65536". */
	assert_int_equal(journal_knob_entry(&e, "proc/sys/vm/compaction_proactiveness", 100000, 65536), 0);
	assert_true(journal_begin(&j, &e) >= 0);
	put(v->dir, "proc/sys/vm/compaction_proactiveness", "65536\n");
	journal_close(&j);

	assert_int_equal(jopen(v, &j, "b", false), 0);
	assert_int_equal(journal_replay(&j, &v->root, &scope, rec, &s, &n), 0);
	assert_int_equal(n.seen, 5);
	assert_int_equal(n.refused, 1);
	assert_int_equal(s.o[0], JOURNAL_RESTORED);
	assert_int_equal(s.o[1], JOURNAL_CHANGED);
	assert_int_equal(s.o[2], JOURNAL_ALREADY);
	assert_int_equal(s.o[3], JOURNAL_REFUSED);
	assert_int_equal(s.o[4], JOURNAL_RESTORED);
	get(v->dir, "proc/sys/vm/watermark_scale_factor", buf, sizeof(buf));
	assert_string_equal(buf, "10");
	get(v->dir, "proc/sys/net/netfilter/nf_conntrack_max", buf, sizeof(buf));
	assert_string_equal(buf, "300000\n");
	get(v->dir, "proc/sys/vm/swappiness", buf, sizeof(buf));
	assert_string_equal(buf, "60\n");
	get(v->dir, "proc/sys/vm/compaction_proactiveness", buf, sizeof(buf));
	assert_string_equal(buf, "100000");
	assert_int_equal(j.open_entries, 0);

	/* A symlink on the way (the knob's directory replaced by a link to
	 * elsewhere in the tree) is refused; so is a knob that is a link. */
	snprintf(p, sizeof(p), "%s/proc/sys/vm", v->dir);
	char q[200];
	snprintf(q, sizeof(q), "%s/proc/sys/vm.real", v->dir);
	assert_int_equal(rename(p, q), 0);
	assert_int_equal(symlink("vm.real", p), 0);
	assert_int_equal(journal_knob_entry(&e, "proc/sys/vm/watermark_scale_factor", 10, 30), 0);
	assert_true(journal_begin(&j, &e) >= 0);
	put(v->dir, "proc/sys/vm.real/watermark_scale_factor", "30\n");
	memset(&s, 0, sizeof(s));
	assert_int_equal(journal_replay(&j, &v->root, &scope, rec, &s, &n), 0);
	assert_int_equal(n.seen, 1);
	assert_int_equal(s.o[0], JOURNAL_REFUSED);
	get(v->dir, "proc/sys/vm.real/watermark_scale_factor", buf, sizeof(buf));
	assert_string_equal(buf, "30\n");
	journal_close(&j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_decode),
		cmocka_unit_test_setup_teardown(test_replay_restores, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replay_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_and_stale, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_checks, setup, teardown),
		cmocka_unit_test(test_knob_encode_check),
		cmocka_unit_test_setup_teardown(test_knob_replay, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
