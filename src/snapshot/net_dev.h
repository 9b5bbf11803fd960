/* net_dev.h - the one network-interface type: /proc/net/dev's per-interface
 * counters of this netns, and what sysfs adds (/sys/class/net/IF/...: the
 * drop split, MTU, rx queues, device link, speed), filled by
 * kernel/iface_read.c. The net area lists interfaces from /proc/net/dev, the
 * zones and netswap areas (NIC ring reserve) from /sys/class/net; fields a
 * lister did not read stay HR_UNSET (speed_mbps -1).
 *
 * Two header lines, then "name: values". The second header line names the
 * receive and transmit columns between '|' separators; they are looked up by
 * name ("drop", "fifo"...), so a kernel that adds a column still parses.
 * The "drop" column is rx_dropped + rx_missed_errors (dev_seq_printf_stats,
 * net/core/net-procfs.c); /sys/class/net/IF/statistics has them apart.
 * net_dev_parse() is pure: no I/O, no allocation, no logging.
 */
#ifndef HR_SNAPSHOT_NET_DEV_H
#define HR_SNAPSHOT_NET_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NET_DEV_MAX 64		/* interfaces kept; more are counted in `dropped` */
#define NET_DEV_NAME_MAX 16	/* IFNAMSIZ */
#define NET_DEV_COLS_MAX 32

struct net_dev_if {
	char name[NET_DEV_NAME_MAX];
	/* HR_UNSET when the column is absent. */
	uint64_t rx_bytes;
	uint64_t rx_packets;
	uint64_t rx_errs;
	uint64_t rx_drop;
	uint64_t rx_fifo;
	uint64_t tx_drop;
	/* Not in /proc/net/dev: filled by the sampler from sysfs, HR_UNSET
	 * when not read. */
	uint64_t rx_dropped_sys;
	uint64_t rx_missed_sys;
	/* sysfs attributes (kernel/iface_read.c iface_list_sysfs). */
	uint64_t mtu;		/* bytes; HR_UNSET if unreadable */
	uint32_t rx_queues;	/* entries rx-N in queues/ */
	bool physical;		/* has a `device` link: a real (or virtio) NIC with rings */
	int64_t speed_mbps;	/* -1: unknown (virtio, link down) */
};

struct net_dev {
	size_t n;
	size_t dropped;		/* interfaces beyond NET_DEV_MAX */
	struct net_dev_if ifs[NET_DEV_MAX];
};

/* Fills *out from buf[0..len). Returns 0 (zero interfaces is valid: a
 * netns without lo is possible); -ENODATA if the two header lines are
 * missing; -EINVAL if the header has no '|'-separated receive and transmit
 * names, a row has no "name:" or a different value count than the header,
 * or a value is not decimal; -ERANGE on overflow; -E2BIG with more than
 * NET_DEV_COLS_MAX columns. *out is untouched on error (it is large: the
 * parser fills it in place only after the whole text checked out, so it
 * parses twice). */
int net_dev_parse(const char *buf, size_t len, struct net_dev *out);

#endif
