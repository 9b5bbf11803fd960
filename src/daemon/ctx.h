/* ctx.h - struct hr_ctx, the one top-level context of `headroom run`.
 *
 * Everything the agent needs after daemon_ready() lives here and is
 * allocated before it: the cgroup table (max_cgroups entries, from the
 * config), the loop's source table, the reclaim worker's job pool, the
 * read, log and directory buffers. The steady-state loop
 * never calls malloc (tests/unit/test_daemon.c counts allocations to prove
 * it). Full tables are a state, not a crash: new cgroups are dropped and
 * counted (st.dropped_cgroups, every drop; unwatched, how many are left out
 * now), the drop is logged when it starts, and the tree is walked again
 * when a slot frees up, so a dropped cgroup is picked up later.
 *
 * One agent per cgroup: a limited cgroup the agent may write is flock()ed
 * through an fd on its directory (dir_fd), whoever runs the other agent and
 * whatever its run_dir. A cgroup locked by another process is observed only.
 * The lock dies with the process, kill -9 included.
 *
 * Event sources are registered with the loop (daemon/loop.h) by the module
 * that owns them, each with its handler and data: the lifecycle its
 * signalfd and 1 s tick, the cgroup table its inotify fd, the agent its
 * poll timer, events_v1.c / events_v2.c each cgroup's eventfd,
 * memory.events and PSI trigger (data: the table entry). Handlers get the
 * context back with ctx_of_loop().
 *
 * Modules, lowest first (each calls only those before it; the cgroup table
 * reaches the event modules through the arm_events hook):
 *   log.c       hr_log: one line to stderr (journal priorities)
 *   notify.c    sd_notify to $NOTIFY_SOCKET
 *   loop.c      the event loop (loop.h), names no module
 *   cgroup.c    one table entry: its directory, files, backend name
 *   policy.c    the backend a policy gives a limited cgroup
 *   cgtable.c   the cgroup table: discovery, inotify, configuration, removal
 *   agent.c     decide and act for one cgroup; the poll timer
 *   events_v1.c, events_v2.c  the kernel's per-cgroup notifications
 *   status.c    the status file and STATUS= line
 *   judge_pass.c, metrics.c, kmsg_watch.c  the node agent (node.h)
 *   guards.c    the guards after each pass (guards.h)
 *   daemon.c    lifecycle: init, ready, signals, tick, reload, fini
 */
#ifndef HR_DAEMON_CTX_H
#define HR_DAEMON_CTX_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "act/journal.h"
#include "act/reclaim.h"
#include "daemon/config.h"
#include "daemon/loop.h"
#include "detect/reclaim_judge.h"
#include "kernel/memcg_file.h"
#include "kernel/root.h"

#define HR_CG_PATH_MAX 256	/* below cgroup_root, "/" = cgroup_root itself */
/* A cgroup directory relative to the root: base + path. */
#define HR_CG_REL_MAX (HR_CFG_STR + HR_CG_PATH_MAX)

/* A cgroup's backend is the reclaim judge's (detect/reclaim_judge.h); the
 * agent's short names for it. */
#define HR_BE_NONE RECLAIM_BE_NONE
#define HR_BE_OBSERVE RECLAIM_BE_OBSERVE
#define HR_BE_V1_LIMIT RECLAIM_BE_V1_LIMIT
#define HR_BE_V2_RECLAIM RECLAIM_BE_V2_RECLAIM
#define HR_BE_V2_HIGH RECLAIM_BE_V2_HIGH
#define HR_BE_WMARK RECLAIM_BE_WMARK
const char *backend_name(enum reclaim_backend b);

struct hr_cg {
	bool used;
	bool limited;
	uint32_t gen;		/* bumped when the entry is (re)used: stale job results are dropped */
	struct hr_job *job;	/* the round in flight on the worker, NULL none */
	bool reconfigure;	/* configure was asked while it was in flight */
	bool recheck;		/* an event or poll came while it was in flight */
	const char *recheck_by;	/* its trigger (static string) */
	bool listed;		/* children enumerated once */
	char path[HR_CG_PATH_MAX];
	int parent;		/* table index, -1 for the top */
	int wd;			/* inotify watch, -1 if none */
	int limit_fd;		/* v1 memory.limit_in_bytes (O_RDWR) / v2 memory.max */
	int usage_fd;		/* memory.usage_in_bytes / memory.current (limited only) */
	int stat_fd;		/* memory.stat (limited only) */
	int ctl_fd;		/* v2: memory.reclaim or memory.high (O_RDWR) */
	int evfd;		/* v1 threshold eventfd */
	int events_fd;		/* v2 memory.events */
	int psi_fd;		/* v2 memory.pressure with a trigger */
	int evfd_id, events_id, psi_id;	/* their loop source ids, -1 none */
	int dir_fd;		/* the cgroup directory (limited only): flock, identity */
	uint64_t dev, ino;	/* fstat of dir_fd: the journal's cgroup identity */
	bool limit_rw;		/* limit_fd is open for writing */
	int limit_err;		/* why not (-errno), 0 when it is */
	bool owned;		/* dir_fd is flock()ed by us */
	bool foreign;		/* another process holds the lock: retried at slow polls */
	int kept_slot;		/* journal slot of a restore that failed, -1 none */
	bool regular;		/* files are regular files (a test fixture tree) */
	enum reclaim_backend backend;
	const char *why;	/* why this backend (static string) */
	bool observe_mode;	/* the policy's mode is observe */
	bool dry;		/* observe_mode or --dry-run: the backend stops at the write */
	int pol;		/* policy index, -1 none */
	uint64_t limit, high, low;
	uint64_t threshold;	/* registered v1 threshold, 0 none */
	uint64_t last_usage, last_ns, rate_bps;
	uint64_t next_poll_ns;
	uint64_t tokens_bytes, tokens_cpu_ns, tokens_ns;
	uint64_t last_log_ns;
	uint64_t max_events;	/* v2 memory.events max, last seen */
	uint64_t squeezes, reclaimed_bytes, ebusy;
	int wmark_slot[2];
};

/* A reclaim round handed to the worker (worker.c): everything it needs,
 * copied, and its outcome. */
struct hr_job {
	int idx;			/* table entry, and its gen at submit */
	uint32_t gen;
	enum reclaim_backend backend;
	uint64_t limit;			/* v1: the original limit */
	char orig_high[32];		/* v2-high: memory.high as read */
	char dir[HR_CG_REL_MAX];	/* f.cgroup points here */
	struct reclaim_files f;		/* usage_fd, ctl_fd: dup()s owned by the job */
	struct reclaim_plan plan;
	struct reclaim_opts o;
	uint64_t usage;			/* usage the round was planned at */
	uint64_t submit_ns;
	uint64_t steal_ns;		/* not started by then: the RT thread runs it */
	const char *trigger;		/* what woke the decision (static string) */
	bool stolen;			/* run by the RT thread (worker too late) */
	/* Outcome, written by the worker. */
	uint64_t start_ns;		/* CLOCK_MONOTONIC when the worker began it */
	int rc;
	struct reclaim_res res;
	uint64_t cpu_ns;		/* the worker thread's CPU for the round */
	unsigned journal_open;		/* open journal records after it */
};

#define HR_JOBS 64	/* rounds in flight at most; more wait for the next poll */

struct hr_worker {
	pthread_t thread;
	bool running, inited, stop;
	pthread_mutex_t mu;		/* the rings and stop */
	pthread_cond_t cv;
	pthread_mutex_t journal_mu;	/* c->journal, whoever uses it */
	int done_fd;			/* eventfd: a job is done */
	int done_id;			/* its loop source */
	struct hr_job job[HR_JOBS];
	uint32_t free[HR_JOBS], nfree;	/* RT thread only */
	uint32_t todo[HR_JOBS], todo_head, todo_n;
	uint32_t done[HR_JOBS], done_head, done_n;
};

struct hr_daemon_opts {
	const char *root;	/* "/" or a fixture tree */
	bool dry_run;
	bool verbose;
	bool no_signals;	/* unit tests: leave the signal mask alone */
	bool no_mlock;
	unsigned debug_pause_ms;	/* HEADROOM_DEBUG_SQUEEZE_PAUSE_MS */
	const char *config_path;	/* for SIGHUP; NULL = defaults only */
};

struct hr_node;

struct hr_stats {
	uint64_t events_v1, events_v2, polls, squeezes, reclaimed_bytes, ebusy, eagain;
	uint64_t would_reclaim, throttled, limit_hits_v2, cgroups_added, cgroups_removed;
	uint64_t dropped_cgroups, errors, reloads, races;
	uint64_t stolen;	/* rounds the RT thread ran itself: the worker did not start in time */
	uint64_t journal_refused, journal_full, lost_restores, foreign_owner, fd_short;
	uint64_t max_window_ns;
	uint64_t react_ns_last;	/* event -> first reclaim write, last squeeze */
};

struct hr_ctx {
	struct hr_daemon_opts opts;
	struct hr_config cfg;
	struct hr_config newcfg;	/* SIGHUP parses here first */
	struct hr_root root;
	char base[HR_CFG_STR];		/* root-relative cgroup_root, "" = root itself */
	bool v2;
	struct hr_journal journal;
	struct loop loop;		/* every event source; table allocated before ready */
	struct hr_worker worker;	/* executes reclaim rounds (worker.c) */
	unsigned journal_open;		/* open journal records, as last seen */
	int sigfd, inofd;
	int sig_id, ino_id, tick_id, poll_id;	/* loop source ids */
	/* Registers a just-configured cgroup's event sources: events_v1_register
	 * or events_v2_register (set by daemon_init). */
	int (*arm_events)(struct hr_ctx *c, int idx);
	struct hr_cg *cg;		/* [cfg.max_cgroups], allocated before ready */
	uint32_t ncg;			/* high-water index + 1 */
	uint32_t cap;
	bool ready, stop, dropped_logged, rescan;
	uint32_t unwatched;		/* cgroups left out by the last walk: table full */
	uint32_t nused;			/* entries in use */
	int run_fd;			/* O_DIRECTORY fd of run_dir */
	uint64_t start_ns, tick_count, armed_poll_ns;
	struct hr_stats st;
	const char *trigger;		/* what woke the current check: "event", "poll", ... */
	/* sd_notify, written by hand (no libsystemd). */
	int notify_fd;
	struct sockaddr_un notify_addr;
	socklen_t notify_len;
	uint64_t watchdog_usec;
	char notify_status[160];	/* last STATUS= sent */
	struct hr_node *node;		/* the node agent (node.h): judge, metrics, kmsg */
	bool log_journal;		/* stderr is the journal: "<N>" prefixes */
	char status_path[HR_CFG_STR + 32];
	char status_tmp[HR_CFG_STR + 40];
	/* Scratch of the RT thread (the worker has its own job storage; paths
	 * are built in callers' buffers: cg_dir); sized for the largest file
	 * we read. */
	char buf[16384];		/* memory.stat is ~1.5 KiB on 6.18 v1 */
	_Alignas(8) char dents[16384];	/* getdents64 records: struct linux_dirent64 needs 8 */
	char ino[8192];
	char logbuf[1024];
	char line[512];
};

static inline struct hr_ctx *ctx_of_loop(struct loop *l)
{
	return (struct hr_ctx *)(void *)((char *)l - offsetof(struct hr_ctx, loop));
}

/* daemon.c: lifecycle */
/* NULL if st is owned by root or by us and writable by neither group nor
 * others; else what is wrong, for a one-line refusal. */
const char *daemon_untrusted(const struct stat *st);
/* 0 if path is a regular file passing daemon_untrusted; else -errno with
 * the reason in msg. */
int daemon_check_config(const char *path, char *msg, size_t cap);
int daemon_init(struct hr_ctx *c, const struct hr_config *cfg, const struct hr_daemon_opts *o);
int daemon_ready(struct hr_ctx *c);
/* Runs the loop until SIGTERM/SIGINT or an error. */
int daemon_run(struct hr_ctx *c);
void daemon_fini(struct hr_ctx *c);
int daemon_reload(struct hr_ctx *c);

/* log.c */
void hr_log(struct hr_ctx *c, int prio, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* True when stderr is the stream $JOURNAL_STREAM names (dev:ino). */
bool log_stderr_is_journal(void);

/* notify.c: $NOTIFY_SOCKET (a path, or "@name" abstract) and
 * $WATCHDOG_USEC; no socket, nothing is sent. */
void notify_open(struct hr_ctx *c);
void notify_send(struct hr_ctx *c, const char *msg);

/* status.c: run_dir/status (atomic rename) and STATUS= when it changed. */
void status_write(struct hr_ctx *c);

/* cgroup.c: one table entry. */
const char *backend_name(enum reclaim_backend b);
/* Writes the root-relative directory of g ("<base><cg path>", "." for the
 * root itself) into out[HR_CG_REL_MAX], the caller's, and returns out. */
const char *cg_dir(const struct hr_ctx *c, const struct hr_cg *g, char *out);
/* Opens one of g's files (kernel/memcg_file.h) as every host write
 * resolves: no symlink. The fd or -errno. */
int cg_open(const struct hr_ctx *c, const struct hr_cg *g, enum memcg_file_id f, int flags);
/* True if g has that file (this kernel, this version). */
bool cg_has(const struct hr_ctx *c, const struct hr_cg *g, enum memcg_file_id f);

/* policy.c: the backend for limited cgroup g under policy p; g->why says
 * why. Reads only whether files exist. */
enum reclaim_backend policy_backend(const struct hr_ctx *c, struct hr_cg *g, const struct hr_policy *p);

/* cgtable.c */
int cgtable_scan(struct hr_ctx *c);
void cgtable_retry_dropped(struct hr_ctx *c);	/* tick: walk again if room appeared */
void cgtable_on_inotify(struct loop *l, int fd, void *data, uint32_t events);
void cgtable_remove(struct hr_ctx *c, int idx);
void cgtable_configure(struct hr_ctx *c, int idx);	/* (re)read limit, policy, backend */

/* events_v1.c / events_v2.c: register idx's sources (after configure). */
int events_v1_register(struct hr_ctx *c, int idx);
int events_v2_register(struct hr_ctx *c, int idx);

/* worker.c: the SCHED_OTHER reclaim worker. worker_start before ready
 * (creates the thread and the done eventfd); worker_job takes a free job
 * (NULL: none free or no worker), worker_submit hands it over,
 * worker_done returns a finished one (NULL: none) and worker_release
 * gives it back. All but worker_start and worker_stop run on the RT thread.
 * worker_round runs one job's backend round (also used for dry runs). */
int worker_start(struct hr_ctx *c);
void worker_stop(struct hr_ctx *c);
struct hr_job *worker_job(struct hr_ctx *c);
int worker_submit(struct hr_ctx *c, struct hr_job *job);
struct hr_job *worker_done(struct hr_ctx *c);
/* Takes back a submitted job the worker has not started: true, and the
 * caller runs it; false when the worker has it already. */
bool worker_steal(struct hr_ctx *c, struct hr_job *job);
void worker_release(struct hr_ctx *c, struct hr_job *job);
int worker_round(struct hr_journal *j, struct hr_job *job);

/* agent.c: read usage, decide, act; the poll timer. */
void agent_check(struct hr_ctx *c, int idx, uint64_t now);
void agent_poll_due(struct hr_ctx *c, uint64_t now);
/* Arms the poll timer for the earliest next_poll_ns (after any change). */
void agent_arm_poll(struct hr_ctx *c);
void agent_on_poll(struct loop *l, int fd, void *data, uint32_t events);
/* The worker's done eventfd: finishes each completed round. */
void agent_on_done(struct loop *l, int fd, void *data, uint32_t events);

#endif
