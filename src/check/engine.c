/* engine.c - sample, judge (engine.h). */
#define _GNU_SOURCE
#include "check/engine.h"
#include "snapshot/memcg_tree.h"
#include "util/clock.h"

#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define ALIGN_UP(n) (((n) + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1))

size_t engine_nareas(void)
{
	size_t n = 0;

	while (hr_areas[n])
		n++;
	return n;
}

static size_t states_bytes(void)
{
	size_t len = 0;

	for (size_t i = 0; hr_areas[i] && i < ENGINE_AREAS_MAX; i++)
		len += ALIGN_UP(hr_areas[i]->state_size ? hr_areas[i]->state_size : 1);
	return len;
}

static size_t keep_bytes(size_t cap)
{
	size_t len = 0;

	for (size_t i = 0; hr_areas[i] && i < ENGINE_AREAS_MAX; i++)
		if (hr_areas[i]->keep_bytes)
			len += hr_areas[i]->keep_bytes(cap);
	return len;
}

/* One area at a time uses the scratch: the largest need. */
static size_t scratch_bytes(size_t cap)
{
	size_t len = 0;

	for (size_t i = 0; hr_areas[i] && i < ENGINE_AREAS_MAX; i++)
		if (hr_areas[i]->scratch_bytes && hr_areas[i]->scratch_bytes(cap) > len)
			len = hr_areas[i]->scratch_bytes(cap);
	return len;
}

/* Each arena starts 64-aligned (arena.h's pieces are). */
#define ALIGN64(n) (((n) + 63) & ~(size_t)63)

size_t engine_storage_bytes_cap(size_t memcg_cap)
{
	return states_bytes() + 64 + ALIGN64(keep_bytes(memcg_cap)) + 64 + scratch_bytes(memcg_cap);
}

size_t engine_storage_bytes(void)
{
	return engine_storage_bytes_cap(MEMCG_TREE_CAP);
}

void engine_pass_init_cap(struct engine_pass *p, void *storage, size_t memcg_cap, unsigned flags)
{
	char *at = storage;

	memset(p, 0, sizeof(*p));
	for (size_t i = 0; hr_areas[i] && i < ENGINE_AREAS_MAX; i++) {
		p->state[i] = at;
		at += ALIGN_UP(hr_areas[i]->state_size ? hr_areas[i]->state_size : 1);
	}
	at = (char *)ALIGN64((uintptr_t)at);
	arena_init(&p->keep, at, keep_bytes(memcg_cap));
	at = (char *)ALIGN64((uintptr_t)(at + keep_bytes(memcg_cap)));
	arena_init(&p->scratch, at, scratch_bytes(memcg_cap));
	p->memcg_cap = memcg_cap;
	p->flags = flags;
}

void engine_pass_init(struct engine_pass *p, void *storage)
{
	engine_pass_init_cap(p, storage, MEMCG_TREE_CAP, 0);
}

/* An area of which nothing could be read is a finding, so the check is
 * never green for it (exit status 1 at least) and the summary counts it. */
static void area_not_checked(struct hr_findings *fs, const struct hr_area *a, int err)
{
	char id[48];
	int e = err < 0 ? -err : err;

	snprintf(id, sizeof(id), "%s.not_checked", a->name);
	struct hr_finding *f = finding_add(fs, id, HR_SEV_WARN, "area %s", a->name);
	fact_i64(f, "errno", e);
	fact_str(f, "error", strerror(e));
	finding_explain(f, "Nothing of the %s area could be read (%s; the not-read list says "
			"which file), so none of its problems were checked: this is not an all-clear.",
			a->name, strerror(e));
}

static void release(struct engine_pass *p, size_t i)
{
	if (!(p->sampled & (1u << i)))
		return;
	if (hr_areas[i]->fini)
		hr_areas[i]->fini(p->state[i]);
	p->sampled &= ~(1u << i);
}

unsigned engine_sample(const struct hr_root *root, unsigned mask, struct engine_pass *p,
		       struct hr_findings *fs)
{
	struct area_ctx ac = {
		.root = root, .notes = &fs->notes, .keep = &p->keep, .scratch = &p->scratch,
		.memcg_cap = p->memcg_cap, .no_ct_dump = p->flags & ENGINE_NO_CT_DUMP,
		.memcg_fds = p->memcg_fds,
	};

	engine_pass_fini(p);
	arena_reset(&p->keep);
	p->t_usec = clock_mono_usec();
	for (size_t i = 0; hr_areas[i] && i < ENGINE_AREAS_MAX; i++) {
		const struct hr_area *a = hr_areas[i];
		if (!a->sample || !(mask & (1u << i)))
			continue;
		memset(p->state[i], 0, a->state_size);
		p->sampled |= 1u << i;
		arena_reset(&p->scratch);
		int r = a->sample(&ac, p->state[i]);
		if (r < 0) {
			note_add(&fs->notes, a->name, r, "%s not checked", a->name);
			area_not_checked(fs, a, r);
			release(p, i);
		}
	}
	return p->sampled;
}

void engine_judge(unsigned mask, const struct engine_pass *before, struct engine_pass *now,
		  struct hr_findings *fs)
{
	for (size_t i = 0; hr_areas[i] && i < ENGINE_AREAS_MAX; i++) {
		const struct hr_area *a = hr_areas[i];
		unsigned bit = 1u << i;
		if ((!a->judge && !a->judge_in) || !(mask & now->sampled & bit))
			continue;
		bool two = before && (before->sampled & bit);
		const void *b = two ? before->state[i] : NULL;
		uint64_t usec = two ? now->t_usec - before->t_usec : 0;
		if (a->judge_in) {
			/* now's scratch: its sampling is over. */
			arena_reset(&now->scratch);
			a->judge_in(b, now->state[i], usec, &now->scratch, fs);
		} else {
			a->judge(b, now->state[i], usec, fs);
		}
	}
}

void engine_pass_fini(struct engine_pass *p)
{
	if (!p)
		return;
	for (size_t i = 0; hr_areas[i] && i < ENGINE_AREAS_MAX; i++)
		release(p, i);
}
