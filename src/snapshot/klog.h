/* klog.h - pure parsers for the kernel log lines `explain` understands.
 *
 * Each takes the message text of one line (prefixes already removed by
 * logline_parse) as a span, returns 0 and fills *out, or -EINVAL when the
 * line is not of that form (*out is then unspecified). Spans in *out point
 * into the input. No I/O, no allocation, no logging. The formats and the
 * kernels that print them are quoted above each parser in klog.c.
 */
#ifndef HR_SNAPSHOT_KLOG_H
#define HR_SNAPSHOT_KLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/parse.h"

/* One call-trace frame: "? func+0x1/0x2 [mod]", "[<c019b538>] ? func+0x98/0x100". */
struct klog_frame {
	struct hr_span func;
	struct hr_span module;	/* empty for built-in code */
	bool unreliable;	/* "?" frames: stale stack words, not the call path */
};
int klog_frame_parse(struct hr_span t, struct klog_frame *out);

/* Lines that belong to an oops-style report but carry nothing we use:
 * "Call Trace:", <IRQ>/</IRQ>/<TASK>/</TASK>/<NMI>/<EOI>, "=====",
 * register dumps ("RIP: 0033:..", "R13: ..", "Code: ..", "EFLAGS"),
 * raw stack words ("0000000000000286 00000000a17a86b0 ..."), raw addresses,
 * "Hardware name:", "Workqueue:", "Stack:". */
bool klog_is_report_noise(struct hr_span t);

/* Kernel version from "CPU: 3 PID: 332 Comm: x Not tainted 5.4.26 #4",
 * "Pid: 0, comm: swapper/0 Not tainted 3.4.2-linode44 #1",
 * "      Tainted: G            E       6.18.20-1.el9.esat.x86_64 #1",
 * "Linux version 2.6.18.2 (root@h) ...". ver[cap] gets the release string. */
struct klog_kver {
	unsigned major, minor;
	char release[64];
	int64_t pid;		/* from CPU:/Pid: lines, -1 otherwise */
	struct hr_span comm;	/* from CPU:/Pid: lines */
};
int klog_kver_parse(struct hr_span t, struct klog_kver *out);

/* show_mem zone line: "Node 0 DMA32 free:31476kB min:37680kB low:45052kB high:52424kB ..."
 * (3.x+), "Normal free:3316kB min:3756kB low:4692kB high:5632kB ..." (2.6, and 5.x on some arches). */
struct klog_zone {
	int node;		/* -1 when the line has no "Node N" */
	char zone[12];
	uint64_t free_kb, min_kb, low_kb, high_kb;
};
int klog_zone_parse(struct hr_span t, struct klog_zone *out);

/* Buddy line: "Node 0 Normal: 347*4kB (UMEH) 250*8kB (UMEH) ... 0*4096kB = 20716kB". */
#define KLOG_ORDERS 16
struct klog_buddy {
	int node;
	char zone[12];
	uint64_t count[KLOG_ORDERS];	/* free blocks per order */
	int norders;
	int largest;		/* largest order with a free block, -1 if none */
	uint64_t total_kb;	/* after "=" */
};
int klog_buddy_parse(struct hr_span t, struct klog_buddy *out);

/* "comm: page allocation failure: order:4, mode:0x20" (3.x..4.4),
 * "comm: page allocation failure. order:1, mode:0x20" (2.6),
 * "...mode:0xa20(GFP_ATOMIC), nodemask=(null),cpuset=/,mems_allowed=0" (4.9+/5.0+),
 * "comm: page allocation stalls for 10012ms, order:0, mode:0x..." (4.9-4.14). */
struct klog_alloc {
	struct hr_span comm;
	uint64_t order;
	uint64_t mask;
	struct hr_span names;	/* inside "(...)", empty if not printed */
	struct hr_span nodemask;
	bool stall;
	uint64_t stall_ms;
};
int klog_alloc_parse(struct hr_span t, struct klog_alloc *out);

/* "comm invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null), order=0, oom_score_adj=0"
 * (2.6.32 "oom_adj=", sysrq "order=-1"). */
struct klog_oom_hdr {
	struct hr_span comm;
	uint64_t mask;
	struct hr_span names;
	int64_t order;
	int64_t score_adj;
};
int klog_oom_hdr_parse(struct hr_span t, struct klog_oom_hdr *out);

/* "Killed process 24518 (monocular) total-vm:267220kB, anon-rss:232620kB, file-rss:11064kB, shmem-rss:0kB"
 * with an optional "Out of memory: " / "Memory cgroup out of memory: " prefix (5.1+)
 * and ", UID:10000 pgtables:21384kB oom_score_adj:969" (5.4.214+). */
enum klog_oom_scope { KLOG_OOM_UNKNOWN, KLOG_OOM_GLOBAL, KLOG_OOM_MEMCG };
struct klog_oom_kill {
	enum klog_oom_scope scope;
	int64_t pid;
	struct hr_span comm;
	bool has_rss;
	uint64_t total_vm_kb, anon_kb, file_kb, shmem_kb;	/* shmem HR_UNSET before 4.9 */
	bool final;		/* "Killed process" (else "Kill process ... score") */
	uint64_t score;		/* HR_UNSET unless "score N" */
};
int klog_oom_kill_parse(struct hr_span t, struct klog_oom_kill *out);

/* 5.0+: "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=x,mems_allowed=0-1,
 *        oom_memcg=/a,task_memcg=/a/b,task=java,pid=50624,uid=10000" (or ",global_oom"). */
struct klog_oom_cons {
	struct hr_span constraint, oom_memcg, task_memcg, task;
	bool global;
	int64_t pid;
};
int klog_oom_cons_parse(struct hr_span t, struct klog_oom_cons *out);

/* "memory: usage 524288kB, limit 524288kB, failcnt 158965" (memcg OOM, all versions). */
struct klog_memcg_usage {
	uint64_t usage_kb, limit_kb, failcnt;	/* failcnt HR_UNSET if absent */
};
int klog_memcg_usage_parse(struct hr_span t, struct klog_memcg_usage *out);

/* OOM task table: the header "[ pid ]   uid  tgid total_vm      rss ... name" gives
 * the number of numeric columns; a row "[24518]     0 24518    66805    60921 ... monocular". */
int klog_task_header_parse(struct hr_span t, unsigned *ncols);
struct klog_task_row {
	int64_t pid;
	uint64_t rss_pages;
	struct hr_span comm;
};
int klog_task_row_parse(struct hr_span t, unsigned ncols, struct klog_task_row *out);

/* "INFO: task node:1646922 blocked for more than 122 seconds." */
struct klog_hung {
	struct hr_span comm;
	int64_t pid;
	uint64_t seconds;
};
int klog_hung_parse(struct hr_span t, struct klog_hung *out);

/* "N callbacks suppressed" (func: prefix) or "NET: N messages suppressed." */
struct klog_suppressed {
	struct hr_span who;	/* "net_ratelimit", "__ratelimit", "warn_alloc", "NET" */
	uint64_t count;
};
int klog_suppressed_parse(struct hr_span t, struct klog_suppressed *out);

/* mm/slub.c slab_out_of_memory(), mm/slab.c slab_out_of_memory():
 * "SLUB: Unable to allocate memory on node -1 (gfp=0x20)" (3.x-4.x),
 * "SLUB: Unable to allocate memory on node -1, gfp=0x900(GFP_NOWAIT|__GFP_ZERO)" (4.9+),
 * "SLAB: Unable to allocate memory on node 0 (gfp=0xd0)". */
struct klog_slub {
	bool slab;		/* SLAB (else SLUB) */
	int64_t node;		/* -1: any node */
	uint64_t mask;
	struct hr_span names;	/* inside "(...)" after the mask, empty if not printed */
};
int klog_slub_parse(struct hr_span t, struct klog_slub *out);

/* The line after it: "cache: kmalloc-1024(1793:c8ed...), object size: 1024,
 * buffer size: 1024, default order: 3, min order: 0" (SLUB; the "(...)" is
 * a memcg's copy of the cache, 3.x-5.8), "cache: skbuff_head_cache, object
 * size: 256, order: 0" (SLAB). Numbers not printed are HR_UNSET. */
struct klog_slub_cache {
	struct hr_span name;	/* without the "(memcg)" suffix */
	struct hr_span memcg;	/* inside "(...)", empty if none */
	uint64_t object_size, buffer_size, default_order, min_order;
};
int klog_slub_cache_parse(struct hr_span t, struct klog_slub_cache *out);

/* "node 0: slabs: 663, objs: 20964, free: 0" (SLUB),
 * "node 0: slabs: 0/3, objs: 0/48, free: 0" (SLAB: active/total, total kept). */
struct klog_slub_node {
	int64_t node;
	uint64_t slabs, objs, free;
};
int klog_slub_node_parse(struct hr_span t, struct klog_slub_node *out);

/* I/O and connection errors of network block devices (and of swap on them):
 *   nbd (drivers/block/nbd.c): "block nbd0: Other side returned error (-5)",
 *     "block nbd1: Attempted send on invalid socket", "... Send control failed (result -32)",
 *     "... Receive control failed (result -104)", "... Connection timed out",
 *     "... Possible stuck request ...", "... Dead connection, failed to find a fallback";
 *   block layer: "blk_update_request: I/O error, dev nbd0, sector 167938" (3.x-5.x),
 *     "print_req_error: I/O error, dev nbd0, sector 6144" (4.17-5.x),
 *     "I/O error, dev nbd0, sector 0 op 0x0:(READ) ..." (5.10+), and
 *     "Buffer I/O error on dev nbd0p1, logical block 4096, ..." ("on device" before 4.x):
 *     only for nbd* and rbd* devices, whose name says the transport;
 *   iSCSI (scsi_transport_iscsi.c): "connection1:0: detected conn error (1020)",
 *     "connection3:0: ping timeout of 5 secs expired, ...", "session1: session recovery timed out after 120 secs";
 *   rbd: "rbd: rbd0: write at objno 12 0~4096 result -108" (any "rbd: rbdN: ... result -E");
 *   NVMe over fabrics (tcp/rdma host): "nvme nvme0: queue 0: timeout request 0x1 type 4",
 *     "nvme nvme2: queue 0: timeout cid 0xb001 type 4 opcode 0x18 (Admin Cmd)",
 *     "nvme nvme0: failed to send request -32", "nvme nvme0: Failed reconnect attempt 3";
 *   swap (mm/page_io.c): "Write-error on swap-device (43:0:123456)", "Read-error on swap-device (...)":
 *     device major 43 is nbd; other majors give an empty storage. */
enum klog_netblk_what {
	KLOG_NB_IO_ERROR,	/* a request failed */
	KLOG_NB_CONN,		/* the connection broke */
	KLOG_NB_TIMEOUT,	/* a request or the session timed out */
	KLOG_NB_SWAP,		/* swap I/O failed: pages lost */
};
struct klog_netblk {
	const char *storage;	/* "nbd", "iscsi", "rbd", "nvme_of", or "" (swap, other major) */
	struct hr_span dev;	/* "nbd0", "connection1:0", "rbd0", "nvme0", "43:0" */
	enum klog_netblk_what what;
	bool swap_write;	/* KLOG_NB_SWAP: a write (else a read) */
};
int klog_netblk_parse(struct hr_span t, struct klog_netblk *out);

#endif
