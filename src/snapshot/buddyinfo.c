/* buddyinfo.c - see buddyinfo.h. */
#include "snapshot/buddyinfo.h"

#include <errno.h>
#include <string.h>

#include "util/parse.h"

/*
 * Real input, Linux 6.18.44-fc-v769 x86_64 (2 vCPU VM):
 *   Node 0, zone   Normal    133     85      4     29     79     37    170    183     79      0     32
 * Positional by order (the kernel prints "%6lu " for 0..NR_PAGE_ORDERS-1).
 */
static int parse_line(struct hr_span line, struct buddyinfo_zone *z)
{
	struct hr_span rest = line, tok;
	uint64_t v;
	size_t used;
	int rc;

	memset(z, 0, sizeof(*z));
	if (!span_next_token(&rest, &tok) || !span_eq(tok, "Node"))
		return -EINVAL;
	if (!span_next_token(&rest, &tok))
		return -EINVAL;
	if ((rc = parse_u64(tok.p, tok.len, &v, &used)))
		return rc;
	if (used + 1 != tok.len || tok.p[used] != ',' || v > UINT32_MAX)
		return -EINVAL;
	z->node = (uint32_t)v;
	if (!span_next_token(&rest, &tok) || !span_eq(tok, "zone"))
		return -EINVAL;
	if (!span_next_token(&rest, &tok) || tok.len >= sizeof(z->name))
		return -EINVAL;
	span_copy(tok, z->name, sizeof(z->name));
	while (span_next_token(&rest, &tok)) {
		if (z->norders == BUDDYINFO_MAX_ORDERS)
			return -E2BIG;
		if ((rc = parse_u64_field(tok, &v)))
			return rc;
		z->blocks[z->norders++] = v;
	}
	return z->norders ? 0 : -EINVAL;
}

int buddyinfo_parse(const char *buf, size_t len, struct buddyinfo *out)
{
	struct hr_span line;
	struct buddyinfo_zone z;
	size_t n = 0, dropped = 0;
	int rc;

	/* Validate everything first so *out is untouched on error. */
	for (int pass = 0; pass < 2; pass++) {
		size_t pos = 0;
		n = dropped = 0;
		while (span_next_line(buf, len, &pos, &line)) {
			if (!span_trim(line).len)
				continue;
			if ((rc = parse_line(line, &z)))
				return rc;
			if (n == BUDDYINFO_MAX_ZONES) {
				dropped++;
				continue;
			}
			if (pass == 1)
				out->zones[n] = z;
			n++;
		}
		if (n + dropped == 0)
			return -ENODATA;
	}
	out->n = n;
	out->dropped = dropped;
	return 0;
}

const struct buddyinfo_zone *buddyinfo_find(const struct buddyinfo *bi, uint32_t node,
					    const char *name)
{
	for (size_t i = 0; i < bi->n; i++)
		if (bi->zones[i].node == node && !strcmp(bi->zones[i].name, name))
			return &bi->zones[i];
	return NULL;
}

int buddyinfo_largest_order(const struct buddyinfo_zone *z)
{
	for (size_t o = z->norders; o-- > 0;)
		if (z->blocks[o])
			return (int)o;
	return -1;
}

uint64_t buddyinfo_pages_from(const struct buddyinfo_zone *z, unsigned min_order)
{
	uint64_t sum = 0;

	for (size_t o = min_order; o < z->norders; o++)
		sum = sat_add(sum, sat_mul(z->blocks[o], (uint64_t)1 << o));
	return sum;
}
