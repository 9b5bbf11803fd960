/* statm.c - /proc/PID/statm (see statm.h). */
#include "snapshot/statm.h"

#include <errno.h>

#include "util/parse.h"

/* Real input, /proc/self/statm of cat on 6.18.44-fc-v1045 x86_64:
 * 765 419 390 5 0 123 0 */
int statm_parse(const char *buf, size_t len, struct statm *out)
{
	struct statm s;
	size_t used;
	int rc;

	rc = parse_u64(buf, len, &s.size_pages, &used);
	if (rc)
		return rc;
	buf += used;
	len -= used;
	if (len < 2 || buf[0] != ' ')
		return -EINVAL;
	rc = parse_u64(buf + 1, len - 1, &s.resident_pages, &used);
	if (rc)
		return rc;
	used++;
	if (used < len && buf[used] != ' ' && buf[used] != '\n')
		return -EINVAL;
	*out = s;
	return 0;
}
