/* memcg_hier.c - see memcg_hier.h. */
#define _GNU_SOURCE
#include "kernel/memcg_hier.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MOUNTS_BUF (256 * 1024)	/* /proc/self/mounts of a busy k8s node */
#define CTRL_BUF 512		/* cgroup.controllers: a dozen short names */

static void note(struct hr_notes *notes, const char *path, int err)
{
	if (notes)
		note_add(notes, path, err, "memory cgroups not checked");
}

/* "<dir>/<file>", or "<file>" when dir is the root. */
static int join(const char *dir, const char *file, char *out, size_t cap)
{
	bool top = !dir[0] || !strcmp(dir, ".");
	int k = snprintf(out, cap, "%s%s%s", top ? "" : dir, top ? "" : "/", file);

	return k < 0 || (size_t)k >= cap ? -ENAMETOOLONG : 0;
}

static bool lists_memory(const struct hr_root *r, const char *dir)
{
	char rel[MEMCG_MOUNT_PATH_MAX + 32], buf[CTRL_BUF];
	long len;

	if (join(dir, "cgroup.controllers", rel, sizeof(rel)))
		return false;
	len = root_read(r, rel, buf, sizeof(buf));
	return len >= 0 && cgroup_controllers_has(buf, (size_t)len, "memory");
}

int memcg_hier_at(const struct hr_root *r, const char *rel)
{
	char p[MEMCG_MOUNT_PATH_MAX + 32];
	struct stat st;

	if (!join(rel, "memory.limit_in_bytes", p, sizeof(p)) && root_stat(r, p, &st) == 0)
		return 1;
	if (lists_memory(r, rel))
		return 2;
	if (!join(rel, "memory.max", p, sizeof(p)) && root_stat(r, p, &st) == 0)
		return 2;
	return -ENOENT;
}

static int find(const struct hr_root *r, struct memcg_hier *h, struct memcg_mounts *m, char *mb,
		struct hr_notes *notes)
{
	long len;

	len = root_read(r, "proc/self/mounts", mb, MOUNTS_BUF);
	if (len < 0)
		len = root_read(r, "proc/mounts", mb, MOUNTS_BUF);
	if (len < 0) {
		note(notes, "proc/self/mounts", (int)len);
		return (int)len;
	}
	if (memcg_mounts_parse(mb, (size_t)len, m)) {
		note(notes, "proc/self/mounts", EINVAL);
		return -EINVAL;
	}
	if (m->has_v1) {
		h->version = 1;
		snprintf(h->mount, sizeof(h->mount), "%s", m->v1);
		return 0;
	}
	for (size_t i = 0; i < m->n_v2; i++) {
		if (lists_memory(r, m->v2[i])) {
			h->version = 2;
			snprintf(h->mount, sizeof(h->mount), "%s", m->v2[i]);
			return 0;
		}
	}
	return -ENODEV;
}

int memcg_hier_find(const struct hr_root *r, struct memcg_hier *h, struct hr_notes *notes)
{
	struct memcg_mounts *m = malloc(sizeof(*m));
	char *mb = malloc(MOUNTS_BUF);
	int rc = -ENOMEM;

	memset(h, 0, sizeof(*h));
	if (m && mb)
		rc = find(r, h, m, mb, notes);
	free(mb);
	free(m);
	return rc;
}

int memcg_hier_find_in(const struct hr_root *r, struct memcg_hier *h, struct hr_arena *scratch,
		       struct hr_notes *notes)
{
	size_t mark = arena_mark(scratch);
	struct memcg_mounts *m = arena_alloc(scratch, sizeof(*m));
	char *mb = arena_alloc(scratch, MOUNTS_BUF);
	int rc = -ENOMEM;

	memset(h, 0, sizeof(*h));
	if (m && mb)
		rc = find(r, h, m, mb, notes);
	arena_release(scratch, mark);
	return rc;
}
