/* guards.c - the agent's guards (see guards.h). */
#define _GNU_SOURCE
#include "daemon/guards.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "act/knob_write.h"
#include "act/reclaim.h"
#include "check/prom_pass.h"
#include "daemon/node.h"
#include "detect/incident_int.h"
#include "kernel/memcg_file.h"
#include "snapshot/memcg_tree.h"
#include "snapshot/net_snap.h"
#include "snapshot/vmsnap.h"
#include "util/clock.h"
#include "util/page.h"
#include "util/parse.h"

#define CT_MAX "proc/sys/net/netfilter/nf_conntrack_max"
#define WSF "proc/sys/vm/watermark_scale_factor"
#define MIN_FREE "proc/sys/vm/min_free_kbytes"
#define COMPACT "proc/sys/vm/compact_memory"
#define PROACTIVE "proc/sys/vm/compaction_proactiveness"
/* The order the starved-zone test asks for: PAGE_ALLOC_COSTLY_ORDER, the
 * largest the kernel tries hard for (and zones_judge's warning order). */
#define STARVED_ORDER 3
#define DC_PARENTS 16	/* parents whose last round time is kept */

enum { CT_A_RAISE, CT_A_LOWER };
enum { WM_A_BOOST, WM_A_DECAY, WM_A_COMPACT, WM_A_PROACTIVE };
enum { DC_A_RECLAIM };

struct dc_parent {
	char dir[HR_CG_REL_MAX];
	uint64_t last_ns;
};

struct guard_log {
	int action;		/* last "would" line's action, -1 none */
	uint64_t value;
};

struct hr_guards {
	struct ct_guard_state ct;
	struct knob ct_knob;
	struct wmark_guard_state wm;
	struct knob wm_knob[2];		/* [WMARK_KNOB_WSF], [WMARK_KNOB_MIN_FREE] */
	uint64_t compact_last_ns;
	struct knob pro_knob;		/* vm.compaction_proactiveness while fragmented */
	unsigned pro_left;		/* passes it stays raised */
	struct dc_parent dc[DC_PARENTS];
	struct guard_log would[HR_GUARD_N];
	bool busy_logged;
	bool would_logged;		/* the last knob_act logged its "would" line */
	bool ct_hot;			/* the last pass saw the table at the high mark */
	int last_err[HR_GUARD_N];	/* logged once until it changes (a non-root agent: EACCES each pass) */
	struct prom_guards prom;
};

static void release(struct hr_ctx *c, int id, bool lock, const char *when);

static bool dry(const struct hr_ctx *c, int g)
{
	return c->opts.dry_run || c->cfg.dry_run || !c->cfg.guard.act[g];
}

int guards_init(struct hr_ctx *c)
{
	struct hr_guards *g = calloc(1, sizeof(*g));

	if (!g)
		return -ENOMEM;
	knob_init(&g->ct_knob, CT_MAX);
	knob_init(&g->wm_knob[WMARK_KNOB_WSF], WSF);
	knob_init(&g->wm_knob[WMARK_KNOB_MIN_FREE], MIN_FREE);
	knob_init(&g->pro_knob, PROACTIVE);
	static const char *const acts[HR_GUARD_N][PROM_GUARD_ACTIONS] = {
		{ "raise", "lower" }, { "boost", "decay", "compact", "proactive" }, { "reclaim" },
	};
	static const char *const knob[HR_GUARD_N] = { "nf_conntrack_max", "watermark_scale_factor",
						      "dead_charge_bytes" };
	for (int i = 0; i < HR_GUARD_N; i++) {
		struct prom_guard *p = &g->prom.g[i];
		p->name = config_guard_name((enum hr_guard_id)i);
		p->mode = dry(c, i) ? "observe" : "act";
		p->knob = knob[i];
		p->value = p->original = HR_UNSET;
		memcpy(p->action, acts[i], sizeof(p->action));
		g->would[i].action = -1;
	}
	g->prom.n = HR_GUARD_N;
	c->node->guards = g;
	for (int i = 0; i < HR_GUARD_N; i++)
		if (!dry(c, i))
			hr_log(c, 5, "guard %s: mode act", g->prom.g[i].name);
	return 0;
}

/* The journal is the reclaim worker's too; never wait for it here. */
static bool journal_take(struct hr_ctx *c)
{
	if (c->worker.inited && pthread_mutex_trylock(&c->worker.journal_mu)) {
		if (!c->node->guards->busy_logged)
			hr_log(c, 6, "guards: journal busy (a reclaim round), acting at the next pass");
		c->node->guards->busy_logged = true;
		return false;
	}
	return true;
}

static void journal_give(struct hr_ctx *c)
{
	if (c->worker.inited)
		pthread_mutex_unlock(&c->worker.journal_mu);
	c->journal_open = c->journal.open_entries;
}

/* "would" lines only when what would be done changes: an observe guard
 * decides the same every pass. */
static bool would_new(struct hr_guards *g, int id, int action, uint64_t v)
{
	if (g->would[id].action == action && g->would[id].value == v)
		return false;
	g->would[id].action = action;
	g->would[id].value = v;
	return true;
}

/* Moves knob k to v for guard id; logs and counts. Returns the outcome, or
 * -errno (logged). */
static int knob_act(struct hr_ctx *c, int id, struct knob *k, uint64_t v, int action, const char *reason)
{
	struct hr_guards *g = c->node->guards;
	struct prom_guard *p = &g->prom.g[id];
	enum knob_outcome out;
	uint64_t old = HR_UNSET;
	bool d = dry(c, id);

	if (!d && !journal_take(c))
		return -EAGAIN;
	int rc = knob_set(&c->journal, &c->root, k, v, d, &out, &old);
	if (!d)
		journal_give(c);
	if (rc) {
		c->st.errors++;
		if (rc != g->last_err[id])
			hr_log(c, 3, "guard %s: cannot write /%s = %" PRIu64 ": %s%s", p->name, k->path, v,
			       strerror(-rc), rc == -ENOSPC ? " (journal full)" : rc == -EACCES || rc == -EPERM ?
			       " (run as root, or mode = observe)" : "");
		g->last_err[id] = rc;
		return rc;
	}
	g->last_err[id] = 0;
	g->would_logged = false;
	switch (out) {
	case KNOB_WOULD:
		p->actions[action]++;
		if ((g->would_logged = would_new(g, id, action, v)))
			hr_log(c, 5, "guard %s: would write /%s = %" PRIu64 " (now %" PRIu64 "; %s; mode observe)",
			       p->name, k->path, v, old, reason);
		break;
	case KNOB_WROTE:
	case KNOB_RESTORED:
		p->actions[action]++;
		hr_log(c, 5, "guard %s: /%s %" PRIu64 " -> %" PRIu64 " (%s)%s", p->name, k->path, old, v, reason,
		       out == KNOB_RESTORED ? ", the original: record cleared" : "");
		break;
	case KNOB_TAKEN:
		hr_log(c, 4, "guard %s: /%s is %" PRIu64 ", not the %" PRIu64 " we wrote: someone else's value, "
		       "left alone; starting over from it", p->name, k->path, old, k->wrote);
		break;
	case KNOB_NOOP:
		break;
	}
	return (int)out;
}

static void set_decision(struct hr_guards *g, int id, const char *d)
{
	g->prom.g[id].decision = d;
}

/* conntrack ---------------------------------------------------------------- */

/* Who fills the table (the pass's bounded ctnetlink dump, live host only):
 * one line beside each action, so the fix can name a flow class. */
static void ct_who(struct hr_ctx *c, const struct ct_breakdown *b)
{
	char top[160];
	size_t idx[3], n, len = 0;
	int st = 0;

	if (!b->present || !b->counted)
		return;
	for (int s = 1; s < CT_TCP_STATES; s++)
		if (b->tcp_state[s] > b->tcp_state[st])
			st = s;
	n = ct_breakdown_top_cls(b, idx, 3);
	top[0] = 0;
	for (size_t i = 0; i < n && len < sizeof(top); i++) {
		const struct ct_class *k = &b->cls[idx[i]];
		int w = snprintf(top + len, sizeof(top) - len, "%s%s/%u %" PRIu64 " (%" PRIu64 " TIME_WAIT)",
				 i ? ", " : "", ct_proto_name(ct_proto_of(k->l4proto)), k->dport, k->n, k->time_wait);
		len += w > 0 ? (size_t)w : 0;
	}
	hr_log(c, 5, "guard conntrack: who fills it: %" PRIu64 " entries read (%" PRIu64 " not), tcp %" PRIu64
	       ", udp %" PRIu64 ", most in TCP state %s (%" PRIu64 "); top flow classes: %s",
	       b->counted, b->not_counted, b->proto[CT_P_TCP], b->proto[CT_P_UDP], ct_tcp_state_name(st),
	       b->tcp_state[st], top[0] ? top : "none");
}

static void guard_conntrack(struct hr_ctx *c, const struct conntrack_snap *ct)
{
	struct hr_guards *g = c->node->guards;
	struct prom_guard *p = &g->prom.g[HR_GUARD_CONNTRACK];
	static const char *const names[] = { "hold", "raise", "lower", "at_ceiling" };
	struct ct_guard_decision d;

	g->ct_hot = false;
	if (!ct || !ct->loaded || ct->max == HR_UNSET || ct->count == HR_UNSET || !ct->max) {
		set_decision(g, HR_GUARD_CONNTRACK, "unavailable");	/* not loaded, or no limit */
		return;
	}
	g->ct_hot = ct->count * 100 >= ct->max * c->cfg.guard.ct.high_pct;
	struct ct_guard_input in = { .count = ct->count, .max = ct->max, .buckets = ct->buckets,
				     .mem_total_bytes = ct->mem_total_bytes };
	if (ct_guard_decide(&c->cfg.guard.ct, &g->ct, &in, &d)) {
		set_decision(g, HR_GUARD_CONNTRACK, "invalid");
		return;
	}
	p->value = ct->max;
	p->original = g->ct.original_max;
	set_decision(g, HR_GUARD_CONNTRACK, names[d.action]);
	if (d.action != CT_GUARD_RAISE && d.action != CT_GUARD_LOWER)
		return;
	char why[160];
	snprintf(why, sizeof(why), "%s; count %" PRIu64 " of %" PRIu64 ", ceiling %" PRIu64 "%s", d.reason,
		 ct->count, ct->max, d.ceiling, d.ceiling_is_buckets ? " (the bucket count bounds it)" : "");
	int rc = knob_act(c, HR_GUARD_CONNTRACK, &g->ct_knob, d.new_max,
			  d.action == CT_GUARD_RAISE ? CT_A_RAISE : CT_A_LOWER, why);
	if (rc == KNOB_TAKEN)
		memset(&g->ct, 0, sizeof(g->ct));	/* the new value is the original now */
	else if (rc == KNOB_WROTE || rc == KNOB_RESTORED)
		p->value = d.new_max;
	if (rc == KNOB_WROTE || rc == KNOB_RESTORED || (rc == KNOB_WOULD && g->would_logged))
		ct_who(c, &ct->breakdown);
	if (d.want_hashsize && rc == KNOB_WROTE)
		hr_log(c, 5, "guard conntrack: memory allows more with %" PRIu64 " buckets; resizing "
		       "nf_conntrack_buckets rehashes the table, so it is left to you", d.want_buckets);
}

/* watermark ---------------------------------------------------------------- */

/* A zone at or below its low watermark with no free block of
 * STARVED_ORDER or more: an atomic allocation of that order fails. */
static bool zone_starved(const struct zones_snap *z)
{
	if (!z->have_zoneinfo || !z->have_buddyinfo)
		return false;
	for (size_t i = 0; i < z->zi.n; i++) {
		const struct zoneinfo_zone *zz = &z->zi.zones[i];
		if (!zz->managed_pages || zz->free_pages > zz->low_pages)
			continue;
		for (size_t b = 0; b < z->bi.n; b++) {
			const struct buddyinfo_zone *bz = &z->bi.zones[b];
			if (bz->node == zz->node && !strcmp(bz->name, zz->name) &&
			    buddyinfo_pages_from(bz, STARVED_ORDER) == 0)
				return true;
		}
	}
	return false;
}

/* A zones.fragmentation finding: compaction per node where the kernel has
 * the node file, else the whole system; at most once per interval. */
static bool maybe_compact(struct hr_ctx *c, const struct hr_findings *fs)
{
	struct hr_guards *g = c->node->guards;
	struct prom_guard *p = &g->prom.g[HR_GUARD_WATERMARK];
	char path[64];
	unsigned node;
	struct stat st;

	for (size_t i = 0; i < fs->n; i++) {
		const struct hr_finding *f = &fs->items[i];
		if (strcmp(f->id, "zones.fragmentation"))
			continue;
		if (!c->cfg.guard.wm_compact)
			return true;
		const char *s = strstr(f->subject, " node ");
		if (s && sscanf(s, " node %u", &node) == 1)
			snprintf(path, sizeof(path), "sys/devices/system/node/node%u/compact", node);
		if (!s || root_stat(&c->root, path, &st))
			snprintf(path, sizeof(path), "%s", COMPACT);
		bool d = dry(c, HR_GUARD_WATERMARK);
		int rc = knob_trigger(&c->root, path, d, clock_mono_ns(),
				      (uint64_t)c->cfg.guard.wm_compact_interval_s * HR_NSEC_PER_SEC,
				      &g->compact_last_ns);
		if (rc == -EAGAIN)
			return true;	/* rate bound: the last trigger was recent */
		if (rc) {
			c->st.errors++;
			hr_log(c, 3, "guard watermark: cannot trigger compaction (/%s): %s", path, strerror(-rc));
			return true;
		}
		p->actions[WM_A_COMPACT]++;
		hr_log(c, 5, "guard watermark: %s /%s = 1 (%s: %s; at most once per %u s)",
		       d ? "would write" : "compaction:", path, f->id, f->subject,
		       c->cfg.guard.wm_compact_interval_s);
		return true;	/* one trigger per pass */
	}
	return false;
}

/* vm.compaction_proactiveness (5.9+) raised while zones are fragmented
 * and for proactive_hold passes after, then given back: the kernel then
 * compacts in the background instead of one trigger at a time. */
static void proactive(struct hr_ctx *c, const struct zones_snap *z, bool frag)
{
	struct hr_guards *g = c->node->guards;
	const struct hr_guard_config *gc = &c->cfg.guard;
	uint64_t cur = z->sc.compaction_proactiveness;
	char why[128];

	if (!gc->wm_proactiveness || cur == HR_UNSET)
		return;
	if (frag)
		g->pro_left = gc->wm_proactive_hold;
	else if (g->pro_left)
		g->pro_left--;
	if (g->pro_left && !knob_held(&g->pro_knob) && cur < gc->wm_proactiveness) {
		snprintf(why, sizeof(why), "zones fragmented: raised for %u passes after the last fragmentation",
			 gc->wm_proactive_hold);
		knob_act(c, HR_GUARD_WATERMARK, &g->pro_knob, gc->wm_proactiveness, WM_A_PROACTIVE, why);
	} else if (!g->pro_left && knob_held(&g->pro_knob)) {
		snprintf(why, sizeof(why), "no fragmentation for %u passes: back to the original",
			 gc->wm_proactive_hold);
		knob_act(c, HR_GUARD_WATERMARK, &g->pro_knob, g->pro_knob.orig, WM_A_PROACTIVE, why);
	}
}

static void guard_watermark(struct hr_ctx *c, const struct zones_snap *z, const struct hr_findings *fs)
{
	struct hr_guards *g = c->node->guards;
	struct prom_guard *p = &g->prom.g[HR_GUARD_WATERMARK];
	static const char *const names[] = { "hold", "boost", "decay" };
	struct wmark_guard_decision d;

	if (!z) {
		set_decision(g, HR_GUARD_WATERMARK, "unavailable");
		return;
	}
	struct wmark_guard_input in = {
		.wsf = z->sc.watermark_scale_factor, .min_free_kib = z->sc.min_free_kbytes,
		.failures = c->node->x ? c->node->incidents[HR_INC_ALLOC_FAILURE] : HR_UNSET,
		.zone_starved = zone_starved(z), .floor_min_free_kib = c->cfg.guard.wm_reserve_kib,
	};
	if (wmark_guard_decide(&c->cfg.guard.wm, &g->wm, &in, &d)) {
		set_decision(g, HR_GUARD_WATERMARK, "unavailable");
		return;
	}
	p->knob = d.knob == WMARK_KNOB_WSF ? "watermark_scale_factor" : "min_free_kbytes";
	p->value = d.knob == WMARK_KNOB_WSF ? in.wsf : in.min_free_kib;
	p->original = g->wm.original;
	set_decision(g, HR_GUARD_WATERMARK, names[d.action]);
	if (d.action != WMARK_GUARD_HOLD) {
		char why[160];
		snprintf(why, sizeof(why), "%s; %" PRIu64 " allocation failure(s) seen, floor %" PRIu64, d.reason,
			 in.failures == HR_UNSET ? 0 : in.failures, d.floor);
		int rc = knob_act(c, HR_GUARD_WATERMARK, &g->wm_knob[d.knob], d.value,
				  d.action == WMARK_GUARD_BOOST ? WM_A_BOOST : WM_A_DECAY, why);
		if (rc == KNOB_TAKEN)
			memset(&g->wm, 0, sizeof(g->wm));
		else if (rc == KNOB_WROTE || rc == KNOB_RESTORED)
			p->value = d.value;
	}
	proactive(c, z, maybe_compact(c, fs));
}

/* deadcharge --------------------------------------------------------------- */

static const struct memcg_node *tree_find(const struct memcg_tree *t, const char *path)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->nodes[i].path, path))
			return &t->nodes[i];
	return NULL;
}

static uint64_t file_bytes(const struct memcg_tree *t, const struct memcg_node *n)
{
	if (t->version == 1)
		return n->stat.total_cache != HR_UNSET ? n->stat.total_cache : n->stat.cache;
	return n->stat.file;
}

static struct dc_parent *dc_slot(struct hr_guards *g, const char *dir)
{
	struct dc_parent *oldest = &g->dc[0];

	for (int i = 0; i < DC_PARENTS; i++) {
		if (!strcmp(g->dc[i].dir, dir))
			return &g->dc[i];
		if (g->dc[i].last_ns < oldest->last_ns)
			oldest = &g->dc[i];
	}
	snprintf(oldest->dir, sizeof(oldest->dir), "%s", dir);
	oldest->last_ns = 0;
	return oldest;
}

/* A limited table entry: its reclaim policy (ours, or another agent's
 * that holds its lock) manages it, and two writers would race. */
static bool managed(const struct hr_ctx *c, const char *dir)
{
	char d[HR_CG_REL_MAX];

	for (uint32_t i = 0; i < c->ncg; i++) {
		const struct hr_cg *e = &c->cg[i];
		if (e->used && e->limited && !strcmp(cg_dir(c, e, d), dir))
			return true;
	}
	return false;
}

static bool is_cgroupfs(int fd)
{
	struct statfs sf;
	return fstatfs(fd, &sf) == 0 && (sf.f_type == CGROUP_SUPER_MAGIC || sf.f_type == CGROUP2_SUPER_MAGIC);
}

/* One round at the parent dir: v2 memory.reclaim, v1 the limit squeeze
 * (journaled by reclaim_v1_squeeze). */
static int dc_round(struct hr_ctx *c, const char *dir, int version, const struct deadcharge_guard_decision *d,
		    uint64_t usage, struct reclaim_res *res)
{
	struct reclaim_files f = { .cgroup = dir, .usage_fd = -1, .ctl_fd = -1 };
	struct reclaim_plan plan = { .target_bytes = usage - d->amount_bytes, .want_bytes = d->amount_bytes,
				     .budget_bytes = d->amount_bytes };
	/* One write of the round's amount: memory.reclaim loops in the kernel,
	 * and a v1 limit is in place only from the write's return to the
	 * restore, whatever the amount; a dry run then names that write. */
	struct reclaim_opts o = { .chunk_bytes = d->amount_bytes, .max_chunks = 4 };
	struct stat st;
	uint64_t limit;
	int dfd, rc;

	memset(res, 0, sizeof(*res));
	res->kept_slot = -1;
	/* The directory locked for the round, as every agent locks a cgroup it
	 * writes (ctx.h): another agent's cgroup is not ours to squeeze. */
	dfd = root_openat_strict(c->root.fd, dir, O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		return dfd;
	if (flock(dfd, LOCK_EX | LOCK_NB)) {
		close(dfd);
		return -ENOLCK;	/* held by another agent (EAGAIN is the busy journal) */
	}
	if (fstat(dfd, &st)) {
		rc = -errno;
		close(dfd);
		return rc;
	}
	f.dev = (uint64_t)st.st_dev;
	f.ino = (uint64_t)st.st_ino;
	f.usage_fd = memcg_file_open(c->root.fd, dir, version, MEMCG_F_USAGE, O_RDONLY);
	if (f.usage_fd < 0) {
		close(dfd);
		return f.usage_fd;
	}
	if (version == 2) {
		f.ctl_fd = memcg_file_open(c->root.fd, dir, 2, MEMCG_F_RECLAIM, O_WRONLY);
		rc = f.ctl_fd < 0 ? f.ctl_fd : 0;
		if (!rc) {
			f.ctl_is_regular = !is_cgroupfs(f.ctl_fd);
			rc = reclaim_v2_reclaim(&f, &plan, &o, res);
		}
	} else {
		f.ctl_fd = memcg_file_open(c->root.fd, dir, 1, MEMCG_F_LIMIT, O_RDWR);
		rc = f.ctl_fd < 0 ? f.ctl_fd : memcg_file_u64(f.ctl_fd, &limit);
		if (!rc) {
			f.ctl_is_regular = !is_cgroupfs(f.ctl_fd);
			plan.floor_bytes = d->v1_limit_bytes;
			if (!journal_take(c))
				rc = -EAGAIN;
			else {
				rc = reclaim_v1_squeeze(&c->journal, &f, limit, &plan, &o, res);
				journal_give(c);
			}
		}
	}
	if (f.ctl_fd >= 0)
		close(f.ctl_fd);
	close(f.usage_fd);
	close(dfd);	/* drops the lock */
	return rc;
}

static void guard_deadcharge(struct hr_ctx *c, const struct memcg_tree *t, const struct hr_findings *fs)
{
	struct hr_guards *g = c->node->guards;
	struct prom_guard *p = &g->prom.g[HR_GUARD_DEADCHARGE];
	const struct hr_guard_config *gc = &c->cfg.guard;
	bool d = dry(c, HR_GUARD_DEADCHARGE);
	uint64_t total = 0, now = clock_mono_ns();
	const char *decision = "hold";

	if (!t) {
		set_decision(g, HR_GUARD_DEADCHARGE, "unavailable");
		p->value = HR_UNSET;
		return;
	}
	for (size_t i = 0; i < fs->n; i++) {
		const struct hr_finding *f = &fs->items[i];
		if (strcmp(f->id, "memcg.dead_charges"))
			continue;
		const struct hr_fact *x = finding_fact(f, "dead_cache_bytes");
		const struct memcg_node *n = tree_find(t, f->subject);
		if (!x || x->type != HR_FACT_U64 || !n || fnmatch(gc->dc_match, f->subject, 0))
			continue;
		total = sat_add(total, x->v.u);
		char dir[HR_CG_REL_MAX];
		size_t bl = strlen(c->base);
		if ((size_t)snprintf(dir, sizeof(dir), "%s%s", t->mount, strcmp(n->path, "/") ? n->path : "") >=
		    sizeof(dir))
			continue;
		/* Below cgroup_root only: the journal replays nothing else. */
		if (bl && (strncmp(dir, c->base, bl) || (dir[bl] && dir[bl] != '/')))
			continue;
		if (managed(c, dir))
			continue;	/* its policy reclaims it; two writers would race */
		struct dc_parent *slot = dc_slot(g, dir);
		if (slot->last_ns && now - slot->last_ns < (uint64_t)gc->dc_interval_s * HR_NSEC_PER_SEC)
			continue;	/* rate bound */
		uint64_t usage = HR_UNSET;
		int ufd = memcg_file_open(c->root.fd, dir, t->version, MEMCG_F_USAGE, O_RDONLY);
		if (ufd >= 0) {
			if (memcg_file_u64(ufd, &usage))
				usage = HR_UNSET;
			close(ufd);
		}
		if (usage == HR_UNSET)
			continue;	/* removed since the pass: a normal race */
		struct deadcharge_guard_input in = {
			.version = t->version, .dead_estimate_bytes = x->v.u,
			.dying = t->version == 2 && n->has_cstat ? n->cstat.nr_dying_descendants : HR_UNSET,
			.parent_usage_bytes = usage, .parent_file_bytes = file_bytes(t, n),
		};
		struct deadcharge_guard_decision dd;
		struct deadcharge_guard_cfg dcfg = gc->dc;
		dcfg.page_bytes = page_size();
		if (deadcharge_guard_decide(&dcfg, &in, &dd) || dd.action == DEADCHARGE_HOLD)
			continue;
		decision = dd.action == DEADCHARGE_RECLAIM_V2 ? "reclaim_v2" : "squeeze_v1";
		slot->last_ns = now;
		p->actions[DC_A_RECLAIM]++;
		if (d) {
			if (would_new(g, HR_GUARD_DEADCHARGE, 0, dd.amount_bytes))
				hr_log(c, 5, "guard deadcharge: would write /%s/%s = %" PRIu64 " (%s; dead estimate "
				       "%" PRIu64 " bytes, usage %" PRIu64 "; mode observe)", dir,
				       t->version == 2 ? "memory.reclaim" : "memory.limit_in_bytes",
				       t->version == 2 ? dd.amount_bytes : usage - dd.amount_bytes, dd.reason, x->v.u,
				       usage);
			continue;
		}
		struct reclaim_res res;
		int rc = dc_round(c, dir, t->version, &dd, usage, &res);
		if (rc == -ENOLCK) {
			hr_log(c, 5, "guard deadcharge: /%s is locked by another headroom agent: left to it", dir);
			continue;
		}
		if (rc && rc != -EBUSY && rc != -EAGAIN) {
			c->st.errors++;
			hr_log(c, 3, "guard deadcharge: /%s: %s", dir, strerror(-rc));
			continue;
		}
		hr_log(c, 5, "guard deadcharge: /%s usage %" PRIu64 " -> %" PRIu64 " (asked %" PRIu64 ", dead "
		       "estimate %" PRIu64 "; %s; %s%s)", dir, usage, res.usage_after_bytes, dd.amount_bytes, x->v.u,
		       dd.reason, t->version == 2 ? "memory.reclaim" : "limit squeeze",
		       rc == -EBUSY ? ", stopped: EBUSY" : rc == -EAGAIN ? ", journal busy" : "");
	}
	p->value = total;
	set_decision(g, HR_GUARD_DEADCHARGE, decision);
}

bool guards_want_ct_dump(const struct hr_ctx *c)
{
	return c->node && c->node->guards && c->node->guards->ct_hot;
}

void guards_after_pass(struct hr_ctx *c)
{
	struct hr_node *n = c->node;
	struct prom_input in;

	if (!n || !n->guards)
		return;
	/* A reload may have switched a guard to observe: what it holds goes
	 * back now (an observing guard holds nothing). */
	for (int i = 0; i < HR_GUARD_N; i++) {
		n->guards->prom.g[i].mode = dry(c, i) ? "observe" : "act";
		if (dry(c, i))
			release(c, i, false, "now observing");
	}
	prom_pass_input(&n->pass[n->cur], &n->fs, &in);
	guard_conntrack(c, in.conntrack);
	guard_watermark(c, in.zones, &n->fs);
	guard_deadcharge(c, in.memcg, &n->fs);
}

/* Gives back the knobs of guard id (-1: every guard); why says when. */
static void release(struct hr_ctx *c, int id, bool lock, const char *when)
{
	struct hr_guards *g = c->node->guards;
	struct knob *ks[] = { &g->ct_knob, &g->wm_knob[0], &g->wm_knob[1], &g->pro_knob };
	static const int owner[] = { HR_GUARD_CONNTRACK, HR_GUARD_WATERMARK, HR_GUARD_WATERMARK,
				     HR_GUARD_WATERMARK };
	static const char *const what[] = {
		[JOURNAL_RESTORED] = "restored", [JOURNAL_ALREADY] = "already back",
		[JOURNAL_CHANGED] = "changed by someone else since, left alone", [JOURNAL_GONE] = "gone",
		[JOURNAL_FAILED] = "restore FAILED (kept for the next start)", [JOURNAL_REPLACED] = "replaced",
		[JOURNAL_REFUSED] = "refused",
	};

	if (c->journal.fd < 0)
		return;
	for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		if (!knob_held(ks[i]) || (id >= 0 && owner[i] != id))
			continue;
		enum journal_outcome o;
		const char *why;
		uint64_t orig = ks[i]->orig, wrote = ks[i]->wrote;
		if (lock && c->worker.inited)
			pthread_mutex_lock(&c->worker.journal_mu);
		else if (!lock && !journal_take(c))
			return;	/* the next pass */
		int rc = knob_release(&c->journal, &c->root, ks[i], &o, &why);
		if (c->worker.inited)
			pthread_mutex_unlock(&c->worker.journal_mu);
		hr_log(c, o == JOURNAL_FAILED ? 3 : 5, "guard %s: %s: /%s %" PRIu64 " -> %" PRIu64 ": %s%s%s",
		       config_guard_name((enum hr_guard_id)owner[i]), when, ks[i]->path, wrote, orig, what[o],
		       rc ? ": " : "", rc ? strerror(-rc) : "");
		if (owner[i] == HR_GUARD_CONNTRACK)
			memset(&g->ct, 0, sizeof(g->ct));
		else if (ks[i] == &g->pro_knob)
			g->pro_left = 0;
		else
			memset(&g->wm, 0, sizeof(g->wm));
	}
	c->journal_open = c->journal.open_entries;
}

void guards_stop(struct hr_ctx *c)
{
	if (c->node && c->node->guards)
		release(c, -1, true, "stop");	/* stopping: the worker is done */
}

void guards_fini(struct hr_ctx *c)
{
	if (!c->node)
		return;
	free(c->node->guards);
	c->node->guards = NULL;
}

const struct prom_guards *guards_prom(struct hr_ctx *c)
{
	return c->node && c->node->guards ? &c->node->guards->prom : NULL;
}
