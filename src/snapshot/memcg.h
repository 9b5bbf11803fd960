/* memcg.h - memory cgroup files (v1, v2, Alibaba Cloud Linux) as numbers.
 *
 * Every function here is pure: no I/O, no allocation, no logging. Inputs are
 * (buf, len) pairs that need not be NUL-terminated; nothing is read past len.
 * They are what `check --area memcg`, `run`, the unit tests and
 * tests/fuzz/fuzz_memcg.c call. All sizes are bytes, as the kernel prints
 * them in these files. A key absent from the text is HR_UNSET ("not on this
 * kernel"); out-params are untouched on error.
 */
#ifndef HR_SNAPSHOT_MEMCG_H
#define HR_SNAPSHOT_MEMCG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/parse.h"

/* "No limit". v2 prints "max"; v1 prints PAGE_COUNTER_MAX * PAGE_SIZE
 * (9223372036854771712 with 4 KiB pages on 6.18 x86_64, another value with
 * 64 KiB pages), so any limit at or above MEMCG_LIMIT_HUGE (4 EiB, more RAM
 * than any machine has) is read as no limit too. */
#define MEMCG_NO_LIMIT (UINT64_MAX - 1)
#define MEMCG_LIMIT_HUGE (UINT64_C(1) << 62)

static inline bool memcg_limit_is_set(uint64_t limit)
{
	return limit < MEMCG_LIMIT_HUGE;
}

/* memory.stat. v1 prints local counters and total_* (hierarchical, which
 * includes offline/deleted descendants); v2 prints hierarchical counters only
 * under other names. Keys the two share (inactive_file, active_file,
 * unevictable, shmem) land in the same field. */
struct memcg_stat {
	/* v1 local */
	uint64_t cache, rss, mapped_file, shmem, dirty, writeback;
	/* v1 and v2 */
	uint64_t inactive_file, active_file, unevictable;
	/* v1 hierarchical */
	uint64_t total_cache, total_rss, total_mapped_file, total_shmem;
	uint64_t total_inactive_file, total_active_file, total_unevictable;
	uint64_t hierarchical_memory_limit;	/* raw, see memcg_limit_is_set() */
	/* v2 */
	uint64_t anon, file, sock, file_dirty, file_writeback;
};

/* Fills *out from memory.stat text. Unknown keys are skipped, absent ones
 * are HR_UNSET. Returns 0; -ENODATA if no known key is present (not a
 * memory.stat); -EINVAL/-ERANGE on a malformed or too large value. */
int memcg_stat_parse(const char *buf, size_t len, struct memcg_stat *out);

/* memory.events / memory.events.local (v2). sock_throttled is newer than the
 * rest (absent in 6.6.9) and oom_group_kill appeared in 5.17: HR_UNSET when
 * absent. */
struct memcg_events {
	uint64_t low, high, max, oom, oom_kill, oom_group_kill, sock_throttled;
};

/* Returns 0; -ENODATA if none of max/high/oom is present; -EINVAL/-ERANGE on
 * a malformed value. */
int memcg_events_parse(const char *buf, size_t len, struct memcg_events *out);

/* cgroup.stat (v2). nr_dying_descendants exists since 4.14;
 * nr_dying_subsys_memory since 6.18 (HR_UNSET before). */
struct cgroup_stat {
	uint64_t nr_descendants, nr_dying_descendants, nr_dying_subsys_memory;
};

/* Returns 0; -ENODATA without nr_dying_descendants; -EINVAL/-ERANGE. */
int cgroup_stat_parse(const char *buf, size_t len, struct cgroup_stat *out);

/* A file holding one decimal number and an optional newline:
 * memory.usage_in_bytes, memory.failcnt, memory.current,
 * memory.kmem.tcp.*, memory.wmark_high/low. Returns 0, -EINVAL (empty,
 * sign, junk after the number), -ERANGE (> 2^64-1). */
int memcg_u64_parse(const char *buf, size_t len, uint64_t *out);

/* A limit file: memory.limit_in_bytes (v1), memory.max / memory.high (v2).
 * "max" and values >= MEMCG_LIMIT_HUGE become MEMCG_NO_LIMIT. Same returns
 * as memcg_u64_parse(). */
int memcg_limit_parse(const char *buf, size_t len, uint64_t *out);

/* Alibaba Cloud Linux background reclaim (4.19.81-17.al7+, 5.10.134-12.al8+),
 * v1 and v2 alike: wmark_ratio is a percent of the limit (0 = off, 0..100),
 * wmark_high/low are read-only bytes, wmark_scale_factor is in 0.01 % of the
 * limit (1..1000, default 50) and sets wmark_low = wmark_high - limit *
 * scale / 10000. */
struct memcg_wmark {
	uint64_t ratio, high_bytes, low_bytes, scale_factor;
};

/* Parses the file called `name` ("memory.wmark_ratio", "memory.wmark_high",
 * "memory.wmark_low" or "memory.wmark_scale_factor") into its field of *w,
 * leaving the others alone. Returns 0; -ENOENT for another name; -ERANGE for
 * a ratio > 100 or a scale factor outside 1..1000; else as memcg_u64_parse(). */
int memcg_wmark_parse(const char *name, const char *buf, size_t len, struct memcg_wmark *w);

/* One controller's row of /proc/cgroups. Columns are found by the header
 * ("#subsys_name hierarchy num_cgroups enabled"), not by position.
 * num_cgroups counts cgroups until they are freed, so it includes dying
 * ones. */
struct proc_cgroups_row {
	uint64_t hierarchy, num_cgroups, enabled;
};

/* Returns 0; -ENODATA if subsys has no row (6.18 hides v2-only controllers)
 * or the header lacks num_cgroups; -EINVAL on a malformed row. */
int proc_cgroups_parse(const char *buf, size_t len, const char *subsys,
		       struct proc_cgroups_row *out);

/* Where the memory controller is mounted, from /proc/self/mounts text.
 * v1: an fstype "cgroup" mount whose options include "memory". v2: every
 * fstype "cgroup2" mount; the caller must still check its cgroup.controllers
 * for "memory" (a v2 mount beside v1 hierarchies has no controllers). Mount
 * points are unescaped (\040 -> ' ') and made relative (no leading '/'; ""
 * is the root itself). */
#define MEMCG_MOUNT_PATH_MAX 256
#define MEMCG_V2_MOUNTS_MAX 4
struct memcg_mounts {
	bool has_v1;
	char v1[MEMCG_MOUNT_PATH_MAX];
	size_t n_v2;
	char v2[MEMCG_V2_MOUNTS_MAX][MEMCG_MOUNT_PATH_MAX];
};

/* Returns 0 (even when nothing is found: check has_v1/n_v2); -EINVAL if a
 * line has fewer than 4 fields. Paths too long for the struct are skipped. */
int memcg_mounts_parse(const char *buf, size_t len, struct memcg_mounts *out);

/* True if the space-separated cgroup.controllers text lists `name`. */
bool cgroup_controllers_has(const char *buf, size_t len, const char *name);

#endif
