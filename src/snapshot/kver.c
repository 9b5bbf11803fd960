/* kver.c - see kver.h. */
#include "snapshot/kver.h"

#include <errno.h>

#include "util/parse.h"

static int part(const char **p, const char *end, uint32_t *out)
{
	uint64_t v;
	size_t used;
	int rc = parse_u64(*p, (size_t)(end - *p), &v, &used);

	if (rc)
		return rc;
	if (v > UINT32_MAX)
		return -ERANGE;
	*out = (uint32_t)v;
	*p += used;
	return 0;
}

/* Real input, this VM: "6.18.44-fc-v769" */
int kver_parse(const char *buf, size_t len, struct kver *out)
{
	const char *p = buf, *end = buf + len;
	struct kver v = { 0, 0, 0 };
	int rc;

	if (!len)
		return -ENODATA;
	if ((rc = part(&p, end, &v.major)))
		return rc;
	if (p == end || *p != '.')
		return -EINVAL;
	p++;
	if ((rc = part(&p, end, &v.minor)))
		return rc;
	if (p < end && *p == '.' && p + 1 < end && p[1] >= '0' && p[1] <= '9') {
		p++;
		if ((rc = part(&p, end, &v.patch)))
			return rc;
	}
	*out = v;
	return 0;
}

bool kver_at_least(const struct kver *v, uint32_t major, uint32_t minor)
{
	if (!v->major)
		return false;
	return v->major > major || (v->major == major && v->minor >= minor);
}
