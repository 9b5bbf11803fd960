/* vmcalc.c - see vmcalc.h. */
#include "detect/vmcalc.h"

#include <string.h>

#include "snapshot/kver.h"
#include "util/parse.h"

uint64_t vmcalc_isqrt(uint64_t x)
{
	uint64_t r = 0, bit = (uint64_t)1 << 62;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

bool vmcalc_zone_is_lowmem(const char *name)
{
	return !strcmp(name, "DMA") || !strcmp(name, "DMA32") || !strcmp(name, "Normal");
}

uint64_t vmcalc_lowmem_kb(const struct zoneinfo *zi, uint64_t page_size)
{
	uint64_t pages = 0;

	for (size_t i = 0; i < zi->n; i++)
		if (vmcalc_zone_is_lowmem(zi->zones[i].name))
			pages = sat_add(pages, zi->zones[i].managed_pages);
	return sat_mul(pages, page_size / 1024);
}

uint64_t vmcalc_min_free_clamp_kb(unsigned kmajor, unsigned kminor)
{
	if (kmajor && !kver_at_least(kmajor, kminor, 5, 10))
		return 65536;
	return 262144;
}

uint64_t vmcalc_default_min_free_kb(uint64_t lowmem_kb, unsigned kmajor, unsigned kminor)
{
	uint64_t v = vmcalc_isqrt(sat_mul(lowmem_kb, 16)), hi = vmcalc_min_free_clamp_kb(kmajor, kminor);

	return v < 128 ? 128 : v > hi ? hi : v;
}

uint64_t vmcalc_thp_min_free_kb(const struct zoneinfo *zi, uint64_t page_size,
				uint64_t hpage_pmd_bytes, uint64_t lowmem_kb)
{
	uint64_t zones = 0;

	if (hpage_pmd_bytes == HR_UNSET || hpage_pmd_bytes < page_size || !page_size)
		return 0;
	/* for_each_populated_zone, skipping zones above gfp_zone(GFP_USER) */
	for (size_t i = 0; i < zi->n; i++)
		if (vmcalc_zone_is_lowmem(zi->zones[i].name) && zi->zones[i].present_pages &&
		    zi->zones[i].present_pages != HR_UNSET)
			zones++;
	uint64_t pageblock = hpage_pmd_bytes / page_size;
	uint64_t pages = sat_mul(sat_mul(pageblock, zones), 2 + 3 * 3);
	uint64_t kb = sat_mul(pages, page_size / 1024), cap = lowmem_kb / 20;
	return kb < cap ? kb : cap;
}

uint64_t vmcalc_rx_buf_bytes(uint64_t mtu)
{
	uint64_t need = sat_add(mtu, VMCALC_RX_OVERHEAD), b = 1;

	while (b < need && b < ((uint64_t)1 << 62))
		b <<= 1;
	return b;
}

unsigned vmcalc_rx_buf_order(uint64_t mtu, uint64_t page_size)
{
	uint64_t b = vmcalc_rx_buf_bytes(mtu), p = page_size;
	unsigned o = 0;

	while (p < b) {
		p <<= 1;
		o++;
	}
	return o;
}

uint64_t vmcalc_order0_mtu(uint64_t page_size)
{
	return page_size > VMCALC_RX_OVERHEAD ? page_size - VMCALC_RX_OVERHEAD : 0;
}

void vmcalc_nic(const struct net_dev *nd, struct vmcalc_nic *out)
{
	memset(out, 0, sizeof(*out));
	out->max_speed_mbps = -1;
	for (size_t i = 0; i < nd->n; i++) {
		const struct net_dev_if *f = &nd->ifs[i];
		/* lo, bridges, veth, ifb, tun: no device link, no rings. */
		if (!f->physical || f->mtu == HR_UNSET)
			continue;
		uint32_t q = f->rx_queues ? f->rx_queues : 1;
		out->ifaces++;
		out->queues += q;
		out->ring_bytes = sat_add(out->ring_bytes,
					  sat_mul(sat_mul(q, VMCALC_RX_RING_ENTRIES),
						  vmcalc_rx_buf_bytes(f->mtu)));
		if (f->mtu > out->max_mtu) {
			out->max_mtu = f->mtu;
			memcpy(out->max_mtu_iface, f->name, sizeof(out->max_mtu_iface));
		}
		if (f->speed_mbps > out->max_speed_mbps)
			out->max_speed_mbps = f->speed_mbps;
	}
	/* KiB, rounded up, times 8/5 */
	uint64_t kb = sat_add(out->ring_bytes, 1023) / 1024;
	out->need_kb = (sat_mul(kb, 8) + 4) / 5;
}

uint64_t vmcalc_round_mib_kb(uint64_t kb)
{
	return sat_mul((sat_add(kb, 1023)) / 1024, 1024);
}

uint64_t vmcalc_min_free_recommended_kb(uint64_t def_kb, uint64_t nic_need_kb, uint64_t thp_kb,
					uint64_t lowmem_kb, bool *capped)
{
	uint64_t required = def_kb > nic_need_kb ? def_kb : nic_need_kb;
	uint64_t rec = vmcalc_round_mib_kb(required > thp_kb ? required : thp_kb);
	uint64_t cap5 = lowmem_kb / 20;

	/* Never advise more than 5 % of lowmem, the kernel's own cap on its
	 * THP raise: no ordinary allocation may use the reserve and kswapd
	 * keeps low/high above it, so a bigger one starves a host whose
	 * anon memory fills the rest (admin-guide/sysctl/vm.rst: too high a
	 * value OOMs the machine). Only the NIC estimate gets there (many
	 * queues x 1024 jumbo buffers); fewer or smaller rings are the fix. */
	*capped = cap5 >= 1024 && rec > cap5;
	if (*capped)
		rec = cap5 / 1024 * 1024;
	return rec;
}
