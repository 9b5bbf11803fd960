/* cache_owner.h - who a file's cached pages are charged to, and which of
 * them a recharge may move. Pure: no I/O, no logging; cache_tally() is the
 * only function that writes caller storage, and nothing allocates.
 *
 * Cgroup paths are hierarchy paths: "/" for the root of the memory
 * hierarchy, "/a/b" below it (no trailing '/', no "." or ".." component).
 *
 * kpagecgroup reports the nearest *online* ancestor of a page's memcg
 * (doc/kernel-facts.md G), so a page charged to a deleted cgroup shows
 * its live parent: "charged above the expected cgroup" is how a dead
 * cgroup's cache looks from here.
 */
#ifndef HR_DETECT_CACHE_OWNER_H
#define HR_DETECT_CACHE_OWNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot/cache_scan.h"
#include "snapshot/kpage.h"

#define CACHE_OWNERS_MAX 64

enum cache_rel {
	CACHE_REL_NONE,		/* no --expect given */
	CACHE_REL_EXPECTED,	/* owner == expected */
	CACHE_REL_ABOVE,	/* owner is a strict ancestor of expected */
	CACHE_REL_BELOW,	/* owner is a descendant of expected */
	CACHE_REL_ELSEWHERE,	/* neither */
	CACHE_REL_UNCHARGED,	/* memcg inode 0: charged to no cgroup */
	CACHE_REL_UNKNOWN,	/* inode not found in the hierarchy */
};

/* Why a page is not dropped and re-read by --recharge. */
enum cache_skip {
	CACHE_SKIP_NONE,	/* clean, unmapped, unlocked: may move */
	CACHE_SKIP_MLOCKED,
	CACHE_SKIP_UNEVICTABLE,
	CACHE_SKIP_MAPPED,	/* mapped by some process other than us */
	CACHE_SKIP_DIRTY,
	CACHE_SKIP_WRITEBACK,
	CACHE_SKIP_LOCKED,
	CACHE_SKIP_N
};

struct cache_owner {
	uint64_t ino;
	char path[CACHE_PATH_MAX];	/* "" until the caller resolves ino */
	enum cache_rel rel;
	uint64_t pages, dirty, writeback, active, inactive, unevictable, mlocked;
	uint64_t mapped;		/* mapped by others than the scanner */
	uint64_t skip[CACHE_SKIP_N];	/* [CACHE_SKIP_NONE] = movable */
};

struct cache_tally {
	size_t n;
	struct cache_owner owners[CACHE_OWNERS_MAX];	/* first-seen order */
	uint64_t owners_dropped_pages;	/* pages of owners beyond the table */
	uint64_t skip[CACHE_SKIP_N];	/* over all pages */
};

/* Pages mapped by processes other than the scanner, from the kpagecount
 * word of a page the scanner maps once itself. */
uint64_t cache_mapped_others(uint64_t mapcount);

/* The first reason, most specific first, why `f` cannot be dropped and
 * re-read; CACHE_SKIP_NONE if it can. */
enum cache_skip cache_recharge_verdict(const struct kpage_flags *f, uint64_t mapped_others);
/* One phrase: the reason, and what the owner of the page must do. NULL for
 * CACHE_SKIP_NONE and out-of-range values. */
const char *cache_skip_name(enum cache_skip s);
const char *cache_skip_reason(enum cache_skip s);
const char *cache_skip_fix(enum cache_skip s);

/* Groups s->recs by memcg inode into *t (zeroed first); paths are left
 * empty and rel CACHE_REL_NONE for the caller to fill. */
void cache_tally(const struct cache_scan *s, struct cache_tally *t);

/* How `owner` relates to `expect` (both hierarchy paths; expect NULL ->
 * CACHE_REL_NONE, owner NULL -> CACHE_REL_UNKNOWN). A string comparison:
 * the expected cgroup need not exist (the whole point is that it was
 * deleted). */
enum cache_rel cache_owner_relation(const char *owner, const char *expect);
const char *cache_rel_name(enum cache_rel r);

/* Turns a user's cgroup argument into a hierarchy path in out[0..cap):
 * "/sys/fs/cgroup/memory/a/b" (when mount_abs is "/sys/fs/cgroup/memory"),
 * "/a/b", "a/b", "a//b/" all give "/a/b"; "" or "/" give "/". Returns 0,
 * -EINVAL for a "." or ".." component or a control byte, -E2BIG if it does
 * not fit. out is untouched on error. mount_abs may be NULL. */
int cache_cgroup_norm(const char *in, size_t len, const char *mount_abs, char *out, size_t cap);

#endif
