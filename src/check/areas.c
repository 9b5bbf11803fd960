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

static const struct hr_area area_memcg = {
	.name = "memcg",
	.summary = "memory cgroup headroom, limit hits, socket pressure, dying cgroups and dead charges",
	.state_size = sizeof(struct memcg_tree),
	.sample = memcg_area_sample,
	.judge = memcg_judge,
	.fini = memcg_area_fini,
};

static const struct hr_area area_conntrack = {
	.name = "conntrack",
	.summary = "conntrack table usage, hash sizing, drops, TIME_WAIT timeout",
	.state_size = sizeof(struct conntrack_snap),
	.sample = conntrack_sample,
	.judge = conntrack_judge,
};

static const struct hr_area area_netswap = {
	.name = "netswap",
	.summary = "swap and writeback over network storage; emergency reserve",
	.state_size = sizeof(struct netswap_snap),
	.sample = netswap_sample,
	.judge = netswap_judge,
};

static const struct hr_area area_zones = {
	.name = "zones",
	.summary = "zone watermarks, fragmentation, atomic-allocation headroom",
	.state_size = sizeof(struct zones_snap),
	.sample = zones_sample,
	.judge = zones_judge,
};

static const struct hr_area area_netloss = {
	.name = "net",
	.summary = "packet and socket drops that memory pressure causes",
	.state_size = sizeof(struct netloss_snap),
	.sample = netloss_sample,
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
