/* net_dev.c - see net_dev.h. */
#include "snapshot/net_dev.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "util/parse.h"

enum { C_SKIP = -1, C_RX_BYTES, C_RX_PACKETS, C_RX_ERRS, C_RX_DROP, C_RX_FIFO, C_TX_DROP };

static int col_of(bool rx, struct hr_span name)
{
	if (!rx)
		return span_eq(name, "drop") ? C_TX_DROP : C_SKIP;
	if (span_eq(name, "bytes"))
		return C_RX_BYTES;
	if (span_eq(name, "packets"))
		return C_RX_PACKETS;
	if (span_eq(name, "errs"))
		return C_RX_ERRS;
	if (span_eq(name, "drop"))
		return C_RX_DROP;
	if (span_eq(name, "fifo"))
		return C_RX_FIFO;
	return C_SKIP;
}

static uint64_t *slot(struct net_dev_if *i, int c)
{
	switch (c) {
	case C_RX_BYTES: return &i->rx_bytes;
	case C_RX_PACKETS: return &i->rx_packets;
	case C_RX_ERRS: return &i->rx_errs;
	case C_RX_DROP: return &i->rx_drop;
	case C_RX_FIFO: return &i->rx_fifo;
	case C_TX_DROP: return &i->tx_drop;
	default: return NULL;
	}
}

/* One pass; fills out only when it is not NULL. */
static int parse(const char *buf, size_t len, struct net_dev *out)
{
	int map[NET_DEV_COLS_MAX];
	struct hr_span l1, l2, line;
	size_t pos = 0, ncols = 0;
	int part = 0;

	if (!span_next_line(buf, len, &pos, &l1) || !span_next_line(buf, len, &pos, &l2))
		return -ENODATA;
	/* " face |bytes packets ...|bytes packets ..." : part 0 is the name
	 * column, part 1 receive, part 2 transmit. */
	for (size_t i = 0, start = 0; i <= l2.len; i++) {
		if (i < l2.len && l2.p[i] != '|')
			continue;
		if (part == 1 || part == 2) {
			struct hr_span seg = { l2.p + start, i - start }, tok;
			while (span_next_token(&seg, &tok)) {
				if (ncols == NET_DEV_COLS_MAX)
					return -E2BIG;
				map[ncols++] = col_of(part == 1, tok);
			}
		}
		part++;
		start = i + 1;
	}
	if (part != 3 || ncols == 0)
		return -EINVAL;
	if (out) {
		out->n = 0;
		out->dropped = 0;
	}
	while (span_next_line(buf, len, &pos, &line)) {
		struct hr_span t = span_trim(line);
		if (!t.len)
			continue;
		const char *colon = memchr(t.p, ':', t.len);
		if (!colon || colon == t.p)
			return -EINVAL;
		struct hr_span name = { t.p, (size_t)(colon - t.p) };
		struct hr_span rest = { colon + 1, t.len - name.len - 1 }, tok;
		struct net_dev_if *ifp = NULL;
		if (out) {
			if (out->n < NET_DEV_MAX) {
				ifp = &out->ifs[out->n++];
				span_copy(name, ifp->name, sizeof(ifp->name));
				ifp->rx_bytes = ifp->rx_packets = ifp->rx_errs = HR_UNSET;
				ifp->rx_drop = ifp->rx_fifo = ifp->tx_drop = HR_UNSET;
				ifp->rx_dropped_sys = ifp->rx_missed_sys = HR_UNSET;
				ifp->mtu = HR_UNSET;
				ifp->rx_queues = 0;
				ifp->physical = false;
				ifp->speed_mbps = -1;
			} else {
				out->dropped++;
			}
		}
		size_t c = 0;
		while (span_next_token(&rest, &tok)) {
			uint64_t v;
			size_t used;
			if (c == ncols)
				return -EINVAL;
			int rc = parse_u64(tok.p, tok.len, &v, &used);
			if (rc)
				return rc;
			if (used != tok.len)
				return -EINVAL;
			uint64_t *s = ifp ? slot(ifp, map[c]) : NULL;
			if (s)
				*s = v;
			c++;
		}
		if (c != ncols)
			return -EINVAL;
	}
	return 0;
}

/* Real input, Linux 6.18.44-fc-v769 x86_64:
 * Inter-|   Receive                                                |  Transmit
 *  face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
 *   eth0: 45606588    1649    0    0    0     0          0         0   100094    1423    0    0    0     0       0          0
 */
int net_dev_parse(const char *buf, size_t len, struct net_dev *out)
{
	int rc = parse(buf, len, NULL);

	return rc ? rc : parse(buf, len, out);
}
