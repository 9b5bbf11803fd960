/* swaps.c - see swaps.h. */
#include "snapshot/swaps.h"

#include <errno.h>
#include <string.h>

#include "snapshot/mountinfo.h"
#include "util/parse.h"

#define DELETED " (deleted)"

static int parse_entry(struct hr_span line, struct swaps_entry *e)
{
	struct hr_span rest = line, t;
	uint64_t kib;
	int rc = 0;

	memset(e, 0, sizeof(*e));
	if (!span_next_token(&rest, &t))
		return -EINVAL;
	long n = octal_unescape(t, e->path, sizeof(e->path));
	if (n < 0)
		return (int)n;
	size_t dl = strlen(DELETED);
	if ((size_t)n > dl && !strcmp(e->path + n - dl, DELETED)) {
		e->path[n - (long)dl] = '\0';
		e->deleted = true;
	}
	if (!span_next_token(&rest, &t))
		return -EINVAL;
	e->type = span_eq(t, "partition") ? SWAPS_PARTITION
		: span_eq(t, "file") ? SWAPS_FILE : SWAPS_OTHER;
	if (!span_next_token(&rest, &t) || (rc = parse_u64_field(t, &kib)))
		return rc ? rc : -EINVAL;
	e->size_bytes = sat_mul(kib, 1024);
	if (kib > UINT64_MAX / 1024)
		return -ERANGE;
	if (!span_next_token(&rest, &t) || (rc = parse_u64_field(t, &kib)))
		return rc ? rc : -EINVAL;
	if (kib > UINT64_MAX / 1024)
		return -ERANGE;
	e->used_bytes = kib * 1024;
	if (!span_next_token(&rest, &t))
		return -EINVAL;
	size_t used;
	if ((rc = parse_i64(t.p, t.len, &e->priority, &used)))
		return rc;
	if (used != t.len || e->used_bytes > e->size_bytes)
		return -EINVAL;
	return 0;
}

/*
 * Real input (Linux 6.18, from mm/swapfile.c swap_show(); this VM has no
 * swap, so only the header is real here):
 *   Filename				Type		Size		Used		Priority
 *   /swap\040file                           file		1048572		0		-2
 *   /dev/nbd0                               partition	4194300		0		-3
 */
int swaps_parse(const char *buf, size_t len, struct swaps *out)
{
	struct hr_span line;
	struct swaps_entry e;
	size_t pos = 0, n = 0;
	int rc = 0;

	if (!span_next_line(buf, len, &pos, &line))
		return -ENODATA;
	if (!span_starts_with(line, "Filename"))
		return -EINVAL;
	/* Validate first, then fill: *out is untouched on error. */
	for (int pass = 0; pass < 2; pass++) {
		size_t p = pos;
		n = 0;
		while (span_next_line(buf, len, &p, &line)) {
			if (!span_trim(line).len)
				continue;
			if (n == SWAPS_MAX)
				return -E2BIG;
			if ((rc = parse_entry(line, &e)))
				return rc;
			if (pass == 1)
				out->e[n] = e;
			n++;
		}
	}
	out->n = n;
	return 0;
}

const char *swaps_type_name(enum swaps_type t)
{
	switch (t) {
	case SWAPS_PARTITION: return "partition";
	case SWAPS_FILE: return "file";
	default: return "other";
	}
}
