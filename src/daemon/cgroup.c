/* cgroup.c - one entry of the cgroup table: its directory, its files, its
 * backend's name. See ctx.h. */
#define _GNU_SOURCE
#include "daemon/ctx.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char *backend_name(enum reclaim_backend b)
{
	switch (b) {
	case HR_BE_NONE: return "none";
	case HR_BE_OBSERVE: return "observe";
	case HR_BE_V1_LIMIT: return "v1-limit";
	case HR_BE_V2_RECLAIM: return "v2-reclaim";
	case HR_BE_V2_HIGH: return "v2-high";
	case HR_BE_WMARK: return "wmark";
	}
	return "?";
}

const char *cg_dir(const struct hr_ctx *c, const struct hr_cg *g, char *out)
{
	snprintf(out, HR_CG_REL_MAX, "%s%s", c->base, strcmp(g->path, "/") ? g->path : "");
	if (!out[0])
		snprintf(out, HR_CG_REL_MAX, ".");
	return out;
}

int cg_open(const struct hr_ctx *c, const struct hr_cg *g, enum memcg_file_id f, int flags)
{
	char dir[HR_CG_REL_MAX];

	return memcg_file_open(c->root.fd, cg_dir(c, g, dir), c->v2 ? 2 : 1, f, flags);
}

bool cg_has(const struct hr_ctx *c, const struct hr_cg *g, enum memcg_file_id f)
{
	int fd = cg_open(c, g, f, O_PATH);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}
