/* prom.c - Prometheus text exposition 0.0.4 of one judged pass (contract in
 * prom.h). Every family is written whole, HELP, TYPE, then its samples, as
 * the format requires (a family's samples must not be split). */
#include "report/prom.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "detect/incident.h"
#include "detect/netswap_class.h"
#include "detect/vmcalc.h"
#include "report/http_srv.h"
#include "report/report.h"
#include "snapshot/kubepath.h"
#include "util/parse.h"

/* name, type, help; rendered in this order. */
#define PROM_FAMILIES(X) \
	X(BUILD, "headroom_build_info", "gauge", "Always 1; the version label is headroom's.") \
	X(AREA, "headroom_area_sampled", "gauge", "1 if the area was sampled in this pass, 0 if not.") \
	X(UNREAD, "headroom_unread_files", "gauge", "Kernel files that could not be read in this pass (the report's not_read list).") \
	X(FINDING, "headroom_finding", "gauge", "Active findings by id and severity (ok findings included); the value is how many subjects have it.") \
	X(MC_USAGE, "headroom_memcg_usage_bytes", "gauge", "Memory charged to a limited memory cgroup (v1 usage_in_bytes, v2 memory.current).") \
	X(MC_LIMIT, "headroom_memcg_limit_bytes", "gauge", "Hard limit of a memory cgroup (v1 limit_in_bytes, v2 memory.max).") \
	X(MC_HIGH, "headroom_memcg_high_bytes", "gauge", "Throttling limit of a v2 memory cgroup (memory.high).") \
	X(MC_FILE, "headroom_memcg_file_cache_bytes", "gauge", "Reclaimable file cache of a limited memory cgroup (active_file + inactive_file).") \
	X(MC_SOCK, "headroom_memcg_socket_bytes", "gauge", "Socket buffer memory charged to a limited memory cgroup (v2 memory.stat sock, v1 kmem.tcp usage).") \
	X(MC_HITS, "headroom_memcg_limit_hits_total", "counter", "Times a memory cgroup hit its limit: v1 failcnt; v2 memory.events max, high, oom, oom_kill, sock_throttled (memory.events.local, this cgroup only, where the kernel has it: 5.2+).") \
	X(MC_RECLAIMED, "headroom_memcg_reclaimed_bytes_total", "counter", "Memory the agent reclaimed from a cgroup under its policy.") \
	X(MC_ROUNDS, "headroom_memcg_reclaim_rounds_total", "counter", "Reclaim rounds the agent ran on a cgroup.") \
	X(MC_POLICY, "headroom_memcg_policy_info", "gauge", "Always 1: the agent's policy for a cgroup and the reclaim backend it uses.") \
	X(MC_LIMITED, "headroom_memcg_limited_cgroups", "gauge", "Memory cgroups with a limit in force.") \
	X(MC_UNREAD, "headroom_memcg_unread_cgroups", "gauge", "Memory cgroups seen but not read, by reason (table full or path too long, too deep, removed while read, unreadable).") \
	X(MC_DYING, "headroom_memcg_dying_cgroups", "gauge", "Removed memory cgroups the kernel still holds (v2 cgroup.stat nr_dying_descendants of the root; v1 /proc/cgroups num_cgroups minus live).") \
	X(MC_DEAD, "headroom_memcg_dead_charge_bytes", "gauge", "File cache charged to a memory cgroup but owned by none of its live children (charges of removed cgroups), where finding memcg.dead_charges reports it.") \
	X(MC_CUT, "headroom_metrics_memcgs_cut", "gauge", "Limited memory cgroups not exported in the per-cgroup families (cardinality bound).") \
	X(CT_ENTRIES, "headroom_conntrack_entries", "gauge", "Connection tracking entries in the network namespace (nf_conntrack_count).") \
	X(CT_MAX, "headroom_conntrack_max_entries", "gauge", "Connection tracking table limit (nf_conntrack_max, 0 = none).") \
	X(CT_BUCKETS, "headroom_conntrack_buckets", "gauge", "Connection tracking hash buckets (nf_conntrack_buckets).") \
	X(CT_DROP, "headroom_conntrack_drops_total", "counter", "Packets dropped because no conntrack entry could be made (stat drop).") \
	X(CT_EARLY, "headroom_conntrack_early_drops_total", "counter", "Conntrack entries evicted to make room (stat early_drop).") \
	X(CT_INSFAIL, "headroom_conntrack_insert_failed_total", "counter", "Conntrack inserts that failed (stat insert_failed).") \
	X(Z_FREE, "headroom_zone_free_bytes", "gauge", "Free memory of a zone (zoneinfo pages free).") \
	X(Z_WMARK, "headroom_zone_watermark_bytes", "gauge", "Zone watermarks (zoneinfo min, low, high).") \
	X(Z_MANAGED, "headroom_zone_managed_bytes", "gauge", "Memory the page allocator manages in a zone.") \
	X(Z_BLOCKS, "headroom_zone_free_blocks", "gauge", "Free blocks of 2^order pages in a zone (buddyinfo).") \
	X(VM_ALLOCSTALL, "headroom_vm_allocstall_total", "counter", "Direct reclaim entries (vmstat allocstall, all zones).") \
	X(VM_CSTALL, "headroom_vm_compact_stall_total", "counter", "Direct compaction entries (vmstat compact_stall).") \
	X(VM_CFAIL, "headroom_vm_compact_fail_total", "counter", "Direct compactions that failed (vmstat compact_fail).") \
	X(VM_CSUCC, "headroom_vm_compact_success_total", "counter", "Direct compactions that succeeded (vmstat compact_success).") \
	X(VM_MINFREE, "headroom_vm_min_free_bytes", "gauge", "vm.min_free_kbytes, in bytes.") \
	X(VM_MINFREE_REC, "headroom_vm_min_free_recommended_bytes", "gauge", "What headroom recommends for vm.min_free_kbytes (kernel default, NIC rx rings, THP), in bytes.") \
	X(NET_LOSS, "headroom_net_loss_total", "counter", "Packet and socket loss counters that memory causes, and TcpExt:TCPRcvCollapsed (receive queues collapsed to fit their buffer, the step before pruning; no loss), by kernel counter name (/proc/net/snmp, netstat, snmp6).") \
	X(SN_DROP, "headroom_softnet_dropped_total", "counter", "Packets dropped because a CPU's input backlog was full (softnet_stat, all CPUs).") \
	X(SN_SQUEEZE, "headroom_softnet_time_squeeze_total", "counter", "NET_RX runs that ran out of budget or time (softnet_stat, all CPUs).") \
	X(SOCK_MEM, "headroom_socket_memory_bytes", "gauge", "Socket buffer memory by protocol, system-wide (sockstat mem).") \
	X(SOCK_LIMIT, "headroom_socket_memory_limit_bytes", "gauge", "net.ipv4.tcp_mem / udp_mem thresholds, in bytes.") \
	X(SWAP_SIZE, "headroom_swap_size_bytes", "gauge", "Size of a swap area, with where its pages go.") \
	X(SWAP_USED, "headroom_swap_used_bytes", "gauge", "Used part of a swap area.") \
	X(SWAP_NET, "headroom_swap_network_areas", "gauge", "Swap areas whose pages are written over the network.") \
	X(NETFS_RW, "headroom_network_mounts", "gauge", "Network filesystems mounted read-write (writeback over the network).") \
	X(INCIDENTS, "headroom_kernel_incidents_total", "counter", "Kernel log incidents recognised by the explain engine, by kind.") \
	X(HTTP_CONNS, "headroom_http_connections_total", "counter", "Connections to the metrics endpoint, by outcome (accepted; rejected: over the connection bound; timeout: not done in time; error).") \
	X(HTTP_RESP, "headroom_http_responses_total", "counter", "Responses of the metrics endpoint by status code.") \
	X(HTTP_RENDER, "headroom_scrape_render_seconds", "gauge", "Time the last scrape spent rendering its body (max: the longest since start).") \
	X(AG_CPU, "headroom_agent_cpu_seconds_total", "counter", "CPU time of the agent process (user + system).") \
	X(AG_RSS, "headroom_agent_resident_memory_bytes", "gauge", "Resident memory of the agent process.") \
	X(AG_LAG, "headroom_agent_loop_lag_seconds", "gauge", "Longest delay of a timer event in the agent's loop since the previous pass.") \
	X(AG_PASSES, "headroom_agent_passes_total", "counter", "Judged passes (sample + judge of every area) the agent has run.") \
	X(AG_PASS_SEC, "headroom_agent_pass_duration_seconds", "gauge", "Duration of the last judged pass.") \
	X(AG_JOURNAL, "headroom_agent_journal_records", "gauge", "Undo records open in the agent's journal (host writes not yet restored).") \
	X(AG_ERRORS, "headroom_agent_errors_total", "counter", "Errors the agent logged, by where they happened.") \
	X(AG_KMSG_LOST, "headroom_kmsg_records_lost_total", "counter", "Kernel log records lost before the agent read them (/dev/kmsg EPIPE).") \
	X(GUARD_INFO, "headroom_guard_info", "gauge", "Always 1: a guard of the agent, its mode (observe: decides and logs, writes nothing; act) and the knob it watches.") \
	X(GUARD_VALUE, "headroom_guard_value", "gauge", "The value a guard watches or holds, as of its last decision (nf_conntrack_max, vm.watermark_scale_factor or vm.min_free_kbytes, dead charge bytes).") \
	X(GUARD_ORIG, "headroom_guard_original_value", "gauge", "The knob's value before the guard's first write, restored when the guard lets go (on stop, after kill -9 at the next start).") \
	X(GUARD_DECISION, "headroom_guard_last_decision", "gauge", "Always 1: a guard's last decision.") \
	X(GUARD_ACTIONS, "headroom_guard_actions_total", "counter", "Actions a guard took by action (in observe mode, the ones it would have taken).") \
	X(LINES_CUT, "headroom_metrics_lines_cut", "gauge", "Lines left out of this exposition because the buffer was full.")

#define X_ENUM(e, n, t, h) PF_##e,
enum { PROM_FAMILIES(X_ENUM) PF_COUNT };
#define X_NAME(e, n, t, h) n,
static const char *const fam_name[] = { PROM_FAMILIES(X_NAME) NULL };
#define X_TYPE(e, n, t, h) t,
static const char *const fam_type[] = { PROM_FAMILIES(X_TYPE) NULL };
#define X_HELP(e, n, t, h) h,
static const char *const fam_help[] = { PROM_FAMILIES(X_HELP) NULL };

const char *prom_family_name(size_t i) { return i < PF_COUNT ? fam_name[i] : NULL; }
const char *prom_family_type(size_t i) { return i < PF_COUNT ? fam_type[i] : NULL; }
const char *prom_family_help(size_t i) { return i < PF_COUNT ? fam_help[i] : NULL; }

void prom_out_init(struct prom_out *o, char *buf, size_t cap)
{
	o->buf = buf;
	o->cap = cap;
	o->len = 0;
	o->lines_cut = 0;
	o->fail = false;
	if (cap)
		buf[0] = '\0';
}

void prom_config_default(struct prom_config *c)
{
	c->memcg_top = PROM_MEMCG_TOP_DEFAULT;
	c->memcg_hits_max = PROM_MEMCG_HITS_DEFAULT;
}

size_t prom_buf_bytes(const struct prom_config *c)
{
	size_t n = c->memcg_top + c->memcg_hits_max, dflt = PROM_MEMCG_TOP_DEFAULT + PROM_MEMCG_HITS_DEFAULT;
	return PROM_BUF_DEFAULT + (n > dflt ? n - dflt : 0) * 8192;
}

size_t prom_scratch_len(const struct prom_config *c)
{
	return c->memcg_top + c->memcg_hits_max;
}

/* Room for the line being built: all but the trailer's reserve. */
static size_t room(const struct prom_out *o, bool trailer)
{
	size_t keep = trailer ? 0 : PROM_RESERVE;
	return o->cap > o->len + keep ? o->cap - o->len - keep : 0;
}

__attribute__((format(printf, 3, 4)))
static void put(struct prom_out *o, bool trailer, const char *fmt, ...)
{
	if (o->fail)
		return;
	size_t r = room(o, trailer);
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->len, r, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= r) {
		o->fail = true;
		return;
	}
	o->len += (size_t)n;
}

/* The hot path: constant pieces by memcpy, numbers by hand (vsnprintf per
 * piece was most of a render: bench/bench_prom.c). */
static void put_mem(struct prom_out *o, const char *p, size_t n)
{
	if (o->fail)
		return;
	if (n >= room(o, false)) {
		o->fail = true;
		return;
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
}

static void put_str(struct prom_out *o, const char *p)
{
	put_mem(o, p, strlen(p));
}

static void put_u64(struct prom_out *o, uint64_t v)
{
	char d[20];
	size_t n = 0;
	do {
		d[sizeof(d) - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put_mem(o, d + sizeof(d) - n, n);
}

/* A line is kept whole or not at all. */
static size_t line_begin(struct prom_out *o)
{
	o->fail = false;
	return o->len;
}

static void line_end(struct prom_out *o, size_t start)
{
	if (o->fail) {
		o->len = start;
		if (o->cap > start)
			o->buf[start] = '\0';
		o->lines_cut++;
	}
	o->fail = false;
}

/* Length of a valid UTF-8 sequence at s (at most len bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t len)
{
	size_t n;
	unsigned min;
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, min = 0x10000;
	else
		return 0;
	if (n > len)
		return 0;
	unsigned cp = c & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

size_t prom_escape(const char *s, size_t len, char *out, size_t cap)
{
	size_t w = 0;
	const unsigned char *u = (const unsigned char *)s;

#define PUTC(ch) do { if (w + 1 < cap) out[w] = (ch); w++; } while (0)
	for (size_t i = 0; i < len;) {
		unsigned char c = u[i];
		/* Fast path: a run of printable ASCII that needs no escape. */
		size_t r = i;
		while (r < len && u[r] >= 0x20 && u[r] < 0x7f && u[r] != '\\' && u[r] != '"')
			r++;
		if (r > i) {
			size_t n = r - i;
			if (w + n < cap)
				memcpy(out + w, u + i, n);
			else if (w + 1 < cap)
				memcpy(out + w, u + i, cap - 1 - w);
			w += n;
			i = r;
			continue;
		}
		if (c == '\\' || c == '"') {
			PUTC('\\');
			PUTC((char)c);
			i++;
		} else if (c == '\n') {
			PUTC('\\');
			PUTC('n');
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			PUTC('?');
			i++;
		} else {
			size_t n = utf8_len(u + i, len - i);
			if (!n) {
				PUTC('?');
				i++;
				continue;
			}
			for (size_t k = 0; k < n; k++)
				PUTC((char)u[i + k]);
			i += n;
		}
	}
#undef PUTC
	if (cap)
		out[w < cap ? w : cap - 1] = '\0';
	return w;
}

/* Escaped label values are built straight into the output. */
static void put_labels(struct prom_out *o, const char *const *labels, size_t n)
{
	if (!n)
		return;
	put_mem(o, "{", 1);
	for (size_t i = 0; i < n && !o->fail; i++) {
		if (i)
			put_mem(o, ",", 1);
		put_str(o, labels[2 * i]);
		put_mem(o, "=\"", 2);
		if (o->fail)
			return;
		size_t r = room(o, false);
		const char *v = labels[2 * i + 1];
		size_t need = prom_escape(v, strlen(v), o->buf + o->len, r);
		if (need >= r) {
			o->fail = true;
			return;
		}
		o->len += need;
		put_mem(o, "\"", 1);
	}
	put_mem(o, "}", 1);
}

void prom_family(struct prom_out *o, const char *name, const char *type, const char *help)
{
	size_t s = line_begin(o);
	put(o, false, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
	line_end(o, s);
}

void prom_sample_u64(struct prom_out *o, const char *name, const char *const *labels,
		     size_t nlabels, uint64_t v)
{
	if (v == HR_UNSET)
		return;
	size_t s = line_begin(o);
	put_str(o, name);
	put_labels(o, labels, nlabels);
	put_mem(o, " ", 1);
	put_u64(o, v);
	put_mem(o, "\n", 1);
	line_end(o, s);
}

void prom_sample_f64(struct prom_out *o, const char *name, const char *const *labels,
		     size_t nlabels, double v)
{
	size_t s = line_begin(o);
	put(o, false, "%s", name);
	put_labels(o, labels, nlabels);
	put(o, false, " %.17g\n", v);
	line_end(o, s);
}

static void fam(struct prom_out *o, int f)
{
	prom_family(o, fam_name[f], fam_type[f], fam_help[f]);
}

static void smp(struct prom_out *o, int f, const char *const *labels, size_t n, uint64_t v)
{
	prom_sample_u64(o, fam_name[f], labels, n, v);
}

static uint64_t mul_sat(uint64_t a, uint64_t b)
{
	if (a == HR_UNSET || b == HR_UNSET)
		return HR_UNSET;
	return b && a > (HR_UNSET - 1) / b ? HR_UNSET - 1 : a * b;
}

static uint64_t add_set(uint64_t a, uint64_t b)
{
	if (a == HR_UNSET || b == HR_UNSET)
		return HR_UNSET;
	return a + b < a ? HR_UNSET - 1 : a + b;
}

/* ---- memory cgroups ---------------------------------------------------- */

static bool set(uint64_t v)
{
	return v != HR_UNSET;
}

static uint64_t memcg_bound(const struct memcg_tree *t, const struct memcg_node *n)
{
	uint64_t b = set(n->limit_bytes) && memcg_limit_is_set(n->limit_bytes) ? n->limit_bytes
										: HR_UNSET;
	if (t->version == 2 && set(n->high_bytes) && memcg_limit_is_set(n->high_bytes) &&
	    (!set(b) || n->high_bytes < b))
		b = n->high_bytes;
	return b;
}

static bool memcg_limited(const struct memcg_tree *t, const struct memcg_node *n)
{
	return !n->gone && !n->unreadable && set(n->usage_bytes) && set(memcg_bound(t, n));
}

static bool memcg_has_hits(const struct memcg_tree *t, const struct memcg_node *n)
{
	if (t->version == 1)
		return set(n->failcnt) && n->failcnt > 0;
	if (!n->has_events)
		return false;
	const struct memcg_events *e = &n->events;
	return (set(e->max) && e->max) || (set(e->high) && e->high) || (set(e->oom) && e->oom) ||
	       (set(e->oom_kill) && e->oom_kill) || (set(e->sock_throttled) && e->sock_throttled);
}

static bool grew(uint64_t a, uint64_t b)
{
	return set(a) && set(b) && b > a;
}

/* Hits since the previous pass when it holds the same cgroup at the same
 * index (the walk order is stable while the tree does not change, so a
 * lookup costs nothing); else any hit since the cgroup was created. */
static bool memcg_recent_hits(const struct memcg_tree *t, const struct memcg_tree *before,
			      size_t i)
{
	const struct memcg_node *n = &t->nodes[i];
	if (!before || before->version != t->version || i >= before->n ||
	    strcmp(before->nodes[i].path, n->path))
		return memcg_has_hits(t, n);
	const struct memcg_node *b = &before->nodes[i];
	if (t->version == 1)
		return grew(b->failcnt, n->failcnt);
	if (!n->has_events || !b->has_events)
		return false;
	return grew(b->events.max, n->events.max) || grew(b->events.high, n->events.high) ||
	       grew(b->events.oom, n->events.oom) || grew(b->events.oom_kill, n->events.oom_kill) ||
	       grew(b->events.sock_throttled, n->events.sock_throttled);
}

static double memcg_ratio(const struct memcg_tree *t, const struct memcg_node *n)
{
	uint64_t b = memcg_bound(t, n);
	return b ? (double)n->usage_bytes / (double)b : 1e9;
}

/* In-place heapsort: glibc's qsort() may malloc a merge buffer (above 1 KiB
 * of elements), and render must not allocate. */
static void sift(uint32_t *a, size_t i, size_t n)
{
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			return;
		if (c + 1 < n && a[c + 1] > a[c])
			c++;
		if (a[i] >= a[c])
			return;
		uint32_t t = a[i];
		a[i] = a[c];
		a[c] = t;
		i = c;
	}
}

static void sort_u32(uint32_t *a, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift(a, i, n);
	for (size_t e = n; e-- > 1;) {
		uint32_t t = a[0];
		a[0] = a[e];
		a[e] = t;
		sift(a, 0, e);
	}
}

/* Selects the exported cgroups into sel[0..*nsel) in hierarchy order.
 * Returns the number of limited cgroups. */
static size_t memcg_select(const struct memcg_tree *t, const struct memcg_tree *before,
			   const struct prom_config *cfg, uint32_t *sel, size_t *nsel)
{
	uint32_t *hits = sel, *top = sel + cfg->memcg_hits_max;
	size_t nh = 0, nt = 0, limited = 0;

	for (size_t i = 0; i < t->n; i++) {
		const struct memcg_node *n = &t->nodes[i];
		if (!memcg_limited(t, n))
			continue;
		limited++;
		if (nh < cfg->memcg_hits_max && memcg_recent_hits(t, before, i)) {
			hits[nh++] = (uint32_t)i;
			continue;
		}
		/* top[] is sorted by ratio, highest first; ties keep the
		 * earlier cgroup. */
		double r = memcg_ratio(t, n);
		size_t pos = nt;
		while (pos > 0 && memcg_ratio(t, &t->nodes[top[pos - 1]]) < r)
			pos--;
		if (pos >= cfg->memcg_top)
			continue;
		size_t last = nt < cfg->memcg_top ? nt : cfg->memcg_top - 1;
		memmove(top + pos + 1, top + pos, (last - pos) * sizeof(*top));
		top[pos] = (uint32_t)i;
		if (nt < cfg->memcg_top)
			nt++;
	}
	memmove(sel + nh, top, nt * sizeof(*sel));
	*nsel = nh + nt;
	sort_u32(sel, *nsel);
	return limited;
}

/* Labels of a cgroup: cgroup, and pod_uid/container_id/qos under kubepods. */
struct mc_labels {
	const char *kv[8];
	size_t n;
	struct kubepath k;
};

static void mc_labels_of(const struct memcg_node *n, struct mc_labels *l)
{
	l->n = 0;
	bool kube = kubepath_parse(n->path, strlen(n->path), &l->k) == 0;
	/* A container's pod_uid + container_id name it uniquely; its path
	 * (~190 bytes with the systemd driver) would double every line:
	 * measured 879 KB vs 4xx KB for 193 containers, bench/bench_prom.c. */
	if (!kube || !l->k.container_id[0]) {
		l->kv[0] = "cgroup";
		l->kv[1] = n->path;
		l->n++;
	}
	if (kube) {
		static const char *const keys[] = { "qos", "pod_uid", "container_id" };
		const char *vals[] = { l->k.qos, l->k.pod_uid, l->k.container_id };
		for (size_t i = 0; i < 3; i++)
			if (vals[i][0]) {
				l->kv[l->n * 2] = keys[i];
				l->kv[l->n * 2 + 1] = vals[i];
				l->n++;
			}
	}
}

static void memcg_hits(struct prom_out *o, const struct memcg_tree *t, const struct memcg_node *n,
		       const struct mc_labels *l)
{
	const char *kv[10];
	memcpy(kv, l->kv, l->n * 2 * sizeof(*kv));
	kv[l->n * 2] = "event";
	if (t->version == 1) {
		kv[l->n * 2 + 1] = "failcnt";
		smp(o, PF_MC_HITS, kv, l->n + 1, n->failcnt);
		return;
	}
	if (!n->has_events)
		return;
	const struct {
		const char *name;
		uint64_t v;
	} ev[] = {
		{ "max", n->events.max }, { "high", n->events.high }, { "oom", n->events.oom },
		{ "oom_kill", n->events.oom_kill }, { "sock_throttled", n->events.sock_throttled },
	};
	for (size_t i = 0; i < sizeof(ev) / sizeof(ev[0]); i++) {
		kv[l->n * 2 + 1] = ev[i].name;
		smp(o, PF_MC_HITS, kv, l->n + 1, ev[i].v);
	}
}

enum mc_value { MV_USAGE, MV_LIMIT, MV_HIGH, MV_FILE, MV_SOCK };

static uint64_t memcg_value(const struct memcg_tree *t, const struct memcg_node *n, enum mc_value v)
{
	switch (v) {
	case MV_USAGE: return n->usage_bytes;
	case MV_LIMIT:
		return set(n->limit_bytes) && memcg_limit_is_set(n->limit_bytes) ? n->limit_bytes
										   : HR_UNSET;
	case MV_HIGH:
		return t->version == 2 && set(n->high_bytes) && memcg_limit_is_set(n->high_bytes)
			       ? n->high_bytes : HR_UNSET;
	case MV_FILE:
		return n->has_stat ? add_set(n->stat.active_file, n->stat.inactive_file) : HR_UNSET;
	case MV_SOCK:
		if (t->version == 2)
			return n->has_stat ? n->stat.sock : HR_UNSET;
		return n->tcp_usage_bytes;
	}
	return HR_UNSET;
}

static void render_memcg(struct prom_out *o, const struct memcg_tree *t,
			 const struct memcg_tree *before, const struct hr_findings *fs, const struct prom_config *cfg,
			 uint32_t *sel, size_t nsel_cap, prom_memcg_agent_fn in_agent, void *agent_data)
{
	struct mc_labels l;
	size_t nsel = 0, limited = 0;
	struct prom_config c = *cfg;

	if (c.memcg_hits_max + c.memcg_top > nsel_cap)
		c.memcg_top = nsel_cap > c.memcg_hits_max ? nsel_cap - c.memcg_hits_max : 0;
	if (c.memcg_hits_max > nsel_cap)
		c.memcg_hits_max = nsel_cap;
	limited = memcg_select(t, before, &c, sel, &nsel);

	static const struct {
		int fam;
		enum mc_value v;
	} vals[] = {
		{ PF_MC_USAGE, MV_USAGE }, { PF_MC_LIMIT, MV_LIMIT }, { PF_MC_HIGH, MV_HIGH },
		{ PF_MC_FILE, MV_FILE }, { PF_MC_SOCK, MV_SOCK },
	};
	for (size_t v = 0; v < sizeof(vals) / sizeof(vals[0]); v++) {
		fam(o, vals[v].fam);
		for (size_t i = 0; i < nsel; i++) {
			const struct memcg_node *n = &t->nodes[sel[i]];
			mc_labels_of(n, &l);
			smp(o, vals[v].fam, l.kv, l.n, memcg_value(t, n, vals[v].v));
		}
	}
	fam(o, PF_MC_HITS);
	for (size_t i = 0; i < nsel; i++) {
		const struct memcg_node *n = &t->nodes[sel[i]];
		mc_labels_of(n, &l);
		memcg_hits(o, t, n, &l);
	}
	if (in_agent) {
		for (int f = 0; f < 3; f++) {
			static const int fams[3] = { PF_MC_RECLAIMED, PF_MC_ROUNDS, PF_MC_POLICY };
			fam(o, fams[f]);
			for (size_t i = 0; i < nsel; i++) {
				const struct memcg_node *n = &t->nodes[sel[i]];
				struct prom_memcg_agent a = { 0, 0, NULL, NULL };
				if (!in_agent(agent_data, n->path, &a))
					continue;
				mc_labels_of(n, &l);
				const char *kv[12];
				memcpy(kv, l.kv, l.n * 2 * sizeof(*kv));
				kv[l.n * 2] = "policy";
				kv[l.n * 2 + 1] = a.policy ? a.policy : "";
				kv[l.n * 2 + 2] = "backend";
				kv[l.n * 2 + 3] = a.backend ? a.backend : "";
				if (f == 0)
					smp(o, PF_MC_RECLAIMED, l.kv, l.n, a.reclaimed_bytes);
				else if (f == 1)
					smp(o, PF_MC_ROUNDS, l.kv, l.n, a.rounds);
				else
					smp(o, PF_MC_POLICY, kv, l.n + 2, 1);
			}
		}
	}
	fam(o, PF_MC_LIMITED);
	smp(o, PF_MC_LIMITED, NULL, 0, limited);
	fam(o, PF_MC_UNREAD);
	const struct {
		const char *reason;
		size_t n;
	} unread[] = {
		{ "dropped", t->dropped }, { "too_deep", t->depth_capped },
		{ "vanished", t->vanished }, { "unreadable", t->unreadable },
	};
	for (size_t i = 0; i < sizeof(unread) / sizeof(unread[0]); i++) {
		const char *kv[] = { "reason", unread[i].reason };
		smp(o, PF_MC_UNREAD, kv, 1, unread[i].n);
	}
	uint64_t dying = HR_UNSET;
	if (t->n && t->version == 2 && t->nodes[0].has_cstat)
		dying = t->nodes[0].cstat.nr_dying_descendants;
	else if (t->version == 1 && set(t->proc_num_cgroups))
		dying = t->proc_num_cgroups > t->n ? t->proc_num_cgroups - t->n : 0;
	fam(o, PF_MC_DYING);
	smp(o, PF_MC_DYING, NULL, 0, dying);
	fam(o, PF_MC_DEAD);
	for (size_t i = 0; fs && i < fs->n; i++) {
		const struct hr_finding *f = &fs->items[i];
		const struct hr_fact *x = finding_fact(f, "dead_cache_bytes");
		if (strcmp(f->id, "memcg.dead_charges") || !x || x->type != HR_FACT_U64)
			continue;
		const char *kv[] = { "cgroup", f->subject };
		smp(o, PF_MC_DEAD, kv, 1, x->v.u);
	}
	fam(o, PF_MC_CUT);
	smp(o, PF_MC_CUT, NULL, 0, limited - nsel);
}

/* ---- conntrack, net ---------------------------------------------------- */

static void netns_label(const struct net_ns *ns, char *buf, size_t cap)
{
	if (set(ns->inode))
		snprintf(buf, cap, "%llu", (unsigned long long)ns->inode);
	else
		snprintf(buf, cap, "unknown");
}

static void render_conntrack(struct prom_out *o, const struct conntrack_snap *c)
{
	char ns[32];
	netns_label(&c->ns, ns, sizeof(ns));
	const char *kv[] = { "netns", ns };
	bool st = c->loaded && c->have_stat;
	const struct {
		int fam;
		uint64_t v;
	} v[] = {
		{ PF_CT_ENTRIES, c->loaded ? c->count : HR_UNSET },
		{ PF_CT_MAX, c->loaded ? c->max : HR_UNSET },
		{ PF_CT_BUCKETS, c->loaded ? c->buckets : HR_UNSET },
		{ PF_CT_DROP, st ? c->stat.drop : HR_UNSET },
		{ PF_CT_EARLY, st ? c->stat.early_drop : HR_UNSET },
		{ PF_CT_INSFAIL, st ? c->stat.insert_failed : HR_UNSET },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		fam(o, v[i].fam);
		smp(o, v[i].fam, kv, 1, v[i].v);
	}
}

static void render_net(struct prom_out *o, const struct netloss_snap *s)
{
	char ns[32];
	netns_label(&s->ns, ns, sizeof(ns));
	fam(o, PF_NET_LOSS);
	for (size_t i = 0; i < NL_EXPORTED; i++) {
		const char *kv[] = { "netns", ns, "counter", netloss_ctrs[i].key };
		smp(o, PF_NET_LOSS, kv, 2, s->c[i]);
	}
	const char *kv[] = { "netns", ns };
	fam(o, PF_SN_DROP);
	if (s->have_softnet)
		smp(o, PF_SN_DROP, kv, 1, s->softnet.dropped);
	fam(o, PF_SN_SQUEEZE);
	if (s->have_softnet)
		smp(o, PF_SN_SQUEEZE, kv, 1, s->softnet.time_squeeze);
	/* sockstat and tcp_mem are system-wide (not per netns). */
	fam(o, PF_SOCK_MEM);
	if (s->have_sockstat) {
		const char *t[] = { "proto", "tcp" }, *u[] = { "proto", "udp" };
		smp(o, PF_SOCK_MEM, t, 1, mul_sat(s->sockstat.tcp_mem_pages, s->page_size));
		smp(o, PF_SOCK_MEM, u, 1, mul_sat(s->sockstat.udp_mem_pages, s->page_size));
	}
	fam(o, PF_SOCK_LIMIT);
	static const char *const level[3] = { "min", "pressure", "max" };
	for (int i = 0; i < 3; i++) {
		const char *t[] = { "proto", "tcp", "level", level[i] };
		const char *u[] = { "proto", "udp", "level", level[i] };
		smp(o, PF_SOCK_LIMIT, t, 2, mul_sat(s->tcp_mem[i], s->page_size));
		smp(o, PF_SOCK_LIMIT, u, 2, mul_sat(s->udp_mem[i], s->page_size));
	}
}

/* ---- zones, netswap ---------------------------------------------------- */

static void render_zones(struct prom_out *o, const struct zones_snap *s)
{
	char node[16], order[24];
	uint64_t ps = s->page_size;

	fam(o, PF_Z_FREE);
	for (size_t i = 0; s->have_zoneinfo && i < s->zi.n; i++) {
		const struct zoneinfo_zone *z = &s->zi.zones[i];
		snprintf(node, sizeof(node), "%u", z->node);
		const char *kv[] = { "node", node, "zone", z->name };
		smp(o, PF_Z_FREE, kv, 2, mul_sat(z->free_pages, ps));
	}
	fam(o, PF_Z_WMARK);
	for (size_t i = 0; s->have_zoneinfo && i < s->zi.n; i++) {
		const struct zoneinfo_zone *z = &s->zi.zones[i];
		snprintf(node, sizeof(node), "%u", z->node);
		const char *lv[3] = { "min", "low", "high" };
		uint64_t v[3] = { z->min_pages, z->low_pages, z->high_pages };
		for (int k = 0; k < 3; k++) {
			const char *kv[] = { "node", node, "zone", z->name, "level", lv[k] };
			smp(o, PF_Z_WMARK, kv, 3, mul_sat(v[k], ps));
		}
	}
	fam(o, PF_Z_MANAGED);
	for (size_t i = 0; s->have_zoneinfo && i < s->zi.n; i++) {
		const struct zoneinfo_zone *z = &s->zi.zones[i];
		snprintf(node, sizeof(node), "%u", z->node);
		const char *kv[] = { "node", node, "zone", z->name };
		smp(o, PF_Z_MANAGED, kv, 2, mul_sat(z->managed_pages, ps));
	}
	fam(o, PF_Z_BLOCKS);
	for (size_t i = 0; s->have_buddyinfo && i < s->bi.n; i++) {
		const struct buddyinfo_zone *z = &s->bi.zones[i];
		snprintf(node, sizeof(node), "%u", z->node);
		for (size_t k = 0; k < z->norders; k++) {
			snprintf(order, sizeof(order), "%zu", k);
			const char *kv[] = { "node", node, "zone", z->name, "order", order };
			smp(o, PF_Z_BLOCKS, kv, 3, z->blocks[k]);
		}
	}
	const struct {
		int fam;
		uint64_t v;
	} vs[] = {
		{ PF_VM_ALLOCSTALL, s->vs.allocstall_total },
		{ PF_VM_CSTALL, s->vs.compact_stall },
		{ PF_VM_CFAIL, s->vs.compact_fail },
		{ PF_VM_CSUCC, s->vs.compact_success },
	};
	for (size_t i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
		fam(o, vs[i].fam);
		if (s->have_vmstat)
			smp(o, vs[i].fam, NULL, 0, vs[i].v);
	}
	fam(o, PF_VM_MINFREE);
	smp(o, PF_VM_MINFREE, NULL, 0, mul_sat(s->sc.min_free_kbytes, 1024));
	fam(o, PF_VM_MINFREE_REC);
	if (s->have_zoneinfo) {
		/* The same inputs as zones_judge.c's zones.min_free_kbytes. */
		struct vmcalc_nic nic;
		bool capped;
		vmcalc_nic(&s->nd, &nic);
		uint64_t lowmem = vmcalc_lowmem_kb(&s->zi, s->page_size);
		uint64_t def = vmcalc_default_min_free_kb(lowmem, s->kmajor, s->kminor);
		uint64_t thp = s->thp == 1 ? vmcalc_thp_min_free_kb(&s->zi, s->page_size,
								       s->hpage_pmd_bytes, lowmem) : 0;
		uint64_t rec = vmcalc_min_free_recommended_kb(def, nic.need_kb, thp, lowmem, &capped);
		smp(o, PF_VM_MINFREE_REC, NULL, 0, mul_sat(rec, 1024));
	}
}

static void render_netswap(struct prom_out *o, const struct netswap_snap *s)
{
	size_t network = 0;
	for (int which = 0; which < 2; which++) {
		int f = which ? PF_SWAP_USED : PF_SWAP_SIZE;
		fam(o, f);
		for (size_t i = 0; i < s->nswaps; i++) {
			struct netswap_class c;
			netswap_classify(&s->sw[i], &c);
			if (!which && c.network)
				network++;
			const char *kv[] = { "path", s->sw[i].e.path, "transport", c.transport,
					     "network", c.network ? "true" : "false" };
			smp(o, f, kv, 3, which ? s->sw[i].e.used_bytes : s->sw[i].e.size_bytes);
		}
	}
	fam(o, PF_SWAP_NET);
	if (s->have_swaps)
		smp(o, PF_SWAP_NET, NULL, 0, network);
	size_t rw = 0;
	for (size_t i = 0; i < s->nmounts; i++)
		rw += s->mounts[i].rw;
	fam(o, PF_NETFS_RW);
	if (s->have_mountinfo)
		smp(o, PF_NETFS_RW, NULL, 0, rw);
}

/* ---- findings, meta ---------------------------------------------------- */

static bool same_kind(const struct hr_finding *a, const struct hr_finding *b)
{
	return a->severity == b->severity && !strcmp(a->id, b->id);
}

static void render_findings(struct prom_out *o, const struct hr_findings *fs)
{
	fam(o, PF_FINDING);
	if (!fs)
		return;
	/* Sorted (findings_sort: severity, then id), equal kinds are runs:
	 * O(n). Otherwise every pair is compared (1,500 findings: 27 % of a
	 * render before this path existed). */
	bool sorted = true;
	for (size_t i = 1; i < fs->n && sorted; i++) {
		const struct hr_finding *a = &fs->items[i - 1], *b = &fs->items[i];
		sorted = a->severity > b->severity ||
			 (a->severity == b->severity && strcmp(a->id, b->id) <= 0);
	}
	if (sorted) {
		for (size_t i = 0; i < fs->n;) {
			size_t j = i + 1;
			while (j < fs->n && same_kind(&fs->items[i], &fs->items[j]))
				j++;
			const char *kv[] = { "id", fs->items[i].id, "severity",
					     severity_name(fs->items[i].severity) };
			smp(o, PF_FINDING, kv, 2, j - i);
			i = j;
		}
		return;
	}
	for (size_t i = 0; i < fs->n; i++) {
		const struct hr_finding *f = &fs->items[i];
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = same_kind(&fs->items[j], f);
		if (seen)
			continue;
		uint64_t n = 1;
		for (size_t j = i + 1; j < fs->n; j++)
			n += same_kind(&fs->items[j], f);
		const char *kv[] = { "id", f->id, "severity", severity_name(f->severity) };
		smp(o, PF_FINDING, kv, 2, n);
	}
}

static void render_guards(struct prom_out *o, const struct prom_guards *gs)
{
	fam(o, PF_GUARD_INFO);
	for (size_t i = 0; i < gs->n; i++) {
		const char *kv[] = { "guard", gs->g[i].name, "mode", gs->g[i].mode, "knob", gs->g[i].knob };
		smp(o, PF_GUARD_INFO, kv, 3, 1);
	}
	fam(o, PF_GUARD_VALUE);
	for (size_t i = 0; i < gs->n; i++) {
		const char *kv[] = { "guard", gs->g[i].name, "knob", gs->g[i].knob };
		if (gs->g[i].value != HR_UNSET)
			smp(o, PF_GUARD_VALUE, kv, 2, gs->g[i].value);
	}
	fam(o, PF_GUARD_ORIG);
	for (size_t i = 0; i < gs->n; i++) {
		const char *kv[] = { "guard", gs->g[i].name, "knob", gs->g[i].knob };
		if (gs->g[i].original != HR_UNSET)
			smp(o, PF_GUARD_ORIG, kv, 2, gs->g[i].original);
	}
	fam(o, PF_GUARD_DECISION);
	for (size_t i = 0; i < gs->n; i++) {
		const char *kv[] = { "guard", gs->g[i].name, "decision", gs->g[i].decision };
		if (gs->g[i].decision)
			smp(o, PF_GUARD_DECISION, kv, 2, 1);
	}
	fam(o, PF_GUARD_ACTIONS);
	for (size_t i = 0; i < gs->n; i++)
		for (size_t k = 0; k < PROM_GUARD_ACTIONS && gs->g[i].action[k]; k++) {
			const char *kv[] = { "guard", gs->g[i].name, "action", gs->g[i].action[k] };
			smp(o, PF_GUARD_ACTIONS, kv, 2, gs->g[i].actions[k]);
		}
}

int prom_render(struct prom_out *o, const struct prom_input *in, const struct prom_config *cfg,
		uint32_t *scratch, size_t scratch_len)
{
	const char *ver[] = { "version", in->version ? in->version : HR_VERSION };
	fam(o, PF_BUILD);
	smp(o, PF_BUILD, ver, 1, 1);
	fam(o, PF_AREA);
	const struct {
		const char *name;
		bool on;
	} areas[] = {
		{ "memcg", in->memcg }, { "conntrack", in->conntrack }, { "netswap", in->netswap },
		{ "zones", in->zones }, { "net", in->net },
	};
	for (size_t i = 0; i < sizeof(areas) / sizeof(areas[0]); i++) {
		const char *kv[] = { "area", areas[i].name };
		smp(o, PF_AREA, kv, 1, areas[i].on);
	}
	fam(o, PF_UNREAD);
	if (in->findings)
		smp(o, PF_UNREAD, NULL, 0, in->findings->notes.n + in->findings->notes.dropped);
	render_findings(o, in->findings);
	if (in->memcg)
		render_memcg(o, in->memcg, in->memcg_before, in->findings, cfg, scratch, scratch_len, in->memcg_agent,
			     in->memcg_agent_data);
	if (in->conntrack)
		render_conntrack(o, in->conntrack);
	if (in->zones)
		render_zones(o, in->zones);
	if (in->net)
		render_net(o, in->net);
	if (in->netswap)
		render_netswap(o, in->netswap);
	if (in->incidents) {
		fam(o, PF_INCIDENTS);
		for (int k = 0; k < HR_INC_NKINDS; k++) {
			const char *kv[] = { "kind", incident_kind_name((enum hr_incident_kind)k) };
			smp(o, PF_INCIDENTS, kv, 1, in->incidents[k]);
		}
	}
	if (in->http) {
		const struct http_srv_stats *h = in->http;
		fam(o, PF_HTTP_CONNS);
		const struct {
			const char *what;
			uint64_t v;
		} conns[] = { { "accepted", h->accepted }, { "rejected", h->rejected },
			      { "timeout", h->timeouts }, { "error", h->errors } };
		for (size_t i = 0; i < sizeof(conns) / sizeof(conns[0]); i++) {
			const char *kv[] = { "outcome", conns[i].what };
			smp(o, PF_HTTP_CONNS, kv, 1, conns[i].v);
		}
		fam(o, PF_HTTP_RESP);
		static const char *const codes[] = { "200", "400", "404", "405", "431", "503" };
		for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
			const char *kv[] = { "code", codes[i] };
			smp(o, PF_HTTP_RESP, kv, 1, h->responses[i]);
		}
		fam(o, PF_HTTP_RENDER);
		const char *last[] = { "stat", "last" }, *max[] = { "stat", "max" };
		prom_sample_f64(o, fam_name[PF_HTTP_RENDER], last, 1, (double)h->render_usec_last / 1e6);
		prom_sample_f64(o, fam_name[PF_HTTP_RENDER], max, 1, (double)h->render_usec_max / 1e6);
	}
	if (in->agent) {
		const struct prom_agent *a = in->agent;
		fam(o, PF_AG_CPU);
		prom_sample_f64(o, fam_name[PF_AG_CPU], NULL, 0, a->cpu_seconds);
		fam(o, PF_AG_RSS);
		smp(o, PF_AG_RSS, NULL, 0, a->rss_bytes);
		fam(o, PF_AG_LAG);
		prom_sample_f64(o, fam_name[PF_AG_LAG], NULL, 0, a->loop_lag_seconds);
		fam(o, PF_AG_PASSES);
		smp(o, PF_AG_PASSES, NULL, 0, a->passes);
		fam(o, PF_AG_PASS_SEC);
		prom_sample_f64(o, fam_name[PF_AG_PASS_SEC], NULL, 0, a->pass_seconds);
		fam(o, PF_AG_JOURNAL);
		smp(o, PF_AG_JOURNAL, NULL, 0, a->journal_records);
		fam(o, PF_AG_ERRORS);
		static const char *const where[PROM_AGENT_ERR_KINDS] = { "sample", "act", "journal", "kmsg", "metrics" };
		for (int i = 0; i < PROM_AGENT_ERR_KINDS; i++) {
			const char *kv[] = { "where", where[i] };
			smp(o, PF_AG_ERRORS, kv, 1, a->errors[i]);
		}
		fam(o, PF_AG_KMSG_LOST);
		smp(o, PF_AG_KMSG_LOST, NULL, 0, a->kmsg_lost);
	}
	if (in->guards)
		render_guards(o, in->guards);
	/* The trailer uses the reserve: it is always written. */
	size_t cut = o->lines_cut;
	size_t s = line_begin(o);
	put(o, true, "# HELP %s %s\n# TYPE %s %s\n%s %zu\n", fam_name[PF_LINES_CUT],
	    fam_help[PF_LINES_CUT], fam_name[PF_LINES_CUT], fam_type[PF_LINES_CUT],
	    fam_name[PF_LINES_CUT], cut);
	line_end(o, s);
	return o->lines_cut ? -E2BIG : 0;
}
