/* kver.c - see kver.h. */
#include "snapshot/kver.h"

#include <errno.h>
#include <stdbool.h>
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

/* doc/kernel-facts.md A.1: 4.5 added cgroup v2 socket accounting; 5.15
 * removed the forced overcharge after a failed softirq charge (drops with
 * nothing let through); 5.15.77 (the backport of the 6.1-rc3 fix) and 6.1
 * charge GFP_ATOMIC in softirq, which goes past the limit instead. */
enum hr_sock_regime kver_memcg_sock_regime(const char *release, size_t len)
{
	unsigned major, minor;
	uint64_t sub = 0;
	size_t i = 0;

	if (!release || kver_parse(release, len, &major, &minor))
		return HR_SOCK_UNKNOWN;
	while (i < len && release[i] != '.')	/* past "MAJOR." */
		i++;
	i++;
	while (i < len && is_digit(release[i]))	/* past "MINOR" */
		i++;
	bool has_sub = i + 1 < len && release[i] == '.' && is_digit(release[i + 1]);
	if (has_sub) {
		size_t used;
		if (parse_u64(release + i + 1, len - i - 1, &sub, &used))
			return HR_SOCK_UNKNOWN;
		i += 1 + used;
	}
	if (!kver_at_least(major, minor, 4, 5))
		return HR_SOCK_NOT_ACCOUNTED;
	if (!kver_at_least(major, minor, 5, 15))
		return HR_SOCK_DROP_OVERCHARGE;
	if (major == 5 && minor == 15) {
		/* "5.15.0-91-generic": a distribution's ABI number, not the
		 * stable sublevel; its kernel may carry the 5.15.77 fix. */
		if (sub == 0 && has_sub && i < len && release[i] == '-')
			return HR_SOCK_UNKNOWN;
		return sub >= 77 ? HR_SOCK_OVERCHARGE : HR_SOCK_DROP;
	}
	if (major == 6 && minor == 0)
		return HR_SOCK_UNKNOWN;
	return HR_SOCK_OVERCHARGE;
}

const char *kver_sock_regime_text(enum hr_sock_regime r)
{
	switch (r) {
	case HR_SOCK_NOT_ACCOUNTED:
		return "is not charged to the cgroup at all (before 4.5)";
	case HR_SOCK_DROP_OVERCHARGE:
		return "drops the packet, then is forced past the limit, which lets the next "
		       "packets in (4.5-5.14)";
	case HR_SOCK_DROP:
		return "drops the packet and is not forced past the limit, so drops and stalls "
		       "last while the cgroup is at its limit (5.15.0-5.15.76)";
	case HR_SOCK_OVERCHARGE:
		return "never drops the packet: it is charged past memory.max (counted in "
		       "memory.events max) and the next allocating task reclaims (5.15.77+, 6.1+)";
	case HR_SOCK_UNKNOWN:
		break;
	}
	return "drops the packet on 4.5-5.15.76 and is charged past memory.max on 5.15.77+ "
	       "and 6.1+ (the release does not tell which applies)";
}
