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

/* Fills *t (zeroed by the caller) with up to `cap` cgroups, allocating the
 * node array (calloc, released by memcg_tree_fini()). A cgroup removed while
 * it is read (ENOENT, ENODEV) is skipped and counted in t->vanished; other
 * read errors are counted and recorded with note_add(). Cgroups beyond
 * cap are counted in t->dropped. Never logs.
 * Returns 0; -ENODEV if no memory controller is mounted; -ENOMEM; or the
 * -errno of reading proc/self/mounts or the hierarchy root. */
int memcg_tree_read(const struct hr_root *root, struct memcg_tree *t, size_t cap,
		    struct hr_notes *notes);

/* Frees the node array; t may be zeroed or filled. */
void memcg_tree_fini(struct memcg_tree *t);

/* The `check` area sampler: state is a zeroed struct memcg_tree, read with
 * cap MEMCG_TREE_CAP. Returns memcg_tree_read()'s result; -ENODEV (no memory
 * controller) is also noted so the report says why memcg was skipped. */
int memcg_area_sample(const struct hr_root *root, void *state, struct hr_notes *notes);
void memcg_area_fini(void *state);

#endif
