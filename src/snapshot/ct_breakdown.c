/* ct_breakdown.c - conntrack entries by protocol, state, source and flow
 * class (see ct_breakdown.h). */
#include <string.h>

#include "snapshot/ct_breakdown.h"

enum ct_proto ct_proto_of(uint8_t l4proto)
{
	switch (l4proto) {
	case 6: return CT_P_TCP;
	case 17: return CT_P_UDP;
	case 1: return CT_P_ICMP;
	case 58: return CT_P_ICMPV6;
	case 132: return CT_P_SCTP;
	default: return CT_P_OTHER;
	}
}

const char *ct_proto_name(enum ct_proto p)
{
	static const char *const n[CT_P_N] = { "tcp", "udp", "icmp", "icmpv6", "sctp", "other" };
	return (unsigned)p < CT_P_N ? n[p] : "other";
}

const char *ct_tcp_state_name(int s)
{
	static const char *const n[CT_TCP_STATES] = { "NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED",
		"FIN_WAIT", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2" };
	return s >= 0 && s < CT_TCP_STATES ? n[s] : "?";
}

/* FNV-1a: slots are probed linearly from the hash, bounded by CT_SLOTS. */
static uint32_t fnv(const uint8_t *p, size_t n, uint32_t h)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* Slots are kept in first-seen order; src_hash/cls_hash index them,
 * probed linearly (never more than half full, so a probe ends). */
static struct ct_src *src_slot(struct ct_breakdown *b, const struct ct_entry *e)
{
	size_t alen = e->family == 6 ? 16 : 4;
	uint32_t h = fnv(e->src, alen, 2166136261u ^ e->family) % CT_HASH;

	for (;; h = (h + 1) % CT_HASH) {
		uint16_t v = b->src_hash[h];
		if (!v)
			break;
		struct ct_src *s = &b->src[v - 1];
		if (s->family == e->family && !memcmp(s->addr, e->src, alen))
			return s;
	}
	if (b->nsrc == CT_SLOTS)
		return NULL;
	struct ct_src *s = &b->src[b->nsrc++];
	b->src_hash[h] = (uint16_t)b->nsrc;
	s->family = e->family;
	memset(s->addr, 0, sizeof(s->addr));
	memcpy(s->addr, e->src, alen);
	s->n = 0;
	return s;
}

static struct ct_class *cls_slot(struct ct_breakdown *b, const struct ct_entry *e)
{
	uint8_t key[3] = { e->l4proto, (uint8_t)(e->dport >> 8), (uint8_t)e->dport };
	uint32_t h = fnv(key, sizeof(key), 2166136261u) % CT_HASH;

	for (;; h = (h + 1) % CT_HASH) {
		uint16_t v = b->cls_hash[h];
		if (!v)
			break;
		struct ct_class *c = &b->cls[v - 1];
		if (c->l4proto == e->l4proto && c->dport == e->dport)
			return c;
	}
	if (b->ncls == CT_SLOTS)
		return NULL;
	struct ct_class *c = &b->cls[b->ncls++];
	b->cls_hash[h] = (uint16_t)b->ncls;
	c->l4proto = e->l4proto;
	c->dport = e->dport;
	c->n = c->time_wait = 0;
	return c;
}

void ct_breakdown_add(struct ct_breakdown *b, const struct ct_entry *e)
{
	b->counted++;
	b->proto[ct_proto_of(e->l4proto)]++;
	bool tw = false;
	if (e->l4proto == 6 && e->tcp_state >= 0 && e->tcp_state < CT_TCP_STATES) {
		b->tcp_state[e->tcp_state]++;
		tw = e->tcp_state == CT_TCP_TIME_WAIT;
	}
	struct ct_src *s = src_slot(b, e);
	if (s)
		s->n++;
	else
		b->src_unkeyed++;
	struct ct_class *c = cls_slot(b, e);
	if (c) {
		c->n++;
		c->time_wait += tw;
	} else {
		b->cls_unkeyed++;
	}
}

void ct_breakdown_finish(struct ct_breakdown *b, uint64_t table_count)
{
	b->not_counted = table_count > b->counted ? table_count - b->counted : 0;
}

static size_t top(const uint64_t *(*get)(const struct ct_breakdown *, size_t), const struct ct_breakdown *b,
		  size_t n, size_t *idx, size_t k)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t v = *get(b, i);
		size_t j = m < k ? m++ : k;
		if (j == k) {
			if (!k || v <= *get(b, idx[k - 1]))
				continue;
			j = k - 1;
		}
		while (j > 0 && *get(b, idx[j - 1]) < v) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = i;
	}
	return m;
}

static const uint64_t *src_n(const struct ct_breakdown *b, size_t i) { return &b->src[i].n; }
static const uint64_t *cls_n(const struct ct_breakdown *b, size_t i) { return &b->cls[i].n; }

size_t ct_breakdown_top_src(const struct ct_breakdown *b, size_t *idx, size_t k)
{
	return top(src_n, b, b->nsrc, idx, k);
}

size_t ct_breakdown_top_cls(const struct ct_breakdown *b, size_t *idx, size_t k)
{
	return top(cls_n, b, b->ncls, idx, k);
}
