/* ct_dump.c - bounded ctnetlink dump into a ct_breakdown (see ct_dump.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <time.h>

#include "kernel/ct_dump.h"

#ifdef HR_NO_CTNETLINK
/* The static binary (make headroom-static, the FROM scratch image): Debian
 * ships libnetfilter-conntrack as a shared library only, so that build has
 * no breakdown and check says the generic fix (b->present false). */
int ct_dump_read(struct ct_breakdown *b, uint64_t cap_entries, uint64_t budget_usec,
		 uint64_t table_count)
{
	(void)cap_entries;
	(void)budget_usec;
	(void)table_count;
	memset(b, 0, sizeof(*b));
	b->error = -ENOTSUP;
	return -ENOTSUP;
}
#else
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

struct dump {
	struct ct_breakdown *b;
	uint64_t t0_usec;
};

static uint64_t now_usec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int on_entry(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	struct dump *d = data;
	struct ct_breakdown *b = d->b;
	struct ct_entry e = { .tcp_state = -1 };

	(void)type;
	e.family = nfct_get_attr_u8(ct, ATTR_L3PROTO) == AF_INET6 ? 6 : 4;
	e.l4proto = nfct_get_attr_u8(ct, ATTR_L4PROTO);
	if (e.family == 6) {
		const void *a = nfct_get_attr(ct, ATTR_ORIG_IPV6_SRC);
		if (a)
			memcpy(e.src, a, 16);
	} else {
		uint32_t a = nfct_get_attr_u32(ct, ATTR_ORIG_IPV4_SRC);
		memcpy(e.src, &a, 4);
	}
	if (e.l4proto == 6 && nfct_attr_is_set(ct, ATTR_TCP_STATE) > 0)
		e.tcp_state = nfct_get_attr_u8(ct, ATTR_TCP_STATE);
	if (nfct_attr_is_set(ct, ATTR_ORIG_PORT_DST) > 0 && (e.l4proto == 6 || e.l4proto == 17 ||
							      e.l4proto == 132 || e.l4proto == 136))
		e.dport = ntohs(nfct_get_attr_u16(ct, ATTR_ORIG_PORT_DST));
	ct_breakdown_add(b, &e);
	if (b->counted >= b->cap_entries) {
		b->stopped_cap = true;
		return NFCT_CB_STOP;
	}
	/* The clock every 256 entries: a vDSO call is ~20 ns, an entry ~1 us. */
	if (!(b->counted & 255) && now_usec() - d->t0_usec >= b->budget_usec) {
		b->stopped_time = true;
		return NFCT_CB_STOP;
	}
	return NFCT_CB_CONTINUE;
}

int ct_dump_read(struct ct_breakdown *b, uint64_t cap_entries, uint64_t budget_usec,
		 uint64_t table_count)
{
	struct dump d = { .b = b, .t0_usec = now_usec() };
	uint32_t family = AF_UNSPEC;
	int e = 0;

	memset(b, 0, sizeof(*b));
	b->cap_entries = cap_entries ? cap_entries : 1;
	b->budget_usec = budget_usec;
	struct nfct_handle *h = nfct_open(CONNTRACK, 0);
	if (!h) {
		e = errno ? -errno : -EPROTONOSUPPORT;
		goto out;
	}
	if (nfct_callback_register(h, NFCT_T_ALL, on_entry, &d) < 0) {
		e = errno ? -errno : -EINVAL;
		nfct_close(h);
		goto out;
	}
	errno = 0;
	/* An early NFCT_CB_STOP ends the query with -1 and errno 0 or EINTR
	 * on some library versions: that is our stop, not a failure. */
	if (nfct_query(h, NFCT_Q_DUMP, &family) < 0 && !b->stopped_cap && !b->stopped_time)
		e = errno ? -errno : -EIO;
	nfct_close(h);
out:
	b->elapsed_usec = now_usec() - d.t0_usec;
	if (e) {
		b->present = false;
		b->error = e;
		return e;
	}
	b->present = true;
	ct_breakdown_finish(b, table_count);
	return 0;
}
#endif
