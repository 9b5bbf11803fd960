/* conntrack_judge.c - the conntrack area: is the connection tracking table (per
 * netns count, global max) close to full, is its hash sized for its max,
 * is it dropping packets, and is TIME_WAIT keeping entries longer than TCP
 * does? Sampling is kernel/net_sample.c; this file only judges.
 *
 * Thresholds and why:
 *  usage   warn >= 80 %, crit >= 95 %: from 4.14 the GC worker starts
 *          evicting (early drop) at 95 % of max, and at 100 % new flows
 *          are dropped with "table full, dropping packet" (KERNEL-FACTS F.2).
 *  chains  warn when max/buckets > 4: a full table then has chains longer
 *          than 4 entries on average (the seed's max = 4 x buckets shape);
 *          5.15+ refuses inserts into over-long chains (chainlength column).
 *  drops   drop / early_drop since boot warn, during --interval crit;
 *          insert_failed is usually a clash race (parallel DNS queries),
 *          so it warns only.
 *  TIME_WAIT  warn when > 60 s while usage >= 80 %: Linux TCP itself keeps
 *          TIME_WAIT for 60 s (TCP_TIMEWAIT_LEN), the conntrack default is
 *          120 s, so closed flows hold half of a busy table for nothing.
 */
#include <inttypes.h>
#include <stdio.h>

#include "detect/conntrack_judge.h"
#include "snapshot/net_snap.h"
#include "detect/netctr.h"
#include "snapshot/kver.h"
#include "util/parse.h"

#define USAGE_WARN_PCT 80.0
#define USAGE_CRIT_PCT 95.0
#define CHAIN_MAX 4
#define TW_TARGET_SEC 60
/* Memory per entry: the seed (Alibaba ECS note) and slab sizes give
 * 300-350 bytes (struct nf_conn plus its extensions, kmalloc-rounded); the
 * upper end is used so the cost is not understated. */
#define BYTES_PER_ENTRY 350
/* Never advise a table that could take more than this share of RAM; past
 * it, NOTRACK is the fix. */
#define RAM_SHARE_PCT 10

/* nf_conntrack_max is an int sysctl (6.18: [0, INT_MAX]); advice stops at
 * the largest power of two the kernel accepts. */
#define MAX_ADVISE (UINT64_C(1) << 30)

static uint64_t roundup_pow2(uint64_t v)
{
	uint64_t p = 1;

	while (p < v && p < MAX_ADVISE)
		p <<= 1;
	return p;
}

static uint64_t rounddown_pow2(uint64_t v)
{
	uint64_t p = 1;

	while (p <= v / 2)
		p <<= 1;
	return v ? p : 0;
}

/* want rounded up to a power of two, capped (to a power of two) so a full
 * table stays within RAM_SHARE_PCT of MemTotal. */
static uint64_t advise_max(const struct conntrack_snap *s, uint64_t want, bool *capped)
{
	uint64_t rmax = roundup_pow2(want);

	*capped = false;
	if (s->mem_total_bytes != HR_UNSET) {
		uint64_t cap = rounddown_pow2(s->mem_total_bytes / 100 * RAM_SHARE_PCT / BYTES_PER_ENTRY);
		if (cap && rmax > cap) {
			rmax = cap;
			*capped = true;
		}
	}
	return rmax;
}

/* The kernel's own default for this RAM and version (KERNEL-FACTS F.1,
 * nf_conntrack_init_start): returns a description of the formula. */
static const char *default_sizing(unsigned maj, unsigned min, uint64_t ram,
				  uint64_t *buckets, uint64_t *max)
{
	const uint64_t gib = UINT64_C(1) << 30;
	const uint64_t head = 8;	/* sizeof(struct hlist_nulls_head), 64-bit */

	if (maj == 0 || ram == HR_UNSET) {
		*buckets = *max = HR_UNSET;
		return "unknown (kernel version or MemTotal unreadable)";
	}
	if (!kver_at_least(maj, min, 5, 15)) {
		uint64_t b = ram / 16384 / head;
		if (kver_at_least(maj, min, 4, 4) && ram > 4 * gib)
			b = 65536;
		else if (ram > gib)
			b = 16384;
		if (b < 32)
			b = 32;
		*buckets = b;
		*max = 4 * b;
		return "before 5.15: buckets = RAM/16384/8 (16384 above 1 GiB, 65536 above 4 GiB "
		       "from 4.4), max = 4 x buckets";
	}
	uint64_t div = kver_at_least(maj, min, 6, 18) ? 2048 : 16384;
	uint64_t b = ram / div / head;
	if (ram > 4 * gib)
		b = 262144;
	else if (ram > gib)
		b = 65536;
	if (b < 1024)
		b = 1024;
	*buckets = b;
	*max = b;
	return div == 2048 ? "6.18+: buckets = RAM/2048/8 (65536 above 1 GiB, 262144 above 4 GiB "
			     "on 64-bit), max = 1 x buckets"
			   : "5.15-6.17: buckets = RAM/16384/8 (65536 above 1 GiB, 262144 above "
			     "4 GiB on 64-bit), max = 1 x buckets";
}

static void facts_sizing(struct hr_finding *f, const struct conntrack_snap *s)
{
	uint64_t db, dm;
	const char *formula = default_sizing(s->kmajor, s->kminor, s->mem_total_bytes, &db, &dm);

	if (db != HR_UNSET) {
		fact_u64(f, "kernel_default_buckets", db);
		fact_u64(f, "kernel_default_max", dm);
	}
	fact_str(f, "kernel_default_formula", formula);
}

static void mib(char *buf, size_t cap, uint64_t bytes)
{
	snprintf(buf, cap, "%" PRIu64 " bytes (%.1f MiB)", bytes, (double)bytes / 1048576.0);
}

static void fix_readonly_note(struct hr_finding *f, const struct conntrack_snap *s)
{
	if (s->ns.is_pid1 == 0)
		finding_fix_comment(f, "nf_conntrack_max and the hash are global; from 6.1 they are "
				    "read-only outside the init netns: run these on the host.");
}

/* NOTRACK is an example to adapt, so every line is a comment: pasted as is,
 * rules for one direction leave the other direction tracked as new flows
 * (a stateful INPUT policy then drops the replies: DNS stops), and
 * untracked packets skip NAT (docker and kube-proxy DNAT DNS). */
static void fix_notrack_generic(struct hr_finding *f)
{
	finding_fix_comment(f, "Or stop tracking flows that need neither NAT nor stateful "
			    "filtering. Adapt before use: untrack both directions, accept the "
			    "untracked packets in the filter rules, and never for NATed traffic "
			    "(docker, kube-proxy). Example, a DNS server:");
	finding_fix_comment(f, "  iptables -t raw -A PREROUTING -p udp --dport 53 -j NOTRACK");
	finding_fix_comment(f, "  iptables -t raw -A OUTPUT -p udp --sport 53 -j NOTRACK");
	finding_fix_comment(f, "  iptables -I INPUT -p udp --dport 53 -m conntrack --ctstate "
			    "UNTRACKED -j ACCEPT");
}

#define TW_SHARE_PCT 25	/* TIME_WAIT share of counted entries that names the timeout */

static void addr_text(const struct ct_src *a, char *buf, size_t cap)
{
	if (a->family == 4) {
		snprintf(buf, cap, "%u.%u.%u.%u", a->addr[0], a->addr[1], a->addr[2], a->addr[3]);
		return;
	}
	size_t k = 0;
	for (int i = 0; i < 16 && k + 6 < cap; i += 2)
		k += (size_t)snprintf(buf + k, cap - k, "%s%x", i ? ":" : "", (a->addr[i] << 8) | a->addr[i + 1]);
}

/* With the live breakdown (ct_breakdown.h): say who fills the table, name
 * the TIME_WAIT timeout when TIME_WAIT dominates, and write the NOTRACK
 * example for the largest flow class instead of DNS. Without it (--root,
 * not root, no ctnetlink) the generic example, byte for byte as before. */
static void fix_notrack(struct hr_finding *f, const struct conntrack_snap *s)
{
	const struct ct_breakdown *b = &s->breakdown;
	size_t ci[1], si[1];

	if (!b->present || !b->counted) {
		fix_notrack_generic(f);
		return;
	}
	double tw = (double)b->tcp_state[CT_TCP_TIME_WAIT] * 100.0 / (double)b->counted;
	finding_explain(f, " Who fills it (ctnetlink, %" PRIu64 " entries counted", b->counted);
	if (b->not_counted)
		finding_explain(f, ", %" PRIu64 " not counted: the dump stops after %" PRIu64
				" entries or %.1f s", b->not_counted, b->cap_entries,
				(double)b->budget_usec / 1e6);
	finding_explain(f, "): tcp %" PRIu64 " (TIME_WAIT %" PRIu64 ", %.0f %%), udp %" PRIu64
			", icmp %" PRIu64 ", other %" PRIu64 ".", b->proto[CT_P_TCP],
			b->tcp_state[CT_TCP_TIME_WAIT], tw, b->proto[CT_P_UDP],
			b->proto[CT_P_ICMP] + b->proto[CT_P_ICMPV6],
			b->proto[CT_P_SCTP] + b->proto[CT_P_OTHER]);
	bool have_cls = ct_breakdown_top_cls(b, ci, 1) == 1;
	const struct ct_class *c = have_cls ? &b->cls[ci[0]] : NULL;
	if (ct_breakdown_top_src(b, si, 1) == 1) {
		char a[48];
		addr_text(&b->src[si[0]], a, sizeof(a));
		finding_explain(f, " Top source %s: %" PRIu64 " entries.", a, b->src[si[0]].n);
	}
	if (tw >= TW_SHARE_PCT)
		finding_fix_comment(f, "%.0f %% of the counted entries are TCP TIME_WAIT: shorten how "
				    "long conntrack keeps them (conntrack.timewait), e.g.", tw);
	if (tw >= TW_SHARE_PCT)
		finding_fix_comment(f, "  sysctl -w net.netfilter.nf_conntrack_tcp_timeout_time_wait=%d",
				    TW_TARGET_SEC);
	enum ct_proto p = c ? ct_proto_of(c->l4proto) : CT_P_OTHER;
	if (!c || !c->dport || (p != CT_P_TCP && p != CT_P_UDP && p != CT_P_SCTP)) {
		fix_notrack_generic(f);
		return;
	}
	const char *pn = ct_proto_name(p);
	finding_explain(f, " Largest flow class: %s to port %u, %" PRIu64 " entries (%.0f %%).", pn,
			(unsigned)c->dport, c->n, (double)c->n * 100.0 / (double)b->counted);
	finding_fix_comment(f, "Or stop tracking the largest flow class, %s to port %u (%" PRIu64
			    " of %" PRIu64 " counted entries), if it needs neither NAT nor stateful "
			    "filtering. Adapt before use: untrack both directions, accept the untracked "
			    "packets, never for NATed traffic (docker, kube-proxy). For a server on this "
			    "port (clients of it: swap --dport and --sport):", pn, (unsigned)c->dport,
			    c->n, b->counted);
	finding_fix_comment(f, "  iptables -t raw -A PREROUTING -p %s --dport %u -j NOTRACK", pn,
			    (unsigned)c->dport);
	finding_fix_comment(f, "  iptables -t raw -A OUTPUT -p %s --sport %u -j NOTRACK", pn,
			    (unsigned)c->dport);
	finding_fix_comment(f, "  iptables -I INPUT -p %s --dport %u -m conntrack --ctstate "
			    "UNTRACKED -j ACCEPT", pn, (unsigned)c->dport);
}

#define MODPROBE_FILE "/etc/modprobe.d/headroom-conntrack.conf"

/* The hash size now and at the next module load (a sysctl.d file can run
 * before the module loads, so it goes to modprobe.d). */
static void fix_hashsize(struct hr_finding *f, uint64_t buckets)
{
	char opt[64];
	const char *lines[1] = { opt };

	finding_fix_cmd(f, "echo %" PRIu64 " > /sys/module/nf_conntrack/parameters/hashsize",
			buckets);
	snprintf(opt, sizeof(opt), "options nf_conntrack hashsize=%" PRIu64, buckets);
	finding_fix_persist(f, MODPROBE_FILE, lines, 1);
}

/* Writes the resize commands for a new max (and buckets if they grow).
 * `now` false prints them as a comment instead: advice that rests only
 * on since-boot counters, which never go back to 0, so a check after the
 * resize would advise doubling again, without end. */
static void fix_resize(struct hr_finding *f, const struct conntrack_snap *s, uint64_t rmax,
		       uint64_t rbuckets, bool now)
{
	fix_readonly_note(f, s);
	if (!now) {
		finding_fix_comment(f, "and only then resize:");
		finding_fix_comment(f, "  sysctl -w net.netfilter.nf_conntrack_max=%" PRIu64, rmax);
		if (rbuckets != s->buckets)
			finding_fix_comment(f, "  echo %" PRIu64 " > "
					    "/sys/module/nf_conntrack/parameters/hashsize", rbuckets);
		return;
	}
	finding_fix_sysctl(f, "net.netfilter.nf_conntrack_max", "%" PRIu64, rmax);
	if (rbuckets != s->buckets)
		fix_hashsize(f, rbuckets);
}

/* Returns the severity it reported (OK: nothing reported). */
static enum hr_severity judge_usage(const struct conntrack_snap *s, struct hr_findings *out)
{
	if (s->count == HR_UNSET || s->max == HR_UNSET || s->max == 0)
		return HR_SEV_OK;	/* unreadable (noted) or no limit */
	double pct = (double)s->count * 100.0 / (double)s->max;
	enum hr_severity sev = pct >= USAGE_CRIT_PCT ? HR_SEV_CRIT
			       : pct >= USAGE_WARN_PCT ? HR_SEV_WARN : HR_SEV_OK;
	if (sev == HR_SEV_OK)
		return sev;

	/* Advice: twice what is in use now, to a power of two, so today's
	 * load sits at <= 50 %; never less than twice today's max. */
	uint64_t want = sat_mul(s->count, 2);
	if (want < sat_mul(s->max, 2))
		want = sat_mul(s->max, 2);
	bool capped;
	uint64_t rmax = advise_max(s, want, &capped);
	uint64_t rbuckets = s->buckets;
	if (rbuckets == HR_UNSET || rbuckets < rmax / CHAIN_MAX)
		rbuckets = rmax / CHAIN_MAX;
	uint64_t cost = sat_mul(rmax, BYTES_PER_ENTRY);

	struct hr_finding *f = finding_add(out, "conntrack.usage", sev, "%s", s->ns.subject);
	fact_u64(f, "count", s->count);
	fact_u64(f, "max", s->max);
	fact_f64(f, "usage_pct", pct);
	if (s->buckets != HR_UNSET)
		fact_u64(f, "buckets", s->buckets);
	fact_u64(f, "recommended_max", rmax);
	fact_u64(f, "recommended_buckets", rbuckets);
	fact_u64(f, "bytes_per_entry", BYTES_PER_ENTRY);
	fact_u64(f, "recommended_max_bytes", cost);
	if (s->mem_total_bytes != HR_UNSET)
		fact_u64(f, "mem_total_bytes", s->mem_total_bytes);
	facts_sizing(f, s);

	char c[64];
	mib(c, sizeof(c), cost);
	finding_explain(f, "The conntrack table of this netns holds %" PRIu64 " entries, %.1f %% of "
			"nf_conntrack_max %" PRIu64 ". The count is per netns but the max is global, so "
			"every netns can fill it on its own. From 95 %% the kernel's GC evicts "
			"unassured and closing entries early; at 100 %% every new flow is dropped "
			"(\"nf_conntrack: table full, dropping packet\") and existing connections "
			"cannot re-establish. Sizing: the larger of 2 x %" PRIu64 " in use = %" PRIu64
			" and 2 x the current max = %" PRIu64 ", rounded up to a power of two = %" PRIu64
			"%s; at ~%d bytes per entry (300-350 bytes each) a full table costs %s",
			s->count, pct, s->max, s->count, sat_mul(s->count, 2), sat_mul(s->max, 2), rmax,
			capped ? " (capped so the table stays within 10 % of RAM)" : "",
			BYTES_PER_ENTRY, c);
	if (s->mem_total_bytes != HR_UNSET)
		finding_explain(f, ", %.2f %% of MemTotal", (double)cost * 100.0 /
				(double)s->mem_total_bytes);
	finding_explain(f, "; buckets = max / %d = %" PRIu64 " so a full table has chains of %d "
			"on average (never fewer buckets than now).", CHAIN_MAX, rmax / CHAIN_MAX,
			CHAIN_MAX);
	if (capped)
		finding_explain(f, " A bigger table would take more than %d %% of RAM: stop "
				"tracking flows that do not need it (NOTRACK).", RAM_SHARE_PCT);
	if (rmax > s->max)
		fix_resize(f, s, rmax, rbuckets, true);
	fix_notrack(f, s);
	return sev;
}

static enum hr_severity judge_chains(const struct conntrack_snap *s, const struct conntrack_snap *b,
				     uint64_t interval_usec, struct hr_findings *out)
{
	bool have = s->max != HR_UNSET && s->buckets != HR_UNSET && s->buckets && s->max;
	double ratio = have ? (double)s->max / (double)s->buckets : 0;
	struct netctr tl = { 0 };

	if (s->have_stat)
		tl = netctr_get(b && b->have_stat ? b->stat.chainlength : HR_UNSET,
				s->stat.chainlength, interval_usec);
	enum hr_severity sev = have && ratio > CHAIN_MAX ? HR_SEV_WARN : HR_SEV_OK;
	sev = sev_max(sev, netctr_severity(tl, b != NULL, true));
	if (sev == HR_SEV_OK)
		return sev;

	bool long_chains = have && ratio > CHAIN_MAX;
	/* Only refused inserts (ratio fine): collisions concentrate in few
	 * chains, so a bigger hash is still the lever - double it. */
	uint64_t rb = !have ? HR_UNSET : long_chains ? sat_add(s->max, CHAIN_MAX - 1) / CHAIN_MAX
						     : sat_mul(s->buckets, 2);
	struct hr_finding *f = finding_add(out, "conntrack.hash_chains", sev, "host");
	if (have) {
		fact_u64(f, "max", s->max);
		fact_u64(f, "buckets", s->buckets);
		fact_f64(f, "entries_per_bucket_when_full", ratio);
		fact_u64(f, "recommended_buckets", rb);
	}
	netctr_facts(f, "chainlength", tl);
	if (long_chains)
		finding_explain(f, "nf_conntrack_max %" PRIu64 " over %" PRIu64 " hash buckets: a full "
				"table has %.1f entries per chain on average, more than %d. Every packet "
				"of every flow walks its chain in softirq, so lookups slow down exactly "
				"when the table is busiest. An explicit hashsize makes the kernel "
				"default max = 8 x buckets. Recommended buckets for the current max = "
				"ceil(max / %d) = %" PRIu64 " (a table that also needs a larger max needs "
				"buckets for that max).", s->max, s->buckets, ratio, CHAIN_MAX, CHAIN_MAX, rb);
	if (tl.present && tl.total)
		finding_explain(f, " The chainlength column (5.15+) counts inserts refused because "
				"a hash chain grew too long: %" PRIu64 " %s.", tl.rated ? tl.delta :
				tl.total, netctr_window(b != NULL));
	if (have && !long_chains)
		finding_explain(f, " max / buckets = %.1f is fine, so entries collide into a few "
				"chains: doubling the buckets to %" PRIu64 " spreads them.", ratio, rb);
	if (have) {
		fix_readonly_note(f, s);
		fix_hashsize(f, rb);
		if (kver_at_least(s->kmajor, s->kminor, 4, 9))
			finding_fix_comment(f, "or (4.9+, init netns): sysctl -w "
					    "net.netfilter.nf_conntrack_buckets=%" PRIu64, rb);
	}
	return sev;
}

static enum hr_severity judge_drops(const struct conntrack_snap *s, const struct conntrack_snap *b,
				    uint64_t interval_usec, bool usage_fired, struct hr_findings *out)
{
	if (!s->have_stat)
		return HR_SEV_OK;
	bool iv = b != NULL;
	const struct conntrack_stat *p = b && b->have_stat ? &b->stat : NULL;
	struct netctr drop = netctr_get(p ? p->drop : HR_UNSET, s->stat.drop, interval_usec);
	struct netctr early = netctr_get(p ? p->early_drop : HR_UNSET, s->stat.early_drop, interval_usec);
	struct netctr insf = netctr_get(p ? p->insert_failed : HR_UNSET, s->stat.insert_failed,
					interval_usec);
	enum hr_severity sev = sev_max(netctr_severity(drop, iv, true), netctr_severity(early, iv, true));
	sev = sev_max(sev, netctr_severity(insf, iv, false));
	if (sev == HR_SEV_OK)
		return sev;

	struct hr_finding *f = finding_add(out, "conntrack.drops", sev, "%s", s->ns.subject);
	netctr_facts(f, "drop", drop);
	netctr_facts(f, "early_drop", early);
	netctr_facts(f, "insert_failed", insf);
	fact_u64(f, "cpus", s->stat.ncpus);
	if (iv)
		fact_f64(f, "interval_seconds", (double)interval_usec / 1e6);
	if (s->count != HR_UNSET)
		fact_u64(f, "count", s->count);
	if (s->max != HR_UNSET)
		fact_u64(f, "max", s->max);
	finding_explain(f, "/proc/net/stat/nf_conntrack (summed over %u CPU rows) counts, %s: "
			"drop = packets dropped because no conntrack entry could be created (table "
			"full, or the entry allocation failed under memory pressure - that case logs "
			"nothing); early_drop = entries evicted to make room, which kills idle or "
			"unassured connections; insert_failed = an entry lost an insert race (often "
			"parallel DNS A/AAAA queries from one socket), not a capacity problem.",
			s->stat.ncpus, netctr_window(iv));
	if (s->max != HR_UNSET && s->max && s->count != HR_UNSET)
		finding_explain(f, " The table is at %.1f %% now.", (double)s->count * 100.0 /
				(double)s->max);
	if ((drop.total || early.total) && usage_fired) {
		finding_fix_comment(f, "raise the max and buckets as conntrack.usage says, or "
				    "NOTRACK (its fix)");
	} else if ((drop.total || early.total) && s->max != HR_UNSET && s->max) {
		bool capped;
		uint64_t rmax = advise_max(s, sat_mul(s->max, 2), &capped);
		uint64_t rb = s->buckets == HR_UNSET || s->buckets < rmax / CHAIN_MAX ? rmax / CHAIN_MAX
										     : s->buckets;
		finding_explain(f, " Doubling the max (2 x %" PRIu64 " to a power of two = %" PRIu64 ", ~%d bytes per "
				"entry = %.1f MiB when full%s) gives room; buckets = max / %d.", s->max,
				rmax, BYTES_PER_ENTRY, (double)rmax * BYTES_PER_ENTRY / 1048576.0,
				capped ? ", capped at 10 % of RAM" : "", CHAIN_MAX);
		/* Drops that moved during --interval are happening now; totals
		 * since boot may predate the last resize. */
		bool now = (drop.rated && drop.delta) || (early.rated && early.delta);
		if (rmax > s->max && !now) {
			finding_fix_comment(f, "drops since boot only: see whether they still rise");
			finding_fix_cmd(f, "headroom check --area conntrack --interval 10");
		}
		if (rmax > s->max)
			fix_resize(f, s, rmax, rb, now);
		else
			finding_explain(f, " The table cannot grow within %d %% of RAM: NOTRACK is "
					"the fix.", RAM_SHARE_PCT);
		fix_notrack(f, s);
	}
	if (insf.total)
		finding_fix_comment(f, "insert_failed from DNS races: add 'options "
				    "single-request-reopen' to /etc/resolv.conf of the clients, or "
				    "NOTRACK DNS.");
	return sev;
}

static enum hr_severity judge_timewait(const struct conntrack_snap *s, struct hr_findings *out)
{
	if (s->tw_timeout_sec == HR_UNSET || s->tw_timeout_sec <= TW_TARGET_SEC ||
	    s->count == HR_UNSET || s->max == HR_UNSET || s->max == 0)
		return HR_SEV_OK;
	double pct = (double)s->count * 100.0 / (double)s->max;
	if (pct < USAGE_WARN_PCT)
		return HR_SEV_OK;
	struct hr_finding *f = finding_add(out, "conntrack.timewait", HR_SEV_WARN, "%s", s->ns.subject);
	fact_u64(f, "tcp_timeout_time_wait_seconds", s->tw_timeout_sec);
	fact_u64(f, "recommended_seconds", TW_TARGET_SEC);
	fact_f64(f, "usage_pct", pct);
	finding_explain(f, "Closed TCP connections stay in the conntrack table for "
			"nf_conntrack_tcp_timeout_time_wait = %" PRIu64 " s while the table is %.1f %% "
			"full. The TCP endpoints themselves keep TIME_WAIT for 60 s (TCP_TIMEWAIT_LEN), "
			"so tracking it longer only holds entries that short-lived connections need. "
			"%d s matches the endpoints; going lower (30) is safe for NAT only if clients "
			"do not reuse ports quickly.", s->tw_timeout_sec, pct, TW_TARGET_SEC);
	finding_fix_sysctl(f, "net.netfilter.nf_conntrack_tcp_timeout_time_wait", "%d", TW_TARGET_SEC);
	return HR_SEV_WARN;
}

static void judge_ok(const struct conntrack_snap *s, const struct conntrack_snap *b,
		     uint64_t interval_usec, struct hr_findings *out)
{
	struct hr_finding *f = finding_add(out, "conntrack.ok", HR_SEV_OK, "%s", s->ns.subject);

	if (s->count != HR_UNSET)
		fact_u64(f, "count", s->count);
	if (s->max != HR_UNSET)
		fact_u64(f, "max", s->max);
	if (s->count != HR_UNSET && s->max != HR_UNSET && s->max)
		fact_f64(f, "usage_pct", (double)s->count * 100.0 / (double)s->max);
	if (s->buckets != HR_UNSET)
		fact_u64(f, "buckets", s->buckets);
	if (s->tw_timeout_sec != HR_UNSET)
		fact_u64(f, "tcp_timeout_time_wait_seconds", s->tw_timeout_sec);
	if (s->have_stat) {
		const struct conntrack_stat *p = b && b->have_stat ? &b->stat : NULL;
		netctr_facts(f, "drop", netctr_get(p ? p->drop : HR_UNSET, s->stat.drop, interval_usec));
		netctr_facts(f, "early_drop", netctr_get(p ? p->early_drop : HR_UNSET,
							 s->stat.early_drop, interval_usec));
		netctr_facts(f, "insert_failed", netctr_get(p ? p->insert_failed : HR_UNSET,
							    s->stat.insert_failed, interval_usec));
	}
	facts_sizing(f, s);
	/* Say what could not be judged (its file is in not_read), so an ok
	 * never claims more than was checked. */
	if (s->count == HR_UNSET || s->max == HR_UNSET)
		fact_list_add(f, "not_checked", "usage");
	if (s->buckets == HR_UNSET || s->max == HR_UNSET)
		fact_list_add(f, "not_checked", "hash_chains");
	if (!s->have_stat)
		fact_list_add(f, "not_checked", "drops");
	if (s->tw_timeout_sec == HR_UNSET)
		fact_list_add(f, "not_checked", "timewait");
	if (finding_fact(f, "not_checked"))
		finding_explain(f, "Some inputs could not be read (see not_read): the checks in "
				"not_checked were skipped. ");
	finding_explain(f, "Checked: usage below %.0f %% of nf_conntrack_max%s, at most %d entries "
			"per hash bucket when full, no drop or early_drop %s, and TIME_WAIT timeout "
			"not holding a busy table.", USAGE_WARN_PCT,
			s->max == 0 ? " (max 0: no limit)" : "", CHAIN_MAX, netctr_window(b != NULL));
}

void conntrack_judge(const void *before, const void *now, uint64_t interval_usec,
			    struct hr_findings *out)
{
	const struct conntrack_snap *s = now, *b = before;

	if (!s->loaded) {
		struct hr_finding *f = finding_add(out, "conntrack.not_loaded", HR_SEV_OK, "%s",
						   s->ns.subject);
		fact_bool(f, "loaded", false);
		finding_explain(f, "nf_conntrack is not loaded (no /proc/sys/net/netfilter/"
				"nf_conntrack_* and no /proc/net/stat/nf_conntrack): there is no "
				"connection tracking table to fill. It loads with the first "
				"stateful or NAT rule (iptables -m conntrack/state, nft ct, "
				"MASQUERADE, docker); check again then.");
		return;
	}
	enum hr_severity w = judge_usage(s, out);
	w = sev_max(w, judge_chains(s, b, interval_usec, out));
	w = sev_max(w, judge_drops(s, b, interval_usec, w != HR_SEV_OK, out));
	w = sev_max(w, judge_timewait(s, out));
	if (w == HR_SEV_OK)
		judge_ok(s, b, interval_usec, out);
}
