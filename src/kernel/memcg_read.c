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

#define REL_MAX (MEMCG_MOUNT_PATH_MAX + MEMCG_NODE_PATH_MAX + 64)

enum opt_file { OPT_WMARK, OPT_TCP, OPT_EVENTS_LOCAL, OPT_N };

struct walk {
	const struct hr_root *root;
	struct memcg_tree *t;
	struct hr_notes *notes;
	struct hr_arena *scratch;
	char *buf;		/* MEMCG_FILE_BUF, reused for every file */
	bool root_has_dying;	/* v2: read cgroup.stat everywhere */
	int dfd;		/* the current node's directory, -1: read by path */
	char dir[REL_MAX];	/* its root-relative path */
	struct memcg_fdcache *fdc;	/* NULL: no files kept open */
	struct memcg_fdc_entry *ent;	/* the current node's, or NULL */
	unsigned absent[OPT_N];	/* consecutive ENOENTs, see probe() */
};

void memcg_tree_fini(struct memcg_tree *t)
{
	if (t->nodes_owned)
		free(t->nodes);
	t->nodes = NULL;
	t->nodes_owned = false;
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

/* The files an fd cache entry keeps, by slot. */
static const char *const fdc_names[MEMCG_FDC_FILES] = {
	"memory.stat", "memory.limit_in_bytes", "memory.usage_in_bytes", "memory.failcnt",
	"memory.wmark_ratio", "memory.kmem.tcp.limit_in_bytes", "memory.kmem.tcp.usage_in_bytes",
	"memory.kmem.tcp.failcnt", "memory.max", "memory.high", "memory.current",
	"memory.events.local", "memory.events", "cgroup.stat",
};

void memcg_fdcache_init(struct memcg_fdcache *c, struct memcg_fdc_entry *e, size_t cap,
			size_t budget)
{
	memset(c, 0, sizeof(*c));
	c->e = e;
	c->cap = e ? cap : 0;
	c->budget = budget;
	for (size_t i = 0; i < c->cap; i++) {
		e[i].dfd = -1;
		for (int k = 0; k < MEMCG_FDC_FILES; k++)
			e[i].fd[k] = -1;
		e[i].path_hash = 0;
		e[i].path_len = 0;
	}
}

static uint64_t fnv1a(const char *p, size_t *len)
{
	uint64_t h = 14695981039346656037ull;
	size_t n = 0;

	for (; p[n]; n++)
		h = (h ^ (unsigned char)p[n]) * 1099511628211ull;
	*len = n;
	return h;
}

static void fdc_close(struct memcg_fdcache *c, struct memcg_fdc_entry *e)
{
	for (int k = 0; k < MEMCG_FDC_FILES; k++) {
		if (e->fd[k] >= 0) {
			close(e->fd[k]);
			c->nfds--;
		}
		e->fd[k] = -1;
	}
	if (e->dfd >= 0) {
		close(e->dfd);
		c->nfds--;
	}
	e->dfd = -1;
	e->path_hash = 0;
	e->path_len = 0;
}

void memcg_fdcache_fini(struct memcg_fdcache *c)
{
	for (size_t i = 0; i < c->used; i++)
		fdc_close(c, &c->e[i]);
	c->used = 0;
}

/* One pread: a cgroup file is one seq_file record, and seq_read_iter
 * returns all of it that fits the reader's buffer in the first read, so a
 * read shorter than the buffer is the whole file (a second pread only to
 * see 0 would cost ~0.5 us more per file). */
static long fdc_read(struct walk *w, int slot, const char *file)
{
	struct memcg_fdc_entry *e = w->ent;
	int fd = e->fd[slot];
	ssize_t k;

	if (fd < 0) {
		if (w->fdc->nfds >= w->fdc->budget)
			return root_read_at(w->root, w->dfd, w->dir, file, w->buf, MEMCG_FILE_BUF);
		fd = openat(w->dfd, file, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
		if (fd < 0)
			return -errno;
		struct stat st;
		if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
			close(fd);
			return -EINVAL;
		}
		e->fd[slot] = fd;
		w->fdc->nfds++;
	}
	do
		k = pread(fd, w->buf, MEMCG_FILE_BUF - 1, 0);
	while (k < 0 && errno == EINTR);
	if (k < 0) {
		long err = -errno;
		/* Gone (ENODEV) or broken: not kept. */
		close(fd);
		e->fd[slot] = -1;
		w->fdc->nfds--;
		return err;
	}
	if ((size_t)k == MEMCG_FILE_BUF - 1)
		return -E2BIG;
	w->buf[k] = '\0';
	return (long)k;
}

static int fdc_slot(const char *file)
{
	for (int k = 0; k < MEMCG_FDC_FILES; k++)
		if (!strcmp(fdc_names[k], file))
			return k;
	return -1;
}

static long read_file(struct walk *w, const struct memcg_node *n, const char *file)
{
	char rel[REL_MAX];
	int rc;

	if (w->ent && w->dfd >= 0) {
		int slot = fdc_slot(file);
		if (slot >= 0)
			return fdc_read(w, slot, file);
	}
	/* Relative to the node's directory fd: one lookup, not a walk of the
	 * whole path (kernfs: the walk is a good part of an open's cost). */
	if (w->dfd >= 0)
		return root_read_at(w->root, w->dfd, w->dir, file, w->buf, MEMCG_FILE_BUF);
	rc = rel_path(w->t, n, file, rel, sizeof(rel));
	if (rc)
		return rc;
	return root_read(w->root, rel, w->buf, MEMCG_FILE_BUF);
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

/* Heapsort of nodes[0..n) by path, in place: glibc's qsort mallocs a copy
 * of an array over 1 KiB (msort), and a node is ~1 KiB. */
static void sift(struct memcg_node *v, size_t i, size_t n, struct memcg_node *tmp)
{
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			return;
		if (c + 1 < n && strcmp(v[c].path, v[c + 1].path) < 0)
			c++;
		if (strcmp(v[i].path, v[c].path) >= 0)
			return;
		*tmp = v[i];
		v[i] = v[c];
		v[c] = *tmp;
		i = c;
	}
}

static void sort_by_path(struct memcg_node *v, size_t n)
{
	struct memcg_node tmp;

	for (size_t i = n / 2; i-- > 0;)
		sift(v, i, n, &tmp);
	for (size_t k = n; k-- > 1;) {
		tmp = v[0];
		v[0] = v[k];
		v[k] = tmp;
		sift(v, 0, k, &tmp);
	}
}

/* Appends the child directories of nodes[i]. Leaves (kernfs and ext4 both
 * give a directory nlink 2 + subdirectories) are not listed. */
static void list_children(struct walk *w, uint32_t i)
{
	struct memcg_tree *t = w->t;
	struct memcg_node *n = &t->nodes[i];
	char rel[REL_MAX];
	struct stat st;
	struct root_dir d;
	const char *name;
	unsigned char type;
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
	rc = w->dfd >= 0 ? root_dir_open_fd(w->root, w->dfd, rel, &d) : root_dir_open(w->root, rel, &d);
	if (rc) {
		node_failed(w, n, NULL, rc);
		return;
	}
	while ((name = root_dir_next(&d, &type))) {
		if (type != DT_DIR)
			continue;
		if (t->n >= t->cap) {
			t->dropped++;
			complete = false;
			continue;
		}
		struct memcg_node *c = &t->nodes[t->n];
		const char *sep = strcmp(n->path, "/") ? "/" : "";
		memset(c, 0, sizeof(*c));
		int k = snprintf(c->path, sizeof(c->path), "%s%s%s", n->path, sep, name);
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
	if (d.err < 0) {
		node_failed(w, n, NULL, d.err);
		complete = false;
	}
	root_dir_close(&d);
	/* Fixture trees list in their filesystem's hash order; sort so reports
	 * are reproducible. kernfs order is already stable, so the host skips it. */
	if (!w->root->is_host && n->nchildren > 1)
		sort_by_path(&t->nodes[n->first_child], n->nchildren);
	n->children_complete = complete;
}

static int find_hierarchy(struct walk *w)
{
	struct memcg_hier h;
	int rc = memcg_hier_find_in(w->root, &h, w->scratch, w->notes);

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
	len = root_read(w->root, "proc/meminfo", w->buf, MEMCG_FILE_BUF);
	if (len >= 0)
		kv_parse(w->buf, (size_t)len, memtotal, 1, &w->t->mem_total_bytes, true);
	else
		note_add(w->notes, "proc/meminfo", (int)len, "host-relative memcg thresholds not applied");
	len = root_read(w->root, "proc/cgroups", w->buf, MEMCG_FILE_BUF);
	if (len >= 0 && proc_cgroups_parse(w->buf, (size_t)len, "memory", &row) == 0)
		w->t->proc_num_cgroups = row.num_cgroups;
	/* The release decides what a socket charge does at the limit
	 * (snapshot/kver.h); without it the finding says both. */
	(void)vmread_release(w->root, w->t->release, sizeof(w->t->release));
}

/* The node's directory fd: kept in its cache entry (the same path at the
 * same index as last walk), or opened for this visit; -1 on failure (the
 * reads then go by path and say which file failed). */
static int open_dir(struct walk *w, size_t i, const struct memcg_node *n)
{
	struct memcg_fdcache *c = w->fdc;
	int fd;

	if (c && i < c->cap) {
		struct memcg_fdc_entry *e = &c->e[i];
		size_t len;
		uint64_t h = fnv1a(n->path, &len);
		if (i >= c->used)
			c->used = i + 1;
		if (e->dfd >= 0 && e->path_hash == h && e->path_len == len) {
			w->ent = e;
			return e->dfd;
		}
		fdc_close(c, e);
		if (c->nfds < c->budget) {
			fd = root_openat(w->root, w->dir, O_RDONLY | O_DIRECTORY);
			if (fd < 0)
				return -1;
			e->dfd = fd;
			e->path_hash = h;
			e->path_len = len;
			c->nfds++;
			c->reopened++;
			w->ent = e;
			return fd;
		}
	}
	fd = root_openat(w->root, w->dir, O_RDONLY | O_DIRECTORY);
	return fd < 0 ? -1 : fd;
}

/* After the node's visit: its own fd closed, a kept one closed if the
 * cgroup went (it would pin the removed directory). */
static void done_dir(struct walk *w, const struct memcg_node *n)
{
	if (w->ent) {
		if (n->gone)
			fdc_close(w->fdc, w->ent);
	} else if (w->dfd >= 0) {
		close(w->dfd);
	}
	w->dfd = -1;
	w->ent = NULL;
}

int memcg_tree_read_in(const struct hr_root *root, struct memcg_tree *t, struct memcg_node *nodes,
		       size_t cap, struct hr_arena *scratch, struct memcg_fdcache *fdc,
		       struct hr_notes *notes)
{
	/* A recorder (headroom snapshot) must see every file read. */
	struct walk w = { .root = root, .t = t, .notes = notes, .scratch = scratch, .dfd = -1,
			  .fdc = root->record ? NULL : fdc };
	size_t mark = arena_mark(scratch);
	int rc;

	if (cap == 0 || !nodes)
		return cap ? -ENOMEM : -EINVAL;
	w.buf = arena_alloc(scratch, MEMCG_FILE_BUF);
	if (!w.buf)
		return -ENOMEM;
	rc = find_hierarchy(&w);
	if (rc)
		goto out;
	t->nodes = nodes;
	t->cap = cap;
	read_host(&w);

	t->n = 1;
	memset(&t->nodes[0], 0, sizeof(t->nodes[0]));
	snprintf(t->nodes[0].path, sizeof(t->nodes[0].path), "/");
	t->nodes[0].parent = MEMCG_NONE;
	/* Breadth-first with the node array as the queue: children are
	 * appended while their parent is visited. */
	for (size_t i = 0; i < t->n; i++) {
		struct memcg_node *n = &t->nodes[i];
		/* The node's directory once; a failure to open it falls back to
		 * path reads, which say which file failed. */
		w.dfd = -1;
		w.ent = NULL;
		if (!rel_path(t, n, NULL, w.dir, sizeof(w.dir)))
			w.dfd = open_dir(&w, i, n);
		read_node(&w, n);
		if (i == 0 && !t->nodes[0].has_stat && t->version == 1) {
			rc = t->nodes[0].gone ? -ENOENT : -EIO;
			done_dir(&w, n);
			goto out;
		}
		if (!n->gone)
			list_children(&w, (uint32_t)i);
		done_dir(&w, n);
	}
	/* Entries past the walk's end name cgroups no longer at an index
	 * (removed, or cut by cap): their fds would pin removed cgroups. */
	if (w.fdc) {
		for (size_t k = t->n; k < w.fdc->used; k++)
			fdc_close(w.fdc, &w.fdc->e[k]);
		if (w.fdc->used > t->n)
			w.fdc->used = t->n;
	}
out:
	arena_release(scratch, mark);
	if (rc) {
		t->nodes = NULL;
		t->n = t->cap = 0;
	}
	return rc;
}

int memcg_tree_read(const struct hr_root *root, struct memcg_tree *t, size_t cap,
		    struct hr_notes *notes)
{
	struct hr_arena a;
	void *mem = malloc(MEMCG_READ_SCRATCH);
	struct memcg_node *nodes = cap ? calloc(cap, sizeof(*nodes)) : NULL;
	int rc;

	arena_init(&a, mem, MEMCG_READ_SCRATCH);
	rc = memcg_tree_read_in(root, t, nodes, cap, &a, NULL, notes);
	free(mem);
	if (rc) {
		free(nodes);
		return rc;
	}
	t->nodes_owned = true;
	return 0;
}

int memcg_area_sample(const struct hr_root *root, void *state, struct hr_arena *keep, size_t cap,
		      struct hr_arena *scratch, struct memcg_fdcache *fdc, struct hr_notes *notes)
{
	struct memcg_node *nodes = cap ? arena_alloc(keep, cap * sizeof(*nodes)) : NULL;
	int rc = memcg_tree_read_in(root, state, nodes, cap, scratch, fdc, notes);

	if (rc == -ENODEV)
		note_add(notes, "proc/self/mounts", ENODEV,
			      "no memory cgroup controller mounted (v1 memory or cgroup2 with memory)");
	return rc;
}

size_t memcg_area_keep_bytes(size_t cap)
{
	return ARENA_PIECE(cap * sizeof(struct memcg_node));
}
