/* memcg_hier.h - where the memory cgroup hierarchy is, found one way.
 *
 * `check`, `snapshot` and `run` all find it here: from proc/self/mounts
 * (proc/mounts as a fallback), a v1 "cgroup" mount with the memory option,
 * else a cgroup2 mount whose cgroup.controllers lists memory (a cgroup2
 * mount beside v1 hierarchies has no controllers and is not the memory
 * hierarchy). An explicit directory (the agent's cgroup_root) is classified
 * by memcg_hier_at() with the same rules.
 *
 * Both read through the root. memcg_hier_find() allocates the mounts text
 * (~256 KiB) and frees it before returning; memcg_hier_find_in() takes it
 * from the caller's arena instead (a periodic caller: the agent's
 * judgement pass). Never log.
 */
#ifndef HR_KERNEL_MEMCG_HIER_H
#define HR_KERNEL_MEMCG_HIER_H

#include "kernel/root.h"
#include "snapshot/memcg.h"
#include "snapshot/note.h"
#include "util/arena.h"

struct memcg_hier {
	int version;				/* 1 or 2 */
	char mount[MEMCG_MOUNT_PATH_MAX];	/* root-relative, "" = the root itself */
};

/* Fills *h from the mount table. Returns 0; -ENODEV if no memory
 * controller is mounted; -ENOMEM; -EINVAL (malformed mounts, noted); or
 * the -errno of reading the mount table (noted). notes may be NULL. */
int memcg_hier_find(const struct hr_root *r, struct memcg_hier *h, struct hr_notes *notes);

/* The same with the mount table read into scratch (MEMCG_HIER_SCRATCH
 * bytes of it, given back before return); -ENOMEM if it has less. */
#define MEMCG_HIER_SCRATCH (ARENA_PIECE(256 * 1024) + ARENA_PIECE(sizeof(struct memcg_mounts)) + 64)
int memcg_hier_find_in(const struct hr_root *r, struct memcg_hier *h, struct hr_arena *scratch,
		       struct hr_notes *notes);

/* The version of the memory hierarchy directory rel (root-relative, "" or
 * "." for the root) is in: 1 if it has memory.limit_in_bytes, 2 if its
 * cgroup.controllers lists memory or it has memory.max (a v2 child below
 * the root); -ENOENT if neither. */
int memcg_hier_at(const struct hr_root *r, const char *rel);

#endif
