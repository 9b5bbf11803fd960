/* test_vmcalc.c - the kernel formulas and NIC estimates behind the zones
 * and netswap judgements, checked against numbers worked out by hand. */
#include "testutil.h"

#include <errno.h>
#include <stdio.h>

#include "detect/vmcalc.h"
#include "util/parse.h"

static void test_isqrt(void **state)
{
	(void)state;
	assert_true(vmcalc_isqrt(0) == 0);
	assert_true(vmcalc_isqrt(15) == 3);
	assert_true(vmcalc_isqrt(16) == 4);
	assert_true(vmcalc_isqrt(UINT64_MAX) == 4294967295u);
	/* seed 003 host: lowmem 527872 kB -> int_sqrt(8445952) = 2906 */
	assert_true(vmcalc_isqrt(527872ull * 16) == 2906);
}

static void test_default_min_free(void **state)
{
	(void)state;
	/* This VM: (3840 + 772808 + 393216) pages x 4 = 4679456 kB -> 8652 kB. */
	assert_true(vmcalc_default_min_free_kb(4679456, 6, 18) == 8652);
	assert_true(vmcalc_default_min_free_kb(10, 6, 18) == 128);
	/* 1 TiB of lowmem: sqrt(2^30 x 16) = 131072 kB; 5.4 clamps at 65536. */
	assert_true(vmcalc_default_min_free_kb(1ull << 30, 6, 18) == 131072);
	assert_true(vmcalc_default_min_free_kb(1ull << 30, 5, 4) == 65536);
	assert_true(vmcalc_default_min_free_kb(1ull << 40, 5, 10) == 262144);
	assert_true(vmcalc_min_free_clamp_kb(0, 0) == 262144);
}

static void test_thp(void **state)
{
	(void)state;
	struct zoneinfo zi = { .n = 4 };
	const char *names[] = { "DMA", "DMA32", "Normal", "Movable" };
	for (int i = 0; i < 4; i++) {
		snprintf(zi.zones[i].name, sizeof(zi.zones[i].name), "%s", names[i]);
		zi.zones[i].present_pages = i == 3 ? 0 : 1000;
		zi.zones[i].managed_pages = i == 3 ? 0 : 1000;
	}
	/* 512-page pageblocks x 3 populated lowmem zones x 11 = 16896 pages
	 * = 67584 kB: exactly this VM's min_free_kbytes. */
	assert_true(vmcalc_thp_min_free_kb(&zi, 4096, 2097152, 4679456) == 67584);
	/* capped at 5 % of lowmem */
	assert_true(vmcalc_thp_min_free_kb(&zi, 4096, 2097152, 100000) == 5000);
	assert_true(vmcalc_thp_min_free_kb(&zi, 4096, HR_UNSET, 4679456) == 0);
	assert_true(vmcalc_lowmem_kb(&zi, 4096) == 12000);
}

static void test_rx_buffers(void **state)
{
	(void)state;
	assert_true(vmcalc_rx_buf_bytes(1500) == 2048);
	assert_true(vmcalc_rx_buf_bytes(9000) == 16384);
	assert_int_equal(vmcalc_rx_buf_order(1500, 4096), 0);
	assert_int_equal(vmcalc_rx_buf_order(3694, 4096), 0);
	assert_int_equal(vmcalc_rx_buf_order(3695, 4096), 1);
	assert_int_equal(vmcalc_rx_buf_order(9000, 4096), 2);
	assert_int_equal(vmcalc_rx_buf_order(9000, 65536), 0);
	assert_true(vmcalc_order0_mtu(4096) == 3694);
	assert_true(vmcalc_round_mib_kb(3277) == 4096);
	assert_true(vmcalc_round_mib_kb(4096) == 4096);
}

static void test_nic(void **state)
{
	(void)state;
	struct net_dev nd = { .n = 3 };
	snprintf(nd.ifs[0].name, 32, "eth0");
	nd.ifs[0] = (struct net_dev_if){ .name = "eth0", .mtu = 9000, .rx_queues = 8, .physical = true, .speed_mbps = 25000 };
	nd.ifs[1] = (struct net_dev_if){ .name = "lo", .mtu = 65536, .rx_queues = 1, .physical = false, .speed_mbps = -1 };
	nd.ifs[2] = (struct net_dev_if){ .name = "eth1", .mtu = 1500, .rx_queues = 0, .physical = true, .speed_mbps = -1 };	/* no queues dir: 1 */
	struct vmcalc_nic n;
	vmcalc_nic(&nd, &n);
	assert_int_equal(n.ifaces, 2);
	assert_int_equal(n.queues, 9);
	/* 8 x 1024 x 16384 + 1 x 1024 x 2048 = 136314880 bytes = 133120 KiB,
	 * x 8/5 = 212992 KiB */
	assert_true(n.ring_bytes == 136314880ull);
	assert_true(n.need_kb == 212992);
	assert_true(n.max_mtu == 9000);
	assert_string_equal(n.max_mtu_iface, "eth0");
	assert_true(n.max_speed_mbps == 25000);
	/* This VM: eth0 MTU 1400, one queue: 2 MiB x 8/5 = 3277 KiB. */
	struct net_dev vm = { .n = 1 };
	vm.ifs[0] = (struct net_dev_if){ .name = "eth0", .mtu = 1400, .rx_queues = 1, .physical = true, .speed_mbps = -1 };
	vmcalc_nic(&vm, &n);
	assert_true(n.need_kb == 3277 && n.max_speed_mbps == -1);
	/* An MTU no kernel has saturates the estimate instead of wrapping
	 * it to 0 (ring_bytes + 1023 overflowed). */
	vm.ifs[0].mtu = UINT64_MAX - 1;
	vmcalc_nic(&vm, &n);
	assert_true(n.ring_bytes == UINT64_MAX);
	assert_true(n.need_kb >= UINT64_MAX / 1024);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_isqrt),
		cmocka_unit_test(test_default_min_free),
		cmocka_unit_test(test_thp),
		cmocka_unit_test(test_rx_buffers),
		cmocka_unit_test(test_nic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
