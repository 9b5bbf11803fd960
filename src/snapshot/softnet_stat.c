/* softnet_stat.c - see softnet_stat.h. */
#include "snapshot/softnet_stat.h"

#include <errno.h>
#include <string.h>

#include "util/parse.h"

static void add(uint64_t *acc, uint64_t v)
{
	*acc = sat_add(*acc, v);
	if (*acc == HR_UNSET)
		*acc = HR_UNSET - 1;	/* HR_UNSET means absent */
}

/* Real input, Linux 6.18.44-fc-v769 x86_64, 2 vCPU VM (15 columns):
 * 0000067f 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000001 00000000 00000000
 */
int softnet_stat_parse(const char *buf, size_t len, struct softnet_stat *out)
{
	struct softnet_stat s;
	struct hr_span line, rest, tok;
	size_t pos = 0;

	memset(&s, 0, sizeof(s));
	while (span_next_line(buf, len, &pos, &line)) {
		unsigned col = 0;
		uint64_t flow = 0;

		rest = line;
		if (!span_trim(rest).len)
			continue;
		while (span_next_token(&rest, &tok)) {
			uint64_t v;
			size_t used;
			int rc = parse_hex_u64(tok.p, tok.len, &v, &used);

			if (rc)
				return rc;
			if (used != tok.len)
				return -EINVAL;
			if (col == 0)
				add(&s.processed, v);
			else if (col == 1)
				add(&s.dropped, v);
			else if (col == 2)
				add(&s.time_squeeze, v);
			else if (col == 10)
				flow = v;
			if (col == UINT32_MAX - 1)
				return -E2BIG;
			col++;
		}
		if (col < 3 || (s.ncpus && col != s.ncols))
			return -EINVAL;
		s.ncols = col;
		if (col > 10)
			add(&s.flow_limit_count, flow);
		s.ncpus++;
	}
	if (s.ncpus == 0)
		return -ENODATA;
	if (s.ncols <= 10)
		s.flow_limit_count = HR_UNSET;
	*out = s;
	return 0;
}
