/* sockstat.c - see sockstat.h. */
#include "snapshot/sockstat.h"

#include <errno.h>
#include <string.h>

#include "util/parse.h"

static const struct {
	const char *proto;
	const char *name;
	size_t off;
} ss_keys[] = {
	{ "sockets:", "used", offsetof(struct sockstat, sockets_used) },
	{ "TCP:", "inuse", offsetof(struct sockstat, tcp_inuse) },
	{ "TCP:", "orphan", offsetof(struct sockstat, tcp_orphan) },
	{ "TCP:", "tw", offsetof(struct sockstat, tcp_tw) },
	{ "TCP:", "alloc", offsetof(struct sockstat, tcp_alloc) },
	{ "TCP:", "mem", offsetof(struct sockstat, tcp_mem_pages) },
	{ "UDP:", "inuse", offsetof(struct sockstat, udp_inuse) },
	{ "UDP:", "mem", offsetof(struct sockstat, udp_mem_pages) },
};

/* Real input, Linux 6.18.44-fc-v769 x86_64:
 * sockets: used 16
 * TCP: inuse 1 orphan 0 tw 0 alloc 1 mem 241
 * UDP: inuse 0 mem 0
 * UDPLITE: inuse 0
 */
int sockstat_parse(const char *buf, size_t len, struct sockstat *out)
{
	struct sockstat s;
	struct hr_span line;
	size_t pos = 0;

	for (size_t i = 0; i < sizeof(ss_keys) / sizeof(ss_keys[0]); i++)
		*(uint64_t *)(void *)((char *)&s + ss_keys[i].off) = HR_UNSET;
	while (span_next_line(buf, len, &pos, &line)) {
		struct hr_span rest = line, proto, name, val;

		if (!span_next_token(&rest, &proto))
			continue;
		while (span_next_token(&rest, &name)) {
			if (!span_next_token(&rest, &val))
				return -EINVAL;
			for (size_t i = 0; i < sizeof(ss_keys) / sizeof(ss_keys[0]); i++) {
				if (!span_eq(proto, ss_keys[i].proto) || !span_eq(name, ss_keys[i].name))
					continue;
				uint64_t v;
				size_t used;
				int rc = parse_u64(val.p, val.len, &v, &used);
				if (rc)
					return rc;
				if (used != val.len)
					return -EINVAL;
				*(uint64_t *)(void *)((char *)&s + ss_keys[i].off) = v;
			}
		}
	}
	if (s.tcp_mem_pages == HR_UNSET)
		return -ENODATA;
	*out = s;
	return 0;
}

/* Real input, Linux 6.18.44-fc-v769, 25 GB VM (/proc/sys/net/ipv4/tcp_mem):
 * 287898	383866	575796
 */
int mem_limits_parse(const char *buf, size_t len, uint64_t out[3])
{
	struct hr_span rest = { buf, len }, tok;
	uint64_t v[3];
	size_t n = 0;

	while (span_next_token(&rest, &tok)) {
		if (n == 3)
			return -EINVAL;
		int rc = parse_u64_field(tok, &v[n]);
		if (rc)
			return rc;
		n++;
	}
	if (n != 3)
		return -EINVAL;
	memcpy(out, v, sizeof(v));
	return 0;
}
