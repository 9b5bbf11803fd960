/* bench_judge.c - CPU cost of the agent's judgement pass: every area
 * sampled and judged (check/engine.h) the way daemon/judge_pass.c runs it
 * (storage for max_cgroups memcgs allocated first, no ctnetlink dump, two
 * passes in turn, each judged against the other), on the live host or
 * HR_BENCH_ROOT. Prints per pass CPU (this thread's user+sys) and wall
 * time, per memory cgroup, and the heap allocations made by the passes
 * after the first (counted by interposing malloc; the target is 0). Never
 * fails on a time. HR_BENCH_CAP: the memcg cap (default 4096, the agent's
 * max_cgroups default); HR_BENCH_PASSES: passes timed (default 20);
 * HR_BENCH_FDC=0: no open files kept between passes (as `check` reads).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check/engine.h"
#include "kernel/root.h"
#include "kernel/memcg_read.h"
#include "snapshot/memcg_tree.h"

/* Counting allocator: glibc supports replacing malloc (its own calls,
 * opendir's and qsort's, go through these too). Single-threaded. */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);
static unsigned long allocs;

void *malloc(size_t n)
{
	allocs++;
	return __libc_malloc(n);
}
void *calloc(size_t a, size_t b)
{
	allocs++;
	return __libc_calloc(a, b);
}
void *realloc(void *p, size_t n)
{
	allocs++;
	return __libc_realloc(p, n);
}
void free(void *p)
{
	__libc_free(p);
}
int posix_memalign(void **out, size_t align, size_t n)
{
	allocs++;
	*out = __libc_memalign(align, n);
	return *out ? 0 : 12;
}

static uint64_t ns_of(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#define FMAX 4096

int main(void)
{
	const char *rp = getenv("HR_BENCH_ROOT");
	const char *cs = getenv("HR_BENCH_CAP"), *ps = getenv("HR_BENCH_PASSES");
	size_t cap = cs ? strtoul(cs, NULL, 10) : 4096;
	int passes = ps ? atoi(ps) : 20;
	struct hr_root root;
	static struct hr_finding items[FMAX];
	struct hr_findings fs;
	struct engine_pass p[2];
	size_t len;
	void *mem[2];

	if (!rp)
		rp = "/";
	if (cap == 0 || passes < 1 || root_open(&root, rp)) {
		fprintf(stderr, "bench_judge: cannot open root %s\n", rp);
		return 1;
	}
	len = engine_storage_bytes_cap(cap);
	mem[0] = calloc(1, len);
	mem[1] = calloc(1, len);
	if (!mem[0] || !mem[1])
		return 1;
	const char *fs_env = getenv("HR_BENCH_FDC");
	int use_fdc = !fs_env || strcmp(fs_env, "0");
	struct memcg_fdcache fdc;
	struct memcg_fdc_entry *ents = calloc(cap, sizeof(*ents));
	if (!ents)
		return 1;
	memcg_fdcache_init(&fdc, ents, cap, 6 * cap);
	for (int i = 0; i < 2; i++) {
		engine_pass_init_cap(&p[i], mem[i], cap, ENGINE_NO_CT_DUMP);
		p[i].memcg_fds = use_fdc ? &fdc : NULL;
	}
	unsigned prev_ok = 0;
	int cur = 0, have = 0;
	uint64_t cpu = 0, wall = 0, best = UINT64_MAX;
	unsigned long a0 = 0;
	size_t nmemcg = 0, nfind = 0;
	for (int k = 0; k <= passes; k++) {
		int next = have ? !cur : 0;
		if (k == 1)
			a0 = allocs;	/* the first pass is the warm-up */
		uint64_t c0 = ns_of(CLOCK_THREAD_CPUTIME_ID), w0 = ns_of(CLOCK_MONOTONIC);
		hr_findings_reset(&fs);
		if (k == 0)
			hr_findings_init(&fs, items, FMAX);
		unsigned ok = engine_sample(&root, ENGINE_ALL, &p[next], &fs);
		engine_judge(have ? ok & prev_ok : ok, have ? &p[cur] : NULL, &p[next], &fs);
		uint64_t dc = ns_of(CLOCK_THREAD_CPUTIME_ID) - c0, dw = ns_of(CLOCK_MONOTONIC) - w0;
		if (k > 0) {
			cpu += dc;
			wall += dw;
			if (dc < best)
				best = dc;
		}
		cur = next;
		have = 1;
		prev_ok = ok;
		const struct memcg_tree *t = (ok & 1u) ? p[cur].state[0] : NULL;
		nmemcg = t ? t->n : 0;
		nfind = fs.n;
	}
	unsigned long na = allocs - a0;
	double per = (double)cpu / passes / 1e6;
	printf("judgement pass (%s, cap %zu, %s): %zu memcgs, %zu findings; CPU %.2f ms per pass "
	       "(best %.2f ms), wall %.2f ms, %.2f us CPU per memcg, over %d passes (target < 5 ms "
	       "with 1,000 memcgs; ratio %.3f); heap allocations after the first pass: %lu (target 0)\n",
	       rp, cap, use_fdc ? "files kept open" : "files opened per read", nmemcg, nfind, per, (double)best / 1e6, (double)wall / passes / 1e6,
	       nmemcg ? (double)cpu / passes / 1e3 / (double)nmemcg : 0.0, passes, per / 5.0, na);
	if (use_fdc)
		printf("  open files kept: %zu (entries reopened over all passes: %llu)\n", fdc.nfds,
		       (unsigned long long)fdc.reopened);
	memcg_fdcache_fini(&fdc);
	free(ents);
	free(mem[0]);
	free(mem[1]);
	root_close(&root);
	return 0;
}
