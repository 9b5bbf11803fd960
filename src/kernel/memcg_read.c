/* memcg_read.c - see memcg_read.h.
 *
 * Cost model, measured on this project's VM (6.18.44, 2 vCPU, kernfs): every
 * open+read+close of a cgroup file costs ~8-10 us whatever its size (the
 * kernfs open dominates: a bare open+close is ~7.7 us), listing a cgroup
 * directory ~12 us, a stat() ~2 us. So a cgroup with no limit in force costs
 * one stat() (nlink == 2 means no child directories on kernfs, so a leaf is
 * never listed) and one memory.stat read; the limit, usage, failcnt, events,
 * TCP and watermark files are read only where a limit applies.
 */
#define _GNU_SOURCE
#include "kernel/memcg_read.h"

#include "kernel/memcg_file.h"
#include "kernel/memcg_hier.h"
#include "kernel/vmread.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FILE_BUF (16 * 1024)	/* v2 memory.stat on 6.18 is ~1.6 KiB */
#define REL_MAX (MEMCG_MOUNT_PATH_MAX + MEMCG_NODE_PATH_MAX + 64)

enum opt_file { OPT_WMARK, OPT_TCP, OPT_EVENTS_LOCAL, OPT_N };

struct walk {
	const struct hr_root *root;
	struct memcg_tree *t;
	struct hr_notes *notes;
	char *buf;		/* FILE_BUF, reused for every file */
	bool root_has_dying;	/* v2: read cgroup.stat everywhere */
	int dfd;		/* the current node's directory, -1: read by path */
	char dir[REL_MAX];	/* its root-relative path */
	unsigned absent[OPT_N];	/* consecutive ENOENTs, see probe() */
};

void memcg_tree_fini(struct memcg_tree *t)
{
	free(t->nodes);
	t->nodes = NULL;
	t->n = t->cap = 0;
}

static bool is_vanished(long err)
{
	/* A cgroup removed between listing and reading: ENOENT on open, ENODEV
	 * on a file already open when kernfs deactivated the node. */
	return err == -ENOENT || err == -ENODEV;
}

/* "<mount><path>[/file]" relative to the root; "." for the root itself. */
static int rel_path(const struct memcg_tree *t, const struct memcg_node *n,
		    const char *file, char *out, size_t cap)
{
	const char *p = strcmp(n->path, "/") ? n->path : "";
	int k;

	if (t->mount[0])
		k = snprintf(out, cap, "%s%s%s%s", t->mount, p, file ? "/" : "", file ? file : "");
	else if (p[0])
		k = snprintf(out, cap, "%s%s%s", p + 1, file ? "/" : "", file ? file : "");
	else
		k = snprintf(out, cap, "%s", file ? file : ".");
	return k < 0 || (size_t)k >= cap ? -ENAMETOOLONG : 0;
}

static long read_file(struct walk *w, const struct memcg_node *n, const char *file)
{
	char rel[REL_MAX];
	int rc;

	/* Relative to the node's directory fd: one lookup, not a walk of the
	 * whole path (kernfs: the walk is a good part of an open's cost). */
	if (w->dfd >= 0)
		return root_read_at(w->root, w->dfd, w->dir, file, w->buf, FILE_BUF);
	rc = rel_path(w->t, n, file, rel, sizeof(rel));
	if (rc)
		return rc;
	return root_read(w->root, rel, w->buf, FILE_BUF);
}

static void note_error(struct walk *w, struct memcg_node *n, const char *file, long err)
{
	char rel[REL_MAX];

	if (rel_path(w->t, n, file, rel, sizeof(rel)))
		snprintf(rel, sizeof(rel), "%s", n->path);
	if (!n->unreadable)
		w->t->unreadable++;
	n->unreadable = true;
	note_add(w->notes, rel, (int)err, "cgroup %s not fully checked", n->path);
}

/* A read of the cgroup (file, or the directory itself when file is NULL)
 * failed: removed meanwhile (counted) or another error (noted). */
static void node_failed(struct walk *w, struct memcg_node *n, const char *file, long err)
{
	if (is_vanished(err)) {
		if (!n->gone)
			w->t->vanished++;
		n->gone = true;
	} else {
		note_error(w, n, file, err);
	}
}

/* Reads a required file. The length, or the error after node_failed(). */
static long need(struct walk *w, struct memcg_node *n, const char *file)
{
	long len = read_file(w, n, file);

	if (len < 0)
		node_failed(w, n, file, len);
	return len;
}

/* A required single-number file; parse errors are noted. */
static int need_u64(struct walk *w, struct memcg_node *n, const char *file, bool limit,
		    uint64_t *out)
{
	long len = need(w, n, file);
	int rc;

	if (len < 0)
		return (int)len;
	rc = limit ? memcg_limit_parse(w->buf, (size_t)len, out)
		   : memcg_u64_parse(w->buf, (size_t)len, out);
	if (rc)
		note_error(w, n, file, rc);
	return rc;
}

/* An optional file: absent (ENOENT) on this kernel is not an error. Returns
 * the length, or a negative errno (ENOENT silently). */
static long maybe(struct walk *w, struct memcg_node *n, const char *file)
{
	long len = read_file(w, n, file);

	/* ENOENT: not on this kernel. ENODEV still means the cgroup went. */
	if (len < 0 && len != -ENOENT)
		node_failed(w, n, file, len);
	return len;
}

/* Optional files a kernel has in every cgroup or in none: after
 * ABSENT_AFTER consecutive ENOENTs in live cgroups they are not probed again
 * (one probe costs a kernfs lookup, ~8 us, per limited cgroup). */
#define ABSENT_AFTER 3

static long probe(struct walk *w, struct memcg_node *n, enum opt_file k, const char *file)
{
	long len;

	if (w->absent[k] >= ABSENT_AFTER)
		return -ENOENT;
	len = maybe(w, n, file);
	if (len == -ENOENT)
		w->absent[k]++;
	else if (len >= 0)
		w->absent[k] = 0;
	return len;
}

static void read_v1(struct walk *w, struct memcg_node *n)
{
	const struct memcg_node *p;
	uint64_t hier = n->stat.hierarchical_memory_limit, parent_hier = MEMCG_NO_LIMIT;
	long len;

	if (!memcg_limit_is_set(hier) || n->depth == 0)
		return;
	p = &w->t->nodes[n->parent];
	if (p->has_stat && memcg_limit_is_set(p->stat.hierarchical_memory_limit))
		parent_hier = p->stat.hierarchical_memory_limit;
	/* hierarchical_memory_limit = min(own limit, parent's): below the
	 * parent's it is this cgroup's own limit, no need to read it. Equal to
	 * it, the cgroup may still have the same limit itself (a one-container
	 * pod), and then its counter is the one that fails first. */
	if (hier < parent_hier) {
		n->limit_bytes = hier;
	} else {
		if (need_u64(w, n, memcg_file_name(1, MEMCG_F_LIMIT), true, &n->limit_bytes))
			return;
		if (!memcg_limit_is_set(n->limit_bytes))
			return;
	}
	if (need_u64(w, n, memcg_file_name(1, MEMCG_F_USAGE), false, &n->usage_bytes) ||
	    need_u64(w, n, "memory.failcnt", false, &n->failcnt))
		return;
	len = probe(w, n, OPT_WMARK, "memory.wmark_ratio");
	if (len >= 0 && memcg_wmark_parse("memory.wmark_ratio", w->buf, (size_t)len, &n->wmark) == 0)
		n->has_wmark = true;
	/* v1 TCP accounting is a separate counter, active only once
	 * kmem.tcp.limit_in_bytes was written (memcg_update_tcp_max, 4.9-6.18);
	 * it is only looked at where a memory limit is set, which is where
	 * container runtimes set it. */
	len = probe(w, n, OPT_TCP, "memory.kmem.tcp.limit_in_bytes");
	if (len < 0 || memcg_limit_parse(w->buf, (size_t)len, &n->tcp_limit_bytes) ||
	    !memcg_limit_is_set(n->tcp_limit_bytes))
		return;
	len = maybe(w, n, "memory.kmem.tcp.usage_in_bytes");
	if (len >= 0)
		memcg_u64_parse(w->buf, (size_t)len, &n->tcp_usage_bytes);
	len = maybe(w, n, "memory.kmem.tcp.failcnt");
	if (len >= 0)
		memcg_u64_parse(w->buf, (size_t)len, &n->tcp_failcnt);
}

static void read_v2(struct walk *w, struct memcg_node *n)
{
	long len;

	if (n->depth > 0) {
		if (need_u64(w, n, memcg_file_name(2, MEMCG_F_LIMIT), true, &n->limit_bytes) ||
		    need_u64(w, n, "memory.high", true, &n->high_bytes))
			return;
		if (memcg_limit_is_set(n->limit_bytes) || memcg_limit_is_set(n->high_bytes)) {
			if (need_u64(w, n, memcg_file_name(2, MEMCG_F_USAGE), false, &n->usage_bytes))
				return;
			/* memory.events counts the events of the whole subtree: a
			 * parent would repeat its children's limit hits. The
			 * .local file (5.2+) counts this cgroup's own. */
			const char *ev = "memory.events.local";
			bool local = true;
			len = probe(w, n, OPT_EVENTS_LOCAL, ev);
			if (len == -ENOENT) {
				ev = "memory.events";
				local = false;
				len = need(w, n, ev);
			}
			if (len < 0)
				return;
			if (memcg_events_parse(w->buf, (size_t)len, &n->events) == 0) {
				n->has_events = true;
				n->events_local = local;
			} else {
				note_error(w, n, ev, -EINVAL);
			}
			len = probe(w, n, OPT_WMARK, "memory.wmark_ratio");
			if (len >= 0 &&
			    memcg_wmark_parse("memory.wmark_ratio", w->buf, (size_t)len, &n->wmark) == 0)
				n->has_wmark = true;
		}
	}
	if (n->depth == 0 || w->root_has_dying) {
		len = maybe(w, n, "cgroup.stat");
		if (len >= 0 && cgroup_stat_parse(w->buf, (size_t)len, &n->cstat) == 0) {
			n->has_cstat = true;
			if (n->depth == 0 && n->cstat.nr_dying_descendants > 0)
				w->root_has_dying = true;
		}
	}
}

static void read_node(struct walk *w, struct memcg_node *n)
{
	long len;

	n->limit_bytes = n->high_bytes = n->usage_bytes = n->failcnt = HR_UNSET;
	n->tcp_limit_bytes = n->tcp_usage_bytes = n->tcp_failcnt = HR_UNSET;
	memset(&n->events, 0xff, sizeof(n->events));	/* all HR_UNSET */
	memset(&n->cstat, 0xff, sizeof(n->cstat));
	/* The v2 root has no memory.stat before 5.8 (or so): optional there. */
	len = (w->t->version == 2 && n->depth == 0) ? maybe(w, n, "memory.stat")
						   : need(w, n, "memory.stat");
	if (n->gone || (len < 0 && len != -ENOENT))
		return;
	if (len >= 0) {
		int rc = memcg_stat_parse(w->buf, (size_t)len, &n->stat);
		if (rc) {
			note_error(w, n, "memory.stat", rc);
			return;
		}
		n->has_stat = true;
	}
	if (w->t->version == 1)
		read_v1(w, n);
	else
		read_v2(w, n);
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(((const struct memcg_node *)a)->path, ((const struct memcg_node *)b)->path);
}

/* Appends the child directories of nodes[i]. Leaves (kernfs and ext4 both
 * give a directory nlink 2 + subdirectories) are not listed. */
static void list_children(struct walk *w, uint32_t i)
{
	struct memcg_tree *t = w->t;
	struct memcg_node *n = &t->nodes[i];
	char rel[REL_MAX];
	struct stat st;
	DIR *d = NULL;
	struct dirent *de;
	bool complete = true;
	int rc;

	n->first_child = (uint32_t)t->n;
	n->nchildren = 0;
	if (rel_path(t, n, NULL, rel, sizeof(rel)))
		return;
	rc = w->dfd >= 0 ? (fstat(w->dfd, &st) ? -errno : 0) : root_stat(w->root, rel, &st);
	if (rc) {
		node_failed(w, n, NULL, rc);
		return;
	}
	if (st.st_nlink == 2) {
		n->children_complete = true;
		return;
	}
	if (n->depth >= MEMCG_DEPTH_MAX) {
		if (st.st_nlink > 2)
			t->depth_capped += st.st_nlink - 2;
		return;
	}
	if (w->dfd >= 0) {
		int fd = fcntl(w->dfd, F_DUPFD_CLOEXEC, 0);
		d = fd >= 0 ? fdopendir(fd) : NULL;
		rc = d ? 0 : -errno;
		if (fd >= 0 && !d)
			close(fd);
		if (!rc && w->root->record)
			w->root->record(w->root->record_arg, HR_REC_DIR, rel);
	} else {
		rc = root_opendir(w->root, rel, &d);
	}
	if (rc) {
		node_failed(w, n, NULL, rc);
		return;
	}
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (t->n >= t->cap) {
			t->dropped++;
			complete = false;
			continue;
		}
		struct memcg_node *c = &t->nodes[t->n];
		const char *sep = strcmp(n->path, "/") ? "/" : "";
		int k = snprintf(c->path, sizeof(c->path), "%s%s%s", n->path, sep, de->d_name);
		if (k < 0 || (size_t)k >= sizeof(c->path)) {
			memset(c->path, 0, sizeof(c->path));
			t->dropped++;
			complete = false;
			continue;
		}
		c->parent = i;
		c->depth = (uint16_t)(n->depth + 1);
		t->n++;
		n->nchildren++;
	}
	closedir(d);
	/* Fixture trees list in their filesystem's hash order; sort so reports
	 * are reproducible. kernfs order is already stable, so the host skips it. */
	if (!w->root->is_host && n->nchildren > 1)
		qsort(&t->nodes[n->first_child], n->nchildren, sizeof(*t->nodes), cmp_path);
	n->children_complete = complete;
}

static int find_hierarchy(struct walk *w)
{
	struct memcg_hier h;
	int rc = memcg_hier_find(w->root, &h, w->notes);

	if (rc)
		return rc;
	w->t->version = h.version;
	memcpy(w->t->mount, h.mount, sizeof(w->t->mount));
	return 0;
}

static void read_host(struct walk *w)
{
	static const struct hr_kv_key memtotal[] = { { "MemTotal", 0 } };
	struct proc_cgroups_row row;
	long len;

	w->t->mem_total_bytes = HR_UNSET;
	w->t->proc_num_cgroups = HR_UNSET;
	len = root_read(w->root, "proc/meminfo", w->buf, FILE_BUF);
	if (len >= 0)
		kv_parse(w->buf, (size_t)len, memtotal, 1, &w->t->mem_total_bytes, true);
	else
		note_add(w->notes, "proc/meminfo", (int)len, "host-relative memcg thresholds not applied");
	len = root_read(w->root, "proc/cgroups", w->buf, FILE_BUF);
	if (len >= 0 && proc_cgroups_parse(w->buf, (size_t)len, "memory", &row) == 0)
		w->t->proc_num_cgroups = row.num_cgroups;
	/* The release decides what a socket charge does at the limit
	 * (snapshot/kver.h); without it the finding says both. */
	(void)vmread_release(w->root, w->t->release, sizeof(w->t->release));
}

int memcg_tree_read(const struct hr_root *root, struct memcg_tree *t, size_t cap,
		    struct hr_notes *notes)
{
	struct walk w = { .root = root, .t = t, .notes = notes, .dfd = -1 };
	int rc;

	if (cap == 0)
		return -EINVAL;
	w.buf = malloc(FILE_BUF);
	if (!w.buf)
		return -ENOMEM;
	rc = find_hierarchy(&w);
	if (rc)
		goto out;
	t->nodes = calloc(cap, sizeof(*t->nodes));
	if (!t->nodes) {
		rc = -ENOMEM;
		goto out;
	}
	t->cap = cap;
	read_host(&w);

	t->n = 1;
	snprintf(t->nodes[0].path, sizeof(t->nodes[0].path), "/");
	t->nodes[0].parent = MEMCG_NONE;
	/* Breadth-first with the node array as the queue: children are
	 * appended while their parent is visited. */
	for (size_t i = 0; i < t->n; i++) {
		struct memcg_node *n = &t->nodes[i];
		/* The node's directory once; a failure to open it falls back to
		 * path reads, which say which file failed. */
		w.dfd = -1;
		if (!rel_path(t, n, NULL, w.dir, sizeof(w.dir)))
			w.dfd = root_openat(root, w.dir, O_RDONLY | O_DIRECTORY);
		if (w.dfd < 0)
			w.dfd = -1;
		read_node(&w, n);
		if (i == 0 && !t->nodes[0].has_stat && t->version == 1) {
			rc = t->nodes[0].gone ? -ENOENT : -EIO;
			if (w.dfd >= 0)
				close(w.dfd);
			goto out;
		}
		if (!n->gone)
			list_children(&w, (uint32_t)i);
		if (w.dfd >= 0)
			close(w.dfd);
	}
out:
	free(w.buf);
	if (rc)
		memcg_tree_fini(t);
	return rc;
}

int memcg_area_sample(const struct hr_root *root, void *state, struct hr_notes *notes)
{
	int rc = memcg_tree_read(root, state, MEMCG_TREE_CAP, notes);

	if (rc == -ENODEV)
		note_add(notes, "proc/self/mounts", ENODEV,
			      "no memory cgroup controller mounted (v1 memory or cgroup2 with memory)");
	return rc;
}

void memcg_area_fini(void *state)
{
	memcg_tree_fini(state);
}
