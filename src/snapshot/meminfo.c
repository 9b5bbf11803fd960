/* meminfo.c - see meminfo.h. */
#include "snapshot/meminfo.h"

#include <errno.h>

#include "util/parse.h"

/*
 * Real input, Linux 6.18.44-fc-v769 x86_64 (2 vCPU VM):
 *   MemTotal:       24683620 kB
 *   MemFree:        23922520 kB
 *   MemAvailable:   24114316 kB
 * (On this VM MemFree is far above the zones' free pages in /proc/zoneinfo:
 * 23.9 GB against 3.6 GB. Judge zones from zoneinfo, never from meminfo.)
 */
int meminfo_parse(const char *buf, size_t len, struct meminfo *out)
{
	enum { TOTAL, FREE, AVAIL, DIRTY, WB, STOT, SFREE, N };
	static const struct hr_kv_key keys[] = {
		{ "MemTotal", TOTAL }, { "MemFree", FREE }, { "MemAvailable", AVAIL },
		{ "Dirty", DIRTY }, { "Writeback", WB },
		{ "SwapTotal", STOT }, { "SwapFree", SFREE },
	};
	uint64_t v[N];
	int rc = kv_parse(buf, len, keys, N, v, true);

	if (rc < 0)
		return rc;
	if (v[TOTAL] == HR_UNSET)
		return -ENODATA;
	if ((v[FREE] != HR_UNSET && v[FREE] > v[TOTAL]) ||
	    (v[AVAIL] != HR_UNSET && v[AVAIL] > v[TOTAL]) ||
	    (v[STOT] != HR_UNSET && v[SFREE] != HR_UNSET && v[SFREE] > v[STOT]))
		return -EINVAL;
	out->total_bytes = v[TOTAL];
	out->free_bytes = v[FREE];
	out->available_bytes = v[AVAIL];
	out->dirty_bytes = v[DIRTY];
	out->writeback_bytes = v[WB];
	out->swap_total_bytes = v[STOT];
	out->swap_free_bytes = v[SFREE];
	return 0;
}
