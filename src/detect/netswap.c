/* netswap.c - PLACEHOLDER: the netswap area is not implemented yet; check skips it. */
#include "detect/area.h"

const struct hr_area area_netswap = {
	.name = "netswap",
	.summary = "swap and writeback over network storage; emergency reserve (not implemented)",
};
