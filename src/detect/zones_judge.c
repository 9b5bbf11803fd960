/* zones_judge.c - the zones area: can atomic allocations (softirq packet receive,
 * NIC ring refills) still be served? Judges per-zone watermarks, buddy
 * fragmentation, min_free_kbytes against the kernel default and the NIC
 * rings, and the reclaim/compaction counters. Pure: reads a struct
 * zones_snap (sampled by kernel/zones_sample.c), appends findings.
 * Thresholds and their reasons: doc/check-zones.md.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "detect/zones_judge.h"
#include "detect/vmcalc.h"
#include "snapshot/kver.h"
#include "snapshot/vmsnap.h"
#include "util/parse.h"
#include "util/shquote.h"


/* Order of the failed request in seed 003 (a 64 KiB kmalloc in softirq)
 * and the kernel's PAGE_ALLOC_COSTLY_ORDER (3), the order of skb frag
 * pages (SKB_FRAG_PAGE_ORDER = get_order(32768) with 4 KiB pages). */
#define FRAG_CRIT_ORDER 4
#define FRAG_WARN_ORDER 3
/* Unusable-free-space index for order 3 above which fragmentation warns:
 * 90 % of free memory is in blocks too small for a 32 KiB request. */
#define FRAG_UNUSABLE_WARN 0.9
/* Counters since boot need a minimum sample before a ratio means much. */
#define COMPACT_MIN_STALLS 100
#define ALLOCSTALL_MIN 10
#define DIRECT_SHARE_WARN 0.10
/* With --interval: one stall (or failed compaction) every 100 ms is a
 * steady state, not a burst - a judgement, not a kernel limit. */
#define RATE_CRIT_PER_S 10.0

static uint64_t bytes(const struct zones_snap *s, uint64_t pages)
{
	return pages == HR_UNSET ? HR_UNSET : sat_mul(pages, s->page_size);
}

/* The watermark_scale_factor headroom recommends: at least 100 (a low-min
 * gap of 1 % of each zone, 10x the default of 10); with evidence from now
 * (a zone at its watermarks, stalls during --interval) double the current
 * value. Never above WSF_ADVISE_MAX although 6.1+ accepts 3000
 * (KERNEL-FACTS D.2): past a 10 % gap kswapd keeps memory idle that the
 * host needs, and pressure that persists is overcommit (see the memcg
 * area), not a watermark problem. Since-boot stall counters never go back
 * to 0, so they are no reason to raise a value of 100 or more: each check
 * would double it again. */
#define WSF_ADVISE_MIN 100
#define WSF_ADVISE_MAX 1000

static uint64_t wsf_recommend(const struct zones_snap *s, bool now)
{
	uint64_t cur = s->sc.watermark_scale_factor;
	uint64_t n = cur == HR_UNSET ? WSF_ADVISE_MIN : now ? sat_mul(cur, 2) : cur;

	if (n < WSF_ADVISE_MIN)
		n = WSF_ADVISE_MIN;
	return n > WSF_ADVISE_MAX ? WSF_ADVISE_MAX : n;
}

static void fix_wsf(struct hr_finding *f, const struct zones_snap *s,
		    const struct zoneinfo_zone *z, bool now)
{
	uint64_t cur = s->sc.watermark_scale_factor;

	if (cur == HR_UNSET) {
		finding_fix_comment(f, "this kernel has no vm.watermark_scale_factor (before 4.6): "
				    "raise vm.min_free_kbytes instead, which moves all three watermarks");
		return;
	}
	uint64_t n = wsf_recommend(s, now);
	if (n <= cur) {
		if (now)
			finding_fix_comment(f, "vm.watermark_scale_factor is already %llu, at or "
					    "above the %d (a 10 %% gap) headroom advises at most: "
					    "waking kswapd earlier still only keeps memory idle",
					    (unsigned long long)cur, WSF_ADVISE_MAX);
		else
		{
			finding_fix_comment(f, "vm.watermark_scale_factor is already %llu and the "
					    "stalls are counted since boot: see whether they still "
					    "happen before raising it", (unsigned long long)cur);
			finding_fix_cmd(f, "headroom check --area zones --interval 10");
		}
		return;
	}
	finding_fix_comment(f, "wake kswapd earlier:");
	finding_fix_sysctl(f, "vm.watermark_scale_factor", "%llu", (unsigned long long)n);
	if (z) {
		uint64_t t = sat_add(sat_mul(z->managed_pages / 10000, n),
				     z->managed_pages % 10000 * n / 10000);
		uint64_t gap = t > z->min_pages / 4 ? t : z->min_pages / 4;
		finding_explain(f, " Why vm.watermark_scale_factor=%llu: the low-min gap is "
				"max(min/4, managed x factor / 10000) pages; for zone %s (%llu managed "
				"pages, min %llu) it is now %.1f MiB (low - min) and becomes max(%llu, "
				"%llu) = %.1f MiB, so kswapd starts reclaiming that much earlier, before "
				"allocations reach min.",
			    (unsigned long long)n, z->name, (unsigned long long)z->managed_pages,
			    (unsigned long long)z->min_pages,
			    mib_of(bytes(s, z->low_pages - z->min_pages)),
			    (unsigned long long)(z->min_pages / 4), (unsigned long long)t,
			    mib_of(bytes(s, gap)));
	}
}

static void judge_watermarks(const struct zones_snap *s, struct hr_findings *out)
{
	for (size_t i = 0; i < s->zi.n; i++) {
		const struct zoneinfo_zone *z = &s->zi.zones[i];
		enum hr_severity sev;
		if (!z->managed_pages)
			continue;
		if (z->free_pages <= z->min_pages)
			sev = HR_SEV_CRIT;
		else if (z->free_pages <= z->low_pages)
			sev = HR_SEV_WARN;
		else
			continue;
		struct hr_finding *f = finding_add(out, "zones.watermark", sev, "zone %s node %u",
						   z->name, z->node);
		fact_u64(f, "free_bytes", bytes(s, z->free_pages));
		fact_u64(f, "min_bytes", bytes(s, z->min_pages));
		fact_u64(f, "low_bytes", bytes(s, z->low_pages));
		fact_u64(f, "high_bytes", bytes(s, z->high_pages));
		fact_u64(f, "managed_bytes", bytes(s, z->managed_pages));
		if (z->boost_pages != HR_UNSET)
			fact_u64(f, "boost_bytes", bytes(s, z->boost_pages));
		fact_u64(f, "atomic_floor_bytes", bytes(s, z->min_pages / 8 * 3 + z->min_pages % 8 * 3 / 8));
		if (s->sc.watermark_scale_factor != HR_UNSET)
			fact_u64(f, "watermark_scale_factor", s->sc.watermark_scale_factor);
		if (z->node_unreclaimable != HR_UNSET)
			fact_bool(f, "node_unreclaimable", z->node_unreclaimable != 0);
		if (sev == HR_SEV_CRIT)
			finding_explain(f, "Zone %s of node %u has %.1f MiB free, at or below its min "
					   "watermark (%.1f MiB). Every allocation that may sleep now "
					   "reclaims in the allocating task; GFP_ATOMIC allocations "
					   "(packet receive in softirq, NIC ring refills) may go down to "
					   "3/8 of min (%.1f MiB) and fail below that, and a failed rx "
					   "refill or skb allocation is a dropped packet.",
					z->name, z->node, mib_of(bytes(s, z->free_pages)),
					mib_of(bytes(s, z->min_pages)), mib_of(bytes(s, z->min_pages / 8 * 3 + z->min_pages % 8 * 3 / 8)));
		else
			finding_explain(f, "Zone %s of node %u has %.1f MiB free, at or below its low "
					   "watermark (%.1f MiB; min %.1f MiB). kswapd is awake and the "
					   "allocator's fast path fails here; if reclaim does not keep up, "
					   "the zone reaches min, where only atomic and memalloc "
					   "allocations proceed.",
					z->name, z->node, mib_of(bytes(s, z->free_pages)),
					mib_of(bytes(s, z->low_pages)), mib_of(bytes(s, z->min_pages)));
		finding_fix_comment(f, "first find what holds the memory (this is memory pressure, "
				    "not only tuning):");
		finding_fix_cmd(f, "headroom check --area memcg");
		fix_wsf(f, s, z, true);
	}
}

/* The zone GFP_ATOMIC network allocations are served from on this node:
 * Normal, or DMA32 on a node without Normal memory. */
static const struct buddyinfo_zone *atomic_zone(const struct zones_snap *s, uint32_t node)
{
	const struct buddyinfo_zone *b = buddyinfo_find(&s->bi, node, "Normal");
	if (b && buddyinfo_pages_from(b, 0) == 0 && s->have_zoneinfo) {
		const struct zoneinfo_zone *z = zoneinfo_find(&s->zi, node, "Normal");
		if (z && !z->managed_pages)
			b = NULL;
	}
	return b ? b : buddyinfo_find(&s->bi, node, "DMA32");
}

/* A lower zone of the same node that can still serve an order-`order`
 * request coming from zone `from` (free above min + lowmem_reserve). */
static const char *fallback_zone(const struct zones_snap *s, const struct buddyinfo_zone *from,
				 int order)
{
	if (strcmp(from->name, "Normal"))
		return NULL;
	const struct buddyinfo_zone *d = buddyinfo_find(&s->bi, from->node, "DMA32");
	if (!d || buddyinfo_largest_order(d) < order)
		return NULL;
	if (s->have_zoneinfo) {
		const struct zoneinfo_zone *z = zoneinfo_find(&s->zi, from->node, "DMA32");
		/* protection[] is indexed by the requesting zone: Normal is
		 * index 2 on x86_64 (DMA, DMA32, Normal). */
		uint64_t prot = z && z->nprotection > 2 ? z->protection[2] : 0;
		if (!z || z->free_pages <= sat_add(z->min_pages, prot))
			return NULL;
	}
	return "DMA32";
}

static void fix_fragmentation(struct hr_finding *f, const struct zones_snap *s,
			      const struct vmcalc_nic *nic)
{
	finding_fix_comment(f, "compact now (from 6.6 the value must be 1):");
	finding_fix_cmd(f, "echo 1 > /proc/sys/vm/compact_memory");
	if (s->sc.compaction_proactiveness != HR_UNSET && s->sc.compaction_proactiveness < 40) {
		finding_fix_comment(f, "keep kcompactd ahead of the damage (now %llu, default 20; 40 "
				    "doubles how hard kcompactd works in the background):",
				    (unsigned long long)s->sc.compaction_proactiveness);
		finding_fix_sysctl(f, "vm.compaction_proactiveness", "40");
	}
	finding_fix_comment(f, "more free memory gives the buddy allocator more to merge: a "
			    "larger vm.min_free_kbytes");
	uint64_t o0 = vmcalc_order0_mtu(s->page_size);
	char q[4 * sizeof(nic->max_mtu_iface) + 3];
	shell_quote(nic->max_mtu_iface, q, sizeof(q));
	/* Not a line to paste on its own: a host whose MTU is lowered alone
	 * drops the larger frames its peers keep sending (rx buffers are sized
	 * from the MTU), which breaks jumbo storage and overlay traffic. */
	if (nic->max_mtu > o0) {
		finding_explain(f, " Interface %s has MTU %llu, so each rx buffer needs %llu bytes "
				"(MTU + %u bytes of headers, padding and skb_shared_info, rounded up "
				"to a power of two), an order-%u allocation in softirq. A buffer fits "
				"one %llu-byte page at MTU <= %llu = %llu - %u. Lowering the MTU is a "
				"change of the whole network segment, not of this host: a host with "
				"a smaller MTU drops the larger frames its peers still send.",
			    q, (unsigned long long)nic->max_mtu,
			    (unsigned long long)vmcalc_rx_buf_bytes(nic->max_mtu), VMCALC_RX_OVERHEAD,
			    vmcalc_rx_buf_order(nic->max_mtu, s->page_size),
			    (unsigned long long)s->page_size, (unsigned long long)o0,
			    (unsigned long long)s->page_size, VMCALC_RX_OVERHEAD);
		finding_fix_comment(f, "lowering the MTU changes the whole segment: plan it with "
				    "every peer, then on each of them:");
		finding_fix_comment(f, "  ip link set dev %s mtu 1500", q);
	}
}

static void judge_fragmentation(const struct zones_snap *s, const struct vmcalc_nic *nic,
				struct hr_findings *out)
{
	for (size_t i = 0; i < s->bi.n; i++) {
		const struct buddyinfo_zone *b = &s->bi.zones[i];
		/* once per node, for the zone atomic allocations use */
		if (atomic_zone(s, b->node) != b)
			continue;
		uint64_t free_pages = buddyinfo_pages_from(b, 0);
		uint64_t p3 = buddyinfo_pages_from(b, FRAG_WARN_ORDER);
		uint64_t p4 = buddyinfo_pages_from(b, FRAG_CRIT_ORDER);
		int largest = buddyinfo_largest_order(b);
		double unusable3 = free_pages ? (double)(free_pages - p3) / (double)free_pages : 1.0;
		enum hr_severity sev;
		const char *fb = NULL;

		if (s->have_zoneinfo) {
			/* At or below low, free memory itself is short: that is
			 * zones.watermark, and "fails although memory is free"
			 * would be false. */
			const struct zoneinfo_zone *z = zoneinfo_find(&s->zi, b->node, b->name);
			if (z && z->free_pages <= z->low_pages)
				continue;
		}
		if (largest < FRAG_CRIT_ORDER) {
			fb = fallback_zone(s, b, FRAG_CRIT_ORDER);
			sev = fb ? HR_SEV_WARN : HR_SEV_CRIT;
		} else if (unusable3 > FRAG_UNUSABLE_WARN) {
			sev = HR_SEV_WARN;
		} else {
			continue;
		}
		struct hr_finding *f = finding_add(out, "zones.fragmentation", sev,
						   "zone %s node %u", b->name, b->node);
		fact_u64(f, "free_bytes", bytes(s, free_pages));
		fact_i64(f, "largest_free_order", largest);
		fact_u64(f, "largest_free_block_bytes",
			 largest < 0 ? 0 : bytes(s, (uint64_t)1 << largest));
		fact_u64(f, "order3_plus_free_bytes", bytes(s, p3));
		fact_u64(f, "order4_plus_free_bytes", bytes(s, p4));
		fact_f64(f, "unusable_index_order3", round(unusable3 * 1000) / 1000);
		for (size_t o = 0; o < b->norders; o++) {
			char item[48];
			snprintf(item, sizeof(item), "%zu:%llu", o, (unsigned long long)b->blocks[o]);
			fact_list_add(f, "free_blocks_by_order", item);
		}
		if (s->have_zoneinfo) {
			const struct zoneinfo_zone *z = zoneinfo_find(&s->zi, b->node, b->name);
			if (z)
				fact_u64(f, "min_bytes", bytes(s, z->min_pages));
		}
		if (fb)
			fact_str(f, "fallback_zone", fb);
		if (nic->max_mtu) {
			fact_u64(f, "max_mtu", nic->max_mtu);
			fact_u64(f, "rx_buffer_order", vmcalc_rx_buf_order(nic->max_mtu, s->page_size));
		}
		if (largest < FRAG_CRIT_ORDER) {
			finding_explain(f, "Zone %s of node %u has %.1f MiB free but no free block of "
					   "order >= %d (%llu KiB); the largest is order %d. An order-4 "
					   "GFP_ATOMIC request, such as the 64 KiB kmalloc in softirq that "
					   "failed with 'page allocation failure: order:4, mode:0x20' on a "
					   "host with 31860 kB free and nothing above 32 KiB, fails although "
					   "memory is free: atomic allocations can neither reclaim nor "
					   "compact, and orders above 0 need a free block of that order.",
					b->name, b->node, mib_of(bytes(s, free_pages)), FRAG_CRIT_ORDER,
					(unsigned long long)(bytes(s, (uint64_t)1 << FRAG_CRIT_ORDER) / 1024),
					largest);
			if (largest < FRAG_WARN_ORDER)
				finding_explain(f, " Not even order 3 (32 KiB, the skb frag page "
						   "size) is free: every high-order network allocation "
						   "falls back to single pages or fails.");
			if (fb)
				finding_explain(f, " Zone %s of this node still has such blocks above its "
						   "min watermark plus lowmem reserve, so requests fall back "
						   "there for now: warn, not crit.", fb);
		} else {
			finding_explain(f, "Zone %s of node %u has %.1f MiB free, but %.0f %% of it is in "
					   "blocks smaller than order 3 (32 KiB; unusable-free-space "
					   "index %.3f): a burst of high-order atomic "
					   "allocations (skb frag pages, jumbo rx buffers) exhausts the "
					   "%.1f MiB of larger blocks quickly, and atomic requests cannot "
					   "compact.",
					b->name, b->node, mib_of(bytes(s, free_pages)), unusable3 * 100,
					unusable3, mib_of(bytes(s, p3)));
		}
		fix_fragmentation(f, s, nic);
	}
}

static void judge_min_free(const struct zones_snap *s, const struct vmcalc_nic *nic,
			   struct hr_findings *out)
{
	uint64_t mfk = s->sc.min_free_kbytes;
	if (mfk == HR_UNSET || !s->have_zoneinfo)
		return;
	uint64_t lowmem = vmcalc_lowmem_kb(&s->zi, s->page_size);
	uint64_t def = vmcalc_default_min_free_kb(lowmem, s->kmajor, s->kminor);
	uint64_t thp = s->thp == 1 ? vmcalc_thp_min_free_kb(&s->zi, s->page_size,
							       s->hpage_pmd_bytes, lowmem) : 0;
	uint64_t required = def > nic->need_kb ? def : nic->need_kb;
	uint64_t cap5 = lowmem / 20;
	enum hr_severity sev;
	bool too_big = false;

	if (mfk < required / 2)
		sev = HR_SEV_CRIT;
	else if (mfk < required)
		sev = HR_SEV_WARN;
	else if (mfk > cap5 && mfk / 2 > (thp > required ? thp : required)) {
		/* Only when also more than twice what anything asks for, so a
		 * small host whose rings need more than 5 % is not told both
		 * "too small" and "too big". */
		sev = HR_SEV_WARN;
		too_big = true;
	} else
		return;
	bool rec_capped;
	uint64_t rec = vmcalc_min_free_recommended_kb(def, nic->need_kb, thp, lowmem, &rec_capped);
	struct hr_finding *f = finding_add(out, "zones.min_free_kbytes", sev, "host");
	fact_u64(f, "min_free_kbytes", mfk);
	fact_u64(f, "lowmem_bytes", sat_mul(lowmem, 1024));
	fact_u64(f, "kernel_default_kbytes", def);
	fact_u64(f, "kernel_clamp_max_kbytes", vmcalc_min_free_clamp_kb(s->kmajor, s->kminor));
	fact_u64(f, "thp_recommended_kbytes", thp);
	fact_u64(f, "nic_physical_interfaces", nic->ifaces);
	fact_u64(f, "nic_rx_queues", nic->queues);
	fact_u64(f, "assumed_rx_ring_entries", VMCALC_RX_RING_ENTRIES);
	fact_u64(f, "nic_rx_ring_bytes", nic->ring_bytes);
	fact_u64(f, "nic_need_kbytes", nic->need_kb);
	fact_u64(f, "recommended_min_free_kbytes", rec);
	if (rec_capped)
		fact_bool(f, "recommended_capped_at_5pct", true);
	if (too_big) {
		finding_explain(f, "vm.min_free_kbytes is %llu kB, more than 5 %% of lowmem (%llu kB "
				   "of %llu kB), the cap the kernel puts on its own THP raise. "
				   "That memory is never used by ordinary "
				   "allocations: kswapd reclaims early and the OOM killer comes "
				   "sooner, while the network needs only %llu kB.",
				(unsigned long long)mfk, (unsigned long long)cap5,
				(unsigned long long)lowmem, (unsigned long long)required);
	} else {
		finding_explain(f, "vm.min_free_kbytes is %llu kB, below the %llu kB that atomic "
				   "allocations need here: the kernel's own default is %llu kB and "
				   "refilling the rx rings of %u interface(s) from the reserve takes "
				   "%llu kB. The reserve below min is what softirq packet receive and "
				   "NIC refills live on when memory is short; too "
				   "small, and they fail before kswapd has caught up.",
				(unsigned long long)mfk, (unsigned long long)required,
				(unsigned long long)def, nic->ifaces, (unsigned long long)nic->need_kb);
	}
	if (rec_capped)
		finding_explain(f, " The rings would need %llu kB, more than 5 %% of lowmem "
				   "(%llu kB): a reserve that large is memory the host cannot use "
				   "and invites OOM kills, so headroom advises at most 5 %%; the "
				   "lasting fix is fewer rx queues or smaller rings.",
				(unsigned long long)nic->need_kb, (unsigned long long)cap5);
	if (rec <= mfk && !too_big)
		finding_fix_comment(f, "do not raise vm.min_free_kbytes further (it is at the 5 %% "
				    "cap): see the rx queues and rings with ethtool -l IFACE and "
				    "ethtool -g IFACE and reduce them (ethtool -L / -G reset the link "
				    "on most drivers: a maintenance window)");
	else
		finding_fix_sysctl(f, "vm.min_free_kbytes", "%llu", (unsigned long long)rec);
	finding_explain(f, " Arithmetic: kernel "
		       "default = int_sqrt(%llu kB lowmem x 16) = %llu kB (clamped to [128, %llu]); "
		       "NIC rings = %u rx queue(s) x %u entries (assumed) x buffer bytes = %llu "
		       "bytes, x 8/5 because GFP_ATOMIC may use only 5/8 of the min reserve = %llu "
		       "kB; THP raise = %llu kB; recommended = the largest, rounded up to whole "
		       "MiB%s = %llu kB.",
		    (unsigned long long)lowmem,
		    (unsigned long long)def, (unsigned long long)vmcalc_min_free_clamp_kb(s->kmajor, s->kminor),
		    nic->queues, VMCALC_RX_RING_ENTRIES, (unsigned long long)nic->ring_bytes,
		    (unsigned long long)nic->need_kb, (unsigned long long)thp,
		    rec_capped ? ", capped at 5 % of lowmem" : "", (unsigned long long)rec);
}

static uint64_t delta(uint64_t a, uint64_t b)
{
	return a == HR_UNSET || b == HR_UNSET ? HR_UNSET : sat_sub(b, a);
}

static void judge_compaction(const struct zones_snap *b, const struct zones_snap *s,
			     uint64_t usec, struct hr_findings *out)
{
	const struct vmstat *v = &s->vs;
	if (!s->have_vmstat || v->compact_stall == HR_UNSET || v->compact_fail == HR_UNSET)
		return;	/* CONFIG_COMPACTION=n: no compact_* counters */
	uint64_t stall = v->compact_stall, fail = v->compact_fail, succ = v->compact_success;
	bool rate = b && b->have_vmstat && usec;
	double secs = (double)usec / 1e6;
	enum hr_severity sev;

	if (rate) {
		stall = delta(b->vs.compact_stall, v->compact_stall);
		fail = delta(b->vs.compact_fail, v->compact_fail);
		succ = delta(b->vs.compact_success, v->compact_success);
		if (stall == HR_UNSET || fail == HR_UNSET || !stall || sat_mul(fail, 2) <= stall)
			return;
		sev = (double)fail / secs >= RATE_CRIT_PER_S ? HR_SEV_CRIT : HR_SEV_WARN;
	} else {
		if (stall < COMPACT_MIN_STALLS || sat_mul(fail, 2) <= stall)
			return;
		sev = HR_SEV_WARN;
	}
	struct hr_finding *f = finding_add(out, "zones.compaction", sev, "host");
	fact_u64(f, "compact_stall", stall);
	fact_u64(f, "compact_fail", fail);
	if (succ != HR_UNSET)
		fact_u64(f, "compact_success", succ);
	fact_f64(f, "fail_ratio", round((double)fail / (double)stall * 1000) / 1000);
	if (rate) {
		fact_f64(f, "interval_seconds", secs);
		fact_f64(f, "compact_fail_per_s", (double)fail / secs);
	} else {
		fact_bool(f, "since_boot", true);
	}
	finding_explain(f, "Direct compaction failed %llu of %llu times%s: allocations that "
			   "needed a contiguous block stalled to compact and still found none. "
			   "Atomic allocations do not even try, so the same fragmentation fails "
			   "them outright.",
			(unsigned long long)fail, (unsigned long long)stall,
			rate ? " in the interval" : " since boot");
	finding_fix_comment(f, "compact now:");
	finding_fix_cmd(f, "echo 1 > /proc/sys/vm/compact_memory");
	if (s->sc.compaction_proactiveness != HR_UNSET && s->sc.compaction_proactiveness < 40) {
		finding_fix_comment(f, "compact ahead of demand (now %llu, default 20):",
				    (unsigned long long)s->sc.compaction_proactiveness);
		finding_fix_sysctl(f, "vm.compaction_proactiveness", "40");
	}
	finding_fix_comment(f, "a larger vm.min_free_kbytes leaves more free memory to merge");
}

static void judge_allocstall(const struct zones_snap *b, const struct zones_snap *s,
			     uint64_t usec, struct hr_findings *out)
{
	const struct vmstat *v = &s->vs;
	if (!s->have_vmstat || v->allocstall_total == HR_UNSET)
		return;
	uint64_t stalls = v->allocstall_total, direct = v->pgscan_direct, kswapd = v->pgscan_kswapd;
	bool rate = b && b->have_vmstat && usec;
	double secs = (double)usec / 1e6, share = -1;
	enum hr_severity sev;

	if (rate) {
		stalls = delta(b->vs.allocstall_total, v->allocstall_total);
		direct = delta(b->vs.pgscan_direct, v->pgscan_direct);
		kswapd = delta(b->vs.pgscan_kswapd, v->pgscan_kswapd);
		if (stalls == HR_UNSET || !stalls)
			return;
		sev = (double)stalls / secs >= RATE_CRIT_PER_S ? HR_SEV_CRIT : HR_SEV_WARN;
	} else {
		if (stalls < ALLOCSTALL_MIN || direct == HR_UNSET || kswapd == HR_UNSET)
			return;
		share = direct + kswapd ? (double)direct / (double)(direct + kswapd) : 0;
		if (share <= DIRECT_SHARE_WARN)
			return;
		sev = HR_SEV_WARN;
	}
	if (direct != HR_UNSET && kswapd != HR_UNSET && share < 0)
		share = direct + kswapd ? (double)direct / (double)(direct + kswapd) : 0;
	struct hr_finding *f = finding_add(out, "zones.allocstall", sev, "host");
	fact_u64(f, "allocstall", stalls);
	if (direct != HR_UNSET)
		fact_u64(f, "pgscan_direct", direct);
	if (kswapd != HR_UNSET)
		fact_u64(f, "pgscan_kswapd", kswapd);
	if (share >= 0)
		fact_f64(f, "direct_scan_share", round(share * 1000) / 1000);
	if (rate) {
		fact_f64(f, "interval_seconds", secs);
		fact_f64(f, "allocstall_per_s", (double)stalls / secs);
	} else {
		fact_bool(f, "since_boot", true);
	}
	finding_explain(f, "Tasks entered direct reclaim %llu times%s%s: kswapd did not keep free "
			   "memory above the low watermark, so allocating tasks reclaimed "
			   "themselves. Each such moment is also a moment where atomic "
			   "allocations (softirq receive) run on the min reserve.",
			(unsigned long long)stalls, rate ? " in the interval" : " since boot",
			share >= 0 && !rate ? ", and direct reclaim did more than 10 % of all "
					       "page scanning" : "");
	const struct zoneinfo_zone *z = NULL;
	for (size_t i = 0; i < s->zi.n && s->have_zoneinfo; i++)
		if (!strcmp(s->zi.zones[i].name, "Normal") && s->zi.zones[i].managed_pages)
			z = &s->zi.zones[i];
	fix_wsf(f, s, z, rate);
}

void zones_judge(const void *before, const void *now, uint64_t interval_usec,
		  struct hr_findings *out)
{
	const struct zones_snap *s = now, *b = before;
	size_t start = out->n;
	struct vmcalc_nic nic;

	vmcalc_nic(&s->nd, &nic);
	if (s->have_zoneinfo)
		judge_watermarks(s, out);
	if (s->have_buddyinfo)
		judge_fragmentation(s, &nic, out);
	judge_min_free(s, &nic, out);
	judge_compaction(b, s, interval_usec, out);
	judge_allocstall(b, s, interval_usec, out);
	for (size_t i = start; i < out->n; i++)
		if (out->items[i].severity != HR_SEV_OK)
			return;

	struct hr_finding *f = finding_add(out, "zones.ok", HR_SEV_OK, "host");
	const struct buddyinfo_zone *nz = s->have_buddyinfo ? atomic_zone(s, 0) : NULL;
	if (nz) {
		fact_str(f, "atomic_zone", nz->name);
		fact_u64(f, "atomic_zone_free_bytes", bytes(s, buddyinfo_pages_from(nz, 0)));
		fact_i64(f, "atomic_zone_largest_free_order", buddyinfo_largest_order(nz));
	}
	if (s->sc.min_free_kbytes != HR_UNSET)
		fact_u64(f, "min_free_kbytes", s->sc.min_free_kbytes);
	if (s->have_zoneinfo) {
		uint64_t lowmem = vmcalc_lowmem_kb(&s->zi, s->page_size);
		fact_u64(f, "kernel_default_kbytes", vmcalc_default_min_free_kb(lowmem, s->kmajor, s->kminor));
		if (s->thp == 1)
			fact_u64(f, "thp_recommended_kbytes",
				 vmcalc_thp_min_free_kb(&s->zi, s->page_size, s->hpage_pmd_bytes, lowmem));
		fact_u64(f, "zones_checked", s->zi.n);
	}
	fact_u64(f, "nic_need_kbytes", nic.need_kb);
	if (s->have_vmstat && s->vs.allocstall_total != HR_UNSET)
		fact_u64(f, "allocstall", s->vs.allocstall_total);
	if (s->have_vmstat && s->vs.compact_stall != HR_UNSET)
		fact_u64(f, "compact_stall", s->vs.compact_stall);
	finding_explain(f, "Every zone is above its low watermark, the zone serving atomic "
			   "allocations has free blocks of order >= %d, vm.min_free_kbytes covers "
			   "the kernel default and the NIC rings, and reclaim and compaction are "
			   "keeping up.", FRAG_CRIT_ORDER);
}
