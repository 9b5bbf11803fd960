/* test_net_dev.c - /proc/net/dev by header names. */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "snapshot/net_dev.h"
#include "util/parse.h"

#define H1 "Inter-|   Receive                                                |  Transmit\n"
#define H2 " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
#define LO "    lo:    3267      29    0    0    0     0          0         0     3267      29    0    0    0     0       0          0\n"
#define ETH "  eth0: 45606588    1649    1    7    2     0          0         0   100094    1423    0    3    0     0       0          0\n"

static void test_table(void **state)
{
	(void)state;
	static const struct {
		const char *name, *in;
		int rc;
		size_t n;
		uint64_t eth_drop, eth_fifo, eth_tx_drop, eth_packets;
	} t[] = {
		{ "good 6.18", H1 H2 LO ETH, 0, 2, 7, 2, 3, 1649 },
		{ "no interfaces", H1 H2, 0, 0, 0, 0, 0, 0 },
		{ "name glued to value (old kernels)", H1 H2
		  "  eth0:45606588    1649    1    7    2     0          0         0   100094    1423    0    3    0     0       0          0\n",
		  0, 1, 7, 2, 3, 1649 },
		{ "new column", H1 " face |bytes packets newcol errs drop fifo|bytes drop\n"
		  "  eth0: 1 1649 99 1 7 2 5 3\n", 0, 1, 7, 2, 3, 1649 },
		{ "empty", "", -ENODATA, 0, 0, 0, 0, 0 },
		{ "truncated header", H1, -ENODATA, 0, 0, 0, 0, 0 },
		{ "truncated row", H1 H2 "  eth0: 1 2 3\n", -EINVAL, 0, 0, 0, 0, 0 },
		{ "garbage", "foo\nbar\n", -EINVAL, 0, 0, 0, 0, 0 },
		{ "row without name", H1 H2 "1 2 3\n", -EINVAL, 0, 0, 0, 0, 0 },
		{ "overflow", H1 " face |bytes|drop\n eth0: 18446744073709551616 1\n", -ERANGE, 0, 0, 0, 0, 0 },
		{ "-1", H1 " face |bytes|drop\n eth0: -1 1\n", -EINVAL, 0, 0, 0, 0, 0 },
	};
	struct net_dev *d = malloc(sizeof(*d));
	assert_non_null(d);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		d->n = 777;
		int rc = net_dev_parse(t[i].in, strlen(t[i].in), d);
		if (rc != t[i].rc)
			fail_msg("%s: rc %d, want %d", t[i].name, rc, t[i].rc);
		if (rc) {
			assert_int_equal(d->n, 777);
			continue;
		}
		if (d->n != t[i].n)
			fail_msg("%s: n %zu", t[i].name, d->n);
		if (!d->n)
			continue;
		const struct net_dev_if *e = &d->ifs[d->n - 1];
		assert_string_equal(e->name, "eth0");
		if (e->rx_drop != t[i].eth_drop || e->rx_fifo != t[i].eth_fifo ||
		    e->tx_drop != t[i].eth_tx_drop || e->rx_packets != t[i].eth_packets)
			fail_msg("%s: values", t[i].name);
		assert_true(e->rx_missed_sys == HR_UNSET);
	}
	free(d);
}

static void test_many_interfaces(void **state)
{
	(void)state;
	char *in = malloc(16384);
	struct net_dev *d = malloc(sizeof(*d));
	assert_non_null(in);
	assert_non_null(d);
	size_t n = (size_t)snprintf(in, 16384, "%s", H1 " face |bytes|drop\n");
	for (int i = 0; i < NET_DEV_MAX + 5; i++)
		n += (size_t)snprintf(in + n, 16384 - n, " veth%d: %d 1\n", i, i);
	assert_int_equal(net_dev_parse(in, n, d), 0);
	assert_int_equal(d->n, NET_DEV_MAX);
	assert_int_equal(d->dropped, 5);
	free(in);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_many_interfaces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
