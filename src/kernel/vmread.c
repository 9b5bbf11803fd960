/* vmread.c - see vmread.h. */
#define _GNU_SOURCE
#include "kernel/vmread.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "snapshot/kver.h"
#include "util/parse.h"

int vmread_u64(const struct hr_root *r, const char *rel, uint64_t *out)
{
	char buf[64];
	long n = root_read(r, rel, buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	return parse_u64_field((struct hr_span){ buf, (size_t)n }, out);
}

void vmread_sysctls(const struct hr_root *r, struct vm_sysctls *sc, struct hr_notes *notes)
{
	static const struct {
		const char *rel;
		size_t off;
	} t[] = {
		{ "proc/sys/vm/min_free_kbytes", offsetof(struct vm_sysctls, min_free_kbytes) },
		{ "proc/sys/vm/watermark_scale_factor", offsetof(struct vm_sysctls, watermark_scale_factor) },
		{ "proc/sys/vm/watermark_boost_factor", offsetof(struct vm_sysctls, watermark_boost_factor) },
		{ "proc/sys/vm/compaction_proactiveness", offsetof(struct vm_sysctls, compaction_proactiveness) },
		{ "proc/sys/vm/extfrag_threshold", offsetof(struct vm_sysctls, extfrag_threshold) },
		{ "proc/sys/vm/dirty_ratio", offsetof(struct vm_sysctls, dirty_ratio) },
		{ "proc/sys/vm/dirty_bytes", offsetof(struct vm_sysctls, dirty_bytes) },
		{ "proc/sys/vm/dirty_background_ratio", offsetof(struct vm_sysctls, dirty_background_ratio) },
		{ "proc/sys/vm/dirty_background_bytes", offsetof(struct vm_sysctls, dirty_background_bytes) },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t *slot = (uint64_t *)((char *)sc + t[i].off);
		*slot = HR_UNSET;
		int rc = vmread_u64(r, t[i].rel, slot);
		if (rc == 0)
			continue;
		*slot = HR_UNSET;
		/* Absent means "not on this kernel" (watermark_scale_factor
		 * before 4.6, compaction_proactiveness before 5.9). */
		if (rc != -ENOENT)
			note_add(notes, t[i].rel, rc, "taken as not set");
	}
}

static bool is_rx_queue(const char *name)
{
	return !strncmp(name, "rx-", 3);
}

int vmread_netdev(const struct hr_root *r, struct netdev *nd, struct hr_notes *notes)
{
	DIR *d;
	struct dirent *de;
	int rc = root_opendir(r, "sys/class/net", &d);

	nd->n = nd->dropped = 0;
	if (rc)
		return rc;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof(nd->ifs[0].name))
			continue;
		if (nd->n == NETDEV_MAX) {
			nd->dropped++;
			continue;
		}
		struct netdev_iface *f = &nd->ifs[nd->n++];
		char rel[256], link[512];
		uint64_t v;
		memset(f, 0, sizeof(*f));
		span_copy((struct hr_span){ de->d_name, strlen(de->d_name) }, f->name, sizeof(f->name));

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
		DIR *q;
		if (root_opendir(r, rel, &q) == 0) {
			struct dirent *qe;
			while ((qe = readdir(q))) {
				if (!is_rx_queue(qe->d_name))
					continue;
				f->rx_queues++;
				/* Read one small file per queue so that a
				 * `headroom snapshot` keeps the queue (an empty
				 * directory would not survive git). */
				char qrel[640], tmp[64];
				snprintf(qrel, sizeof(qrel), "%s/%s/rps_cpus", rel, qe->d_name);
				root_read(r, qrel, tmp, sizeof(tmp));
			}
			closedir(q);
		}
		/* speed: "-1" for virtio and links that are down, EINVAL when
		 * the driver has no link settings. */
		f->speed_mbps = -1;
		char buf[32];
		snprintf(rel, sizeof(rel), "sys/class/net/%s/speed", f->name);
		long n = root_read(r, rel, buf, sizeof(buf));
		if (n > 0 && parse_u64_field((struct hr_span){ buf, (size_t)n }, &v) == 0 &&
		    v <= INT64_MAX)
			f->speed_mbps = (int64_t)v;
	}
	closedir(d);
	/* readdir order is the filesystem's: sort so reports are stable. */
	for (size_t i = 1; i < nd->n; i++)
		for (size_t j = i; j > 0 && strcmp(nd->ifs[j - 1].name, nd->ifs[j].name) > 0; j--) {
			struct netdev_iface t = nd->ifs[j];
			nd->ifs[j] = nd->ifs[j - 1];
			nd->ifs[j - 1] = t;
		}
	return 0;
}

void vmread_kver(const struct hr_root *r, unsigned *kmajor, unsigned *kminor)
{
	char buf[128];
	long n = root_read(r, "proc/sys/kernel/osrelease", buf, sizeof(buf));

	*kmajor = *kminor = 0;
	if (n > 0)
		kver_parse(buf, (size_t)n, kmajor, kminor);
}
