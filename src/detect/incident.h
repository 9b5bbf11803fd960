/* incident.h - kernel log text in, memory-to-network incidents out.
 *
 * The engine behind `headroom explain`. Text is fed in blocks of any size
 * (explain_feed) or as whole lines (explain_line); each incident is handed
 * to the emit callback as a finding (finding.h, `kind` set) as soon as its
 * report is complete, so a multi-GB log streams through in bounded memory:
 *  - lines longer than EXPLAIN_LINE_MAX bytes are cut (and counted);
 *  - at most EXPLAIN_OPEN_MAX incidents are open at once; when full, the
 *    oldest is closed and emitted early (counted in `evicted`).
 * Lines of one report are grouped even when other messages are interleaved
 * (by PRINTK_CALLER id when present, else by what each line can belong to).
 * Outside open reports, only lines that contain an anchor word are looked
 * at (anchors.h), which is what makes the engine fast on noise.
 *
 * struct hr_explain is large (~0.5 MB): allocate it, do not put it on the
 * stack. No I/O, no logging; the only allocation is none (caller-owned).
 */
#ifndef HR_DETECT_INCIDENT_H
#define HR_DETECT_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect/finding.h"
#include "snapshot/klog.h"
#include "snapshot/gfp.h"
#include "snapshot/logline.h"
#include "util/anchors.h"

/* The documented enumeration of incident kinds (JSON "kind"). */
enum hr_incident_kind {
	HR_INC_ALLOC_FAILURE,
	HR_INC_OOM_KILL,
	HR_INC_CONNTRACK_FULL,
	HR_INC_SOCKET_MEMORY,
	HR_INC_SYN_FLOOD,
	HR_INC_HUNG_TASK_NETSTORAGE,
	HR_INC_NFS_NOT_RESPONDING,
	HR_INC_NKINDS
};

const char *incident_kind_name(enum hr_incident_kind k);

#define EXPLAIN_LINE_MAX 4096
#define EXPLAIN_OPEN_MAX 16
#define EXPLAIN_FRAMES_MAX 48
#define EXPLAIN_ZONES_MAX 16
#define EXPLAIN_TASKS_TOP 3
/* An open allocation-failure, OOM or hung-task report closes on the
 * evidence a reader would use, so that an unfinished one (rate limit, lost
 * records, a cut paste) does not keep every later line on the slow path:
 *  - a line that starts another report ("WARNING:", "BUG:", "INFO:",
 *    "------------[ cut here ]", "---[ end trace", "Kernel panic"; not
 *    "Call Trace:", which interleaved CPUs' reports share);
 *  - a gap in its timestamps: the kernel prints a report in one go, so
 *    EXPLAIN_GAP_USEC between two lines (either way) ends it;
 *  - EXPLAIN_LINE_BUDGET lines of input since it opened, whoever printed
 *    them (an interleaved CPU's lines count too). */
#define EXPLAIN_GAP_USEC (10 * 1000000LL)
#define EXPLAIN_LINE_BUDGET 100000

typedef void (*hr_emit_fn)(void *arg, const struct hr_finding *f);

struct ex_frame {
	char func[64];
	char module[32];
	bool unreliable;	/* "?" frame */
};

struct ex_zone {
	int node;
	char zone[12];
	uint64_t free_kb, min_kb, low_kb, high_kb;	/* HR_UNSET if no zone line */
	int largest;		/* -2: no buddy line */
	uint64_t count[KLOG_ORDERS];
	int norders;
};

struct ex_task {
	int64_t pid;
	uint64_t rss_pages;
	char comm[40];
};

/* Private: one incident being assembled. */
struct ex_open {
	bool used;
	enum hr_incident_kind kind;
	uint64_t serial;	/* opening order */
	char caller[12];
	char host[64];
	enum hr_ts_kind ts_kind;
	int64_t first_ts, last_ts;
	struct hr_wall wall_first, wall_last;	/* of its first/last line that had one */
	unsigned foreign;	/* lines since the last line of this report */
	uint64_t opened_line;	/* st.lines_seen when it opened (line budget) */
	bool ended;		/* its end marker was seen; next foreign line closes */
	/* kernel version seen inside the report */
	unsigned kmajor, kminor;
	char kernel[64];
	/* alloc_failure / oom_kill / hung task */
	char comm[64];
	int64_t pid;
	uint64_t order;
	int64_t oom_order;
	uint64_t mask;
	bool mask_set;
	char names[256];	/* flag names the kernel printed */
	char nodemask[32];
	bool stall;
	uint64_t stall_ms;
	uint64_t suppressed_before;
	bool in_irq, softirq, hardirq, in_trace, meminfo;
	char workqueue[64];
	unsigned nframes;
	struct ex_frame frames[EXPLAIN_FRAMES_MAX];	/* innermost first, helpers skipped */
	unsigned nzones;
	struct ex_zone zones[EXPLAIN_ZONES_MAX];
	char slub_cache[48];
	/* oom */
	int64_t score_adj;
	bool memcg_scope, global_scope;
	char cgroup_version[4];	/* "v1" (memory+swap:/kmem: lines), "v2" (swap:), "" */
	char constraint[32];
	char memcg[256], task_memcg[256];
	uint64_t usage_kb, limit_kb, failcnt;
	unsigned task_cols;
	struct ex_task top[EXPLAIN_TASKS_TOP];
	unsigned ntasks;
	int64_t victim_pid;
	char victim[64];
	uint64_t total_vm_kb, anon_kb, file_kb, shmem_kb;
	bool victim_rss;
	uint64_t score;
	/* hung task */
	uint64_t blocked_s;
	char storage[16];
	/* bursts (conntrack, socket memory, syn flood, nfs) */
	uint64_t lines, suppressed;
	char form[48];		/* the message form seen, e.g. "nf_conntrack: nf_conntrack:" */
	char key[64];		/* nfs server / syn port list head */
	char ports[200];	/* syn flood: ports, NUL-separated */
	size_t ports_len;
	bool dropping, cookies;
	int64_t netns;
	bool recovered;
	int64_t ok_ts;
	unsigned subkind;	/* socket memory: bit 0 tcp_mem, 1 socket memory, 2 orphans */
};

struct hr_explain_stats {
	uint64_t bytes, lines_seen, lines_truncated;
	uint64_t kernel_lines;		/* lines with a kernel log prefix (logline.h) */
	uint64_t incidents[HR_INC_NKINDS];
	uint64_t evicted;		/* closed early because the open pool was full */
	uint64_t hung_other;		/* hung tasks not in a network-storage path */
	uint64_t lost_records;		/* /dev/kmsg EPIPE, set by the reader */
};

/* Converts a wall-clock time without a known offset (HR_WALL_LOCAL,
 * HR_WALL_NOYEAR) to seconds since the epoch, UTC. Returns 0, or -ERANGE
 * when it cannot (no zone or year to assume): the time is then unknown.
 * Installed by the caller, who decides the zone and year (cli/explain.c:
 * TZ and --year); the engine stays pure. */
typedef int (*hr_wall_fn)(void *arg, const struct hr_wall *w, int64_t *utc_sec);

struct hr_explain {
	hr_emit_fn emit;
	void *emit_arg;
	hr_wall_fn wall_fn;	/* NULL: only times with an offset are known */
	void *wall_arg;
	/* Wall-clock time of boot (usec since the epoch) of the kernel whose
	 * records are being fed, 0 if unknown: with it, "[sec.usec]" stamps
	 * of /dev/kmsg become wall-clock times. Set per input by the caller;
	 * explain_finish() clears it. */
	int64_t boot_usec;
	struct hr_anchors anchors;
	struct ex_open open[EXPLAIN_OPEN_MAX];
	unsigned ntraced;	/* open reports that need every line */
	uint64_t serial;
	/* kernel version last seen anywhere (boot line or a report) */
	unsigned kmajor, kminor;
	char kernel[64];
	char kernel_seen[64];	/* last release seen in any input (for the summary) */
	/* ratelimit lines not yet attributed */
	uint64_t pending_net, pending_alloc;
	int64_t pending_net_ts;
	int last_net_kind;	/* -1 or the kind of the last net_ratelimited line */
	/* partial line carried between feeds */
	size_t carry_len;
	bool carry_cut;
	char carry[EXPLAIN_LINE_MAX];
	struct hr_explain_stats st;
	struct hr_finding scratch;
};

void explain_init(struct hr_explain *x, hr_emit_fn emit, void *arg);

/* Feeds buf[0..len), which may end mid-line (the rest is kept). */
void explain_feed(struct hr_explain *x, const char *buf, size_t len);

/* One complete line (no '\n'). */
void explain_line(struct hr_explain *x, const char *line, size_t len);

/* A live input has been silent for idle_usec (the caller measures it; the
 * engine never reads a clock). The kernel prints an allocation failure,
 * OOM or hung-task report in one go, so after EXPLAIN_IDLE_USEC of silence
 * it is complete and is emitted; a burst kind (conntrack, socket memory,
 * SYN flood, NFS) is emitted once the silence is longer than its window
 * (60 s, 60 s, 6 h, 1 h). The carried partial line is kept: its end may
 * still come. */
#define EXPLAIN_IDLE_USEC 1000000
void explain_idle(struct hr_explain *x, int64_t idle_usec);

/* End of input: the carried partial line is processed, every open
 * incident is emitted, and what was learnt about this input (kernel
 * version, pending rate-limit counts) is forgotten, so the next input
 * (another file) starts clean. kernel_seen keeps the last release seen. */
void explain_finish(struct hr_explain *x);

/* Builds the finding of an incident (used by explain_* on close; exposed
 * for the unit tests). */
void incident_build(const struct hr_explain *x, const struct ex_open *o, struct hr_finding *f);

/* "nfs", "iscsi", "nbd", "rbd", "nvme_tcp", "cifs" if the frame is code of a
 * network block device or network filesystem, else NULL. */
const char *incident_storage_of(const struct ex_frame *fr);

#endif
