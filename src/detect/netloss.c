/* netloss.c - PLACEHOLDER: the netloss area is not implemented yet; check skips it. */
#include "detect/area.h"

const struct hr_area area_netloss = {
	.name = "netloss",
	.summary = "packet and socket drops that memory pressure causes (not implemented)",
};
