/* conntrack.c - PLACEHOLDER: the conntrack area is not implemented yet; check skips it. */
#include "detect/area.h"

const struct hr_area area_conntrack = {
	.name = "conntrack",
	.summary = "conntrack table usage, hash sizing, drops (not implemented)",
};
