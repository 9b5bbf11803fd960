/* prom_pass.h - an engine pass as the input of the Prometheus renderer.
 *
 * The renderer (report/prom.h) sits below check/ and knows snapshot structs,
 * not engine passes; this maps each sampled area's state to its field of
 * struct prom_input by area name. No allocation, no I/O.
 */
#ifndef HR_CHECK_PROM_PASS_H
#define HR_CHECK_PROM_PASS_H

#include "check/engine.h"
#include "report/prom.h"

/* Fills *in from pass p (areas not in p->sampled stay NULL) and fs; the
 * incidents and version fields are left NULL for the caller. */
void prom_pass_input(const struct engine_pass *p, const struct hr_findings *fs,
		     struct prom_input *in);

/* Sets in->memcg_before from an earlier pass (NULL, or memcg not sampled
 * in it: left NULL), so "hits" selects cgroups that hit since then. */
void prom_pass_before(const struct engine_pass *before, struct prom_input *in);

#endif
