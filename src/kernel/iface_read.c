/* iface_read.c - see iface_read.h. */
#define _GNU_SOURCE
#include "kernel/iface_read.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kernel/vmread.h"
#include "util/parse.h"

static bool is_rx_queue(const char *name)
{
	return !strncmp(name, "rx-", 3);
}

static void read_attrs(const struct hr_root *r, struct net_dev_if *f, struct hr_notes *notes)
{
	char rel[256], link[512], buf[32];
	uint64_t v;

	snprintf(rel, sizeof(rel), "sys/class/net/%s/mtu", f->name);
	f->mtu = HR_UNSET;
	int e = vmread_u64(r, rel, &f->mtu);
	if (e) {
		f->mtu = HR_UNSET;
		/* An interface removed while we list is a normal race. */
		if (e != -ENOENT && e != -ENODEV)
			note_add(notes, rel, e, "MTU of %s unknown", f->name);
	}
	snprintf(rel, sizeof(rel), "sys/class/net/%s/device", f->name);
	f->physical = root_readlink(r, rel, link, sizeof(link)) >= 0;

	snprintf(rel, sizeof(rel), "sys/class/net/%s/queues", f->name);
	struct root_dir q;
	if (root_dir_open(r, rel, &q) == 0) {
		const char *qn;
		while ((qn = root_dir_next(&q, NULL))) {
			if (!is_rx_queue(qn))
				continue;
			f->rx_queues++;
			/* Read one small file per queue so that a `headroom
			 * snapshot` keeps the queue (an empty directory would
			 * not survive git). */
			char qrel[640], tmp[64];
			snprintf(qrel, sizeof(qrel), "%s/%s/rps_cpus", rel, qn);
			root_read(r, qrel, tmp, sizeof(tmp));
		}
		root_dir_close(&q);
	}
	/* speed: "-1" for virtio and links that are down, EINVAL when the
	 * driver has no link settings. */
	f->speed_mbps = -1;
	snprintf(rel, sizeof(rel), "sys/class/net/%s/speed", f->name);
	long n = root_read(r, rel, buf, sizeof(buf));
	if (n > 0 && parse_u64_field((struct hr_span){ buf, (size_t)n }, &v) == 0 && v <= INT64_MAX)
		f->speed_mbps = (int64_t)v;
}

int iface_list_sysfs(const struct hr_root *r, struct net_dev *nd, struct hr_notes *notes)
{
	struct root_dir d;
	const char *name;
	int rc = root_dir_open(r, "sys/class/net", &d);

	nd->n = nd->dropped = 0;
	if (rc)
		return rc;
	while ((name = root_dir_next(&d, NULL))) {
		if (name[0] == '.' || strlen(name) >= sizeof(nd->ifs[0].name))
			continue;
		if (nd->n == NET_DEV_MAX) {
			nd->dropped++;
			continue;
		}
		struct net_dev_if *f = &nd->ifs[nd->n++];
		memset(f, 0, sizeof(*f));
		span_copy((struct hr_span){ name, strlen(name) }, f->name, sizeof(f->name));
		f->rx_bytes = f->rx_packets = f->rx_errs = HR_UNSET;
		f->rx_drop = f->rx_fifo = f->tx_drop = HR_UNSET;
		f->rx_dropped_sys = f->rx_missed_sys = HR_UNSET;
		read_attrs(r, f, notes);
	}
	root_dir_close(&d);
	for (size_t i = 1; i < nd->n; i++)
		for (size_t j = i; j > 0 && strcmp(nd->ifs[j - 1].name, nd->ifs[j].name) > 0; j--) {
			struct net_dev_if t = nd->ifs[j];
			nd->ifs[j] = nd->ifs[j - 1];
			nd->ifs[j - 1] = t;
		}
	return 0;
}

static int read_stat(const struct hr_root *r, const char *rel, uint64_t *out, struct hr_notes *notes)
{
	return vmread_u64_noted(r, rel, out, notes, "interface drop split not read");
}

void iface_read_drop_split(const struct hr_root *r, struct net_dev *nd, struct hr_notes *notes)
{
	for (size_t i = 0; i < nd->n; i++) {
		struct net_dev_if *d = &nd->ifs[i];
		char rel[96];
		uint64_t v;

		snprintf(rel, sizeof(rel), "sys/class/net/%s/statistics/rx_dropped", d->name);
		if (read_stat(r, rel, &v, notes) == 0)
			d->rx_dropped_sys = v;
		snprintf(rel, sizeof(rel), "sys/class/net/%s/statistics/rx_missed_errors", d->name);
		if (read_stat(r, rel, &v, notes) == 0)
			d->rx_missed_sys = v;
	}
}
