/* prom_pass.c - engine pass -> struct prom_input (contract in prom_pass.h). */
#include "check/prom_pass.h"

#include <string.h>

void prom_pass_input(const struct engine_pass *p, const struct hr_findings *fs,
		     struct prom_input *in)
{
	memset(in, 0, sizeof(*in));
	in->findings = fs;
	for (size_t i = 0; hr_areas[i] && i < ENGINE_AREAS_MAX; i++) {
		if (!(p->sampled & (1u << i)))
			continue;
		const char *n = hr_areas[i]->name;
		const void *s = p->state[i];
		/* The state types are the ones check/areas.c declares. */
		if (!strcmp(n, "memcg"))
			in->memcg = s;
		else if (!strcmp(n, "conntrack"))
			in->conntrack = s;
		else if (!strcmp(n, "netswap"))
			in->netswap = s;
		else if (!strcmp(n, "zones"))
			in->zones = s;
		else if (!strcmp(n, "net"))
			in->net = s;
	}
}

void prom_pass_before(const struct engine_pass *before, struct prom_input *in)
{
	in->memcg_before = NULL;
	for (size_t i = 0; before && hr_areas[i] && i < ENGINE_AREAS_MAX; i++)
		if ((before->sampled & (1u << i)) && !strcmp(hr_areas[i]->name, "memcg"))
			in->memcg_before = before->state[i];
}
