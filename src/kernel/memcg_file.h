/* memcg_file.h - one memory cgroup's files: their names per cgroup version,
 * opened once below the root, re-read with pread.
 *
 * The agent opens the files it re-reads every tick once (memcg_file_open)
 * and reads them with memcg_file_u64 / _stat / _events, which pread from
 * offset 0 into the caller's buffer: no open/close per tick, no allocation,
 * no logging. Opening resolves as every host write does
 * (root_openat_strict: no symlink, no "..") because the same fds are
 * written by act/.
 *
 * One spelling of "no limit": every reader here returns MEMCG_NO_LIMIT
 * (snapshot/memcg.h) for "max" and for v1's huge "unlimited" value.
 */
#ifndef HR_KERNEL_MEMCG_FILE_H
#define HR_KERNEL_MEMCG_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "snapshot/memcg.h"

enum memcg_file_id {
	MEMCG_F_LIMIT,		/* v1 memory.limit_in_bytes, v2 memory.max */
	MEMCG_F_USAGE,		/* v1 memory.usage_in_bytes, v2 memory.current */
	MEMCG_F_STAT,		/* memory.stat */
	MEMCG_F_EVENTS,		/* v2 memory.events */
	MEMCG_F_HIGH,		/* v2 memory.high */
	MEMCG_F_RECLAIM,	/* v2 memory.reclaim (5.19+) */
	MEMCG_F_PRESSURE,	/* v2 memory.pressure (PSI, 4.20+) */
	MEMCG_F_EVENT_CONTROL,	/* v1 cgroup.event_control */
	MEMCG_F_WMARK_RATIO,	/* Alibaba Cloud Linux memory.wmark_ratio, v1 and v2 */
};

/* The file's name in a version-`version` hierarchy, or NULL if that
 * version has no such file. */
const char *memcg_file_name(int version, enum memcg_file_id f);

/* Opens "<cgdir>/<name>" below the directory fd dfd (the root's fd), cgdir
 * root-relative ("" or "." for dfd itself). Returns the fd or -errno
 * (-ENOENT also when the version has no such file). */
int memcg_file_open(int dfd, const char *cgdir, int version, enum memcg_file_id f, int flags);

/* A single-number file (limit, usage, memory.high): the number, or
 * MEMCG_NO_LIMIT for "max" / v1's unlimited value. 0 or -errno (-ENODEV,
 * -ENOENT: the cgroup was removed). */
int memcg_file_u64(int fd, uint64_t *out);

/* memory.stat / memory.events, read into buf[0..cap) and parsed. 0 or
 * -errno (-E2BIG: buf too small). */
int memcg_file_stat(int fd, char *buf, size_t cap, struct memcg_stat *out);
int memcg_file_events(int fd, char *buf, size_t cap, struct memcg_events *out);

#endif
