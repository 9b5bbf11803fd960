/* test_sockstat.c - /proc/net/sockstat and tcp_mem/udp_mem triples. */
#include "testutil.h"

#include <errno.h>

#include "snapshot/sockstat.h"
#include "util/parse.h"

#define SS618 "sockets: used 16\nTCP: inuse 1 orphan 0 tw 0 alloc 1 mem 241\nUDP: inuse 0 mem 3\nUDPLITE: inuse 0\nRAW: inuse 0\nFRAG: inuse 0 memory 0\n"

static void test_table(void **state)
{
	(void)state;
	static const struct {
		const char *name, *in;
		int rc;
		uint64_t tcp_mem, udp_mem, used, tw;
	} t[] = {
		{ "good 6.18", SS618, 0, 241, 3, 16, 0 },
		{ "new column and unknown line", "TCP: inuse 1 newthing 7 mem 9 tw 2\nXDP: a 1\n", 0, 9,
		  HR_UNSET, HR_UNSET, 2 },
		{ "empty", "", -ENODATA, 0, 0, 0, 0 },
		{ "truncated: no TCP mem", "sockets: used 16\nTCP: inuse 1 orphan 0 tw 0 alloc 1\n",
		  -ENODATA, 0, 0, 0, 0 },
		{ "truncated: name without value", "TCP: inuse 1 mem\n", -EINVAL, 0, 0, 0, 0 },
		{ "garbage", "lorem ipsum dolor\n", -ENODATA, 0, 0, 0, 0 },
		{ "garbage in TCP line", "TCP: lorem ipsum dolor\n", -EINVAL, 0, 0, 0, 0 },
		{ "garbage value", "TCP: mem abc\n", -EINVAL, 0, 0, 0, 0 },
		{ "overflow", "TCP: mem 18446744073709551616\n", -ERANGE, 0, 0, 0, 0 },
		{ "-1", "TCP: mem -1\n", -EINVAL, 0, 0, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct sockstat s;
		memset(&s, 0x11, sizeof(s));
		int rc = sockstat_parse(t[i].in, strlen(t[i].in), &s);
		if (rc != t[i].rc)
			fail_msg("%s: rc %d, want %d", t[i].name, rc, t[i].rc);
		if (rc) {
			assert_true(s.tcp_mem_pages == 0x1111111111111111ull);
			continue;
		}
		if (s.tcp_mem_pages != t[i].tcp_mem || s.udp_mem_pages != t[i].udp_mem ||
		    s.sockets_used != t[i].used || s.tcp_tw != t[i].tw)
			fail_msg("%s: values", t[i].name);
	}
}

static void test_limits(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int rc;
	} t[] = {
		{ "287898\t383866\t575796\n", 0 },
		{ "", -EINVAL },
		{ "1 2", -EINVAL },
		{ "1 2 3 4", -EINVAL },
		{ "1 x 3", -EINVAL },
		{ "1 -1 3", -EINVAL },
		{ "1 18446744073709551616 3", -ERANGE },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t v[3] = { 7, 7, 7 };
		int rc = mem_limits_parse(t[i].in, strlen(t[i].in), v);
		if (rc != t[i].rc)
			fail_msg("'%s': rc %d want %d", t[i].in, rc, t[i].rc);
		if (rc)
			assert_true(v[0] == 7 && v[1] == 7 && v[2] == 7);
		else
			assert_true(v[0] == 287898 && v[1] == 383866 && v[2] == 575796);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
