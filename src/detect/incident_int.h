/* incident_int.h - private to the explain engine: what incident.c (lines
 * to open incidents) and incident_build.c (a closed incident to its
 * finding) share. Also the incident kinds, which callers name (JSON
 * "kind"); incident.h includes this for the sizes of struct hr_explain.
 * Nothing here calls back into incident.c, so the two files form no cycle.
 */
#ifndef HR_DETECT_INCIDENT_INT_H
#define HR_DETECT_INCIDENT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect/finding.h"
#include "snapshot/gfp.h"
#include "snapshot/klog.h"
#include "snapshot/logline.h"

/* The documented enumeration of incident kinds (JSON "kind"). */
enum hr_incident_kind {
	HR_INC_ALLOC_FAILURE,
	HR_INC_OOM_KILL,
	HR_INC_CONNTRACK_FULL,
	HR_INC_SOCKET_MEMORY,
	HR_INC_SYN_FLOOD,
	HR_INC_HUNG_TASK_NETSTORAGE,
	HR_INC_NFS_NOT_RESPONDING,
	HR_INC_SLAB_ALLOC_FAILURE,	/* "SLUB: Unable to allocate memory on node" on its own */
	HR_INC_NEIGH_OVERFLOW,		/* "neighbour: arp_cache: neighbor table overflow!" */
	HR_INC_CONNTRACK_EXPECT_FULL,	/* "nf_conntrack: expectation table full" */
	HR_INC_DST_OVERFLOW,		/* "dst cache overflow", "Route cache is full" */
	HR_INC_NETBLOCK_IO_ERROR,	/* nbd/iSCSI/rbd/NVMe-oF errors, swap I/O errors on them */
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
	bool no_killable;	/* "Out of memory and no killable processes..." */
	/* hung task */
	uint64_t blocked_s;
	char storage[16];
	char storage_frame[112];	/* the frame that named the storage: "nfs_wait_on_request [nfs]" */
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
	/* slab_alloc_failure (slub_cache, mask, names, lines = reports) */
	bool slab;		/* SLAB, else SLUB */
	int64_t slab_node;	/* node asked for, -1 any */
	char slab_memcg[72];	/* the memcg copy of the cache, if named */
	uint64_t slab_obj_size, slab_buf_size, slab_order, slab_min_order;
	uint64_t slab_slabs, slab_objs, slab_free;	/* its first report's node lines, summed */
	unsigned slab_nodes;
	bool slab_first_done;	/* the first report's cache lines are in */
	char slab_caches[4][48];	/* distinct caches seen, first four */
	unsigned slab_ncaches;
	/* netblock_io_error (key = device, storage) */
	uint64_t nb_io, nb_conn, nb_timeout, nb_swap_write, nb_swap_read;
	/* neighbour / dst (key = table, form) */
	char family[8];		/* "ipv4", "ipv6", "" */
};

/* Converts a wall-clock time without a known offset (HR_WALL_LOCAL,
 * HR_WALL_NOYEAR) to seconds since the epoch, UTC. Returns 0, or -ERANGE
 * when it cannot (no zone or year to assume): the time is then unknown.
 * Installed by the caller, who decides the zone and year (cli/explain.c:
 * TZ and --year); the engine stays pure. */
typedef int (*hr_wall_fn)(void *arg, const struct hr_wall *w, int64_t *utc_sec);

/* What building a finding needs of the engine besides the incident. */
struct ex_ctx {
	hr_wall_fn wall_fn;	/* NULL: only times with an offset are known */
	void *wall_arg;
	int64_t boot_usec;	/* see struct hr_explain */
	unsigned kmajor, kminor;	/* kernel version last seen, 0 if none */
	const char *kernel;	/* its release, "" if none */
};

/* Builds the finding of a closed incident (incident_build.c). */
void incident_build(const struct ex_ctx *c, const struct ex_open *o, struct hr_finding *f);

/* "nfs", "iscsi", "nbd", "rbd", "nvme_tcp", "cifs" if the frame is code of a
 * network block device or network filesystem, else NULL. */
const char *incident_storage_of(const struct ex_frame *fr);

#endif
