/* engine.c - sample, judge (engine.h). */
#define _GNU_SOURCE
#include "check/engine.h"
#include "util/clock.h"

#include <stdalign.h>
#include <stddef.h>
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

size_t engine_storage_bytes(void)
{
	size_t len = 0;

	for (size_t i = 0; hr_areas[i] && i < ENGINE_AREAS_MAX; i++)
		len += ALIGN_UP(hr_areas[i]->state_size ? hr_areas[i]->state_size : 1);
	return len;
}

void engine_pass_init(struct engine_pass *p, void *storage)
{
	char *at = storage;

	memset(p, 0, sizeof(*p));
	for (size_t i = 0; hr_areas[i] && i < ENGINE_AREAS_MAX; i++) {
		p->state[i] = at;
		at += ALIGN_UP(hr_areas[i]->state_size ? hr_areas[i]->state_size : 1);
	}
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
	engine_pass_fini(p);
	p->t_usec = clock_mono_usec();
	for (size_t i = 0; hr_areas[i] && i < ENGINE_AREAS_MAX; i++) {
		const struct hr_area *a = hr_areas[i];
		if (!a->sample || !(mask & (1u << i)))
			continue;
		memset(p->state[i], 0, a->state_size);
		p->sampled |= 1u << i;
		int r = a->sample(root, p->state[i], &fs->notes);
		if (r < 0) {
			note_add(&fs->notes, a->name, r, "%s not checked", a->name);
			area_not_checked(fs, a, r);
			release(p, i);
		}
	}
	return p->sampled;
}

void engine_judge(unsigned mask, const struct engine_pass *before, const struct engine_pass *now,
		  struct hr_findings *fs)
{
	for (size_t i = 0; hr_areas[i] && i < ENGINE_AREAS_MAX; i++) {
		const struct hr_area *a = hr_areas[i];
		unsigned bit = 1u << i;
		if (!a->judge || !(mask & now->sampled & bit))
			continue;
		if (before && (before->sampled & bit))
			a->judge(before->state[i], now->state[i], now->t_usec - before->t_usec, fs);
		else
			a->judge(NULL, now->state[i], 0, fs);
	}
}

void engine_pass_fini(struct engine_pass *p)
{
	if (!p)
		return;
	for (size_t i = 0; hr_areas[i] && i < ENGINE_AREAS_MAX; i++)
		release(p, i);
}
