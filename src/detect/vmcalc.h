/* vmcalc.h - the kernel's own formulas and headroom's estimates that the
 * zones and netswap judges share. Pure: no I/O, no allocation.
 */
#ifndef HR_DETECT_VMCALC_H
#define HR_DETECT_VMCALC_H

#include <stdbool.h>
#include <stdint.h>

#include "snapshot/net_dev.h"
#include "snapshot/zoneinfo.h"

/* Rule of thumb: rx ring entries per queue. sysfs does not expose ring
 * sizes (ethtool -g asks the driver over netlink/ioctl), so headroom assumes
 * 1024, the common default of ixgbe/i40e/ice/mlx5 rx rings (virtio-net uses
 * 256; bnx2x 4078 is the outlier). See doc/check-zones.md. */
#define VMCALC_RX_RING_ENTRIES 1024u
/* Bytes around an rx frame's payload in one buffer: 14 Ethernet header +
 * 4 VLAN tag + 64 NET_SKB_PAD (x86_64: max(32, L1 cache line)) + 320
 * SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) on 6.x x86_64. */
#define VMCALC_RX_OVERHEAD (14u + 4u + 64u + 320u)

/* The kernel's int_sqrt (floor of the square root). */
uint64_t vmcalc_isqrt(uint64_t x);

/* True for the zones counted in lowmem_kbytes (gfp_zone(GFP_USER) and
 * below): DMA, DMA32, Normal. */
bool vmcalc_zone_is_lowmem(const char *name);

/* Sum of managed pages of lowmem zones, in KiB. At boot the high watermarks
 * are still 0, so nr_free_buffer_pages() is exactly this. */
uint64_t vmcalc_lowmem_kb(const struct zoneinfo *zi, uint64_t page_size);

/* The upper clamp of the default: 65536 before 5.10, 262144 from 5.10
 * (KERNEL-FACTS D.1: 5.4.214 and 5.10.0 trees checked). Unknown version:
 * 262144. */
uint64_t vmcalc_min_free_clamp_kb(unsigned kmajor, unsigned kminor);

/* clamp(int_sqrt(lowmem_kb * 16), 128, clamp). */
uint64_t vmcalc_default_min_free_kb(uint64_t lowmem_kb, unsigned kmajor, unsigned kminor);

/* What transparent hugepages raise min_free_kbytes to at boot:
 * pageblock_nr_pages * nr_zones * (2 + 3*3) pages, capped at 5 % of lowmem
 * (set_recommended_min_free_kbytes, mm/khugepaged.c@6.18). 0 when the
 * hugepage size is unknown. */
uint64_t vmcalc_thp_min_free_kb(const struct zoneinfo *zi, uint64_t page_size,
				uint64_t hpage_pmd_bytes, uint64_t lowmem_kb);

/* Bytes of one rx buffer for an MTU: MTU + VMCALC_RX_OVERHEAD rounded up to
 * a power of two (kmalloc size classes, page orders). */
uint64_t vmcalc_rx_buf_bytes(uint64_t mtu);

/* Page order of that buffer: 0 up to one page. */
unsigned vmcalc_rx_buf_order(uint64_t mtu, uint64_t page_size);

/* Largest MTU whose rx buffer fits in one page (order 0). */
uint64_t vmcalc_order0_mtu(uint64_t page_size);

struct vmcalc_nic {
	uint32_t ifaces, queues;	/* physical interfaces, their rx queues */
	uint64_t ring_bytes;		/* sum of queues x entries x buffer */
	uint64_t need_kb;		/* ring_bytes * 8/5, in KiB (rounded up) */
	uint64_t max_mtu;		/* 0 when no physical interface */
	char max_mtu_iface[32];
	int64_t max_speed_mbps;		/* -1: unknown */
};

/* Estimates what refilling every physical NIC's rx rings from the atomic
 * reserve takes. GFP_ATOMIC may go down to 3/8 of min (KERNEL-FACTS D.4),
 * i.e. use 5/8 of the reserve, so the reserve must be 8/5 of the rings. */
void vmcalc_nic(const struct net_dev *nd, struct vmcalc_nic *out);

/* Rounds KiB up to a multiple of 1024 (whole MiB), for recommended sysctls. */
uint64_t vmcalc_round_mib_kb(uint64_t kb);

/* What headroom recommends for vm.min_free_kbytes (zones.min_free_kbytes
 * and the metrics use this one formula): the largest of the kernel default,
 * the NIC rings' need (vmcalc_nic) and the THP raise, rounded up to whole
 * MiB, at most 5 % of lowmem (*capped then true). All KiB. */
uint64_t vmcalc_min_free_recommended_kb(uint64_t def_kb, uint64_t nic_need_kb, uint64_t thp_kb,
					uint64_t lowmem_kb, bool *capped);

#endif
