/* memcg_judge.c - the memcg area of `headroom check`: memory cgroup headroom,
 * limit hits, socket pressure, background reclaim, dying cgroups and page
 * cache charged to deleted cgroups. Pure: judges a struct memcg_tree read by
 * src/kernel/memcg_read.c. Thresholds and their reasons are in
 * doc/check-memcg.md; keep the two in step.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/memcg_judge.h"
#include "snapshot/kver.h"
#include "snapshot/memcg_tree.h"
#include "util/shquote.h"

#define MIB (UINT64_C(1) << 20)

/* Danger band: usage at or above 90 % of the limit. Charges beyond it go
 * through direct reclaim in the allocating task (and, at 100 %, fail and
 * count in failcnt / events max); 10 % is the band `headroom run` and
 * memory.wmark_ratio=90 keep free. */
#define NEAR_PCT 90
/* Crit when memory that reclaim cannot free (usage - file LRU) alone fills
 * 90 % of the limit: the next burst is an OOM kill, not a reclaim. */
#define NEAR_HARD_PCT 90
/* Watermark reclaim matters once usage reaches 80 % of the limit or the
 * limit was already hit. */
#define WMARK_PCT 80
#define WMARK_RECOMMENDED 90
/* v1 kmem.tcp: charges past the TCP limit drop packets. */
#define TCP_PCT 90
/* Dead charges below 32 MiB, or under 10 % of the parent's cache, are within
 * what moves between reading a parent and its children. */
#define DEAD_MIN_BYTES (32 * MIB)
#define DEAD_MIN_PCT 10
/* Crit when charges outside every limit reach 10 % of RAM. */
#define DEAD_CRIT_RAM_PCT 10
/* Dying cgroups: a few per live one is normal churn residue (they live until
 * their last page is freed); more than live ones means they accumulate. */
#define DYING_MIN 100
#define DYING_CRIT_FACTOR 10
#define DYING_CRIT_MIN 1000
/* Unevictable (mlocked, ramfs, SHM_LOCK) memory: reclaim cannot touch it. */
#define UNEV_MIN_BYTES (64 * MIB)
#define UNEV_LIMIT_WARN_PCT 50
#define UNEV_LIMIT_CRIT_PCT 90
#define UNEV_RAM_WARN_PCT 10
#define UNEV_RAM_CRIT_PCT 25
/* Recommended limits are rounded up to whole MiB. */
#define CHILD_LIST_MAX 8

struct judge {
	const struct memcg_tree *t, *before;
	const struct memcg_node **sorted_before;	/* by path, for rates */
	double secs;
	struct hr_findings *out;
	uint64_t *eff;		/* effective limit (min over ancestors) */
	uint64_t *dead;		/* file cache charged to deleted descendants */
	bool *unev_fired;	/* this node or a descendant fired */
	size_t problems;
};

static bool set(uint64_t v)
{
	return v != HR_UNSET;
}

static uint64_t or0(uint64_t v)
{
	return set(v) ? v : 0;
}

static uint64_t round_mib(uint64_t b)
{
	return sat_mul((b + MIB - 1) / MIB, MIB);
}

static uint64_t pct_of(uint64_t whole, unsigned pct)
{
	return whole / 100 * pct + whole % 100 * pct / 100;
}

/* The host path of a cgroup file, for fixes: "/sys/fs/cgroup/memory/a/x". */
static const char *host_path(const struct memcg_tree *t, const struct memcg_node *n,
			     const char *file, char *buf, size_t cap)
{
	const char *p = strcmp(n->path, "/") ? n->path : "";
	snprintf(buf, cap, "%s%s%s%s%s", t->mount[0] ? "/" : "", t->mount, p,
		 file ? "/" : (t->mount[0] || p[0] ? "" : "/"), file ? file : "");
	return buf;
}

/* Room for host_path() as one shell word (shell_quote's worst case). */
#define QPATH_MAX (4 * 1024 + 4)

/* host_path() of a file as one shell word for a fix line: cgroup names
 * are chosen by whoever may create cgroups (a delegated subtree), so a
 * name such as "`id`;rm -rf x" must stay one quoted word. */
static const char *qpath(const struct memcg_tree *t, const struct memcg_node *n,
			 const char *file, char *buf, size_t cap)
{
	char raw[1024];

	return shell_quote(host_path(t, n, file, raw, sizeof(raw)), buf, cap);
}

/* Hierarchical values: v1 total_*, v2 (already hierarchical) plain keys. */
static uint64_t file_bytes(const struct memcg_tree *t, const struct memcg_node *n)
{
	if (t->version == 1)
		return set(n->stat.total_cache) ? n->stat.total_cache : n->stat.cache;
	return n->stat.file;
}

static uint64_t anon_bytes(const struct memcg_tree *t, const struct memcg_node *n)
{
	if (t->version == 1)
		return set(n->stat.total_rss) ? n->stat.total_rss : n->stat.rss;
	return n->stat.anon;
}

static uint64_t inactive_file_bytes(const struct memcg_tree *t, const struct memcg_node *n)
{
	if (t->version == 1 && set(n->stat.total_inactive_file))
		return n->stat.total_inactive_file;
	return n->stat.inactive_file;
}

/* File pages on the LRU: what reclaim can free without swap. */
static uint64_t reclaimable_bytes(const struct memcg_tree *t, const struct memcg_node *n)
{
	uint64_t in = inactive_file_bytes(t, n), act;

	if (t->version == 1 && set(n->stat.total_active_file))
		act = n->stat.total_active_file;
	else
		act = n->stat.active_file;
	if (!set(in) || !set(act))
		return or0(file_bytes(t, n));
	return sat_add(in, act);
}

static uint64_t unevictable_bytes(const struct memcg_tree *t, const struct memcg_node *n)
{
	if (t->version == 1 && set(n->stat.total_unevictable))
		return n->stat.total_unevictable;
	return n->stat.unevictable;
}

/* The limit set on this cgroup itself, and the file that sets it. */
static uint64_t own_limit(const struct memcg_tree *t, const struct memcg_node *n,
			  const char **file)
{
	if (t->version == 1) {
		*file = "memory.limit_in_bytes";
		return n->limit_bytes;
	}
	if (memcg_limit_is_set(n->high_bytes) &&
	    (!memcg_limit_is_set(n->limit_bytes) || n->high_bytes < n->limit_bytes)) {
		*file = "memory.high";
		return n->high_bytes;
	}
	*file = "memory.max";
	return n->limit_bytes;
}

static bool usable(const struct memcg_node *n)
{
	return n->has_stat && !n->gone && !n->unreadable;
}

static int cmp_node_ptr(const void *a, const void *b)
{
	return strcmp((*(const struct memcg_node *const *)a)->path,
		      (*(const struct memcg_node *const *)b)->path);
}

/* Heapsort by path: glibc's qsort mallocs a copy of an array over 1 KiB. */
static void sift_ptr(const struct memcg_node **v, size_t i, size_t n)
{
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			return;
		if (c + 1 < n && strcmp(v[c]->path, v[c + 1]->path) < 0)
			c++;
		if (strcmp(v[i]->path, v[c]->path) >= 0)
			return;
		const struct memcg_node *t = v[i];
		v[i] = v[c];
		v[c] = t;
		i = c;
	}
}

static void sort_ptrs(const struct memcg_node **v, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_ptr(v, i, n);
	for (size_t k = n; k-- > 1;) {
		const struct memcg_node *t = v[0];
		v[0] = v[k];
		v[k] = t;
		sift_ptr(v, 0, k);
	}
}

/* The same cgroup in the first sample, matched by path; NULL if it is new. */
static const struct memcg_node *before_of(const struct judge *j, size_t i)
{
	const struct memcg_node *n = &j->t->nodes[i], *key = n, **hit;

	if (!j->before)
		return NULL;
	if (i < j->before->n && !strcmp(j->before->nodes[i].path, n->path))
		return &j->before->nodes[i];
	if (!j->sorted_before)
		return NULL;
	hit = bsearch(&key, j->sorted_before, j->before->n, sizeof(*j->sorted_before), cmp_node_ptr);
	return hit ? *hit : NULL;
}

/* Per-second rate of a counter between samples; -1 if unknown or reset
 * (a cgroup recreated under the same name starts again from 0). */
static double rate(const struct judge *j, uint64_t before, uint64_t now)
{
	if (!set(before) || !set(now) || now < before || j->secs <= 0)
		return -1;
	return (double)(now - before) / j->secs;
}

static struct hr_finding *problem(struct judge *j, const char *id, enum hr_severity sev,
				  const struct memcg_node *n)
{
	j->problems++;
	return finding_add(j->out, id, sev, "%s", n->path);
}

/* The agent as the fix: the service, not "headroom run" in the foreground,
 * which would hold the shell and every line pasted after it. */
__attribute__((format(printf, 2, 3)))
static void fix_agent(struct hr_finding *f, const char *why_fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, why_fmt);
	vsnprintf(why, sizeof(why), why_fmt, ap);
	va_end(ap);
	finding_fix_comment(f, "%s:", why);
	finding_fix_cmd(f, "systemctl enable --now headroom");
}

static void fix_background_reclaim(struct judge *j, struct hr_finding *f,
				   const struct memcg_node *n, uint64_t limit, const char *limit_file)
{
	char p[QPATH_MAX];

	fix_agent(f, "keep usage out of the top %d%% before charges meet direct reclaim: the "
		  "headroom agent reclaims inactive file cache of cgroups in the band",
		  100 - NEAR_PCT);
	if (n->has_wmark) {
		finding_fix_comment(f, "or the kernel's own background reclaim, from %d%% of the limit:",
				    WMARK_RECOMMENDED);
		finding_fix_comment(f, "  echo %d > %s", WMARK_RECOMMENDED,
				    qpath(j->t, n, "memory.wmark_ratio", p, sizeof(p)));
	}
	uint64_t base = or0(n->usage_bytes) > limit ? n->usage_bytes : limit;
	finding_fix_comment(f, "if the working set really needs more: the limit + 25%%, rounded to "
			    "MiB, so today's usage sits at or below 80%% of it:");
	finding_fix_comment(f, "  echo %llu > %s", (unsigned long long)round_mib(sat_add(base, base / 4)),
			    qpath(j->t, n, limit_file, p, sizeof(p)));
}

static void judge_near_limit(struct judge *j, size_t i)
{
	const struct memcg_node *n = &j->t->nodes[i];
	const char *lf;
	uint64_t limit = own_limit(j->t, n, &lf);

	if (!memcg_limit_is_set(limit) || !set(n->usage_bytes) || limit == 0)
		return;
	if (n->usage_bytes < pct_of(limit, NEAR_PCT))
		return;
	uint64_t recl = reclaimable_bytes(j->t, n);
	uint64_t hard = sat_sub(n->usage_bytes, recl);
	enum hr_severity sev = hard >= pct_of(limit, NEAR_HARD_PCT) ? HR_SEV_CRIT : HR_SEV_WARN;
	struct hr_finding *f = problem(j, "memcg.near_limit", sev, n);

	fact_u64(f, "usage_bytes", n->usage_bytes);
	fact_u64(f, "limit_bytes", limit);
	fact_str(f, "limit_file", lf);
	fact_f64(f, "usage_ratio", (double)n->usage_bytes / (double)limit);
	fact_u64(f, "headroom_bytes", sat_sub(limit, n->usage_bytes));
	fact_u64(f, "file_bytes", or0(file_bytes(j->t, n)));
	fact_u64(f, "reclaimable_file_bytes", recl);
	fact_u64(f, "inactive_file_bytes", or0(inactive_file_bytes(j->t, n)));
	fact_u64(f, "anon_bytes", or0(anon_bytes(j->t, n)));
	fact_u64(f, "unevictable_bytes", or0(unevictable_bytes(j->t, n)));
	finding_explain(f, "This cgroup uses %.1f MiB of its %.1f MiB limit (%.1f%%, danger band "
			"from %d%%). %.1f MiB of it is file cache on the LRU that reclaim can free; "
			"%.1f MiB is memory reclaim cannot free without swap. ",
			mib_of(n->usage_bytes), mib_of(limit), 100.0 * (double)n->usage_bytes / (double)limit,
			NEAR_PCT, mib_of(recl), mib_of(hard));
	if (sev == HR_SEV_CRIT)
		finding_explain(f, "Unreclaimable memory alone fills %d%% of the limit: the next "
				"growth ends in an OOM kill inside the cgroup, and socket buffers "
				"charged here are refused or overcharged.", NEAR_HARD_PCT);
	else
		finding_explain(f, "Every new charge (page cache, socket buffers) now waits for "
				"direct reclaim in the allocating task, and charges from softirq "
				"(packet receive) cannot reclaim at all.");
	if (sev == HR_SEV_CRIT) {
		char p[QPATH_MAX];
		finding_fix_comment(f, "find what grows in this cgroup's anon memory, or raise the "
				    "limit so unreclaimable memory sits at 80%% of it (rounded to MiB):");
		finding_fix_cmd(f, "echo %llu > %s", (unsigned long long)round_mib(hard / 4 * 5),
				qpath(j->t, n, lf, p, sizeof(p)));
	} else {
		fix_background_reclaim(j, f, n, limit, lf);
	}
}

/* What a softirq socket charge does at this limit, by kernel release
 * (snapshot/kver.h, doc/kernel-facts.md A.1): a fact and a clause. */
static const char *sock_clause(const struct judge *j, struct hr_finding *f, char *buf, size_t cap)
{
	static const char *const fact[] = {
		[HR_SOCK_UNKNOWN] = "unknown", [HR_SOCK_NOT_ACCOUNTED] = "not_accounted",
		[HR_SOCK_DROP_OVERCHARGE] = "drop_then_overcharge", [HR_SOCK_DROP] = "drop",
		[HR_SOCK_OVERCHARGE] = "overcharge",
	};
	if (j->t->version == 1) {
		fact_str(f, "sock_charge_regime", "v1_separate");
		return "cgroup v1 never charges socket buffers to this limit (memory.kmem.tcp.* "
		       "is a separate counter)";
	}
	const char *rel = j->t->release;
	enum hr_sock_regime r = kver_memcg_sock_regime(rel, strlen(rel));
	fact_str(f, "sock_charge_regime", fact[r]);
	snprintf(buf, cap, "on this kernel (%s) a socket charge made in softirq at the limit %s",
		 rel[0] ? rel : "release unknown", kver_sock_regime_text(r));
	return buf;
}

/* Where another method wins (doc/net-proof.md, Debian 11 5.10.0-46): on a
 * kernel that drops a softirq socket charge at memory.max (<= 5.15.76),
 * memory.high at 90 % of memory.max kept the drops at 0 as well as the
 * agent, at equal filler throughput, with no daemon. Not on 5.15.77+/6.1+,
 * where nothing is dropped there and memory.high only throttles the
 * filler; not when memory.high is already below memory.max (lf says). */
#define HIGH_ALT_PCT 90
static void fix_high_alternative(struct judge *j, struct hr_finding *f, const struct memcg_node *n,
				 uint64_t limit, const char *lf)
{
	const char *rel = j->t->release;
	enum hr_sock_regime r = kver_memcg_sock_regime(rel, strlen(rel));
	char p[QPATH_MAX];

	if (j->t->version != 2 || strcmp(lf, "memory.max") || (r != HR_SOCK_DROP && r != HR_SOCK_DROP_OVERCHARGE))
		return;
	finding_fix_comment(f, "on this kernel (%s) a softirq socket charge at memory.max drops the packet; "
			    "memory.high at %d%% of memory.max kept drops at 0 as well as the agent on 5.10, "
			    "with no daemon: either this, or the agent below:", rel, HIGH_ALT_PCT);
	finding_fix_comment(f, "  echo %llu > %s", (unsigned long long)(pct_of(limit, HIGH_ALT_PCT) / 4096 * 4096),
			    qpath(j->t, n, "memory.high", p, sizeof(p)));
}

static void judge_limit_hits(struct judge *j, size_t i)
{
	char buf[320];
	const struct memcg_node *n = &j->t->nodes[i];
	const struct memcg_node *b = before_of(j, i);
	const char *lf;
	uint64_t limit = own_limit(j->t, n, &lf);
	enum hr_severity sev = HR_SEV_WARN;
	uint64_t fails, highs = HR_UNSET, ooms = HR_UNSET;
	struct hr_finding *f;

	if (!memcg_limit_is_set(limit))
		return;
	if (j->t->version == 1) {
		fails = n->failcnt;
	} else {
		if (!n->has_events)
			return;
		fails = n->events.max;
		highs = n->events.high;
		ooms = n->events.oom_kill;
	}
	if (j->before) {
		/* A cgroup new in the second sample, or whose limit (and so its
		 * counters) was not read the first time, has no rate. */
		if (!b || (j->t->version == 2 && !b->has_events))
			return;
		double fr = rate(j, j->t->version == 1 ? b->failcnt : b->events.max, fails);
		double hr = rate(j, b->events.high, highs);
		double orate = rate(j, b->events.oom_kill, ooms);
		if (fr <= 0 && hr <= 0 && orate <= 0)
			return;
		if (orate > 0)
			sev = HR_SEV_CRIT;
		f = problem(j, "memcg.limit_hits", sev, n);
		fact_f64(f, j->t->version == 1 ? "failcnt_per_s" : "events_max_per_s", fr > 0 ? fr : 0);
		if (j->t->version == 2) {
			fact_f64(f, "events_high_per_s", hr > 0 ? hr : 0);
			fact_u64(f, "oom_kill_delta", orate > 0 ? (uint64_t)(orate * j->secs + 0.5) : 0);
		}
		fact_u64(f, j->t->version == 1 ? "failcnt" : "events_max", fails);
		fact_f64(f, "interval_seconds", j->secs);
		fact_u64(f, "usage_bytes", or0(n->usage_bytes));
		fact_u64(f, "limit_bytes", limit);
		finding_explain(f, "Charges are failing at this cgroup's limit right now (%.1f/s over "
				"%.1f s)%s. Each failure is a direct reclaim in the task that "
				"allocated; %s.",
				fr > 0 ? fr : hr, j->secs, orate > 0 ? ", and the OOM killer ran" : "",
				sock_clause(j, f, buf, sizeof(buf)));
	} else {
		bool hit = (set(fails) && fails > 0) || (set(highs) && highs > 0) ||
			   (set(ooms) && ooms > 0);
		if (!hit)
			return;
		f = problem(j, "memcg.limit_hits", sev, n);
		fact_u64(f, j->t->version == 1 ? "failcnt" : "events_max", or0(fails));
		if (j->t->version == 2) {
			fact_u64(f, "events_high", or0(highs));
			fact_u64(f, "events_oom_kill", or0(ooms));
		}
		fact_u64(f, "usage_bytes", or0(n->usage_bytes));
		fact_u64(f, "limit_bytes", limit);
		finding_explain(f, "This cgroup has hit its limit %llu times since it was created "
				"(%s)%s. Each hit is a charge that had to reclaim in the allocating "
				"task or failed; %s. Run `headroom check --area memcg --interval 10` "
				"to see whether it is happening now.",
				(unsigned long long)or0(fails),
				j->t->version == 1 ? "memory.failcnt counts failed charges per folio"
				: n->events_local ? "memory.events.local max, this cgroup's own limit"
						  : "memory.events max, which also counts limited descendants",
				set(ooms) && ooms > 0 ? ", and the OOM killer ran in it" : "",
				sock_clause(j, f, buf, sizeof(buf)));
	}
	fix_high_alternative(j, f, n, limit, lf);
	fix_background_reclaim(j, f, n, limit, lf);
}

static void judge_sock(struct judge *j, size_t i)
{
	const struct memcg_node *n = &j->t->nodes[i];
	const struct memcg_node *b = before_of(j, i);
	char p[QPATH_MAX];

	if (j->t->version == 2) {
		if (!n->has_events || !set(n->events.sock_throttled))
			return;
		uint64_t cur = n->events.sock_throttled;
		double r = b && b->has_events ? rate(j, b->events.sock_throttled, cur) : -1;
		if (j->before ? r <= 0 : cur == 0)
			return;
		struct hr_finding *f = problem(j, "memcg.sock_pressure", HR_SEV_WARN, n);
		fact_u64(f, "sock_throttled", cur);
		if (j->before)
			fact_f64(f, "sock_throttled_per_s", r);
		fact_u64(f, "sock_bytes", or0(n->stat.sock));
		fact_u64(f, "usage_bytes", or0(n->usage_bytes));
		finding_explain(f, "Sockets in this cgroup were throttled because the cgroup was "
				"under memory pressure (memory.events sock_throttled): TCP shrinks "
				"its windows and receive queues prune, which shows as retransmits "
				"and drops. Socket buffers hold %.1f MiB here.", mib_of(or0(n->stat.sock)));
		fix_agent(f, "keep the cgroup out of reclaim: the headroom agent reclaims file "
			  "cache before the limit");
		const char *lf;
		uint64_t limit = own_limit(j->t, n, &lf);
		if (memcg_limit_is_set(limit) && limit) {
			finding_fix_comment(f, "or raise its limit by 25%% (rounded to MiB):");
			finding_fix_comment(f, "  echo %llu > %s",
					    (unsigned long long)round_mib(sat_add(limit, limit / 4)),
					    qpath(j->t, n, lf, p, sizeof(p)));
		}
		return;
	}
	if (!memcg_limit_is_set(n->tcp_limit_bytes) || !set(n->tcp_usage_bytes))
		return;
	bool near = n->tcp_usage_bytes >= pct_of(n->tcp_limit_bytes, TCP_PCT);
	bool failed = set(n->tcp_failcnt) && n->tcp_failcnt > 0;
	if (!near && !failed)
		return;
	struct hr_finding *f = problem(j, "memcg.sock_pressure", HR_SEV_WARN, n);
	fact_u64(f, "tcp_usage_bytes", n->tcp_usage_bytes);
	fact_u64(f, "tcp_limit_bytes", n->tcp_limit_bytes);
	fact_u64(f, "tcp_failcnt", or0(n->tcp_failcnt));
	finding_explain(f, "TCP buffers of this cgroup use %.1f MiB of the %.1f MiB "
			"memory.kmem.tcp.limit_in_bytes. In cgroup v1 that is a separate counter: "
			"past it the kernel refuses socket memory, which shows as TCPRcvQDrop, "
			"pruned queues and retransmits, not in memory.failcnt (and on 6.18 "
			"kmem.tcp.failcnt stays 0 even when hit).",
			mib_of(n->tcp_usage_bytes), mib_of(n->tcp_limit_bytes));
	finding_fix_comment(f, "raise the TCP limit to twice the current use (it follows connection "
			    "count and bandwidth-delay product); the file is deprecated on 6.18, "
			    "where leaving it unwritten disables the separate TCP limit");
	finding_fix_cmd(f, "echo %llu > %s",
			(unsigned long long)round_mib(sat_mul(n->tcp_usage_bytes, 2)),
			qpath(j->t, n, "memory.kmem.tcp.limit_in_bytes", p, sizeof(p)));
}

static void judge_wmark(struct judge *j, size_t i)
{
	const struct memcg_node *n = &j->t->nodes[i];
	const char *lf;
	uint64_t limit = own_limit(j->t, n, &lf);
	char p[QPATH_MAX];

	if (!n->has_wmark || n->wmark.ratio != 0 || !memcg_limit_is_set(limit) || limit == 0)
		return;
	bool busy = set(n->usage_bytes) && n->usage_bytes >= pct_of(limit, WMARK_PCT);
	bool hits = j->t->version == 1 ? set(n->failcnt) && n->failcnt > 0
				       : n->has_events && set(n->events.max) && n->events.max > 0;
	if (!busy && !hits)
		return;
	struct hr_finding *f = problem(j, "memcg.wmark_off", HR_SEV_WARN, n);
	fact_u64(f, "wmark_ratio", 0);
	fact_u64(f, "usage_bytes", or0(n->usage_bytes));
	fact_u64(f, "limit_bytes", limit);
	fact_f64(f, "usage_ratio", set(n->usage_bytes) ? (double)n->usage_bytes / (double)limit : 0);
	finding_explain(f, "This kernel has memcg background reclaim (Alibaba Cloud Linux "
			"memory.wmark_ratio) but it is off for this cgroup (0), while the cgroup is "
			"%s. Without it every charge at the limit is reclaimed synchronously by the "
			"task that allocates.", hits ? "hitting its limit" : "at 80% of its limit or more");
	finding_fix_comment(f, "background reclaim from %d%% of the limit (memory.wmark_high) down to "
			    "memory.wmark_scale_factor below it (default 50 = 0.5%% of the limit), "
			    "keeping the top %d%% free for bursts faster than the reclaim worker:",
			    WMARK_RECOMMENDED, 100 - WMARK_RECOMMENDED);
	finding_fix_cmd(f, "echo %d > %s", WMARK_RECOMMENDED,
			qpath(j->t, n, "memory.wmark_ratio", p, sizeof(p)));
}

static void judge_dead(struct judge *j, size_t i)
{
	const struct memcg_tree *t = j->t;
	const struct memcg_node *n = &t->nodes[i];
	uint64_t sum = 0, total, local = 0;
	char p[QPATH_MAX];

	j->dead[i] = 0;
	if (!usable(n) || !n->children_complete)
		return;
	if (t->version == 2 && (n->depth == 0 || n->nchildren == 0))
		return;	/* v2 has no local counter: only parents without tasks */
	for (uint32_t c = n->first_child; c < n->first_child + n->nchildren; c++) {
		if (!usable(&t->nodes[c]))
			return;
		sum = sat_add(sum, or0(file_bytes(t, &t->nodes[c])));
	}
	total = file_bytes(t, n);
	if (!set(total))
		return;
	if (t->version == 1) {
		if (!set(n->stat.total_cache) || !set(n->stat.cache))
			return;
		local = n->stat.cache;
	}
	uint64_t dead = sat_sub(sat_sub(total, local), sum);
	j->dead[i] = dead;
	if (dead < DEAD_MIN_BYTES || dead < pct_of(total, DEAD_MIN_PCT))
		return;
	bool unlimited = !memcg_limit_is_set(j->eff[i]);
	enum hr_severity sev = HR_SEV_WARN;
	if (unlimited && set(t->mem_total_bytes) &&
	    dead >= pct_of(t->mem_total_bytes, DEAD_CRIT_RAM_PCT))
		sev = HR_SEV_CRIT;
	struct hr_finding *f = problem(j, "memcg.dead_charges", sev, n);
	fact_u64(f, "dead_cache_bytes", dead);
	fact_u64(f, "total_cache_bytes", total);
	if (t->version == 1)
		fact_u64(f, "local_cache_bytes", local);
	fact_u64(f, "children_total_cache_bytes", sum);
	fact_u64(f, "live_children", n->nchildren);
	if (n->has_cstat)
		fact_u64(f, "dying_descendants", n->cstat.nr_dying_descendants);
	fact_bool(f, "limit_in_force", !unlimited);
	finding_explain(f, "%.1f MiB of page cache charged below this cgroup belongs to no live "
			"cgroup: %s. Since Linux 4.4 the pages of a deleted cgroup are not "
			"reparented; they stay charged to the dead cgroup until freed. A cgroup "
			"recreated under the same name that reads the same files is not charged "
			"for them, so its limit does not cover them and it is not OOM-killed when "
			"it outgrows it.",
			mib_of(dead),
			t->version == 1 ? "total_cache - cache - the sum of the live children's total_cache"
					: "file - the sum of the live children's file");
	if (unlimited)
		finding_explain(f, " No limit above this cgroup covers these pages.");
	if (t->version == 1) {
		/* The agent reclaims only cgroups that near a limit, so it frees
		 * these charges only where a limit is in force; the cure that
		 * always works is one force_empty at the parent. */
		finding_fix_comment(f, "free the dead charges once; this evicts the page cache of the whole "
				    "subtree (live children re-read from disk), leaves anonymous "
				    "memory alone and cannot OOM-kill:");
		finding_fix_cmd(f, "echo 0 > %s", qpath(t, n, "memory.force_empty", p, sizeof(p)));
		finding_fix_comment(f, "from now on, drop a cgroup's charges before removing it, so "
				    "nothing stays charged to a dead cgroup:");
		finding_fix_comment(f, "  echo 0 > CGROUP/memory.force_empty && rmdir CGROUP");
		finding_fix_comment(f, "lowering a limit by hand is not advised: a target below what "
				    "the tasks need fails with EBUSY only after evicting everything");
	} else {
		finding_fix_comment(f, "reclaim the dead charges at this parent (Linux 5.19+; the "
				    "amount of dead cache, dying cgroups included):");
		finding_fix_cmd(f, "echo %llu > %s", (unsigned long long)round_mib(dead),
				qpath(t, n, "memory.reclaim", p, sizeof(p)));
	}
	if (unlimited)
		finding_fix_comment(f, "and bound such pages: put a memory limit on this cgroup or "
				    "an ancestor");
}

static void judge_unevictable(struct judge *j, size_t i)
{
	const struct memcg_tree *t = j->t;
	const struct memcg_node *n = &t->nodes[i];
	bool child_fired = false;
	char p[QPATH_MAX];

	for (uint32_t c = n->first_child; c < n->first_child + n->nchildren; c++)
		child_fired |= j->unev_fired[c];
	j->unev_fired[i] = child_fired;
	if (child_fired || n->depth == 0 || !usable(n))
		return;
	uint64_t u = unevictable_bytes(t, n), limit = j->eff[i];
	if (!set(u) || u < UNEV_MIN_BYTES)
		return;
	enum hr_severity sev;
	uint64_t whole;
	bool limited = memcg_limit_is_set(limit) && limit > 0;
	if (limited) {
		whole = limit;
		if (u < pct_of(limit, UNEV_LIMIT_WARN_PCT))
			return;
		sev = u >= pct_of(limit, UNEV_LIMIT_CRIT_PCT) ? HR_SEV_CRIT : HR_SEV_WARN;
	} else {
		if (!set(t->mem_total_bytes) || t->mem_total_bytes == 0)
			return;
		whole = t->mem_total_bytes;
		if (u < pct_of(whole, UNEV_RAM_WARN_PCT))
			return;
		sev = u >= pct_of(whole, UNEV_RAM_CRIT_PCT) ? HR_SEV_CRIT : HR_SEV_WARN;
	}
	j->unev_fired[i] = true;
	struct hr_finding *f = problem(j, "memcg.unevictable", sev, n);
	fact_u64(f, "unevictable_bytes", u);
	fact_u64(f, limited ? "limit_bytes" : "mem_total_bytes", whole);
	fact_f64(f, "unevictable_share", (double)u / (double)whole);
	fact_u64(f, "file_bytes", or0(file_bytes(t, n)));
	fact_u64(f, "anon_bytes", or0(anon_bytes(t, n)));
	finding_explain(f, "%.1f MiB in this cgroup is unevictable (mlock/mlockall, SHM_LOCK, "
			"ramfs): %.0f%% of %s. Reclaim and swap cannot touch it, so the pressure "
			"falls on everything else%s.", mib_of(u), 100.0 * (double)u / (double)whole,
			limited ? "the limit in force" : "the host's RAM",
			limited ? " in the cgroup: its cache thrashes and the next growth is an OOM kill"
				: ", on other cgroups and the host: with no limit, nothing stops it "
				  "before the host thrashes");
	if (limited) {
		finding_fix_comment(f, "lock less, or give the cgroup room beside its locked set: a "
				    "limit of %llu bytes (unevictable / 0.5, so locked memory is at "
				    "most half of it) in the cgroup that sets the limit in force",
				    (unsigned long long)round_mib(u * 2));
	} else {
		finding_fix_comment(f, "bound it, so an over-grown locked set is OOM-killed in its "
				    "cgroup instead of thrashing the host: unevictable + anon + file "
				    "now, plus 25%% for growth, rounded to MiB");
		finding_fix_cmd(f, "echo %llu > %s",
				(unsigned long long)round_mib(
					(sat_add(sat_add(u, or0(anon_bytes(t, n))), or0(file_bytes(t, n)))) / 4 * 5),
				qpath(t, n, t->version == 1 ? "memory.limit_in_bytes" : "memory.max",
				      p, sizeof(p)));
	}
}

static void judge_unlimited_parent(struct judge *j, size_t i)
{
	const struct memcg_tree *t = j->t;
	const struct memcg_node *n = &t->nodes[i];
	uint64_t sum = 0, others = 0;
	size_t limited = 0;
	char p[QPATH_MAX];

	if (n->depth == 0 || n->gone || memcg_limit_is_set(j->eff[i]) || n->nchildren == 0)
		return;
	for (uint32_t c = n->first_child; c < n->first_child + n->nchildren; c++) {
		const struct memcg_node *ch = &t->nodes[c];
		if (ch->gone)
			continue;
		if (memcg_limit_is_set(j->eff[c])) {
			limited++;
			sum = sat_add(sum, j->eff[c]);
		} else if (ch->has_stat) {
			others = sat_add(others, sat_add(or0(anon_bytes(t, ch)), or0(file_bytes(t, ch))));
		}
	}
	if (!limited)
		return;
	bool dead = j->dead[i] >= DEAD_MIN_BYTES;
	struct hr_finding *f = problem(j, "memcg.unlimited_parent", dead ? HR_SEV_CRIT : HR_SEV_WARN, n);
	fact_u64(f, "limited_children", limited);
	fact_u64(f, "children_limit_sum_bytes", sum);
	fact_u64(f, "unlimited_children_usage_bytes", others);
	fact_u64(f, "dead_cache_bytes", j->dead[i]);
	if (set(t->mem_total_bytes))
		fact_u64(f, "mem_total_bytes", t->mem_total_bytes);
	size_t listed = 0;
	for (uint32_t c = n->first_child; c < n->first_child + n->nchildren && listed < CHILD_LIST_MAX; c++) {
		if (!t->nodes[c].gone && memcg_limit_is_set(j->eff[c])) {
			const char *slash = strrchr(t->nodes[c].path, '/');
			fact_list_add(f, "limited_children_names", slash ? slash + 1 : t->nodes[c].path);
			listed++;
		}
	}
	finding_explain(f, "%zu child cgroup%s of this cgroup %s a memory limit, but neither this "
			"cgroup nor any ancestor does. Memory charged here outside the children (page "
			"cache of deleted or recreated children, tasks in this cgroup) is bounded by "
			"nothing but the host's RAM; a recreated child that re-reads its old files is "
			"under-charged and never OOM-killed.",
			limited, limited == 1 ? "" : "s", limited == 1 ? "has" : "have");
	if (dead)
		finding_explain(f, " %.1f MiB of such charges are here now.",
				mib_of(j->dead[i]));
	uint64_t rec = sat_add(sum, others);
	uint64_t used = sat_add(or0(anon_bytes(t, n)), or0(file_bytes(t, n)));
	if (set(t->mem_total_bytes) && rec > t->mem_total_bytes)
		rec = t->mem_total_bytes;
	if (rec < used)
		rec = used;
	fact_u64(f, "usage_bytes", used);
	finding_fix_comment(f, "limit this parent to its children's limits plus what its unlimited "
			    "children use now, capped at RAM, never below its own usage (anon + "
			    "file) so the write cannot fail with EBUSY (v1) or OOM-kill (v2); "
			    "rounded up to MiB. It squeezes no child below its own limit:");
	finding_fix_cmd(f, "echo %llu > %s", (unsigned long long)round_mib(rec),
			qpath(t, n, t->version == 1 ? "memory.limit_in_bytes" : "memory.max",
			      p, sizeof(p)));
}

static void dying_finding(struct judge *j, const struct memcg_node *n, uint64_t dying,
			  uint64_t live, const char *how)
{
	if (dying < DYING_MIN || dying < live)
		return;
	enum hr_severity sev = dying >= DYING_CRIT_MIN && dying >= sat_mul(live, DYING_CRIT_FACTOR)
				       ? HR_SEV_CRIT : HR_SEV_WARN;
	struct hr_finding *f = problem(j, "memcg.dying", sev, n);
	char p[QPATH_MAX];

	fact_u64(f, "dying_cgroups", dying);
	fact_u64(f, "live_cgroups", live);
	fact_str(f, "counted_from", how);
	finding_explain(f, "%llu memory cgroups are deleted but not yet freed, against %llu live "
			"ones. A deleted memcg stays until the last page charged to it is freed, "
			"keeping its per-CPU statistics (kernel memory) and its page cache, which no "
			"live cgroup's limit covers; each one also slows memory.stat and reclaim.",
			(unsigned long long)dying, (unsigned long long)live);
	if (j->t->version == 1) {
		finding_fix_comment(f, "have whatever deletes cgroups drop their charges first, so "
				    "nothing stays charged to the deleted cgroup:");
		finding_fix_comment(f, "  echo 0 > CGROUP/memory.force_empty && rmdir CGROUP");
		fix_agent(f, "reclaim what the existing ones hold: the headroom agent reclaims at "
			  "their parents");
	} else {
		finding_fix_comment(f, "find who creates and deletes cgroups this fast; reclaim the "
				    "pages that pin them (Linux 5.19+) by writing a byte count to %s",
				    qpath(j->t, n, "memory.reclaim", p, sizeof(p)));
	}
}

static void judge_dying(struct judge *j)
{
	const struct memcg_tree *t = j->t;

	if (t->version == 1) {
		if (!set(t->proc_num_cgroups) || t->depth_capped)
			return;
		uint64_t live = t->n - t->vanished + t->dropped;
		dying_finding(j, &t->nodes[0], sat_sub(t->proc_num_cgroups, live), live,
			      "/proc/cgroups num_cgroups minus cgroup directories");
		return;
	}
	/* v2: report where the dying ones hang: a cgroup's own count minus its
	 * children's. */
	for (size_t i = 0; i < t->n; i++) {
		const struct memcg_node *n = &t->nodes[i];
		if (!n->has_cstat || !set(n->cstat.nr_dying_descendants))
			continue;
		uint64_t below = 0;
		bool ok = true;
		for (uint32_t c = n->first_child; c < n->first_child + n->nchildren; c++) {
			if (!t->nodes[c].has_cstat) {
				ok = n->nchildren == 0;
				break;
			}
			below = sat_add(below, or0(t->nodes[c].cstat.nr_dying_descendants));
		}
		if (!ok)
			continue;
		dying_finding(j, n, sat_sub(n->cstat.nr_dying_descendants, below),
			      or0(n->cstat.nr_descendants) + 1, "cgroup.stat nr_dying_descendants");
	}
}

static void judge_summary(struct judge *j)
{
	const struct memcg_tree *t = j->t;
	size_t examined = 0;
	char p[1024];

	for (size_t i = 0; i < t->n; i++)
		examined += usable(&t->nodes[i]);
	if (t->dropped || t->depth_capped) {
		struct hr_finding *f = finding_add(j->out, "memcg.dropped", HR_SEV_WARN, "%s",
						   host_path(t, &t->nodes[0], NULL, p, sizeof(p)));
		j->problems++;
		fact_u64(f, "cgroups_dropped", t->dropped);
		fact_u64(f, "cgroups_below_depth_cap", t->depth_capped);
		fact_u64(f, "cgroups_examined", examined);
		fact_u64(f, "cap", t->cap);
		fact_u64(f, "depth_cap", MEMCG_DEPTH_MAX);
		finding_explain(f, "Not every memory cgroup was examined: %zu beyond the cap of %zu "
				"cgroups or with a path over %d bytes, and %zu below depth %d. "
				"Findings above cover only the rest.", t->dropped, t->cap,
				MEMCG_NODE_PATH_MAX - 1, t->depth_capped, MEMCG_DEPTH_MAX);
		finding_fix_comment(f, "remove cgroups that are no longer used; headroom's caps of "
				    "%zu cgroups and depth %d are compiled in", t->cap, MEMCG_DEPTH_MAX);
	}
	if (j->problems)
		return;
	struct hr_finding *f = finding_add(j->out, "memcg.ok", HR_SEV_OK, "%s",
					   host_path(t, &t->nodes[0], NULL, p, sizeof(p)));
	fact_u64(f, "cgroups_examined", examined);
	fact_u64(f, "cgroups_vanished", t->vanished);
	fact_u64(f, "cgroups_unreadable", t->unreadable);
	fact_u64(f, "cgroup_version", (uint64_t)t->version);
	finding_explain(f, "%zu memory cgroups examined (cgroup v%d): none within %d%% of a "
			"limit, hitting a limit, under socket pressure, holding dead charges, "
			"mostly unevictable or limited below an unlimited parent.",
			examined, t->version, NEAR_PCT);
}

size_t memcg_judge_scratch_bytes(size_t n_now, size_t n_before)
{
	return ARENA_PIECE(n_now * sizeof(uint64_t)) * 2 + ARENA_PIECE(n_now * sizeof(bool)) +
	       ARENA_PIECE(n_before * sizeof(void *)) + 64;
}

void memcg_judge_in(const void *before, const void *now, uint64_t interval_usec,
		    struct hr_arena *scratch, struct hr_findings *out)
{
	const struct memcg_tree *t = now;
	struct judge j = { .t = t, .before = before, .out = out,
			   .secs = (double)interval_usec / 1e6 };
	size_t mark = arena_mark(scratch);

	if (!t || t->n == 0)
		return;
	j.eff = arena_alloc(scratch, t->n * sizeof(*j.eff));
	j.dead = arena_alloc(scratch, t->n * sizeof(*j.dead));
	j.unev_fired = arena_alloc(scratch, t->n * sizeof(*j.unev_fired));
	if (!j.eff || !j.dead || !j.unev_fired) {
		findings_note(out, "memcg", ENOMEM, "memcg not judged");
		goto out;
	}
	memset(j.eff, 0, t->n * sizeof(*j.eff));
	memset(j.dead, 0, t->n * sizeof(*j.dead));
	memset(j.unev_fired, 0, t->n * sizeof(*j.unev_fired));
	if (j.before && j.before->n) {
		/* Without room the rates of cgroups that moved in the order are
		 * unknown (before_of: the same index still matches). */
		j.sorted_before = arena_alloc(scratch, j.before->n * sizeof(*j.sorted_before));
		if (j.sorted_before) {
			for (size_t i = 0; i < j.before->n; i++)
				j.sorted_before[i] = &j.before->nodes[i];
			sort_ptrs(j.sorted_before, j.before->n);
		}
	}
	/* Effective limit: v1 prints it (hierarchical_memory_limit); v2 is the
	 * minimum of memory.max/high over the cgroup and its ancestors, which
	 * come first in the breadth-first order. */
	for (size_t i = 0; i < t->n; i++) {
		const struct memcg_node *n = &t->nodes[i];
		uint64_t e = MEMCG_NO_LIMIT;
		if (t->version == 1) {
			if (n->has_stat && memcg_limit_is_set(n->stat.hierarchical_memory_limit))
				e = n->stat.hierarchical_memory_limit;
		} else {
			const char *lf;
			uint64_t own = own_limit(t, n, &lf);
			if (memcg_limit_is_set(own))
				e = own;
			if (n->parent != MEMCG_NONE && j.eff[n->parent] < e)
				e = j.eff[n->parent];
		}
		j.eff[i] = e;
	}
	/* Children before parents: dead charges and unevictable use them. */
	for (size_t k = t->n; k-- > 0;) {
		judge_dead(&j, k);
		judge_unevictable(&j, k);
	}
	for (size_t i = 0; i < t->n; i++) {
		if (t->nodes[i].gone || !t->nodes[i].has_stat)
			continue;
		judge_near_limit(&j, i);
		judge_limit_hits(&j, i);
		judge_sock(&j, i);
		judge_wmark(&j, i);
		judge_unlimited_parent(&j, i);
	}
	judge_dying(&j);
	judge_summary(&j);
out:
	arena_release(scratch, mark);
}

void memcg_judge(const void *before, const void *now, uint64_t interval_usec,
		 struct hr_findings *out)
{
	const struct memcg_tree *t = now, *b = before;
	size_t len = memcg_judge_scratch_bytes(t ? t->n : 0, b ? b->n : 0);
	void *mem = malloc(len);
	struct hr_arena a;

	arena_init(&a, mem, len);
	memcg_judge_in(before, now, interval_usec, &a, out);
	free(mem);
}
