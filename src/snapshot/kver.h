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

/* What a cgroup v2 socket charge made in softirq (packet receive) does
 * when the cgroup is at memory.max, by kernel release
 * (doc/kernel-facts.md A.1). */
enum hr_sock_regime {
	HR_SOCK_UNKNOWN,	/* no release, 6.0.y (backport sublevel not
				 * recorded), or a vendor "5.15.0-N" whose N
				 * does not give the stable sublevel */
	HR_SOCK_NOT_ACCOUNTED,	/* < 4.5: cgroup v2 charges no socket memory */
	HR_SOCK_DROP_OVERCHARGE, /* 4.5 - 5.14: the packet is dropped, then the
				 * charge is forced, which lets the next ones in */
	HR_SOCK_DROP,		/* 5.15.0 - 5.15.76: dropped, no overcharge */
	HR_SOCK_OVERCHARGE,	/* 5.15.77+, 6.1+: never dropped there; charged
				 * past memory.max, counted in memory.events max */
};

/* The regime of a release string ("6.1.0-18-amd64", "5.15.76",
 * "5.15.0-91-generic"); len bytes, need not be NUL-terminated. */
enum hr_sock_regime kver_memcg_sock_regime(const char *release, size_t len);

/* One clause for a finding's text, e.g. "drops the packet and then
 * overcharges (4.5-5.14)". Never NULL. */
const char *kver_sock_regime_text(enum hr_sock_regime r);

#endif
