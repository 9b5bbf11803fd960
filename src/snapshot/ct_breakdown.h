/* ct_breakdown.h - who fills the conntrack table: entries counted by
 * protocol, TCP state, source address and flow class (protocol +
 * original destination port), from a bounded ctnetlink dump.
 *
 * Filled by ct_dump_read() (src/kernel/ct_dump.c) one entry at a time with
 * ct_breakdown_add(); read by the conntrack judge for its fix text. Plain
 * fixed-size storage: no allocation, no I/O, no logging. The dump is bounded
 * (an entry cap and a time budget): what it did not reach is not_counted
 * (the table's count minus the entries seen), so the split is of a
 * prefix of the table in hash order, never an extrapolation.
 */
#ifndef HR_SNAPSHOT_CT_BREAKDOWN_H
#define HR_SNAPSHOT_CT_BREAKDOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ct_proto { CT_P_TCP, CT_P_UDP, CT_P_ICMP, CT_P_ICMPV6, CT_P_SCTP, CT_P_OTHER, CT_P_N };

/* enum tcp_conntrack in linux/netfilter/nf_conntrack_tcp.h (stable ABI). */
#define CT_TCP_STATES 10	/* NONE SYN_SENT SYN_RECV ESTABLISHED FIN_WAIT CLOSE_WAIT
				 * LAST_ACK TIME_WAIT CLOSE SYN_SENT2 */
#define CT_TCP_TIME_WAIT 7
#define CT_SLOTS 512		/* distinct sources / classes kept; more are counted */
#define CT_TOP 5
#define CT_HASH (2 * CT_SLOTS)	/* open-addressed index, at most half full */

struct ct_entry {
	uint8_t family;		/* 4 or 6 */
	uint8_t l4proto;	/* IPPROTO_* */
	int tcp_state;		/* 0..9, -1 if not TCP or absent */
	uint8_t src[16];	/* original source; IPv4 in the first 4 bytes */
	uint16_t dport;		/* original destination port (host order), 0 if none */
};

struct ct_src {
	uint8_t family;
	uint8_t addr[16];
	uint64_t n;
};

struct ct_class {
	uint8_t l4proto;
	uint16_t dport;
	uint64_t n, time_wait;
};

struct ct_breakdown {
	bool present;			/* a dump ran (live host, permitted) */
	int error;			/* -errno of the dump when !present, else 0 */
	uint64_t counted;
	uint64_t not_counted;		/* table count minus counted (bounded stop) */
	bool stopped_cap, stopped_time;	/* why the dump stopped early */
	uint64_t cap_entries, budget_usec, elapsed_usec;
	uint64_t proto[CT_P_N];
	uint64_t tcp_state[CT_TCP_STATES];
	size_t nsrc, ncls;
	uint64_t src_unkeyed, cls_unkeyed;	/* entries whose key found no slot */
	struct ct_src src[CT_SLOTS];
	struct ct_class cls[CT_SLOTS];
	uint16_t src_hash[CT_HASH], cls_hash[CT_HASH];	/* slot + 1, 0 empty */
};

/* Counts one entry. */
void ct_breakdown_add(struct ct_breakdown *b, const struct ct_entry *e);
/* Sets not_counted from the table's count (clamped at 0). */
void ct_breakdown_finish(struct ct_breakdown *b, uint64_t table_count);
/* Indices of the k largest sources / classes, largest first (ties: first
 * seen); returns how many were written (<= k). */
size_t ct_breakdown_top_src(const struct ct_breakdown *b, size_t *idx, size_t k);
size_t ct_breakdown_top_cls(const struct ct_breakdown *b, size_t *idx, size_t k);
const char *ct_proto_name(enum ct_proto p);
const char *ct_tcp_state_name(int s);	/* "?" out of range */
enum ct_proto ct_proto_of(uint8_t l4proto);

#endif
