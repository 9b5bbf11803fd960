/* wmark.c - Alibaba Cloud Linux memcg watermarks: let the kernel do it.
 *
 * memory.wmark_ratio (0 = off, else percent of the limit at which background
 * reclaim starts: wmark_high) and memory.wmark_scale_factor (distance from
 * wmark_high down to wmark_low in 1/10000 of the limit, 1..1000, default 50)
 * are Alibaba Cloud Linux 4.19/5.10 additions; no upstream kernel has them.
 * Untested here: the development machine runs an upstream kernel.
 */
#define _GNU_SOURCE
#include "act/reclaim.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/parse.h"

void wmark_values(unsigned high_pct, unsigned low_pct, unsigned *ratio, unsigned *scale)
{
	unsigned gap = high_pct > low_pct ? high_pct - low_pct : 0;

	*ratio = high_pct > 100 ? 100 : high_pct;
	*scale = gap * 100;
	if (*scale < 1)
		*scale = 1;
	if (*scale > 1000)
		*scale = 1000;
}

static int set_one(struct hr_journal *j, const struct hr_root *r, const struct reclaim_files *f,
		   const char *file, unsigned val, bool dry_run, struct reclaim_write *would)
{
	struct journal_entry e;
	char rel[512], cur[64];
	long n;
	int slot, rc;

	snprintf(rel, sizeof(rel), "%s/%s", f->cgroup, file);
	n = root_read(r, rel, cur, sizeof(cur));
	if (n < 0)
		return (int)n;
	memset(&e, 0, sizeof(e));
	struct hr_span s = span_trim((struct hr_span){ cur, (size_t)n });
	span_copy(s, e.orig, sizeof(e.orig));
	if ((size_t)snprintf(e.cgroup, sizeof(e.cgroup), "%s", f->cgroup) >= sizeof(e.cgroup))
		return -ENAMETOOLONG;
	e.dev = f->dev;
	e.ino = f->ino;
	snprintf(e.file, sizeof(e.file), "%s", file);
	snprintf(e.lowered, sizeof(e.lowered), "%u", val);
	if (!strcmp(e.orig, e.lowered))
		return -EALREADY;
	if (would) {
		snprintf(would->file, sizeof(would->file), "%s", file);
		snprintf(would->value, sizeof(would->value), "%s", e.lowered);
	}
	if (dry_run)
		return -EALREADY;	/* stops at the write, recorded in *would */
	slot = journal_begin(j, &e);
	if (slot < 0)
		return slot;
	rc = root_write(r, rel, e.lowered);
	if (rc) {
		journal_end(j, slot);
		return rc;
	}
	return slot;
}

int wmark_configure(struct hr_journal *j, const struct hr_root *r, const struct reclaim_files *f,
		    unsigned high_pct, unsigned low_pct, bool dry_run, int out_slots[2],
		    struct reclaim_write would[2])
{
	unsigned ratio, scale;
	int s;

	wmark_values(high_pct, low_pct, &ratio, &scale);
	out_slots[0] = out_slots[1] = -1;
	if (would)
		memset(would, 0, 2 * sizeof(*would));
	/* Scale first: the ratio switches the mechanism on. */
	s = set_one(j, r, f, "memory.wmark_scale_factor", scale, dry_run, would ? &would[0] : NULL);
	if (s < 0 && s != -EALREADY)
		return s;
	out_slots[1] = s >= 0 ? s : -1;
	s = set_one(j, r, f, "memory.wmark_ratio", ratio, dry_run, would ? &would[1] : NULL);
	if (s < 0 && s != -EALREADY)
		return s;
	out_slots[0] = s >= 0 ? s : -1;
	return 0;
}
