/* test_ct_breakdown.c - counting conntrack entries by protocol, TCP state,
 * source and flow class; top-k order; full tables counted, not itemised. */
#include "testutil.h"

#include <stdlib.h>

#include "snapshot/ct_breakdown.h"

static struct ct_entry v4(uint8_t l4, int st, uint32_t a, uint16_t dport)
{
	struct ct_entry e = { .family = 4, .l4proto = l4, .tcp_state = st, .dport = dport };
	e.src[0] = (uint8_t)(a >> 24);
	e.src[1] = (uint8_t)(a >> 16);
	e.src[2] = (uint8_t)(a >> 8);
	e.src[3] = (uint8_t)a;
	return e;
}

static void test_counts(void **state)
{
	struct ct_breakdown *b = calloc(1, sizeof(*b));
	size_t idx[CT_TOP];

	(void)state;
	assert_non_null(b);
	struct ct_entry e = v4(6, CT_TCP_TIME_WAIT, 0x0a000001, 443);
	for (int i = 0; i < 3; i++)
		ct_breakdown_add(b, &e);
	e = v4(17, -1, 0x0a000002, 53);
	for (int i = 0; i < 5; i++)
		ct_breakdown_add(b, &e);
	e = v4(1, -1, 0x0a000001, 0);
	ct_breakdown_add(b, &e);
	e = v4(6, 3, 0x0a000003, 443);	/* ESTABLISHED */
	ct_breakdown_add(b, &e);
	e = v4(6, 42, 0x0a000003, 22);	/* state out of range: not in tcp_state[] */
	ct_breakdown_add(b, &e);
	e = v4(47, -1, 0x0a000003, 0);	/* GRE */
	ct_breakdown_add(b, &e);
	/* an IPv6 source whose first 4 bytes equal 10.0.0.1 is another source */
	struct ct_entry e6 = { .family = 6, .l4proto = 58, .tcp_state = -1 };
	e6.src[0] = 10, e6.src[3] = 1, e6.src[15] = 9;
	ct_breakdown_add(b, &e6);

	assert_true(b->counted == 13);
	assert_true(b->proto[CT_P_TCP] == 5 && b->proto[CT_P_UDP] == 5 && b->proto[CT_P_ICMP] == 1);
	assert_true(b->proto[CT_P_OTHER] == 1 && b->proto[CT_P_ICMPV6] == 1);
	assert_true(b->tcp_state[CT_TCP_TIME_WAIT] == 3 && b->tcp_state[3] == 1);
	assert_int_equal(b->nsrc, 4);
	assert_int_equal(ct_breakdown_top_src(b, idx, CT_TOP), 4);
	assert_true(b->src[idx[0]].n == 5 && b->src[idx[0]].addr[3] == 2);
	assert_true(b->src[idx[1]].n == 4 && b->src[idx[1]].addr[3] == 1);	/* tcp x3 + icmp */
	assert_true(b->src[idx[3]].n == 1 && b->src[idx[3]].family == 6);
	assert_int_equal(ct_breakdown_top_cls(b, idx, 2), 2);
	assert_true(b->cls[idx[0]].l4proto == 17 && b->cls[idx[0]].dport == 53 && b->cls[idx[0]].n == 5);
	assert_true(b->cls[idx[1]].l4proto == 6 && b->cls[idx[1]].dport == 443 && b->cls[idx[1]].n == 4);
	assert_true(b->cls[idx[1]].time_wait == 3);
	assert_int_equal(ct_breakdown_top_cls(b, idx, 0), 0);
	ct_breakdown_finish(b, 20);
	assert_true(b->not_counted == 7);
	ct_breakdown_finish(b, 5);	/* the count fell during the dump: never negative */
	assert_true(b->not_counted == 0);
	free(b);
}

static void test_full_tables(void **state)
{
	struct ct_breakdown *b = calloc(1, sizeof(*b));
	size_t idx[CT_TOP];

	(void)state;
	assert_non_null(b);
	for (uint32_t i = 0; i < CT_SLOTS + 100; i++) {
		struct ct_entry e = v4(17, -1, 0x0b000000 + i, (uint16_t)(1000 + i));
		ct_breakdown_add(b, &e);
	}
	/* the first source again, after the table is full: still found */
	struct ct_entry e = v4(17, -1, 0x0b000000, 1000);
	ct_breakdown_add(b, &e);
	assert_int_equal(b->nsrc, CT_SLOTS);
	assert_true(b->src_unkeyed == 100 && b->cls_unkeyed == 100);
	assert_int_equal(b->ncls, CT_SLOTS);
	assert_int_equal(ct_breakdown_top_src(b, idx, CT_TOP), CT_TOP);
	assert_true(b->src[idx[0]].n == 2 && b->src[idx[0]].addr[3] == 0);
	assert_true(b->cls[0].n == 2);
	free(b);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(ct_tcp_state_name(CT_TCP_TIME_WAIT), "TIME_WAIT");
	assert_string_equal(ct_tcp_state_name(0), "NONE");
	assert_string_equal(ct_tcp_state_name(9), "SYN_SENT2");
	assert_string_equal(ct_tcp_state_name(10), "?");
	assert_string_equal(ct_tcp_state_name(-1), "?");
	assert_string_equal(ct_proto_name(ct_proto_of(132)), "sctp");
	assert_string_equal(ct_proto_name(ct_proto_of(58)), "icmpv6");
	assert_string_equal(ct_proto_name((enum ct_proto)99), "other");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_full_tables),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
