/* test_reclaim.c - reclaim targets (never below what cannot be reclaimed)
 * and the backends over plain files (restore, journal, dry run). */
#define _GNU_SOURCE
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "act/reclaim.h"
#include "kernel/memcg_file.h"
#include "util/parse.h"

#define MiB (1ull << 20)

static void test_plan_table(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		struct reclaim_in in;
		int rc;
		uint64_t target, floor;
		bool by_floor, by_budget;
	} t[] = {
		{ "below high: nothing", { .usage_bytes = 200 * MiB, .limit_bytes = 256 * MiB, .high_bytes = 230 * MiB,
		  .low_bytes = 205 * MiB, .inactive_file_bytes = 200 * MiB, .budget_bytes = UINT64_MAX }, 0, 0, 0, false, false },
		{ "plain: down to low", { .usage_bytes = 240 * MiB, .limit_bytes = 256 * MiB, .high_bytes = 230 * MiB,
		  .low_bytes = 205 * MiB, .inactive_file_bytes = 200 * MiB, .budget_bytes = UINT64_MAX }, 1, 205 * MiB, 40 * MiB, false, false },
		{ "little cache: floor wins", { .usage_bytes = 240 * MiB, .limit_bytes = 256 * MiB, .high_bytes = 230 * MiB,
		  .low_bytes = 205 * MiB, .inactive_file_bytes = 20 * MiB, .budget_bytes = UINT64_MAX }, 1, 220 * MiB, 220 * MiB, true, false },
		{ "active counted when allowed", { .usage_bytes = 240 * MiB, .limit_bytes = 256 * MiB, .high_bytes = 230 * MiB,
		  .low_bytes = 205 * MiB, .inactive_file_bytes = 20 * MiB, .active_file_bytes = 100 * MiB, .allow_active = true,
		  .budget_bytes = UINT64_MAX }, 1, 205 * MiB, 120 * MiB, false, false },
		{ "active ignored when not allowed", { .usage_bytes = 240 * MiB, .limit_bytes = 256 * MiB, .high_bytes = 230 * MiB,
		  .low_bytes = 205 * MiB, .inactive_file_bytes = 20 * MiB, .active_file_bytes = 100 * MiB,
		  .budget_bytes = UINT64_MAX }, 1, 220 * MiB, 220 * MiB, true, false },
		{ "all anon: nothing to do", { .usage_bytes = 240 * MiB, .limit_bytes = 256 * MiB, .high_bytes = 230 * MiB,
		  .low_bytes = 205 * MiB, .inactive_file_bytes = 0, .budget_bytes = UINT64_MAX }, 0, 0, 0, false, false },
		{ "margin keeps us above the floor", { .usage_bytes = 240 * MiB, .limit_bytes = 256 * MiB, .high_bytes = 230 * MiB,
		  .low_bytes = 205 * MiB, .inactive_file_bytes = 30 * MiB, .margin_bytes = 8 * MiB, .budget_bytes = UINT64_MAX },
		  1, 218 * MiB, 218 * MiB, true, false },
		{ "budget cuts the round", { .usage_bytes = 240 * MiB, .limit_bytes = 256 * MiB, .high_bytes = 230 * MiB,
		  .low_bytes = 205 * MiB, .inactive_file_bytes = 200 * MiB, .budget_bytes = 10 * MiB }, 1, 230 * MiB, 40 * MiB, false, true },
		{ "no budget left", { .usage_bytes = 240 * MiB, .limit_bytes = 256 * MiB, .high_bytes = 230 * MiB,
		  .low_bytes = 205 * MiB, .inactive_file_bytes = 200 * MiB, .budget_bytes = 0 }, 0, 0, 0, false, false },
		{ "unknown LRU sizes count as 0", { .usage_bytes = 240 * MiB, .limit_bytes = 256 * MiB, .high_bytes = 230 * MiB,
		  .low_bytes = 205 * MiB, .inactive_file_bytes = HR_UNSET, .active_file_bytes = HR_UNSET, .allow_active = true,
		  .budget_bytes = UINT64_MAX }, 0, 0, 0, false, false },
		{ "low above high is invalid", { .usage_bytes = 240 * MiB, .limit_bytes = 256 * MiB, .high_bytes = 200 * MiB,
		  .low_bytes = 205 * MiB, .budget_bytes = UINT64_MAX }, -EINVAL, 0, 0, false, false },
		{ "high above limit is invalid", { .usage_bytes = 240 * MiB, .limit_bytes = 256 * MiB, .high_bytes = 300 * MiB,
		  .low_bytes = 205 * MiB, .budget_bytes = UINT64_MAX }, -EINVAL, 0, 0, false, false },
		{ "unaligned numbers round the target up to a page", { .usage_bytes = 240 * MiB + 1, .limit_bytes = 256 * MiB,
		  .high_bytes = 230 * MiB, .low_bytes = 205 * MiB + 1, .inactive_file_bytes = 200 * MiB, .budget_bytes = UINT64_MAX },
		  1, 205 * MiB + 4096, 40 * MiB + 4096, false, false },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct reclaim_plan p = { .target_bytes = 42 };
		int rc = reclaim_plan(&t[i].in, &p);
		if (rc != t[i].rc)
			fail_msg("%s: rc %d want %d", t[i].name, rc, t[i].rc);
		if (rc != 1)
			continue;
		if (p.target_bytes != t[i].target || p.floor_bytes != t[i].floor || p.limited_by_floor != t[i].by_floor ||
		    p.limited_by_budget != t[i].by_budget)
			fail_msg("%s: target %llu floor %llu (%d,%d)", t[i].name, (unsigned long long)p.target_bytes,
				 (unsigned long long)p.floor_bytes, p.limited_by_floor, p.limited_by_budget);
		/* The invariant the issue asks for: never below the unreclaimable part. */
		uint64_t reclaimable = (t[i].in.inactive_file_bytes == HR_UNSET ? 0 : t[i].in.inactive_file_bytes) +
			(t[i].in.allow_active && t[i].in.active_file_bytes != HR_UNSET ? t[i].in.active_file_bytes : 0);
		assert_true(p.target_bytes >= t[i].in.usage_bytes - reclaimable);
		assert_true(p.target_bytes >= p.floor_bytes);
		assert_true(p.target_bytes < t[i].in.usage_bytes);
	}
}

/* Random inputs: the invariant holds for all of them. */
static void test_plan_invariant(void **state)
{
	(void)state;
	uint64_t x = 1;
	for (int i = 0; i < 200000; i++) {
		struct reclaim_in in;
		uint64_t r[8];
		for (int k = 0; k < 8; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			r[k] = x;
		}
		in.limit_bytes = r[0] % (64ull << 30);
		in.high_bytes = in.limit_bytes ? r[1] % (in.limit_bytes + 1) : 0;
		in.low_bytes = in.high_bytes ? r[2] % (in.high_bytes + 1) : 0;
		in.usage_bytes = r[3] % (in.limit_bytes + 1 + (64 << 20));
		in.inactive_file_bytes = (r[4] & 7) == 0 ? HR_UNSET : r[4] % (in.usage_bytes + 1);
		in.active_file_bytes = r[5] % (in.usage_bytes + 1);
		in.allow_active = r[6] & 1;
		in.budget_bytes = (r[6] >> 1) & 1 ? UINT64_MAX : r[7] % (1ull << 30);
		in.margin_bytes = (r[7] >> 40) % (32 << 20);
		struct reclaim_plan p;
		if (reclaim_plan(&in, &p) != 1)
			continue;
		uint64_t rec = (in.inactive_file_bytes == HR_UNSET ? 0 : in.inactive_file_bytes) +
			(in.allow_active ? in.active_file_bytes : 0);
		uint64_t unrec = in.usage_bytes > rec ? in.usage_bytes - rec : 0;
		assert_true(p.target_bytes >= unrec);
		assert_true(p.target_bytes >= in.low_bytes);
		assert_true(p.target_bytes < in.usage_bytes);
		assert_true(in.usage_bytes - p.target_bytes <= in.budget_bytes);
		assert_true(p.budget_bytes == in.budget_bytes);
		assert_true(p.target_bytes % 4096 == 0);
	}
}

struct files {
	char dir[64];
	struct hr_journal j;
	int usage, limit;
};

static int fopen_dir(struct files *f, const char *name, const char *content, int flags)
{
	char p[128];
	snprintf(p, sizeof(p), "%s/%s", f->dir, name);
	int fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
	fd = open(p, flags);
	assert_true(fd >= 0);
	return fd;
}

static int setup(void **state)
{
	struct files *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/hr-test-reclaim-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	int dfd = open(f->dir, O_RDONLY | O_DIRECTORY);
	assert_true(dfd >= 0);
	assert_int_equal(journal_open(&f->j, dfd, "journal", "boot", false), 0);
	close(dfd);
	f->usage = fopen_dir(f, "usage", "251658240\n", O_RDONLY);
	f->limit = fopen_dir(f, "limit", "268435456\n", O_RDWR);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct files *f = *state;
	char cmd[128];
	journal_close(&f->j);
	close(f->usage);
	close(f->limit);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void test_v1_squeeze_restores(void **state)
{
	struct files *f = *state;
	struct reclaim_files rf = { .cgroup = "cg", .usage_fd = f->usage, .ctl_fd = f->limit, .ctl_is_regular = true };
	struct reclaim_plan p = { .target_bytes = 205 * MiB, .floor_bytes = 100 * MiB, .budget_bytes = UINT64_MAX };
	struct reclaim_opts o = { .chunk_bytes = 32 * MiB, .max_chunks = 3 };
	struct reclaim_res res;
	uint64_t v;

	/* A plain file never shrinks, so every chunk runs: 3 lowerings, each
	 * followed by the restore; the record is gone afterwards. */
	assert_int_equal(reclaim_v1_squeeze(&f->j, &rf, 256 * MiB, &p, &o, &res), 0);
	assert_int_equal(res.chunks, 3);
	assert_true(res.reclaimed_bytes == 3 * 32 * MiB);	/* per write: usage - lowered limit */
	struct reclaim_write first = res.first;
	assert_string_equal(first.file, "memory.limit_in_bytes");
	assert_true(first.value[0]);
	assert_int_equal(memcg_file_u64(f->limit, &v), 0);
	assert_true(v == 256 * MiB);
	assert_int_equal(f->j.open_entries, 0);
	/* The rate budget ends the round even though usage never drops. */
	struct reclaim_plan b = p;
	b.budget_bytes = 40 * MiB;
	assert_int_equal(reclaim_v1_squeeze(&f->j, &rf, 256 * MiB, &b, &o, &res), 0);
	assert_int_equal(res.chunks, 2);
	assert_true(res.reclaimed_bytes == 40 * MiB);
	/* Dry run: nothing written, nothing journaled, and the write it stops
	 * at is the first one the real round made. */
	o.dry_run = true;
	assert_int_equal(reclaim_v1_squeeze(&f->j, &rf, 256 * MiB, &p, &o, &res), 0);
	assert_int_equal(res.chunks, 0);
	assert_string_equal(res.first.file, first.file);
	assert_string_equal(res.first.value, first.value);
	assert_int_equal(f->j.open_entries, 0);
	assert_int_equal(memcg_file_u64(f->limit, &v), 0);
	assert_true(v == 256 * MiB);
	/* A target below the floor or above the limit is refused. */
	o.dry_run = false;
	struct reclaim_plan bad = { .target_bytes = 50 * MiB, .floor_bytes = 100 * MiB, .budget_bytes = UINT64_MAX };
	assert_int_equal(reclaim_v1_squeeze(&f->j, &rf, 256 * MiB, &bad, &o, &res), -EINVAL);
	struct reclaim_plan bad2 = { .target_bytes = 300 * MiB, .floor_bytes = 100 * MiB, .budget_bytes = UINT64_MAX };
	assert_int_equal(reclaim_v1_squeeze(&f->j, &rf, 256 * MiB, &bad2, &o, &res), -EINVAL);
}

/* Someone else writes the limit inside our window (the test hook's pause
 * runs on_pause there): their value wins, the record is closed. */
static void raise_limit(void *arg)
{
	struct files *f = arg;
	assert_int_equal(reclaim_write_fd(f->limit, true, "314572800"), 0);
}

static void test_v1_restore_cas(void **state)
{
	struct files *f = *state;
	struct reclaim_files rf = { .cgroup = "cg", .ino = 1, .usage_fd = f->usage, .ctl_fd = f->limit,
				    .ctl_is_regular = true };
	struct reclaim_plan p = { .target_bytes = 205 * MiB, .floor_bytes = 100 * MiB, .budget_bytes = UINT64_MAX };
	struct reclaim_opts o = { .chunk_bytes = 32 * MiB, .max_chunks = 3, .pause_ms = 1,
				  .on_pause = raise_limit, .pause_arg = f };
	struct reclaim_res res;
	uint64_t v;

	assert_int_equal(reclaim_v1_squeeze(&f->j, &rf, 256 * MiB, &p, &o, &res), 0);
	assert_true(res.lost);
	assert_true(res.lost_to == 300 * MiB);
	assert_int_equal(res.chunks, 1);
	assert_int_equal(memcg_file_u64(f->limit, &v), 0);
	assert_true(v == 300 * MiB);
	assert_int_equal(f->j.open_entries, 0);
	assert_int_equal(res.kept_slot, -1);

	/* A limit that cannot be written (non-root): an error, nothing counted
	 * as reclaimed, no journal slot left behind. */
	char p2[128];
	snprintf(p2, sizeof(p2), "%s/limit", f->dir);
	int ro = open(p2, O_RDONLY);
	assert_true(ro >= 0);
	assert_int_equal(reclaim_write_fd(f->limit, true, "268435456"), 0);
	rf.ctl_fd = ro;
	o.pause_ms = 0;
	int rc = reclaim_v1_squeeze(&f->j, &rf, 256 * MiB, &p, &o, &res);
	assert_true(rc == -EBADF);
	assert_true(res.reclaimed_bytes == 0);
	assert_int_equal(f->j.open_entries, 0);
	close(ro);
}

static void test_v2_backends(void **state)
{
	struct files *f = *state;
	int rec = fopen_dir(f, "reclaim", "", O_RDWR);
	int high = fopen_dir(f, "high", "max\n", O_RDWR);
	struct reclaim_files rf = { .cgroup = "cg", .usage_fd = f->usage, .ctl_fd = rec, .ctl_is_regular = true };
	struct reclaim_plan p = { .target_bytes = 205 * MiB, .floor_bytes = 100 * MiB, .budget_bytes = UINT64_MAX };
	struct reclaim_opts o = { .chunk_bytes = 32 * MiB, .max_chunks = 2 };
	struct reclaim_res res;
	char buf[64];

	assert_int_equal(reclaim_v2_reclaim(&rf, &p, &o, &res), 0);
	assert_int_equal(res.chunks, 2);
	assert_true(fd_reread(rec, buf, sizeof(buf)) > 0);
	/* 240 MiB - 205 MiB = 35 MiB wanted, 32 MiB per write. */
	assert_string_equal(buf, "33554432");
	assert_string_equal(res.first.file, "memory.reclaim");
	assert_string_equal(res.first.value, "33554432");
	/* Dry run: the same first write, not made. */
	assert_true(ftruncate(rec, 0) == 0);
	o.dry_run = true;
	assert_int_equal(reclaim_v2_reclaim(&rf, &p, &o, &res), 0);
	assert_int_equal(res.chunks, 0);
	assert_string_equal(res.first.value, "33554432");
	assert_int_equal(fd_reread(rec, buf, sizeof(buf)), 0);
	o.dry_run = false;
	rf.ctl_fd = high;
	assert_int_equal(reclaim_v2_high(&f->j, &rf, "max", &p, &o, &res), 0);
	assert_true(fd_reread(high, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "max");
	/* Steps of a quarter chunk: the fixture's usage never drops, so the
	 * round ends at max_chunks, the original restored after each step. */
	assert_int_equal(res.chunks, 2);
	assert_true(res.reclaimed_bytes == 0);
	assert_int_equal(f->j.open_entries, 0);
	struct reclaim_write first = res.first;
	assert_string_equal(first.file, "memory.high");
	/* The first step: 240 MiB usage less a quarter of the 32 MiB chunk. */
	assert_string_equal(first.value, "243269632");
	o.dry_run = true;
	assert_int_equal(reclaim_v2_high(&f->j, &rf, "max", &p, &o, &res), 0);
	assert_string_equal(res.first.value, first.value);
	assert_int_equal(f->j.open_entries, 0);
	close(rec);
	close(high);
}

static void test_wmark_values(void **state)
{
	(void)state;
	unsigned r, s;
	wmark_values(90, 80, &r, &s);
	assert_int_equal(r, 90);
	assert_int_equal(s, 1000);
	wmark_values(90, 85, &r, &s);
	assert_int_equal(s, 500);
	wmark_values(90, 90, &r, &s);
	assert_int_equal(s, 1);
	wmark_values(150, 10, &r, &s);
	assert_int_equal(r, 100);
}

/* Alibaba watermarks over plain files: written, journaled, restored. */
static void test_wmark_configure(void **state)
{
	struct files *f = *state;
	struct hr_root r;
	char p[128], buf[64];
	int slots[2];
	struct journal_counts n;
	struct journal_scope sc = { .base = "" };
	struct stat st;

	snprintf(p, sizeof(p), "%s/cg", f->dir);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(stat(p, &st), 0);
	struct reclaim_files rf = { .cgroup = "cg", .dev = (uint64_t)st.st_dev, .ino = (uint64_t)st.st_ino };
	struct reclaim_files nope = { .cgroup = "nope", .ino = 1 };
	close(fopen_dir(f, "cg/memory.wmark_ratio", "0\n", O_RDONLY));
	/* root_write does not truncate plain files: originals as long as the
	 * values written keep the check exact. */
	close(fopen_dir(f, "cg/memory.wmark_scale_factor", "700\n", O_RDONLY));
	assert_int_equal(root_open(&r, f->dir), 0);
	struct reclaim_write made[2], would[2];
	assert_int_equal(wmark_configure(&f->j, &r, &rf, 90, 85, false, slots, made), 0);
	assert_true(slots[0] >= 0 && slots[1] >= 0);
	assert_string_equal(made[0].file, "memory.wmark_scale_factor");
	assert_string_equal(made[0].value, "500");
	assert_string_equal(made[1].file, "memory.wmark_ratio");
	assert_string_equal(made[1].value, "90");
	assert_int_equal(f->j.open_entries, 2);
	assert_true(root_read(&r, "cg/memory.wmark_ratio", buf, sizeof(buf)) > 0);
	assert_int_equal(strtoul(buf, NULL, 10), 90);
	assert_true(root_read(&r, "cg/memory.wmark_scale_factor", buf, sizeof(buf)) > 0);
	assert_int_equal(strtoul(buf, NULL, 10), 500);
	/* Stop (or the next start): the originals come back. */
	assert_int_equal(journal_replay(&f->j, &r, &sc, NULL, NULL, &n), 0);
	assert_int_equal(n.seen, 2);
	assert_true(root_read(&r, "cg/memory.wmark_ratio", buf, sizeof(buf)) > 0);
	assert_int_equal(strtoul(buf, NULL, 10), 0);
	assert_true(root_read(&r, "cg/memory.wmark_scale_factor", buf, sizeof(buf)) > 0);
	assert_int_equal(strtoul(buf, NULL, 10), 700);
	assert_int_equal(f->j.open_entries, 0);
	/* Dry run writes and journals nothing, and names the same writes; a
	 * missing file is an error. */
	assert_int_equal(wmark_configure(&f->j, &r, &rf, 90, 85, true, slots, would), 0);
	assert_int_equal(f->j.open_entries, 0);
	for (int i = 0; i < 2; i++) {
		assert_string_equal(would[i].file, made[i].file);
		assert_string_equal(would[i].value, made[i].value);
	}
	assert_true(root_read(&r, "cg/memory.wmark_ratio", buf, sizeof(buf)) > 0);
	assert_int_equal(strtoul(buf, NULL, 10), 0);
	assert_int_equal(wmark_configure(&f->j, &r, &nope, 90, 85, false, slots, NULL), -ENOENT);
	root_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_table),
		cmocka_unit_test(test_plan_invariant),
		cmocka_unit_test_setup_teardown(test_v1_squeeze_restores, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v1_restore_cas, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v2_backends, setup, teardown),
		cmocka_unit_test(test_wmark_values),
		cmocka_unit_test_setup_teardown(test_wmark_configure, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
