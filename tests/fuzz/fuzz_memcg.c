/* fuzz_memcg.c - every memcg file parser (snapshot/memcg.h) over arbitrary
 * bytes. Each input goes to all parsers: they are cheap, and the seeds in
 * tests/fuzz/corpus/memcg cover every format. */
#include <stddef.h>
#include <stdint.h>

#include "snapshot/memcg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const wmark[] = { "memory.wmark_ratio", "memory.wmark_high",
					     "memory.wmark_low", "memory.wmark_scale_factor" };
	const char *s = (const char *)data;
	struct memcg_stat st;
	struct memcg_events ev;
	struct cgroup_stat cs;
	struct memcg_wmark w = { 0 };
	struct proc_cgroups_row row;
	struct memcg_mounts m;
	uint64_t v;

	memcg_stat_parse(s, size, &st);
	memcg_events_parse(s, size, &ev);
	cgroup_stat_parse(s, size, &cs);
	memcg_u64_parse(s, size, &v);
	memcg_limit_parse(s, size, &v);
	for (size_t i = 0; i < 4; i++)
		memcg_wmark_parse(wmark[i], s, size, &w);
	proc_cgroups_parse(s, size, "memory", &row);
	if (memcg_mounts_parse(s, size, &m) == 0) {
		/* Outputs must be NUL-terminated within their arrays. */
		volatile size_t n = 0;
		for (size_t i = 0; i < m.n_v2; i++)
			for (const char *p = m.v2[i]; *p; p++)
				n++;
		for (const char *p = m.v1; *p; p++)
			n++;
	}
	cgroup_controllers_has(s, size, "memory");
	return 0;
}
