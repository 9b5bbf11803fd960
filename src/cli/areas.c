/* areas.c - the areas `headroom check` runs, in report order. Each area's
 * definition lives beside its judge in src/detect/. */
#include <stddef.h>

#include "detect/area.h"

extern const struct hr_area area_memcg;

extern const struct hr_area area_conntrack;

extern const struct hr_area area_netloss;

extern const struct hr_area area_netswap;

extern const struct hr_area area_zones;

const struct hr_area *const hr_areas[] = {
	&area_memcg,

	&area_conntrack,

	&area_netswap,

	&area_zones,

	&area_netloss,

	NULL,
};
