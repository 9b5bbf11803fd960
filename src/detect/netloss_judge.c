/* netloss_judge.c - the netloss area: packets and socket data the kernel dropped
 * for lack of memory (memcg socket charge, tcp_mem/udp_mem, buffers, the
 * input backlog, NIC rings). Sampling is kernel/net_sample.c; this file judges.
 *
 * Severity rule for every drop counter (doc/check-netloss.md): a counter
 * read once is a total since boot (or since the netns was made) - evidence
 * of past trouble, warn; with --interval, a counter that moved is trouble
 * now, crit. A counter the kernel lacks is listed as not on this kernel.
 * State rule for socket memory (sockstat mem vs tcp_mem): >= pressure crit
 * (the kernel is shrinking buffers now), >= min warn.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "detect/netloss_judge.h"
#include "snapshot/net_snap.h"
#include "detect/netctr.h"
#include "util/parse.h"
#include "util/shquote.h"

/* Below this share of received packets, since-boot interface drops are
 * noise (unknown protocols, multicast filters also count as rx_dropped). */
#define IFACE_DROP_WARN_PPM 1000	/* 0.1 % */
#define RMEM_MAX_TARGET (8u << 20)	/* 8 MiB = ~6.7 ms at 10 Gbit/s */

struct ctx {
	const struct netloss_snap *s, *b;
	uint64_t iv_usec;
	bool iv;
	struct hr_findings *out;
};

static struct netctr ctr(const struct ctx *c, enum netloss_ctr i)
{
	return netctr_get(c->b ? c->b->c[i] : HR_UNSET, c->s->c[i], c->iv_usec);
}

static bool src_read(const struct netloss_snap *s, enum netloss_src src)
{
	return src == NL_SRC_SNMP ? s->have_snmp : src == NL_SRC_NETSTAT ? s->have_netstat
									 : s->have_snmp6;
}

/* Lists counters of `ids` whose file was read but that the kernel lacks. */
static void not_on_kernel(struct hr_finding *f, const struct netloss_snap *s,
			  const enum netloss_ctr *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s->c[ids[i]] == HR_UNSET && src_read(s, netloss_ctrs[ids[i]].src))
			fact_list_add(f, "not_on_this_kernel", netloss_ctrs[ids[i]].key);
}

static void facts_interval(struct hr_finding *f, const struct ctx *c)
{
	if (c->iv)
		fact_f64(f, "interval_seconds", (double)c->iv_usec / 1e6);
}

static void facts_limits(struct hr_finding *f, const char *proto, uint64_t used_pages,
			 const uint64_t lim[3], uint64_t page)
{
	char n[HR_FACT_NAME_MAX];

	if (used_pages != HR_UNSET) {
		snprintf(n, sizeof(n), "%s_mem_pages", proto);
		fact_u64(f, n, used_pages);
		snprintf(n, sizeof(n), "%s_mem_bytes", proto);
		fact_u64(f, n, sat_mul(used_pages, page));
	}
	if (lim[0] != HR_UNSET) {
		static const char *const w[3] = { "min", "pressure", "max" };
		for (int i = 0; i < 3; i++) {
			snprintf(n, sizeof(n), "%s_mem_%s_pages", proto, w[i]);
			fact_u64(f, n, lim[i]);
		}
	}
}

/* InErrors not explained by RcvbufErrors or InCsumErrors; HR_UNSET if a
 * part is missing. Before Udp: MemErrors (absent in 4.19 and 5.10) a failed
 * memory charge counted only in InErrors (KERNEL-FACTS A.2). */
static uint64_t udp_unexplained(const struct netloss_snap *s)
{
	if (!s || s->c[NL_UDP_INERRORS] == HR_UNSET || s->c[NL_UDP_RCVBUF] == HR_UNSET ||
	    s->c[NL_UDP_INCSUM] == HR_UNSET)
		return HR_UNSET;
	return sat_sub(s->c[NL_UDP_INERRORS], sat_add(s->c[NL_UDP_RCVBUF], s->c[NL_UDP_INCSUM]));
}

static enum hr_severity judge_udp_mem(const struct ctx *c)
{
	const struct netloss_snap *s = c->s;
	struct netctr v4 = ctr(c, NL_UDP_MEM), v6 = ctr(c, NL_UDP6_MEM), all = netctr_sum(v4, v6);
	enum hr_severity sev = netctr_severity(all, c->iv, true);
	static const enum netloss_ctr ids[] = { NL_UDP_MEM, NL_UDP6_MEM };
	/* Without MemErrors, infer from InErrors; socket filters and short
	 * packets also land there, so the inference only warns. */
	struct netctr inf = { 0 };
	if (!v4.present)
		inf = netctr_get(udp_unexplained(c->b), udp_unexplained(s), c->iv_usec);
	sev = sev_max(sev, netctr_severity(inf, c->iv, false));

	if (sev == HR_SEV_OK)
		return sev;
	struct hr_finding *f = finding_add(c->out, "net.udp_mem_errors", sev, "%s", s->ns.subject);
	netctr_facts(f, "udp_mem_errors", v4);
	netctr_facts(f, "udp6_mem_errors", v6);
	netctr_facts(f, "udp_in_errors_unexplained", inf);
	facts_interval(f, c);
	uint64_t used = s->have_sockstat ? s->sockstat.udp_mem_pages : HR_UNSET;
	facts_limits(f, "udp", used, s->udp_mem, s->page_size);
	not_on_kernel(f, s, ids, 2);
	finding_explain(f, "UDP datagrams were dropped %s because the receiving socket could not "
			"charge memory for them (Udp: MemErrors, present in 6.18, absent in 5.10; -ENOBUFS in "
			"__sk_mem_raise_allocated). The charge fails at the socket's memory cgroup "
			"limit (cgroup socket accounting) or at the global udp_mem max.",
			netctr_window(c->iv));
	if (inf.present && (inf.total || inf.delta))
		finding_explain(f, " This kernel has no MemErrors counter: such drops count only in "
				"Udp: InErrors, so udp_in_errors_unexplained = InErrors - RcvbufErrors - "
				"InCsumErrors is the likely number (socket filters and malformed "
				"datagrams also count there, hence warn only).");
	/* within 10 % of max, without multiplying (counters can be huge) */
	bool global = used != HR_UNSET && s->udp_mem[2] != HR_UNSET &&
		      used >= s->udp_mem[2] - s->udp_mem[2] / 10;
	if (global) {
		uint64_t nmax = sat_mul(s->udp_mem[2], 2);
		finding_explain(f, " UDP uses %" PRIu64 " pages, within 10 %% of udp_mem max %" PRIu64
				": the global limit is the cause. Doubling all three limits gives %"
				PRIu64 " pages = %.1f MiB at most.", used, s->udp_mem[2], nmax,
				(double)sat_mul(nmax, s->page_size) / 1048576.0);
		finding_fix_sysctl(f, "net.ipv4.udp_mem", "%" PRIu64 " %" PRIu64 " %" PRIu64,
				   sat_mul(s->udp_mem[0], 2), sat_mul(s->udp_mem[1], 2), nmax);
	} else {
		if (used != HR_UNSET && s->udp_mem[2] != HR_UNSET)
			finding_explain(f, " UDP uses %" PRIu64 " of %" PRIu64 " pages of udp_mem max, "
					"so the global limit is not the cause: the receiver's memory "
					"cgroup is the likely limit.", used, s->udp_mem[2]);
		finding_fix_comment(f, "find the receiver's cgroup (ss -uapm shows the process), "
				    "then give it headroom: raise its memory limit or reclaim its "
				    "page cache");
		finding_fix_cmd(f, "headroom check --area memcg");
	}
	return sev;
}

static enum hr_severity judge_udp_rcvbuf(const struct ctx *c)
{
	const struct netloss_snap *s = c->s;
	struct netctr v4 = ctr(c, NL_UDP_RCVBUF), v6 = ctr(c, NL_UDP6_RCVBUF), all = netctr_sum(v4, v6);
	enum hr_severity sev = netctr_severity(all, c->iv, true);

	if (sev == HR_SEV_OK)
		return sev;
	struct hr_finding *f = finding_add(c->out, "net.udp_rcvbuf_errors", sev, "%s", s->ns.subject);
	netctr_facts(f, "udp_rcvbuf_errors", v4);
	netctr_facts(f, "udp6_rcvbuf_errors", v6);
	facts_interval(f, c);
	if (s->rmem_max != HR_UNSET)
		fact_u64(f, "rmem_max_bytes", s->rmem_max);
	if (s->rmem_default != HR_UNSET)
		fact_u64(f, "rmem_default_bytes", s->rmem_default);
	finding_explain(f, "UDP datagrams were dropped %s because a socket's receive buffer "
			"(SO_RCVBUF) was full (Udp: RcvbufErrors): the application did not read "
			"fast enough for its buffer, often because it was stalled in reclaim or "
			"throttled by its memory cgroup. ss -uamp shows each socket's buffer "
			"(rb) and drops (d).", netctr_window(c->iv));
	if (s->rmem_max != HR_UNSET && s->rmem_max < RMEM_MAX_TARGET) {
		finding_explain(f, " net.core.rmem_max is %" PRIu64 " bytes, which caps what an "
				"application can ask for with setsockopt(SO_RCVBUF); %u bytes "
				"(8 MiB) absorbs ~6.7 ms of a 10 Gbit/s burst.", s->rmem_max,
				RMEM_MAX_TARGET);
		finding_fix_sysctl(f, "net.core.rmem_max", "%u", RMEM_MAX_TARGET);
	}
	finding_fix_comment(f, "then have the application set SO_RCVBUF (e.g. 4 MiB) and read "
			    "promptly; raise net.core.rmem_default only if the application cannot "
			    "be changed (it applies to every socket)");
	return sev;
}

static enum hr_severity judge_tcp_rcvq(const struct ctx *c)
{
	const struct netloss_snap *s = c->s;
	struct netctr q = ctr(c, NL_TCP_RCVQ_DROP), rp = ctr(c, NL_RCV_PRUNED),
		      op = ctr(c, NL_OFO_PRUNED), bl = ctr(c, NL_TCP_BACKLOG_DROP),
		      pc = ctr(c, NL_PRUNE_CALLED), ofo = ctr(c, NL_TCP_OFO_DROP);
	struct netctr drops = netctr_sum(netctr_sum(q, rp), netctr_sum(op, bl));
	static const enum netloss_ctr ids[] = { NL_TCP_RCVQ_DROP, NL_RCV_PRUNED, NL_OFO_PRUNED,
						NL_TCP_BACKLOG_DROP, NL_PRUNE_CALLED, NL_TCP_OFO_DROP };
	/* PruneCalled alone means queues were collapsed to fit, nothing lost
	 * yet: never more than warn. TCPOFODrop is also lost window space. */
	enum hr_severity sev = sev_max(netctr_severity(drops, c->iv, true),
				       netctr_severity(netctr_sum(pc, ofo), c->iv, false));

	if (sev == HR_SEV_OK)
		return sev;
	struct hr_finding *f = finding_add(c->out, "net.tcp_rcvq_drop", sev, "%s", s->ns.subject);
	netctr_facts(f, "tcp_rcvq_drop", q);
	netctr_facts(f, "rcv_pruned", rp);
	netctr_facts(f, "ofo_pruned", op);
	netctr_facts(f, "tcp_backlog_drop", bl);
	netctr_facts(f, "prune_called", pc);
	netctr_facts(f, "tcp_ofo_drop", ofo);
	facts_interval(f, c);
	not_on_kernel(f, s, ids, sizeof(ids) / sizeof(ids[0]));
	finding_explain(f, "TCP receive paths ran out of buffer memory %s: TCPRcvQDrop (4.19+) "
			"counts segments dropped when tcp_try_rmem_schedule() failed; before that the "
			"kernel collapses the queue (PruneCalled) and throws away queued data "
			"(RcvPruned, OfoPruned); TCPBacklogDrop counts segments dropped while the "
			"socket was busy and its backlog exceeded the buffer. The sender "
			"retransmits, so this shows as latency, not errors. Causes: the socket's "
			"memory cgroup at its limit, tcp_mem pressure, or "
			"a receiver too slow for tcp_rmem.", netctr_window(c->iv));
	finding_fix_comment(f, "1. tcp_mem pressure: TCP mem in sockstat (pages) near the third "
			    "value of tcp_mem:");
	finding_fix_cmd(f, "grep TCP /proc/net/sockstat; sysctl net.ipv4.tcp_mem");
	finding_fix_comment(f, "2. otherwise the receiver's memory cgroup is the limit:");
	finding_fix_cmd(f, "headroom check --area memcg");
	finding_fix_comment(f, "3. tcp_rmem (min default max) should not be below the kernel "
			    "default 4096 131072 6291456:");
	finding_fix_cmd(f, "sysctl net.ipv4.tcp_rmem");
	return sev;
}

static enum hr_severity judge_tcp_mem(const struct ctx *c)
{
	const struct netloss_snap *s = c->s;
	struct netctr mp = ctr(c, NL_TCP_MEM_PRESSURES), ab = ctr(c, NL_TCP_ABORT_ON_MEMORY);
	enum hr_severity sev = sev_max(netctr_severity(mp, c->iv, true), netctr_severity(ab, c->iv, true));
	uint64_t used = s->have_sockstat ? s->sockstat.tcp_mem_pages : HR_UNSET;
	bool lim = used != HR_UNSET && s->tcp_mem[0] != HR_UNSET;
	enum hr_severity state = HR_SEV_OK;
	static const enum netloss_ctr ids[] = { NL_TCP_MEM_PRESSURES, NL_TCP_ABORT_ON_MEMORY };

	if (lim && used >= s->tcp_mem[1])
		state = HR_SEV_CRIT;
	else if (lim && used >= s->tcp_mem[0])
		state = HR_SEV_WARN;
	sev = sev_max(sev, state);
	if (sev == HR_SEV_OK)
		return sev;
	struct hr_finding *f = finding_add(c->out, "net.tcp_mem_pressure", sev, "host");
	netctr_facts(f, "tcp_memory_pressures", mp);
	netctr_facts(f, "tcp_abort_on_memory", ab);
	facts_interval(f, c);
	facts_limits(f, "tcp", used, s->tcp_mem, s->page_size);
	not_on_kernel(f, s, ids, 2);
	if (lim)
		finding_explain(f, "TCP socket buffers use %" PRIu64 " pages (%.1f MiB, "
				"/proc/net/sockstat, all namespaces) against net.ipv4.tcp_mem "
				"min %" PRIu64 " / pressure %" PRIu64 " / max %" PRIu64 " pages. ",
				used, (double)sat_mul(used, s->page_size) / 1048576.0, s->tcp_mem[0],
				s->tcp_mem[1], s->tcp_mem[2]);
	finding_explain(f, "Above pressure the kernel shrinks every socket's buffers and windows "
			"until usage falls below min; at max new buffer charges fail and data is "
			"dropped (TCPRcvQDrop) and sockets are aborted (TCPAbortOnMemory, "
			"\"TCP: out of memory -- consider tuning tcp_mem\"). TCPMemoryPressures "
			"counts entries into global pressure mode; counters are %s.",
			netctr_window(c->iv));
	if (lim && state != HR_SEV_OK && s->mem_total_bytes != HR_UNSET && s->page_size) {
		/* Double the limits, but keep max within a quarter of RAM: the
		 * kernel's default max is 3/32 (9.37 %) of lowmem pages
		 * (tcp_init_mem: limit = nr_free_buffer_pages() / 16, max =
		 * limit / 4 * 3 * 2; older kernels divided by 8, 3/16). The
		 * real capture agrees: 575796 pages of a 25 GB VM, 9.3 %. */
		uint64_t cap = s->mem_total_bytes / 4 / s->page_size;
		uint64_t nmax = sat_mul(s->tcp_mem[2], 2);
		if (nmax > cap)
			nmax = cap;
		if (nmax > s->tcp_mem[2]) {
			double k = (double)nmax / (double)s->tcp_mem[2];
			uint64_t nmin = sat_from_f64((double)s->tcp_mem[0] * k);
			uint64_t npr = sat_from_f64((double)s->tcp_mem[1] * k);
			finding_explain(f, " Advice: scale all three by %.2f (2 x, with max capped at "
					"1/4 of MemTotal = %" PRIu64 " pages), max %" PRIu64 " pages = "
					"%.1f MiB.", k, cap, nmax,
					(double)sat_mul(nmax, s->page_size) / 1048576.0);
			finding_fix_sysctl(f, "net.ipv4.tcp_mem", "%" PRIu64 " %" PRIu64 " %" PRIu64,
					   nmin, npr, nmax);
		} else {
			finding_explain(f, " tcp_mem max already reaches 1/4 of RAM: find the "
					"sockets holding memory (ss -tm, large Recv-Q) instead.");
		}
	}
	finding_fix_cmd(f, "ss -tmn    # per-socket skmem:(r...): large r with a large Recv-Q is "
			"a reader not keeping up");
	return sev;
}

static enum hr_severity judge_pfmemalloc(const struct ctx *c)
{
	struct netctr p = ctr(c, NL_PFMEMALLOC_DROP);
	enum hr_severity sev = netctr_severity(p, c->iv, true);

	if (sev == HR_SEV_OK)
		return sev;
	struct hr_finding *f = finding_add(c->out, "net.pfmemalloc_drop", sev, "%s", c->s->ns.subject);
	netctr_facts(f, "pfmemalloc_drop", p);
	facts_interval(f, c);
	finding_explain(f, "Packets received into the emergency (pfmemalloc) reserve were "
			"dropped %s because their socket is not a memalloc socket "
			"(TcpExt: PFMemallocDrop, 4.19+). The host was below its min watermark: "
			"only swap-over-network sockets (NBD, NFS, iSCSI) may use those pages, "
			"everything else loses packets.", netctr_window(c->iv));
	finding_fix_comment(f, "keep free memory above the min watermark:");
	finding_fix_cmd(f, "headroom check --area zones");
	return sev;
}

static enum hr_severity judge_softnet(const struct ctx *c)
{
	const struct netloss_snap *s = c->s;

	if (!s->have_softnet)
		return HR_SEV_OK;
	const struct softnet_stat *p = c->b && c->b->have_softnet ? &c->b->softnet : NULL;
	struct netctr d = netctr_get(p ? p->dropped : HR_UNSET, s->softnet.dropped, c->iv_usec);
	struct netctr sq = netctr_get(p ? p->time_squeeze : HR_UNSET, s->softnet.time_squeeze,
				      c->iv_usec);
	enum hr_severity sev = netctr_severity(d, c->iv, true);

	if (sev == HR_SEV_OK)
		return sev;
	struct hr_finding *f = finding_add(c->out, "net.softnet_drops", sev, "host");
	netctr_facts(f, "dropped", d);
	netctr_facts(f, "time_squeeze", sq);
	fact_u64(f, "cpus", s->softnet.ncpus);
	facts_interval(f, c);
	if (s->netdev_max_backlog != HR_UNSET)
		fact_u64(f, "netdev_max_backlog", s->netdev_max_backlog);
	finding_explain(f, "The per-CPU input backlog (netdev_max_backlog packets) overflowed %s: "
			"/proc/net/softnet_stat column 2 summed over %u CPUs. time_squeeze counts "
			"receive rounds cut short by netdev_budget: when both rise the CPUs are not "
			"draining packets fast enough, e.g. while stalled in direct reclaim.",
			netctr_window(c->iv), s->softnet.ncpus);
	if (s->netdev_max_backlog != HR_UNSET) {
		uint64_t nb = sat_mul(s->netdev_max_backlog, 2);
		/* A since-boot total never goes back to 0: as a command, the
		 * advice would double the backlog again at every check. */
		finding_explain(f, " Doubling the backlog (2 x %" PRIu64 " = %" PRIu64 ") absorbs "
				"twice the burst at ~2 KiB per queued packet.", s->netdev_max_backlog, nb);
		if (c->iv && d.rated && d.delta) {
			finding_fix_sysctl(f, "net.core.netdev_max_backlog", "%" PRIu64, nb);
		} else {
			finding_fix_comment(f, "drops since boot only: see whether they still rise");
			finding_fix_cmd(f, "headroom check --area net --interval 10");
			finding_fix_comment(f, "and only then raise the backlog:");
			finding_fix_comment(f, "  sysctl -w net.core.netdev_max_backlog=%" PRIu64, nb);
		}
	}
	return sev;
}

static enum hr_severity judge_ifaces(const struct ctx *c)
{
	const struct netloss_snap *s = c->s;
	enum hr_severity worst = HR_SEV_OK;

	if (!s->have_dev)
		return worst;
	for (size_t i = 0; i < s->dev.n; i++) {
		const struct net_dev_if *d = &s->dev.ifs[i], *pd = NULL;
		if (c->b && c->b->have_dev)
			for (size_t j = 0; j < c->b->dev.n; j++)
				if (!strcmp(c->b->dev.ifs[j].name, d->name))
					pd = &c->b->dev.ifs[j];
		/* Split from sysfs when read, else /proc/net/dev's sum. */
		bool split = d->rx_dropped_sys != HR_UNSET && d->rx_missed_sys != HR_UNSET;
		uint64_t drop_now = split ? d->rx_dropped_sys : d->rx_drop;
		uint64_t drop_bef = !pd ? HR_UNSET : split ? pd->rx_dropped_sys : pd->rx_drop;
		struct netctr dr = netctr_get(drop_bef, drop_now, c->iv_usec);
		struct netctr ms = split ? netctr_get(pd ? pd->rx_missed_sys : HR_UNSET,
						       d->rx_missed_sys, c->iv_usec)
					 : (struct netctr){ 0 };
		struct netctr fi = netctr_get(pd ? pd->rx_fifo : HR_UNSET, d->rx_fifo, c->iv_usec);
		struct netctr all = netctr_sum(netctr_sum(dr, ms), fi);
		enum hr_severity sev;

		if (c->iv && all.rated) {
			/* rx_dropped also counts harmless discards (unknown
			 * protocol, filtered multicast): warn; missed/fifo mean
			 * the ring overflowed: crit. */
			sev = sev_max(netctr_severity(dr, true, false),
				      netctr_severity(netctr_sum(ms, fi), true, true));
		} else {
			uint64_t pk = d->rx_packets == HR_UNSET ? 0 : d->rx_packets;
			uint64_t den = sat_add(pk, all.total);
			sev = all.total && den && all.total * 1000000.0 / (double)den >= IFACE_DROP_WARN_PPM
				      ? HR_SEV_WARN : HR_SEV_OK;
		}
		if (sev == HR_SEV_OK)
			continue;
		worst = sev_max(worst, sev);
		struct hr_finding *f = finding_add(c->out, "net.iface_drops", sev, "interface %s in %s",
						   d->name, s->ns.subject);
		netctr_facts(f, "rx_dropped", dr);
		netctr_facts(f, "rx_missed_errors", ms);
		netctr_facts(f, "rx_fifo_errors", fi);
		if (d->rx_packets != HR_UNSET)
			fact_u64(f, "rx_packets", d->rx_packets);
		facts_interval(f, c);
		finding_explain(f, "Interface %s dropped received packets %s. rx_missed_errors and "
				"rx_fifo_errors mean the NIC's receive ring was full because the host "
				"did not refill or drain it in time (CPU stalled in reclaim, or "
				"buffers could not be allocated); rx_dropped is the kernel discarding "
				"after receipt (no memory for an skb, backlog full, or harmless: "
				"unknown protocol, filtered multicast)%s. Since-boot totals warn only "
				"above %.1f %% of received packets.", d->name, netctr_window(c->iv),
				split ? "" : " (/proc/net/dev folds rx_missed_errors into drop; sysfs "
					     "was not readable)", IFACE_DROP_WARN_PPM / 10000.0);
		/* ethtool -G reallocates the rings, which takes the link down
		 * for a moment on most drivers (ixgbe, i40e, mlx5, virtio):
		 * never a line to paste on a host reached over that link. */
		char q[4 * NET_DEV_NAME_MAX + 3];	/* every byte a quote, worst case */
		shell_quote(d->name, q, sizeof(q));
		finding_fix_cmd(f, "ethtool -g %s    # ring sizes: current vs maximum", q);
		finding_fix_cmd(f, "ethtool -S %s | grep -i -e drop -e miss -e nobuf", q);
		finding_fix_comment(f, "then, in a maintenance window (most drivers reset the link to "
				    "resize): ethtool -G %s rx MAX, MAX as shown by ethtool -g", q);
	}
	return worst;
}

/* net.ok's facts: 3 per counter and the 5 below; none may be dropped. */
_Static_assert(3 * NL_COUNT + 5 <= HR_FACTS_MAX, "net.ok facts exceed HR_FACTS_MAX");

static void judge_ok(const struct ctx *c)
{
	const struct netloss_snap *s = c->s;
	struct hr_finding *f = finding_add(c->out, "net.ok", HR_SEV_OK, "%s", s->ns.subject);

	for (size_t i = 0; i < NL_COUNT; i++)
		netctr_facts(f, netloss_ctrs[i].fact, ctr(c, (enum netloss_ctr)i));
	if (s->have_softnet)
		fact_u64(f, "softnet_dropped", s->softnet.dropped);
	if (s->have_sockstat && s->tcp_mem[1] != HR_UNSET) {
		fact_u64(f, "tcp_mem_pages", s->sockstat.tcp_mem_pages);
		fact_u64(f, "tcp_mem_pressure_pages", s->tcp_mem[1]);
	}
	if (s->have_dev)
		fact_u64(f, "interfaces", s->dev.n);
	facts_interval(f, c);
	if (!s->have_snmp)
		fact_list_add(f, "not_checked", "udp");
	if (!s->have_netstat)
		fact_list_add(f, "not_checked", "tcp");
	if (!s->have_sockstat || s->tcp_mem[0] == HR_UNSET)
		fact_list_add(f, "not_checked", "tcp_mem");
	if (!s->have_softnet)
		fact_list_add(f, "not_checked", "softnet");
	if (!s->have_dev)
		fact_list_add(f, "not_checked", "interfaces");
	if (finding_fact(f, "not_checked"))
		finding_explain(f, "Some inputs could not be read (see not_read): the checks in "
				"not_checked were skipped. ");
	finding_explain(f, "Checked %s: UDP MemErrors and RcvbufErrors, TCP receive-queue drops "
			"and prunes, TCP memory pressure (sockstat vs tcp_mem), pfmemalloc drops, "
			"softnet backlog drops and interface receive drops: none found.",
			netctr_window(c->iv));
}

/* Counters this kernel lacks: one ok finding so a report on an old kernel
 * says which checks could not be made, instead of passing them silently. */
static void judge_absent(const struct ctx *c)
{
	const struct netloss_snap *s = c->s;
	enum netloss_ctr all[NL_COUNT];
	size_t n = 0;

	for (size_t i = 0; i < NL_COUNT; i++)
		if (s->c[i] == HR_UNSET && src_read(s, netloss_ctrs[i].src))
			all[n++] = (enum netloss_ctr)i;
	if (!n)
		return;
	struct hr_finding *f = finding_add(c->out, "net.not_on_this_kernel", HR_SEV_OK, "%s",
					   s->ns.subject);
	not_on_kernel(f, s, all, n);
	finding_explain(f, "These counters are not on this kernel, so the checks that need them "
			"were skipped (not an error): Udp MemErrors is present in 6.18 (absent in "
			"4.19 and 5.10; the UDP memory check then infers them from InErrors), TCPRcvQDrop and PFMemallocDrop in 4.19 (absent in 4.4). Memory "
			"drops of those kinds are then visible only as Udp InErrors or retransmits.");
}

void netloss_judge(const void *before, const void *now, uint64_t interval_usec,
			  struct hr_findings *out)
{
	struct ctx c = { .s = now, .b = before, .iv_usec = interval_usec, .iv = before != NULL,
			 .out = out };
	enum hr_severity w = judge_udp_mem(&c);

	w = sev_max(w, judge_udp_rcvbuf(&c));
	w = sev_max(w, judge_tcp_rcvq(&c));
	w = sev_max(w, judge_tcp_mem(&c));
	w = sev_max(w, judge_pfmemalloc(&c));
	w = sev_max(w, judge_softnet(&c));
	w = sev_max(w, judge_ifaces(&c));
	if (w == HR_SEV_OK)
		judge_ok(&c);
	judge_absent(&c);
}
