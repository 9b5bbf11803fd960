/* node.h - `headroom run` as the node agent: what the agent sees of the
 * whole host, besides reclaiming.
 *
 *   judge_pass.c  every judge_interval_ms, the samplers and judges of
 *                 `check` (check/engine.h) over all five areas, into two
 *                 passes allocated before ready (the previous one gives
 *                 rates and "recent hits"), on a SCHED_OTHER thread that
 *                 hands each pass back to the loop through an eventfd;
 *   metrics.c     after each pass, the exposition (report/prom.h) rendered
 *                 once into a cache; GET /metrics (report/http_srv.h,
 *                 registered with the loop: non-blocking, bounded clients,
 *                 request size and time) serves a copy of it, so the scrape
 *                 rate never multiplies render work and a scrape never
 *                 waits on a pass; metrics_textfile gets the same bytes
 *                 atomically;
 *   kmsg_watch.c  /dev/kmsg read live (non-blocking, from the end) through
 *                 the explain engine (detect/incident.h): each incident is
 *                 logged once when complete and counted by kind. Only
 *                 records of the kernel facility count: a process writing
 *                 to /dev/kmsg gets LOG_USER and cannot fake an incident.
 *
 * Everything is allocated by node_init(), before ready; nothing runs with
 * no configuration file missing (the defaults judge, export on
 * 127.0.0.1:19380 and read /dev/kmsg). A source that cannot start (port
 * taken, no /dev/kmsg, EPERM) is logged once and the agent runs without it.
 */
#ifndef HR_DAEMON_NODE_H
#define HR_DAEMON_NODE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check/engine.h"
#include "kernel/memcg_read.h"
#include "daemon/ctx.h"
#include "detect/incident.h"
#include "report/http_srv.h"
#include "report/prom.h"

#define NODE_FINDINGS_MAX 1024
#define NODE_KMSG_REC 8192	/* one /dev/kmsg record, as systemd-journald reads it */
#define NODE_KMSG_BATCH 256	/* records per readable event, then back to the loop */

struct hr_guards;

struct hr_node {
	/* judge_pass.c */
	struct engine_pass pass[2];
	void *mem[2];
	struct memcg_fdcache fdc;	/* the memcg walk's open files, both passes */
	struct memcg_fdc_entry *fdc_ents;
	size_t mem_len;
	int cur, have;
	unsigned prev_ok;
	struct hr_findings fs;
	struct hr_finding *items;
	int judge_id;
	uint64_t due_ns, period_ns;
	uint64_t passes, skipped;
	unsigned ok;		/* areas sampled by the pass just computed */
	uint64_t pass_ns;
	double lag_s;
	/* the pass thread (judge_pass.c) */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool thread_on, posted, quit, busy;
	int done_fd, done_id;		/* worst timer lateness since the last render */
	/* metrics.c */
	struct http_srv srv;
	bool srv_on;
	int srv_id;
	struct prom_config pcfg;
	uint32_t *scratch;
	size_t nscratch;
	char *cache;		/* the last render */
	size_t cache_cap, cache_len;
	bool cache_ok;
	struct prom_agent agent;
	char textfile[HR_CFG_STR];	/* fixed at start, like the endpoint */
	uint64_t textfile_errors;
	int textfile_err_last;
	/* kmsg_watch.c */
	int kmsg_fd, kmsg_id, kmsg_tick_id;
	struct hr_explain *x;
	uint64_t incidents[HR_INC_NKINDS];
	uint64_t kmsg_records, kmsg_user, kmsg_lost;
	uint64_t kmsg_last_ns;
	char rec[NODE_KMSG_REC];
	char kline[NODE_KMSG_REC + 64];
	struct hr_guards *guards;	/* guards.c (guards.h) */
};

/* daemon.c hooks: init after the loop exists (allocates everything and
 * runs the first pass), fini before the loop closes. */
int node_init(struct hr_ctx *c);
void node_fini(struct hr_ctx *c);

/* judge_pass.c */
int judge_init(struct hr_ctx *c);
/* One pass now, on the calling thread: sample, judge, then
 * metrics_after_pass() (at init, and in tests). */
void judge_pass_run(struct hr_ctx *c);
void judge_fini(struct hr_ctx *c);

/* metrics.c */
int metrics_init(struct hr_ctx *c);
void metrics_after_pass(struct hr_ctx *c);
void metrics_fini(struct hr_ctx *c);

/* kmsg_watch.c */
int kmsg_watch_init(struct hr_ctx *c);
/* Reads what is there (bounded), for tests and the loop handler. */
void kmsg_watch_read(struct hr_ctx *c);
void kmsg_watch_fini(struct hr_ctx *c);

#endif
