/* netswap_class.h - classifying where a swap area's pages go (the pure half of
 * the netswap area; detect/netswap_class.c). No I/O, no allocation.
 */
#ifndef HR_DETECT_NETSWAP_CLASS_H
#define HR_DETECT_NETSWAP_CLASS_H

#include <stdbool.h>

#include "snapshot/vmsnap.h"

struct netswap_class {
	bool network;		/* pages written over the network */
	bool memalloc;		/* the transport socket gets SOCK_MEMALLOC (sk_set_memalloc) */
	const char *transport;	/* "nfs", "cifs", "nbd", "iscsi", "nvme-tcp", "rbd", "local", "unknown" */
	const char *device;	/* the network device or fstype that decided, "" if local */
};

/* A block device as seen in /sys/dev/block: network if its name is nbd%d /
 * rbd%d (partitions included), its resolved path runs through an iSCSI
 * session%u or nvme-fabrics, or its NVMe transport is tcp/rdma/fc
 * (KERNEL-FACTS H step 4). */
void netswap_classify_dev(const struct netswap_dev *d, struct netswap_class *out);

/* A filesystem type: nfs/nfs4 (network, memalloc via sunrpc when built
 * with CONFIG_NFS_SWAP), cifs/smb3 (network, no memalloc: the 6.18 source
 * has "TODO: add sk_set_memalloc"), others per mountinfo_fs_is_network(). */
void netswap_classify_fs(const char *fstype, struct netswap_class *out);

/* A resolved swap area: its filesystem when it is a network one, else any
 * network device in its device tree (dm/md: one network leg is enough, a
 * write to it still needs the network). Unresolved: transport "unknown". */
void netswap_classify(const struct netswap_swap *sw, struct netswap_class *out);

/* Value of "key=" in a comma-separated option string ("wsize" in
 * "rw,vers=4.2,wsize=1048576"); false if absent or not a number. */
bool netswap_opt_u64(const char *opts, const char *key, uint64_t *out);

#endif
