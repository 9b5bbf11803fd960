/* test_zones_judge.c - the zones judge on hand-built snapshots: rates over
 * an interval (which fixtures cannot express: both samples of a fixture
 * read the same files), thresholds on both sides, the DMA32 fallback. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include "detect/zones_judge.h"
#include "snapshot/vmsnap.h"
#include "util/parse.h"


struct ctx {
	struct hr_finding items[32];
	struct hr_findings fs;
	struct zones_snap *a, *b;
};

static void vm_unset(struct vmstat *v)
{
	uint64_t *p = (uint64_t *)v;
	for (size_t i = 0; i < sizeof(*v) / sizeof(uint64_t); i++)
		p[i] = HR_UNSET;
}

static void snap_init(struct zones_snap *s)
{
	memset(s, 0, sizeof(*s));
	s->page_size = 4096;
	s->have_vmstat = true;
	vm_unset(&s->vs);
	s->vs.nr_free_pages = 1000;
	uint64_t *sc = (uint64_t *)&s->sc;
	for (size_t i = 0; i < sizeof(s->sc) / sizeof(uint64_t); i++)
		sc[i] = HR_UNSET;
	s->thp = -1;
	s->hpage_pmd_bytes = HR_UNSET;
}

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));
	c->a = calloc(1, sizeof(*c->a));
	c->b = calloc(1, sizeof(*c->b));
	snap_init(c->a);
	snap_init(c->b);
	hr_findings_init(&c->fs, c->items, 32);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	free(c->a);
	free(c->b);
	free(c);
	return 0;
}

static const struct hr_finding *find(const struct hr_findings *fs, const char *id)
{
	for (size_t i = 0; i < fs->n; i++)
		if (!strcmp(fs->items[i].id, id))
			return &fs->items[i];
	return NULL;
}

static void run(struct ctx *c, bool interval)
{
	hr_findings_reset(&c->fs);
	zones_judge(interval ? c->a : NULL, c->b, interval ? 2000000 : 0, &c->fs);
}

static void test_allocstall_rate(void **state)
{
	struct ctx *c = *state;
	c->a->vs.allocstall_total = 100;
	c->a->vs.pgscan_direct = 1000;
	c->a->vs.pgscan_kswapd = 1000;
	c->b->vs.pgscan_direct = 1000;
	c->b->vs.pgscan_kswapd = 1000;
	/* 2 s interval: +40 stalls = 20/s -> crit */
	c->b->vs.allocstall_total = 140;
	run(c, true);
	const struct hr_finding *f = find(&c->fs, "zones.allocstall");
	assert_non_null(f);
	assert_int_equal(f->severity, HR_SEV_CRIT);
	assert_true(finding_fact(f, "allocstall_per_s")->v.f == 20.0);
	/* +4 = 2/s -> warn */
	c->b->vs.allocstall_total = 104;
	run(c, true);
	assert_int_equal(find(&c->fs, "zones.allocstall")->severity, HR_SEV_WARN);
	/* nothing new -> quiet, and the area says ok */
	c->b->vs.allocstall_total = 100;
	run(c, true);
	assert_null(find(&c->fs, "zones.allocstall"));
	assert_non_null(find(&c->fs, "zones.ok"));
}

static void test_allocstall_since_boot(void **state)
{
	struct ctx *c = *state;
	c->b->vs.allocstall_total = 9;		/* below ALLOCSTALL_MIN */
	c->b->vs.pgscan_direct = 500;
	c->b->vs.pgscan_kswapd = 500;
	run(c, false);
	assert_null(find(&c->fs, "zones.allocstall"));
	c->b->vs.allocstall_total = 10;		/* share 0.5 > 0.1 */
	run(c, false);
	assert_int_equal(find(&c->fs, "zones.allocstall")->severity, HR_SEV_WARN);
	c->b->vs.pgscan_direct = 50;		/* share 50/550 = 0.09 */
	run(c, false);
	assert_null(find(&c->fs, "zones.allocstall"));
}

static void test_compaction(void **state)
{
	struct ctx *c = *state;
	c->a->vs.compact_stall = 10;
	c->a->vs.compact_fail = 5;
	c->a->vs.compact_success = 5;
	/* +20 stalls, +20 fails in 2 s = 10 fails/s -> crit */
	c->b->vs.compact_stall = 30;
	c->b->vs.compact_fail = 25;
	c->b->vs.compact_success = 5;
	run(c, true);
	const struct hr_finding *f = find(&c->fs, "zones.compaction");
	assert_non_null(f);
	assert_int_equal(f->severity, HR_SEV_CRIT);
	/* +20 stalls, +11 fails: ratio 0.55, 5.5/s -> warn */
	c->b->vs.compact_fail = 16;
	run(c, true);
	assert_int_equal(find(&c->fs, "zones.compaction")->severity, HR_SEV_WARN);
	/* +10 fails of 20: not more than half -> quiet */
	c->b->vs.compact_fail = 15;
	run(c, true);
	assert_null(find(&c->fs, "zones.compaction"));
	/* since boot: 99 stalls all failed -> too few to judge */
	c->b->vs.compact_stall = 99;
	c->b->vs.compact_fail = 99;
	run(c, false);
	assert_null(find(&c->fs, "zones.compaction"));
	c->b->vs.compact_stall = 100;
	c->b->vs.compact_fail = 51;
	run(c, false);
	assert_int_equal(find(&c->fs, "zones.compaction")->severity, HR_SEV_WARN);
	/* CONFIG_COMPACTION=n: no counters, no finding */
	c->b->vs.compact_stall = HR_UNSET;
	run(c, false);
	assert_null(find(&c->fs, "zones.compaction"));
}

static void add_buddy(struct zones_snap *s, const char *name, const uint64_t *blocks)
{
	struct buddyinfo_zone *z = &s->bi.zones[s->bi.n++];
	snprintf(z->name, sizeof(z->name), "%s", name);
	z->norders = 11;
	memcpy(z->blocks, blocks, 11 * sizeof(uint64_t));
}

static void add_zone(struct zones_snap *s, const char *name, uint64_t free_pages, uint64_t min,
		     uint64_t prot_normal)
{
	struct zoneinfo_zone *z = &s->zi.zones[s->zi.n++];
	memset(z, 0, sizeof(*z));
	snprintf(z->name, sizeof(z->name), "%s", name);
	z->free_pages = free_pages;
	z->min_pages = min;
	z->low_pages = min * 5 / 4;
	z->high_pages = min * 3 / 2;
	z->managed_pages = free_pages * 4;
	z->nprotection = 3;
	z->protection[2] = prot_normal;
}

static void test_fragmentation_fallback(void **state)
{
	struct ctx *c = *state;
	static const uint64_t seed[11] = { 385, 160, 1631, 92 };	/* seed 003 Normal */
	static const uint64_t roomy[11] = { 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 100 };
	c->b->have_buddyinfo = c->b->have_zoneinfo = true;
	add_buddy(c->b, "DMA32", roomy);
	add_buddy(c->b, "Normal", seed);
	add_zone(c->b, "DMA32", 110000, 1000, 5000);
	add_zone(c->b, "Normal", 7965, 704, 0);
	run(c, false);
	const struct hr_finding *f = find(&c->fs, "zones.fragmentation");
	assert_non_null(f);
	assert_int_equal(f->severity, HR_SEV_WARN);
	assert_string_equal(finding_fact(f, "fallback_zone")->s, "DMA32");
	/* DMA32 protected for Normal requests: free <= min + lowmem_reserve -> crit */
	c->b->zi.zones[0].protection[2] = 200000;
	run(c, false);
	f = find(&c->fs, "zones.fragmentation");
	assert_int_equal(f->severity, HR_SEV_CRIT);
	assert_null(finding_fact(f, "fallback_zone"));
	assert_true(finding_fact(f, "largest_free_order")->v.i == 3);
	/* Normal at its low watermark: short of memory, not fragmented. */
	c->b->zi.zones[1].free_pages = c->b->zi.zones[1].low_pages;
	run(c, false);
	assert_null(find(&c->fs, "zones.fragmentation"));
	f = find(&c->fs, "zones.watermark");
	assert_non_null(f);
	assert_int_equal(f->severity, HR_SEV_WARN);
	assert_string_equal(f->subject, "zone Normal node 0");
}

static void test_min_free(void **state)
{
	struct ctx *c = *state;
	static const uint64_t roomy[11] = { 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 100 };
	c->b->have_zoneinfo = c->b->have_buddyinfo = true;
	add_buddy(c->b, "DMA32", roomy);
	/* lowmem 100000 pages = 400000 kB: default int_sqrt(6400000) = 2529 kB,
	 * 5 % = 20000 kB; no NIC. */
	add_zone(c->b, "DMA32", 25000, 100, 0);
	static const struct {
		uint64_t mfk;
		int sev;	/* -1: no finding */
	} t[] = {
		{ 1000, HR_SEV_CRIT },	/* < 2529 / 2 */
		{ 1265, HR_SEV_WARN },
		{ 2528, HR_SEV_WARN },
		{ 2529, -1 },
		{ 20000, -1 },		/* at 5 % */
		{ 20001, HR_SEV_WARN },	/* > 5 % and > 2 x 2529 */
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		c->b->sc.min_free_kbytes = t[i].mfk;
		run(c, false);
		const struct hr_finding *f = find(&c->fs, "zones.min_free_kbytes");
		if (t[i].sev < 0) {
			assert_null(f);
		} else {
			assert_non_null(f);
			assert_int_equal(f->severity, t[i].sev);
		}
	}
	assert_true(finding_fact(find(&c->fs, "zones.min_free_kbytes"),
				 "recommended_min_free_kbytes")->v.u == 3072);
	/* 8 rx queues at MTU 1500: 16 MiB x 8/5 = 26215 kB > 5 % of lowmem.
	 * 30000 kB covers it and is not twice it: no finding either way. */
	c->b->nd.n = 1;
	c->b->nd.ifs[0] = (struct net_dev_if){ .name = "eth0", .mtu = 1500, .rx_queues = 8, .physical = true, .speed_mbps = 10000 };
	c->b->sc.min_free_kbytes = 30000;
	run(c, false);
	assert_null(find(&c->fs, "zones.min_free_kbytes"));
	c->b->sc.min_free_kbytes = 20000;
	run(c, false);
	const struct hr_finding *f = find(&c->fs, "zones.min_free_kbytes");
	assert_int_equal(f->severity, HR_SEV_WARN);
	/* The rings want 26215 kB, but advice stops at 5 % of lowmem (20000
	 * kB, whole MiB: 19456): already there, so no sysctl to paste. */
	assert_true(finding_fact(f, "recommended_min_free_kbytes")->v.u == 19456);
	assert_true(finding_fact(f, "recommended_capped_at_5pct")->v.b);
	assert_null(strstr(f->fix, "sysctl -w vm.min_free_kbytes"));
	assert_non_null(strstr(f->fix, "# do not raise"));
	c->b->sc.min_free_kbytes = 15000;
	run(c, false);
	f = find(&c->fs, "zones.min_free_kbytes");
	assert_non_null(strstr(f->fix, "sysctl -w vm.min_free_kbytes=19456\n"));
	assert_non_null(strstr(f->explanation, "capped at 5 % of lowmem"));
	/* uncapped advice carries no cap fact */
	c->b->nd.n = 0;
	c->b->sc.min_free_kbytes = 1000;
	run(c, false);
	assert_null(finding_fact(find(&c->fs, "zones.min_free_kbytes"), "recommended_capped_at_5pct"));
}

/* watermark_scale_factor advice: doubled only on evidence from now, never
 * above 1000; since-boot stalls never raise a value of 100 or more (the
 * counters never reset: each check would double it again). */
static void test_wsf_no_ratchet(void **state)
{
	struct ctx *c = *state;
	static const struct {
		bool interval;
		uint64_t cur;
		const char *want;	/* NULL: no sysctl line */
	} t[] = {
		{ false, 10, "vm.watermark_scale_factor=100\n" },
		{ false, 100, NULL },
		{ false, 400, NULL },
		{ true, 10, "vm.watermark_scale_factor=100\n" },
		{ true, 100, "vm.watermark_scale_factor=200\n" },
		{ true, 800, "vm.watermark_scale_factor=1000\n" },
		{ true, 1000, NULL },
		{ true, 3000, NULL },
		{ true, UINT64_C(1) << 63, NULL },	/* 2 x would wrap */
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snap_init(c->a);
		snap_init(c->b);
		c->a->vs.allocstall_total = 100;
		c->b->vs.allocstall_total = 140;
		c->a->vs.pgscan_direct = c->b->vs.pgscan_direct = 500;
		c->a->vs.pgscan_kswapd = c->b->vs.pgscan_kswapd = 500;
		c->b->sc.watermark_scale_factor = t[i].cur;
		c->b->kmajor = 6;
		c->b->kminor = 18;
		run(c, t[i].interval);
		const struct hr_finding *f = find(&c->fs, "zones.allocstall");
		assert_non_null(f);
		if (t[i].want) {
			if (!strstr(f->fix, t[i].want))
				fail_msg("case %zu: want %s in: %s", i, t[i].want, f->fix);
		} else if (strstr(f->fix, "sysctl -w vm.watermark_scale_factor")) {
			fail_msg("case %zu: no sysctl wanted: %s", i, f->fix);
		}
	}
	/* since boot and already >= 100: points at --interval */
	c->b->sc.watermark_scale_factor = 100;
	run(c, false);
	assert_non_null(strstr(find(&c->fs, "zones.allocstall")->fix, "--interval 10"));
}

/* The MTU advice names the interface as one shell word and never reads
 * as a one-host command; absurd counters give finite ratios. */
static void test_mtu_advice_and_huge_counters(void **state)
{
	struct ctx *c = *state;
	static const uint64_t seed[11] = { 385, 160, 1631, 92 };
	c->b->have_buddyinfo = c->b->have_zoneinfo = true;
	add_buddy(c->b, "Normal", seed);
	add_zone(c->b, "Normal", 7965, 704, 0);
	c->b->nd.n = 1;
	c->b->nd.ifs[0] = (struct net_dev_if){ .name = "$(reboot)", .mtu = 9000, .rx_queues = 1, .physical = true, .speed_mbps = 10000 };
	run(c, false);
	const struct hr_finding *f = find(&c->fs, "zones.fragmentation");
	assert_non_null(f);
	assert_non_null(strstr(f->fix, "\n#   ip link set dev '$(reboot)' mtu 1500\n"));
	assert_non_null(strstr(f->fix, "whole segment"));
	assert_non_null(strstr(f->explanation, "whole network segment"));
	assert_null(strstr(f->fix, "dev $(reboot)"));

	c->b->vs.compact_stall = 100;
	c->b->vs.compact_fail = UINT64_MAX - 1;
	run(c, false);
	f = find(&c->fs, "zones.compaction");
	assert_non_null(f);
	const struct hr_fact *r = finding_fact(f, "fail_ratio");
	assert_true(r->v.f > 1e16 && r->v.f < 1e18);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_allocstall_rate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allocstall_since_boot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fragmentation_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_min_free, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wsf_no_ratchet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mtu_advice_and_huge_counters, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
