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
#include "detect/incident_int.h"
#include "snapshot/logline.h"
#include "util/anchors.h"

/* The incident kinds (enum hr_incident_kind, incident_kind_name(), JSON
 * "kind") and the open-report structs are in incident_int.h. */
typedef void (*hr_emit_fn)(void *arg, const struct hr_finding *f);

struct hr_explain_stats {
	uint64_t bytes, lines_seen, lines_truncated;
	uint64_t kernel_lines;		/* lines with a kernel log prefix (logline.h) */
	uint64_t incidents[HR_INC_NKINDS];
	uint64_t evicted;		/* closed early because the open pool was full */
	uint64_t hung_other;		/* hung tasks not in a network-storage path */
	uint64_t lost_records;		/* /dev/kmsg EPIPE, set by the reader */
};

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
	/* "FUNC: N callbacks suppressed" of a rate limiter that belongs to
	 * one kind (slab_out_of_memory, blk_update_request...), held for that
	 * kind's next report within 10 s */
	uint64_t pending_kind[HR_INC_NKINDS];
	int64_t pending_kind_ts[HR_INC_NKINDS];
	uint64_t prev_serial;	/* burst incident that took the previous line, 0 if none */
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

#endif
