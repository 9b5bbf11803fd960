/* kver.h - the kernel release as numbers, for "which default applies".
 *
 * kver_parse() reads the leading "MAJOR.MINOR" of /proc/sys/kernel/osrelease
 * ("6.18.44-fc-v769"); what follows is vendor text and ignored. Pure.
 */
#ifndef HR_SNAPSHOT_KVER_H
#define HR_SNAPSHOT_KVER_H

#include <stddef.h>

/* Returns 0; -EINVAL unless the text starts "N.N"; -ERANGE if a part is
 * above 65535. *major and *minor are untouched on error. */
int kver_parse(const char *buf, size_t len, unsigned *major, unsigned *minor);

/* True if major.minor >= want_major.want_minor. */
static inline int kver_at_least(unsigned major, unsigned minor, unsigned want_major,
				unsigned want_minor)
{
	return major > want_major || (major == want_major && minor >= want_minor);
}

#endif
