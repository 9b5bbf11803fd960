/* kver.c - see kver.h. */
#include "snapshot/kver.h"

#include <errno.h>
#include <stdint.h>

#include "util/parse.h"

/* Real input, /proc/sys/kernel/osrelease: 6.18.44-fc-v769 */
int kver_parse(const char *buf, size_t len, unsigned *major, unsigned *minor)
{
	uint64_t a, b;
	size_t u1, u2;
	int rc = parse_u64(buf, len, &a, &u1);

	if (rc)
		return rc;
	if (u1 >= len || buf[u1] != '.')
		return -EINVAL;
	rc = parse_u64(buf + u1 + 1, len - u1 - 1, &b, &u2);
	if (rc)
		return rc;
	if (a > 65535 || b > 65535)
		return -ERANGE;
	*major = (unsigned)a;
	*minor = (unsigned)b;
	return 0;
}
