/* netns.c - see netns.h. */
#include "snapshot/netns.h"

#include <errno.h>

#include "util/parse.h"

/* Real input, readlink /proc/self/ns/net on Linux 6.18.44-fc-v769:
 * net:[4026531833]
 */
int netns_link_parse(const char *buf, size_t len, uint64_t *inode)
{
	uint64_t v;
	size_t used;

	if (len < 7 || !span_starts_with((struct hr_span){ buf, len }, "net:["))
		return -EINVAL;
	int rc = parse_u64(buf + 5, len - 5, &v, &used);
	if (rc)
		return rc;
	if (5 + used + 1 != len || buf[len - 1] != ']')
		return -EINVAL;
	*inode = v;
	return 0;
}
