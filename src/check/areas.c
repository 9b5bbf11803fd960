/* areas.c - the areas `headroom check` runs, in report order: each pairs
 * its sampler (src/kernel/) with its judge (src/detect/). */
#include "check/areas.h"

#include "detect/conntrack_judge.h"
#include "detect/memcg_judge.h"
#include "detect/netloss_judge.h"
#include "detect/netswap_judge.h"
#include "detect/zones_judge.h"
#include "kernel/memcg_read.h"
#include "kernel/net_sample.h"
#include "kernel/netswap_sample.h"
#include "kernel/zones_sample.h"
#include "snapshot/memcg_tree.h"
#include "snapshot/net_snap.h"
#include "snapshot/vmsnap.h"

/* The samplers' own signatures name what each needs (kernel/ is below
 * check/); these adapt them to struct area_ctx. */
static int memcg_sample(const struct area_ctx *ac, void *state)
{
	return memcg_area_sample(ac->root, state, ac->keep, ac->memcg_cap, ac->scratch, ac->memcg_fds,
				 ac->notes);
}

static size_t memcg_scratch(size_t cap)
{
	size_t j = memcg_judge_scratch_bytes(cap, cap);

	return j > MEMCG_READ_SCRATCH ? j : MEMCG_READ_SCRATCH;
}

static int conntrack_area_sample(const struct area_ctx *ac, void *state)
{
	return conntrack_sample(ac->root, state, !ac->no_ct_dump, ac->scratch, ac->notes);
}

static int netloss_area_sample(const struct area_ctx *ac, void *state)
{
	return netloss_sample(ac->root, state, ac->scratch, ac->notes);
}

static size_t net_scratch(size_t cap)
{
	(void)cap;
	return NET_SAMPLE_SCRATCH;
}

static int netswap_area_sample(const struct area_ctx *ac, void *state)
{
	return netswap_sample(ac->root, state, ac->scratch, ac->notes);
}

static size_t netswap_scratch(size_t cap)
{
	(void)cap;
	return netswap_sample_scratch();
}

static int zones_area_sample(const struct area_ctx *ac, void *state)
{
	return zones_sample(ac->root, state, ac->scratch, ac->notes);
}

static size_t zones_scratch(size_t cap)
{
	(void)cap;
	return ZONES_SAMPLE_SCRATCH;
}

static const struct hr_area area_memcg = {
	.name = "memcg",
	.summary = "memory cgroup headroom, limit hits, socket pressure, dying cgroups and dead charges",
	.state_size = sizeof(struct memcg_tree),
	.keep_bytes = memcg_area_keep_bytes,
	.scratch_bytes = memcg_scratch,
	.sample = memcg_sample,
	.judge_in = memcg_judge_in,
};

static const struct hr_area area_conntrack = {
	.name = "conntrack",
	.summary = "conntrack table usage, hash sizing, drops, TIME_WAIT timeout",
	.state_size = sizeof(struct conntrack_snap),
	.scratch_bytes = net_scratch,
	.sample = conntrack_area_sample,
	.judge = conntrack_judge,
};

static const struct hr_area area_netswap = {
	.name = "netswap",
	.summary = "swap and writeback over network storage; emergency reserve",
	.state_size = sizeof(struct netswap_snap),
	.scratch_bytes = netswap_scratch,
	.sample = netswap_area_sample,
	.judge = netswap_judge,
};

static const struct hr_area area_zones = {
	.name = "zones",
	.summary = "zone watermarks, fragmentation, atomic-allocation headroom",
	.state_size = sizeof(struct zones_snap),
	.scratch_bytes = zones_scratch,
	.sample = zones_area_sample,
	.judge = zones_judge,
};

static const struct hr_area area_netloss = {
	.name = "net",
	.summary = "packet and socket drops that memory pressure causes",
	.state_size = sizeof(struct netloss_snap),
	.scratch_bytes = net_scratch,
	.sample = netloss_area_sample,
	.judge = netloss_judge,
};

const struct hr_area *const hr_areas[] = {
	&area_memcg,
	&area_conntrack,
	&area_netswap,
	&area_zones,
	&area_netloss,
	NULL,
};
