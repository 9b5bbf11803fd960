/* incident_build.c - a closed incident becomes a finding: typed facts, why,
 * and the fix with numbers. Pure; see incident_int.h. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "detect/incident_int.h"
#include "snapshot/kver.h"

static const char *const kind_names[HR_INC_NKINDS] = {
	"alloc_failure", "oom_kill", "conntrack_full", "socket_memory",
	"syn_flood", "hung_task_netstorage", "nfs_not_responding", "slab_alloc_failure",
	"neighbour_table_overflow", "conntrack_expect_full", "dst_cache_overflow",
	"netblock_io_error",
};

const char *incident_kind_name(enum hr_incident_kind k)
{
	return (unsigned)k < HR_INC_NKINDS ? kind_names[k] : "unknown";
}

#define PAGE_BYTES 4096u	/* x86/arm64 default; the log does not say */

/* Doubles a sysctl now and persists the new value (a fix for values the
 * log does not give): two command lines, paste-safe, keys are constants. */
static void fix_sysctl_double(struct hr_finding *f, const char *key)
{
	finding_fix_cmd(f, "sysctl -w %s=$(( $(sysctl -n %s) * 2 ))", key, key);
	finding_fix_cmd(f, "printf '%%s\\n' \"%s = $(sysctl -n %s)\" | tee /etc/sysctl.d/60-headroom-%s.conf",
			key, key, key);
}

static bool pre(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static bool fn_is(const char *f, const char *name)
{
	size_t n = strlen(name);
	return !strncmp(f, name, n) && (f[n] == '\0' || f[n] == '.');
}

const char *incident_storage_of(const struct ex_frame *fr)
{
	const char *m = fr->module, *f = fr->func;
	/* sunrpc (rpc_*, xprt_*, svc_*) carries NFS; named "nfs" as the mount is. */
	if (!strcmp(m, "nfs") || pre(m, "nfsv") || !strcmp(m, "sunrpc") || pre(f, "nfs_") ||
	    pre(f, "nfs4_") || pre(f, "_nfs4_") || pre(f, "__nfs") || pre(f, "rpc_") || pre(f, "__rpc_") ||
	    pre(f, "xprt_") || pre(f, "xs_tcp_") || pre(f, "svc_"))
		return "nfs";
	if (!strcmp(m, "ceph") || !strcmp(m, "libceph") || (pre(f, "ceph_") && strcmp(m, "rbd")))
		return "ceph";	/* CephFS, or libceph under rbd: Ceph's messenger either way */
	if (!strcmp(m, "fuse") || pre(f, "fuse_") || pre(f, "__fuse_"))
		return "fuse";
	if (!strcmp(m, "9pnet") || !strcmp(m, "9p") || pre(f, "p9_") || pre(f, "v9fs_"))
		return "9p";
	if (strstr(m, "iscsi") || strstr(m, "isert") || pre(f, "iscsi") || pre(f, "iscsit_") ||
	    pre(f, "isert_"))
		return "iscsi";
	if (!strcmp(m, "nbd") || pre(f, "nbd_"))
		return "nbd";
	if (!strcmp(m, "rbd") || pre(f, "rbd_"))
		return "rbd";
	if (!strcmp(m, "nvme_tcp") || pre(f, "nvme_tcp_"))
		return "nvme_tcp";
	if (!strcmp(m, "cifs") || !strcmp(m, "smb") || pre(f, "cifs_") || pre(f, "smb2_") ||
	    pre(f, "smb3_") || pre(f, "smb_send_rqst"))
		return "cifs";
	return NULL;
}

enum path { P_OTHER, P_RX, P_TX, P_REFILL, P_FS };
static const char *const path_names[] = {
	"other", "network_receive", "network_transmit", "driver_refill", "filesystem",
};

static enum path frame_path(const char *f, const char *m)
{
	static const char *const rx[] = {
		"netif_receive_skb", "__netif_receive_skb", "napi_gro_receive", "net_rx_action",
		"ip_rcv", "ip_local_deliver", "tcp_v4_rcv", "tcp_v6_rcv", "tcp_rcv_established",
		"udp_rcv", "__udp4_lib_rcv", "br_handle_frame", "napi_poll", "__napi_poll",
		"tcp_data_queue", "tcp_collapse", "tcp_prune_queue", "netif_rx", "process_backlog",
		"ipv6_rcv", "gro_cell_poll", "napi_gro_frags", "tcp_v4_do_rcv", "ip_list_rcv",
		"netif_receive_skb_list_internal", "tcp_rcv_state_process", "__napi_alloc_skb",
		"napi_alloc_skb", "__netdev_alloc_skb", "netdev_alloc_skb", "dev_alloc_skb",
		"__netif_receive_skb_core", "napi_gro_complete", "__alloc_rx_skb",
	};
	static const char *const tx[] = {
		"dev_queue_xmit", "__dev_queue_xmit", "dev_hard_start_xmit", "sch_direct_xmit",
		"ip_output", "ip_finish_output", "ip_finish_output2", "ip_queue_xmit",
		"__ip_queue_xmit", "tcp_transmit_skb", "__tcp_transmit_skb", "tcp_write_xmit",
		"tcp_sendmsg", "tcp_sendmsg_locked", "udp_sendmsg", "ip6_output", "ip6_xmit",
		"__tcp_push_pending_frames", "tcp_push", "sk_stream_alloc_skb", "tcp_stream_alloc_skb",
		"ip_make_skb", "ip_append_data", "__ip_append_data", "sock_sendmsg", "tcp_sendpage",
		"inet_sendmsg", "pskb_expand_head", "__pskb_pull_tail", "skb_copy_ubufs",
	};
	if ((strstr(f, "refill") || strstr(f, "fill_recv") || strstr(f, "alloc_rx") ||
	     strstr(f, "rx_alloc") || pre(f, "page_pool_alloc")) &&
	    !pre(f, "skb_page_frag_refill") && !pre(f, "sk_page_frag_refill") &&
	    !pre(f, "cache_alloc_refill"))
		return P_REFILL;
	for (size_t i = 0; i < sizeof(rx) / sizeof(rx[0]); i++)
		if (fn_is(f, rx[i]))
			return P_RX;
	for (size_t i = 0; i < sizeof(tx) / sizeof(tx[0]); i++)
		if (fn_is(f, tx[i]))
			return P_TX;
	if (strstr(f, "_start_xmit") || strstr(f, "_xmit_frame"))
		return P_TX;
	if (pre(f, "ext4_") || pre(f, "xfs_") || pre(f, "btrfs_") || pre(f, "vfs_") ||
	    pre(f, "generic_perform_write") || pre(f, "filemap_") || pre(f, "__filemap_") ||
	    pre(f, "fuse_") || pre(f, "nfs_") || pre(f, "do_writepages") || pre(f, "ext3_") ||
	    !strcmp(m, "nfs") || !strcmp(m, "ext4") || !strcmp(m, "xfs") || !strcmp(m, "btrfs"))
		return P_FS;
	return P_OTHER;
}

/* Reliable frames when the kernel marked any as reliable, else all. */
static bool use_frame(const struct ex_open *o, unsigned i)
{
	bool any_reliable = false;
	for (unsigned k = 0; k < o->nframes && !any_reliable; k++)
		any_reliable = !o->frames[k].unreliable;
	return !any_reliable || !o->frames[i].unreliable;
}

static void key_frames(struct hr_finding *f, const struct ex_open *o, unsigned max)
{
	char buf[112];
	for (unsigned i = 0, n = 0; i < o->nframes && n < max; i++) {
		if (!use_frame(o, i))
			continue;
		if (o->frames[i].module[0])
			snprintf(buf, sizeof(buf), "%s [%s]", o->frames[i].func, o->frames[i].module);
		else
			snprintf(buf, sizeof(buf), "%s", o->frames[i].func);
		fact_list_add(f, "key_frames", buf);
		n++;
	}
}

/* Seconds since the epoch (UTC) of w, false if the log does not say. */
static bool wall_utc(const struct ex_ctx *x, const struct hr_wall *w, int64_t *t)
{
	switch (w->kind) {
	case HR_WALL_UTC:
		*t = logline_civil_seconds(w->year, w->mon, w->day, w->hour, w->min, w->sec) -
		     w->off_sec;
		return true;
	case HR_WALL_LOCAL:
	case HR_WALL_NOYEAR:
		return x->wall_fn && !x->wall_fn(x->wall_arg, w, t);
	case HR_WALL_NONE:
		break;
	}
	return false;
}

/* first_seen / last_seen (ISO 8601 UTC, null when the log has no wall
 * clock) and what they rest on (time_basis, only when known). */
static void seen_times(const struct ex_ctx *x, const struct ex_open *o, struct hr_finding *f)
{
	static const char *const basis_of[] = {
		[HR_WALL_UTC] = "log_utc_offset",
		[HR_WALL_LOCAL] = "log_local_time",
		[HR_WALL_NOYEAR] = "log_local_time_year_assumed",
	};
	int64_t t0, t1;
	const char *basis = NULL;
	char b0[32], b1[32];

	if (wall_utc(x, &o->wall_first, &t0)) {
		if (!wall_utc(x, &o->wall_last, &t1) || t1 < t0)
			t1 = t0;
		basis = basis_of[o->wall_first.kind];
	} else if (o->ts_kind == HR_TS_MONO && x->boot_usec > 0 && o->first_ts >= 0 &&
		   o->last_ts >= o->first_ts && o->last_ts < INT64_MAX - x->boot_usec) {
		/* /dev/kmsg: boot time + the record's stamp (local_clock, which
		 * stops during suspend: after a suspend this runs early, as
		 * dmesg -T does). */
		t0 = (x->boot_usec + o->first_ts) / 1000000;
		t1 = (x->boot_usec + o->last_ts) / 1000000;
		basis = "boot_time";
	}
	if (!basis) {
		fact_null(f, "first_seen");
		fact_null(f, "last_seen");
		return;
	}
	logline_iso_utc(t0, b0, sizeof(b0));
	logline_iso_utc(t1, b1, sizeof(b1));
	fact_str(f, "first_seen", b0);
	fact_str(f, "last_seen", b1);
	fact_str(f, "time_basis", basis);
}

static void common(const struct ex_ctx *x, const struct ex_open *o, struct hr_finding *f,
		   const char **kernel)
{
	f->kind[0] = '\0';
	snprintf(f->kind, sizeof(f->kind), "%s", incident_kind_name(o->kind));
	*kernel = o->kernel[0] ? o->kernel : (x->kernel && x->kernel[0] ? x->kernel : NULL);
	if (*kernel)
		fact_str(f, "kernel", *kernel);
	if (o->host[0])
		fact_str(f, "host", o->host);
	if (o->caller[0])
		fact_str(f, "caller", o->caller);
	/* Integer microseconds: JSON doubles are printed with 6 digits. */
	if (o->ts_kind == HR_TS_MONO && o->first_ts >= 0)
		fact_u64(f, "uptime_usec", (uint64_t)o->first_ts);
	seen_times(x, o, f);
}

static void kernel_version(const struct ex_ctx *x, const struct ex_open *o,
			   unsigned *maj, unsigned *min)
{
	*maj = o->kernel[0] ? o->kmajor : x->kmajor;
	*min = o->kernel[0] ? o->kminor : x->kminor;
}

/* GFP decoding with the layout and the reason it was chosen. */
static enum hr_gfp_layout gfp_facts(const struct ex_ctx *x, const struct ex_open *o,
				    struct hr_finding *f)
{
	unsigned maj, min;
	enum hr_gfp_layout l = HR_GFP_UNKNOWN;
	const char *basis = "unknown";
	char why[96];

	kernel_version(x, o, &maj, &min);
	if (maj) {
		l = gfp_layout_for_version(maj, min);
		snprintf(why, sizeof(why), "kernel version %u.%u in the log", maj, min);
		basis = why;
	}
	if (l == HR_GFP_UNKNOWN && o->names[0]) {
		l = gfp_layout_from_names(o->mask, o->names, strlen(o->names));
		basis = "flag names printed by the kernel";
	}
	if (l == HR_GFP_UNKNOWN) {
		l = gfp_layout_from_shape(o->mask);
		basis = "shape of the mask";
	}
	char hex[24];
	snprintf(hex, sizeof(hex), "%#" PRIx64, o->mask);
	fact_u64(f, "gfp_mask", o->mask);
	fact_str(f, "gfp_mask_hex", hex);
	if (o->names[0]) {
		/* The kernel's own decoding is authoritative. */
		char tmp[sizeof(o->names)];
		snprintf(tmp, sizeof(tmp), "%s", o->names);
		for (char *s = tmp, *e; s && *s; s = e) {
			e = strchr(s, '|');
			if (e)
				*e++ = '\0';
			fact_list_add(f, "gfp_flags", s);
		}
		fact_str(f, "gfp_flags_source", "kernel");
	} else if (l != HR_GFP_UNKNOWN) {
		const char *names[48];
		size_t n = gfp_decode(o->mask, l, names, 48, hex, sizeof(hex));
		for (size_t i = 0; i < n; i++)
			fact_list_add(f, "gfp_flags", names[i]);
		fact_str(f, "gfp_flags_source", "decoded");
	}
	fact_str(f, "gfp_layout", gfp_layout_name(l));
	fact_str(f, "gfp_layout_basis", l == HR_GFP_UNKNOWN ? "unknown" : basis);
	return l;
}

static const struct ex_zone *primary_zone(const struct ex_open *o)
{
	static const char *const order_pref[] = { "Normal", "DMA32", "DMA" };
	const char *want = NULL;
	if (o->mask & 0x1)
		want = "DMA";
	else if (o->mask & 0x4)
		want = "DMA32";
	for (size_t k = 0; k < 3 && !want; k++)
		for (unsigned i = 0; i < o->nzones && !want; i++)
			if (!strcmp(o->zones[i].zone, order_pref[k]) && o->zones[i].free_kb != HR_UNSET)
				want = order_pref[k];
	for (unsigned i = 0; want && i < o->nzones; i++)
		if (!strcmp(o->zones[i].zone, want) && o->zones[i].free_kb != HR_UNSET)
			return &o->zones[i];
	return NULL;
}

static uint64_t blocks_at_or_above(const struct ex_zone *z, uint64_t order)
{
	uint64_t n = 0;
	for (int i = (int)order; i < z->norders && i < KLOG_ORDERS; i++)
		n += z->count[i];
	return n;
}

static void fmt_kb(char *buf, size_t cap, uint64_t kb)
{
	if (kb >= 10 * 1024 * 1024)
		snprintf(buf, cap, "%" PRIu64 " GiB", kb / (1024 * 1024));
	else if (kb >= 10 * 1024 || (kb >= 1024 && kb % 1024 == 0))
		snprintf(buf, cap, "%" PRIu64 " MiB", kb / 1024);
	else
		snprintf(buf, cap, "%" PRIu64 " KiB", kb);
}

/* Generic network-core functions that look like driver entry points
 * (dev_hard_start_xmit, net_rx_action, netif_receive_skb...): never name
 * them as the driver. Seed 003 (3.4, xen): the driver is xennet_poll. */
static bool core_net_frame(const char *func)
{
	static const char *const core[] = { "dev_", "netdev_", "net_", "netif_", "napi_",
					    "sch_", "skb_", "ip_", "ip6_", "tcp_", "udp_",
					    "sk_", "sock_", "inet_", "neigh_", "br_" };
	for (size_t i = 0; i < sizeof(core) / sizeof(core[0]); i++)
		if (pre(func, core[i]))
			return true;
	return false;
}

/* The facts every rate-limited burst reports: lines seen, lines the rate
 * limit suppressed, their sum, and the message form. */
static void burst_facts(const struct ex_open *o, struct hr_finding *f, uint64_t total)
{
	fact_u64(f, "lines", o->lines);
	fact_u64(f, "suppressed", o->suppressed);
	fact_u64(f, "drops_logged", total);
	fact_str(f, "message_form", o->form);
}

/* The burst's span in seconds (fact duration_seconds), or -1 without times. */
static double burst_duration(const struct ex_open *o, struct hr_finding *f)
{
	double dur = o->ts_kind != HR_TS_NONE && o->last_ts >= o->first_ts ?
		     (double)(o->last_ts - o->first_ts) / 1e6 : -1;
	if (dur >= 0)
		fact_f64(f, "duration_seconds", dur);
	return dur;
}

static void build_alloc(const struct ex_ctx *x, const struct ex_open *o, struct hr_finding *f)
{
	const char *kernel;
	enum path path = P_OTHER;
	const char *driver = NULL;
	char drvbuf[64] = "", sz[32];

	for (unsigned i = 0; i < o->nframes && path == P_OTHER; i++)
		if (use_frame(o, i))
			path = frame_path(o->frames[i].func, o->frames[i].module);
	for (unsigned i = 0; i < o->nframes && !driver; i++) {
		const struct ex_frame *fr = &o->frames[i];
		if (!use_frame(o, i) || fr->func[0] == '_' || core_net_frame(fr->func))
			continue;
		bool drv = (strstr(fr->func, "_poll") && !pre(fr->func, "napi_poll") &&
			    !pre(fr->func, "net_rx_action")) ||
			   frame_path(fr->func, fr->module) == P_REFILL ||
			   strstr(fr->func, "_start_xmit") || strstr(fr->func, "_rx_");
		if (!drv)
			continue;
		if (fr->module[0]) {
			driver = fr->module;
		} else {
			size_t n = strcspn(fr->func, "_");
			if (n && n < sizeof(drvbuf)) {
				memcpy(drvbuf, fr->func, n);
				drvbuf[n] = '\0';
				driver = drvbuf;
			}
		}
	}
	bool network = path == P_RX || path == P_TX || path == P_REFILL;
	/* The innermost interrupt level decides: a hardirq handler frame below
	 * the allocation beats the softirq frames further out. */
	const char *ctx = o->hardirq && !o->softirq ? "hardirq" :
			  (o->softirq || o->in_irq || pre(o->comm, "ksoftirqd/")) ? "softirq" :
			  pre(o->comm, "irq/") ? "irq_thread" : "process";
	bool atomic = false;

	f->severity = o->stall ? HR_SEV_WARN : (network ? HR_SEV_CRIT : HR_SEV_WARN);
	snprintf(f->id, sizeof(f->id), "explain.%s", o->stall ? "alloc_stall" : "alloc_failure");
	const char *comm = o->comm[0] ? o->comm : "(comm not in the log)";
	snprintf(f->subject, sizeof(f->subject), "%s order %" PRIu64, comm, o->order);
	if (o->pid >= 0)
		snprintf(f->subject, sizeof(f->subject), "%s pid %" PRId64 " order %" PRIu64,
			 comm, o->pid, o->order);
	common(x, o, f, &kernel);
	if (o->comm[0])
		fact_str(f, "comm", o->comm);
	if (o->pid >= 0)
		fact_i64(f, "pid", o->pid);
	fact_u64(f, "order", o->order);
	fact_u64(f, "size_bytes", (uint64_t)PAGE_BYTES << (o->order > 40 ? 40 : o->order));
	enum hr_gfp_layout l = gfp_facts(x, o, f);
	uint64_t sleep_bit = gfp_can_sleep_bit(l);
	if (sleep_bit) {
		atomic = !(o->mask & sleep_bit);
		fact_bool(f, "can_sleep", !atomic);
	}
	if (o->nodemask[0])
		fact_str(f, "nodemask", o->nodemask);
	if (o->stall)
		fact_u64(f, "stall_ms", o->stall_ms);
	fact_str(f, "context", ctx);
	if (o->workqueue[0])
		fact_str(f, "workqueue", o->workqueue);
	fact_str(f, "path", path_names[path]);
	if (driver)
		fact_str(f, "driver", driver);
	key_frames(f, o, 8);
	if (o->suppressed_before)
		fact_u64(f, "suppressed_before", o->suppressed_before);
	if (o->slub_cache[0])
		fact_str(f, "slab_cache", o->slub_cache);

	const struct ex_zone *z = primary_zone(o);
	uint64_t sum_min = 0;
	for (unsigned i = 0; i < o->nzones; i++)
		if (o->zones[i].min_kb != HR_UNSET && strcmp(o->zones[i].zone, "HighMem"))
			sum_min = sat_add(sum_min, o->zones[i].min_kb);
	const char *verdict = "unknown";
	uint64_t above = 0;
	if (z) {
		fact_str(f, "zone", z->zone);
		if (z->node >= 0)
			fact_i64(f, "zone_node", z->node);
		fact_u64(f, "zone_free_bytes", sat_mul(z->free_kb, 1024));
		fact_u64(f, "zone_min_bytes", sat_mul(z->min_kb, 1024));
		fact_u64(f, "zone_low_bytes", sat_mul(z->low_kb, 1024));
		fact_u64(f, "zone_high_bytes", sat_mul(z->high_kb, 1024));
		if (z->largest > -2) {
			fact_i64(f, "zone_largest_free_order", z->largest);
			above = blocks_at_or_above(z, o->order);
			fact_u64(f, "zone_free_blocks_at_order", above);
		}
		if (z->free_kb <= z->min_kb)
			verdict = "exhaustion";
		else if (z->largest > -2 && o->order > 0 && above <= 1)
			verdict = "fragmentation";
		else
			verdict = "transient";
	}
	for (unsigned i = 0; i < o->nzones; i++) {
		const struct ex_zone *e = &o->zones[i];
		char b[160];
		if (e->free_kb == HR_UNSET)
			continue;
		int n = snprintf(b, sizeof(b), "%s free=%" PRIu64 "kB min=%" PRIu64 "kB low=%" PRIu64
				 "kB high=%" PRIu64 "kB", e->zone, e->free_kb, e->min_kb,
				 e->low_kb, e->high_kb);
		if (e->node >= 0)
			n = snprintf(b, sizeof(b), "Node %d %s free=%" PRIu64 "kB min=%" PRIu64 "kB low=%"
				     PRIu64 "kB high=%" PRIu64 "kB", e->node, e->zone, e->free_kb,
				     e->min_kb, e->low_kb, e->high_kb);
		if (e->largest > -2 && n > 0 && (size_t)n < sizeof(b))
			snprintf(b + n, sizeof(b) - (size_t)n, " largest_order=%d", e->largest);
		fact_list_add(f, "zones", b);
	}
	fact_str(f, "verdict", verdict);

	/* Why. */
	fmt_kb(sz, sizeof(sz), ((uint64_t)PAGE_BYTES << (o->order > 40 ? 40 : o->order)) / 1024);
	if (o->stall)
		finding_explain(f, "%s waited %" PRIu64 " ms in reclaim and compaction for %s (order %"
				PRIu64 ") of contiguous memory", o->comm[0] ? o->comm : "A task",
				o->stall_ms, sz, o->order);
	else
		finding_explain(f, "%s could not get %s (order %" PRIu64 ") of contiguous memory",
				o->comm[0] ? o->comm : "A task", sz, o->order);
	if (atomic)
		finding_explain(f, " without being allowed to sleep or reclaim (mode %#" PRIx64
				", an atomic allocation)", o->mask);
	else
		finding_explain(f, " (mode %#" PRIx64 ")", o->mask);
	finding_explain(f, ", in %s context", ctx);
	if (network)
		finding_explain(f, " on the %s path%s%s: the packet or buffer being built was dropped",
				path == P_RX ? "network receive" : path == P_TX ? "network transmit" :
				"driver receive-ring refill", driver ? " of driver " : "", driver ? driver : "");
	else if (path == P_FS)
		finding_explain(f, " in filesystem code");
	finding_explain(f, ".");
	if (z) {
		char a[32], b2[32], c[32];
		fmt_kb(a, sizeof(a), z->free_kb);
		fmt_kb(b2, sizeof(b2), z->min_kb);
		fmt_kb(c, sizeof(c), z->low_kb);
		finding_explain(f, " Zone %s had %s free against a min watermark of %s (low %s)", z->zone,
				a, b2, c);
		if (z->largest > -2)
			finding_explain(f, "; its largest free block was order %d", z->largest);
		finding_explain(f, ".");
		if (!strcmp(verdict, "exhaustion"))
			finding_explain(f, " Free memory was at the reserve: exhaustion, not fragmentation. "
					"Reclaim (kswapd) did not keep up with the rate of allocation, and an "
					"allocation that cannot sleep fails as soon as the reserve is used up.");
		else if (!strcmp(verdict, "fragmentation"))
			finding_explain(f, " Memory was free but not in a block of order %" PRIu64
					" (only %" PRIu64 " such block%s): fragmentation.", o->order, above,
					above == 1 ? "" : "s");
		else
			finding_explain(f, " A suitable block existed when the report was printed: a "
					"burst used the reserve faster than it was refilled.");
	} else {
		finding_explain(f, " The excerpt has no Mem-Info dump, so exhaustion and fragmentation "
				"cannot be told apart.");
	}
	if (o->suppressed_before)
		finding_explain(f, " %" PRIu64 " similar reports were suppressed before this one.",
				o->suppressed_before);

	/* Fix. */
	uint64_t want = sum_min ? ((sum_min * 2 + 1023) / 1024) * 1024 : 0;
	unsigned maj, min;
	kernel_version(x, o, &maj, &min);
	if (o->stall) {
		finding_fix_comment(f, "the allocation may sleep, so it did not fail, but it spent %" PRIu64
				    " ms in direct reclaim/compaction: let kswapd work ahead (4.6+)",
				    o->stall_ms);
		finding_fix_sysctl(f, "vm.watermark_scale_factor", "200");
		finding_fix_cmd(f, "cat /proc/pressure/memory");
		if (o->order >= 9)
		{
			finding_fix_comment(f, "order %" PRIu64 " is a huge page: keep THP collapse out of "
					    "direct compaction", o->order);
			finding_fix_cmd(f, "echo defer+madvise | tee /sys/kernel/mm/transparent_hugepage/defrag");
		}
	} else if (!strcmp(verdict, "fragmentation")) {
		finding_fix_comment(f, "now: rebuild order-%" PRIu64 " blocks", o->order);
		finding_fix_cmd(f, "echo 1 | tee /proc/sys/vm/compact_memory");
		if (!maj || maj > 5 || (maj == 5 && min >= 9))
		{
			finding_fix_comment(f, "5.9+, default 20: compact in the background");
			finding_fix_sysctl(f, "vm.compaction_proactiveness", "40");
		}
		if (want)
		{
			finding_fix_comment(f, "about twice the current sum of zone min watermarks (%" PRIu64
					    " kB): a larger reserve keeps high orders free", sum_min);
			finding_fix_sysctl(f, "vm.min_free_kbytes", "%" PRIu64, want);
		}
		if (network && o->order > 0)
		{
			finding_fix_comment(f, "avoid order-%" PRIu64 " allocations on this path: an MTU of "
					    "1500 instead of jumbo frames, or scatter-gather on so the "
					    "driver uses order-0 pages (DEV: the interface):", o->order);
			finding_fix_comment(f, "  ethtool -K DEV sg on");
		}
	} else if (!strcmp(verdict, "exhaustion") || !strcmp(verdict, "transient")) {
		if (want)
		{
			finding_fix_comment(f, "twice the current sum of zone min watermarks (%" PRIu64
					    " kB): more reserve for allocations that cannot sleep", sum_min);
			finding_fix_sysctl(f, "vm.min_free_kbytes", "%" PRIu64, want);
		}
		else
		{
			finding_fix_comment(f, "double vm.min_free_kbytes: more reserve for allocations "
					    "that cannot sleep");
			fix_sysctl_double(f, "vm.min_free_kbytes");
		}
		if (!maj || maj > 4 || (maj == 4 && min >= 6))
		{
			finding_fix_comment(f, "4.6+, default 10: kswapd starts reclaiming earlier");
			finding_fix_sysctl(f, "vm.watermark_scale_factor", "200");
		}
	} else {
		finding_fix_comment(f, "capture the whole report (with the Mem-Info dump) to tell "
				    "exhaustion from fragmentation; meanwhile double vm.min_free_kbytes");
		fix_sysctl_double(f, "vm.min_free_kbytes");
	}
	if (maj && (maj < 4 || (maj == 4 && min < 4)))
		finding_fix_comment(f, "kernel %u.%u predates the high-order atomic reserve (4.4) and "
				    "watermark boosting (5.0): a current kernel avoids most of these "
				    "failures", maj, min);
}

static const char *constraint_name(const struct ex_open *o)
{
	if (!strcmp(o->constraint, "CONSTRAINT_MEMCG"))
		return "memcg";
	if (!strcmp(o->constraint, "CONSTRAINT_CPUSET"))
		return "cpuset";
	if (!strcmp(o->constraint, "CONSTRAINT_MEMORY_POLICY"))
		return "mempolicy";
	if (!strcmp(o->constraint, "CONSTRAINT_NONE") || o->global_scope)
		return "global";
	if (o->memcg_scope || o->memcg[0])
		return "memcg";
	return "unknown";
}

static const char *regime_fact(enum hr_sock_regime r)
{
	static const char *const name[] = {
		[HR_SOCK_UNKNOWN] = "unknown", [HR_SOCK_NOT_ACCOUNTED] = "not_accounted",
		[HR_SOCK_DROP_OVERCHARGE] = "drop_then_overcharge", [HR_SOCK_DROP] = "drop",
		[HR_SOCK_OVERCHARGE] = "overcharge",
	};
	return name[r];
}

static void build_oom(const struct ex_ctx *x, const struct ex_open *o, struct hr_finding *f)
{
	const char *kernel, *cons = constraint_name(o);
	enum hr_sock_regime regime = HR_SOCK_UNKNOWN;
	char a[32], b[32];

	f->severity = HR_SEV_CRIT;
	snprintf(f->id, sizeof(f->id), "explain.oom_kill");
	if (o->victim_pid >= 0)
		snprintf(f->subject, sizeof(f->subject), "%.60s pid %" PRId64 "%s%.150s", o->victim,
			 o->victim_pid, o->memcg[0] ? " in " : "", o->memcg);
	else
		snprintf(f->subject, sizeof(f->subject), "%s", o->comm[0] ? o->comm : "oom");
	common(x, o, f, &kernel);
	fact_str(f, "constraint", cons);
	if (o->no_killable)
		fact_bool(f, "no_killable_process", true);
	if (o->comm[0])
		fact_str(f, "invoker_comm", o->comm);
	if (o->pid >= 0)
		fact_i64(f, "invoker_pid", o->pid);
	if (o->mask_set)
		gfp_facts(x, o, f);
	if (o->oom_order > -2)
		fact_i64(f, "order", o->oom_order);
	if (o->mask_set)
		fact_i64(f, "oom_score_adj", o->score_adj);
	if (o->victim_pid >= 0)
		fact_i64(f, "victim_pid", o->victim_pid);
	if (o->victim[0])
		fact_str(f, "victim_comm", o->victim);
	if (o->score != HR_UNSET)
		fact_u64(f, "victim_score", o->score);
	if (!o->victim_rss) {
		/* 5.x+ with the kill line cut off: the task table still has it. */
		for (unsigned i = 0; i < EXPLAIN_TASKS_TOP && i < o->ntasks; i++)
			if (o->top[i].pid == o->victim_pid && o->victim_pid >= 0)
				fact_u64(f, "victim_rss_bytes", sat_mul(o->top[i].rss_pages, PAGE_BYTES));
	}
	if (o->victim_rss) {
		fact_u64(f, "victim_total_vm_bytes", sat_mul(o->total_vm_kb, 1024));
		fact_u64(f, "victim_anon_rss_bytes", sat_mul(o->anon_kb, 1024));
		fact_u64(f, "victim_file_rss_bytes", sat_mul(o->file_kb, 1024));
		if (o->shmem_kb != HR_UNSET)
			fact_u64(f, "victim_shmem_rss_bytes", sat_mul(o->shmem_kb, 1024));
		uint64_t rss = sat_add(o->anon_kb, sat_add(o->file_kb, o->shmem_kb == HR_UNSET ? 0 : o->shmem_kb));
		fact_u64(f, "victim_rss_bytes", sat_mul(rss, 1024));
	}
	if (o->cgroup_version[0])
		fact_str(f, "cgroup_version", o->cgroup_version);
	if (o->memcg[0])
		fact_str(f, "memcg", o->memcg);
	if (o->task_memcg[0])
		fact_str(f, "task_memcg", o->task_memcg);
	if (o->usage_kb != HR_UNSET) {
		fact_u64(f, "memcg_usage_bytes", sat_mul(o->usage_kb, 1024));
		fact_u64(f, "memcg_limit_bytes", sat_mul(o->limit_kb, 1024));
		if (o->failcnt != HR_UNSET)
			fact_u64(f, "memcg_failcnt", o->failcnt);
	}
	unsigned top = o->ntasks < EXPLAIN_TASKS_TOP ? o->ntasks : EXPLAIN_TASKS_TOP;
	for (unsigned i = 0; i < top; i++) {
		char t[96];
		snprintf(t, sizeof(t), "%s pid=%" PRId64 " rss_bytes=%" PRIu64, o->top[i].comm,
			 o->top[i].pid, sat_mul(o->top[i].rss_pages, PAGE_BYTES));
		fact_list_add(f, "largest_tasks", t);
	}
	if (o->ntasks)
		fact_u64(f, "tasks_listed", o->ntasks);

	if (!strcmp(cons, "memcg"))
		finding_explain(f, "The memory cgroup %s reached its limit", o->memcg[0] ? o->memcg : "(path not in the excerpt)");
	else if (!strcmp(cons, "global"))
		finding_explain(f, "The whole host ran out of memory");
	else
		finding_explain(f, "The OOM killer ran (constraint %s)", cons);
	if (o->comm[0])
		finding_explain(f, " while %s was allocating (order %" PRId64 ")", o->comm, o->oom_order);
	if (o->no_killable)
		finding_explain(f, "; no process could be killed (every candidate unkillable or at "
				"oom_score_adj -1000), so nothing was freed%s",
				strcmp(cons, "memcg") ? " and the kernel panics (\"System is deadlocked "
							 "on memory\")" : "");
	if (o->victim_pid >= 0) {
		finding_explain(f, "; the kernel killed %s (pid %" PRId64 ")", o->victim, o->victim_pid);
		if (o->victim_rss) {
			fmt_kb(a, sizeof(a), o->anon_kb);
			finding_explain(f, " holding %s of anonymous memory", a);
		}
	}
	finding_explain(f, ".");
	if (o->usage_kb != HR_UNSET) {
		fmt_kb(a, sizeof(a), o->usage_kb);
		fmt_kb(b, sizeof(b), o->limit_kb);
		finding_explain(f, " Usage %s, limit %s", a, b);
		if (o->failcnt != HR_UNSET)
			finding_explain(f, ", %" PRIu64 " charges hit the limit (failcnt)", o->failcnt);
		finding_explain(f, ".");
	}
	if (!strcmp(cons, "memcg") && !strcmp(o->cgroup_version, "v1"))
		finding_explain(f, " On cgroup v1 socket buffers are not charged against this limit "
				"(only against memory.kmem.tcp when that is set), but the cgroup's "
				"tasks stalled in reclaim before the kill, and so did their network I/O.");
	else if (!strcmp(cons, "memcg")) {
		/* doc/kernel-facts.md A.1: what the charge does depends on the
		 * release, up to the stable sublevel. */
		enum hr_sock_regime r = kernel ? kver_memcg_sock_regime(kernel, strlen(kernel))
					       : HR_SOCK_UNKNOWN;
		regime = r;
		fact_str(f, "sock_charge_regime", regime_fact(r));
		finding_explain(f, " On cgroup v2 socket buffers are charged to the same cgroup: on "
				"this kernel (%s) a receive-path (softirq) charge at the limit %s, ",
				kernel ? kernel : "release not in the log", kver_sock_regime_text(r));
		if (r == HR_SOCK_DROP || r == HR_SOCK_DROP_OVERCHARGE)
			finding_explain(f, "so near the limit this cgroup was losing packets before "
					"the kill.");
		else if (r == HR_SOCK_OVERCHARGE)
			finding_explain(f, "so packets were not dropped at the limit, but its tasks "
					"(network daemons among them) stalled in reclaim before the kill.");
		else
			finding_explain(f, "so near the limit this cgroup lost packets or its tasks "
					"stalled in reclaim before the kill.");
	}
	else
		finding_explain(f, " Before an OOM kill the free reserve is exhausted, so atomic "
				"network allocations were failing too.");

	if (!strcmp(cons, "memcg")) {
		if (o->limit_kb != HR_UNSET && o->limit_kb)
			finding_fix_comment(f, "raise the limit of %s above its peak, e.g. to %" PRIu64
					    " bytes (+25%%), or reduce the workload's memory",
					    o->memcg[0] ? o->memcg : "the cgroup", sat_mul(o->limit_kb, 1280));
		else
			finding_fix_comment(f, "raise the cgroup's memory limit above its peak or reduce "
					    "the workload's memory");
		if (regime == HR_SOCK_DROP)
			finding_fix_comment(f, "on 5.15.0-5.15.76 upgrade to 5.15.77 or later: softirq "
					    "socket charges there are forced past the limit instead of "
					    "dropping the packet");
		finding_fix_comment(f, "on cgroup v2 set memory.high about 10%% below memory.max so "
				    "reclaim throttles before the OOM killer; on v1 the headroom agent "
				    "reclaims the cgroup's cache before it reaches the limit:");
		finding_fix_comment(f, "  systemctl enable --now headroom");
	} else {
		if (top)
			finding_fix_comment(f, "add memory or swap, or reduce the largest consumers "
					    "(largest: %s, %" PRIu64 " bytes)", o->top[0].comm,
					    sat_mul(o->top[0].rss_pages, PAGE_BYTES));
		else
			finding_fix_comment(f, "add memory or swap, or reduce the largest consumers");
		finding_fix_comment(f, "protect the network path's daemons with oom_score_adj=-1000 "
				    "and put batch work in a memory cgroup with a limit");
	}
}

static void build_burst(const struct ex_ctx *x, const struct ex_open *o, struct hr_finding *f)
{
	const char *kernel;
	common(x, o, f, &kernel);
	snprintf(f->id, sizeof(f->id), "explain.%s", incident_kind_name(o->kind));
	double dur = -1;
	if (o->ts_kind != HR_TS_NONE && o->last_ts >= o->first_ts)
		dur = (double)(o->last_ts - o->first_ts) / 1e6;
	if (dur >= 0)
		fact_f64(f, "duration_seconds", dur);
	switch (o->kind) {
	case HR_INC_CONNTRACK_FULL: {
		uint64_t total = sat_add(o->lines, o->suppressed);
		f->severity = HR_SEV_CRIT;
		snprintf(f->subject, sizeof(f->subject), "%s%s%s", o->host[0] ? o->host : "host",
			 o->netns >= 0 ? " netns " : "", o->netns >= 0 ? o->key : "");
		fact_u64(f, "lines", o->lines);
		fact_u64(f, "suppressed", o->suppressed);
		fact_u64(f, "drops_logged", total);
		fact_str(f, "message_form", o->form);
		if (!strcmp(o->form, "nf_conntrack: nf_conntrack:"))
			fact_str(f, "kernel_hint", "4.9+");
		else if (!strcmp(o->form, "ip_conntrack:"))
			fact_str(f, "kernel_hint", "2.6 (ip_conntrack module)");
		else
			fact_str(f, "kernel_hint", "before 4.9");
		if (o->netns >= 0)
			fact_i64(f, "netns", o->netns);
		finding_explain(f, "The connection tracking table was full: each new flow's first packet "
				"was dropped. %" PRIu64 " drops were logged (%" PRIu64 " lines + %" PRIu64
				" suppressed by the rate limit)", total, o->lines, o->suppressed);
		if (dur >= 0)
			finding_explain(f, " within %.3g s", dur);
		finding_explain(f, "; the real number is higher, the log is rate limited (5 s, burst 10). "
				"The limit is global but counted per network namespace.");
		finding_fix_comment(f, "double the table ('headroom check' shows the count and max)");
		if (!strcmp(o->form, "ip_conntrack:")) {
			fix_sysctl_double(f, "net.ipv4.netfilter.ip_conntrack_max");
		} else {
			fix_sysctl_double(f, "net.netfilter.nf_conntrack_max");
			finding_fix_comment(f, "keep chains short: buckets = max / 4");
			finding_fix_cmd(f, "echo $(( $(sysctl -n net.netfilter.nf_conntrack_max) / 4 )) | "
					"tee /sys/module/nf_conntrack/parameters/hashsize");
		}
		finding_fix_comment(f, "default 432000 (5 days)");
		finding_fix_sysctl(f, "net.netfilter.nf_conntrack_tcp_timeout_established", "86400");
		finding_fix_comment(f, "exempt high-volume flows that need no NAT/state (fill in the "
				    "match):");
		finding_fix_comment(f, "  iptables -t raw -A PREROUTING -p udp --dport 53 -j CT --notrack");
		break;
	}
	case HR_INC_SOCKET_MEMORY:
		f->severity = HR_SEV_CRIT;
		snprintf(f->subject, sizeof(f->subject), "%s", o->host[0] ? o->host : "host");
		fact_u64(f, "lines", o->lines);
		fact_u64(f, "suppressed", o->suppressed);
		if (o->subkind & 1)
			fact_list_add(f, "messages", "tcp_mem");
		if (o->subkind & 2)
			fact_list_add(f, "messages", "out_of_socket_memory");
		if (o->subkind & 4)
			fact_list_add(f, "messages", "orphans");
		if (dur > 0)
			fact_f64(f, "lines_per_second", (double)sat_add(o->lines, o->suppressed) / dur);
		finding_explain(f, "TCP ran out of socket memory: the memory of all TCP sockets passed "
				"net.ipv4.tcp_mem[2] (pages)%s, so the kernel dropped incoming segments and "
				"reset or killed connections instead of queueing them. %" PRIu64
				" lines were logged (+%" PRIu64 " suppressed).",
				(o->subkind & 4) ? " or too many orphaned sockets" : "", o->lines, o->suppressed);
		finding_fix_comment(f, "compare TCP mem (pages) with tcp_mem; raise all three values, "
				    "e.g. to twice the current ones if RAM allows");
		finding_fix_cmd(f, "grep TCP /proc/net/sockstat");
		finding_fix_cmd(f, "cat /proc/sys/net/ipv4/tcp_mem");
		finding_fix_comment(f, "sockets with large unread queues:");
		finding_fix_cmd(f, "ss -tmn");
		if (o->subkind & 4) {
			finding_fix_comment(f, "orphans:");
			fix_sysctl_double(f, "net.ipv4.tcp_max_orphans");
			finding_fix_sysctl(f, "net.ipv4.tcp_fin_timeout", "30");
		}
		break;
	case HR_INC_SYN_FLOOD:
		f->severity = o->dropping ? HR_SEV_CRIT : HR_SEV_WARN;
		snprintf(f->subject, sizeof(f->subject), "port %s", o->ports_len ? o->ports : "?");
		for (size_t off = 0; off < o->ports_len; off += strlen(o->ports + off) + 1)
			fact_list_add(f, "ports", o->ports + off);
		fact_u64(f, "lines", o->lines);
		fact_str(f, "action", o->dropping ? "dropping" : o->cookies ? "cookies" : "unknown");
		finding_explain(f, "A listen queue overflowed with half-open connections (%" PRIu64
				" notice%s). %s", o->lines, o->lines == 1 ? "" : "s",
				o->dropping ? "SYN cookies were off, so connection attempts were dropped."
					    : "The kernel answered with SYN cookies: connections still work, "
					      "but without TCP options such as window scaling.");
		finding_fix_comment(f, "larger SYN and accept queues (and a larger listen() backlog in "
				    "the service)");
		finding_fix_sysctl(f, "net.ipv4.tcp_max_syn_backlog", "8192");
		finding_fix_sysctl(f, "net.core.somaxconn", "4096");
		if (o->dropping)
			finding_fix_sysctl(f, "net.ipv4.tcp_syncookies", "1");
		finding_fix_comment(f, "watch the overflows; if it is an attack, rate-limit SYNs upstream");
		finding_fix_cmd(f, "nstat -az TcpExtListenOverflows TcpExtListenDrops");
		break;
	case HR_INC_NFS_NOT_RESPONDING:
		f->severity = o->recovered && !o->dropping ? HR_SEV_WARN : HR_SEV_CRIT;
		snprintf(f->subject, sizeof(f->subject), "nfs server %s", o->key);
		fact_str(f, "server", o->key);
		fact_u64(f, "lines", o->lines);
		fact_bool(f, "recovered", o->recovered);
		fact_bool(f, "timed_out", o->dropping);
		if (o->recovered && o->ts_kind != HR_TS_NONE && o->ok_ts >= o->first_ts)
			fact_f64(f, "outage_seconds", (double)(o->ok_ts - o->first_ts) / 1e6);
		finding_explain(f, "The NFS server %s stopped answering RPCs (%" PRIu64 " notice%s)%s. "
				"Every task writing or reading that mount blocked; under memory pressure "
				"dirty NFS pages cannot be freed until the server answers, and the replies "
				"need memory to be received.", o->key, o->lines, o->lines == 1 ? "" : "s",
				o->recovered ? " and later recovered" : " and did not recover in this log");
		finding_fix_comment(f, "check the path to the server (ping, nstat, drops on the NIC) "
				    "and the server itself");
		finding_fix_comment(f, "bound dirty data so writeback never needs a large burst");
		finding_fix_sysctl(f, "vm.dirty_background_bytes", "67108864");
		finding_fix_sysctl(f, "vm.dirty_bytes", "268435456");
		finding_fix_comment(f, "keep memory in reserve for the network");
		fix_sysctl_double(f, "vm.min_free_kbytes");
		break;
	default:
		break;
	}
}

static void build_hung(const struct ex_ctx *x, const struct ex_open *o, struct hr_finding *f)
{
	const char *kernel;
	f->severity = HR_SEV_CRIT;
	snprintf(f->id, sizeof(f->id), "explain.hung_task_netstorage");
	snprintf(f->subject, sizeof(f->subject), "%s pid %" PRId64 " (%s)", o->comm, o->pid, o->storage);
	common(x, o, f, &kernel);
	fact_str(f, "comm", o->comm);
	fact_i64(f, "pid", o->pid);
	fact_u64(f, "blocked_seconds", o->blocked_s);
	fact_str(f, "storage", o->storage);
	if (o->storage_frame[0])
		fact_str(f, "storage_frame", o->storage_frame);
	key_frames(f, o, 8);
	finding_explain(f, "%s (pid %" PRId64 ") was blocked for more than %" PRIu64 " s in %s code"
			"%s%s%s. "
			"I/O to network storage stalled. When memory is short this is the "
			"network-storage deadlock: the pages that would free memory are dirty and can "
			"only be written over the network, and sending them and receiving the "
			"acknowledgement needs memory too.", o->comm, o->pid, o->blocked_s, o->storage,
			o->storage_frame[0] ? " (its stack is in " : "", o->storage_frame,
			o->storage_frame[0] ? ")" : "");
	finding_fix_comment(f, "bound dirty data");
	finding_fix_sysctl(f, "vm.dirty_background_bytes", "67108864");
	finding_fix_sysctl(f, "vm.dirty_bytes", "268435456");
	finding_fix_comment(f, "keep a reserve for the network");
	fix_sysctl_double(f, "vm.min_free_kbytes");
	finding_fix_comment(f, "never swap to %s; the transports that mark their sockets "
			    "SOCK_MEMALLOC (sunrpc with NFS swap, nbd, iscsi_tcp, nvme-tcp) can use the "
			    "emergency reserve, others cannot", o->storage);
	finding_fix_comment(f, "check the storage server and the network path (nfs: server ... "
			    "not responding, iSCSI connection errors)");
}

/* Caches whose objects are packets or sockets: a failure there is a drop. */
static bool net_cache(const char *c)
{
	static const char *const pfx[] = {
		"skbuff_", "TCP", "UDP", "RAW", "request_sock_", "tw_sock_", "sock_inode_cache",
		"nf_conntrack", "ip_dst_cache", "ip6_dst_cache", "ip_fib_", "fib6_", "inet_peer_cache",
		"xfrm_dst_cache",
	};
	for (size_t i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++)
		if (pre(c, pfx[i]))
			return true;
	return false;
}

static void build_slab(const struct ex_ctx *x, const struct ex_open *o, struct hr_finding *f)
{
	const char *kernel, *cache = o->slub_cache[0] ? o->slub_cache : NULL;
	bool net = cache && net_cache(cache), kmalloc = cache && pre(cache, "kmalloc-");
	unsigned maj, min;

	common(x, o, f, &kernel);
	kernel_version(x, o, &maj, &min);
	f->severity = net ? HR_SEV_CRIT : HR_SEV_WARN;
	snprintf(f->id, sizeof(f->id), "explain.slab_alloc_failure");
	snprintf(f->subject, sizeof(f->subject), "cache %s", cache ? cache : "(not in the log)");
	fact_str(f, "allocator", o->slab ? "slab" : "slub");
	fact_i64(f, "node", o->slab_node);
	enum hr_gfp_layout l = gfp_facts(x, o, f);
	uint64_t sleep_bit = gfp_can_sleep_bit(l);
	bool atomic = sleep_bit && !(o->mask & sleep_bit);
	if (sleep_bit)
		fact_bool(f, "can_sleep", !atomic);
	if (cache)
		fact_str(f, "cache", cache);
	if (o->slab_memcg[0])
		fact_str(f, "cache_memcg", o->slab_memcg);
	fact_bool(f, "network_cache", net);
	if (o->slab_obj_size != HR_UNSET)
		fact_u64(f, "object_size_bytes", o->slab_obj_size);
	if (o->slab_buf_size != HR_UNSET)
		fact_u64(f, "buffer_size_bytes", o->slab_buf_size);
	if (o->slab_order != HR_UNSET)
		fact_u64(f, "slab_order", o->slab_order);
	if (o->slab_min_order != HR_UNSET)
		fact_u64(f, "slab_min_order", o->slab_min_order);
	if (o->slab_nodes) {
		fact_u64(f, "slabs", o->slab_slabs);
		fact_u64(f, "objects", o->slab_objs);
		fact_u64(f, "free_objects", o->slab_free);
	}
	for (unsigned i = 0; i < o->slab_ncaches && i < 4; i++)
		fact_list_add(f, "caches", o->slab_caches[i]);
	fact_u64(f, "reports", o->lines);
	fact_u64(f, "suppressed", o->suppressed);
	double dur = burst_duration(o, f);

	finding_explain(f, "The slab allocator could not add a slab to cache %s", cache ? cache : "(cache line not in the log)");
	if (o->slab_obj_size != HR_UNSET)
		finding_explain(f, " (objects of %" PRIu64 " bytes)", o->slab_obj_size);
	finding_explain(f, ": the page allocator had no page for it");
	if (o->slab_min_order != HR_UNSET && o->slab_order != HR_UNSET)
		finding_explain(f, " (order %" PRIu64 ", at least order %" PRIu64 ")", o->slab_order,
				o->slab_min_order);
	if (atomic)
		finding_explain(f, " and the allocation could not sleep to reclaim (mode %#" PRIx64 ")", o->mask);
	finding_explain(f, ".");
	if (o->slab_nodes)
		finding_explain(f, " Its %" PRIu64 " slabs held %" PRIu64 " objects, %" PRIu64 " free.",
				o->slab_slabs, o->slab_objs, o->slab_free);
	finding_explain(f, " %" PRIu64 " report%s", o->lines, o->lines == 1 ? "" : "s");
	if (o->suppressed)
		finding_explain(f, " (+%" PRIu64 " suppressed by the rate limit)", o->suppressed);
	if (dur >= 0)
		finding_explain(f, " within %.3g s", dur);
	finding_explain(f, ".");
	if (net)
		finding_explain(f, " This cache holds packets or sockets (%s): each failure dropped a "
				"packet or refused a connection.", cache);
	else if (kmalloc)
		finding_explain(f, " %s serves general allocations of that size, packet data among "
				"them (skb heads are kmalloc'ed): on the network path a failure here drops "
				"the packet.", cache);
	if (o->slab_memcg[0])
		finding_explain(f, " The cache is the copy of memory cgroup %s (kmem accounting, "
				"cgroup v1 until 5.8): the cgroup's kmem limit, not the host, may be what ran "
				"out.", o->slab_memcg);
	if (o->slab_ncaches > 1)
		finding_explain(f, " %u caches failed in this burst.", o->slab_ncaches);

	if (o->slab_memcg[0]) {
		finding_fix_comment(f, "the failing copy belongs to a memory cgroup: compare its kmem usage "
				    "with its limit (cgroup v1: memory.kmem.usage_in_bytes, "
				    "memory.kmem.limit_in_bytes) and raise or remove the kmem limit; "
				    "4.6+ can turn kmem accounting off with the boot option cgroup.memory=nokmem");
	}
	finding_fix_comment(f, "watch the cache and free memory:");
	finding_fix_cmd(f, "grep -E '^(skbuff|kmalloc-|TCP)' /proc/slabinfo");
	finding_fix_cmd(f, "grep -E '^(MemFree|MemAvailable|Slab|SUnreclaim):' /proc/meminfo");
	finding_fix_comment(f, "double vm.min_free_kbytes: more reserve for allocations that cannot sleep");
	fix_sysctl_double(f, "vm.min_free_kbytes");
	if (!maj || maj > 4 || (maj == 4 && min >= 6)) {
		finding_fix_comment(f, "4.6+, default 10: kswapd starts reclaiming earlier");
		finding_fix_sysctl(f, "vm.watermark_scale_factor", "200");
	}
}

static void build_neigh(const struct ex_ctx *x, const struct ex_open *o, struct hr_finding *f)
{
	const char *kernel;
	const char *fam = o->family[0] ? o->family : NULL;
	uint64_t total = sat_add(o->lines, o->suppressed);

	common(x, o, f, &kernel);
	f->severity = HR_SEV_CRIT;
	snprintf(f->id, sizeof(f->id), "explain.neighbour_table_overflow");
	snprintf(f->subject, sizeof(f->subject), "%s %s", o->host[0] ? o->host : "host",
		 o->key[0] ? o->key : "neighbour table");
	if (o->key[0])
		fact_str(f, "table", o->key);
	if (fam)
		fact_str(f, "family", fam);
	burst_facts(o, f, total);
	double dur = burst_duration(o, f);
	finding_explain(f, "The %s neighbour table (%s) was full: the kernel could not add an "
			"entry for a new neighbour, so packets to hosts it had no entry for were dropped "
			"(the ARP/ND counterpart of a full conntrack table). %" PRIu64 " overflows were "
			"logged (%" PRIu64 " lines + %" PRIu64 " suppressed by the rate limit)",
			fam ? fam : "IPv4 or IPv6", o->key[0] ? o->key : "arp_cache or ndisc_cache",
			total, o->lines, o->suppressed);
	if (dur >= 0)
		finding_explain(f, " within %.3g s", dur);
	finding_explain(f, ". The hard limit is gc_thresh3 (default 1024 entries); garbage "
			"collection starts above gc_thresh2 (512) and never goes below gc_thresh1 (128). "
			"A host on a large flat network, a router, or a node with many pods or VMs "
			"outgrows the defaults.");
	finding_fix_comment(f, "compare the number of entries with the limits:");
	if (!fam || !strcmp(fam, "ipv4"))
		finding_fix_cmd(f, "ip -4 neigh show nud all | grep -c .");
	if (!fam || !strcmp(fam, "ipv6"))
		finding_fix_cmd(f, "ip -6 neigh show nud all | grep -c .");
	finding_fix_comment(f, "double the three thresholds, hard limit first (keeps "
			    "gc_thresh1 < gc_thresh2 < gc_thresh3)");
	static const char *const th[] = { "gc_thresh3", "gc_thresh2", "gc_thresh1" };
	for (int v = 4; v <= 6; v += 2) {
		if (fam && strcmp(fam, v == 4 ? "ipv4" : "ipv6"))
			continue;
		for (size_t i = 0; i < 3; i++) {
			char key[64];
			snprintf(key, sizeof(key), "net.ipv%d.neigh.default.%s", v, th[i]);
			fix_sysctl_double(f, key);
		}
	}
}

static void build_expect(const struct ex_ctx *x, const struct ex_open *o, struct hr_finding *f)
{
	const char *kernel;
	uint64_t total = sat_add(o->lines, o->suppressed);

	common(x, o, f, &kernel);
	f->severity = HR_SEV_CRIT;
	snprintf(f->id, sizeof(f->id), "explain.conntrack_expect_full");
	snprintf(f->subject, sizeof(f->subject), "%s", o->host[0] ? o->host : "host");
	burst_facts(o, f, total);
	double dur = burst_duration(o, f);
	finding_explain(f, "The conntrack expectation table was full: a helper (FTP, SIP, H.323, "
			"PPTP, TFTP, or a full-cone NAT module) could not register the related "
			"connection it expected, so that connection (an FTP data channel, a SIP media "
			"stream) was not tracked and was dropped or not NATed. %" PRIu64 " failures were "
			"logged (%" PRIu64 " lines + %" PRIu64 " suppressed by the rate limit)", total,
			o->lines, o->suppressed);
	if (dur >= 0)
		finding_explain(f, " within %.3g s", dur);
	finding_explain(f, ". The limit is nf_conntrack_expect_max, separate from nf_conntrack_max "
			"and sized from the hash table by default.");
	finding_fix_comment(f, "compare the expectations in use with the limit:");
	finding_fix_cmd(f, "grep -c . /proc/net/nf_conntrack_expect");
	finding_fix_cmd(f, "sysctl net.netfilter.nf_conntrack_expect_max");
	finding_fix_comment(f, "double the limit");
	fix_sysctl_double(f, "net.netfilter.nf_conntrack_expect_max");
	finding_fix_comment(f, "if a helper is loaded but not needed, detach it from the traffic "
			    "(explicit CT --helper rules instead of automatic assignment)");
}

static void build_dst(const struct ex_ctx *x, const struct ex_open *o, struct hr_finding *f)
{
	const char *kernel;
	unsigned maj, min;
	uint64_t total = sat_add(o->lines, o->suppressed);

	common(x, o, f, &kernel);
	kernel_version(x, o, &maj, &min);
	/* The IPv4 routing cache, limited by net.ipv4.route.max_size, was
	 * removed in 3.6; after that only IPv6 (and xfrm) dst entries have a
	 * limit that overflows. */
	bool v4cache = !o->family[0] && maj && (maj < 3 || (maj == 3 && min < 6));
	bool v6 = !strcmp(o->family, "ipv6") || (maj && !v4cache);
	f->severity = HR_SEV_CRIT;
	snprintf(f->id, sizeof(f->id), "explain.dst_cache_overflow");
	snprintf(f->subject, sizeof(f->subject), "%s", o->host[0] ? o->host : "host");
	burst_facts(o, f, total);
	fact_str(f, "family", v4cache ? "ipv4" : v6 ? "ipv6" : "unknown");
	double dur = burst_duration(o, f);
	finding_explain(f, "The routing (dst) cache was full and garbage collection could not free "
			"an entry: packets to destinations without a cached route were dropped "
			"(ENOBUFS for local senders). %" PRIu64 " overflows were logged (%" PRIu64
			" lines + %" PRIu64 " suppressed by the rate limit)", total, o->lines, o->suppressed);
	if (dur >= 0)
		finding_explain(f, " within %.3g s", dur);
	finding_explain(f, ".");
	if (v4cache)
		finding_explain(f, " Before 3.6 IPv4 cached a route per destination, limited by "
				"net.ipv4.route.max_size: a flood to or from many addresses fills it.");
	else if (v6)
		finding_explain(f, " IPv6 routes are limited by net.ipv6.route.max_size; IPsec bundles "
				"by xfrm4_gc_thresh/xfrm6_gc_thresh.");
	else
		finding_explain(f, " The kernel version is not in the log: before 3.6 this is the IPv4 "
				"route cache (net.ipv4.route.max_size), later IPv6 or IPsec (xfrm) entries.");
	if (v4cache || (!v6 && !maj)) {
		finding_fix_comment(f, "IPv4 route cache (before 3.6): entries in use and the limit");
		finding_fix_cmd(f, "grep ip_dst_cache /proc/slabinfo");
		fix_sysctl_double(f, "net.ipv4.route.max_size");
	}
	if (v6 || !maj) {
		finding_fix_comment(f, "IPv6 routes: double the limit");
		fix_sysctl_double(f, "net.ipv6.route.max_size");
	}
	finding_fix_comment(f, "if this is a flood, drop it before routing (upstream or in the raw table)");
}

static void build_netblk(const struct ex_ctx *x, const struct ex_open *o, struct hr_finding *f)
{
	const char *kernel;
	const char *st = o->storage[0] ? o->storage : "network block device";
	uint64_t swap = sat_add(o->nb_swap_write, o->nb_swap_read);

	common(x, o, f, &kernel);
	f->severity = HR_SEV_CRIT;
	snprintf(f->id, sizeof(f->id), "explain.netblock_io_error");
	snprintf(f->subject, sizeof(f->subject), "%s %s", st, o->key);
	fact_str(f, "storage", st);
	fact_str(f, "device", o->key);
	fact_u64(f, "lines", o->lines);
	fact_u64(f, "suppressed", o->suppressed);
	fact_u64(f, "io_errors", o->nb_io);
	fact_u64(f, "connection_errors", o->nb_conn);
	fact_u64(f, "timeouts", o->nb_timeout);
	fact_u64(f, "swap_write_errors", o->nb_swap_write);
	fact_u64(f, "swap_read_errors", o->nb_swap_read);
	double dur = burst_duration(o, f);
	const char *name = !strcmp(st, "nbd") ? "NBD" : !strcmp(st, "iscsi") ? "iSCSI" :
			   !strcmp(st, "rbd") ? "Ceph RBD" : !strcmp(st, "nvme_of") ? "NVMe over fabrics (TCP or RDMA)" :
			   "network block";
	finding_explain(f, "I/O to the %s device %s failed: %" PRIu64 " request error%s, %" PRIu64
			" connection error%s, %" PRIu64 " timeout%s", name, o->key, o->nb_io,
			o->nb_io == 1 ? "" : "s", o->nb_conn, o->nb_conn == 1 ? "" : "s", o->nb_timeout,
			o->nb_timeout == 1 ? "" : "s");
	if (o->suppressed)
		finding_explain(f, " (+%" PRIu64 " lines suppressed by the rate limit)", o->suppressed);
	if (dur >= 0)
		finding_explain(f, " within %.3g s", dur);
	finding_explain(f, ". The block device is a network connection: when the connection "
			"stalls or breaks, reads and writes fail with EIO and filesystems on it may go "
			"read-only.");
	if (swap)
		finding_explain(f, " %" PRIu64 " swap I/O error%s: pages written to swap on it were "
				"lost%s, so processes touching them get SIGBUS or are killed.", swap,
				swap == 1 ? "" : "s", o->nb_swap_read ? " or could not be read back" : "");
	finding_explain(f, " Under memory pressure writeback to such a device is the network-storage "
			"deadlock: freeing memory needs the network, and the network needs memory.");
	finding_fix_comment(f, "check the server and the path to it (the connection errors come "
			    "first in the log)");
	if (!strcmp(st, "iscsi"))
		finding_fix_comment(f, "  iscsiadm -m session -P 1");
	else if (!strcmp(st, "nvme_of"))
		finding_fix_comment(f, "  nvme list-subsys");
	finding_fix_comment(f, "keep a reserve for the network so writeback can still send");
	fix_sysctl_double(f, "vm.min_free_kbytes");
	finding_fix_comment(f, "bound dirty data");
	finding_fix_sysctl(f, "vm.dirty_background_bytes", "67108864");
	finding_fix_sysctl(f, "vm.dirty_bytes", "268435456");
	if (swap)
		finding_fix_comment(f, "do not swap to a network device whose transport does not mark "
				    "its socket SOCK_MEMALLOC; list swap devices and 'swapoff' the network "
				    "one:");
	if (swap)
		finding_fix_cmd(f, "cat /proc/swaps");
}

void incident_build(const struct ex_ctx *x, const struct ex_open *o, struct hr_finding *f)
{
	memset(f, 0, sizeof(*f));
	switch (o->kind) {
	case HR_INC_ALLOC_FAILURE: build_alloc(x, o, f); break;
	case HR_INC_OOM_KILL: build_oom(x, o, f); break;
	case HR_INC_HUNG_TASK_NETSTORAGE: build_hung(x, o, f); break;
	case HR_INC_SLAB_ALLOC_FAILURE: build_slab(x, o, f); break;
	case HR_INC_NEIGH_OVERFLOW: build_neigh(x, o, f); break;
	case HR_INC_CONNTRACK_EXPECT_FULL: build_expect(x, o, f); break;
	case HR_INC_DST_OVERFLOW: build_dst(x, o, f); break;
	case HR_INC_NETBLOCK_IO_ERROR: build_netblk(x, o, f); break;
	default: build_burst(x, o, f); break;
	}
}
