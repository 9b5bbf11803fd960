/* fuzz_net.c - every /proc/net parser of the conntrack and netloss areas
 * over the same arbitrary bytes (seeds: real files from 6.18.44 x86_64). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "snapshot/conntrack_stat.h"
#include "snapshot/kver.h"
#include "snapshot/net_dev.h"
#include "snapshot/netns.h"
#include "snapshot/snmp.h"
#include "snapshot/sockstat.h"
#include "snapshot/softnet_stat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct hr_kv_key keys[] = {
		{ "Udp:RcvbufErrors", 0 }, { "Udp:MemErrors", 1 }, { "TcpExt:TCPRcvQDrop", 2 },
		{ "TcpExt:PruneCalled", 3 },
	};
	const char *s = (const char *)data;
	struct conntrack_stat ct;
	struct softnet_stat sn;
	struct sockstat ss;
	uint64_t vals[4], lim[3], ino;
	unsigned a, b;
	struct net_dev *dev = malloc(sizeof(*dev));

	conntrack_stat_parse(s, size, &ct);
	snmp_parse(s, size, keys, 4, vals);
	sockstat_parse(s, size, &ss);
	mem_limits_parse(s, size, lim);
	softnet_stat_parse(s, size, &sn);
	if (dev)
		net_dev_parse(s, size, dev);
	netns_link_parse(s, size, &ino);
	kver_parse(s, size, &a, &b);
	free(dev);
	return 0;
}
