/* zones.c - PLACEHOLDER: the zones area is not implemented yet; check skips it. */
#include "detect/area.h"

const struct hr_area area_zones = {
	.name = "zones",
	.summary = "zone watermarks, fragmentation, atomic-allocation headroom (not implemented)",
};
