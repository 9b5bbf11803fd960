/* zoneinfo.c - see zoneinfo.h. */
#include "snapshot/zoneinfo.h"

#include <errno.h>
#include <string.h>

#include "util/parse.h"

/* Parses "Node 0, zone   Normal" into node and name. 0 or -EINVAL. */
static int zone_header(struct hr_span line, uint32_t *node, char *name, size_t cap)
{
	struct hr_span rest = line, tok;
	uint64_t v;
	size_t used;

	if (!span_next_token(&rest, &tok) || !span_eq(tok, "Node"))
		return -EINVAL;
	if (!span_next_token(&rest, &tok))
		return -EINVAL;
	int rc = parse_u64(tok.p, tok.len, &v, &used);
	if (rc)
		return rc;
	if (used + 1 != tok.len || tok.p[used] != ',' || v > UINT32_MAX)
		return -EINVAL;
	*node = (uint32_t)v;
	if (!span_next_token(&rest, &tok) || !span_eq(tok, "zone"))
		return -EINVAL;
	if (!span_next_token(&rest, &tok) || tok.len >= cap)
		return -EINVAL;
	span_copy(tok, name, cap);
	if (span_next_token(&rest, &tok))
		return -EINVAL;
	return 0;
}

/* "protection: (0, 3018, 4170, 4170, 4170)" */
static int protection(struct hr_span rest, struct zoneinfo_zone *z)
{
	rest = span_trim(rest);
	if (rest.len < 2 || rest.p[0] != '(' || rest.p[rest.len - 1] != ')')
		return -EINVAL;
	rest.p++;
	rest.len -= 2;
	z->nprotection = 0;
	while (rest.len) {
		long comma = span_find(rest, ",");
		struct hr_span f = { rest.p, comma < 0 ? rest.len : (size_t)comma };
		uint64_t v;
		int rc = parse_u64_field(f, &v);
		if (rc)
			return rc;
		if (z->nprotection == ZONEINFO_MAX_PROT)
			return -EINVAL;
		z->protection[z->nprotection++] = v;
		if (comma < 0)
			break;
		rest.p += comma + 1;
		rest.len -= (size_t)comma + 1;
	}
	return 0;
}

enum { K_FREE, K_BOOST, K_MIN, K_LOW, K_HIGH, K_PROMO, K_SPANNED, K_PRESENT,
       K_MANAGED, K_UNRECL, K_N };

static uint64_t *slot(struct zoneinfo_zone *z, int k)
{
	switch (k) {
	case K_FREE: return &z->free_pages;
	case K_BOOST: return &z->boost_pages;
	case K_MIN: return &z->min_pages;
	case K_LOW: return &z->low_pages;
	case K_HIGH: return &z->high_pages;
	case K_PROMO: return &z->promo_pages;
	case K_SPANNED: return &z->spanned_pages;
	case K_PRESENT: return &z->present_pages;
	case K_MANAGED: return &z->managed_pages;
	default: return &z->node_unreclaimable;
	}
}

static void zone_init(struct zoneinfo_zone *z)
{
	memset(z, 0, sizeof(*z));
	for (int k = 0; k < K_N; k++)
		*slot(z, k) = HR_UNSET;
}

static int zone_check(struct zoneinfo_zone *z)
{
	/* "managed" appeared in 3.8; before it, present is the best there is. */
	if (z->managed_pages == HR_UNSET)
		z->managed_pages = z->present_pages;
	if (z->free_pages == HR_UNSET || z->min_pages == HR_UNSET ||
	    z->low_pages == HR_UNSET || z->high_pages == HR_UNSET ||
	    z->managed_pages == HR_UNSET)
		return -EINVAL;
	if (z->min_pages > z->low_pages || z->low_pages > z->high_pages)
		return -EINVAL;
	return 0;
}

/*
 * Real input, Linux 6.18.44-fc-v769 x86_64 (2 vCPU VM), trimmed:
 *   Node 0, zone   Normal
 *     pages free     137418
 *           boost    0
 *           min      5013
 *           low      6266
 *           high     7519
 *           promo    8772
 *           spanned  5505024
 *           present  5505024
 *           managed  327680
 *           cma      0
 *           protection: (0, 0, 0, 0, 0)
 *         nr_free_pages 137418
 *     pagesets
 *       cpu: 0
 *                 count:    0
 *     node_unreclaimable:  0
 *     start_pfn:           1048576
 * Per-node stats ("nr_inactive_anon 71392") never use the zone key names,
 * and pageset keys end in ':' ("high:"), so whole-token matching is safe.
 */
int zoneinfo_parse(const char *buf, size_t len, struct zoneinfo *out)
{
	static const char *const names[K_N] = {
		"free", "boost", "min", "low", "high", "promo", "spanned",
		"present", "managed", "node_unreclaimable:",
	};
	struct zoneinfo *zi = out;
	struct hr_span line;
	size_t pos = 0, n = 0, dropped = 0;
	struct zoneinfo_zone cur;
	bool in_zone = false;
	int rc;

	/* Built in place would leave *out half-written on error; the struct
	 * is ~10 KiB, so keep the zones in *out only once the whole text is
	 * valid: parse twice (validate, then fill). */
	for (int pass = 0; pass < 2; pass++) {
		pos = 0;
		n = dropped = 0;
		in_zone = false;
		while (span_next_line(buf, len, &pos, &line)) {
			struct hr_span rest = line, key, val;

			if (span_starts_with(line, "Node ")) {
				if (in_zone) {
					if ((rc = zone_check(&cur)))
						return rc;
					if (pass == 1) {
						if (n < ZONEINFO_MAX_ZONES)
							zi->zones[n] = cur;
					}
					if (n < ZONEINFO_MAX_ZONES)
						n++;
					else
						dropped++;
				}
				zone_init(&cur);
				if ((rc = zone_header(line, &cur.node, cur.name, sizeof(cur.name))))
					return rc;
				in_zone = true;
				continue;
			}
			if (!in_zone || !span_next_token(&rest, &key))
				continue;
			if (span_eq(key, "pages")) {
				/* "pages free N" */
				if (!span_next_token(&rest, &key) || !span_eq(key, "free"))
					continue;
			} else if (span_eq(key, "free")) {
				continue;	/* only "pages free" is the zone's free */
			} else if (span_eq(key, "protection:")) {
				if ((rc = protection(rest, &cur)))
					return rc;
				continue;
			}
			for (int k = 0; k < K_N; k++) {
				if (!span_eq(key, names[k]))
					continue;
				if (!span_next_token(&rest, &val))
					return -EINVAL;
				uint64_t v;
				if ((rc = parse_u64_field(val, &v)))
					return rc;
				*slot(&cur, k) = v;
				break;
			}
		}
		if (!in_zone)
			return -ENODATA;
		if ((rc = zone_check(&cur)))
			return rc;
		if (pass == 1 && n < ZONEINFO_MAX_ZONES)
			zi->zones[n] = cur;
		if (n < ZONEINFO_MAX_ZONES)
			n++;
		else
			dropped++;
	}
	zi->n = n;
	zi->dropped = dropped;
	return 0;
}

const struct zoneinfo_zone *zoneinfo_find(const struct zoneinfo *zi, uint32_t node,
					  const char *name)
{
	for (size_t i = 0; i < zi->n; i++)
		if (zi->zones[i].node == node && !strcmp(zi->zones[i].name, name))
			return &zi->zones[i];
	return NULL;
}
