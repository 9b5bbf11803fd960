/* test_prom.c - the Prometheus renderer: label escaping, whole-line cuts in
 * a full buffer (the text stays valid and says what it cut), the bounded
 * memcg selection (hits first, then nearest the limit, the rest counted). */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* From the sanitizer runtime (sanitizer/allocator_interface.h, a header
 * gcc 12 does not install); unit tests always link ASan. */
int __sanitizer_install_malloc_and_free_hooks(void (*m)(const volatile void *, size_t),
					      void (*f)(const volatile void *));

#include "report/prom.h"
#include "util/parse.h"

static void test_escape(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(prom_escape(S("a\"b\\c\nd"), out, sizeof(out)), 10);
	assert_string_equal(out, "a\\\"b\\\\c\\nd");
	/* control bytes and broken UTF-8 become '?', valid UTF-8 stays */
	assert_int_equal(prom_escape(S("x\001\xff\xc3\xa9\xe2\x82"), out, sizeof(out)), 7);
	assert_string_equal(out, "x??\xc3\xa9??");
	/* overlong and surrogate encodings are not UTF-8 */
	prom_escape(S("\xc0\xaf\xed\xa0\x80"), out, sizeof(out));
	assert_string_equal(out, "?????");
	/* cut: the needed length is returned, the output is terminated */
	assert_int_equal(prom_escape(S("abcdef"), out, 4), 6);
	assert_string_equal(out, "abc");
}

static void tree_node(struct memcg_tree *t, size_t i, const char *path, uint64_t usage,
		      uint64_t limit, uint64_t max_events)
{
	struct memcg_node *n = &t->nodes[i];
	memset(n, 0, sizeof(*n));
	snprintf(n->path, sizeof(n->path), "%s", path);
	n->parent = i ? 0 : MEMCG_NONE;
	n->usage_bytes = usage;
	n->limit_bytes = limit;
	n->high_bytes = MEMCG_NO_LIMIT;
	n->failcnt = HR_UNSET;
	n->tcp_usage_bytes = HR_UNSET;
	n->has_events = true;
	n->events = (struct memcg_events){ 0, 0, max_events, 0, 0, 0, HR_UNSET };
	memset(&n->stat, 0xff, sizeof(n->stat));
}

/* Ten limited cgroups: /c0../c9 at 10..100 % of 1 GiB; /c2 and /c5 hit. */
static struct memcg_tree *tree(void)
{
	struct memcg_tree *t = calloc(1, sizeof(*t));
	t->version = 2;
	t->cap = 11;
	t->nodes = calloc(t->cap, sizeof(*t->nodes));
	tree_node(t, 0, "/", 1 << 30, MEMCG_NO_LIMIT, 0);
	for (size_t i = 0; i < 10; i++) {
		char p[16];
		snprintf(p, sizeof(p), "/c%zu", i);
		tree_node(t, i + 1, p, (uint64_t)(i + 1) * (1u << 30) / 10, 1u << 30,
			  i == 2 || i == 5 ? 7 : 0);
	}
	t->n = 11;
	t->nodes[0].first_child = 1;
	t->nodes[0].nchildren = 10;
	t->proc_num_cgroups = HR_UNSET;
	return t;
}

static void test_select(void **state)
{
	(void)state;
	struct memcg_tree *t = tree();
	struct prom_input in = { .memcg = t };
	struct prom_config cfg = { .memcg_top = 3, .memcg_hits_max = 1 };
	uint32_t scratch[4];
	size_t cap = 1 << 16;
	char *buf = malloc(cap);
	struct prom_out o;

	prom_out_init(&o, buf, cap);
	assert_int_equal(prom_render(&o, &in, &cfg, scratch, 4), 0);
	/* hits: only the first (/c2) fits; nearest the limit: c9 c8 c7; /c5's
	 * hits did not fit hits_max and it is not among the top 3. */
	assert_non_null(strstr(buf, "headroom_memcg_usage_bytes{cgroup=\"/c2\"}"));
	assert_non_null(strstr(buf, "headroom_memcg_usage_bytes{cgroup=\"/c9\"} 1073741824\n"));
	assert_non_null(strstr(buf, "{cgroup=\"/c8\"}"));
	assert_non_null(strstr(buf, "{cgroup=\"/c7\"}"));
	assert_null(strstr(buf, "{cgroup=\"/c5\"}"));
	assert_null(strstr(buf, "{cgroup=\"/c6\"}"));
	assert_non_null(strstr(buf, "\nheadroom_memcg_limited_cgroups 10\n"));
	assert_non_null(strstr(buf, "\nheadroom_metrics_memcgs_cut 6\n"));
	/* hierarchy order in the output: c2 before c7 */
	assert_true(strstr(buf, "usage_bytes{cgroup=\"/c2\"}") < strstr(buf, "usage_bytes{cgroup=\"/c7\"}"));
	/* a scratch smaller than the config shrinks the top set, never overruns */
	prom_out_init(&o, buf, cap);
	assert_int_equal(prom_render(&o, &in, &cfg, scratch, 2), 0);
	assert_non_null(strstr(buf, "\nheadroom_metrics_memcgs_cut 8\n"));
	free(buf);
	free(t->nodes);
	free(t);
}

static bool agent_of(void *data, const char *path, struct prom_memcg_agent *out)
{
	(void)data;
	if (strcmp(path, "/c9"))
		return false;
	*out = (struct prom_memcg_agent){ 123, 4, "web \"x\"", "memory.reclaim" };
	return true;
}

/* The agent's per-cgroup series: only for cgroups its policies manage,
 * policy names escaped. */
static void test_memcg_agent(void **state)
{
	(void)state;
	struct memcg_tree *t = tree();
	struct prom_input in = { .memcg = t, .memcg_agent = agent_of };
	struct prom_config cfg = { .memcg_top = 3, .memcg_hits_max = 1 };
	uint32_t scratch[4];
	char *buf = malloc(1 << 16);
	struct prom_out o;
	prom_out_init(&o, buf, 1 << 16);
	assert_int_equal(prom_render(&o, &in, &cfg, scratch, 4), 0);
	assert_non_null(strstr(buf, "\nheadroom_memcg_reclaimed_bytes_total{cgroup=\"/c9\"} 123\n"));
	assert_non_null(strstr(buf, "\nheadroom_memcg_reclaim_rounds_total{cgroup=\"/c9\"} 4\n"));
	assert_non_null(strstr(buf, "\nheadroom_memcg_policy_info{cgroup=\"/c9\",policy=\"web \\\"x\\\"\","
				    "backend=\"memory.reclaim\"} 1\n"));
	assert_null(strstr(buf, "reclaimed_bytes_total{cgroup=\"/c8\"}"));
	free(buf);
	free(t->nodes);
	free(t);
}

/* With the previous pass, "hits" means hits since then: /c2's counter did
 * not move, /c5's did, so /c5 takes the one hits slot. A tree whose walk
 * changed (another path at that index) falls back to any hit ever. */
static void test_recent_hits(void **state)
{
	(void)state;
	struct memcg_tree *t = tree(), *b = tree();
	b->nodes[6].events.max = 3;	/* /c5: 3 -> 7 */
	struct prom_input in = { .memcg = t, .memcg_before = b };
	struct prom_config cfg = { .memcg_top = 1, .memcg_hits_max = 1 };
	uint32_t scratch[2];
	char *buf = malloc(1 << 16);
	struct prom_out o;
	prom_out_init(&o, buf, 1 << 16);
	assert_int_equal(prom_render(&o, &in, &cfg, scratch, 2), 0);
	assert_non_null(strstr(buf, "usage_bytes{cgroup=\"/c5\"}"));
	assert_null(strstr(buf, "usage_bytes{cgroup=\"/c2\"}"));
	assert_non_null(strstr(buf, "usage_bytes{cgroup=\"/c9\"}"));	/* nearest the limit */
	snprintf(b->nodes[3].path, sizeof(b->nodes[3].path), "/other");
	snprintf(b->nodes[6].path, sizeof(b->nodes[6].path), "/other2");
	prom_out_init(&o, buf, 1 << 16);
	assert_int_equal(prom_render(&o, &in, &cfg, scratch, 2), 0);
	assert_non_null(strstr(buf, "usage_bytes{cgroup=\"/c2\"}"));	/* first with any hit */
	free(buf);
	free(t->nodes);
	free(t);
	free(b->nodes);
	free(b);
}

/* A buffer too small: whole lines are left out, the trailer says how many,
 * and nothing is written past cap. */
static void test_cut(void **state)
{
	(void)state;
	struct memcg_tree *t = tree();
	struct prom_input in = { .memcg = t };
	struct prom_config cfg;
	prom_config_default(&cfg);
	uint32_t *scratch = calloc(prom_scratch_len(&cfg), sizeof(*scratch));
	size_t cap = PROM_RESERVE + 1500;
	char *buf = malloc(cap + 16);
	memset(buf, 'Z', cap + 16);
	struct prom_out o;

	prom_out_init(&o, buf, cap);
	assert_int_equal(prom_render(&o, &in, &cfg, scratch, prom_scratch_len(&cfg)), -E2BIG);
	assert_true(o.len < cap && o.lines_cut > 0);
	assert_int_equal(buf[cap + 1], 'Z');
	assert_int_equal(buf[o.len], '\0');
	char want[64];
	snprintf(want, sizeof(want), "\nheadroom_metrics_lines_cut %zu\n", o.lines_cut);
	assert_non_null(strstr(buf, want));
	/* every line is whole: ends in a newline, a sample has a value */
	assert_int_equal(buf[o.len - 1], '\n');
	for (char *l = buf; *l; l = strchr(l, '\n') + 1)
		assert_true(l[0] == '#' || strchr(l, ' ') < strchr(l, '\n'));
	free(buf);
	free(scratch);
	free(t->nodes);
	free(t);
}

/* The agent's and the endpoint's families render when given. */
static void test_agent(void **state)
{
	(void)state;
	struct prom_agent a = { .cpu_seconds = 1.5, .rss_bytes = 4096, .loop_lag_seconds = 0.25,
				.passes = 7, .pass_seconds = 0.01, .journal_records = 2,
				.errors = { 1, 0, 0, 3, 0 }, .kmsg_lost = 5 };
	struct http_srv_stats h = { .accepted = 9, .responses = { 8, 1 }, .render_usec_last = 1500 };
	struct prom_input in = { .agent = &a, .http = &h };
	struct prom_config cfg;
	prom_config_default(&cfg);
	char buf[8192];
	struct prom_out o;
	prom_out_init(&o, buf, sizeof(buf));
	assert_int_equal(prom_render(&o, &in, &cfg, NULL, 0), 0);
	assert_non_null(strstr(buf, "\nheadroom_agent_cpu_seconds_total 1.5\n"));
	assert_non_null(strstr(buf, "\nheadroom_agent_resident_memory_bytes 4096\n"));
	assert_non_null(strstr(buf, "\nheadroom_agent_errors_total{where=\"kmsg\"} 3\n"));
	assert_non_null(strstr(buf, "\nheadroom_http_responses_total{code=\"400\"} 1\n"));
	assert_non_null(strstr(buf, "\nheadroom_scrape_render_seconds{stat=\"last\"} 0.0015\n"));
	assert_non_null(strstr(buf, "\nheadroom_kmsg_records_lost_total 5\n"));
	/* nothing sampled: no area family, each area says 0 */
	assert_null(strstr(buf, "headroom_memcg_usage_bytes"));
	assert_non_null(strstr(buf, "headroom_area_sampled{area=\"zones\"} 0\n"));
}

/* headroom_finding counts subjects per (id, severity), sorted or not. */
static void test_findings(void **state)
{
	(void)state;
	struct hr_finding *items = calloc(4, sizeof(*items));
	struct hr_findings fs;
	char buf[4096];
	struct prom_out o;
	struct prom_config cfg;
	prom_config_default(&cfg);
	for (int sorted = 0; sorted < 2; sorted++) {
		hr_findings_init(&fs, items, 4);
		finding_add(&fs, "memcg.near_limit", HR_SEV_WARN, "/a");
		finding_add(&fs, "zones.ok", HR_SEV_OK, "host");
		finding_add(&fs, "memcg.near_limit", HR_SEV_WARN, "/b");
		finding_add(&fs, "memcg.near_limit", HR_SEV_CRIT, "/c");
		if (sorted)
			findings_sort(&fs);
		struct prom_input in = { .findings = &fs };
		prom_out_init(&o, buf, sizeof(buf));
		assert_int_equal(prom_render(&o, &in, &cfg, NULL, 0), 0);
		assert_non_null(strstr(buf, "\nheadroom_finding{id=\"memcg.near_limit\",severity=\"warn\"} 2\n"));
		assert_non_null(strstr(buf, "\nheadroom_finding{id=\"memcg.near_limit\",severity=\"crit\"} 1\n"));
		assert_non_null(strstr(buf, "\nheadroom_finding{id=\"zones.ok\",severity=\"ok\"} 1\n"));
		const char *p = buf;
		int n = 0;
		while ((p = strstr(p, "\nheadroom_finding{")))
			n++, p++;
		assert_int_equal(n, 3);
	}
	free(items);
}

static void test_families(void **state)
{
	(void)state;
	size_t n = 0;
	for (; prom_family_name(n); n++) {
		const char *name = prom_family_name(n), *type = prom_family_type(n);
		assert_int_equal(strncmp(name, "headroom_", 9), 0);
		size_t l = strlen(name);
		bool total = l > 6 && !strcmp(name + l - 6, "_total");
		/* counters and only counters end in _total */
		assert_int_equal(total, !strcmp(type, "counter"));
		assert_non_null(prom_family_help(n));
	}
	assert_true(n > 30);
	assert_null(prom_family_type(n));
}

/* ASan's hooks see every malloc of the process: render makes none, with a
 * selection large enough that glibc's qsort would have (> 1 KiB). */
static volatile size_t mallocs;	/* malloc() is assumed not to touch globals */
static void on_malloc(const volatile void *p, size_t n)
{
	(void)p;
	(void)n;
	mallocs++;
}
static void on_free(const volatile void *p)
{
	(void)p;
}

static void test_no_alloc(void **state)
{
	(void)state;
	struct memcg_tree *t = tree();
	struct prom_input in = { .memcg = t };
	struct prom_config cfg = { .memcg_top = 1000, .memcg_hits_max = 1000 };
	uint32_t *scratch = calloc(2000, sizeof(*scratch));
	size_t cap = 1 << 20;
	char *buf = malloc(cap);
	struct prom_out o;

	__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
	size_t before = mallocs;
	prom_out_init(&o, buf, cap);
	assert_int_equal(prom_render(&o, &in, &cfg, scratch, 2000), 0);
	size_t during = mallocs - before;
	void *volatile probe = malloc(16);	/* the hook works */
	size_t after = mallocs - before;
	free(probe);
	__sanitizer_install_malloc_and_free_hooks(NULL, NULL);
	assert_int_equal(during, 0);
	assert_int_equal(after, 1);
	free(buf);
	free(scratch);
	free(t->nodes);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_agent),
		cmocka_unit_test(test_findings),
		cmocka_unit_test(test_memcg_agent),
		cmocka_unit_test(test_recent_hits),
		cmocka_unit_test(test_no_alloc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
