/* memcg.c - PLACEHOLDER: the memcg area is not implemented yet; check skips it. */
#include "detect/area.h"

const struct hr_area area_memcg = {
	.name = "memcg",
	.summary = "memory cgroup headroom, reclaimable cache, limit hits, dying cgroups and charges (not implemented)",
};
