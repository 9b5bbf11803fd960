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

int vmread_u64_noted(const struct hr_root *r, const char *rel, uint64_t *out, struct hr_notes *notes,
		     const char *what)
{
	char buf[64];
	long n = root_read(r, rel, buf, sizeof(buf));
	int rc;

	*out = HR_UNSET;
	if (n < 0) {
		if (n != -ENOENT)
			note_add(notes, rel, (int)n, "%s", what);
		return (int)n;
	}
	rc = parse_u64_field((struct hr_span){ buf, (size_t)n }, out);
	if (rc) {
		*out = HR_UNSET;
		note_add(notes, rel, rc, "%s (not a number)", what);
	}
	return rc;
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

/* osrelease is at most __NEW_UTS_LEN (64) bytes and a newline
 * (include/uapi/linux/utsname.h), so 128 holds every release. */
long vmread_release(const struct hr_root *r, char *buf, size_t cap)
{
	char raw[128];
	size_t n = 0;

	if (cap == 0)
		return -EINVAL;
	buf[0] = '\0';
	long len = root_read(r, "proc/sys/kernel/osrelease", raw, sizeof(raw));
	if (len < 0)
		return len;
	while (n < (size_t)len && n + 1 < cap && raw[n] > ' ' && raw[n] < 0x7f)
		n++;
	if (n == 0)
		return -ENODATA;
	memcpy(buf, raw, n);
	buf[n] = '\0';
	return (long)n;
}

void vmread_kver(const struct hr_root *r, unsigned *kmajor, unsigned *kminor)
{
	char buf[128];
	long n = vmread_release(r, buf, sizeof(buf));
	unsigned ma = 0, mi = 0;

	if (n <= 0 || kver_parse(buf, (size_t)n, &ma, &mi))
		ma = mi = 0;
	*kmajor = ma;
	*kminor = mi;
}
