/* daemon.c - start, readiness, shutdown, logging, status and sd_notify of
 * `headroom run`. See ctx.h. */
#define _GNU_SOURCE
#include "daemon/ctx.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "util/parse.h"
#include "util/clock.h"
#include "kernel/memcg_hier.h"

const char *backend_name(enum hr_backend b)
{
	switch (b) {
	case HR_BE_NONE: return "none";
	case HR_BE_OBSERVE: return "observe";
	case HR_BE_V1_LIMIT: return "v1-limit";
	case HR_BE_V2_RECLAIM: return "v2-reclaim";
	case HR_BE_V2_HIGH: return "v2-high";
	case HR_BE_WMARK: return "wmark";
	}
	return "?";
}

bool log_stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char tail;

	/* "DEV:INO" of the stream journald gave us (systemd.exec(5)); stderr
	 * redirected elsewhere by a wrapper keeps the variable but not the inode. */
	if (!js || sscanf(js, "%llu:%llu%c", &dev, &ino, &tail) != 2 || fstat(STDERR_FILENO, &st))
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

/* One line to stderr, with a syslog priority prefix ("<6>headroom: run: ...")
 * only when stderr is the journal: journald reads it as the priority, a
 * terminal or a log file would show it as noise. vsnprintf into a ctx buffer
 * and one write(2): no stdio buffering, no allocation. Debug (7) only with -v. */
void hr_log(struct hr_ctx *c, int prio, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (prio >= 7 && !c->opts.verbose)
		return;
	if (c->log_journal)
		n = snprintf(c->logbuf, sizeof(c->logbuf), "<%d>headroom: run: ", prio);
	else
		n = snprintf(c->logbuf, sizeof(c->logbuf), "headroom: run: ");
	va_start(ap, fmt);
	n += vsnprintf(c->logbuf + n, sizeof(c->logbuf) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if ((size_t)n > sizeof(c->logbuf) - 2)
		n = (int)sizeof(c->logbuf) - 2;
	c->logbuf[n++] = '\n';
	ssize_t w = write(STDERR_FILENO, c->logbuf, (size_t)n);
	(void)w;
}

const char *cg_dir(const struct hr_ctx *c, const struct hr_cg *g, char *out)
{
	snprintf(out, HR_CG_REL_MAX, "%s%s", c->base, strcmp(g->path, "/") ? g->path : "");
	if (!out[0])
		snprintf(out, HR_CG_REL_MAX, ".");
	return out;
}

int cg_open(const struct hr_ctx *c, const struct hr_cg *g, enum memcg_file_id f, int flags)
{
	char dir[HR_CG_REL_MAX];

	return memcg_file_open(c->root.fd, cg_dir(c, g, dir), c->v2 ? 2 : 1, f, flags);
}

bool cg_has(const struct hr_ctx *c, const struct hr_cg *g, enum memcg_file_id f)
{
	int fd = cg_open(c, g, f, O_PATH);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

void daemon_notify(struct hr_ctx *c, const char *msg)
{
	if (c->notify_fd < 0)
		return;
	ssize_t n = sendto(c->notify_fd, msg, strlen(msg), MSG_NOSIGNAL,
			   (const struct sockaddr *)&c->notify_addr, c->notify_len);
	(void)n;
}

/* $NOTIFY_SOCKET: a path, or "@name" for the abstract namespace. */
static void notify_open(struct hr_ctx *c)
{
	const char *s = getenv("NOTIFY_SOCKET");
	const char *w = getenv("WATCHDOG_USEC");
	const char *wp = getenv("WATCHDOG_PID");
	size_t len;

	c->notify_fd = -1;
	if (!s || !*s || (s[0] != '/' && s[0] != '@'))
		return;
	len = strlen(s);
	if (len >= sizeof(c->notify_addr.sun_path))
		return;
	memset(&c->notify_addr, 0, sizeof(c->notify_addr));
	c->notify_addr.sun_family = AF_UNIX;
	memcpy(c->notify_addr.sun_path, s, len);
	if (s[0] == '@')
		c->notify_addr.sun_path[0] = '\0';
	c->notify_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	c->notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (w && (!wp || (uint64_t)getpid() == strtoull(wp, NULL, 10))) {
		uint64_t v;
		if (!parse_u64_field((struct hr_span){ w, strlen(w) }, &v))
			c->watchdog_usec = v;
	}
}

/* Where the cgroups are: cgroup_root from the config, else the memory
 * hierarchy of the mount table (kernel/memcg_hier.h, as `check` finds it). */
static int find_base(struct hr_ctx *c)
{
	struct memcg_hier h;
	int v;

	if (c->cfg.cgroup_root[0]) {
		const char *p = c->cfg.cgroup_root;
		while (*p == '/')
			p++;
		snprintf(c->base, sizeof(c->base), "%s", p);
		v = memcg_hier_at(&c->root, c->base);
	} else {
		v = memcg_hier_find(&c->root, &h, NULL);
		if (v == 0) {
			snprintf(c->base, sizeof(c->base), "%s", h.mount);
			v = h.version;
		}
	}
	if (v < 0)
		return v;
	c->v2 = v == 2;
	return 0;
}

const char *daemon_untrusted(const struct stat *st)
{
	if (st->st_uid != 0 && st->st_uid != geteuid())
		return "is owned by another user";
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return "is writable by group or others";
	return NULL;
}

static void replay_report(void *arg, const struct journal_entry *e, enum journal_outcome o, int err,
			  const char *why)
{
	struct hr_ctx *c = arg;
	static const char *const what[] = {
		[JOURNAL_RESTORED] = "restored", [JOURNAL_ALREADY] = "already in place",
		[JOURNAL_CHANGED] = "changed by someone else since, left alone",
		[JOURNAL_GONE] = "cgroup gone", [JOURNAL_FAILED] = "restore FAILED",
		[JOURNAL_REPLACED] = "the path is a different cgroup now (not the one we lowered), left alone",
		[JOURNAL_REFUSED] = "REFUSED, not replayed",
	};
	bool dry = c->cfg.dry_run;
	if (o == JOURNAL_REFUSED)
		c->st.journal_refused++;
	hr_log(c, o == JOURNAL_FAILED || o == JOURNAL_REFUSED ? 3 : 5,
	       "journal: /%s/%s = %s (we had set %s): %s%s%s%s%s%s", e->cgroup, e->file, e->orig,
	       e->lowered, dry && o == JOURNAL_RESTORED ? "would be restored" : what[o],
	       why ? " (" : "", why ? why : "", why ? ")" : "", err ? ": " : "",
	       err ? strerror(-err) : "");
	if (dry && o != JOURNAL_ALREADY)
		hr_log(c, 5, "journal: dry run: record left as it is");
}

static void replay(struct hr_ctx *c, struct journal_counts *n)
{
	struct journal_scope sc = { .base = c->base, .dry_run = c->cfg.dry_run };

	journal_replay(&c->journal, &c->root, &sc, replay_report, c, n);
}

/* run_dir holds the journal that replay obeys as root: it must be ours.
 * Created 0700 if absent; never followed through a symlink. */
static int open_run_dir(struct hr_ctx *c)
{
	struct stat st;
	const char *why;

	if (mkdir(c->cfg.run_dir, 0700) && errno != EEXIST) {
		int rc = -errno;
		hr_log(c, 3, "cannot create run_dir %s: %s; not starting", c->cfg.run_dir, strerror(errno));
		return rc;
	}
	c->run_fd = open(c->cfg.run_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (c->run_fd < 0) {
		int rc = -errno;
		hr_log(c, 3, "cannot open run_dir %s: %s%s; not starting", c->cfg.run_dir, strerror(errno),
		       errno == ENOTDIR || errno == ELOOP ? " (a symlink or not a directory)" : "");
		return rc;
	}
	if (fstat(c->run_fd, &st)) {
		int rc = -errno;
		hr_log(c, 3, "cannot stat run_dir %s: %s; not starting", c->cfg.run_dir, strerror(errno));
		return rc;
	}
	why = daemon_untrusted(&st);
	if (why) {
		hr_log(c, 3, "run_dir %s %s (uid %u, mode %04o): it must be owned by root (or uid %u) and "
		       "writable by neither group nor others; not starting", c->cfg.run_dir, why,
		       (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777), (unsigned)geteuid());
		return -EPERM;
	}
	return 0;
}

/* Per cgroup: the limit file, and for a limited one the usage, stat,
 * control, eventfd, memory.events, memory.pressure and directory fds. The
 * table must fit at 2 each (limit file and directory: every cgroup limited
 * and watched, events polled instead); 8 each is the worst case. */
#define FDS_PER_CG_MIN 2
#define FDS_PER_CG 8
#define FDS_FIXED 64

static int check_nofile(struct hr_ctx *c)
{
	struct rlimit rl;
	uint64_t need = (uint64_t)c->cfg.max_cgroups * FDS_PER_CG + FDS_FIXED;
	uint64_t least = (uint64_t)c->cfg.max_cgroups * FDS_PER_CG_MIN + FDS_FIXED;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 0;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;	/* the hard limit is what the admin allows */
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < least) {
		hr_log(c, 3, "max_cgroups = %u needs at least %llu file descriptors (up to %llu) but "
		       "RLIMIT_NOFILE is %llu (hard %llu): lower max_cgroups or raise the limit "
		       "(LimitNOFILE=); not starting", c->cfg.max_cgroups, (unsigned long long)least,
		       (unsigned long long)need, (unsigned long long)rl.rlim_cur,
		       (unsigned long long)rl.rlim_max);
		return -EMFILE;
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need)
		hr_log(c, 5, "RLIMIT_NOFILE %llu covers max_cgroups = %u only if fewer than %llu of them are "
		       "limited; past that, cgroups are observed only and counted (status: fd_short=)",
		       (unsigned long long)rl.rlim_cur, c->cfg.max_cgroups,
		       (unsigned long long)((rl.rlim_cur - least) / (FDS_PER_CG - FDS_PER_CG_MIN)));
	return 0;
}

static int add_fd(struct hr_ctx *c, int fd, uint32_t id, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.u32 = id };

	return epoll_ctl(c->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

int daemon_init(struct hr_ctx *c, const struct hr_config *cfg, const struct hr_daemon_opts *o)
{
	char jpath[HR_CFG_STR + 32];
	int rc;

	memset(c, 0, sizeof(*c));
	c->opts = *o;
	c->cfg = *cfg;
	if (o->dry_run)
		c->cfg.dry_run = true;
	c->epfd = c->sigfd = c->tickfd = c->pollfd = c->inofd = c->notify_fd = c->run_fd = -1;
	c->journal.fd = -1;
	c->log_journal = log_stderr_is_journal();
	c->start_ns = clock_mono_ns();
	rc = root_open(&c->root, o->root ? o->root : "/");
	if (rc) {
		hr_log(c, 3, "cannot open root %s: %s", o->root ? o->root : "/", strerror(-rc));
		return rc;
	}
	rc = find_base(c);
	if (rc) {
		hr_log(c, 3, "no memory cgroup hierarchy found (%s/%s): set cgroup_root in [agent]",
		       c->root.path, c->base[0] ? c->base : "proc/self/mounts");
		return rc;
	}
	int bfd = root_openat_strict(c->root.fd, c->base[0] ? c->base : ".", O_PATH | O_DIRECTORY);
	if (bfd < 0) {
		hr_log(c, 3, "cgroup_root /%s: %s%s; not starting", c->base, strerror(-bfd),
		       bfd == -ELOOP || bfd == -EXDEV ? " (a symlink on the path: name the real directory, "
						       "the agent follows no symlink where it writes)" : "");
		return bfd;
	}
	close(bfd);
	rc = check_nofile(c);
	if (rc)
		return rc;
	/* The journal comes before anything else touches the host: a limit a
	 * killed predecessor left lowered is restored first. */
	rc = open_run_dir(c);
	if (rc)
		return rc;
	snprintf(jpath, sizeof(jpath), "%s/journal", c->cfg.run_dir);
	char boot[64];
	long bn = root_read(&c->root, "proc/sys/kernel/random/boot_id", boot, sizeof(boot));
	struct hr_span bs = span_trim((struct hr_span){ boot, bn > 0 ? (size_t)bn : 0 });
	span_copy(bs, boot, sizeof(boot));
	if (!boot[0])
		snprintf(boot, sizeof(boot), "unknown-boot");
	rc = journal_open(&c->journal, c->run_fd, "journal", boot, c->cfg.journal_fsync);
	if (rc) {
		hr_log(c, 3, "cannot open journal %s: %s%s; not starting", jpath, strerror(-rc),
		       rc == -EPERM ? " (it must be a regular file owned by root or by us, writable by "
				      "neither group nor others)" :
		       rc == -ENOSPC ? " (no room for the journal on its file system)" :
		       rc == -ELOOP ? " (a symlink)" : rc == -EINVAL ? " (not a regular file)" : "");
		return rc;
	}
	/* One agent per run dir: a second one would replay the first one's
	 * open records in the middle of its rounds. (Two agents with
	 * different run dirs meet at the per-cgroup lock, see ctx.h.) */
	if (flock(c->journal.fd, LOCK_EX | LOCK_NB)) {
		rc = -errno;
		hr_log(c, 3, "another agent is running with run_dir %s (%s is locked); not starting",
		       c->cfg.run_dir, jpath);
		return rc == -EWOULDBLOCK ? -EBUSY : rc;
	}
	struct journal_counts jc;
	replay(c, &jc);
	if (jc.seen || jc.torn || jc.stale)
		hr_log(c, 5, "journal: %u record(s) from a previous run %s, %u refused, %u torn and %u from "
		       "an earlier boot ignored", jc.seen, c->cfg.dry_run ? "seen (dry run: not replayed)" : "handled",
		       jc.refused, jc.torn, jc.stale);
	snprintf(c->status_path, sizeof(c->status_path), "%s/status", c->cfg.run_dir);
	snprintf(c->status_tmp, sizeof(c->status_tmp), "%s/status.tmp", c->cfg.run_dir);

	c->cap = c->cfg.max_cgroups;
	c->cg = calloc(c->cap, sizeof(*c->cg));
	if (!c->cg) {
		hr_log(c, 3, "cannot allocate a table of %u cgroups", c->cap);
		return -ENOMEM;
	}
	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	c->tickfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	c->pollfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	c->inofd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (c->epfd < 0 || c->tickfd < 0 || c->pollfd < 0) {
		rc = -errno;
		hr_log(c, 3, "cannot create epoll/timerfd: %s", strerror(errno));
		return rc;
	}
	if (!o->no_signals) {
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGHUP);
		sigprocmask(SIG_BLOCK, &set, NULL);
		signal(SIGPIPE, SIG_IGN);
		c->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
		if (c->sigfd < 0 || add_fd(c, c->sigfd, HR_SRC_SIGNAL, EPOLLIN)) {
			rc = -errno;
			hr_log(c, 3, "cannot create signalfd: %s", strerror(errno));
			return rc;
		}
	}
	struct itimerspec its = { { 1, 0 }, { 1, 0 } };
	timerfd_settime(c->tickfd, 0, &its, NULL);
	if (add_fd(c, c->tickfd, HR_SRC_TICK, EPOLLIN) || add_fd(c, c->pollfd, HR_SRC_POLL, EPOLLIN)) {
		rc = -errno;
		hr_log(c, 3, "epoll_ctl: %s", strerror(errno));
		return rc;
	}
	if (c->inofd >= 0)
		add_fd(c, c->inofd, HR_SRC_INOTIFY, EPOLLIN);
	else
		hr_log(c, 4, "inotify unavailable (%s): new cgroups are found by a rescan every 10 s",
		       strerror(errno));
	notify_open(c);
	rc = watch_scan(c);
	if (rc < 0) {
		hr_log(c, 3, "cannot list %s/%s: %s", c->root.path, c->base, strerror(-rc));
		return rc;
	}
	return 0;
}

/* Self-protection: the agent must keep working when the host, or its own
 * cgroup, is out of memory. */
static void protect(struct hr_ctx *c)
{
	if (c->cfg.mlock && !c->opts.no_mlock) {
#ifdef MCL_ONFAULT
		/* MCL_ONFAULT (4.4+) locks pages as they are touched instead of
		 * populating every mapping now. */
		if (mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) && errno == EINVAL)
#endif
			if (mlockall(MCL_CURRENT | MCL_FUTURE))
				hr_log(c, 4, "mlockall: %s; pages of the agent may be reclaimed under pressure",
				       strerror(errno));
	}
	/* SCHED_FIFO, lowest priority: under CPU contention a CFS agent woke
	 * 10+ ms late and let limit hits through (run_v1_reclaim.sh at load 3
	 * on 2 vCPUs: 17-36 hits without, 0-4 with). Its CPU stays bounded by
	 * the policies' max_cpu and the kernel's RT throttling. */
	if (c->cfg.rt_priority && c->root.is_host) {
		struct sched_param sp = { .sched_priority = (int)c->cfg.rt_priority };
		if (sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp))
			hr_log(c, 4, "cannot switch to SCHED_FIFO %u: %s; reacting may be late under CPU contention",
			       c->cfg.rt_priority, strerror(errno));
	}
	if (c->root.is_host) {
		/* proc/PID, not proc/self: host writes follow no symlink. */
		char rel[40];
		snprintf(rel, sizeof(rel), "proc/%d/oom_score_adj", (int)getpid());
		int rc = root_write(&c->root, rel, "-1000");
		if (rc)
			hr_log(c, 4, "cannot set oom_score_adj -1000: %s (needs CAP_SYS_RESOURCE); "
			       "the OOM killer may pick the agent", strerror(-rc));
	}
}

int daemon_ready(struct hr_ctx *c)
{
	uint64_t now = clock_mono_ns();

	/* One dry tick first: every code path of the loop runs once, so the
	 * stack and the buffers are touched before mlockall pins them. */
	agent_poll_due(c, now);
	daemon_write_status(c);
	protect(c);
	loop_arm_poll(c);
	c->ready = true;
	unsigned lim = 0, rec = 0;
	for (uint32_t i = 0; i < c->ncg; i++)
		if (c->cg[i].used && c->cg[i].limited) {
			lim++;
			rec += c->cg[i].backend != HR_BE_OBSERVE && c->cg[i].backend != HR_BE_NONE;
		}
	hr_log(c, 6, "ready: cgroup %s %s/%s, %u cgroups tracked, %u limited, %u reclaimed%s",
	       c->v2 ? "v2" : "v1", c->root.is_host ? "" : c->root.path, c->base, c->ncg, lim, rec,
	       c->cfg.dry_run ? " (dry run: no writes)" : "");
	daemon_notify(c, "READY=1\nSTATUS=watching memory cgroups");
	return 0;
}

/* The line `systemctl status` shows, sent when it changes (the tick calls
 * this every second; an unchanged line is not resent). */
static void daemon_notify_status(struct hr_ctx *c, unsigned tracked, unsigned lim, unsigned rec)
{
	char msg[sizeof(c->notify_status)];

	snprintf(msg, sizeof(msg), "STATUS=%s%u cgroups watched, %u limited, %u reclaiming; "
		 "%llu squeezes, %llu MiB reclaimed",
		 c->cfg.dry_run ? "dry run: " : "", tracked, lim, rec, (unsigned long long)c->st.squeezes,
		 (unsigned long long)(c->st.reclaimed_bytes >> 20));
	if (!strcmp(msg, c->notify_status))
		return;
	memcpy(c->notify_status, msg, sizeof(msg));
	daemon_notify(c, msg);
}

void daemon_write_status(struct hr_ctx *c)
{
	unsigned tracked = 0, lim = 0, rec = 0;
	int fd;

	for (uint32_t i = 0; i < c->ncg; i++) {
		struct hr_cg *g = &c->cg[i];
		if (!g->used)
			continue;
		tracked++;
		if (g->limited) {
			lim++;
			rec += g->backend != HR_BE_OBSERVE && g->backend != HR_BE_NONE;
		}
	}
	int n = snprintf(c->line, sizeof(c->line),
			 "pid=%d uptime_s=%llu cgroup=%s tracked=%u limited=%u reclaiming=%u "
			 "squeezes=%llu reclaimed_bytes=%llu ebusy=%llu would_reclaim=%llu "
			 "events=%llu polls=%llu throttled=%llu journal_open=%u dropped=%u dropped_total=%llu "
			 "journal_refused=%llu journal_full=%llu lost_restores=%llu foreign_owner=%llu fd_short=%llu%s\n",
			 (int)getpid(), (unsigned long long)((clock_mono_ns() - c->start_ns) / 1000000000u),
			 c->v2 ? "v2" : "v1", tracked, lim, rec,
			 (unsigned long long)c->st.squeezes, (unsigned long long)c->st.reclaimed_bytes,
			 (unsigned long long)c->st.ebusy, (unsigned long long)c->st.would_reclaim,
			 (unsigned long long)(c->st.events_v1 + c->st.events_v2),
			 (unsigned long long)c->st.polls, (unsigned long long)c->st.throttled,
			 c->journal.open_entries, c->unwatched, (unsigned long long)c->st.dropped_cgroups,
			 (unsigned long long)c->st.journal_refused, (unsigned long long)c->st.journal_full,
			 (unsigned long long)c->st.lost_restores, (unsigned long long)c->st.foreign_owner,
			 (unsigned long long)c->st.fd_short, c->cfg.dry_run ? " dry_run=1" : "");
	daemon_notify_status(c, tracked, lim, rec);
	/* Atomic for readers: write a temp file, then rename over. The temp
	 * name is unlinked and created afresh (O_EXCL, O_NOFOLLOW, O_NONBLOCK)
	 * so nothing planted there, a symlink or a FIFO, is followed, waited
	 * on or kept. */
	if (c->run_fd < 0)
		return;
	unlinkat(c->run_fd, "status.tmp", 0);
	fd = openat(c->run_fd, "status.tmp", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
		    0644);
	if (fd < 0)
		return;
	ssize_t w = write(fd, c->line, (size_t)n);
	close(fd);
	if (w == n)
		renameat(c->run_fd, "status.tmp", c->run_fd, "status");
}

int daemon_check_config(const char *path, char *msg, size_t cap)
{
	struct stat st;
	const char *why;

	/* stat, not lstat: /etc/headroom/headroom.conf may be a link into a
	 * configuration tree; what it points to must be a plain file of ours.
	 * A FIFO would block the parser's open for good. */
	if (stat(path, &st)) {
		snprintf(msg, cap, "%s", strerror(errno));
		return -errno;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(msg, cap, "not a regular file");
		return -EINVAL;
	}
	why = daemon_untrusted(&st);
	if (why) {
		snprintf(msg, cap, "%s (uid %u, mode %04o); it must be owned by root or uid %u and "
			 "writable by neither group nor others", why,
			 (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777), (unsigned)geteuid());
		return -EPERM;
	}
	return 0;
}

int daemon_reload(struct hr_ctx *c)
{
	struct hr_config_err err = { 0 };
	int rc;

	c->st.reloads++;
	/* Type=notify-reload (systemd 253) waits for RELOADING=1 with the
	 * CLOCK_MONOTONIC time of the reload's start, then READY=1. */
	char msg[64];
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu", (unsigned long long)(clock_mono_ns() / 1000u));
	daemon_notify(c, msg);
	if (!c->opts.config_path) {
		config_defaults(&c->newcfg);
		rc = 0;
	} else {
		rc = config_load(c->opts.config_path, &c->newcfg, &err);
	}
	/* Every error and warning; the last says what happens. */
	for (size_t i = 0; i < err.ndiag; i++) {
		char line[HR_CFG_STR + sizeof(err.msg) + 32];
		config_diag_format(&err.diag[i], c->opts.config_path, line, sizeof(line));
		hr_log(c, err.diag[i].warning ? 4 : 3, "reload: %s%s", line,
		       rc && i + 1 == err.ndiag ? "; keeping the old configuration" : "");
	}
	if (rc) {
		if (!err.ndiag)
			hr_log(c, 3, "reload: %s: %s; keeping the old configuration", c->opts.config_path,
			       err.msg[0] ? err.msg : strerror(-rc));
		daemon_notify(c, "READY=1");
		return rc;
	}
	/* Table size, root and run_dir are fixed at start (preallocated). */
	if (c->newcfg.max_cgroups != c->cfg.max_cgroups || strcmp(c->newcfg.cgroup_root, c->cfg.cgroup_root) ||
	    strcmp(c->newcfg.run_dir, c->cfg.run_dir))
		hr_log(c, 4, "reload: max_cgroups, cgroup_root and run_dir take effect at restart only");
	c->newcfg.max_cgroups = c->cfg.max_cgroups;
	memcpy(c->newcfg.cgroup_root, c->cfg.cgroup_root, sizeof(c->newcfg.cgroup_root));
	memcpy(c->newcfg.run_dir, c->cfg.run_dir, sizeof(c->newcfg.run_dir));
	if (c->opts.dry_run)
		c->newcfg.dry_run = true;
	c->cfg = c->newcfg;
	for (uint32_t i = 0; i < c->ncg; i++)
		if (c->cg[i].used) {
			c->cg[i].pol = -1;	/* policies may have changed in place */
			watch_configure(c, (int)i);
		}
	loop_arm_poll(c);
	hr_log(c, 6, "reloaded %s: %zu policies", c->opts.config_path ? c->opts.config_path : "(defaults)",
	       c->cfg.npolicy);
	daemon_notify(c, "READY=1");
	return 0;
}

void daemon_fini(struct hr_ctx *c)
{
	daemon_notify(c, "STOPPING=1");
	if (c->cg) {
		for (uint32_t i = 0; i < c->ncg; i++)
			if (c->cg[i].used)
				watch_remove(c, (int)i);
	}
	/* Anything still journaled (watermark settings, a restore that failed)
	 * goes back now; what cannot be restored stays for the next start. */
	if (c->journal.fd >= 0 && c->journal.open_entries) {
		struct journal_counts jc;
		replay(c, &jc);
	}
	journal_close(&c->journal);
	if (c->run_fd >= 0) {
		unlinkat(c->run_fd, "status", 0);
		close(c->run_fd);
		c->run_fd = -1;
	}
	free(c->cg);
	c->cg = NULL;
	int *fds[] = { &c->epfd, &c->sigfd, &c->tickfd, &c->pollfd, &c->inofd, &c->notify_fd };
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (*fds[i] >= 0) {
			close(*fds[i]);
			*fds[i] = -1;
		}
	root_close(&c->root);
}
