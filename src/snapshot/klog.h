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

#endif
