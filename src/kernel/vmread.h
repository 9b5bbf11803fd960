/* vmread.h - reading the VM state shared by the zones and netswap
 * areas through a root (live host or fixture). Never logs; files that
 * cannot be read are reported with note_add() and left HR_UNSET.
 */
#ifndef HR_KERNEL_VMREAD_H
#define HR_KERNEL_VMREAD_H

#include <stddef.h>
#include <stdint.h>

#include "snapshot/note.h"
#include "kernel/root.h"
#include "snapshot/vmsnap.h"

/* Reads a one-number file ("67584\n") into *out. Returns 0 or -errno
 * (-EINVAL when it is not a single unsigned number). */
int vmread_u64(const struct hr_root *r, const char *rel, uint64_t *out);

/* vmread_u64, and a note saying `what` when the file exists but cannot be
 * read or parsed (absent, -ENOENT, is silent). *out is HR_UNSET on error. */
int vmread_u64_noted(const struct hr_root *r, const char *rel, uint64_t *out, struct hr_notes *notes,
		     const char *what);

/* Fills every /proc/sys/vm value of *sc; absent files stay HR_UNSET. A
 * file that exists but cannot be parsed is noted. */
void vmread_sysctls(const struct hr_root *r, struct vm_sysctls *sc, struct hr_notes *notes);

/* The one reader of /proc/sys/kernel/osrelease: the release up to its
 * first blank or control byte ("6.1.0-13-amd64"), NUL-terminated in
 * buf[0..cap), cut to cap - 1 bytes. Returns its length (> 0), or -errno
 * (-ENODATA: empty; -EINVAL: cap 0); buf is "" on error (cap > 0). */
long vmread_release(const struct hr_root *r, char *buf, size_t cap);

/* vmread_release as numbers (snapshot/kver.h); an unreadable or
 * unparsable release leaves 0.0. */
void vmread_kver(const struct hr_root *r, unsigned *kmajor, unsigned *kminor);

#endif
