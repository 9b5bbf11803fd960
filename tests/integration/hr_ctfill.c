/* hr_ctfill.c - test helper: fills the conntrack table of the current netns
 * over ctnetlink (NFCT_Q_CREATE), and dumps it with ct_dump_read().
 *   hr_ctfill fill N     N entries: 4 in 10 TCP TIME_WAIT from 10.9.9.9 to
 *                        port 443 (dst varies), 6 in 10 UDP to port 123 from
 *                        distinct sources; timeout 600 s. Entries already
 *                        there (an earlier fill) count as done.
 *   hr_ctfill dump CAP BUDGET_USEC COUNT   key=value lines of the breakdown.
 * Run it only inside a network namespace of the test's own. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include "kernel/ct_dump.h"

static int fill(unsigned long n)
{
	struct nfct_handle *h = nfct_open(CONNTRACK, 0);
	struct nf_conntrack *ct = nfct_new();
	unsigned long ok = 0, existed = 0;

	if (!h || !ct) {
		perror("nfct_open");
		return 1;
	}
	for (unsigned long i = 0; i < n; i++) {
		uint32_t src, dst;
		uint16_t sport, dport;
		uint8_t proto;
		bool tcp = i % 10 < 4;
		if (tcp) {
			src = htonl(0x0a090909);
			/* 10.200+k.0.0 for each block of 60000 source ports */
			dst = htonl((uint32_t)(0x0a000000u | ((200u + (uint32_t)(i / 60000)) << 16)));
			sport = htons((uint16_t)(1024 + i % 60000));
			dport = htons(443);
			proto = IPPROTO_TCP;
		} else {
			src = htonl((uint32_t)(0x0b000000u | (uint32_t)i));
			dst = htonl(0x0a00007b);
			sport = htons(5353);
			dport = htons(123);
			proto = IPPROTO_UDP;
		}
		nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
		nfct_set_attr_u32(ct, ATTR_IPV4_SRC, src);
		nfct_set_attr_u32(ct, ATTR_IPV4_DST, dst);
		nfct_set_attr_u32(ct, ATTR_REPL_IPV4_SRC, dst);
		nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, src);
		nfct_set_attr_u8(ct, ATTR_L4PROTO, proto);
		/* The reply tuple has its own protocol numbers. */
		nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, AF_INET);
		nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, proto);
		nfct_set_attr_u16(ct, ATTR_PORT_SRC, sport);
		nfct_set_attr_u16(ct, ATTR_PORT_DST, dport);
		nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, dport);
		nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, sport);
		if (tcp)
			nfct_set_attr_u8(ct, ATTR_TCP_STATE, 7);	/* TIME_WAIT */
		else
			nfct_attr_unset(ct, ATTR_TCP_STATE);
		nfct_set_attr_u32(ct, ATTR_TIMEOUT, 600);
		if (nfct_query(h, NFCT_Q_CREATE, ct) == 0) {
			ok++;
		} else if (errno == EEXIST) {
			existed++;	/* from an earlier fill: entries 0..N-1 are the same */
		} else {
			fprintf(stderr, "create %lu: %s\n", i, strerror(errno));
			break;
		}
	}
	nfct_destroy(ct);
	nfct_close(h);
	printf("created %lu existed %lu\n", ok, existed);
	return ok + existed == n ? 0 : 1;
}

static int dump(uint64_t cap, uint64_t budget, uint64_t count)
{
	static struct ct_breakdown b;
	size_t si[CT_TOP], ci[CT_TOP];
	int e = ct_dump_read(&b, cap, budget, count);

	if (e) {
		fprintf(stderr, "ct_dump_read: %s\n", strerror(-e));
		return 1;
	}
	printf("counted=%llu\nnot_counted=%llu\nstopped_cap=%d\nstopped_time=%d\nelapsed_usec=%llu\n",
	       (unsigned long long)b.counted, (unsigned long long)b.not_counted, b.stopped_cap,
	       b.stopped_time, (unsigned long long)b.elapsed_usec);
	printf("tcp=%llu\nudp=%llu\ntime_wait=%llu\nsources=%zu\nsrc_unkeyed=%llu\n",
	       (unsigned long long)b.proto[CT_P_TCP], (unsigned long long)b.proto[CT_P_UDP],
	       (unsigned long long)b.tcp_state[CT_TCP_TIME_WAIT], b.nsrc,
	       (unsigned long long)b.src_unkeyed);
	size_t n = ct_breakdown_top_src(&b, si, CT_TOP);
	if (n)
		printf("top_src=%u.%u.%u.%u:%llu\n", b.src[si[0]].addr[0], b.src[si[0]].addr[1],
		       b.src[si[0]].addr[2], b.src[si[0]].addr[3], (unsigned long long)b.src[si[0]].n);
	n = ct_breakdown_top_cls(&b, ci, CT_TOP);
	for (size_t i = 0; i < n; i++)
		printf("class%zu=%s:%u:%llu:%llu\n", i, ct_proto_name(ct_proto_of(b.cls[ci[i]].l4proto)),
		       b.cls[ci[i]].dport, (unsigned long long)b.cls[ci[i]].n,
		       (unsigned long long)b.cls[ci[i]].time_wait);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "fill"))
		return fill(strtoul(argv[2], NULL, 10));
	if (argc == 5 && !strcmp(argv[1], "dump"))
		return dump(strtoull(argv[2], NULL, 10), strtoull(argv[3], NULL, 10),
			    strtoull(argv[4], NULL, 10));
	fprintf(stderr, "usage: hr_ctfill fill N | dump CAP BUDGET_USEC COUNT\n");
	return 2;
}
