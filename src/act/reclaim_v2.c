/* reclaim_v2.c - cgroup v2 backends. See reclaim.h. */
#define _GNU_SOURCE
#include "act/reclaim.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kernel/memcg_file.h"
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

int reclaim_v2_high(struct hr_journal *j, const struct reclaim_files *f,
		    const char *orig_high, const struct reclaim_plan *p,
		    const struct reclaim_opts *o, struct reclaim_res *res)
{
	struct journal_entry e;
	uint64_t usage0 = HR_UNSET, usage;
	int slot, rc, wr;

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
	 * kernel keeps memory.high in pages). */
	uint64_t page = page_size(), lowered;
	lowered = p->target_bytes / page * page;
	snprintf(e.lowered, sizeof(e.lowered), "%llu", (unsigned long long)lowered);
	snprintf(res->first.file, sizeof(res->first.file), "%s", e.file);
	snprintf(res->first.value, sizeof(res->first.value), "%s", e.lowered);
	if (o->dry_run)
		return 0;	/* the one write this round would make */
	slot = journal_begin(j, &e);
	if (slot < 0)
		return slot;
	if (memcg_file_u64(f->usage_fd, &usage0))
		usage0 = HR_UNSET;
	/* memory_high_write (mm/memcontrol.c; 4.19, 6.1) reclaims in the writer
	 * until usage is below the new value or progress stops; the workload is
	 * throttled meanwhile, so the original goes back immediately. */
	wr = reclaim_write_fd(f->ctl_fd, f->ctl_is_regular, e.lowered);
	/* Compare-and-swap, as on v1 (reclaim.h): put the original back only
	 * over our own value. The original already there (the write failed)
	 * needs nothing; any other value was written by someone else
	 * meanwhile and stays. */
	uint64_t cur = 0;
	rc = memcg_file_u64(f->ctl_fd, &cur);
	if (rc == 0 && cur != lowered) {
		uint64_t vo;
		if (high_value(orig_high, &vo) || cur != vo) {
			res->lost = true;
			res->lost_to = cur;
		}
	} else if (rc != -ENODEV && rc != -ENOENT) {
		for (int i = 0; i < 5; i++) {
			rc = reclaim_write_fd(f->ctl_fd, f->ctl_is_regular, orig_high);
			if (!rc || rc == -ENODEV || rc == -ENOENT)
				break;
		}
	}
	res->chunks = 1;
	res->stop = wr;
	if (rc && rc != -ENODEV && rc != -ENOENT) {
		res->kept_slot = slot;
		return rc;	/* record kept: the retry or replay restores it */
	}
	if (memcg_file_u64(f->usage_fd, &usage) == 0) {
		res->usage_after_bytes = usage;
		/* memory.high throttles rather than caps: count the net drop. */
		if (usage0 != HR_UNSET && usage0 > usage)
			res->reclaimed_bytes = usage0 - usage;
	}
	journal_end(j, slot);
	return wr == -EBUSY || wr == -EAGAIN ? 0 : wr;
}
