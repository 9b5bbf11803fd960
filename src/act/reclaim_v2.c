/* reclaim_v2.c - cgroup v2 backends. See reclaim.h. */
#define _GNU_SOURCE
#include "act/reclaim.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kernel/memcg_file.h"
#include "util/clock.h"
#include "util/page.h"
#include "util/parse.h"

int reclaim_v2_reclaim(const struct reclaim_files *f, const struct reclaim_plan *p,
		       const struct reclaim_opts *o, struct reclaim_res *res)
{
	uint64_t usage = 0;
	char buf[32];
	int rc = 0;

	memset(res, 0, sizeof(*res));
	res->kept_slot = -1;
	for (unsigned i = 0; i < o->max_chunks; i++) {
		uint64_t step = 0;
		rc = reclaim_next_step(f, p, o, res, &usage, &step);
		if (rc <= 0)
			break;
		/* memory.reclaim (mm/memcontrol.c memory_reclaim, 5.19+) takes
		 * bytes; EAGAIN means it could not reclaim that much: stop, the
		 * rest is not reclaimable now. */
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)step);
		if (i == 0) {
			snprintf(res->first.file, sizeof(res->first.file), "memory.reclaim");
			snprintf(res->first.value, sizeof(res->first.value), "%s", buf);
		}
		if (o->dry_run)
			return 0;	/* the write this round would start with */
		rc = reclaim_write_fd(f->ctl_fd, f->ctl_is_regular, buf);
		res->chunks++;
		if (rc) {
			res->stop = rc;
			break;
		}
		res->reclaimed_bytes += step;	/* the write returns once that much went */
	}
	if (memcg_file_u64(f->usage_fd, &usage) == 0)
		res->usage_after_bytes = usage;
	return rc == -EAGAIN ? 0 : rc;
}

/* memory.high as memcg_file_u64 reports it ("max" is MEMCG_NO_LIMIT). */
static int high_value(const char *s, uint64_t *out)
{
	return memcg_limit_parse(s, strlen(s), out);
}

/* One lowered write and its compare-and-swap restore. 0: the original is
 * in place; 1: someone else's value is (*cur); -errno: the restore failed. */
static int high_restore(const struct reclaim_files *f, uint64_t lowered, const char *orig_high, uint64_t *cur)
{
	int rc = memcg_file_u64(f->ctl_fd, cur);

	if (rc == 0 && *cur != lowered) {
		uint64_t vo;
		return high_value(orig_high, &vo) || *cur != vo ? 1 : 0;
	}
	if (rc == -ENODEV || rc == -ENOENT)
		return rc;
	for (int i = 0; i < 5; i++) {
		rc = reclaim_write_fd(f->ctl_fd, f->ctl_is_regular, orig_high);
		if (!rc || rc == -ENODEV || rc == -ENOENT)
			break;
	}
	return rc;
}

int reclaim_v2_high(struct hr_journal *j, const struct reclaim_files *f,
		    const char *orig_high, const struct reclaim_plan *p,
		    const struct reclaim_opts *o, struct reclaim_res *res)
{
	struct journal_entry e;
	uint64_t usage = 0;
	int slot, rc = 0, wr = 0;

	memset(res, 0, sizeof(*res));
	res->kept_slot = -1;
	memset(&e, 0, sizeof(e));
	if ((size_t)snprintf(e.cgroup, sizeof(e.cgroup), "%s", f->cgroup) >= sizeof(e.cgroup))
		return -ENAMETOOLONG;
	e.dev = f->dev;
	e.ino = f->ino;
	snprintf(e.file, sizeof(e.file), "memory.high");
	snprintf(e.orig, sizeof(e.orig), "%s", orig_high);
	/* Page-aligned, so the value read back is the value written (the
	 * kernel keeps memory.high in pages). The record names the lowest
	 * value this round can write. */
	uint64_t page = page_size();
	uint64_t target = (p->target_bytes + page - 1) / page * page;
	snprintf(e.lowered, sizeof(e.lowered), "%llu", (unsigned long long)target);
	slot = -1;
	/* memory_high_write (mm/memcontrol.c; 5.10 loops reclaim until usage is
	 * below the new value, then sets it; 5.15+ set it first) reclaims in
	 * the writer, asking nr_pages - high of each reclaim call, and the
	 * reclaim passes overshoot a large ask: one write straight to the
	 * target ended 2 % of the limit below it in the median and 7.8 % at
	 * worst on 5.10 (doc/net-proof.md). So the round walks down in steps
	 * of a quarter chunk, reading usage between them, as memory.reclaim
	 * rounds do, and the original goes back after every step: the
	 * workload is throttled only inside each write. */
	uint64_t step_max = o->chunk_bytes / 4 > (1u << 20) ? o->chunk_bytes / 4 : (1u << 20);
	for (unsigned i = 0; i < o->max_chunks; i++) {
		uint64_t step = 0, cur = 0, after = 0;
		rc = reclaim_next_step(f, p, o, res, &usage, &step);
		if (rc <= 0)
			break;
		rc = 0;
		if (step > step_max)
			step = step_max;
		uint64_t lowered = (usage - step + page - 1) / page * page;
		if (lowered < target)
			lowered = target;
		if (lowered >= usage)
			break;
		char low[32];
		snprintf(low, sizeof(low), "%llu", (unsigned long long)lowered);
		if (i == 0) {
			snprintf(res->first.file, sizeof(res->first.file), "memory.high");
			snprintf(res->first.value, sizeof(res->first.value), "%s", low);
			if (o->dry_run)
				return 0;	/* the write this round would start with */
			/* The record first, then the first lowering. */
			slot = journal_begin(j, &e);
			if (slot < 0)
				return slot;
		}
		uint64_t t1 = clock_mono_ns();
		wr = reclaim_write_fd(f->ctl_fd, f->ctl_is_regular, low);
		/* Compare-and-swap, as on v1 (reclaim.h): the original goes back
		 * only over our own value; the original already there (the
		 * write failed) needs nothing; any other value was written by
		 * someone else meanwhile and stays. */
		rc = high_restore(f, lowered, orig_high, &cur);
		uint64_t w = clock_mono_ns() - t1;
		res->chunks++;
		res->window_ns += w;
		if (w > res->max_window_ns)
			res->max_window_ns = w;
		/* memory.high throttles rather than caps: count the net drop. */
		if (memcg_file_u64(f->usage_fd, &after) == 0 && usage > after)
			res->reclaimed_bytes += usage - after;
		if (rc == 1) {
			res->lost = true;
			res->lost_to = cur;
			rc = 0;
			break;
		}
		if (rc == -ENODEV || rc == -ENOENT) {
			res->stop = rc;
			rc = 0;
			break;
		}
		if (rc) {
			res->stop = rc;
			res->kept_slot = slot;
			return rc;	/* record kept: the retry or replay restores it */
		}
		if (wr) {
			res->stop = wr;
			break;
		}
	}
	if (memcg_file_u64(f->usage_fd, &usage) == 0)
		res->usage_after_bytes = usage;
	if (slot >= 0)
		journal_end(j, slot);
	if (rc)
		return rc;
	return wr == -EBUSY || wr == -EAGAIN || wr == -EINTR ? 0 : wr;
}
