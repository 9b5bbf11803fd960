/* zones_sample.c - see zones_sample.h. */
#define _GNU_SOURCE
#include "kernel/zones_sample.h"

#include <errno.h>
#include <string.h>

#include "kernel/iface_read.h"
#include "kernel/vmread.h"
#include "snapshot/vmsnap.h"
#include "util/parse.h"
#include "util/page.h"

/* 4 MiB from the caller's scratch, of which a read touches what the file
 * needs: `wc -c` gave 5360 (zoneinfo), 3922 (vmstat), 300 (buddyinfo) on
 * this 2-vCPU 6.18 VM; zoneinfo grows by ~150 bytes per CPU per zone for
 * the pagesets, so 4 MiB covers thousands of CPUs. Bigger hosts get
 * -E2BIG and a note rather than a parse of a cut file. */

int zones_sample(const struct hr_root *root, void *state, struct hr_arena *scratch,
		 struct hr_notes *notes)
{
	struct zones_snap *s = state;
	size_t cap = ZONES_SAMPLE_BUF;
	char *buf = arena_alloc(scratch, cap);
	long n;
	int rc, zi_err = 0;

	if (!buf)
		return -ENOMEM;
	n = root_read(root, "proc/zoneinfo", buf, cap);
	rc = n < 0 ? (int)n : zoneinfo_parse(buf, (size_t)n, &s->zi);
	s->have_zoneinfo = rc == 0;
	if (rc) {
		zi_err = rc;
		note_add(notes, "proc/zoneinfo", rc, "zone watermarks not checked");
	}
	n = root_read(root, "proc/buddyinfo", buf, cap);
	rc = n < 0 ? (int)n : buddyinfo_parse(buf, (size_t)n, &s->bi);
	s->have_buddyinfo = rc == 0;
	if (rc)
		note_add(notes, "proc/buddyinfo", rc, "fragmentation not checked");
	n = root_read(root, "proc/vmstat", buf, cap);
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
	if (!s->have_zoneinfo && !s->have_buddyinfo)
		return zi_err ? zi_err : -ENODATA;
	return 0;
}
