/* netswap_judge.c - the netswap area: swap and dirty writeback that can only be
 * cleaned over the network (seed 002: to free memory the host must send,
 * and to send it needs memory; the kernel's answer is SOCK_MEMALLOC plus
 * the min_free_kbytes reserve). Pure judge over a struct netswap_snap
 * (kernel/netswap_sample.c). Thresholds and reasons: doc/check-netswap.md.
 */
#include "detect/netswap_class.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "detect/netswap_judge.h"
#include "snapshot/vmsnap.h"
#include "detect/vmcalc.h"
#include "snapshot/mountinfo.h"
#include "util/parse.h"
#include "util/shquote.h"

/* Writeback of the whole dirty limit over the link must finish within
 * this many seconds, else warn (see doc/check-netswap.md). */
#define DRAIN_WARN_S 10.0
/* Recommended dirty limit: 2 s of link rate. */
#define DRAIN_TARGET_S 2
/* Link rate assumed when sysfs reports none (virtio, bonding): 1 Gbit/s. */
#define ASSUMED_MBPS 1000
/* I/O in flight per network swap device when nothing says otherwise: 1 MiB
 * (NFS wsize default of modern servers; nbd/iSCSI max_sectors_kb is
 * usually 512-1280 KiB). */
#define DEFAULT_IO_BYTES (1u << 20)

static const char *how_name(enum netswap_how h)
{
	switch (h) {
	case NETSWAP_HOW_STAT: return "stat";
	case NETSWAP_HOW_PREFIX: return "mount-point prefix";
	case NETSWAP_HOW_NAME: return "device name";
	default: return "unresolved";
	}
}

static uint64_t io_bytes(const struct netswap_swap *sw)
{
	uint64_t w;
	if (sw->have_mount && netswap_opt_u64(sw->super_opts, "wsize", &w) && w)
		return w;
	return DEFAULT_IO_BYTES;
}

/* swap.network per network swap; sums the writes in flight of those with a
 * memalloc socket (they live on the reserve) into *io_total. */
static void judge_swaps(const struct netswap_snap *s, struct hr_findings *out,
			    uint64_t *io_total, size_t *nmemalloc)
{
	/* swap paths can hold spaces (\040 in /proc/swaps) and quotes */
	char q[4 * SWAPS_PATH_MAX + 3];

	*io_total = 0;
	*nmemalloc = 0;
	for (size_t i = 0; i < s->nswaps; i++) {
		const struct netswap_swap *sw = &s->sw[i];
		struct netswap_class c;
		netswap_classify(sw, &c);
		if (!c.network && strcmp(c.transport, "unknown"))
			continue;
		if (!c.network) {
			struct hr_finding *f = finding_add(out, "swap.unresolved", HR_SEV_WARN,
							   "%s", sw->e.path);
			fact_str(f, "type", swaps_type_name(sw->e.type));
			fact_u64(f, "size_bytes", sw->e.size_bytes);
			fact_i64(f, "error", sw->err < 0 ? -sw->err : sw->err);
			finding_explain(f, "headroom could not tell where swap %s lives (no mount "
					   "or block device found for it), so it cannot say whether "
					   "swapping to it needs the network.", sw->e.path);
			finding_fix_comment(f, "check by hand where it lives (lsblk -s for a "
					    "partition), then capture the host with headroom snapshot "
					    "and report it:");
			finding_fix_cmd(f, "findmnt -T %s", shell_quote(sw->e.path, q, sizeof(q)));
			continue;
		}
		enum hr_severity sev = c.memalloc ? HR_SEV_WARN : HR_SEV_CRIT;
		struct hr_finding *f = finding_add(out, "swap.network", sev, "%s", sw->e.path);
		fact_str(f, "type", swaps_type_name(sw->e.type));
		fact_str(f, "transport", c.transport);
		fact_str(f, "decided_by", c.device);
		fact_bool(f, "sock_memalloc", c.memalloc);
		fact_u64(f, "size_bytes", sw->e.size_bytes);
		fact_u64(f, "used_bytes", sw->e.used_bytes);
		fact_i64(f, "priority", sw->e.priority);
		fact_str(f, "resolved_by", how_name(sw->how));
		if (sw->have_mount) {
			fact_str(f, "mount_point", sw->mount_point);
			fact_str(f, "source", sw->source);
		}
		for (size_t d = 0; d < sw->ndevs; d++)
			if (sw->devs[d].name[0])
				fact_list_add(f, "devices", sw->devs[d].name);
		fact_u64(f, "io_bytes", io_bytes(sw));
		finding_explain(f, "Swap %s is written over the network (%s via %s). To free memory "
				   "by swapping out, the kernel must send packets and receive the "
				   "server's replies, and both need memory exactly when there is "
				   "none. ",
				sw->e.path, c.transport, c.device);
		if (c.memalloc) {
			finding_explain(f, "The %s socket is marked SOCK_MEMALLOC, so its packets may "
					   "use the min_free_kbytes reserve without watermarks: this "
					   "works only while that reserve is large enough and the "
					   "replies are not "
					   "drowned by other traffic (received skbs from the reserve "
					   "for other sockets are dropped, TcpExt PFMemallocDrop).",
					c.transport);
			finding_fix_comment(f, "prefer local swap or zram, keeping this one as a "
					    "lower-priority fallback, e.g.:");
			finding_fix_cmd(f, "dev=$(zramctl -f -s 1G) && mkswap \"$dev\" && "
					"swapon -p 10 \"$dev\"");
			finding_fix_comment(f, "and keep vm.min_free_kbytes large enough for the "
					    "network swap reserve");
			*io_total = sat_add(*io_total, io_bytes(sw));
			(*nmemalloc)++;
		} else {
			finding_explain(f, "%s does not mark its socket SOCK_MEMALLOC (%s), so the "
					   "reserve cannot help: under memory pressure swap-out stalls "
					   "and the host can deadlock.",
					c.transport,
					!strcmp(c.transport, "cifs") ? "the 6.18 source has 'TODO: add "
								       "sk_set_memalloc'"
					: !strcmp(c.transport, "rbd") ? "libceph never calls sk_set_memalloc"
								      : "no sk_set_memalloc caller");
			finding_fix_comment(f, "stop swapping there (free memory must take its %llu "
					    "used bytes back), then remove it from /etc/fstab:",
					    (unsigned long long)sw->e.used_bytes);
			finding_fix_cmd(f, "swapoff %s", shell_quote(sw->e.path, q, sizeof(q)));
			finding_fix_comment(f, "and use local swap or zram instead, e.g.:");
			finding_fix_cmd(f, "dev=$(zramctl -f -s 1G) && mkswap \"$dev\" && "
					"swapon \"$dev\"");
		}
	}
}

static void judge_reserve(const struct netswap_snap *s, const struct vmcalc_nic *nic,
			  uint64_t io_total, size_t nmemalloc, struct hr_findings *out)
{
	uint64_t mfk = s->sc.min_free_kbytes;
	if (!nmemalloc || mfk == HR_UNSET)
		return;
	/* rings refilled from the reserve, plus each device's in-flight write
	 * held twice: once in the socket's retransmit queue and once as skb
	 * truesize overhead (page frags, headers). */
	uint64_t io_kb = (sat_mul(io_total, 2) + 1023) / 1024;
	uint64_t need = sat_add(nic->need_kb, io_kb);
	if (mfk >= need)
		return;
	uint64_t rec = vmcalc_round_mib_kb(need);
	/* At most 5 % of MemTotal, as zones.min_free_kbytes: a bigger reserve
	 * is memory the host cannot use and invites OOM kills. */
	uint64_t cap_kb = s->have_meminfo && s->mi.total_bytes != HR_UNSET
				  ? s->mi.total_bytes / 1024 / 20 / 1024 * 1024 : 0;
	bool capped = cap_kb && rec > cap_kb;
	if (capped)
		rec = cap_kb;
	struct hr_finding *f = finding_add(out, "swap.reserve", HR_SEV_CRIT, "host");
	fact_u64(f, "min_free_kbytes", mfk);
	fact_u64(f, "need_kbytes", need);
	fact_u64(f, "nic_need_kbytes", nic->need_kb);
	fact_u64(f, "network_swap_io_bytes", io_total);
	fact_u64(f, "network_swaps", nmemalloc);
	fact_u64(f, "recommended_min_free_kbytes", rec);
	if (capped)
		fact_bool(f, "recommended_capped_at_5pct", true);
	finding_explain(f, "Swap over the network relies on the min_free_kbytes reserve for "
			   "the packets that carry swapped-out pages and the replies that "
			   "complete them (SOCK_MEMALLOC). The reserve is %llu kB, "
			   "less than the %llu kB estimated to keep %zu network swap device(s) "
			   "and the NIC rx rings going: swap-out can stall at the moment it is "
			   "needed.",
			(unsigned long long)mfk, (unsigned long long)need, nmemalloc);
	if (capped)
		finding_explain(f, " That is more than 5 %% of MemTotal (%llu kB), too much to "
				   "keep idle: headroom advises at most that; swap on a local "
				   "device or zram is the lasting fix.",
				(unsigned long long)cap_kb);
	if (rec > mfk)
		finding_fix_sysctl(f, "vm.min_free_kbytes", "%llu", (unsigned long long)rec);
	else
		finding_fix_comment(f, "do not raise vm.min_free_kbytes further (it is at the 5 %% "
				    "cap): move swap to a local device or zram");
	finding_explain(f, " Arithmetic: NIC rx rings %llu kB (%u queue(s) x %u entries "
		       "(assumed) x buffer, x 8/5) + 2 x %llu bytes of writes in flight "
		       "(NFS wsize, else 1 MiB per device; once in the retransmit queue, once as "
		       "skb overhead) = %llu kB, rounded up to whole MiB%s = %llu kB.",
		    (unsigned long long)nic->need_kb, nic->queues, VMCALC_RX_RING_ENTRIES,
		    (unsigned long long)io_total, (unsigned long long)need,
		    capped ? ", capped at 5 % of MemTotal" : "", (unsigned long long)rec);
}

static void judge_writeback(const struct netswap_snap *s, const struct vmcalc_nic *nic,
			    struct hr_findings *out)
{
	uint64_t thresh = HR_UNSET, bg = HR_UNSET;
	if (s->have_vmstat && s->vs.nr_dirty_threshold != HR_UNSET) {
		thresh = sat_mul(s->vs.nr_dirty_threshold, s->page_size);
		if (s->vs.nr_dirty_background_threshold != HR_UNSET)
			bg = sat_mul(s->vs.nr_dirty_background_threshold, s->page_size);
	} else if (s->sc.dirty_bytes != HR_UNSET && s->sc.dirty_bytes) {
		thresh = s->sc.dirty_bytes;
	}
	if (thresh == HR_UNSET)
		return;
	bool assumed = nic->max_speed_mbps <= 0;
	uint64_t mbps = assumed ? ASSUMED_MBPS : (uint64_t)nic->max_speed_mbps;
	/* bytes per second; a speed file holding nonsense must not wrap it
	 * to 0 */
	uint64_t rate = sat_mul(mbps, 1000000) / 8;
	if (!rate)
		rate = 1;
	double drain = (double)thresh / (double)rate;
	uint64_t rec = sat_mul(rate, DRAIN_TARGET_S) / (1 << 20) * (1 << 20);
	if (rec < (16u << 20))
		rec = 16u << 20;

	for (size_t i = 0; i < s->nmounts; i++) {
		const struct netswap_mount *m = &s->mounts[i];
		/* FUSE BDIs are already capped by the kernel (max_ratio 1 %,
		 * strictlimit), and read-only mounts carry no writeback. */
		if (!m->rw || !strncmp(m->fstype, "fuse", 4))
			continue;
		if (drain <= DRAIN_WARN_S)
			continue;
		bool dup = false;
		for (size_t j = 0; j < i; j++)
			dup |= s->mounts[j].major == m->major && s->mounts[j].minor == m->minor &&
			       s->mounts[j].rw;
		if (dup)
			continue;	/* bind mounts of the same filesystem */
		struct hr_finding *f = finding_add(out, "writeback.network", HR_SEV_WARN, "%s",
						   m->mount_point);
		uint64_t w;
		fact_str(f, "fstype", m->fstype);
		fact_str(f, "source", m->source);
		if (netswap_opt_u64(m->super_opts, "wsize", &w))
			fact_u64(f, "wsize_bytes", w);
		fact_u64(f, "dirty_threshold_bytes", thresh);
		if (bg != HR_UNSET)
			fact_u64(f, "dirty_background_threshold_bytes", bg);
		if (s->sc.dirty_bytes != HR_UNSET)
			fact_u64(f, "vm_dirty_bytes", s->sc.dirty_bytes);
		if (s->sc.dirty_ratio != HR_UNSET)
			fact_u64(f, "vm_dirty_ratio", s->sc.dirty_ratio);
		if (s->have_meminfo && s->mi.dirty_bytes != HR_UNSET)
			fact_u64(f, "dirty_now_bytes", s->mi.dirty_bytes);
		if (s->have_meminfo && s->mi.writeback_bytes != HR_UNSET)
			fact_u64(f, "writeback_now_bytes", s->mi.writeback_bytes);
		fact_u64(f, "link_speed_mbps", mbps);
		fact_bool(f, "link_speed_assumed", assumed);
		fact_f64(f, "drain_seconds", round(drain * 10) / 10);
		finding_explain(f, "%s is a %s mount written over the network. The kernel lets "
				   "dirty page cache grow to %.0f MiB before throttling writers; "
				   "pages dirty on this mount can only be cleaned by sending them, "
				   "which at %llu Mbit/s%s takes %.1f s for the whole limit. Under "
				   "memory pressure reclaim waits for that writeback while network "
				   "allocations compete for the same memory.",
				m->mount_point, m->fstype, mib_of(thresh), (unsigned long long)mbps,
				assumed ? " (assumed: the NIC reports no speed)" : "", drain);
		finding_explain(f, " Arithmetic: %llu Mbit/s = %llu bytes/s x %d s = %llu bytes "
				"(whole MiB, at least 16 MiB); background at half, the kernel's "
				"default 10:20 proportion.",
				(unsigned long long)mbps, (unsigned long long)rate, DRAIN_TARGET_S,
				(unsigned long long)rec);
		finding_fix_comment(f, "bound dirty memory by bytes, not ratio:");
		finding_fix_sysctl(f, "vm.dirty_bytes", "%llu", (unsigned long long)rec);
		finding_fix_sysctl(f, "vm.dirty_background_bytes", "%llu", (unsigned long long)rec / 2);
		if (!strncmp(m->fstype, "nfs", 3)) {
			finding_fix_comment(f, "or cap only this mount (its share of the dirty "
					    "limit, in %%):");
			finding_fix_cmd(f, "echo 5 > /sys/class/bdi/%u:%u/max_ratio",
					m->major, m->minor);
		}
	}
}

void netswap_judge(const void *before, const void *now, uint64_t interval_usec,
		  struct hr_findings *out)
{
	const struct netswap_snap *s = now;
	size_t start = out->n, nmem;
	uint64_t io;
	struct vmcalc_nic nic;

	(void)before;
	(void)interval_usec;
	vmcalc_nic(&s->nd, &nic);
	judge_swaps(s, out, &io, &nmem);
	judge_reserve(s, &nic, io, nmem, out);
	judge_writeback(s, &nic, out);
	for (size_t i = start; i < out->n; i++)
		if (out->items[i].severity != HR_SEV_OK)
			return;
	struct hr_finding *f = finding_add(out, "netswap.ok", HR_SEV_OK, "host");
	fact_bool(f, "swaps_read", s->have_swaps);
	fact_u64(f, "swaps", s->nswaps);
	for (size_t i = 0; i < s->nswaps; i++) {
		const struct netswap_swap *sw = &s->sw[i];
		char item[HR_FACT_STR_MAX];
		fact_list_add(f, "local_swaps", sw->e.path);
		/* how it was found, for whoever doubts the verdict */
		snprintf(item, sizeof(item), "%s%s%s (%s)", sw->have_mount ? sw->fstype : "",
			 sw->have_mount && sw->ndevs ? " on " : "",
			 sw->ndevs ? sw->devs[0].name : "", how_name(sw->how));
		fact_list_add(f, "local_swap_storage", item);
	}
	fact_u64(f, "network_mounts", s->nmounts);
	for (size_t i = 0; i < s->nmounts; i++)
		fact_list_add(f, "network_mount_points", s->mounts[i].mount_point);
	if (s->sc.min_free_kbytes != HR_UNSET)
		fact_u64(f, "min_free_kbytes", s->sc.min_free_kbytes);
	fact_u64(f, "nic_need_kbytes", nic.need_kb);
	finding_explain(f, "No swap area is on network storage%s, and no writable network "
			   "mount can hold more dirty pages than the link writes back in %.0f s%s.",
			s->have_swaps ? "" : " (/proc/swaps unreadable: not checked)", DRAIN_WARN_S,
			s->have_mountinfo ? "" : " (mountinfo unreadable: not checked)");
}
