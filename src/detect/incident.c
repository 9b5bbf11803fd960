/* incident.c - the explain engine: lines to open incidents to findings.
 * See incident.h for the contract; incident_build.c turns a closed
 * incident into its finding (facts, explanation, fix). */
#define _GNU_SOURCE
#include "detect/incident.h"

#include <stdio.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Words at least one line of every recognised message contains. Lines
 * without any of them are skipped unread while no report is open. */
static const char *const anchor_words[] = {
	"page allocation",	/* alloc failure / stall header */
	"oom-kill",		/* "invoked oom-killer", "oom-kill:constraint" */
	"of memory",		/* OOM kill lines, "TCP: out of memory" */
	"Killed process",	/* OOM victim line (3.10-5.0 has no prefix) */
	"socket memory",	/* "Out of socket memory" */
	"orphaned sockets",	/* "TCP: too many orphaned sockets" */
	" full",		/* "table full" (conntrack, expectations), "Route cache is full" */
	"SYN flood",		/* "Possible SYN flooding on port" */
	"blocked for more",	/* hung task */
	"nfs: server",		/* not responding / OK */
	"suppressed",		/* ratelimit summaries */
	"Unable to allocate",	/* SLUB/SLAB follow-up */
	"Linux version",	/* boot banner: kernel version for GFP decoding */
	"overflow",		/* "neighbor table overflow!", "dst cache overflow" */
	" nbd",			/* "block nbd0: ...", "dev nbd0", "on device nbd0" */
	" rbd",			/* "rbd: rbd0: ... result", "dev rbd0" */
	"connection",		/* iSCSI "connection1:0: detected conn error", "ping timeout" */
	": timeout ",		/* NVMe over fabrics "nvme nvme0: queue 1: timeout request ..." (not
				 * "nvme nvme": every NVMe boot prints "nvme nvme0: 8/0/0 ... queues") */
	"swap-device",		/* "Write-error on swap-device (43:0:...)" */
};
/* "last message repeated N times" has no anchor: the line after a burst
 * line is always read (explain_feed), and only there can it count. An
 * anchor that noise contains sends those lines down the slow path: with
 * "nvme nvme" (4% of bench/explain.sh's lines) and 24 anchors the bench ran
 * at 0.91 GB/s (cpu) against 1.2 GB/s before; with these 19 the best of
 * three runs was 1.31 GB/s, as before the new kinds (200 MB, this VM). */

/* Bit numbers of anchor_words, for anchors_mask(). */
enum {
	A_PAGE_ALLOC = 1u << 0, A_OOMKILL = 1u << 1, A_OFMEM = 1u << 2, A_KILLED = 1u << 3,
	A_SOCKMEM = 1u << 4, A_ORPHAN = 1u << 5, A_TABLEFULL = 1u << 6, A_SYN = 1u << 7,
	A_BLOCKED = 1u << 8, A_NFS = 1u << 9, A_SUPP = 1u << 10, A_UNABLE = 1u << 11,
	A_LINUXVER = 1u << 12, A_OVERFLOW = 1u << 13, A_NBD = 1u << 14, A_RBD = 1u << 15,
	A_CONNECTION = 1u << 16, A_NVME = 1u << 17, A_SWAPDEV = 1u << 18,
	A_NETBLK = A_NBD | A_RBD | A_CONNECTION | A_NVME | A_SWAPDEV,
};

void explain_init(struct hr_explain *x, hr_emit_fn emit, void *arg)
{
	memset(x, 0, sizeof(*x));
	x->emit = emit;
	x->emit_arg = arg;
	x->last_net_kind = -1;
	anchors_init(&x->anchors, anchor_words, sizeof(anchor_words) / sizeof(anchor_words[0]));
}

static bool traced(enum hr_incident_kind k)
{
	return k == HR_INC_ALLOC_FAILURE || k == HR_INC_OOM_KILL ||
	       k == HR_INC_HUNG_TASK_NETSTORAGE || k == HR_INC_SLAB_ALLOC_FAILURE;
}

/* The storage a frame names, kept with the frame that decided it. */
static void set_storage(struct ex_open *o, const struct ex_frame *fr)
{
	const char *s = incident_storage_of(fr);
	if (!s)
		return;
	snprintf(o->storage, sizeof(o->storage), "%s", s);
	if (fr->module[0])
		snprintf(o->storage_frame, sizeof(o->storage_frame), "%s [%s]", fr->func, fr->module);
	else
		snprintf(o->storage_frame, sizeof(o->storage_frame), "%s", fr->func);
}

static void close_inc(struct hr_explain *x, struct ex_open *o)
{
	if (!o->used)
		return;
	o->used = false;
	if (traced(o->kind))
		x->ntraced--;
	/* Old kernels mark every frame "?": fall back to those. */
	for (unsigned i = 0; i < o->nframes && !o->storage[0]; i++)
		set_storage(o, &o->frames[i]);
	if (o->kind == HR_INC_HUNG_TASK_NETSTORAGE && !o->storage[0]) {
		x->st.hung_other++;	/* not a network-storage path: not ours */
		return;
	}
	x->st.incidents[o->kind]++;
	struct ex_ctx ctx = {
		.wall_fn = x->wall_fn, .wall_arg = x->wall_arg, .boot_usec = x->boot_usec,
		.kmajor = x->kmajor, .kminor = x->kminor, .kernel = x->kernel,
	};
	incident_build(&ctx, o, &x->scratch);
	if (x->emit)
		x->emit(x->emit_arg, &x->scratch);
}

static void copy_span(char *dst, size_t cap, struct hr_span s)
{
	if (!s.len || !s.p)
		dst[0] = '\0';
	else
		span_copy(s, dst, cap);
}

static struct ex_open *open_inc(struct hr_explain *x, enum hr_incident_kind k,
				const struct hr_logline *ll)
{
	struct ex_open *o = NULL;
	for (unsigned i = 0; i < EXPLAIN_OPEN_MAX && !o; i++)
		if (!x->open[i].used)
			o = &x->open[i];
	if (!o) {
		/* Full: the oldest report is emitted as it stands. */
		o = &x->open[0];
		for (unsigned i = 1; i < EXPLAIN_OPEN_MAX; i++)
			if (x->open[i].serial < o->serial)
				o = &x->open[i];
		x->st.evicted++;
		close_inc(x, o);
	}
	memset(o, 0, sizeof(*o));
	o->used = true;
	o->kind = k;
	o->serial = ++x->serial;
	o->pid = -1;
	o->victim_pid = -1;
	o->oom_order = -2;
	o->netns = -1;
	o->usage_kb = o->limit_kb = o->failcnt = HR_UNSET;
	o->total_vm_kb = o->anon_kb = o->file_kb = o->shmem_kb = HR_UNSET;
	o->score = HR_UNSET;
	snprintf(o->caller, sizeof(o->caller), "%s", ll->caller);
	copy_span(o->host, sizeof(o->host), ll->host);
	o->ts_kind = ll->ts_kind;
	o->first_ts = o->last_ts = ll->ts_usec;
	o->wall_first = o->wall_last = ll->wall;
	o->opened_line = x->st.lines_seen;
	if (traced(k))
		x->ntraced++;
	return o;
}

static bool same_source(const struct ex_open *o, const struct hr_logline *ll)
{
	if (o->caller[0] && ll->caller[0] && strcmp(o->caller, ll->caller))
		return false;
	/* A paste may lose the syslog prefix of some lines: only two
	 * different host names separate reports. */
	if (o->host[0] && ll->host.len) {
		if (strlen(o->host) != ll->host.len || memcmp(o->host, ll->host.p, ll->host.len))
			return false;
	}
	return true;
}

/* The newest open report of kind k that this line may belong to. */
static struct ex_open *find_open(struct hr_explain *x, enum hr_incident_kind k,
				 const struct hr_logline *ll)
{
	struct ex_open *best = NULL;
	for (unsigned i = 0; i < EXPLAIN_OPEN_MAX; i++) {
		struct ex_open *o = &x->open[i];
		if (o->used && o->kind == k && same_source(o, ll) && (!best || o->serial > best->serial))
			best = o;
	}
	return best;
}

static void touch(struct ex_open *o, const struct hr_logline *ll)
{
	o->foreign = 0;
	if (ll->wall.kind != HR_WALL_NONE) {
		if (o->wall_first.kind == HR_WALL_NONE)
			o->wall_first = ll->wall;
		o->wall_last = ll->wall;
	}
	if (ll->ts_kind != HR_TS_NONE && ll->ts_kind == o->ts_kind)
		o->last_ts = ll->ts_usec;
	else if (o->ts_kind == HR_TS_NONE && ll->ts_kind != HR_TS_NONE) {
		o->ts_kind = ll->ts_kind;
		o->first_ts = o->last_ts = ll->ts_usec;
	}
}

static bool starts(struct hr_span t, const char *p)
{
	return span_starts_with(t, p);
}

static bool has(struct hr_span t, const char *p)
{
	return span_find(t, p) >= 0;
}

/* The text after `word`, found at t.p[at] (at 0: a prefix): no offsets
 * counted by hand. */
static struct hr_span after(struct hr_span t, long at, const char *word)
{
	size_t n = (size_t)at + strlen(word);
	return n <= t.len ? (struct hr_span){ t.p + n, t.len - n } : (struct hr_span){ t.p + t.len, 0 };
}

static bool fn_is(struct hr_span f, const char *name)
{
	size_t n = strlen(name);
	/* "warn_alloc.cold.45" and "_nfs4_do_open.isra.0" are the same function. */
	return f.len >= n && !memcmp(f.p, name, n) && (f.len == n || f.p[n] == '.');
}

static bool fn_has_prefix(struct hr_span f, const char *p)
{
	return span_starts_with(f, p);
}

/* Frames that only say "an allocation failed / a report is printed". */
static bool helper_frame(struct hr_span f)
{
	static const char *const pre[] = {
		"dump_stack", "show_stack", "dump_backtrace", "show_trace", "warn_alloc",
		"__alloc_pages", "alloc_pages", "__get_free_pages", "get_page_from_freelist",
		"kmem_cache_alloc", "__kmem_cache_alloc", "__kmalloc", "kmalloc",
		"cache_alloc_refill", "cache_grow_begin", "fallback_alloc", "____cache_alloc",
		"allocate_slab", "new_slab", "___slab_alloc", "__slab_alloc", "slab_alloc",
		"T.", "dump_header", "oom_kill_process", "out_of_memory", "__schedule",
		"schedule", "io_schedule", "__alloc_skb", "kmem_getpages", "cache_grow",
		"unwind_backtrace",
		"alloc_slab_page", "kmalloc_reserve", "__kmalloc_node_track_caller",
		"__kmalloc_track_caller", "kmem_cache_alloc_node", "page_frag_alloc",
		"__page_frag_alloc", "__alloc_frozen_pages", "alloc_frozen_pages",
		"folio_alloc", "__folio_alloc", "trace_dump_stack",
	};
	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		if (fn_has_prefix(f, pre[i]))
			return true;
	return false;
}

static void add_frame(struct ex_open *o, const struct klog_frame *fr)
{
	struct hr_span f = fr->func;
	if (fn_is(f, "__do_softirq") || fn_is(f, "net_rx_action") || fn_is(f, "run_ksoftirqd") ||
	    fn_is(f, "do_softirq") || fn_is(f, "handle_softirqs") || fn_is(f, "__irq_exit_rcu") ||
	    fn_is(f, "irq_exit") || fn_is(f, "irq_exit_rcu"))
		o->softirq = true;
	if (fn_is(f, "handle_irq_event") || fn_is(f, "__handle_irq_event_percpu") ||
	    fn_is(f, "handle_irq_event_percpu") || fn_is(f, "handle_edge_irq") ||
	    fn_is(f, "handle_fasteoi_irq") || fn_is(f, "__handle_domain_irq") ||
	    fn_is(f, "generic_handle_domain_irq"))
		o->hardirq = true;	/* inside an interrupt handler itself */
	if (o->nframes >= EXPLAIN_FRAMES_MAX || helper_frame(f))
		return;
	struct ex_frame *e = &o->frames[o->nframes++];
	copy_span(e->func, sizeof(e->func), f);
	copy_span(e->module, sizeof(e->module), fr->module);
	e->unreliable = fr->unreliable;
	if (!o->storage[0] && !fr->unreliable)
		set_storage(o, e);
}

static struct ex_zone *zone_slot(struct ex_open *o, int node, const char *zone)
{
	for (unsigned i = 0; i < o->nzones; i++)
		if (o->zones[i].node == node && !strcmp(o->zones[i].zone, zone))
			return &o->zones[i];
	if (o->nzones == EXPLAIN_ZONES_MAX)
		return NULL;
	struct ex_zone *z = &o->zones[o->nzones++];
	memset(z, 0, sizeof(*z));
	z->node = node;
	snprintf(z->zone, sizeof(z->zone), "%s", zone);
	z->free_kb = z->min_kb = z->low_kb = z->high_kb = HR_UNSET;
	z->largest = -2;
	return z;
}

/* show_mem lines we recognise without using them. */
static bool meminfo_noise(struct hr_span t)
{
	static const char *const pre[] = {
		"active_anon:", "Node ", "lowmem_reserve[]", "free:", "Free pages:", "Active:",
		"DMA per-cpu", "DMA32 per-cpu", "Normal per-cpu", "HighMem per-cpu", "cpu ",
		"Swap cache", "Free swap", "Total swap", "DMA32: empty", "DMA: empty",
		"HighMem: empty", "Movable: empty", "Unreclaimable slab", "Name ", "hugepages",
		"active_file:", "unevictable:", "slab_reclaimable:", "mapped:", "isolated_",
		"Normal: empty", "warn_alloc_show_mem", "Mem-Info:", "Mem-info:", "Show Memory",
		"Tasks state", "Memory cgroup stats", "memory+swap:", "kmem:", "swap: usage",
		"memory: usage", "Task in ", "oom_reaper:",
	};
	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		if (starts(t, pre[i]))
			return true;
	/* "1926939 total pagecache pages", "59006 pages reserved" */
	return t.len && t.p[0] >= '0' && t.p[0] <= '9' && has(t, " pages");
}

static void note_version(struct hr_explain *x, struct ex_open *o, const struct klog_kver *v)
{
	if (!v->release[0])
		return;
	x->kmajor = v->major;
	x->kminor = v->minor;
	snprintf(x->kernel, sizeof(x->kernel), "%s", v->release);
	if (o) {
		o->kmajor = v->major;
		o->kminor = v->minor;
		snprintf(o->kernel, sizeof(o->kernel), "%s", v->release);
		if (o->pid < 0 && v->pid >= 0)
			o->pid = v->pid;
		if (!o->comm[0] && v->comm.len)
			copy_span(o->comm, sizeof(o->comm), v->comm);
	}
}

/* The lines after "SLUB: Unable to allocate memory": the cache, then one
 * line per node. A later report of the same burst names its cache too. */
static bool slab_take(struct ex_open *o, struct hr_span t)
{
	struct klog_slub_cache c;
	struct klog_slub_node n;

	if (!klog_slub_cache_parse(t, &c)) {
		char name[48];
		copy_span(name, sizeof(name), c.name);
		bool seen = false;
		for (unsigned i = 0; i < o->slab_ncaches && i < 4; i++)
			seen |= !strcmp(o->slab_caches[i], name);
		if (!seen) {
			if (o->slab_ncaches < 4)
				snprintf(o->slab_caches[o->slab_ncaches], sizeof(o->slab_caches[0]), "%s", name);
			o->slab_ncaches++;
		}
		if (!o->slub_cache[0]) {
			snprintf(o->slub_cache, sizeof(o->slub_cache), "%s", name);
			copy_span(o->slab_memcg, sizeof(o->slab_memcg), c.memcg);
			o->slab_obj_size = c.object_size;
			o->slab_buf_size = c.buffer_size;
			o->slab_order = c.default_order;
			o->slab_min_order = c.min_order;
		}
		return true;
	}
	if (!klog_slub_node_parse(t, &n)) {
		if (!o->slab_first_done) {
			o->slab_nodes++;
			o->slab_slabs = sat_add(o->slab_slabs, n.slabs);
			o->slab_objs = sat_add(o->slab_objs, n.objs);
			o->slab_free = sat_add(o->slab_free, n.free);
		}
		return true;
	}
	return false;
}

/* A line offered to an open traced report. True if it is part of it. */
static bool take_line(struct hr_explain *x, struct ex_open *o, const struct hr_logline *ll)
{
	struct hr_span t = ll->text;
	struct klog_frame fr;

	if (o->kind == HR_INC_SLAB_ALLOC_FAILURE)
		return slab_take(o, t);
	if (!klog_frame_parse(t, &fr)) {
		if (o->ended)
			return false;
		add_frame(o, &fr);
		o->in_trace = true;
		return true;
	}
	if (starts(t, "<IRQ>")) {
		o->in_irq = true;
		return true;
	}
	if (starts(t, "Workqueue: ")) {
		copy_span(o->workqueue, sizeof(o->workqueue), span_trim(after(t, 0, "Workqueue: ")));
		return true;
	}
	if (starts(t, "CPU: ") || starts(t, "Pid: ") || starts(t, "Tainted: ") ||
	    starts(t, "Not tainted ")) {
		struct klog_kver v;
		if (!klog_kver_parse(t, &v))
			note_version(x, o, &v);
		return true;
	}
	if (o->kind == HR_INC_OOM_KILL) {
		struct klog_memcg_usage u;
		unsigned cols;
		struct klog_task_row row;
		if (!klog_memcg_usage_parse(t, &u)) {
			o->usage_kb = u.usage_kb;
			o->limit_kb = u.limit_kb;
			o->failcnt = u.failcnt;
			o->memcg_scope = true;
			return true;
		}
		/* v1 prints "memory+swap:" and "kmem:" after "memory:"; v2 (5.x+)
		 * prints "swap: usage" (mm/memcontrol.c mem_cgroup_print_oom_meminfo). */
		if (starts(t, "memory+swap: usage") || starts(t, "kmem: usage")) {
			snprintf(o->cgroup_version, sizeof(o->cgroup_version), "v1");
			return true;
		}
		if (starts(t, "swap: usage")) {
			snprintf(o->cgroup_version, sizeof(o->cgroup_version), "v2");
			return true;
		}
		if (starts(t, "Task in ")) {
			/* <=4.20: "Task in /a/b killed as a result of limit of /a" */
			static const char lim[] = " killed as a result of limit of ";
			struct hr_span task = after(t, 0, "Task in ");
			long k = span_find(task, lim);
			if (k > 0) {
				copy_span(o->task_memcg, sizeof(o->task_memcg),
					  (struct hr_span){ task.p, (size_t)k });
				copy_span(o->memcg, sizeof(o->memcg), after(task, k, lim));
				o->memcg_scope = true;
			}
			return true;
		}
		if (!klog_task_header_parse(t, &cols)) {
			o->task_cols = cols;
			return true;
		}
		if (o->task_cols && !klog_task_row_parse(t, o->task_cols, &row)) {
			/* Keep the EXPLAIN_TASKS_TOP largest by rss. */
			unsigned n = o->ntasks < EXPLAIN_TASKS_TOP ? o->ntasks : EXPLAIN_TASKS_TOP;
			unsigned at = n;
			while (at > 0 && o->top[at - 1].rss_pages < row.rss_pages)
				at--;
			if (at < EXPLAIN_TASKS_TOP) {
				for (unsigned k = (n < EXPLAIN_TASKS_TOP ? n : EXPLAIN_TASKS_TOP - 1); k > at; k--)
					o->top[k] = o->top[k - 1];
				o->top[at].pid = row.pid;
				o->top[at].rss_pages = row.rss_pages;
				copy_span(o->top[at].comm, sizeof(o->top[at].comm), row.comm);
			}
			o->ntasks++;
			return true;
		}
		if (has(t, " cpuset=") && has(t, "mems_allowed="))
			return true;	/* "comm cpuset=/ mems_allowed=0" (3.x-4.20) */
		if (starts(t, "Memory cgroup stats") || o->memcg_scope) {
			/* v1 one-line stats, v2 "anon 32845824" key/value lines */
			size_t k = 0;
			while (k < t.len && ((t.p[k] >= 'a' && t.p[k] <= 'z') || t.p[k] == '_'))
				k++;
			if (k > 0 && k + 1 < t.len && t.p[k] == ' ' && t.p[k + 1] >= '0' && t.p[k + 1] <= '9')
				return true;
			if (starts(t, "memory ") && has(t, "(max "))
				return true;	/* proposed 4.18 cgroup2 form */
		}
	}
	if (o->kind != HR_INC_HUNG_TASK_NETSTORAGE) {
		struct klog_zone z;
		struct klog_buddy b;
		if (starts(t, "Mem-Info:") || starts(t, "Mem-info:")) {
			o->meminfo = true;
			return true;
		}
		if (!klog_zone_parse(t, &z)) {
			struct ex_zone *e = zone_slot(o, z.node, z.zone);
			if (e) {
				e->free_kb = z.free_kb;
				e->min_kb = z.min_kb;
				e->low_kb = z.low_kb;
				e->high_kb = z.high_kb;
			}
			return true;
		}
		if (!klog_buddy_parse(t, &b)) {
			struct ex_zone *e = zone_slot(o, b.node, b.zone);
			if (e) {
				e->largest = b.largest;
				e->norders = b.norders;
				memcpy(e->count, b.count, sizeof(e->count));
			}
			return true;
		}
		if (has(t, "pages hwpoisoned") || has(t, "pages non-shared")) {
			if (o->kind == HR_INC_ALLOC_FAILURE)
				o->ended = true;
			return true;
		}
		if (starts(t, "SLUB: Unable to allocate memory") || starts(t, "SLAB: Unable to allocate memory")) {
			return true;
		}
		if (starts(t, "cache: ") && o->kind == HR_INC_ALLOC_FAILURE) {
			struct hr_span r = after(t, 0, "cache: ");
			size_t k = 0;
			while (k < r.len && r.p[k] != ',')
				k++;
			copy_span(o->slub_cache, sizeof(o->slub_cache), (struct hr_span){ r.p, k });
			return true;
		}
		if (starts(t, "node ") && has(t, "slabs:"))
			return true;
		if (meminfo_noise(t) && (o->meminfo || o->kind == HR_INC_OOM_KILL))
			return true;
	}
	if (o->kind == HR_INC_HUNG_TASK_NETSTORAGE) {
		if (starts(t, "\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\"") ||
		    starts(t, "task:") || starts(t, "ppid:") || starts(t, "flags:")) {
			return true;
		}
		/* 2.6-5.x: "iscsi_np        D14304  8387      2 0x80004084" */
		if (!o->in_trace && o->comm[0] && starts(t, o->comm))
			return true;
		if (starts(t, "</TASK>")) {
			o->ended = true;
			return true;
		}
	}
	if (klog_is_report_noise(t))
		return !o->ended || o->kind != HR_INC_ALLOC_FAILURE;
	return false;
}

static void close_kind(struct hr_explain *x, enum hr_incident_kind k, const struct hr_logline *ll)
{
	struct ex_open *o;
	while ((o = find_open(x, k, ll)))
		close_inc(x, o);
}

/* Re-parse from a timestamp glued into the middle of a line, as when two
 * CPUs wrote to the console at once:
 * "[  657.060922][ T3384]  ? page_[  659.105948][ T3124] kworker/2:1H: page allocation failure: ..." */
static bool resync(const char *line, size_t len, struct hr_span comm, struct hr_logline *ll)
{
	for (size_t i = comm.len; i-- > 0;) {
		if (comm.p[i] != '[')
			continue;
		struct hr_logline again;
		size_t off = (size_t)(comm.p + i - line);
		logline_parse(line + off, len - off, &again);
		if (again.ts_kind != HR_TS_NONE || again.caller[0]) {
			*ll = again;
			return true;
		}
	}
	return false;
}

static void alloc_header(struct hr_explain *x, const char *line, size_t len, struct hr_logline *ll)
{
	struct klog_alloc a;
	if (klog_alloc_parse(ll->text, &a))
		return;
	if (memchr(a.comm.p, '[', a.comm.len) && resync(line, len, a.comm, ll) &&
	    klog_alloc_parse(ll->text, &a))
		return;
	/* The same header twice before any line of the report (a console
	 * echo, or two CPUs' copies cut apart as in 4.9 dcache #3787): one report. */
	struct ex_open *prev = find_open(x, HR_INC_ALLOC_FAILURE, ll);
	if (prev && !prev->nframes && !prev->nzones && !prev->kernel[0] &&
	    (prev->host[0] != '\0') == (ll->host.len != 0) &&
	    prev->order == a.order && prev->mask == a.mask &&
	    (!prev->comm[0] || !a.comm.len ||
	     (strlen(prev->comm) == a.comm.len && !memcmp(prev->comm, a.comm.p, a.comm.len))) &&
	    (ll->ts_kind == HR_TS_NONE || prev->ts_kind != ll->ts_kind ||
	     (ll->ts_usec - prev->last_ts <= 1000000 && prev->last_ts - ll->ts_usec <= 1000000))) {
		if (!prev->comm[0])
			copy_span(prev->comm, sizeof(prev->comm), a.comm);
		touch(prev, ll);
		return;
	}
	close_kind(x, HR_INC_ALLOC_FAILURE, ll);
	struct ex_open *o = open_inc(x, HR_INC_ALLOC_FAILURE, ll);
	copy_span(o->comm, sizeof(o->comm), a.comm);
	o->order = a.order;
	o->mask = a.mask;
	o->mask_set = true;
	copy_span(o->names, sizeof(o->names), a.names);
	copy_span(o->nodemask, sizeof(o->nodemask), a.nodemask);
	o->stall = a.stall;
	o->stall_ms = a.stall_ms;
	o->suppressed_before = x->pending_alloc;
	x->pending_alloc = 0;
}

static struct ex_open *oom_target(struct hr_explain *x, struct hr_logline *ll)
{
	struct ex_open *o = find_open(x, HR_INC_OOM_KILL, ll);
	return o ? o : open_inc(x, HR_INC_OOM_KILL, ll);
}

static bool oom_lines(struct hr_explain *x, struct hr_logline *ll)
{
	struct hr_span t = ll->text;
	struct klog_oom_hdr h;
	struct klog_oom_cons c;
	struct klog_oom_kill k;

	if (has(t, " invoked oom-killer: ")) {
		if (klog_oom_hdr_parse(t, &h))
			return false;
		close_kind(x, HR_INC_OOM_KILL, ll);
		struct ex_open *o = open_inc(x, HR_INC_OOM_KILL, ll);
		copy_span(o->comm, sizeof(o->comm), h.comm);
		o->mask = h.mask;
		o->mask_set = true;
		copy_span(o->names, sizeof(o->names), h.names);
		o->oom_order = h.order;
		o->score_adj = h.score_adj;
		return true;
	}
	if (starts(t, "oom-kill:")) {
		if (klog_oom_cons_parse(t, &c))
			return false;
		struct ex_open *o = oom_target(x, ll);
		copy_span(o->constraint, sizeof(o->constraint), c.constraint);
		if (c.oom_memcg.len)
			copy_span(o->memcg, sizeof(o->memcg), c.oom_memcg);
		if (c.task_memcg.len)
			copy_span(o->task_memcg, sizeof(o->task_memcg), c.task_memcg);
		if (c.global)
			o->global_scope = true;
		if (c.pid >= 0)
			o->victim_pid = c.pid;
		if (c.task.len && !o->victim[0])
			copy_span(o->victim, sizeof(o->victim), c.task);
		touch(o, ll);
		return true;
	}
	/* mm/oom_kill.c out_of_memory(), 4.6+: nothing could be chosen
	 * (all unkillable or oom_score_adj -1000); a global OOM then panics
	 * "System is deadlocked on memory". The report ends here. */
	if (starts(t, "Out of memory and no killable processes")) {
		struct ex_open *o = oom_target(x, ll);
		o->no_killable = true;
		touch(o, ll);
		close_inc(x, o);
		return true;
	}
	if (!klog_oom_kill_parse(t, &k)) {
		struct ex_open *o = oom_target(x, ll);
		if (k.scope == KLOG_OOM_MEMCG)
			o->memcg_scope = true;
		else if (k.scope == KLOG_OOM_GLOBAL)
			o->global_scope = true;
		if (!k.final || o->victim_pid < 0 || !k.has_rss || o->victim_pid == k.pid) {
			o->victim_pid = k.pid;
			copy_span(o->victim, sizeof(o->victim), k.comm);
		}
		if (k.score != HR_UNSET)
			o->score = k.score;
		if (k.final) {
			o->victim_pid = k.pid;
			copy_span(o->victim, sizeof(o->victim), k.comm);
			if (k.has_rss) {
				o->victim_rss = true;
				o->total_vm_kb = k.total_vm_kb;
				o->anon_kb = k.anon_kb;
				o->file_kb = k.file_kb;
				o->shmem_kb = k.shmem_kb;
			}
			touch(o, ll);
			close_inc(x, o);
		} else {
			touch(o, ll);
		}
		return true;
	}
	return false;
}

static bool gap_exceeded(const struct ex_open *o, const struct hr_logline *ll, int64_t window_usec)
{
	if (ll->ts_kind == HR_TS_NONE || ll->ts_kind != o->ts_kind)
		return false;
	int64_t d = ll->ts_usec - o->last_ts;
	return d < 0 || d > window_usec;
}

/* Lines of a burst kind further apart than this are two incidents:
 * conntrack and socket memory messages are rate limited to one per 5 s
 * at most, so 60 s of silence ends them; SYN flood warnings are printed
 * once per listener per flood (6 h); an NFS outage may last long (1 h). */
static int64_t burst_window_usec(enum hr_incident_kind k)
{
	switch (k) {
	case HR_INC_SYN_FLOOD: return 6 * 3600 * 1000000LL;
	case HR_INC_NFS_NOT_RESPONDING: return 3600 * 1000000LL;
	default: return 60 * 1000000LL;
	}
}

static struct ex_open *burst(struct hr_explain *x, enum hr_incident_kind k,
			     const struct hr_logline *ll, const char *key)
{
	int64_t window_usec = burst_window_usec(k);
	struct ex_open *best = NULL;
	for (unsigned i = 0; i < EXPLAIN_OPEN_MAX; i++) {
		struct ex_open *o = &x->open[i];
		if (o->used && o->kind == k && same_source(o, ll) && !strcmp(o->key, key))
			best = o;
	}
	if (best && gap_exceeded(best, ll, window_usec)) {
		close_inc(x, best);
		best = NULL;
	}
	if (!best) {
		best = open_inc(x, k, ll);
		snprintf(best->key, sizeof(best->key), "%s", key);
	}
	touch(best, ll);
	best->lines++;
	return best;
}

static void net_ratelimited(struct hr_explain *x, struct ex_open *o, const struct hr_logline *ll)
{
	/* "net_ratelimit: N callbacks suppressed" printed just before this
	 * burst counts messages of the same rate limiter that were dropped. */
	if (x->pending_net) {
		bool near = ll->ts_kind == HR_TS_NONE ||
			    (ll->ts_usec - x->pending_net_ts >= 0 &&
			     ll->ts_usec - x->pending_net_ts <= 10 * 1000000LL);
		if (near)
			o->suppressed += x->pending_net;
		x->pending_net = 0;
	}
	x->last_net_kind = (int)o->kind;
}

static void set_form(struct ex_open *o, const char *form)
{
	if (!o->form[0])
		snprintf(o->form, sizeof(o->form), "%s", form);
}

static bool net_lines(struct hr_explain *x, struct hr_logline *ll)
{
	struct hr_span t = ll->text;

	/* 2.6.9-2.6.x "ip_conntrack: table full, dropping packet."
	 * 2.6.32-4.8 "nf_conntrack: table full, dropping packet[.]"
	 * 4.9+ "nf_conntrack: nf_conntrack: table full, dropping packet"
	 * 6.18 "nf_conntrack: nf_conntrack: table full in netns 4026531840, dropping packet" */
	long tf = span_find(t, "table full");
	if (tf >= 0 && has(t, "dropping packet") &&
	    (starts(t, "nf_conntrack: ") || starts(t, "ip_conntrack: "))) {
		char key[32] = "";
		int64_t netns = -1;
		long ns = span_find(t, "in netns ");
		if (ns >= 0) {
			size_t used;
			struct hr_span r = after(t, ns, "in netns ");
			if (!parse_i64(r.p, r.len, &netns, &used))
				snprintf(key, sizeof(key), "%lld", (long long)netns);
		}
		struct ex_open *o = burst(x, HR_INC_CONNTRACK_FULL, ll, key);
		o->netns = netns;
		if (starts(t, "nf_conntrack: nf_conntrack: "))
			set_form(o, "nf_conntrack: nf_conntrack:");
		else if (starts(t, "ip_conntrack: "))
			set_form(o, "ip_conntrack:");
		else
			set_form(o, "nf_conntrack:");
		net_ratelimited(x, o, ll);
		x->prev_serial = o->serial;
		return true;
	}
	unsigned sub = 0;
	if (starts(t, "TCP: out of memory") || starts(t, "TCP: TCP: out of memory"))
		sub = 1;
	else if (starts(t, "Out of socket memory") || starts(t, "TCP: Out of socket memory"))
		sub = 2;
	else if (has(t, "too many orphaned sockets") || has(t, "too many of orphaned sockets"))
		sub = 4;
	if (sub) {
		struct ex_open *o = burst(x, HR_INC_SOCKET_MEMORY, ll, "");
		o->subkind |= sub;
		net_ratelimited(x, o, ll);
		x->prev_serial = o->serial;
		return true;
	}
	/* 4.4+: "TCP: request_sock_TCP: Possible SYN flooding on port 8080. Sending cookies.  Check SNMP counters."
	 * 3.x: "TCP: TCP: Possible SYN flooding on port 4646. Dropping request.  Check SNMP counters."
	 * 2.6: "possible SYN flooding on port 80. Sending cookies." */
	static const char syn[] = "ossible SYN flooding on port ";
	long sf = span_find(t, syn);
	if (sf >= 0) {
		struct ex_open *o = burst(x, HR_INC_SYN_FLOOD, ll, "");
		struct hr_span r = after(t, sf, syn);
		size_t k = 0;
		while (k < r.len && r.p[k] >= '0' && r.p[k] <= '9' && k < 8)
			k++;
		char port[12];
		copy_span(port, sizeof(port), (struct hr_span){ r.p, k });
		bool seen = false;
		for (size_t off = 0; off < o->ports_len; off += strlen(o->ports + off) + 1)
			seen |= !strcmp(o->ports + off, port);
		if (!seen && k && o->ports_len + k + 1 <= sizeof(o->ports)) {
			memcpy(o->ports + o->ports_len, port, k + 1);
			o->ports_len += k + 1;
		}
		if (has(r, "Dropping request"))
			o->dropping = true;
		if (has(r, "Sending cookies"))
			o->cookies = true;
		x->prev_serial = o->serial;
		return true;
	}
	/* fs/nfs/client.c, all versions: "nfs: server %s not responding, still trying",
	 * "... not responding, timed out", "nfs: server %s OK". */
	if (starts(t, "nfs: server ")) {
		struct hr_span r = after(t, 0, "nfs: server ");
		size_t k = 0;
		while (k < r.len && r.p[k] != ' ')
			k++;
		char server[64];
		copy_span(server, sizeof(server), (struct hr_span){ r.p, k });
		struct hr_span rest = { r.p + k, r.len - k };
		bool notresp = span_starts_with(rest, " not responding");
		bool ok = span_starts_with(rest, " OK");
		if (!notresp && !ok)
			return false;
		struct ex_open *o = NULL;
		for (unsigned i = 0; i < EXPLAIN_OPEN_MAX; i++)
			if (x->open[i].used && x->open[i].kind == HR_INC_NFS_NOT_RESPONDING &&
			    same_source(&x->open[i], ll) && !strcmp(x->open[i].key, server))
				o = &x->open[i];
		if (ok) {
			if (o) {	/* "OK" without an outage in view is not an incident */
				if (!o->recovered)
					o->ok_ts = ll->ts_usec;
				o->recovered = true;
				touch(o, ll);
			}
			return true;
		}
		if (o && (o->recovered || gap_exceeded(o, ll, burst_window_usec(HR_INC_NFS_NOT_RESPONDING)))) {
			close_inc(x, o);
			o = NULL;
		}
		if (!o) {
			o = open_inc(x, HR_INC_NFS_NOT_RESPONDING, ll);
			snprintf(o->key, sizeof(o->key), "%s", server);
		}
		touch(o, ll);
		o->lines++;
		if (has(rest, "timed out"))
			o->dropping = true;	/* soft mount gave up: I/O errors */
		return true;
	}
	return false;
}

static void suppressed_line(struct hr_explain *x, const struct hr_logline *ll)
{
	struct klog_suppressed s;
	if (klog_suppressed_parse(ll->text, &s))
		return;
	if (span_eq(s.who, "warn_alloc")) {
		x->pending_alloc = sat_add(x->pending_alloc, s.count);
		return;
	}
	/* Rate limiters of one kind: slab_out_of_memory's own (mm/slub.c), the
	 * block layer's and buffer_io_error's (nbd/rbd errors). */
	static const struct {
		const char *who;
		enum hr_incident_kind k;
	} own[] = {
		{ "slab_out_of_memory", HR_INC_SLAB_ALLOC_FAILURE },
		{ "blk_update_request", HR_INC_NETBLOCK_IO_ERROR },
		{ "print_req_error", HR_INC_NETBLOCK_IO_ERROR },
		{ "buffer_io_error", HR_INC_NETBLOCK_IO_ERROR },
		{ "end_swap_bio_write", HR_INC_NETBLOCK_IO_ERROR },
		{ "__end_swap_bio_write", HR_INC_NETBLOCK_IO_ERROR },
		{ "end_swap_bio_read", HR_INC_NETBLOCK_IO_ERROR },
		{ "__end_swap_bio_read", HR_INC_NETBLOCK_IO_ERROR },
	};
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		if (!span_eq(s.who, own[i].who))
			continue;
		struct ex_open *o = find_open(x, own[i].k, ll);
		if (o && (ll->ts_kind == HR_TS_NONE || ll->ts_kind != o->ts_kind ||
			  (ll->ts_usec - o->last_ts >= 0 && ll->ts_usec - o->last_ts <= 10 * 1000000LL))) {
			o->suppressed = sat_add(o->suppressed, s.count);
		} else {
			x->pending_kind[own[i].k] = sat_add(x->pending_kind[own[i].k], s.count);
			x->pending_kind_ts[own[i].k] = ll->ts_usec;
		}
		return;
	}
	/* 2.6 net_ratelimit() is printk's limiter: "printk: N messages suppressed." */
	if (!span_eq(s.who, "net_ratelimit") && !span_eq(s.who, "__ratelimit") && !span_eq(s.who, "NET") &&
	    !span_eq(s.who, "printk"))
		return;
	/* After a burst (within 10 s): it counts that burst's dropped lines.
	 * Otherwise it is held for the next net burst. */
	if (x->last_net_kind >= 0) {
		struct ex_open *o = find_open(x, (enum hr_incident_kind)x->last_net_kind, ll);
		if (o && (ll->ts_kind == HR_TS_NONE || ll->ts_kind != o->ts_kind ||
			  (ll->ts_usec - o->last_ts >= 0 && ll->ts_usec - o->last_ts <= 10 * 1000000LL))) {
			o->suppressed = sat_add(o->suppressed, s.count);
			return;
		}
	}
	x->pending_net = sat_add(x->pending_net, s.count);
	x->pending_net_ts = ll->ts_usec;
}

static void hung_header(struct hr_explain *x, struct hr_logline *ll)
{
	struct klog_hung h;
	if (klog_hung_parse(ll->text, &h))
		return;
	close_kind(x, HR_INC_HUNG_TASK_NETSTORAGE, ll);
	struct ex_open *o = open_inc(x, HR_INC_HUNG_TASK_NETSTORAGE, ll);
	copy_span(o->comm, sizeof(o->comm), h.comm);
	o->pid = h.pid;
	o->blocked_s = h.seconds;
}

/* mm/slub.c slab_out_of_memory(): a slab could not get a page. After a
 * "page allocation failure" report the lines belong to it (take_line);
 * alone (the page allocator's report was rate limited or the allocation
 * was __GFP_NOWARN at the page level) they are an incident of their own,
 * one per burst: later reports within the report-closing rules add to it. */
/* What a kind's own rate limiter suppressed just before this line (10 s). */
static uint64_t take_pending(struct hr_explain *x, enum hr_incident_kind k, const struct hr_logline *ll)
{
	uint64_t n = x->pending_kind[k];
	int64_t d = ll->ts_usec - x->pending_kind_ts[k];
	x->pending_kind[k] = 0;
	if (ll->ts_kind != HR_TS_NONE && (d < 0 || d > 10 * 1000000LL))
		return 0;
	return n;
}

static bool slab_header(struct hr_explain *x, const struct hr_logline *ll)
{
	struct klog_slub h;
	if (klog_slub_parse(ll->text, &h))
		return false;
	if (find_open(x, HR_INC_ALLOC_FAILURE, ll))
		return false;	/* part of that report */
	struct ex_open *o = find_open(x, HR_INC_SLAB_ALLOC_FAILURE, ll);
	if (o && gap_exceeded(o, ll, EXPLAIN_GAP_USEC)) {
		close_inc(x, o);
		o = NULL;
	}
	if (o) {
		o->slab_first_done = o->slub_cache[0] != '\0';
	} else {
		o = open_inc(x, HR_INC_SLAB_ALLOC_FAILURE, ll);
		o->slab = h.slab;
		o->slab_node = h.node;
		o->mask = h.mask;
		o->mask_set = true;
		copy_span(o->names, sizeof(o->names), h.names);
		o->slab_obj_size = o->slab_buf_size = o->slab_order = o->slab_min_order = HR_UNSET;
	}
	o->suppressed = sat_add(o->suppressed, take_pending(x, HR_INC_SLAB_ALLOC_FAILURE, ll));
	touch(o, ll);
	o->lines++;
	return true;
}

/* One message that a net_ratelimit()ed burst consists of (neighbour table,
 * conntrack expectations, route cache); the caller checked the anchor. */
static bool net_more_lines(struct hr_explain *x, struct hr_logline *ll)
{
	struct hr_span t = ll->text;
	struct ex_open *o;

	/* net/core/neighbour.c neigh_alloc(): 4.9+ (router7#31, lede#6427)
	 * "neighbour: arp_cache: neighbor table overflow!" / "...: ndisc_cache: ...";
	 * 3.x (qubes#355) "ipv4: Neighbour table overflow."; 2.6 "Neighbour table overflow." */
	if ((has(t, "eighbor table overflow") || has(t, "eighbour table overflow")) &&
	    (starts(t, "neighbour: ") || starts(t, "ipv4: ") || starts(t, "ipv6: ") ||
	     starts(t, "Neighbour table overflow"))) {
		const char *table = "", *fam = "";
		if (has(t, "arp_cache") || starts(t, "ipv4: ")) {
			table = "arp_cache";
			fam = "ipv4";
		} else if (has(t, "ndisc_cache") || starts(t, "ipv6: ")) {
			table = "ndisc_cache";
			fam = "ipv6";
		}
		o = burst(x, HR_INC_NEIGH_OVERFLOW, ll, table);
		snprintf(o->family, sizeof(o->family), "%s", fam);
		set_form(o, starts(t, "neighbour: ") ? "neighbour: TABLE: neighbor table overflow!" :
			    "Neighbour table overflow.");
		net_ratelimited(x, o, ll);
		x->prev_serial = o->serial;
		return true;
	}
	/* net/netfilter/nf_conntrack_expect.c, 2.6.2x-6.x (lede#10625):
	 * "nf_conntrack: expectation table full" */
	if (has(t, "expectation table full") &&
	    (starts(t, "nf_conntrack: ") || starts(t, "ip_conntrack: "))) {
		o = burst(x, HR_INC_CONNTRACK_EXPECT_FULL, ll, "");
		set_form(o, starts(t, "ip_conntrack: ") ? "ip_conntrack:" : "nf_conntrack:");
		net_ratelimited(x, o, ll);
		x->prev_serial = o->serial;
		return true;
	}
	/* net/ipv4/route.c rt_garbage_collect() / net/core/dst.c dst_alloc(),
	 * 2.6-4.x (gentoo 2.6.2, Debian 2.6.32): "dst cache overflow";
	 * 4.x+: "Route cache is full: consider increasing sysctl net.ipv[4|6].route.max_size." */
	bool dst = starts(t, "dst cache overflow") || starts(t, "ipv6: dst cache overflow") ||
		   starts(t, "IPv6: dst cache overflow");
	if (dst || starts(t, "Route cache is full")) {
		o = burst(x, HR_INC_DST_OVERFLOW, ll, "");
		if (has(t, "ipv6") || has(t, "IPv6"))
			snprintf(o->family, sizeof(o->family), "ipv6");
		set_form(o, dst ? "dst cache overflow" : "Route cache is full");
		net_ratelimited(x, o, ll);
		x->prev_serial = o->serial;
		return true;
	}
	return false;
}

/* I/O errors of network block devices (klog_netblk_parse), one incident
 * per device and burst. Swap I/O errors join the device's incident that is
 * open (or, on nbd's major 43, open one); on another device they are not
 * ours. */
static bool netblk_line(struct hr_explain *x, struct hr_logline *ll)
{
	struct klog_netblk b;
	struct ex_open *o = NULL;

	if (klog_netblk_parse(ll->text, &b))
		return false;
	char dev[40];
	copy_span(dev, sizeof(dev), b.dev);
	if (b.what == KLOG_NB_SWAP) {
		struct ex_open *last = NULL;
		for (unsigned i = 0; i < EXPLAIN_OPEN_MAX; i++) {
			struct ex_open *c = &x->open[i];
			if (c->used && c->kind == HR_INC_NETBLOCK_IO_ERROR && same_source(c, ll) &&
			    (!last || c->serial > last->serial))
				last = c;
		}
		if (last && !gap_exceeded(last, ll, burst_window_usec(HR_INC_NETBLOCK_IO_ERROR))) {
			o = last;
			touch(o, ll);
			o->lines++;
		} else if (b.storage[0]) {
			o = burst(x, HR_INC_NETBLOCK_IO_ERROR, ll, dev);
		} else {
			return false;
		}
		if (b.swap_write)
			o->nb_swap_write++;
		else
			o->nb_swap_read++;
	} else {
		o = burst(x, HR_INC_NETBLOCK_IO_ERROR, ll, dev);
		if (b.what == KLOG_NB_IO_ERROR)
			o->nb_io++;
		else if (b.what == KLOG_NB_CONN)
			o->nb_conn++;
		else
			o->nb_timeout++;
	}
	if (!o->storage[0] && b.storage[0])
		snprintf(o->storage, sizeof(o->storage), "%s", b.storage);
	o->suppressed = sat_add(o->suppressed, take_pending(x, HR_INC_NETBLOCK_IO_ERROR, ll));
	x->prev_serial = o->serial;
	return true;
}

/* syslogd folds repeats of the line before: "last message repeated 9 times"
 * (gentoo forum, 2.6.2). They were printed, so they count as lines of the
 * incident that took that line; after any other line they say nothing. */
static bool repeated_line(struct hr_explain *x, const struct hr_logline *ll, uint64_t prev)
{
	long r = span_find(ll->text, "last message repeated ");
	if (r < 0)
		return false;
	struct hr_span n = after(ll->text, r, "last message repeated ");
	uint64_t v;
	size_t used;
	if (parse_u64(n.p, n.len, &v, &used) || !span_starts_with(after(n, (long)used, ""), " time"))
		return false;
	for (unsigned i = 0; prev && i < EXPLAIN_OPEN_MAX; i++) {
		struct ex_open *o = &x->open[i];
		if (o->used && o->serial == prev && !traced(o->kind)) {
			o->lines = sat_add(o->lines, v);
			touch(o, ll);
			x->prev_serial = prev;	/* "repeated" may repeat */
			return true;
		}
	}
	return true;
}

/* A line no report continues with: the start of another one. */
static bool starts_report(struct hr_span t)
{
	return starts(t, "WARNING: ") || starts(t, "BUG: ") || starts(t, "INFO: ") ||
	       starts(t, "------------[ cut here ]") || starts(t, "---[ end trace") ||
	       starts(t, "Kernel panic - not syncing");
}

/* Closes the open traced reports this line shows to be over (incident.h,
 * EXPLAIN_GAP_USEC and EXPLAIN_LINE_BUDGET). */
static void close_on_evidence(struct hr_explain *x, const struct hr_logline *ll)
{
	bool other = starts_report(ll->text);
	for (unsigned i = 0; i < EXPLAIN_OPEN_MAX; i++) {
		struct ex_open *o = &x->open[i];
		if (!o->used || !traced(o->kind))
			continue;
		bool mine = same_source(o, ll) && (!ll->caller[0] || !o->caller[0] ||
						    !strcmp(ll->caller, o->caller));
		bool gap = ll->ts_kind != HR_TS_NONE && ll->ts_kind == o->ts_kind &&
			   (ll->ts_usec - o->last_ts > EXPLAIN_GAP_USEC ||
			    o->last_ts - ll->ts_usec > EXPLAIN_GAP_USEC);
		if ((mine && other) || gap ||
		    x->st.lines_seen - o->opened_line > EXPLAIN_LINE_BUDGET)
			close_inc(x, o);
	}
}

void explain_line(struct hr_explain *x, const char *line, size_t len)
{
	struct hr_logline ll;

	if (len > EXPLAIN_LINE_MAX) {
		len = EXPLAIN_LINE_MAX;
		x->st.lines_truncated++;
	}
	x->st.lines_seen++;
	logline_parse(line, len, &ll);
	if (ll.kernel)
		x->st.kernel_lines++;
	/* Blank lines of a paste are not log records: they keep "repeated"
	 * pointing at the record before them. */
	uint64_t prev = x->prev_serial;
	if (ll.text.len || ll.not_kernel)
		x->prev_serial = 0;
	if (ll.not_kernel || !ll.text.len)
		return;
	struct hr_span t = ll.text;

	/* Headers and one-line messages first: one pass over the line finds
	 * which anchor words it has, so noise costs no string searches. */
	uint32_t m = anchors_mask(&x->anchors, t.p, t.len);
	if (m) {
		if (m & A_PAGE_ALLOC) {
			alloc_header(x, line, len, &ll);
			return;
		}
		if ((m & (A_OOMKILL | A_OFMEM | A_KILLED)) && oom_lines(x, &ll))
			return;
		if ((m & A_BLOCKED) && starts(t, "INFO: task ")) {
			hung_header(x, &ll);
			return;
		}
		if ((m & (A_OFMEM | A_SOCKMEM | A_ORPHAN | A_TABLEFULL | A_SYN | A_NFS)) &&
		    net_lines(x, &ll))
			return;
		if (m & A_SUPP) {
			suppressed_line(x, &ll);
			return;
		}
		if ((m & A_UNABLE) && slab_header(x, &ll))
			return;
		if ((m & (A_OVERFLOW | A_TABLEFULL)) && net_more_lines(x, &ll))
			return;
		if ((m & A_NETBLK) && netblk_line(x, &ll))
			return;
	}
	if (prev && repeated_line(x, &ll, prev))
		return;
	if (m) {
		if ((m & A_LINUXVER) && starts(t, "Linux version ")) {
			struct klog_kver v;
			if (!klog_kver_parse(t, &v))
				note_version(x, NULL, &v);
			return;
		}
	}
	if (!x->ntraced)
		return;
	close_on_evidence(x, &ll);
	if (!x->ntraced)
		return;
	/* A line of an open report? Newest first, same caller/host only. */
	struct ex_open *best = NULL;
	for (unsigned i = 0; i < EXPLAIN_OPEN_MAX; i++) {
		struct ex_open *o = &x->open[i];
		if (!o->used || !traced(o->kind) || !same_source(o, &ll))
			continue;
		if (best && best->serial > o->serial)
			continue;
		best = o;
	}
	bool taken = false;
	if (best && take_line(x, best, &ll)) {
		touch(best, &ll);
		taken = true;
	}
	for (unsigned i = 0; i < EXPLAIN_OPEN_MAX && !taken; i++) {
		struct ex_open *o = &x->open[i];
		if (o != best && o->used && traced(o->kind) && same_source(o, &ll) &&
		    take_line(x, o, &ll)) {
			touch(o, &ll);
			taken = true;
		}
	}
	if (taken)
		return;
	/* Someone else's line: reports that have ended, or that have not
	 * had a line of their own for a while, are complete. */
	for (unsigned i = 0; i < EXPLAIN_OPEN_MAX; i++) {
		struct ex_open *o = &x->open[i];
		if (!o->used || !traced(o->kind))
			continue;
		if (ll.caller[0] && o->caller[0] && strcmp(ll.caller, o->caller))
			continue;	/* another CPU's output, interleaved */
		o->foreign++;
		unsigned limit = o->kind == HR_INC_HUNG_TASK_NETSTORAGE ? 4 : 24;
		if (o->ended || o->foreign > limit)
			close_inc(x, o);
	}
}

static void carry_add(struct hr_explain *x, const char *p, size_t n)
{
	size_t room = sizeof(x->carry) - x->carry_len;
	if (n > room) {
		n = room;
		x->carry_cut = true;
	}
	memcpy(x->carry + x->carry_len, p, n);
	x->carry_len += n;
}

static void carry_flush(struct hr_explain *x)
{
	if (x->carry_cut)
		x->st.lines_truncated++;
	if (x->carry_len)
		explain_line(x, x->carry, x->carry_len);
	x->carry_len = 0;
	x->carry_cut = false;
}

/* Lines the prefilter skips unread are still classified, so that input
 * that is no kernel log at all can be told from a quiet one.
 * p[0..n) holds whole lines, each ending in '\n'. Newlines are found 16
 * bytes at a time (a bit mask per block, no call per line): this loop and
 * the anchor scan are all the fast path does. */
static inline void count_line(struct hr_explain *x, const char *p, size_t l)
{
	if (l > EXPLAIN_LINE_MAX)
		l = EXPLAIN_LINE_MAX;
	if (l > 1 || (l == 1 && p[0] != '\r'))
		x->prev_serial = 0;	/* a record came between: "repeated" is not ours */
	if (logline_has_stamp(p, l) || logline_is_kernel(p, l))
		x->st.kernel_lines++;
}

static void count_skipped(struct hr_explain *x, const char *p, size_t n)
{
	size_t start = 0, i = 0;

#if defined(__SSE2__)
	const __m128i nl = _mm_set1_epi8('\n');
	for (; i + 16 <= n; i += 16) {
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(b, nl));
		while (m) {
			size_t e = i + (size_t)__builtin_ctz(m);
			m &= m - 1;
			count_line(x, p + start, e - start);
			start = e + 1;
		}
	}
#endif
	while (i < n) {
		const char *q = memchr(p + i, '\n', n - i);
		size_t e = q ? (size_t)(q - p) : n;
		if (e >= start)
			count_line(x, p + start, e - start);
		start = i = e + 1;
	}
}

void explain_feed(struct hr_explain *x, const char *buf, size_t len)
{
	size_t pos = 0;

	x->st.bytes += len;
	if (x->carry_len || x->carry_cut) {
		const char *nl = memchr(buf, '\n', len);
		if (!nl) {
			carry_add(x, buf, len);
			return;
		}
		carry_add(x, buf, (size_t)(nl - buf));
		if (x->carry_cut)
			x->st.lines_truncated++;
		x->carry_cut = false;
		size_t n = x->carry_len;
		x->carry_len = 0;
		explain_line(x, x->carry, n);
		pos = (size_t)(nl - buf) + 1;
	}
	while (pos < len) {
		if (!x->ntraced && !x->prev_serial) {
			size_t c = anchors_find(&x->anchors, buf + pos, len - pos);
			if (c == len - pos) {
				const char *last = memrchr(buf + pos, '\n', len - pos);
				size_t start = last ? (size_t)(last - buf) + 1 : pos;
				count_skipped(x, buf + pos, start - pos);
				carry_add(x, buf + start, len - start);
				return;
			}
			const char *ls = c ? memrchr(buf + pos, '\n', c) : NULL;
			if (ls) {
				count_skipped(x, buf + pos, (size_t)(ls - buf) + 1 - pos);
				pos = (size_t)(ls - buf) + 1;
			}
		}
		const char *nl = memchr(buf + pos, '\n', len - pos);
		if (!nl) {
			carry_add(x, buf + pos, len - pos);
			return;
		}
		explain_line(x, buf + pos, (size_t)(nl - (buf + pos)));
		pos = (size_t)(nl - buf) + 1;
	}
}

/* Emits, in opening order so output follows the log, every open report
 * that has been idle for idle_usec (all of them for INT64_MAX). */
static void close_idle(struct hr_explain *x, int64_t idle_usec)
{
	for (unsigned n = 0; n < EXPLAIN_OPEN_MAX; n++) {
		struct ex_open *first = NULL;
		for (unsigned i = 0; i < EXPLAIN_OPEN_MAX; i++) {
			struct ex_open *o = &x->open[i];
			if (!o->used || (first && o->serial > first->serial))
				continue;
			int64_t limit = traced(o->kind) ? EXPLAIN_IDLE_USEC : burst_window_usec(o->kind);
			if (idle_usec >= limit)
				first = o;
		}
		if (!first)
			break;
		close_inc(x, first);
	}
}

void explain_idle(struct hr_explain *x, int64_t idle_usec)
{
	close_idle(x, idle_usec);
}

void explain_finish(struct hr_explain *x)
{
	carry_flush(x);
	close_idle(x, INT64_MAX);
	if (x->kernel[0])
		snprintf(x->kernel_seen, sizeof(x->kernel_seen), "%s", x->kernel);
	x->kernel[0] = '\0';
	x->kmajor = x->kminor = 0;
	x->pending_net = x->pending_alloc = 0;
	memset(x->pending_kind, 0, sizeof(x->pending_kind));
	x->prev_serial = 0;
	x->last_net_kind = -1;
	x->boot_usec = 0;
}
