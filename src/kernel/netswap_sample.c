/* netswap_sample.c - see netswap_sample.h: where each swap
 * area lives, following KERNEL-FACTS H:
 *   partition -> its block device (st_rdev on the live host; in a fixture,
 *                or when stat fails, the device name looked up among the
 *                /sys/dev/block links);
 *   file      -> the filesystem holding it: the mountinfo line whose
 *                MAJ:MIN is the file's st_dev on the live host; in a
 *                fixture (where stat would give the fixture's own st_dev),
 *                or when stat fails, the mount with the longest mount-point
 *                prefix of the path (later lines win ties: they are mounted
 *                on top). On a block filesystem, its device is walked next;
 *   device    -> /sys/dev/block/MAJ:MIN (name, resolved path, NVMe
 *                transport), and through slaves/ for dm-* and md*.
 * Deciding what is "network" is left to detect/netswap_class.c.
 */
#define _GNU_SOURCE
#include "kernel/netswap_sample.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "kernel/iface_read.h"
#include "kernel/vmread.h"
#include "snapshot/mountinfo.h"
#include "snapshot/vmsnap.h"
#include "util/parse.h"
#include "util/page.h"

#define BUF_CAP NETSWAP_SAMPLE_BUF
/* Truncating copy into a char array. */
#define SCOPY(dst, src) span_copy((struct hr_span){ (src), strlen(src) }, (dst), sizeof(dst))

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* "8:16\n" */
static int parse_devnum(const char *s, size_t len, uint32_t *maj, uint32_t *min)
{
	struct hr_span t = span_trim((struct hr_span){ s, len });
	long c = span_find(t, ":");
	uint64_t a, b;

	if (c <= 0 || parse_u64_field((struct hr_span){ t.p, (size_t)c }, &a) ||
	    parse_u64_field((struct hr_span){ t.p + c + 1, t.len - (size_t)c - 1 }, &b) ||
	    a > UINT32_MAX || b > UINT32_MAX)
		return -EINVAL;
	*maj = (uint32_t)a;
	*min = (uint32_t)b;
	return 0;
}

/* "sys/dev/block" joined with a link target ("../../devices/virtual/block/
 * nbd0") and normalized lexically ("sys/devices/virtual/block/nbd0"); that
 * is exact because sys/dev/block itself is a plain directory. Reading below
 * the resolved path (not through the MAJ:MIN link) lets `headroom snapshot`
 * record real directories that the captured link then points at. */
static int canon(const char *link, char *out, size_t cap)
{
	char tmp[768];
	size_t n = 0;

	if (link[0] == '/')
		snprintf(tmp, sizeof(tmp), "%s", link + 1);
	else
		snprintf(tmp, sizeof(tmp), "sys/dev/block/%s", link);
	out[0] = '\0';
	for (char *save = NULL, *c = strtok_r(tmp, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, ".") )
			continue;
		if (!strcmp(c, "..")) {
			char *sl = strrchr(out, '/');
			n = sl ? (size_t)(sl - out) : 0;
			out[n] = '\0';
			continue;
		}
		size_t l = strlen(c);
		if (n + l + 2 > cap)
			return -ENAMETOOLONG;
		if (n)
			out[n++] = '/';
		memcpy(out + n, c, l + 1);
		n += l;
	}
	return n ? 0 : -EINVAL;
}

static void read_transport(const struct hr_root *r, const char *base, struct netswap_dev *d)
{
	/* nvme0n1 -> device is the controller; nvme0n1p2 (a partition) has
	 * no device link, its parent has. */
	char rel[640], buf[64];

	for (int i = 0; i < 2; i++) {
		if (i == 0) {
			snprintf(rel, sizeof(rel), "%s/device/transport", base);
		} else {
			const char *sl = strrchr(base, '/');
			if (!sl)
				return;
			snprintf(rel, sizeof(rel), "%.*s/device/transport", (int)(sl - base), base);
		}
		long n = root_read(r, rel, buf, sizeof(buf));
		if (n > 0) {
			span_copy(span_trim((struct hr_span){ buf, (size_t)n }), d->transport,
				  sizeof(d->transport));
			return;
		}
	}
}

static void walk_dev(const struct hr_root *r, uint32_t maj, uint32_t min,
		     struct netswap_swap *sw, int depth)
{
	char rel[64], link[512];

	if (sw->ndevs == NETSWAP_DEVS_MAX || depth > 4)
		return;
	for (size_t i = 0; i < sw->ndevs; i++)
		if (sw->devs[i].major == maj && sw->devs[i].minor == min)
			return;
	struct netswap_dev *d = &sw->devs[sw->ndevs++];
	memset(d, 0, sizeof(*d));
	d->major = maj;
	d->minor = min;
	snprintf(rel, sizeof(rel), "sys/dev/block/%u:%u", maj, min);
	long n = root_readlink(r, rel, link, sizeof(link));
	if (n < 0)
		return;	/* unknown device: judged as local, said in the facts */
	SCOPY(d->syspath, link);
	SCOPY(d->name, base_name(link));
	char base[512];
	if (canon(link, base, sizeof(base)))
		return;
	if (!strncmp(d->name, "nvme", 4))
		read_transport(r, base, d);

	char srel[640];
	struct root_dir dir;	/* on the stack per level: depth <= 4 */
	const char *de;
	snprintf(srel, sizeof(srel), "%s/slaves", base);
	if (root_dir_open(r, srel, &dir))
		return;
	while ((de = root_dir_next(&dir, NULL))) {
		char drel[1024], buf[32];
		uint32_t a, b;
		if (de[0] == '.')
			continue;
		snprintf(drel, sizeof(drel), "%s/%s/dev", srel, de);
		long k = root_read(r, drel, buf, sizeof(buf));
		if (k > 0 && parse_devnum(buf, (size_t)k, &a, &b) == 0)
			walk_dev(r, a, b, sw, depth + 1);
	}
	root_dir_close(&dir);
}

/* The device whose /sys/dev/block link ends in `name`. */
static int dev_by_name(const struct hr_root *r, const char *name, uint32_t *maj, uint32_t *min)
{
	struct root_dir d;
	const char *de;
	int rc = root_dir_open(r, "sys/dev/block", &d);

	if (rc)
		return rc;
	rc = -ENOENT;
	while ((de = root_dir_next(&d, NULL))) {
		char rel[320], link[512];
		if (de[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "sys/dev/block/%s", de);
		if (root_readlink(r, rel, link, sizeof(link)) < 0 || strcmp(base_name(link), name))
			continue;
		if (parse_devnum(de, strlen(de), maj, min) == 0) {
			rc = 0;
			break;
		}
	}
	root_dir_close(&d);
	return rc;
}

/* A device node path ("/dev/nbd0", "/dev/mapper/swap" -> "../dm-1") to its
 * kernel name, following one symlink inside the root. */
static void node_name(const struct hr_root *r, const char *path, char *name, size_t cap)
{
	char link[512];

	const char *b = root_readlink(r, path, link, sizeof(link)) >= 0 ? base_name(link)
									: base_name(path);
	span_copy((struct hr_span){ b, strlen(b) }, name, cap);
}

static void resolve_partition(const struct hr_root *r, struct netswap_swap *sw)
{
	struct stat st;
	uint32_t maj, min;
	char name[256];

	if (r->is_host && root_stat(r, sw->e.path, &st) == 0 && S_ISBLK(st.st_mode)) {
		sw->how = NETSWAP_HOW_STAT;
		walk_dev(r, major(st.st_rdev), minor(st.st_rdev), sw, 0);
		return;
	}
	node_name(r, sw->e.path, name, sizeof(name));
	sw->err = dev_by_name(r, name, &maj, &min);
	if (sw->err)
		return;
	sw->how = NETSWAP_HOW_NAME;
	walk_dev(r, maj, min, sw, 0);
}

struct want {
	bool by_dev;
	uint32_t maj, min;
	long best;		/* prefix length of the best mount so far */
	struct mountinfo_entry m;
};

static void scan_mounts(struct netswap_snap *s, const char *buf, size_t len, struct want *w,
			struct mountinfo_entry *e, struct hr_notes *notes)
{
	struct hr_span line;
	size_t pos = 0, bad = 0;

	if (!e)
		return;
	while (span_next_line(buf, len, &pos, &line)) {
		if (!span_trim(line).len)
			continue;
		if (mountinfo_parse_line(line.p, line.len, e)) {
			bad++;
			continue;
		}
		if (mountinfo_fs_is_network(e->fstype)) {
			if (s->nmounts == NETSWAP_MOUNTS_MAX) {
				s->mounts_dropped++;
			} else {
				struct netswap_mount *m = &s->mounts[s->nmounts++];
				m->major = e->major;
				m->minor = e->minor;
				m->rw = !strncmp(e->mount_opts, "rw", 2) &&
					(e->mount_opts[2] == ',' || !e->mount_opts[2]);
				SCOPY(m->fstype, e->fstype);
				SCOPY(m->mount_point, e->mount_point);
				SCOPY(m->source, e->source);
				SCOPY(m->super_opts, e->super_opts);
			}
		}
		for (size_t i = 0; i < s->nswaps; i++) {
			if (s->sw[i].e.type != SWAPS_FILE)
				continue;
			if (w[i].by_dev) {
				if (e->major == w[i].maj && e->minor == w[i].min) {
					w[i].best = 1;
					w[i].m = *e;
				}
				continue;
			}
			long l = mountinfo_prefix_len(e->mount_point, s->sw[i].e.path);
			if (l >= 0 && l >= w[i].best) {
				w[i].best = l;
				w[i].m = *e;
			}
		}
	}
	if (bad)
		note_add(notes, "proc/self/mountinfo", EINVAL,
			      "%zu malformed line(s) skipped", bad);
}

static void resolve_files(const struct hr_root *r, struct netswap_snap *s, const char *buf,
			  size_t len, struct hr_arena *scratch, struct hr_notes *notes)
{
	struct want *w = arena_alloc(scratch, SWAPS_MAX * sizeof(*w));
	struct mountinfo_entry *e = arena_alloc(scratch, sizeof(*e));

	if (!w || !e)
		return;
	memset(w, 0, SWAPS_MAX * sizeof(*w));
	for (size_t i = 0; i < s->nswaps; i++) {
		struct stat st;
		w[i].best = -1;
		if (s->sw[i].e.type != SWAPS_FILE)
			continue;
		/* A deleted swap file cannot be stat'ed by path; its
		 * directory's mount is still the right one. */
		if (r->is_host && !s->sw[i].e.deleted && root_stat(r, s->sw[i].e.path, &st) == 0) {
			w[i].by_dev = true;
			w[i].maj = major(st.st_dev);
			w[i].min = minor(st.st_dev);
		}
	}
	scan_mounts(s, buf, len, w, e, notes);
	for (int pass = 0; pass < 2; pass++) {
		bool again = false;
		for (size_t i = 0; i < s->nswaps; i++) {
			struct netswap_swap *sw = &s->sw[i];
			if (sw->e.type != SWAPS_FILE || sw->have_mount)
				continue;
			if (w[i].best < 0) {
				/* st_dev matched no mount (btrfs subvolumes have
				 * their own anonymous st_dev): fall back to the
				 * path prefix. */
				if (w[i].by_dev && pass == 0) {
					w[i].by_dev = false;
					again = true;
				} else if (pass == 1 || !w[i].by_dev) {
					sw->err = -ENOENT;
				}
				continue;
			}
			sw->have_mount = true;
			sw->how = w[i].by_dev ? NETSWAP_HOW_STAT : NETSWAP_HOW_PREFIX;
			SCOPY(sw->fstype, w[i].m.fstype);
			SCOPY(sw->mount_point, w[i].m.mount_point);
			SCOPY(sw->source, w[i].m.source);
			SCOPY(sw->super_opts, w[i].m.super_opts);
			if (mountinfo_fs_is_network(sw->fstype))
				continue;
			if (w[i].m.major != 0) {
				walk_dev(r, w[i].m.major, w[i].m.minor, sw, 0);
			} else if (!strncmp(sw->source, "/dev/", 5)) {
				/* btrfs and others report an anonymous 0:N; the
				 * source names the device. */
				char name[256];
				uint32_t a, b;
				node_name(r, sw->source, name, sizeof(name));
				if (dev_by_name(r, name, &a, &b) == 0)
					walk_dev(r, a, b, sw, 0);
			}
		}
		if (!again)
			break;
		/* Keep the network mounts found in the first scan only. */
		size_t keep = s->nmounts, drop = s->mounts_dropped;
		scan_mounts(s, buf, len, w, e, notes);
		s->nmounts = keep;
		s->mounts_dropped = drop;
	}
}

size_t netswap_sample_scratch(void)
{
	return ARENA_PIECE(BUF_CAP) + ARENA_PIECE(sizeof(struct swaps)) +
	       ARENA_PIECE(SWAPS_MAX * sizeof(struct want)) +
	       ARENA_PIECE(sizeof(struct mountinfo_entry)) + 64;
}

int netswap_sample(const struct hr_root *root, void *state, struct hr_arena *scratch,
		   struct hr_notes *notes)
{
	struct netswap_snap *s = state;
	char *buf = arena_alloc(scratch, BUF_CAP);
	struct swaps *sw = arena_alloc(scratch, sizeof(*sw));
	long n;
	int rc, ret = 0;

	if (!buf || !sw)
		return -ENOMEM;
	n = root_read(root, "proc/swaps", buf, BUF_CAP);
	rc = n < 0 ? (int)n : swaps_parse(buf, (size_t)n, sw);
	s->have_swaps = rc == 0;
	if (rc) {
		note_add(notes, "proc/swaps", rc, "swap devices not checked");
		ret = rc;
	} else {
		s->nswaps = sw->n;
		for (size_t i = 0; i < sw->n; i++)
			s->sw[i].e = sw->e[i];
	}
	for (size_t i = 0; i < s->nswaps; i++)
		if (s->sw[i].e.type == SWAPS_PARTITION)
			resolve_partition(root, &s->sw[i]);

	n = root_read(root, "proc/self/mountinfo", buf, BUF_CAP);
	s->have_mountinfo = n > 0;
	if (n > 0)
		resolve_files(root, s, buf, (size_t)n, scratch, notes);
	else
		note_add(notes, "proc/self/mountinfo", n < 0 ? (int)n : ENODATA,
			      "network mounts and swap files not resolved");

	n = root_read(root, "proc/vmstat", buf, BUF_CAP);
	rc = n < 0 ? (int)n : vmstat_parse(buf, (size_t)n, &s->vs);
	s->have_vmstat = rc == 0;
	if (rc)
		note_add(notes, "proc/vmstat", rc, "dirty thresholds unknown");
	n = root_read(root, "proc/meminfo", buf, BUF_CAP);
	rc = n < 0 ? (int)n : meminfo_parse(buf, (size_t)n, &s->mi);
	s->have_meminfo = rc == 0;
	if (rc)
		note_add(notes, "proc/meminfo", rc, "dirty and writeback totals unknown");
	vmread_sysctls(root, &s->sc, notes);
	rc = iface_list_sysfs(root, &s->nd, notes);
	if (rc)
		note_add(notes, "sys/class/net", rc, "NIC ring reserve not estimated");
	s->page_size = page_size();
	/* Without /proc/swaps there is still writeback to judge; only a root
	 * with neither swaps nor mountinfo has nothing. */
	return s->have_swaps || s->have_mountinfo ? 0 : ret;
}
