/* memcg.c - see memcg.h. */
#include "snapshot/memcg.h"

#include <errno.h>
#include <string.h>

/* memory.stat, cgroup v1, Linux 6.18.44 x86_64 (this project's test VM):
 *   cache 2711552
 *   total_cache 2711552
 *   hierarchical_memory_limit 9223372036854771712
 * memory.stat, cgroup v2, Linux 6.6:
 *   anon 1683456
 *   file 2711552
 *   sock 0
 */
#define STAT_KEYS(X)                                                          \
	X(cache) X(rss) X(mapped_file) X(shmem) X(dirty) X(writeback)         \
	X(inactive_file) X(active_file) X(unevictable)                        \
	X(total_cache) X(total_rss) X(total_mapped_file) X(total_shmem)       \
	X(total_inactive_file) X(total_active_file) X(total_unevictable)      \
	X(hierarchical_memory_limit)                                          \
	X(anon) X(file) X(sock) X(file_dirty) X(file_writeback)

enum {
#define X(k) STAT_##k,
	STAT_KEYS(X)
#undef X
	STAT_N
};

int memcg_stat_parse(const char *buf, size_t len, struct memcg_stat *out)
{
	static const struct hr_kv_key keys[] = {
#define X(k) { #k, STAT_##k },
		STAT_KEYS(X)
#undef X
	};
	uint64_t v[STAT_N];
	int n = kv_parse(buf, len, keys, STAT_N, v, false);

	if (n < 0)
		return n;
	if (n == 0)
		return -ENODATA;
#define X(k) out->k = v[STAT_##k];
	STAT_KEYS(X)
#undef X
	return 0;
}

/* memory.events, cgroup v2, Linux 6.6:
 *   low 0
 *   high 0
 *   max 1523
 *   oom 0
 *   oom_kill 0
 *   oom_group_kill 0
 */
#define EVENT_KEYS(X) X(low) X(high) X(max) X(oom) X(oom_kill) X(oom_group_kill) X(sock_throttled)

enum {
#define X(k) EV_##k,
	EVENT_KEYS(X)
#undef X
	EV_N
};

int memcg_events_parse(const char *buf, size_t len, struct memcg_events *out)
{
	static const struct hr_kv_key keys[] = {
#define X(k) { #k, EV_##k },
		EVENT_KEYS(X)
#undef X
	};
	uint64_t v[EV_N];
	int n = kv_parse(buf, len, keys, EV_N, v, false);

	if (n < 0)
		return n;
	if (v[EV_max] == HR_UNSET && v[EV_high] == HR_UNSET && v[EV_oom] == HR_UNSET)
		return -ENODATA;
#define X(k) out->k = v[EV_##k];
	EVENT_KEYS(X)
#undef X
	return 0;
}

/* cgroup.stat, Linux 6.18:
 *   nr_descendants 3
 *   nr_subsys_memory 4
 *   nr_dying_descendants 12
 *   nr_dying_subsys_memory 12
 */
int cgroup_stat_parse(const char *buf, size_t len, struct cgroup_stat *out)
{
	static const struct hr_kv_key keys[] = {
		{ "nr_descendants", 0 },
		{ "nr_dying_descendants", 1 },
		{ "nr_dying_subsys_memory", 2 },
	};
	uint64_t v[3];
	int n = kv_parse(buf, len, keys, 3, v, false);

	if (n < 0)
		return n;
	if (v[1] == HR_UNSET)
		return -ENODATA;
	out->nr_descendants = v[0];
	out->nr_dying_descendants = v[1];
	out->nr_dying_subsys_memory = v[2];
	return 0;
}

/* memory.usage_in_bytes, Linux 6.18.44 (v1): "5533696\n" */
int memcg_u64_parse(const char *buf, size_t len, uint64_t *out)
{
	struct hr_span f = span_trim((struct hr_span){ buf, len });
	uint64_t v;
	size_t used;
	int rc;

	if (f.len == 0)
		return -EINVAL;
	rc = parse_u64(f.p, f.len, &v, &used);
	if (rc)
		return rc;
	if (used != f.len)
		return -EINVAL;
	*out = v;
	return 0;
}

/* memory.max (v2): "max\n" or "67108864\n"; memory.limit_in_bytes (v1,
 * 6.18.44, unlimited): "9223372036854771712\n" */
int memcg_limit_parse(const char *buf, size_t len, uint64_t *out)
{
	struct hr_span f = span_trim((struct hr_span){ buf, len });
	uint64_t v;
	int rc;

	if (span_eq(f, "max")) {
		*out = MEMCG_NO_LIMIT;
		return 0;
	}
	rc = memcg_u64_parse(buf, len, &v);
	if (rc)
		return rc;
	*out = v >= MEMCG_LIMIT_HUGE ? MEMCG_NO_LIMIT : v;
	return 0;
}

/* memory.wmark_ratio (Alibaba Cloud Linux 3, 5.10.134-12.al8): "0\n";
 * memory.wmark_scale_factor: "50\n"; memory.wmark_high: "9223372036854771712\n"
 * while the ratio is 0. */
int memcg_wmark_parse(const char *name, const char *buf, size_t len, struct memcg_wmark *w)
{
	uint64_t v;
	int rc;

	if (!name)
		return -ENOENT;
	if (!strcmp(name, "memory.wmark_ratio")) {
		if ((rc = memcg_u64_parse(buf, len, &v)))
			return rc;
		if (v > 100)
			return -ERANGE;
		w->ratio = v;
	} else if (!strcmp(name, "memory.wmark_scale_factor")) {
		if ((rc = memcg_u64_parse(buf, len, &v)))
			return rc;
		if (v < 1 || v > 1000)
			return -ERANGE;
		w->scale_factor = v;
	} else if (!strcmp(name, "memory.wmark_high")) {
		if ((rc = memcg_u64_parse(buf, len, &v)))
			return rc;
		w->high_bytes = v;
	} else if (!strcmp(name, "memory.wmark_low")) {
		if ((rc = memcg_u64_parse(buf, len, &v)))
			return rc;
		w->low_bytes = v;
	} else {
		return -ENOENT;
	}
	return 0;
}

/* /proc/cgroups, Linux 6.18.44:
 *   #subsys_name	hierarchy	num_cgroups	enabled
 *   memory	4	32	1
 */
int proc_cgroups_parse(const char *buf, size_t len, const char *subsys,
		       struct proc_cgroups_row *out)
{
	enum { COLS_MAX = 16 };
	int col_h = -1, col_n = -1, col_e = -1, ncols = 0;
	struct hr_span line, rest, tok;
	size_t pos = 0;
	bool header = false;

	while (span_next_line(buf, len, &pos, &line)) {
		rest = line;
		if (!span_next_token(&rest, &tok))
			continue;
		if (tok.len && tok.p[0] == '#') {
			/* The header names the columns; the first is "#subsys_name". */
			header = true;
			ncols = 1;
			col_h = col_n = col_e = -1;
			while (span_next_token(&rest, &tok) && ncols < COLS_MAX) {
				if (span_eq(tok, "hierarchy"))
					col_h = ncols;
				else if (span_eq(tok, "num_cgroups"))
					col_n = ncols;
				else if (span_eq(tok, "enabled"))
					col_e = ncols;
				ncols++;
			}
			continue;
		}
		if (!span_eq(tok, subsys))
			continue;
		if (!header || col_n < 0)
			return -ENODATA;
		uint64_t v[COLS_MAX];
		int i = 1;
		for (int k = 0; k < COLS_MAX; k++)
			v[k] = HR_UNSET;
		while (i < ncols && span_next_token(&rest, &tok)) {
			int rc = parse_u64_field(tok, &v[i]);
			if (rc)
				return rc;
			i++;
		}
		if (i < ncols)
			return -EINVAL;
		out->hierarchy = col_h >= 0 ? v[col_h] : HR_UNSET;
		out->num_cgroups = v[col_n];
		out->enabled = col_e >= 0 ? v[col_e] : HR_UNSET;
		return 0;
	}
	return -ENODATA;
}

/* Copies a mount point, undoing the kernel's octal escapes of ' ', '\t',
 * '\n' and '\\' (seq_file mangle_path), and dropping the leading '/'.
 * False if it does not fit or is not absolute. */
static bool mount_path_copy(struct hr_span s, char *dst, size_t cap)
{
	size_t o = 0, i = 0;

	if (s.len == 0 || s.p[0] != '/')
		return false;
	i = 1;
	while (i < s.len) {
		char c = s.p[i];
		if (c == '\\' && i + 3 < s.len &&
		    s.p[i + 1] >= '0' && s.p[i + 1] <= '3' &&
		    s.p[i + 2] >= '0' && s.p[i + 2] <= '7' &&
		    s.p[i + 3] >= '0' && s.p[i + 3] <= '7') {
			c = (char)((s.p[i + 1] - '0') * 64 + (s.p[i + 2] - '0') * 8 + (s.p[i + 3] - '0'));
			i += 4;
		} else {
			i++;
		}
		if (o + 1 >= cap)
			return false;
		dst[o++] = c;
	}
	/* Trailing '/' of "/sys/fs/cgroup/memory/" is not part of the name. */
	while (o > 0 && dst[o - 1] == '/')
		o--;
	dst[o] = '\0';
	return true;
}

static bool opts_have(struct hr_span opts, const char *name)
{
	size_t start = 0;

	for (size_t i = 0; i <= opts.len; i++) {
		if (i == opts.len || opts.p[i] == ',') {
			struct hr_span o = { opts.p + start, i - start };
			if (span_eq(o, name))
				return true;
			start = i + 1;
		}
	}
	return false;
}

/* /proc/self/mounts, Linux 6.18.44 (this VM):
 *   cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0
 *   cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0
 */
int memcg_mounts_parse(const char *buf, size_t len, struct memcg_mounts *out)
{
	struct memcg_mounts m;
	struct hr_span line, rest, dev, mnt, type, opts;
	size_t pos = 0;

	memset(&m, 0, sizeof(m));
	while (span_next_line(buf, len, &pos, &line)) {
		rest = line;
		if (!span_next_token(&rest, &dev))
			continue;	/* blank line */
		if (!span_next_token(&rest, &mnt) || !span_next_token(&rest, &type) ||
		    !span_next_token(&rest, &opts))
			return -EINVAL;
		if (span_eq(type, "cgroup") && !m.has_v1 && opts_have(opts, "memory")) {
			if (mount_path_copy(mnt, m.v1, sizeof(m.v1)))
				m.has_v1 = true;
		} else if (span_eq(type, "cgroup2") && m.n_v2 < MEMCG_V2_MOUNTS_MAX) {
			if (mount_path_copy(mnt, m.v2[m.n_v2], sizeof(m.v2[0])))
				m.n_v2++;
		}
	}
	*out = m;
	return 0;
}

/* cgroup.controllers, Linux 6.6: "cpuset cpu io memory hugetlb pids rdma misc\n" */
bool cgroup_controllers_has(const char *buf, size_t len, const char *name)
{
	struct hr_span rest = { buf, len }, tok;

	while (span_next_token(&rest, &tok))
		if (span_eq(tok, name))
			return true;
	return false;
}
