/* net_snap.c - the netloss counter table (see net_snap.h). */
#include "snapshot/net_snap.h"

/* Kernel spellings: net/ipv4/proc.c (snmp4_udp_list, snmp4_net_list) and
 * net/ipv6/proc.c (snmp6_udp6_list) of 6.18. */
const struct netloss_ctr_desc netloss_ctrs[NL_EXPORTED] = {
	[NL_UDP_INERRORS] = { "Udp:InErrors", "udp_in_errors", NL_SRC_SNMP },
	[NL_UDP_RCVBUF] = { "Udp:RcvbufErrors", "udp_rcvbuf_errors", NL_SRC_SNMP },
	[NL_UDP_INCSUM] = { "Udp:InCsumErrors", "udp_in_csum_errors", NL_SRC_SNMP },
	[NL_UDP_MEM] = { "Udp:MemErrors", "udp_mem_errors", NL_SRC_SNMP },
	[NL_UDP6_RCVBUF] = { "Udp6RcvbufErrors", "udp6_rcvbuf_errors", NL_SRC_SNMP6 },
	[NL_UDP6_MEM] = { "Udp6MemErrors", "udp6_mem_errors", NL_SRC_SNMP6 },
	[NL_TCP_RCVQ_DROP] = { "TcpExt:TCPRcvQDrop", "tcp_rcvq_drop", NL_SRC_NETSTAT },
	[NL_PRUNE_CALLED] = { "TcpExt:PruneCalled", "prune_called", NL_SRC_NETSTAT },
	[NL_RCV_PRUNED] = { "TcpExt:RcvPruned", "rcv_pruned", NL_SRC_NETSTAT },
	[NL_OFO_PRUNED] = { "TcpExt:OfoPruned", "ofo_pruned", NL_SRC_NETSTAT },
	[NL_TCP_OFO_DROP] = { "TcpExt:TCPOFODrop", "tcp_ofo_drop", NL_SRC_NETSTAT },
	[NL_TCP_MEM_PRESSURES] = { "TcpExt:TCPMemoryPressures", "tcp_memory_pressures", NL_SRC_NETSTAT },
	[NL_TCP_ABORT_ON_MEMORY] = { "TcpExt:TCPAbortOnMemory", "tcp_abort_on_memory", NL_SRC_NETSTAT },
	[NL_TCP_BACKLOG_DROP] = { "TcpExt:TCPBacklogDrop", "tcp_backlog_drop", NL_SRC_NETSTAT },
	[NL_PFMEMALLOC_DROP] = { "TcpExt:PFMemallocDrop", "pfmemalloc_drop", NL_SRC_NETSTAT },
	[NL_TCP_RCV_COLLAPSED] = { "TcpExt:TCPRcvCollapsed", "tcp_rcv_collapsed", NL_SRC_NETSTAT },
};
