/* cgtable.c - the cgroup table: discovery (the initial walk, inotify for
 * mkdir/rmdir), per-cgroup configuration (limit, policy, backend: the
 * choice is policy.c's) and removal. See ctx.h.
 *
 * cgroupfs (kernfs) sends IN_CREATE / IN_DELETE with IN_ISDIR to a watch on
 * the parent directory for mkdir / rmdir of a child cgroup. inotify is not
 * recursive, so every tracked directory has its own watch.
 */
#define _GNU_SOURCE
#include "daemon/ctx.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/parse.h"
#include "util/clock.h"

/* IN_MODIFY: vfs_write() notifies for every file, kernfs ones included, so
 * a limit set after mkdir (the usual order: systemd, runc) is seen at once.
 * Our own limit writes come back too; re-reading the limit is ~3 us. */
#define INO_MASK (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_MODIFY | IN_ONLYDIR)

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Every cgroup file, read or written, resolves without symlinks below the
 * root (cg_open; cgroupfs has none; daemon_init refuses a cgroup_root
 * reached through one), so no path the agent writes can be redirected. */

static void close_limited(struct hr_ctx *c, struct hr_cg *g)
{
	/* Event sources leave the loop before their fds close. */
	loop_del(&c->loop, g->evfd_id);
	loop_del(&c->loop, g->events_id);
	loop_del(&c->loop, g->psi_id);
	g->evfd_id = g->events_id = g->psi_id = -1;
	close_fd(&g->dir_fd);	/* drops the flock */
	g->owned = false;
	close_fd(&g->usage_fd);
	close_fd(&g->stat_fd);
	close_fd(&g->ctl_fd);
	close_fd(&g->evfd);
	close_fd(&g->events_fd);
	close_fd(&g->psi_fd);
	g->threshold = 0;
}

/* Takes the per-cgroup lock (see ctx.h) and the directory's identity for
 * the journal. false: another process holds it, or the directory is gone. */
static bool own(struct hr_ctx *c, struct hr_cg *g)
{
	struct stat st;

	if (g->owned)
		return true;
	if (g->dir_fd < 0) {
		char dir[HR_CG_REL_MAX];
		g->dir_fd = root_openat_strict(c->root.fd, cg_dir(c, g, dir), O_RDONLY | O_DIRECTORY);
		if (g->dir_fd < 0) {
			g->dir_fd = -1;
			return false;
		}
		if (fstat(g->dir_fd, &st)) {
			close_fd(&g->dir_fd);
			return false;
		}
		g->dev = (uint64_t)st.st_dev;
		g->ino = (uint64_t)st.st_ino;
	}
	if (flock(g->dir_fd, LOCK_EX | LOCK_NB))
		return false;
	g->owned = true;
	return true;
}

void cgtable_configure(struct hr_ctx *c, int idx)
{
	struct hr_cg *g = &c->cg[idx];
	uint64_t limit = MEMCG_NO_LIMIT;
	const struct hr_policy *p;
	enum reclaim_backend old = g->backend;
	bool old_observe = g->observe_mode;
	uint64_t old_limit = g->limit;

	/* A restore that failed left our lowered value in place: it is not
	 * the limit (re-reading it here would make it the next "original").
	 * Nor is the limit read while the worker's round has it lowered (our
	 * own write's IN_MODIFY arrives then): the round's completion
	 * configures again. */
	if ((g->kept_slot >= 0 || g->job) && g->limited) {
		g->reconfigure = g->job != NULL;
		return;
	}
	if (g->limit_fd < 0 || memcg_file_u64(g->limit_fd, &limit))
		limit = MEMCG_NO_LIMIT;
	p = config_match(&c->cfg, g->path);
	bool limited = memcg_limit_is_set(limit) && p;
	if (!limited) {
		if (g->limited)
			hr_log(c, 6, "%s: no longer %s", g->path, p ? "limited" : "matched by a policy");
		close_limited(c, g);
		g->limited = false;
		g->observe_mode = g->dry = false;
		g->backend = HR_BE_NONE;
		g->pol = -1;
		g->limit = limit;
		return;
	}
	int pol = (int)(p - c->cfg.policy);
	uint64_t high = mark_bytes(&p->high, limit), low = mark_bytes(&p->low, limit);
	if (g->limited && pol == g->pol && limit == g->limit && high == g->high && low == g->low &&
	    !g->foreign)
		return;		/* nothing changed (a foreign lock is tried again) */
	g->pol = pol;
	g->limit = limit;
	g->high = high;
	g->low = low;
	if (!g->limited) {
		g->usage_fd = cg_open(c, g, MEMCG_F_USAGE, O_RDONLY);
		g->stat_fd = cg_open(c, g, MEMCG_F_STAT, O_RDONLY);
		if (g->usage_fd < 0 || g->stat_fd < 0) {
			int e = g->usage_fd < 0 ? g->usage_fd : g->stat_fd;
			close_limited(c, g);
			if (e == -EMFILE || e == -ENFILE) {
				/* Full is a state: count it, say so, try again at the
				 * next slow poll (fds may free up). */
				if (!c->st.fd_short)
					hr_log(c, 4, "%s: out of file descriptors (%s): not protected until fds "
					       "free up (counted in status: fd_short=)", g->path, strerror(-e));
				c->st.fd_short++;
				return;
			}
			/* Removed while we looked (ENOENT/ENODEV): inotify tells us. */
			c->st.races++;
			return;
		}
		g->limited = true;
		g->tokens_ns = clock_mono_ns();
		g->tokens_bytes = p->max_rate_bytes;
		g->tokens_cpu_ns = (uint64_t)p->max_cpu_pct * 10000000u;
	}
	g->backend = policy_backend(c, g, p);
	g->observe_mode = p->mode == HR_MODE_OBSERVE;
	g->dry = g->observe_mode || c->cfg.dry_run;
	bool was_foreign = g->foreign;
	g->foreign = false;
	/* Only an agent that writes takes the lock: observing never keeps
	 * another agent off a cgroup. */
	if (g->backend != HR_BE_OBSERVE && !g->dry && !own(c, g)) {
		if (g->dir_fd >= 0) {
			g->foreign = true;
			if (!was_foreign) {
				c->st.foreign_owner++;
				hr_log(c, 4, "%s: another process holds the lock on this cgroup (another "
				       "headroom agent? see /proc/locks): observing it only", g->path);
			}
			g->why = "another agent owns this cgroup: observing";
		} else {
			g->why = "cannot open the cgroup directory: observing";
		}
		g->backend = HR_BE_OBSERVE;
	} else if (was_foreign && g->backend != HR_BE_OBSERVE) {
		hr_log(c, 5, "%s: the other agent let go of this cgroup: taking it over", g->path);
	}
	close_fd(&g->ctl_fd);
	if (g->backend == HR_BE_V2_RECLAIM || g->backend == HR_BE_V2_HIGH) {
		enum memcg_file_id ctl = g->backend == HR_BE_V2_RECLAIM ? MEMCG_F_RECLAIM : MEMCG_F_HIGH;
		g->ctl_fd = cg_open(c, g, ctl, O_RDWR);
		/* A dry run only reads memory.high, and never touches
		 * memory.reclaim: an unprivileged observer still runs the path. */
		if (g->ctl_fd < 0 && g->dry && ctl == MEMCG_F_HIGH)
			g->ctl_fd = cg_open(c, g, ctl, O_RDONLY);
		if (g->ctl_fd < 0 && g->dry && ctl == MEMCG_F_RECLAIM)
			g->ctl_fd = -1;
		else if (g->ctl_fd < 0) {
			g->why = "cannot open the reclaim file for writing: observing";
			g->backend = HR_BE_OBSERVE;
		}
	}
	if (g->backend == HR_BE_WMARK) {
		unsigned hp = p->high.is_pct ? p->high.pct : (unsigned)(high * 100 / limit);
		unsigned lp = p->low.is_pct ? p->low.pct : (unsigned)(low * 100 / limit);
		char dir[HR_CG_REL_MAX];
		struct reclaim_files f = { .cgroup = cg_dir(c, g, dir), .dev = g->dev, .ino = g->ino };
		struct reclaim_write w[2];
		/* The journal is shared with the worker; a wmark cgroup has no
		 * rounds, so this waits for another cgroup's at most (rare:
		 * configure time only, on kernels with watermarks). */
		if (c->worker.inited)
			pthread_mutex_lock(&c->worker.journal_mu);
		int rc = wmark_configure(&c->journal, &c->root, &f, hp, lp, g->dry, g->wmark_slot, w);
		c->journal_open = c->journal.open_entries;
		if (c->worker.inited)
			pthread_mutex_unlock(&c->worker.journal_mu);
		if (rc)
			hr_log(c, 4, "%s: cannot configure memory watermarks: %s", g->path, strerror(-rc));
		for (int i = 0; i < 2 && !rc; i++)
			if (w[i].file[0])
				hr_log(c, g->dry ? 6 : 7, "%s: %s %s = %s%s", g->path, g->dry ? "would write" : "wrote",
				       w[i].file, w[i].value, !g->dry ? "" :
				       c->cfg.dry_run ? " (dry run)" : " (mode observe)");
	}
	c->arm_events(c, idx);	/* events_v1.c / events_v2.c, set by daemon_init */
	if (old != g->backend || old_limit != limit || old_observe != g->observe_mode)
		hr_log(c, 6, "%s: limit %llu, high %llu, low %llu, policy %s, mode %s, backend %s (%s)",
		       g->path, (unsigned long long)limit, (unsigned long long)high,
		       (unsigned long long)low, p->name, config_mode_name(p->mode),
		       backend_name(g->backend), g->why);
	g->next_poll_ns = 0;	/* check at once */
}

static int find_child(struct hr_ctx *c, int parent, const char *name)
{
	const char *pp = c->cg[parent].path;
	size_t pl = strcmp(pp, "/") ? strlen(pp) : 0;

	for (uint32_t i = 0; i < c->ncg; i++) {
		const struct hr_cg *g = &c->cg[i];
		if (g->used && g->parent == parent && !strncmp(g->path, pp, pl) && g->path[pl] == '/' &&
		    !strcmp(g->path + pl + 1, name))
			return (int)i;
	}
	return -1;
}

/* Adds one cgroup directory. Returns its index, or -errno. */
static int add(struct hr_ctx *c, int parent, const char *name)
{
	struct hr_cg *g = NULL;
	int idx = -1;

	for (uint32_t i = 0; i < c->cap; i++)
		if (!c->cg[i].used) {
			idx = (int)i;
			break;
		}
	if (idx < 0) {
		c->st.dropped_cgroups++;
		c->unwatched++;
		if (!c->dropped_logged)
			hr_log(c, 4, "cgroup table full (max_cgroups = %u): cgroups beyond it are not watched "
			       "until entries free up (counted in status: dropped=)", c->cap);
		c->dropped_logged = true;
		c->rescan = true;
		return -ENOSPC;
	}
	g = &c->cg[idx];
	uint32_t gen = g->gen;	/* a round of the previous user may still be in flight */
	memset(g, 0, sizeof(*g));
	g->gen = gen + 1;
	g->parent = parent;
	if (parent < 0) {
		snprintf(g->path, sizeof(g->path), "/");
	} else {
		const char *pp = c->cg[parent].path;
		int n = snprintf(g->path, sizeof(g->path), "%s/%s", strcmp(pp, "/") ? pp : "", name);
		if (n < 0 || (size_t)n >= sizeof(g->path)) {
			c->st.dropped_cgroups++;
			return -ENAMETOOLONG;
		}
	}
	g->wd = g->limit_fd = g->usage_fd = g->stat_fd = g->ctl_fd = g->evfd = g->events_fd = g->psi_fd = -1;
	g->evfd_id = g->events_id = g->psi_id = -1;
	g->dir_fd = g->kept_slot = -1;
	g->wmark_slot[0] = g->wmark_slot[1] = -1;
	g->pol = -1;
	g->used = true;
	c->nused++;
	if ((uint32_t)idx >= c->ncg)
		c->ncg = (uint32_t)idx + 1;
	if (c->inofd >= 0) {
		char dir[HR_CG_REL_MAX];
		/* inotify_add_watch takes a path: resolve it below the root dirfd
		 * through /proc/self/fd so fixture roots work too. */
		char p[HR_CG_REL_MAX + 40];
		snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", c->root.fd, cg_dir(c, g, dir));
		g->wd = inotify_add_watch(c->inofd, p, INO_MASK);
	}
	g->limit_fd = cg_open(c, g, MEMCG_F_LIMIT, c->v2 ? O_RDONLY : O_RDWR);
	g->limit_rw = !c->v2 && g->limit_fd >= 0;
	g->limit_err = g->limit_fd < 0 ? g->limit_fd : 0;
	if (g->limit_fd < 0 && !c->v2 && g->limit_fd != -ENOENT)
		g->limit_fd = cg_open(c, g, MEMCG_F_LIMIT, O_RDONLY);
	if (g->limit_fd == -EMFILE || g->limit_fd == -ENFILE) {
		if (!c->st.fd_short)
			hr_log(c, 4, "%s: out of file descriptors: not watched (counted in status: fd_short=)",
			       g->path);
		c->st.fd_short++;
	}
	if (g->limit_fd < 0)
		g->limit_fd = -1;	/* v2 root cgroup has no memory.max: never limited */
	/* Fixture trees (tests) hold plain files that need truncating after a
	 * write; cgroupfs files are S_IFREG too, so ask the filesystem. */
	struct statfs sf;
	g->regular = g->limit_fd >= 0 && fstatfs(g->limit_fd, &sf) == 0 &&
		     sf.f_type != CGROUP_SUPER_MAGIC && sf.f_type != CGROUP2_SUPER_MAGIC;
	c->st.cgroups_added++;
	cgtable_configure(c, idx);
	return idx;
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Adds every subdirectory of cg[idx] (getdents64 into the ctx buffer: no
 * DIR*, no allocation). New children are scanned by the caller's walk. */
static int scan_children(struct hr_ctx *c, int idx)
{
	char dir[HR_CG_REL_MAX];
	int fd = root_openat_strict(c->root.fd, cg_dir(c, &c->cg[idx], dir), O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		return fd;
	for (;;) {
		long n = syscall(SYS_getdents64, fd, c->dents, sizeof(c->dents));
		if (n <= 0)
			break;
		for (long off = 0; off < n;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(c->dents + off);
			off += d->d_reclen;
			if (d->d_type != DT_DIR || d->d_name[0] == '.')
				continue;
			if (find_child(c, idx, d->d_name) < 0)
				add(c, idx, d->d_name);
		}
	}
	close(fd);
	return 0;
}

/* Walks the subtree of idx, using the table itself as the queue: entries
 * below idx not yet listed are listed, until a round adds nothing. */
static void walk(struct hr_ctx *c, int idx)
{
	bool seen_new = true;

	c->cg[idx].listed = true;
	scan_children(c, idx);
	/* Children of children: repeat over entries whose ancestor is idx and
	 * which were not listed yet. Bounded by the table size. */
	for (int round = 0; seen_new && round < 64; round++) {
		seen_new = false;
		uint32_t before = (uint32_t)c->st.cgroups_added;
		for (uint32_t i = 0; i < c->ncg; i++) {
			struct hr_cg *g = &c->cg[i];
			if (!g->used || g->parent < 0 || (int)i == idx)
				continue;
			if (g->listed)
				continue;
			int a = g->parent;
			while (a >= 0 && a != idx)
				a = c->cg[a].parent;
			if (a != idx)
				continue;
			g->listed = true;
			scan_children(c, (int)i);
		}
		seen_new = (uint32_t)c->st.cgroups_added != before;
	}
}

void cgtable_retry_dropped(struct hr_ctx *c)
{
	if (!c->rescan || c->nused >= c->cap)
		return;
	/* A full walk finds what was dropped; what still does not fit is
	 * counted again. Bounded like the first walk. */
	c->rescan = false;
	c->unwatched = 0;
	for (uint32_t i = 0; i < c->ncg; i++)
		c->cg[i].listed = false;
	walk(c, 0);
	if (c->unwatched == 0 && c->dropped_logged) {
		hr_log(c, 5, "cgroup table has room again: every cgroup is watched");
		c->dropped_logged = false;
	}
}

int cgtable_scan(struct hr_ctx *c)
{
	struct stat st;
	int rc = root_stat(&c->root, c->base[0] ? c->base : ".", &st);

	if (rc)
		return rc;
	if (c->ncg == 0) {
		rc = add(c, -1, NULL);
		if (rc < 0)
			return rc;
	}
	walk(c, 0);
	return 0;
}

void cgtable_remove(struct hr_ctx *c, int idx)
{
	struct hr_cg *g = &c->cg[idx];

	if (!g->used)
		return;
	/* Children first (rmdir needs an empty cgroup, but a missed event must
	 * not leave orphans in the table). */
	for (uint32_t i = 0; i < c->ncg; i++)
		if (c->cg[i].used && c->cg[i].parent == idx)
			cgtable_remove(c, (int)i);
	close_limited(c, g);
	close_fd(&g->limit_fd);
	if (g->wd >= 0 && c->inofd >= 0)
		inotify_rm_watch(c->inofd, g->wd);	/* EINVAL when already gone: fine */
	g->wd = -1;
	g->used = false;
	c->nused--;
	c->st.cgroups_removed++;
	if (c->unwatched)
		c->rescan = true;	/* room for a dropped one: see cgtable_retry_dropped */
	while (c->ncg > 0 && !c->cg[c->ncg - 1].used)
		c->ncg--;
}

static int by_wd(struct hr_ctx *c, int wd)
{
	for (uint32_t i = 0; i < c->ncg; i++)
		if (c->cg[i].used && c->cg[i].wd == wd)
			return (int)i;
	return -1;
}

void cgtable_on_inotify(struct loop *l, int fd, void *data, uint32_t events)
{
	struct hr_ctx *c = ctx_of_loop(l);

	(void)fd;
	(void)data;
	(void)events;
	for (;;) {
		ssize_t n = read(c->inofd, c->ino, sizeof(c->ino));
		if (n <= 0)
			return;
		for (ssize_t off = 0; off < n;) {
			struct inotify_event *ev = (struct inotify_event *)(c->ino + off);
			off += (ssize_t)sizeof(*ev) + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				hr_log(c, 4, "inotify queue overflow: rescanning the cgroup tree");
				c->unwatched = 0;
				for (uint32_t i = 0; i < c->ncg; i++)
					c->cg[i].listed = false;
				walk(c, 0);
				continue;
			}
			if (!ev->len)
				continue;
			int p = by_wd(c, ev->wd);
			if (p < 0)
				continue;
			if (ev->mask & IN_MODIFY) {
				if (!strcmp(ev->name, memcg_file_name(c->v2 ? 2 : 1, MEMCG_F_LIMIT)))
					cgtable_configure(c, p);
				continue;
			}
			if (!(ev->mask & IN_ISDIR))
				continue;
			if (ev->mask & (IN_CREATE | IN_MOVED_TO)) {
				if (find_child(c, p, ev->name) >= 0)
					continue;
				int k = add(c, p, ev->name);
				if (k >= 0) {
					c->cg[k].listed = true;
					scan_children(c, k);	/* mkdir -p raced our watch */
					hr_log(c, 7, "%s: new cgroup", c->cg[k].path);
				}
			} else if (ev->mask & (IN_DELETE | IN_MOVED_FROM)) {
				int k = find_child(c, p, ev->name);
				if (k >= 0) {
					hr_log(c, 7, "%s: cgroup removed", c->cg[k].path);
					cgtable_remove(c, k);
				}
			}
		}
	}
}
