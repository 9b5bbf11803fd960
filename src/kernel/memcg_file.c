/* memcg_file.c - see memcg_file.h. */
#define _GNU_SOURCE
#include "kernel/memcg_file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kernel/root.h"

const char *memcg_file_name(int version, enum memcg_file_id f)
{
	bool v2 = version == 2;

	switch (f) {
	case MEMCG_F_LIMIT: return v2 ? "memory.max" : "memory.limit_in_bytes";
	case MEMCG_F_USAGE: return v2 ? "memory.current" : "memory.usage_in_bytes";
	case MEMCG_F_STAT: return "memory.stat";
	case MEMCG_F_EVENTS: return v2 ? "memory.events" : NULL;
	case MEMCG_F_HIGH: return v2 ? "memory.high" : NULL;
	case MEMCG_F_RECLAIM: return v2 ? "memory.reclaim" : NULL;
	case MEMCG_F_PRESSURE: return v2 ? "memory.pressure" : NULL;
	case MEMCG_F_EVENT_CONTROL: return v2 ? NULL : "cgroup.event_control";
	case MEMCG_F_WMARK_RATIO: return "memory.wmark_ratio";
	}
	return NULL;
}

int memcg_file_open(int dfd, const char *cgdir, int version, enum memcg_file_id f, int flags)
{
	const char *name = memcg_file_name(version, f);
	bool top = !cgdir[0] || !strcmp(cgdir, ".");
	char rel[1024];
	int k;

	if (!name)
		return -ENOENT;
	k = snprintf(rel, sizeof(rel), "%s%s%s", top ? "" : cgdir, top ? "" : "/", name);
	if (k < 0 || (size_t)k >= sizeof(rel))
		return -ENAMETOOLONG;
	return root_openat_strict(dfd, rel, flags);
}

int memcg_file_u64(int fd, uint64_t *out)
{
	char buf[64];
	long n = fd_reread(fd, buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	return memcg_limit_parse(buf, (size_t)n, out);
}

int memcg_file_stat(int fd, char *buf, size_t cap, struct memcg_stat *out)
{
	long n = fd_reread(fd, buf, cap);

	if (n < 0)
		return (int)n;
	return memcg_stat_parse(buf, (size_t)n, out);
}

int memcg_file_events(int fd, char *buf, size_t cap, struct memcg_events *out)
{
	long n = fd_reread(fd, buf, cap);

	if (n < 0)
		return (int)n;
	return memcg_events_parse(buf, (size_t)n, out);
}
