/* vmstat.c - see vmstat.h. */
#include "snapshot/vmstat.h"

#include <errno.h>
#include <stddef.h>

#include "util/parse.h"

#define F(name) { #name, offsetof(struct vmstat, name) / sizeof(uint64_t) }

/*
 * Real input, Linux 6.18.44-fc-v769 x86_64 (2 vCPU VM), one "key value" per
 * line, e.g.:
 *   allocstall_normal 0
 *   compact_stall 0
 *   nr_dirty_threshold 1208240
 */
int vmstat_parse(const char *buf, size_t len, struct vmstat *out)
{
	static const struct hr_kv_key keys[] = {
		F(nr_free_pages), F(nr_dirty), F(nr_writeback),
		F(nr_dirty_threshold), F(nr_dirty_background_threshold),
		F(allocstall_dma), F(allocstall_dma32), F(allocstall_normal),
		F(allocstall_movable), F(allocstall_device),
		{ "allocstall", offsetof(struct vmstat, allocstall_total) / sizeof(uint64_t) },
		F(pgscan_kswapd), F(pgscan_direct), F(pgsteal_kswapd), F(pgsteal_direct),
		F(kswapd_low_wmark_hit_quickly),
		F(compact_stall), F(compact_fail), F(compact_success), F(oom_kill),
	};
	/* Before 4.8 pgscan was per zone: pgscan_kswapd_normal etc. */
	enum { KD, KD32, KN, KM, KH, DD, DD32, DN, DM, DH, NOLD };
	static const struct hr_kv_key old[] = {
		{ "pgscan_kswapd_dma", KD }, { "pgscan_kswapd_dma32", KD32 },
		{ "pgscan_kswapd_normal", KN }, { "pgscan_kswapd_movable", KM },
		{ "pgscan_kswapd_high", KH },
		{ "pgscan_direct_dma", DD }, { "pgscan_direct_dma32", DD32 },
		{ "pgscan_direct_normal", DN }, { "pgscan_direct_movable", DM },
		{ "pgscan_direct_high", DH },
	};
	uint64_t o[NOLD];
	uint64_t v[sizeof(struct vmstat) / sizeof(uint64_t)];
	int rc = kv_parse(buf, len, keys, sizeof(keys) / sizeof(keys[0]), v, false);

	if (rc < 0)
		return rc;
	struct vmstat s;
	_Static_assert(sizeof(s) == sizeof(v), "struct vmstat is all u64");
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		((uint64_t *)&s)[i] = v[i];
	if (s.nr_free_pages == HR_UNSET)
		return -ENODATA;
	if (s.pgscan_kswapd == HR_UNSET || s.pgscan_direct == HR_UNSET) {
		if ((rc = kv_parse(buf, len, old, NOLD, o, false)) < 0)
			return rc;
		for (int i = 0; i < NOLD; i++) {
			uint64_t *sum = i < DD ? &s.pgscan_kswapd : &s.pgscan_direct;
			if (o[i] == HR_UNSET)
				continue;
			*sum = *sum == HR_UNSET ? o[i] : sat_add(*sum, o[i]);
		}
	}
	if (s.allocstall_total == HR_UNSET) {
		const uint64_t z[] = { s.allocstall_dma, s.allocstall_dma32, s.allocstall_normal,
				       s.allocstall_movable, s.allocstall_device };
		for (size_t i = 0; i < sizeof(z) / sizeof(z[0]); i++) {
			if (z[i] == HR_UNSET)
				continue;
			s.allocstall_total = s.allocstall_total == HR_UNSET ? z[i]
									    : sat_add(s.allocstall_total, z[i]);
		}
	}
	*out = s;
	return 0;
}
