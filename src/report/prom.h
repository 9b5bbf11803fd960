/* prom.h - the check engine's samples and findings as Prometheus text
 * exposition, format 0.0.4 (served with the content type PROM_CONTENT_TYPE).
 *
 * Who calls it: `headroom check --format=prometheus` once, and the agent
 * after every judged pass (then report/http_srv.h serves the text and
 * prom_textfile_write() in report/http_srv.h leaves it for node_exporter).
 *
 * Memory: the output buffer and the memcg selection scratch are the
 * caller's, allocated once (PROM_BUF_DEFAULT is enough for the default
 * cardinality, measured in bench/bench_prom.c); prom_render() never
 * allocates, logs or does I/O, so it may run after the agent is ready and
 * locked in memory. A line that does not fit is left out whole (the text
 * stays valid exposition), counted and reported in headroom_metrics_lines_cut;
 * 512 bytes at the end are kept for that trailer.
 *
 * Cardinality: the per-cgroup families carry only limited cgroups: every
 * one with recent limit hits (up to memcg_hits_max, in hierarchy order;
 * "recent": since memcg_before, the previous pass, when given and the
 * cgroup sits at the same place in both walks, else since ever) plus the
 * memcg_top nearest their limit (usage / lowest of memory.max and
 * memory.high); the rest are counted in headroom_metrics_memcgs_cut. Every
 * other family is bounded by the kernel (zones, orders, swap areas) or by
 * a table (counters, incident kinds, findings). A cgroup's labels are its
 * path (cgroup); below kubepods also qos and pod_uid, and for a container
 * container_id instead of the path (snapshot/kubepath.h).
 *
 * Names follow the Prometheus conventions: headroom_ prefix, base units
 * (bytes, not pages or KiB), _total for counters. The families are listed
 * by prom_family_name() (`headroom check --list-metrics`), so the rules and
 * the dashboard are tested against what is really exported.
 */
#ifndef HR_REPORT_PROM_H
#define HR_REPORT_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect/finding.h"
#include "report/http_srv.h"
#include "snapshot/memcg_tree.h"
#include "snapshot/net_snap.h"
#include "snapshot/vmsnap.h"

#define PROM_CONTENT_TYPE HTTP_SRV_CONTENT_TYPE
#define PROM_BUF_DEFAULT (1u << 20)	/* 1 MiB */
#define PROM_MEMCG_TOP_DEFAULT 50
#define PROM_MEMCG_HITS_DEFAULT 100
#define PROM_RESERVE 512		/* bytes kept for the trailer */

/* The output: caller's buffer, text in buf[0..len), NUL-terminated when
 * cap > len. */
struct prom_out {
	char *buf;
	size_t cap, len;
	size_t lines_cut;	/* lines that did not fit */
	bool fail;		/* the line being built does not fit */
};

struct prom_config {
	size_t memcg_top;	/* limited cgroups nearest their limit */
	size_t memcg_hits_max;	/* limited cgroups with hits, always exported up to this */
};

/* The agent's own state, filled by the agent before each render (it reads
 * /proc/self itself); HR_UNSET leaves an integer sample out. */
enum { PROM_AGENT_ERR_SAMPLE, PROM_AGENT_ERR_ACT, PROM_AGENT_ERR_JOURNAL, PROM_AGENT_ERR_KMSG,
       PROM_AGENT_ERR_METRICS, PROM_AGENT_ERR_KINDS };
struct prom_agent {
	double cpu_seconds;		/* utime + stime */
	uint64_t rss_bytes;
	double loop_lag_seconds;	/* worst timer lateness since the last pass */
	uint64_t passes;
	double pass_seconds;		/* last sample + judge */
	uint64_t journal_records;	/* open undo records */
	uint64_t errors[PROM_AGENT_ERR_KINDS];
	uint64_t kmsg_lost;		/* records lost to EPIPE */
};

/* What the agent did to one cgroup (its reclaim policy), looked up by the
 * cgroup's path (as in struct memcg_node) for each exported cgroup:
 * returns false for a cgroup no policy manages (its agent series are then
 * absent). policy and backend must stay valid until prom_render() returns.
 * Must not allocate or block: it runs inside render. */
struct prom_memcg_agent {
	uint64_t reclaimed_bytes;	/* since the agent started */
	uint64_t rounds;		/* reclaim rounds run */
	const char *policy;		/* the [policy NAME] of headroom.conf */
	const char *backend;		/* "memory.reclaim", "memory.high", "force_empty", ... */
};
typedef bool (*prom_memcg_agent_fn)(void *data, const char *path, struct prom_memcg_agent *out);

/* One guard of the agent (daemon/guards.h): its mode, the value it
 * watches or holds and the original, its last decision, and its actions
 * by name (in observe mode, the writes it would have made). Strings must
 * stay valid until prom_render() returns. */
#define PROM_GUARD_ACTIONS 4
#define PROM_GUARDS_MAX 4
struct prom_guard {
	const char *name;		/* "conntrack" */
	const char *mode;		/* "observe" or "act" */
	const char *knob;		/* what value is: "nf_conntrack_max", "dead_charge_bytes" */
	uint64_t value, original;	/* HR_UNSET: that sample is absent */
	const char *decision;		/* last decision, NULL before the first */
	const char *action[PROM_GUARD_ACTIONS];	/* names; NULL ends the list */
	uint64_t actions[PROM_GUARD_ACTIONS];
};
struct prom_guards {
	struct prom_guard g[PROM_GUARDS_MAX];
	size_t n;
};

/* One judged pass: each area's snapshot, NULL where the area was not
 * sampled (its families are then absent and headroom_area_sampled says 0). */
struct prom_input {
	const struct memcg_tree *memcg;
	const struct memcg_tree *memcg_before;	/* the previous pass (recent hits), or NULL */
	const struct conntrack_snap *conntrack;
	const struct netswap_snap *netswap;
	const struct zones_snap *zones;
	const struct netloss_snap *net;
	const struct hr_findings *findings;	/* the judged findings, or NULL; sorted by
						 * findings_sort() they are counted in O(n),
						 * unsorted in O(n^2) */
	const uint64_t *incidents;	/* HR_INC_NKINDS counts (agent), NULL: family absent */
	const char *version;		/* headroom_build_info; NULL: HR_VERSION */
	const struct http_srv_stats *http;	/* the endpoint's counters (agent), or NULL */
	const struct prom_agent *agent;		/* the agent's own state, or NULL */
	prom_memcg_agent_fn memcg_agent;	/* per-cgroup reclaim state, or NULL */
	void *memcg_agent_data;
	const struct prom_guards *guards;	/* the agent's guards, or NULL: families absent */
};

void prom_out_init(struct prom_out *o, char *buf, size_t cap);
void prom_config_default(struct prom_config *c);

/* Output bytes that hold a config's exposition with room to spare:
 * PROM_BUF_DEFAULT, plus 8 KiB for each exported cgroup beyond the
 * default bound (10 lines of at most ~800 bytes: a 512-byte path escaped).
 * Measured: 257 KB for the default bound over 1,000 containers, 1.7 MB
 * with all of them exported (bench/bench_prom.c). */
size_t prom_buf_bytes(const struct prom_config *c);

/* Scratch entries prom_render() needs for a config. */
size_t prom_scratch_len(const struct prom_config *c);

/* Renders every family of *in into o (appending). scratch holds
 * prom_scratch_len(cfg) entries. Returns 0, or -E2BIG when lines were cut
 * (the text is still valid, with the count in its last family). */
int prom_render(struct prom_out *o, const struct prom_input *in, const struct prom_config *cfg,
		uint32_t *scratch, size_t scratch_len);

/* Family names, in the order rendered: i = 0.. until NULL. Type and help
 * through the other two (NULL past the end). */
const char *prom_family_name(size_t i);
const char *prom_family_type(size_t i);
const char *prom_family_help(size_t i);

/* Writer pieces, for a caller's own families (the agent's self-metrics):
 * one "# HELP" and "# TYPE" pair, then samples. labels is "k1", "v1",
 * "k2", "v2", ... (nlabels pairs); values are escaped here. A sample whose
 * value is HR_UNSET is skipped. */
void prom_family(struct prom_out *o, const char *name, const char *type, const char *help);
void prom_sample_u64(struct prom_out *o, const char *name, const char *const *labels,
		     size_t nlabels, uint64_t v);
void prom_sample_f64(struct prom_out *o, const char *name, const char *const *labels,
		     size_t nlabels, double v);

/* Label value escaping of the exposition format: backslash, double quote
 * and newline escaped; other control bytes and bytes that are not UTF-8
 * become '?'. Writes at most cap-1 bytes and a NUL; returns the length it
 * needed (>= cap: cut). */
size_t prom_escape(const char *s, size_t len, char *out, size_t cap);

#endif
