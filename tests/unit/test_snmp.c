/* test_snmp.c - /proc/net/snmp and /proc/net/netstat header/value pairs. */
#include "testutil.h"

#include <errno.h>

#include "snapshot/snmp.h"

static const struct hr_kv_key keys[] = {
	{ "Udp:RcvbufErrors", 0 },
	{ "Udp:MemErrors", 1 },
	{ "TcpExt:TCPRcvQDrop", 2 },
};

/* 6.18.44 lines (Udp) plus a cut TcpExt. */
#define TCP "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens\nTcp: 1 200 120000 -1 14\n"
#define UDP618 "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors\nUdp: 29 0 0 30 5 0 0 0 7\n"
/* 5.10: no MemErrors. */
#define UDP510 "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti\nUdp: 29 0 0 30 5 0 0 0\n"
#define TCPEXT "TcpExt: SyncookiesSent TCPRcvQDrop\nTcpExt: 0 11\n"

static void test_table(void **state)
{
	(void)state;
	static const struct {
		const char *name, *in;
		int rc;
		uint64_t v[3];
	} t[] = {
		{ "good 6.18", TCP UDP618 TCPEXT, 3, { 5, 7, 11 } },
		{ "5.10: MemErrors not on this kernel", TCP UDP510, 1, { 5, HR_UNSET, HR_UNSET } },
		{ "unknown key and -1 elsewhere", TCP "Foo: A B\nFoo: 1 2\n" UDP618, 2, { 5, 7, HR_UNSET } },
		{ "new column", "Udp: New RcvbufErrors Newer\nUdp: 9 5 -3\n", 1, { 5, HR_UNSET, HR_UNSET } },
		{ "UdpLite does not match Udp", "UdpLite: RcvbufErrors\nUdpLite: 99\n", 0,
		  { HR_UNSET, HR_UNSET, HR_UNSET } },
		{ "blank lines between pairs", "\n" UDP618 "\n" TCPEXT, 3, { 5, 7, 11 } },
		{ "empty", "", -ENODATA, { 0 } },
		{ "truncated: header without values", UDP618 "TcpExt: TCPRcvQDrop\n", -EINVAL, { 0 } },
		{ "truncated: value line cut", "Udp: A RcvbufErrors MemErrors\nUdp: 1 2\n", -EINVAL, { 0 } },
		{ "count mismatch: more values", "Udp: RcvbufErrors\nUdp: 1 2\n", -EINVAL, { 0 } },
		{ "prefix mismatch", "Udp: RcvbufErrors\nTcp: 1\n", -EINVAL, { 0 } },
		{ "garbage", "garbage here\nand here\n", -EINVAL, { 0 } },
		{ "garbage value", "Udp: RcvbufErrors\nUdp: x1\n", -EINVAL, { 0 } },
		{ "overflow", "Udp: RcvbufErrors\nUdp: 18446744073709551616\n", -ERANGE, { 0 } },
		{ "-1 in a requested key", "Udp: RcvbufErrors\nUdp: -1\n", -EINVAL, { 0 } },
		{ "value with junk", "Udp: RcvbufErrors\nUdp: 12k\n", -EINVAL, { 0 } },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t v[3];
		int rc = snmp_parse(t[i].in, strlen(t[i].in), keys, 3, v);
		if (rc != t[i].rc)
			fail_msg("%s: rc %d, want %d", t[i].name, rc, t[i].rc);
		if (rc < 0)
			continue;
		for (int k = 0; k < 3; k++)
			if (v[k] != t[i].v[k])
				fail_msg("%s: key %d = %llu", t[i].name, k, (unsigned long long)v[k]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
