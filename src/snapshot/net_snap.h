/* net_snap.h - what the conntrack and netloss areas read, as plain structs.
 *
 * Filled by conntrack_sample() / netloss_sample() (src/kernel/net_sample.c),
 * judged by src/detect/conntrack_judge.c and src/detect/netloss_judge.c. Every number
 * that could not be read, or that this kernel does not have, is HR_UNSET;
 * the have_* flags tell "file unreadable" (a note was recorded) from
 * "counter not on this kernel" (file read, key absent).
 */
#ifndef HR_SNAPSHOT_NET_SNAP_H
#define HR_SNAPSHOT_NET_SNAP_H

#include <stdbool.h>
#include <stdint.h>

#include "snapshot/conntrack_stat.h"
#include "snapshot/ct_breakdown.h"
#include "snapshot/net_dev.h"
#include "snapshot/softnet_stat.h"
#include "snapshot/sockstat.h"

#define NET_SUBJECT_MAX 128

/* Which network namespace the /proc/net files described. */
struct net_ns {
	char subject[NET_SUBJECT_MAX];	/* "netns 4026531833 (same as pid 1)" */
	uint64_t inode;			/* HR_UNSET if the link was unreadable */
	int is_pid1;			/* 1 same netns as pid 1, 0 not, -1 unknown */
};

struct conntrack_snap {
	struct net_ns ns;
	bool loaded;		/* nf_conntrack sysctls or stat file present */
	uint64_t count;		/* net.netfilter.nf_conntrack_count (per netns) */
	uint64_t max;		/* nf_conntrack_max (global; 0 = no limit) */
	uint64_t buckets;	/* nf_conntrack_buckets (global hash size) */
	uint64_t tw_timeout_sec;	/* nf_conntrack_tcp_timeout_time_wait */
	bool have_stat;
	struct conntrack_stat stat;
	uint64_t mem_total_bytes;	/* MemTotal, for sizing advice */
	unsigned kmajor, kminor;	/* 0.0 if osrelease was unreadable */
	/* Who fills the table, over ctnetlink: live host only (a capture has
	 * no table to dump), so under --root it is absent (present false). */
	struct ct_breakdown breakdown;
};

enum netloss_ctr {
	NL_UDP_INERRORS,	/* Udp: InErrors */
	NL_UDP_RCVBUF,		/* Udp: RcvbufErrors */
	NL_UDP_INCSUM,		/* Udp: InCsumErrors */
	NL_UDP_MEM,		/* Udp: MemErrors (6.18; absent 4.19, 5.10) */
	NL_UDP6_RCVBUF,		/* snmp6 Udp6RcvbufErrors */
	NL_UDP6_MEM,		/* snmp6 Udp6MemErrors */
	NL_TCP_RCVQ_DROP,	/* TcpExt: TCPRcvQDrop (4.19+) */
	NL_PRUNE_CALLED,	/* TcpExt: PruneCalled */
	NL_RCV_PRUNED,		/* TcpExt: RcvPruned */
	NL_OFO_PRUNED,		/* TcpExt: OfoPruned */
	NL_TCP_OFO_DROP,	/* TcpExt: TCPOFODrop */
	NL_TCP_MEM_PRESSURES,	/* TcpExt: TCPMemoryPressures */
	NL_TCP_ABORT_ON_MEMORY,	/* TcpExt: TCPAbortOnMemory */
	NL_TCP_BACKLOG_DROP,	/* TcpExt: TCPBacklogDrop */
	NL_PFMEMALLOC_DROP,	/* TcpExt: PFMemallocDrop (4.19+) */
	NL_COUNT,		/* the counters the net judge reads; the rest are exported only */
	/* TcpExt: TCPRcvCollapsed: segments merged to fit the receive buffer
	 * (tcp_collapse, before any prune drops data); a cost, not a loss,
	 * so no finding: it is on /metrics beside the losses it precedes. */
	NL_TCP_RCV_COLLAPSED = NL_COUNT,
	NL_EXPORTED		/* every counter read and exported */
};

enum netloss_src { NL_SRC_SNMP, NL_SRC_NETSTAT, NL_SRC_SNMP6 };

/* Name of each counter as the kernel spells it, and the file it is in. */
struct netloss_ctr_desc {
	const char *key;	/* "Udp:MemErrors" (snmp/netstat) or "Udp6MemErrors" */
	const char *fact;	/* fact name in findings */
	enum netloss_src src;
};
extern const struct netloss_ctr_desc netloss_ctrs[NL_EXPORTED];

struct netloss_snap {
	struct net_ns ns;
	bool have_snmp, have_netstat, have_snmp6;
	uint64_t c[NL_EXPORTED];
	bool have_sockstat;
	struct sockstat sockstat;
	uint64_t tcp_mem[3];	/* pages: min pressure max; HR_UNSET */
	uint64_t udp_mem[3];
	uint64_t page_size;
	uint64_t mem_total_bytes;
	bool have_softnet;
	struct softnet_stat softnet;
	uint64_t netdev_max_backlog;
	uint64_t netdev_budget;
	uint64_t rmem_max, rmem_default;	/* net.core, bytes */
	bool have_dev;
	struct net_dev dev;
};

#endif
