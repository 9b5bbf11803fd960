/* test_engine_judge.c - check/engine.h: the one seam that samples areas and
 * judges them, on fixture roots (a real capture, an empty tree). */
#define _GNU_SOURCE
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check/engine.h"
#include "snapshot/memcg_tree.h"

#define FMAX 512

struct env {
	struct hr_root root;
	struct hr_finding *items;
	struct hr_findings fs;
	void *mem[2];
	struct engine_pass p[2];
};

static void env_open(struct env *e, const char *root)
{
	memset(e, 0, sizeof(*e));
	assert_int_equal(root_open(&e->root, root), 0);
	e->items = calloc(FMAX, sizeof(*e->items));
	assert_non_null(e->items);
	hr_findings_init(&e->fs, e->items, FMAX);
	for (int i = 0; i < 2; i++) {
		e->mem[i] = malloc(engine_storage_bytes());
		assert_non_null(e->mem[i]);
		memset(e->mem[i], 0xa5, engine_storage_bytes());	/* the engine zeroes states */
		engine_pass_init(&e->p[i], e->mem[i]);
	}
}

static void env_close(struct env *e)
{
	for (int i = 0; i < 2; i++) {
		engine_pass_fini(&e->p[i]);
		free(e->mem[i]);
	}
	free(e->items);
	root_close(&e->root);
}

static size_t count_id(const struct hr_findings *fs, const char *id)
{
	size_t n = 0;

	for (size_t i = 0; i < fs->n; i++)
		n += !strcmp(fs->items[i].id, id);
	return n;
}

static size_t count_note(const struct hr_findings *fs, const char *path)
{
	size_t n = 0;

	for (size_t i = 0; i < fs->notes.n; i++)
		n += !strcmp(fs->notes.items[i].path, path);
	return n;
}

/* The storage covers every area, each state aligned for any type. */
static void test_storage_layout(void **state)
{
	(void)state;
	size_t n = engine_nareas();
	assert_true(n >= 5 && n <= ENGINE_AREAS_MAX);
	size_t need = 0;
	for (size_t i = 0; i < n; i++)
		need += hr_areas[i]->state_size;
	assert_true(engine_storage_bytes() >= need);
	/* Sized by the memcg cap: the node array grows with it, the scratch
	 * (the largest one area needs: netswap's 4 MiB mount table) does not. */
	assert_true(engine_storage_bytes_cap(1000) >=
		    engine_storage_bytes_cap(10) + 990 * sizeof(struct memcg_node) - 64);
	size_t len = engine_storage_bytes_cap(10);
	char *mem = malloc(len);
	assert_non_null(mem);
	struct engine_pass p;
	engine_pass_init_cap(&p, mem, 10, ENGINE_NO_CT_DUMP);
	assert_int_equal(p.sampled, 0);
	assert_int_equal(p.memcg_cap, 10);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal((uintptr_t)p.state[i] % _Alignof(max_align_t), 0);
		if (i)
			assert_true((char *)p.state[i] >= (char *)p.state[i - 1] + hr_areas[i - 1]->state_size);
	}
	/* The arenas follow the states, inside the storage, apart. */
	char *last = (char *)p.state[n - 1] + hr_areas[n - 1]->state_size;
	assert_true(p.keep.base >= last);
	assert_true(p.keep.cap >= 10 * sizeof(struct memcg_node));
	assert_true(p.scratch.base >= p.keep.base + p.keep.cap);
	assert_true(p.scratch.cap >= (4u << 20));
	assert_true(p.scratch.base + p.scratch.cap <= mem + len);
	engine_pass_fini(&p);	/* never sampled: no-op */
	engine_pass_fini(NULL);
	free(mem);
}

/* More memory cgroups than the cap: the rest are cut and counted
 * (memcg.dropped), the storage is never overrun (ASan), and the judge's
 * scratch fits. */
static void test_memcg_cap_cut(void **state)
{
	struct hr_root root;
	static struct hr_finding items[FMAX];
	struct hr_findings fs;
	struct engine_pass p[2];
	size_t len = engine_storage_bytes_cap(2);
	void *mem[2] = { malloc(len), malloc(len) };

	(void)state;
	assert_non_null(mem[0]);
	assert_non_null(mem[1]);
	assert_int_equal(root_open(&root, FIXTURES "/6.18.44-vm-x86_64"), 0);
	hr_findings_init(&fs, items, FMAX);
	for (int i = 0; i < 2; i++)
		engine_pass_init_cap(&p[i], mem[i], 2, 0);
	unsigned ok = engine_sample(&root, 1u, &p[0], &fs);
	ok &= engine_sample(&root, 1u, &p[1], &fs);
	assert_int_equal(ok, 1u);
	const struct memcg_tree *t = p[1].state[0];
	assert_int_equal(t->n, 2);
	assert_true(t->dropped > 0);
	engine_judge(ok, &p[0], &p[1], &fs);
	assert_int_equal(count_id(&fs, "memcg.dropped"), 1);
	for (size_t i = 0; i < fs.notes.n; i++)
		assert_null(strstr(fs.notes.items[i].what, "not judged"));
	root_close(&root);
	free(mem[0]);
	free(mem[1]);
}

/* Nothing readable: every area whose sampler fails is reported once as
 * AREA.not_checked with a note, dropped from the mask and released; the
 * areas that were sampled are judged. Exactly one of the two per area. */
static void test_empty_root(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	char tmp[] = "/tmp/hr-engine-XXXXXX";

	(void)state;
	assert_non_null(mkdtemp(tmp));
	env_open(e, tmp);
	unsigned ok = engine_sample(&e->root, ENGINE_ALL, &e->p[0], &e->fs);
	assert_int_equal(ok, e->p[0].sampled);
	size_t before = e->fs.n, nsampled = 0;
	for (size_t i = 0; i < engine_nareas(); i++) {
		char id[64];
		snprintf(id, sizeof(id), "%s.not_checked", hr_areas[i]->name);
		bool sampled = ok & (1u << i);
		nsampled += sampled;
		assert_int_equal(count_id(&e->fs, id), sampled ? 0 : 1);
		assert_int_equal(count_note(&e->fs, hr_areas[i]->name), sampled ? 0 : 1);
	}
	assert_true(ok != ENGINE_ALL);	/* memcg at least: no mounts */
	assert_false(ok & 1u);
	engine_judge(ok, NULL, &e->p[0], &e->fs);
	assert_true(e->fs.n >= before + nsampled);
	env_close(e);
	rmdir(tmp);
	free(e);
}

/* A real capture, one area, sampled twice into the same storage (as a
 * periodic caller would) and judged with rates; a mask selects exactly. */
static void test_capture_memcg_twice(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	(void)state;
	env_open(e, FIXTURES "/6.18.44-vm-x86_64");
	unsigned ok = engine_sample(&e->root, 1u, &e->p[0], &e->fs);
	assert_int_equal(ok, 1u);
	ok &= engine_sample(&e->root, ok, &e->p[1], &e->fs);
	assert_int_equal(ok, 1u);
	assert_true(e->p[1].t_usec >= e->p[0].t_usec);
	engine_judge(ok, &e->p[0], &e->p[1], &e->fs);
	size_t n1 = e->fs.n;
	assert_true(n1 >= 1);
	for (size_t i = 0; i < e->fs.n; i++)
		assert_int_equal(strncmp(e->fs.items[i].id, "memcg.", 6), 0);
	/* Again into the first pass: the old sample is released first (ASan
	 * would report the memcg node array otherwise). */
	hr_findings_reset(&e->fs);
	ok = engine_sample(&e->root, ok, &e->p[0], &e->fs);
	engine_judge(ok, NULL, &e->p[0], &e->fs);
	assert_true(e->fs.n >= 1);
	/* An area outside the mask is neither sampled nor judged. */
	hr_findings_reset(&e->fs);
	engine_judge(0, NULL, &e->p[0], &e->fs);
	assert_int_equal(e->fs.n, 0);
	env_close(e);
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_storage_layout),
		cmocka_unit_test(test_empty_root),
		cmocka_unit_test(test_capture_memcg_twice),
		cmocka_unit_test(test_memcg_cap_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
