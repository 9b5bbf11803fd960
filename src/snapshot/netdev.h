/* netdev.h - what headroom knows of the network interfaces (sysfs
 * /sys/class/net/NAME/{mtu,queues/rx-*,device,speed}), as plain numbers.
 * Filled by kernel/vmread.c; judged by detect/vmcalc.c.
 */
#ifndef HR_SNAPSHOT_NETDEV_H
#define HR_SNAPSHOT_NETDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NETDEV_MAX 64

struct netdev_iface {
	char name[32];
	uint64_t mtu;		/* bytes; HR_UNSET if unreadable */
	uint32_t rx_queues;	/* entries rx-N in queues/ */
	bool physical;		/* has a `device` link: a real (or virtio) NIC with rings */
	int64_t speed_mbps;	/* -1: unknown (virtio, link down) */
};

struct netdev {
	struct netdev_iface ifs[NETDEV_MAX];
	size_t n, dropped;
};

#endif
