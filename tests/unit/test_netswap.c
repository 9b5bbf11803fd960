/* test_netswap.c - where swap pages go: device and filesystem
 * classification (KERNEL-FACTS H), option parsing. */
#include "testutil.h"

#include <stdio.h>

#include "detect/netswap_judge.h"
#include "detect/netswap_class.h"
#include "snapshot/mountinfo.h"

static struct netswap_dev dev(const char *name, const char *path, const char *transport)
{
	struct netswap_dev d;
	memset(&d, 0, sizeof(d));
	snprintf(d.name, sizeof(d.name), "%s", name);
	snprintf(d.syspath, sizeof(d.syspath), "%s", path);
	snprintf(d.transport, sizeof(d.transport), "%s", transport);
	return d;
}

static void test_devices(void **state)
{
	(void)state;
	static const struct {
		const char *name, *path, *transport;
		bool network, memalloc;
		const char *label;
	} t[] = {
		{ "nbd0", "../../devices/virtual/block/nbd0", "", true, true, "nbd" },
		{ "nbd12p1", "../../devices/virtual/block/nbd12/nbd12p1", "", true, true, "nbd" },
		{ "nbdx", "../../devices/virtual/block/nbdx", "", false, false, "local" },
		{ "rbd0", "../../devices/virtual/block/rbd0", "", true, false, "rbd" },
		{ "sdb", "../../devices/platform/host3/session1/target3:0:0/3:0:0:0/block/sdb", "", true, true, "iscsi" },
		{ "sdb2", "../../devices/platform/host3/session1/target3:0:0/3:0:0:0/block/sdb/sdb2", "", true, true, "iscsi" },
		{ "sda", "../../devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda", "", false, false, "local" },
		{ "nvme0n1", "../../devices/virtual/nvme-fabrics/ctl/nvme0/nvme0n1", "tcp", true, true, "nvme-tcp" },
		{ "nvme1n1", "../../devices/virtual/nvme-fabrics/ctl/nvme1/nvme1n1", "rdma", true, false, "nvme-rdma" },
		{ "nvme2n1", "../../devices/pci0000:00/0000:00:04.0/nvme/nvme2/nvme2n1", "fc", true, false, "nvme-fc" },
		{ "nvme3n1", "../../devices/virtual/nvme-fabrics/ctl/nvme3/nvme3n1", "", true, false, "nvme-fabrics" },
		{ "nvme4n1", "../../devices/pci0000:00/0000:00:04.0/nvme/nvme4/nvme4n1", "pcie", false, false, "local" },
		{ "vda", "../../devices/pci0000:00/0000:00:02.0/virtio1/block/vda", "", false, false, "local" },
		{ "", "", "", false, false, "unknown" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct netswap_dev d = dev(t[i].name, t[i].path, t[i].transport);
		struct netswap_class c;
		netswap_classify_dev(&d, &c);
		assert_true(c.network == t[i].network);
		assert_true(c.memalloc == t[i].memalloc);
		assert_string_equal(c.transport, t[i].label);
	}
}

static void test_filesystems(void **state)
{
	(void)state;
	struct netswap_class c;
	netswap_classify_fs("nfs4", &c);
	assert_true(c.network && c.memalloc);
	assert_string_equal(c.transport, "nfs");
	netswap_classify_fs("smb3", &c);
	assert_true(c.network && !c.memalloc);
	assert_string_equal(c.transport, "cifs");
	netswap_classify_fs("fuse.sshfs", &c);
	assert_true(c.network && !c.memalloc);
	netswap_classify_fs("ceph", &c);
	assert_true(c.network && !c.memalloc);
	netswap_classify_fs("ext4", &c);
	assert_false(c.network);
	netswap_classify_fs("fuseblk", &c);
	assert_false(c.network);
	netswap_classify_fs("9p", &c);
	assert_false(c.network);
	assert_true(mountinfo_fs_is_network("fuse"));
	assert_false(mountinfo_fs_is_network("nfsd"));
}

static void test_swap_trees(void **state)
{
	(void)state;
	struct netswap_swap *sw = test_calloc(1, sizeof(*sw));
	struct netswap_class c;

	/* Unresolved: nothing known. */
	netswap_classify(sw, &c);
	assert_false(c.network);
	assert_string_equal(c.transport, "unknown");
	/* A file on ext4 on vda: local. */
	sw->have_mount = true;
	snprintf(sw->fstype, sizeof(sw->fstype), "ext4");
	sw->ndevs = 1;
	sw->devs[0] = dev("vda", "../../devices/pci0000:00/0000:00:02.0/virtio1/block/vda", "");
	netswap_classify(sw, &c);
	assert_false(c.network);
	assert_string_equal(c.transport, "local");
	/* md RAID1 over a local disk and an nbd leg: network. */
	sw->ndevs = 3;
	sw->devs[0] = dev("md0", "../../devices/virtual/block/md0", "");
	sw->devs[1] = dev("sda1", "../../devices/pci0000:00/x/block/sda/sda1", "");
	sw->devs[2] = dev("nbd1", "../../devices/virtual/block/nbd1", "");
	netswap_classify(sw, &c);
	assert_true(c.network && c.memalloc);
	assert_string_equal(c.device, "nbd1");
	/* ... plus an rbd leg: one leg without memalloc is enough. */
	sw->ndevs = 4;
	sw->devs[3] = dev("rbd0", "../../devices/virtual/block/rbd0", "");
	netswap_classify(sw, &c);
	assert_true(c.network && !c.memalloc);
	assert_string_equal(c.transport, "rbd");
	/* A file on nfs decides by the filesystem. */
	snprintf(sw->fstype, sizeof(sw->fstype), "nfs");
	sw->ndevs = 0;
	netswap_classify(sw, &c);
	assert_true(c.network && c.memalloc);
	test_free(sw);
}

static void test_opts(void **state)
{
	(void)state;
	uint64_t v = 0;
	assert_true(netswap_opt_u64("rw,vers=4.2,rsize=1048576,wsize=524288,hard", "wsize", &v));
	assert_true(v == 524288);
	assert_true(netswap_opt_u64("wsize=65536", "wsize", &v) && v == 65536);
	assert_false(netswap_opt_u64("rw,xwsize=5", "wsize", &v));
	assert_false(netswap_opt_u64("rw,wsize=", "wsize", &v));
	assert_false(netswap_opt_u64("rw,wsize=-1", "wsize", &v));
	assert_false(netswap_opt_u64("rw,wsize=18446744073709551616", "wsize", &v));
	assert_false(netswap_opt_u64("", "wsize", &v));
}



static const struct hr_finding *find_id(const struct hr_findings *fs, const char *id)
{
	for (size_t i = 0; i < fs->n; i++)
		if (!strcmp(fs->items[i].id, id))
			return &fs->items[i];
	return NULL;
}

/* The judge's advice: swap paths as one shell word, min_free_kbytes never
 * above 5 % of MemTotal, a nonsense link speed does not wrap the rate. */
static void test_judge_advice(void **state)
{
	(void)state;
	struct netswap_snap *s = test_calloc(1, sizeof(*s));
	struct hr_finding *items = test_calloc(16, sizeof(*items));
	struct hr_findings fs;
	hr_findings_init(&fs, items, 16);

	s->have_swaps = s->have_mountinfo = s->have_meminfo = true;
	s->page_size = 4096;
	s->mi.total_bytes = UINT64_C(1) << 30;
	s->sc.min_free_kbytes = 1000;
	s->sc.dirty_bytes = HR_UNSET;
	s->nswaps = 2;
	snprintf(s->sw[0].e.path, sizeof(s->sw[0].e.path), "/srv/my share/swap'file");
	s->sw[0].e.type = SWAPS_FILE;
	s->sw[0].have_mount = true;
	snprintf(s->sw[0].fstype, sizeof(s->sw[0].fstype), "cifs");
	snprintf(s->sw[1].e.path, sizeof(s->sw[1].e.path), "/mnt/nfs/swap");
	s->sw[1].e.type = SWAPS_FILE;
	s->sw[1].have_mount = true;
	snprintf(s->sw[1].fstype, sizeof(s->sw[1].fstype), "nfs");
	/* 64 rx queues at MTU 9000: 64 x 1024 x 16 KiB x 8/5 = 1.6 GiB */
	s->nd.n = 1;
	s->nd.ifs[0] = (struct net_dev_if){ .name = "eth0", .mtu = 9000, .rx_queues = 64, .physical = true, .speed_mbps = INT64_MAX };
	netswap_judge(NULL, s, 0, &fs);

	const struct hr_finding *f = find_id(&fs, "swap.network");
	assert_non_null(f);
	assert_non_null(strstr(f->fix, "\nswapoff '/srv/my share/swap'\\''file'\n"));
	f = find_id(&fs, "swap.reserve");
	assert_non_null(f);
	/* 5 % of 1 GiB = 52428 kB, whole MiB: 51 x 1024 = 52224 */
	assert_true(finding_fact(f, "recommended_min_free_kbytes")->v.u == 52224);
	assert_true(finding_fact(f, "recommended_capped_at_5pct")->v.b);
	assert_non_null(strstr(f->fix, "sysctl -w vm.min_free_kbytes=52224\n"));
	/* already at the cap: nothing to raise */
	s->sc.min_free_kbytes = 60000;
	hr_findings_reset(&fs);
	netswap_judge(NULL, s, 0, &fs);
	f = find_id(&fs, "swap.reserve");
	assert_non_null(f);
	assert_null(strstr(f->fix, "sysctl -w"));

	/* writeback over a link that claims INT64_MAX Mbit/s: drains at once */
	s->nswaps = 0;
	s->nmounts = 1;
	s->mounts[0] = (struct netswap_mount){ .major = 0, .minor = 53, .rw = true };
	snprintf(s->mounts[0].fstype, sizeof(s->mounts[0].fstype), "nfs4");
	snprintf(s->mounts[0].mount_point, sizeof(s->mounts[0].mount_point), "/mnt/nfs");
	s->sc.dirty_bytes = UINT64_C(1) << 40;
	hr_findings_reset(&fs);
	netswap_judge(NULL, s, 0, &fs);
	assert_null(find_id(&fs, "writeback.network"));
	/* and a slow one warns with a finite drain time */
	s->nd.ifs[0].speed_mbps = 1;
	hr_findings_reset(&fs);
	netswap_judge(NULL, s, 0, &fs);
	f = find_id(&fs, "writeback.network");
	assert_non_null(f);
	assert_true(finding_fact(f, "drain_seconds")->v.f > 8e6);
	test_free(items);
	test_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_devices),
		cmocka_unit_test(test_filesystems),
		cmocka_unit_test(test_swap_trees),
		cmocka_unit_test(test_opts),
		cmocka_unit_test(test_judge_advice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
