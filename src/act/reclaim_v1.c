/* reclaim_v1.c - cgroup v1: reclaim by lowering memory.limit_in_bytes for a
 * moment. See reclaim.h.
 *
 * Why this works (mm/memcontrol-v1.c mem_cgroup_resize_max, 6.18): the write
 * loops try_to_free_mem_cgroup_pages() in the writer's context while the old
 * limit stays in place, and sets the new limit only once usage is below it;
 * if reclaim makes no progress it returns EBUSY and keeps the old limit. The
 * workload therefore sees the lowered limit only from the moment the write
 * returns until the restore write, ~5 us (MEASURED-V1.md), unless a debug
 * pause is asked for.
 */
#define _GNU_SOURCE
#include "act/reclaim.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kernel/memcg_file.h"
#include "util/parse.h"
#include "util/clock.h"
#include "util/page.h"

int reclaim_write_fd(int fd, bool is_regular, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;

	do
		n = pwrite(fd, s, len, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	if (is_regular && ftruncate(fd, (off_t)len))
		return -errno;
	return 0;
}

int reclaim_next_step(const struct reclaim_files *f, const struct reclaim_plan *p,
		      const struct reclaim_opts *o, const struct reclaim_res *res,
		      uint64_t *usage, uint64_t *step)
{
	int rc = memcg_file_u64(f->usage_fd, usage);

	if (rc)
		return rc;
	if (*usage <= p->target_bytes)
		return 0;
	if (res->reclaimed_bytes >= p->budget_bytes)
		return 0;	/* rate bound: the cgroup refilled while we worked */
	*step = *usage - p->target_bytes;
	if (*step > o->chunk_bytes)
		*step = o->chunk_bytes;
	if (*step > p->budget_bytes - res->reclaimed_bytes)
		*step = p->budget_bytes - res->reclaimed_bytes;
	return 1;
}

static int restore(int fd, bool reg, const char *orig)
{
	int rc = 0;

	/* The restore must not be lost to a transient error: retry a few times
	 * (the journal still holds the value if all of them fail). */
	for (int i = 0; i < 5; i++) {
		rc = reclaim_write_fd(fd, reg, orig);
		if (rc == 0 || rc == -ENODEV || rc == -ENOENT)
			return rc;
	}
	return rc;
}

/* 0: the original is in place (written back, or never left); 1: someone
 * else's value is in place (*cur), left alone; -errno otherwise. v1 keeps
 * the limit in pages, so a read returns what we wrote rounded down to
 * PAGE_SIZE; lower is page-aligned already. There is no atomic
 * compare-and-swap on a cgroup file: the read and the write are ~2 us apart,
 * a race window smaller than the one it closes. */
static int restore_cas(const struct reclaim_files *f, uint64_t lower, uint64_t orig,
		       const char *orig_s, uint64_t *cur)
{
	int rc = memcg_file_u64(f->ctl_fd, cur);

	if (rc)
		return rc == -ENODEV || rc == -ENOENT ? rc : restore(f->ctl_fd, f->ctl_is_regular, orig_s);
	if (*cur == orig)
		return 0;
	if (*cur != lower)
		return 1;
	return restore(f->ctl_fd, f->ctl_is_regular, orig_s);
}

int reclaim_v1_squeeze(struct hr_journal *j, const struct reclaim_files *f,
		       uint64_t orig_limit, const struct reclaim_plan *p,
		       const struct reclaim_opts *o, struct reclaim_res *res)
{
	struct journal_entry e;
	char low[32];
	uint64_t usage = 0, page = page_size();
	int slot, rc = 0;

	memset(res, 0, sizeof(*res));
	res->kept_slot = -1;
	if (p->target_bytes < p->floor_bytes || p->target_bytes >= orig_limit)
		return -EINVAL;
	memset(&e, 0, sizeof(e));
	if ((size_t)snprintf(e.cgroup, sizeof(e.cgroup), "%s", f->cgroup) >= sizeof(e.cgroup))
		return -ENAMETOOLONG;
	e.dev = f->dev;
	e.ino = f->ino;
	snprintf(e.file, sizeof(e.file), "memory.limit_in_bytes");
	snprintf(e.orig, sizeof(e.orig), "%llu", (unsigned long long)orig_limit);
	snprintf(e.lowered, sizeof(e.lowered), "%llu", (unsigned long long)p->floor_bytes);
	/* A dry run journals nothing: it stops before the first write. */
	slot = o->dry_run ? -1 : journal_begin(j, &e);
	if (slot < 0 && !o->dry_run)
		return slot;

	for (unsigned i = 0; i < o->max_chunks; i++) {
		uint64_t step = 0, cur = 0;
		rc = reclaim_next_step(f, p, o, res, &usage, &step);
		if (rc <= 0)
			break;
		rc = 0;
		uint64_t lower = (usage - step) / page * page;
		if (lower < p->floor_bytes)
			lower = (p->floor_bytes + page - 1) / page * page;
		if (lower >= usage || lower >= orig_limit)
			break;
		snprintf(low, sizeof(low), "%llu", (unsigned long long)lower);
		if (i == 0) {
			snprintf(res->first.file, sizeof(res->first.file), "%s", e.file);
			snprintf(res->first.value, sizeof(res->first.value), "%s", low);
		}
		if (o->dry_run)
			return 0;	/* the write this round would start with */
		int wr = reclaim_write_fd(f->ctl_fd, f->ctl_is_regular, low);
		uint64_t t1 = clock_mono_ns();
#ifdef HR_TEST_HOOKS
		if (wr == 0 && o->pause_ms && i == 0) {
			if (o->on_pause)
				o->on_pause(o->pause_arg);
			struct timespec ts = { o->pause_ms / 1000, (long)(o->pause_ms % 1000) * 1000000L };
			while (nanosleep(&ts, &ts) && errno == EINTR)
				;
		}
#endif
		rc = restore_cas(f, wr == 0 ? lower : orig_limit, orig_limit, e.orig, &cur);
		uint64_t w = clock_mono_ns() - t1;
		res->chunks++;
		if (wr == 0) {
			/* The kernel installs the lower limit only once usage is
			 * below it, so this much at least went. */
			res->reclaimed_bytes += usage - lower;
			res->window_ns += w;
			if (w > res->max_window_ns)
				res->max_window_ns = w;
		}
		if (rc == 1) {
			res->lost = true;
			res->lost_to = cur;
			rc = 0;
			break;
		}
		if (rc == -ENODEV || rc == -ENOENT) {
			res->stop = rc;
			break;	/* removed under us: the record is closed below */
		}
		if (rc) {
			/* Limit possibly still lowered: keep the record so the
			 * caller's retry (or the next start) restores it. */
			res->stop = rc;
			res->kept_slot = slot;
			return rc;
		}
		if (wr) {
			res->stop = wr;	/* EBUSY: nothing more reclaimable; EINTR: signal */
			if (wr != -EBUSY && wr != -EINTR && wr != -EAGAIN)
				rc = wr;	/* EACCES, EBADF...: a real failure, not an outcome */
			break;
		}
	}
	if (o->dry_run)
		return rc < 0 ? rc : 0;	/* nothing was due */
	if (memcg_file_u64(f->usage_fd, &usage) == 0)
		res->usage_after_bytes = usage;
	int rc2 = journal_end(j, slot);
	return rc ? rc : rc2;
}
