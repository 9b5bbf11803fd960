/* zones_sample.c - see zones_sample.h. */
#define _GNU_SOURCE
#include "kernel/zones_sample.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/iface_read.h"
#include "kernel/vmread.h"
#include "snapshot/vmsnap.h"
#include "util/parse.h"
#include "util/page.h"

/* 64 KiB: `wc -c` gave 5360 (zoneinfo), 3922 (vmstat), 300 (buddyinfo) on
 * this 2-vCPU 6.18 VM; zoneinfo grows by ~150 bytes per CPU per zone for
 * the pagesets, so 64 KiB covers ~60 CPUs x 5 zones. Bigger hosts get
 * -E2BIG and a note rather than a parse of a cut file; retry with 4 MiB. */
#define SMALL_CAP (64u << 10)
#define BIG_CAP (4u << 20)

static long read_grow(const struct hr_root *r, const char *rel, char **buf, size_t *cap)
{
	long n = root_read(r, rel, *buf, *cap);

	if (n == -E2BIG && *cap < BIG_CAP) {
		char *b = realloc(*buf, BIG_CAP);
		if (!b)
			return -ENOMEM;
		*buf = b;
		*cap = BIG_CAP;
		n = root_read(r, rel, *buf, *cap);
	}
	return n;
}

int zones_sample(const struct hr_root *root, void *state, struct hr_notes *notes)
{
	struct zones_snap *s = state;
	size_t cap = SMALL_CAP;
	char *buf = malloc(cap);
	long n;
	int rc, zi_err = 0;

	if (!buf)
		return -ENOMEM;
	n = read_grow(root, "proc/zoneinfo", &buf, &cap);
	rc = n < 0 ? (int)n : zoneinfo_parse(buf, (size_t)n, &s->zi);
	s->have_zoneinfo = rc == 0;
	if (rc) {
		zi_err = rc;
		note_add(notes, "proc/zoneinfo", rc, "zone watermarks not checked");
	}
	n = read_grow(root, "proc/buddyinfo", &buf, &cap);
	rc = n < 0 ? (int)n : buddyinfo_parse(buf, (size_t)n, &s->bi);
	s->have_buddyinfo = rc == 0;
	if (rc)
		note_add(notes, "proc/buddyinfo", rc, "fragmentation not checked");
	n = read_grow(root, "proc/vmstat", &buf, &cap);
	rc = n < 0 ? (int)n : vmstat_parse(buf, (size_t)n, &s->vs);
	s->have_vmstat = rc == 0;
	if (rc)
		note_add(notes, "proc/vmstat", rc, "allocation stalls and compaction not checked");

	vmread_sysctls(root, &s->sc, notes);
	rc = iface_list_sysfs(root, &s->nd, notes);
	if (rc)
		note_add(notes, "sys/class/net", rc, "NIC ring reserve not estimated");
	vmread_kver(root, &s->kmajor, &s->kminor);
	s->page_size = page_size();

	/* "always [madvise] never": THP raises min_free_kbytes at boot
	 * (set_recommended_min_free_kbytes, KERNEL-FACTS D.1). */
	s->thp = -1;
	n = root_read(root, "sys/kernel/mm/transparent_hugepage/enabled", buf, cap);
	if (n > 0)
		s->thp = strstr(buf, "[never]") ? 0 : strchr(buf, '[') ? 1 : -1;
	s->hpage_pmd_bytes = HR_UNSET;
	if (vmread_u64(root, "sys/kernel/mm/transparent_hugepage/hpage_pmd_size",
		       &s->hpage_pmd_bytes))
		s->hpage_pmd_bytes = HR_UNSET;
	free(buf);
	if (!s->have_zoneinfo && !s->have_buddyinfo)
		return zi_err ? zi_err : -ENODATA;
	return 0;
}
