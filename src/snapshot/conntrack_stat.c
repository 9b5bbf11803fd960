/* conntrack_stat.c - see conntrack_stat.h. */
#include "snapshot/conntrack_stat.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "util/parse.h"

/* Header name -> field. offsetof keeps the table data, not code. */
static const struct {
	const char *name;
	size_t off;
} stat_cols[] = {
	{ "found", offsetof(struct conntrack_stat, found) },
	{ "invalid", offsetof(struct conntrack_stat, invalid) },
	{ "insert", offsetof(struct conntrack_stat, insert) },
	{ "insert_failed", offsetof(struct conntrack_stat, insert_failed) },
	{ "drop", offsetof(struct conntrack_stat, drop) },
	{ "early_drop", offsetof(struct conntrack_stat, early_drop) },
	{ "icmp_error", offsetof(struct conntrack_stat, icmp_error) },
	{ "search_restart", offsetof(struct conntrack_stat, search_restart) },
	{ "clashres", offsetof(struct conntrack_stat, clashres) },
	{ "chainlength", offsetof(struct conntrack_stat, chainlength) },
};

#define NSTAT (sizeof(stat_cols) / sizeof(stat_cols[0]))
#define COL_SKIP (-1)
#define COL_ENTRIES (-2)

static uint64_t *field(struct conntrack_stat *s, size_t off)
{
	return (uint64_t *)(void *)((char *)s + off);
}

/* Real input, Linux 6.18.44-fc-v769 x86_64, 2 vCPU VM (one row per CPU):
 * entries  clashres found new invalid ignore delete chainlength insert insert_failed drop early_drop icmp_error  expect_new expect_create expect_delete search_restart
 * 00000000  00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000  00000000 00000000 00000000 00000000
 */
int conntrack_stat_parse(const char *buf, size_t len, struct conntrack_stat *out)
{
	int map[CONNTRACK_STAT_COLS_MAX];
	struct conntrack_stat s;
	struct hr_span line, rest, tok;
	size_t pos = 0;
	unsigned ncols = 0;
	bool have_entries = false, have_drop = false;

	memset(&s, 0, sizeof(s));
	for (size_t i = 0; i < NSTAT; i++)
		*field(&s, stat_cols[i].off) = HR_UNSET;

	/* The header: the first non-empty line. */
	for (;;) {
		if (!span_next_line(buf, len, &pos, &line))
			return -ENODATA;
		if (span_trim(line).len)
			break;
	}
	rest = line;
	while (span_next_token(&rest, &tok)) {
		if (ncols == CONNTRACK_STAT_COLS_MAX)
			return -E2BIG;
		int m = COL_SKIP;
		if (span_eq(tok, "entries")) {
			m = COL_ENTRIES;
			have_entries = true;
		}
		for (size_t i = 0; i < NSTAT && m == COL_SKIP; i++) {
			if (span_eq(tok, stat_cols[i].name)) {
				m = (int)i;
				*field(&s, stat_cols[i].off) = 0;
				have_drop |= !strcmp(stat_cols[i].name, "drop");
			}
		}
		/* A name twice would make one column count double. */
		for (unsigned j = 0; j < ncols && m != COL_SKIP; j++)
			if (map[j] == m)
				return -EINVAL;
		map[ncols++] = m;
	}
	if (!have_entries || !have_drop)
		return -ENODATA;

	while (span_next_line(buf, len, &pos, &line)) {
		unsigned col = 0;

		rest = line;
		if (!span_trim(rest).len)
			continue;
		while (span_next_token(&rest, &tok)) {
			uint64_t v;
			size_t used;
			int rc;

			if (col == ncols)
				return -EINVAL;	/* more values than names */
			rc = parse_hex_u64(tok.p, tok.len, &v, &used);
			if (rc)
				return rc;
			if (used != tok.len)
				return -EINVAL;
			if (map[col] == COL_ENTRIES) {
				if (s.ncpus == 0)
					s.entries = v;
			} else if (map[col] >= 0) {
				uint64_t *f = field(&s, stat_cols[map[col]].off);
				/* Saturate one below HR_UNSET, which means absent. */
				*f = sat_add(*f, v);
				if (*f == HR_UNSET)
					*f = HR_UNSET - 1;
			}
			col++;
		}
		if (col != ncols)
			return -EINVAL;	/* a cut row */
		s.ncpus++;
	}
	if (s.ncpus == 0)
		return -ENODATA;
	s.ncols = ncols;
	*out = s;
	return 0;
}
