/* net_sample.c - samplers of the conntrack and net areas (net_sample.h). */
#include "kernel/net_sample.h"
#include "kernel/ct_dump.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kernel/iface_read.h"
#include "kernel/vmread.h"
#include "snapshot/netns.h"
#include "snapshot/snmp.h"
#include "util/parse.h"
#include "util/page.h"

/* Largest file read here: /proc/net/softnet_stat is 15 x 9 bytes per CPU on
 * 6.18 (135 B; 1 MiB is 7000+ CPUs); /proc/net/netstat is 5.3 KiB on 6.18
 * (`wc -c`), /proc/net/stat/nf_conntrack 160 B per CPU. One buffer from the
 * caller's scratch per sample (NET_SAMPLE_SCRATCH). */
#define NET_BUF NET_SAMPLE_BUF

void net_ns_read(const struct hr_root *root, struct net_ns *ns)
{
	char link[64];
	uint64_t self = HR_UNSET, one = HR_UNSET;
	long n = root_readlink(root, "proc/self/ns/net", link, sizeof(link));

	if (n > 0 && netns_link_parse(link, (size_t)n, &self) != 0)
		self = HR_UNSET;
	n = root_readlink(root, "proc/1/ns/net", link, sizeof(link));
	if (n > 0 && netns_link_parse(link, (size_t)n, &one) != 0)
		one = HR_UNSET;
	ns->inode = self;
	ns->is_pid1 = self == HR_UNSET || one == HR_UNSET ? -1 : self == one;
	if (self == HR_UNSET)
		snprintf(ns->subject, sizeof(ns->subject), "this netns");
	else if (ns->is_pid1 == 1)
		snprintf(ns->subject, sizeof(ns->subject), "netns %llu (that of pid 1)",
			 (unsigned long long)self);
	else if (ns->is_pid1 == 0)
		snprintf(ns->subject, sizeof(ns->subject), "netns %llu (this netns, not pid 1's)",
			 (unsigned long long)self);
	else
		snprintf(ns->subject, sizeof(ns->subject), "netns %llu (this netns)",
			 (unsigned long long)self);
}

/* Reads a file of one decimal number. ENOENT leaves *out HR_UNSET and
 * returns -ENOENT quietly (not on this kernel / module not loaded); other
 * errors are noted. */
static int read_u64(const struct hr_root *root, const char *rel, uint64_t *out,
		    struct hr_notes *notes, const char *what)
{
	return vmread_u64_noted(root, rel, out, notes, what);
}

static uint64_t read_mem_total(const struct hr_root *root, char *buf, struct hr_notes *notes)
{
	static const struct hr_kv_key k[] = { { "MemTotal", 0 } };
	uint64_t v = HR_UNSET;
	long n = root_read(root, "proc/meminfo", buf, NET_BUF);

	if (n < 0)
		note_add(notes, "proc/meminfo", (int)n, "no RAM-based sizing advice");
	else if (kv_parse(buf, (size_t)n, k, 1, &v, true) < 0)
		note_add(notes, "proc/meminfo", EINVAL, "no RAM-based sizing advice");
	return v;
}

int conntrack_sample(const struct hr_root *root, void *state, bool ct_dump,
		     struct hr_arena *scratch, struct hr_notes *notes)
{
	struct conntrack_snap *s = state;
	char *buf = arena_alloc(scratch, NET_BUF);
	long n;

	if (!buf)
		return -ENOMEM;
	net_ns_read(root, &s->ns);
	read_u64(root, "proc/sys/net/netfilter/nf_conntrack_count", &s->count, notes,
		 "conntrack usage not checked");
	read_u64(root, "proc/sys/net/netfilter/nf_conntrack_max", &s->max, notes,
		 "conntrack usage not checked");
	read_u64(root, "proc/sys/net/netfilter/nf_conntrack_buckets", &s->buckets, notes,
		 "conntrack hash sizing not checked");
	read_u64(root, "proc/sys/net/netfilter/nf_conntrack_tcp_timeout_time_wait",
		 &s->tw_timeout_sec, notes, "conntrack TIME_WAIT timeout not checked");

	n = root_read(root, "proc/net/stat/nf_conntrack", buf, NET_BUF);
	if (n >= 0) {
		int rc = conntrack_stat_parse(buf, (size_t)n, &s->stat);
		if (rc)
			note_add(notes, "proc/net/stat/nf_conntrack", rc,
				      "conntrack drops not checked (unexpected format)");
		s->have_stat = rc == 0;
	} else if (n != -ENOENT) {
		note_add(notes, "proc/net/stat/nf_conntrack", (int)n, "conntrack drops not checked");
	}
	/* Not loaded: neither the sysctls nor the stat file exist. A read
	 * error other than ENOENT still means the module is there. */
	s->loaded = s->max != HR_UNSET || s->count != HR_UNSET || s->have_stat ||
		    n != -ENOENT;
	if (!s->loaded) {
		/* "Not loaded" needs the rest of /proc/sys/net to be there:
		 * without it (a capture of other areas, a damaged tree) the
		 * table was not looked at, which is not the same answer. */
		struct root_dir d;
		int e = root_dir_open(root, "proc/sys/net", &d);
		if (e)
			return e;
		root_dir_close(&d);
	}
	/* 6.18 hides nothing we read in a non-init netns, but 4.9-5.4 hide
	 * nf_conntrack_max in a non-init user namespace; the count comes from
	 * the stat file then (column "entries"). */
	if (s->count == HR_UNSET && s->have_stat)
		s->count = s->stat.entries;

	/* The breakdown only where a table is live: not in a capture. Bounded
	 * (ct_dump.h); without CAP_NET_ADMIN or nf_conntrack_netlink it is
	 * absent and the fix text stays generic, which is not worth a note. */
	if (ct_dump && root->is_host && s->loaded && s->count != HR_UNSET)
		(void)ct_dump_read(&s->breakdown, CT_DUMP_CAP_DEFAULT, CT_DUMP_BUDGET_USEC_DEFAULT, s->count);
	s->mem_total_bytes = read_mem_total(root, buf, notes);
	vmread_kver(root, &s->kmajor, &s->kminor);
	return 0;
}

/* Reads one of /proc/net/{snmp,netstat}; false if unreadable (noted). */
static bool read_snmp(const struct hr_root *root, const char *rel, enum netloss_src src,
		      struct netloss_snap *s, char *buf, struct hr_notes *notes)
{
	struct hr_kv_key keys[NL_EXPORTED];
	uint64_t vals[NL_EXPORTED];
	size_t nk = 0;
	long n = root_read(root, rel, buf, NET_BUF);
	int rc;

	for (size_t i = 0; i < NL_EXPORTED; i++)
		if (netloss_ctrs[i].src == src)
			keys[nk++] = (struct hr_kv_key){ netloss_ctrs[i].key, i };
	if (n < 0) {
		/* snmp6 is absent when IPv6 is disabled: not an error. */
		if (!(src == NL_SRC_SNMP6 && n == -ENOENT))
			note_add(notes, rel, (int)n, "its drop counters not checked");
		return false;
	}
	if (src == NL_SRC_SNMP6)
		rc = kv_parse(buf, (size_t)n, keys, nk, vals, false);
	else
		rc = snmp_parse(buf, (size_t)n, keys, nk, vals);
	if (rc < 0) {
		note_add(notes, rel, rc, "its drop counters not checked (unexpected format)");
		return false;
	}
	for (size_t i = 0; i < nk; i++)
		s->c[keys[i].index] = vals[keys[i].index];
	return true;
}

static void read_limits(const struct hr_root *root, const char *rel, uint64_t out[3],
			char *buf, struct hr_notes *notes)
{
	long n = root_read(root, rel, buf, 256);
	int rc = n < 0 ? (int)n : mem_limits_parse(buf, (size_t)n, out);

	if (rc) {
		out[0] = out[1] = out[2] = HR_UNSET;
		note_add(notes, rel, rc, "socket memory limits not checked");
	}
}

static void read_ifaces(const struct hr_root *root, struct netloss_snap *s, char *buf,
			struct hr_notes *notes)
{
	long n = root_read(root, "proc/net/dev", buf, NET_BUF);
	int rc = n < 0 ? (int)n : net_dev_parse(buf, (size_t)n, &s->dev);

	if (rc) {
		note_add(notes, "proc/net/dev", rc, "interface drops not checked");
		return;
	}
	s->have_dev = true;
	/* rx_missed_errors (NIC ring full) is folded into /proc/net/dev's
	 * "drop"; sysfs has the two apart. Interfaces can vanish between the
	 * two reads (ENOENT): the /proc/net/dev numbers stand then. */
	iface_read_drop_split(root, &s->dev, notes);
}

int netloss_sample(const struct hr_root *root, void *state, struct hr_arena *scratch,
		   struct hr_notes *notes)
{
	struct netloss_snap *s = state;
	char *buf = arena_alloc(scratch, NET_BUF);
	long n;

	if (!buf)
		return -ENOMEM;
	for (size_t i = 0; i < NL_EXPORTED; i++)
		s->c[i] = HR_UNSET;
	net_ns_read(root, &s->ns);
	s->have_snmp = read_snmp(root, "proc/net/snmp", NL_SRC_SNMP, s, buf, notes);
	s->have_netstat = read_snmp(root, "proc/net/netstat", NL_SRC_NETSTAT, s, buf, notes);
	s->have_snmp6 = read_snmp(root, "proc/net/snmp6", NL_SRC_SNMP6, s, buf, notes);

	n = root_read(root, "proc/net/sockstat", buf, NET_BUF);
	if (n >= 0) {
		int rc = sockstat_parse(buf, (size_t)n, &s->sockstat);
		if (rc)
			note_add(notes, "proc/net/sockstat", rc, "socket memory not checked");
		s->have_sockstat = rc == 0;
	} else {
		note_add(notes, "proc/net/sockstat", (int)n, "socket memory not checked");
	}
	read_limits(root, "proc/sys/net/ipv4/tcp_mem", s->tcp_mem, buf, notes);
	read_limits(root, "proc/sys/net/ipv4/udp_mem", s->udp_mem, buf, notes);
	/* sockstat counts pages of the running kernel; headroom runs where
	 * it reads (a fixture from another page size would be misread). */
	s->page_size = page_size();
	s->mem_total_bytes = read_mem_total(root, buf, notes);

	n = root_read(root, "proc/net/softnet_stat", buf, NET_BUF);
	if (n >= 0) {
		int rc = softnet_stat_parse(buf, (size_t)n, &s->softnet);
		if (rc)
			note_add(notes, "proc/net/softnet_stat", rc, "backlog drops not checked");
		s->have_softnet = rc == 0;
	} else {
		note_add(notes, "proc/net/softnet_stat", (int)n, "backlog drops not checked");
	}
	read_u64(root, "proc/sys/net/core/netdev_max_backlog", &s->netdev_max_backlog, notes,
		 "no backlog sizing advice");
	read_u64(root, "proc/sys/net/core/netdev_budget", &s->netdev_budget, notes,
		 "no budget advice");
	read_u64(root, "proc/sys/net/core/rmem_max", &s->rmem_max, notes, "no buffer advice");
	read_u64(root, "proc/sys/net/core/rmem_default", &s->rmem_default, notes,
		 "no buffer advice");
	read_ifaces(root, s, buf, notes);
	if (!s->have_snmp && !s->have_netstat && !s->have_sockstat && !s->have_softnet &&
	    !s->have_dev)
		return -ENOENT;
	return 0;
}
