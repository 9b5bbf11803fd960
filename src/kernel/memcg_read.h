/* memcg_read.h - walks the memory cgroup hierarchy below a root.
 *
 * The hierarchy is found by memcg_hier_find() (kernel/memcg_hier.h), as
 * the agent finds it; its files are named by memcg_file_name()
 * (kernel/memcg_file.h). This walk is for one-shot readers (`check`,
 * `snapshot`): it opens each file per pass; the agent keeps its files open.
 */
#ifndef HR_KERNEL_MEMCG_READ_H
#define HR_KERNEL_MEMCG_READ_H

#include "snapshot/note.h"
#include "kernel/root.h"
#include "snapshot/memcg_tree.h"
#include "kernel/memcg_hier.h"
#include "util/arena.h"

/* Open files kept between walks (the agent's judgement pass): per node
 * index, the cgroup's directory and the files read there, re-read with
 * one pread each instead of open/read/close (kernfs: ~2 us instead of
 * ~12). An entry whose path is not the node's at that index any more (a
 * cgroup came or went before it) is closed and opened anew; entries past
 * the walk's end are closed. At most `budget` fds are held; beyond, files
 * are opened per read as without a cache. Not with a recorder (snapshot). */
#define MEMCG_FDC_FILES 14
struct memcg_fdc_entry {
	int dfd;			/* -1: unused */
	int fd[MEMCG_FDC_FILES];	/* -1: not open */
	/* The cgroup's path as a 64-bit FNV-1a hash and its length, not the
	 * path (512 bytes a cgroup of resident memory): two paths alike in
	 * both at the same index in consecutive walks are ~2^-64 apart. */
	uint64_t path_hash;
	size_t path_len;
};
struct memcg_fdcache {
	struct memcg_fdc_entry *e;	/* [cap], the caller's */
	size_t cap, used;		/* entries [0, used) may hold fds */
	size_t nfds, budget;
	uint64_t reopened;		/* entries opened (anew) */
};
/* Over the caller's e[cap]; holds no fd yet. */
void memcg_fdcache_init(struct memcg_fdcache *c, struct memcg_fdc_entry *e, size_t cap,
			size_t budget);
/* Closes every fd held; c stays usable. */
void memcg_fdcache_fini(struct memcg_fdcache *c);

/* Fills *t (zeroed by the caller) with up to `cap` cgroups, into the
 * caller's nodes[cap], with MEMCG_READ_SCRATCH bytes of scratch (taken
 * back before return). Allocates nothing (no opendir, no qsort). A cgroup
 * removed while it is read (ENOENT, ENODEV) is skipped and counted in
 * t->vanished; other read errors are counted and recorded with note_add().
 * Cgroups beyond cap are counted in t->dropped. Never logs.
 * Returns 0; -ENODEV if no memory controller is mounted; -ENOMEM (scratch
 * too small, nodes NULL); or the -errno of reading proc/self/mounts or the
 * hierarchy root. On error t->nodes is NULL. */
#define MEMCG_FILE_BUF (16 * 1024)	/* v2 memory.stat on 6.18 is ~1.6 KiB */
#define MEMCG_READ_SCRATCH (ARENA_PIECE(MEMCG_FILE_BUF) + MEMCG_HIER_SCRATCH)
int memcg_tree_read_in(const struct hr_root *root, struct memcg_tree *t, struct memcg_node *nodes,
		       size_t cap, struct hr_arena *scratch, struct memcg_fdcache *fdc,
		       struct hr_notes *notes);

/* The same for one-shot callers: allocates the node array (calloc) and
 * the scratch; memcg_tree_fini() frees the array. */
int memcg_tree_read(const struct hr_root *root, struct memcg_tree *t, size_t cap,
		    struct hr_notes *notes);

/* Frees the node array memcg_tree_read() allocated (not a caller's);
 * t may be zeroed or filled. */
void memcg_tree_fini(struct memcg_tree *t);

/* The memcg area's sampler (check/areas.c): state is a zeroed struct
 * memcg_tree, its nodes (cap of them) taken from keep
 * (memcg_area_keep_bytes(cap)); fdc may be NULL. Returns memcg_tree_read_in()'s result;
 * -ENODEV (no memory controller) is also noted so the report says why
 * memcg was skipped. */
int memcg_area_sample(const struct hr_root *root, void *state, struct hr_arena *keep, size_t cap,
		      struct hr_arena *scratch, struct memcg_fdcache *fdc, struct hr_notes *notes);
size_t memcg_area_keep_bytes(size_t cap);

#endif
