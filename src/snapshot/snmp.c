/* snmp.c - see snmp.h. */
#include "snapshot/snmp.h"

#include <errno.h>
#include <string.h>

/* True if key is "<prefix>:<name>" for the spans given (prefix without
 * its colon). */
static bool key_is(const char *key, struct hr_span prefix, struct hr_span name)
{
	size_t kl = strlen(key);

	return kl == prefix.len + 1 + name.len &&
	       memcmp(key, prefix.p, prefix.len) == 0 && key[prefix.len] == ':' &&
	       memcmp(key + prefix.len + 1, name.p, name.len) == 0;
}

/* Real input, Linux 6.18.44-fc-v769 x86_64 (/proc/net/snmp):
 * Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
 * Udp: 29 0 0 30 0 0 0 0 0
 * /proc/net/netstat has the same shape ("TcpExt: SyncookiesSent ...").
 */
int snmp_parse(const char *buf, size_t len, const struct hr_kv_key *keys,
	       size_t nkeys, uint64_t *vals)
{
	struct hr_span hdr, val;
	size_t pos = 0;
	int found = 0, pairs = 0;

	for (size_t i = 0; i < nkeys; i++)
		vals[keys[i].index] = HR_UNSET;
	while (span_next_line(buf, len, &pos, &hdr)) {
		struct hr_span hrest = hdr, vrest, hp, vp, name, v;

		if (!span_next_token(&hrest, &hp))
			continue;	/* blank line */
		if (hp.len < 2 || hp.p[hp.len - 1] != ':')
			return -EINVAL;
		if (!span_next_line(buf, len, &pos, &val))
			return -EINVAL;	/* header without values: cut file */
		vrest = val;
		if (!span_next_token(&vrest, &vp) || vp.len != hp.len ||
		    memcmp(vp.p, hp.p, hp.len) != 0)
			return -EINVAL;
		hp.len--;
		pairs++;
		for (;;) {
			bool hn = span_next_token(&hrest, &name);
			bool vn = span_next_token(&vrest, &v);

			if (hn != vn)
				return -EINVAL;	/* count mismatch */
			if (!hn)
				break;
			for (size_t i = 0; i < nkeys; i++) {
				if (!key_is(keys[i].key, hp, name))
					continue;
				uint64_t x;
				size_t used;
				int rc = parse_u64(v.p, v.len, &x, &used);
				if (rc)
					return rc;
				if (used != v.len)
					return -EINVAL;
				if (vals[keys[i].index] == HR_UNSET)
					found++;
				vals[keys[i].index] = x;
			}
		}
	}
	return pairs ? found : -ENODATA;
}
