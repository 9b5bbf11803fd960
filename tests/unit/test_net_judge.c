/* test_net_judge.c - the conntrack and netloss judges on hand-made
 * snapshots: since-boot counters warn, counters that moved during
 * --interval are crit, thresholds at their edges, one ok finding when all
 * is fine, "not loaded" and "not on this kernel" are ok findings. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "detect/conntrack_judge.h"
#include "detect/netloss_judge.h"
#include "snapshot/net_snap.h"
#include "util/parse.h"


#define NF 64

struct env {
	struct hr_finding items[NF];
	struct hr_findings fs;
};

static struct env *env_new(void)
{
	struct env *e = calloc(1, sizeof(*e));
	assert_non_null(e);
	hr_findings_init(&e->fs, e->items, NF);
	return e;
}

static const struct hr_finding *find(const struct env *e, const char *id)
{
	for (size_t i = 0; i < e->fs.n; i++)
		if (!strcmp(e->fs.items[i].id, id))
			return &e->fs.items[i];
	return NULL;
}

static void ct_base(struct conntrack_snap *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->ns.subject, sizeof(s->ns.subject), "netns 1 (this netns)");
	s->loaded = true;
	s->count = 100;
	s->max = 262144;
	s->buckets = 262144;
	s->tw_timeout_sec = 120;
	s->have_stat = true;
	s->stat.drop = s->stat.early_drop = s->stat.insert_failed = 0;
	s->stat.chainlength = 0;
	s->stat.ncpus = 2;
	s->mem_total_bytes = UINT64_C(25276026880);
	s->kmajor = 6;
	s->kminor = 18;
}

static void test_conntrack_usage_edges(void **state)
{
	(void)state;
	static const struct {
		uint64_t count, max;
		int sev;	/* -1: no conntrack.usage finding */
	} t[] = {
		{ 100, 262144, -1 },
		{ 79, 100, -1 },
		{ 80, 100, HR_SEV_WARN },
		{ 94, 100, HR_SEV_WARN },
		{ 95, 100, HR_SEV_CRIT },
		{ 120, 100, HR_SEV_CRIT },	/* netns count can pass max briefly */
		{ 1000000, 0, -1 },		/* max 0 = no limit */
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct env *e = env_new();
		struct conntrack_snap s;
		ct_base(&s);
		s.count = t[i].count;
		s.max = t[i].max;
		s.buckets = t[i].max ? t[i].max : 1;
		conntrack_judge(NULL, &s, 0, &e->fs);
		const struct hr_finding *f = find(e, "conntrack.usage");
		if (t[i].sev < 0) {
			assert_null(f);
		} else {
			assert_non_null(f);
			assert_int_equal(f->severity, t[i].sev);
			assert_non_null(finding_fact(f, "recommended_max"));
			assert_non_null(strstr(f->fix, "nf_conntrack_max="));
			assert_non_null(strstr(f->fix, "NOTRACK"));
		}
		/* all fine: exactly one ok finding */
		if (t[i].sev < 0) {
			assert_int_equal(e->fs.n, 1);
			assert_string_equal(e->fs.items[0].id, "conntrack.ok");
		}
		free(e);
	}
}

static void test_conntrack_advice_arithmetic(void **state)
{
	(void)state;
	struct env *e = env_new();
	struct conntrack_snap s;
	ct_base(&s);
	s.count = 63570;
	s.max = 65536;
	s.buckets = 8192;
	conntrack_judge(NULL, &s, 0, &e->fs);
	const struct hr_finding *u = find(e, "conntrack.usage");
	assert_non_null(u);
	/* max(2 x 63570, 2 x 65536) = 131072, already a power of two */
	assert_true(finding_fact(u, "recommended_max")->v.u == 131072);
	assert_true(finding_fact(u, "recommended_buckets")->v.u == 131072 / 4);
	assert_true(finding_fact(u, "recommended_max_bytes")->v.u == 131072ull * 350);
	const struct hr_finding *h = find(e, "conntrack.hash_chains");
	assert_non_null(h);
	assert_true(finding_fact(h, "recommended_buckets")->v.u == 65536 / 4);
	assert_non_null(find(e, "conntrack.timewait"));
	free(e);
}

static void test_conntrack_drops_rates(void **state)
{
	(void)state;
	struct conntrack_snap b, n;
	ct_base(&b);
	ct_base(&n);
	b.stat.drop = n.stat.drop = 50;	/* old drops, not moving */

	struct env *e = env_new();
	conntrack_judge(NULL, &n, 0, &e->fs);
	assert_int_equal(find(e, "conntrack.drops")->severity, HR_SEV_WARN);
	/* usage is low, so the drops finding carries the resize itself */
	assert_non_null(strstr(find(e, "conntrack.drops")->fix, "nf_conntrack_max=524288\n"));
	free(e);
	/* a small host: 2 x max would pass 10 % of RAM, so it is capped */
	n.mem_total_bytes = UINT64_C(1) << 30;	/* 1 GiB: cap 306783 -> 262144 */
	n.max = 262144;
	e = env_new();
	conntrack_judge(NULL, &n, 0, &e->fs);
	assert_null(strstr(find(e, "conntrack.drops")->fix, "nf_conntrack_max="));
	assert_non_null(strstr(find(e, "conntrack.drops")->fix, "NOTRACK"));
	assert_non_null(strstr(find(e, "conntrack.drops")->explanation, "cannot grow"));
	free(e);
	n.mem_total_bytes = UINT64_C(25276026880);

	e = env_new();
	conntrack_judge(&b, &n, 1000000, &e->fs);
	assert_null(find(e, "conntrack.drops"));	/* not happening now */
	assert_non_null(find(e, "conntrack.ok"));
	free(e);

	n.stat.drop = 60;
	e = env_new();
	conntrack_judge(&b, &n, 2000000, &e->fs);
	const struct hr_finding *f = find(e, "conntrack.drops");
	assert_int_equal(f->severity, HR_SEV_CRIT);
	assert_true(finding_fact(f, "drop_delta")->v.u == 10);
	assert_true(finding_fact(f, "drop_per_s")->v.f == 5.0);
	free(e);

	/* insert_failed moving is a clash race: warn, not crit */
	n.stat.drop = 50;
	n.stat.insert_failed = 3;
	e = env_new();
	conntrack_judge(&b, &n, 1000000, &e->fs);
	assert_int_equal(find(e, "conntrack.drops")->severity, HR_SEV_WARN);
	free(e);
}

static void test_conntrack_chainlength(void **state)
{
	(void)state;
	struct conntrack_snap s;
	ct_base(&s);
	s.stat.chainlength = 3;	/* refused inserts, ratio 1 */
	struct env *e = env_new();
	conntrack_judge(NULL, &s, 0, &e->fs);
	const struct hr_finding *f = find(e, "conntrack.hash_chains");
	assert_non_null(f);
	assert_int_equal(f->severity, HR_SEV_WARN);
	assert_true(finding_fact(f, "recommended_buckets")->v.u == 2 * 262144);
	assert_null(strstr(f->explanation, "more than 4"));
	free(e);
	/* ratio exactly 4 is fine, above warns */
	ct_base(&s);
	s.max = 4 * s.buckets;
	e = env_new();
	conntrack_judge(NULL, &s, 0, &e->fs);
	assert_null(find(e, "conntrack.hash_chains"));
	free(e);
	s.max = 4 * s.buckets + 1;
	e = env_new();
	conntrack_judge(NULL, &s, 0, &e->fs);
	assert_non_null(find(e, "conntrack.hash_chains"));
	free(e);
}

static void test_conntrack_not_loaded(void **state)
{
	(void)state;
	struct env *e = env_new();
	struct conntrack_snap s;
	ct_base(&s);
	s.loaded = false;
	conntrack_judge(NULL, &s, 0, &e->fs);
	assert_int_equal(e->fs.n, 1);
	assert_string_equal(e->fs.items[0].id, "conntrack.not_loaded");
	assert_int_equal(e->fs.items[0].severity, HR_SEV_OK);
	free(e);
}

static struct netloss_snap *nl_base(void)
{
	struct netloss_snap *s = calloc(1, sizeof(*s));
	assert_non_null(s);
	snprintf(s->ns.subject, sizeof(s->ns.subject), "netns 1 (this netns)");
	s->have_snmp = s->have_netstat = s->have_snmp6 = true;
	for (size_t i = 0; i < NL_COUNT; i++)
		s->c[i] = 0;
	s->have_sockstat = true;
	s->sockstat.tcp_mem_pages = 100;
	s->sockstat.udp_mem_pages = 0;
	s->tcp_mem[0] = 1000, s->tcp_mem[1] = 2000, s->tcp_mem[2] = 3000;
	s->udp_mem[0] = 1000, s->udp_mem[1] = 2000, s->udp_mem[2] = 3000;
	s->page_size = 4096;
	s->mem_total_bytes = UINT64_C(1) << 34;
	s->have_softnet = true;
	s->softnet.ncpus = 2;
	s->netdev_max_backlog = 1000;
	s->rmem_max = s->rmem_default = 212992;
	return s;
}

static void test_netloss_rules(void **state)
{
	(void)state;
	static const struct {
		const char *id;
		enum netloss_ctr ctr;
		int rated_sev;
	} t[] = {
		{ "net.udp_mem_errors", NL_UDP_MEM, HR_SEV_CRIT },
		{ "net.udp_mem_errors", NL_UDP6_MEM, HR_SEV_CRIT },
		{ "net.udp_rcvbuf_errors", NL_UDP_RCVBUF, HR_SEV_CRIT },
		{ "net.tcp_rcvq_drop", NL_TCP_RCVQ_DROP, HR_SEV_CRIT },
		{ "net.tcp_rcvq_drop", NL_TCP_BACKLOG_DROP, HR_SEV_CRIT },
		{ "net.tcp_rcvq_drop", NL_PRUNE_CALLED, HR_SEV_WARN },	/* no loss yet */
		{ "net.tcp_mem_pressure", NL_TCP_MEM_PRESSURES, HR_SEV_CRIT },
		{ "net.pfmemalloc_drop", NL_PFMEMALLOC_DROP, HR_SEV_CRIT },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct netloss_snap *b = nl_base(), *n = nl_base();
		b->c[t[i].ctr] = 5;
		n->c[t[i].ctr] = 5;
		/* since boot: warn */
		struct env *e = env_new();
		netloss_judge(NULL, n, 0, &e->fs);
		const struct hr_finding *f = find(e, t[i].id);
		if (!f)
			fail_msg("%s: no finding since boot", t[i].id);
		assert_int_equal(f->severity, HR_SEV_WARN);
		assert_non_null(strstr(f->explanation, "since boot"));
		free(e);
		/* not moving during the interval: quiet, one ok finding */
		e = env_new();
		netloss_judge(b, n, 1000000, &e->fs);
		assert_null(find(e, t[i].id));
		assert_non_null(find(e, "net.ok"));
		free(e);
		/* moving: the rated severity */
		n->c[t[i].ctr] = 25;
		e = env_new();
		netloss_judge(b, n, 1000000, &e->fs);
		f = find(e, t[i].id);
		assert_non_null(f);
		if ((int)f->severity != t[i].rated_sev)
			fail_msg("%s: rated severity %d", t[i].id, f->severity);
		free(e);
		free(b);
		free(n);
	}
}

static void test_netloss_state_and_absent(void **state)
{
	(void)state;
	struct netloss_snap *n = nl_base();
	struct env *e = env_new();
	n->sockstat.tcp_mem_pages = 1000;	/* at min */
	netloss_judge(NULL, n, 0, &e->fs);
	assert_int_equal(find(e, "net.tcp_mem_pressure")->severity, HR_SEV_WARN);
	free(e);
	n->sockstat.tcp_mem_pages = 2000;	/* at pressure */
	e = env_new();
	netloss_judge(NULL, n, 0, &e->fs);
	const struct hr_finding *f = find(e, "net.tcp_mem_pressure");
	assert_int_equal(f->severity, HR_SEV_CRIT);
	/* 2 x 3000 = 6000 pages, under 1/4 of 16 GiB: advised as is */
	assert_non_null(strstr(f->fix, "sysctl -w 'net.ipv4.tcp_mem=2000 4000 6000'\n"));
	free(e);

	n->sockstat.tcp_mem_pages = 10;
	n->c[NL_UDP_MEM] = HR_UNSET;	/* 5.10 */
	n->c[NL_TCP_RCVQ_DROP] = HR_UNSET;	/* 4.4 */
	e = env_new();
	netloss_judge(NULL, n, 0, &e->fs);
	f = find(e, "net.not_on_this_kernel");
	assert_non_null(f);
	assert_int_equal(f->severity, HR_SEV_OK);
	const struct hr_fact *l = finding_fact(f, "not_on_this_kernel");
	assert_non_null(l);
	assert_string_equal(l->s, "Udp:MemErrors");
	assert_non_null(find(e, "net.ok"));
	free(e);

	/* interface: since boot below 0.1 % is noise, above warns; missed
	 * during an interval is crit */
	struct netloss_snap *b = nl_base();
	n->c[NL_UDP_MEM] = n->c[NL_TCP_RCVQ_DROP] = 0;
	n->have_dev = b->have_dev = true;
	n->dev.n = b->dev.n = 1;
	struct net_dev_if d = { .name = "eth0", .rx_bytes = 0, .rx_packets = 1000000, .rx_errs = 0, .rx_drop = 900, .rx_missed_sys = 900 };
	b->dev.ifs[0] = n->dev.ifs[0] = d;
	e = env_new();
	netloss_judge(NULL, n, 0, &e->fs);
	assert_null(find(e, "net.iface_drops"));	/* 0.09 % */
	free(e);
	n->dev.ifs[0].rx_missed_sys = 1100;
	e = env_new();
	netloss_judge(NULL, n, 0, &e->fs);
	assert_int_equal(find(e, "net.iface_drops")->severity, HR_SEV_WARN);
	free(e);
	e = env_new();
	netloss_judge(b, n, 1000000, &e->fs);
	assert_int_equal(find(e, "net.iface_drops")->severity, HR_SEV_CRIT);
	free(e);
	free(b);
	free(n);
}

static void test_udp_mem_inferred(void **state)
{
	(void)state;
	struct netloss_snap *b = nl_base(), *n = nl_base();
	b->c[NL_UDP_MEM] = n->c[NL_UDP_MEM] = HR_UNSET;	/* 5.10 */
	b->c[NL_UDP6_MEM] = n->c[NL_UDP6_MEM] = HR_UNSET;
	n->c[NL_UDP_INERRORS] = 250;
	n->c[NL_UDP_RCVBUF] = 10;
	n->c[NL_UDP_INCSUM] = 40;
	struct env *e = env_new();
	netloss_judge(NULL, n, 0, &e->fs);
	const struct hr_finding *f = find(e, "net.udp_mem_errors");
	assert_non_null(f);
	assert_int_equal(f->severity, HR_SEV_WARN);
	assert_true(finding_fact(f, "udp_in_errors_unexplained")->v.u == 200);
	free(e);
	/* moving during an interval: still warn, it is an inference */
	*b = *n;
	n->c[NL_UDP_INERRORS] = 300;
	e = env_new();
	netloss_judge(b, n, 1000000, &e->fs);
	f = find(e, "net.udp_mem_errors");
	assert_int_equal(f->severity, HR_SEV_WARN);
	assert_true(finding_fact(f, "udp_in_errors_unexplained_delta")->v.u == 50);
	free(e);
	/* with MemErrors present, InErrors is not used */
	n->c[NL_UDP_MEM] = 0;
	e = env_new();
	netloss_judge(NULL, n, 0, &e->fs);
	assert_null(find(e, "net.udp_mem_errors"));
	free(e);
	free(b);
	free(n);
}


/* True if every line of text that contains needle starts with '#'. */
static bool only_in_comments(const char *text, const char *needle)
{
	for (const char *l = text; *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		char line[1024];
		snprintf(line, sizeof(line), "%.*s", (int)n, l);
		if (strstr(line, needle) && line[0] != '#')
			return false;
		l += n + (nl != NULL);
	}
	return true;
}

/* Fix lines are pasted as is: NOTRACK examples and link-resetting
 * commands are comments, names are quoted, and since-boot counters never
 * turn into a raise that the next check would repeat. */
static void test_fix_lines_safe_to_paste(void **state)
{
	(void)state;
	struct conntrack_snap s;
	ct_base(&s);
	s.count = 99;
	s.max = 100;
	s.buckets = 100;
	struct env *e = env_new();
	conntrack_judge(NULL, &s, 0, &e->fs);
	const struct hr_finding *u = find(e, "conntrack.usage");
	assert_non_null(u);
	assert_true(only_in_comments(u->fix, "iptables"));
	assert_true(only_in_comments(u->fix, "nft "));
	assert_non_null(strstr(u->fix, "--sport 53"));	/* both directions */
	assert_non_null(strstr(u->fix, "\nsysctl -w net.netfilter.nf_conntrack_max="));
	free(e);

	/* conntrack drops since boot only: the resize is a comment; moving
	 * during --interval: a command */
	struct conntrack_snap b, n;
	ct_base(&b);
	ct_base(&n);
	b.stat.drop = n.stat.drop = 50;
	e = env_new();
	conntrack_judge(NULL, &n, 0, &e->fs);
	const struct hr_finding *d = find(e, "conntrack.drops");
	assert_non_null(strstr(d->fix, "#   sysctl -w net.netfilter.nf_conntrack_max=524288\n"));
	assert_true(only_in_comments(d->fix, "sysctl -w"));
	assert_true(only_in_comments(d->fix, "hashsize"));
	free(e);
	n.stat.drop = 60;
	e = env_new();
	conntrack_judge(&b, &n, 1000000, &e->fs);
	d = find(e, "conntrack.drops");
	assert_false(only_in_comments(d->fix, "sysctl -w net.netfilter.nf_conntrack_max=524288"));
	free(e);

	/* softnet backlog: the same rule */
	struct netloss_snap *nb = nl_base(), *nn = nl_base();
	nb->softnet.dropped = nn->softnet.dropped = 7;
	e = env_new();
	netloss_judge(NULL, nn, 0, &e->fs);
	const struct hr_finding *sn = find(e, "net.softnet_drops");
	assert_non_null(strstr(sn->fix, "#   sysctl -w net.core.netdev_max_backlog=2000\n"));
	assert_true(only_in_comments(sn->fix, "netdev_max_backlog"));
	free(e);
	nn->softnet.dropped = 9;
	e = env_new();
	netloss_judge(nb, nn, 1000000, &e->fs);
	sn = find(e, "net.softnet_drops");
	assert_int_equal(sn->severity, HR_SEV_CRIT);
	static const char cmd[] = "sysctl -w net.core.netdev_max_backlog=2000\n";
	assert_true(!strncmp(sn->fix, cmd, sizeof(cmd) - 1));
	free(e);

	/* an interface name is one shell word; ring resizes are comments */
	nn->softnet.dropped = 0;
	nn->have_dev = true;
	nn->dev.n = 1;
	struct net_dev_if i = { .name = "$(reboot)", .rx_bytes = 0, .rx_packets = 1000, .rx_errs = 0, .rx_drop = 900, .rx_missed_sys = 900 };
	nn->dev.ifs[0] = i;
	e = env_new();
	netloss_judge(NULL, nn, 0, &e->fs);
	const struct hr_finding *fi = find(e, "net.iface_drops");
	assert_non_null(fi);
	assert_non_null(strstr(fi->fix, "ethtool -g '$(reboot)' "));
	assert_null(strstr(fi->fix, " $(reboot)"));
	assert_true(only_in_comments(fi->fix, "ethtool -G"));
	free(e);
	free(nb);
	free(nn);
}

/* Numbers no kernel prints must not wrap into advice: the max is an int
 * sysctl, and "within 10 % of udp_mem max" is not a product that wraps. */
static void test_advice_bounds(void **state)
{
	(void)state;
	struct conntrack_snap s;
	ct_base(&s);
	s.count = (UINT64_C(1) << 31) + 5;
	s.max = 2147483647;	/* INT_MAX */
	s.buckets = 1 << 28;
	s.mem_total_bytes = UINT64_C(1) << 50;
	struct env *e = env_new();
	conntrack_judge(NULL, &s, 0, &e->fs);
	const struct hr_finding *u = find(e, "conntrack.usage");
	assert_non_null(u);
	assert_true(finding_fact(u, "recommended_max")->v.u <= 2147483647u);
	assert_null(strstr(u->fix, "nf_conntrack_max="));
	free(e);

	struct netloss_snap *n = nl_base();
	n->c[NL_UDP_MEM] = 5;
	n->sockstat.udp_mem_pages = UINT64_C(1) << 61;
	n->udp_mem[0] = n->udp_mem[1] = n->udp_mem[2] = UINT64_C(1) << 62;
	e = env_new();
	netloss_judge(NULL, n, 0, &e->fs);
	const struct hr_finding *f = find(e, "net.udp_mem_errors");
	assert_non_null(f);
	assert_null(strstr(f->fix, "udp_mem="));	/* half of max: not the global limit */
	free(e);
	n->sockstat.udp_mem_pages = (UINT64_C(1) << 62) - (UINT64_C(1) << 62) / 10;
	e = env_new();
	netloss_judge(NULL, n, 0, &e->fs);
	assert_non_null(strstr(find(e, "net.udp_mem_errors")->fix, "udp_mem="));
	free(e);
	free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conntrack_usage_edges),
		cmocka_unit_test(test_conntrack_advice_arithmetic),
		cmocka_unit_test(test_conntrack_drops_rates),
		cmocka_unit_test(test_conntrack_chainlength),
		cmocka_unit_test(test_conntrack_not_loaded),
		cmocka_unit_test(test_netloss_rules),
		cmocka_unit_test(test_netloss_state_and_absent),
		cmocka_unit_test(test_udp_mem_inferred),
		cmocka_unit_test(test_fix_lines_safe_to_paste),
		cmocka_unit_test(test_advice_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
