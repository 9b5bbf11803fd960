/* daemon.c - the lifecycle of `headroom run`: start (root, hierarchy,
 * journal replay, tables, event sources), readiness and self-protection,
 * signals (reload, stop), the 1 s housekeeping tick, shutdown. See ctx.h. */
#define _GNU_SOURCE
#include "daemon/ctx.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/parse.h"
#include "util/clock.h"
#include "kernel/memcg_hier.h"
#include "daemon/guards.h"
#include "daemon/node.h"

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

static void on_signal(struct loop *l, int fd, void *data, uint32_t events)
{
	struct hr_ctx *c = ctx_of_loop(l);
	struct signalfd_siginfo si;

	(void)data;
	(void)events;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			hr_log(c, 6, "SIGHUP: reloading configuration");
			/* The file is checked before the parser opens it: a FIFO
			 * would block the agent for good, a file others can
			 * write would choose what it writes. */
			char why[160];
			if (c->opts.config_path && daemon_check_config(c->opts.config_path, why, sizeof(why)))
				hr_log(c, 3, "reload: %s: %s; keeping the old configuration",
				       c->opts.config_path, why);
			else
				daemon_reload(c);
		} else {
			hr_log(c, 6, "%s: stopping", si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT");
			c->stop = true;
			loop_stop(l);
		}
	}
	agent_arm_poll(c);
}

/* 1 s housekeeping: status, watchdog, a rescan without inotify, room for
 * dropped cgroups. */
static void on_tick(struct loop *l, int fd, void *data, uint32_t events)
{
	struct hr_ctx *c = ctx_of_loop(l);

	(void)fd;
	(void)data;
	(void)events;
	c->tick_count++;
	status_write(c);
	if (c->watchdog_usec)
		notify_send(c, "WATCHDOG=1");
	if (c->inofd < 0 && c->tick_count % 10 == 0)
		cgtable_scan(c);
	cgtable_retry_dropped(c);
	agent_arm_poll(c);
}

/* Event sources: per cgroup an eventfd (v1) or memory.events + a PSI
 * trigger (v2); the signalfd, inotify fd and two timers; and room for
 * sources other modules register (LOOP_SLOTS_EXTRA). */
#define LOOP_SLOTS_PER_CG 3
#define LOOP_SLOTS_EXTRA 64

int daemon_init(struct hr_ctx *c, const struct hr_config *cfg, const struct hr_daemon_opts *o)
{
	char jpath[HR_CFG_STR + 32];
	int rc;

	memset(c, 0, sizeof(*c));
	c->opts = *o;
	c->cfg = *cfg;
	if (o->dry_run)
		c->cfg.dry_run = true;
	c->sigfd = c->inofd = c->notify_fd = c->run_fd = -1;
	c->sig_id = c->ino_id = c->tick_id = c->poll_id = -1;
	c->worker.done_fd = c->worker.done_id = -1;
	c->loop.epfd = -1;
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
	rc = loop_init(&c->loop, c->cap * LOOP_SLOTS_PER_CG + LOOP_SLOTS_EXTRA);
	if (rc) {
		hr_log(c, 3, "cannot create the event loop: %s", strerror(-rc));
		return rc;
	}
	c->arm_events = c->v2 ? events_v2_register : events_v1_register;
	c->tick_id = loop_timer_add(&c->loop, on_tick, NULL);
	c->poll_id = loop_timer_add(&c->loop, agent_on_poll, NULL);
	if (c->tick_id < 0 || c->poll_id < 0) {
		rc = c->tick_id < 0 ? c->tick_id : c->poll_id;
		hr_log(c, 3, "cannot create timerfd: %s", strerror(-rc));
		return rc;
	}
	c->armed_poll_ns = UINT64_MAX;
	/* Reclaim rounds run on a SCHED_OTHER worker (worker.c); protect()
	 * makes only this thread SCHED_FIFO. */
	rc = c->cfg.reclaim_worker ? worker_start(c) : 0;
	if (!rc && c->worker.running) {
		c->worker.done_id = loop_add(&c->loop, c->worker.done_fd, LOOP_IN, agent_on_done, NULL);
		rc = c->worker.done_id < 0 ? c->worker.done_id : 0;
	}
	if (rc) {
		hr_log(c, 3, "cannot start the reclaim worker thread: %s", strerror(-rc));
		return rc;
	}
	c->inofd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (!o->no_signals) {
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGHUP);
		sigprocmask(SIG_BLOCK, &set, NULL);
		signal(SIGPIPE, SIG_IGN);
		c->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
		rc = c->sigfd < 0 ? -errno : 0;
		if (!rc) {
			c->sig_id = loop_add(&c->loop, c->sigfd, LOOP_IN, on_signal, NULL);
			rc = c->sig_id < 0 ? c->sig_id : 0;
		}
		if (rc) {
			hr_log(c, 3, "cannot create signalfd: %s", strerror(-rc));
			return rc;
		}
	}
	rc = loop_timer_arm(&c->loop, c->tick_id, clock_mono_ns() + HR_NSEC_PER_SEC, HR_NSEC_PER_SEC);
	if (rc) {
		hr_log(c, 3, "timerfd_settime: %s", strerror(-rc));
		return rc;
	}
	if (c->inofd >= 0)
		c->ino_id = loop_add(&c->loop, c->inofd, LOOP_IN, cgtable_on_inotify, NULL);
	else
		hr_log(c, 4, "inotify unavailable (%s): new cgroups are found by a rescan every 10 s",
		       strerror(errno));
	notify_open(c);
	rc = cgtable_scan(c);
	if (rc < 0) {
		hr_log(c, 3, "cannot list %s/%s: %s", c->root.path, c->base, strerror(-rc));
		return rc;
	}
	return node_init(c);
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
	/* The worker's first rounds too (its thread's first calls may
	 * allocate inside libc or the sanitizer runtime): wait for them,
	 * bounded. */
	for (int i = 0; i < 200 && c->worker.running && c->worker.nfree < HR_JOBS; i++)
		loop_once(&c->loop, 5);
	status_write(c);
	protect(c);
	agent_arm_poll(c);
	c->ready = true;
	unsigned lim = 0, rec = 0;
	for (uint32_t i = 0; i < c->ncg; i++)
		if (c->cg[i].used && c->cg[i].limited) {
			lim++;
			rec += c->cg[i].backend != HR_BE_OBSERVE && c->cg[i].backend != HR_BE_NONE &&
			       !c->cg[i].observe_mode;
		}
	hr_log(c, 6, "ready: cgroup %s %s/%s, %u cgroups tracked, %u limited, %u reclaimed%s",
	       c->v2 ? "v2" : "v1", c->root.is_host ? "" : c->root.path, c->base, c->ncg, lim, rec,
	       c->cfg.dry_run ? " (dry run: no writes)" : "");
	notify_send(c, "READY=1\nSTATUS=watching memory cgroups");
	return 0;
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
	notify_send(c, msg);
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
		notify_send(c, "READY=1");
		return rc;
	}
	/* Table size, root and run_dir are fixed at start (preallocated). */
	if (c->newcfg.max_cgroups != c->cfg.max_cgroups || strcmp(c->newcfg.cgroup_root, c->cfg.cgroup_root) ||
	    strcmp(c->newcfg.run_dir, c->cfg.run_dir))
		hr_log(c, 4, "reload: max_cgroups, cgroup_root and run_dir take effect at restart only");
	if (c->newcfg.reclaim_worker != c->cfg.reclaim_worker)
		hr_log(c, 4, "reload: reclaim_worker takes effect at restart only");
	c->newcfg.max_cgroups = c->cfg.max_cgroups;
	memcpy(c->newcfg.cgroup_root, c->cfg.cgroup_root, sizeof(c->newcfg.cgroup_root));
	memcpy(c->newcfg.run_dir, c->cfg.run_dir, sizeof(c->newcfg.run_dir));
	c->newcfg.reclaim_worker = c->cfg.reclaim_worker;	/* the thread exists or not */
	if (c->opts.dry_run)
		c->newcfg.dry_run = true;
	c->cfg = c->newcfg;
	for (uint32_t i = 0; i < c->ncg; i++)
		if (c->cg[i].used) {
			c->cg[i].pol = -1;	/* policies may have changed in place */
			cgtable_configure(c, (int)i);
		}
	agent_arm_poll(c);
	hr_log(c, 6, "reloaded %s: %zu policies", c->opts.config_path ? c->opts.config_path : "(defaults)",
	       c->cfg.npolicy);
	notify_send(c, "READY=1");
	return 0;
}

void daemon_fini(struct hr_ctx *c)
{
	notify_send(c, "STOPPING=1");
	/* The round in flight ends (it restores what it lowered) before the
	 * table and the journal go. */
	loop_del(&c->loop, c->worker.done_id);
	worker_stop(c);
	if (c->cg) {
		for (uint32_t i = 0; i < c->ncg; i++)
			if (c->cg[i].used)
				cgtable_remove(c, (int)i);
	}
	guards_stop(c);	/* the knobs the guards hold, each logged */
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
	node_fini(c);
	loop_del(&c->loop, c->sig_id);
	loop_del(&c->loop, c->ino_id);
	loop_fini(&c->loop);	/* closes the timers */
	free(c->cg);
	c->cg = NULL;
	int *fds[] = { &c->sigfd, &c->inofd, &c->notify_fd };
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (*fds[i] >= 0) {
			close(*fds[i]);
			*fds[i] = -1;
		}
	root_close(&c->root);
}

int daemon_run(struct hr_ctx *c)
{
	int watchdog_ms = c->watchdog_usec ? (int)(c->watchdog_usec / 2000) : -1;

	if (c->stop)
		return 0;
	return loop_run(&c->loop, watchdog_ms > 0 && watchdog_ms < 1000 ? watchdog_ms : -1);
}
