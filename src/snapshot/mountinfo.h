/* mountinfo.h - one line of /proc/PID/mountinfo, and the kernel's octal
 * path escaping (shared with /proc/swaps).
 *
 * Everything here is pure: no I/O, no allocation, no logging. The caller
 * iterates lines itself (span_next_line) and keeps only what it needs, so a
 * container host with thousands of mounts costs no memory.
 */
#ifndef HR_SNAPSHOT_MOUNTINFO_H
#define HR_SNAPSHOT_MOUNTINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/parse.h"

#define MOUNTINFO_PATH_MAX 1024

struct mountinfo_entry {
	uint64_t mount_id, parent_id;
	uint32_t major, minor;		/* st_dev of files on this mount */
	char root[MOUNTINFO_PATH_MAX];	/* unescaped */
	char mount_point[MOUNTINFO_PATH_MAX];	/* unescaped */
	char fstype[64];		/* "nfs4", "fuse.sshfs" */
	char source[MOUNTINFO_PATH_MAX];	/* unescaped; "server:/export", "/dev/vda" */
	char mount_opts[256];		/* per-mount options: "rw,relatime" (cut if longer) */
	char super_opts[512];		/* per-sb options: "rw,vers=4.2,wsize=1048576" (cut) */
};

/* Undoes the kernel's seq_escape/mangle of paths: "\NNN" with three octal
 * digits becomes that byte ("\040" space, "\011" tab, "\012" newline, "\134"
 * backslash); any other byte is copied. Writes a NUL-terminated string into
 * dst[cap]. Returns its length, -ENAMETOOLONG if it does not fit, -EINVAL if
 * the result would contain a NUL ("\000") or an escape above "\377". */
long octal_unescape(struct hr_span s, char *dst, size_t cap);

/* Parses one mountinfo line (no newline):
 *   ID PARENT MAJ:MIN ROOT MOUNT_POINT MOUNT_OPTS [OPTIONAL...] - FSTYPE SOURCE SUPER_OPTS
 * Optional fields (0 or more, "shared:1 master:2") are skipped, as are
 * fields after SUPER_OPTS (a future kernel may add some). Returns 0,
 * -EINVAL if malformed (no " - " separator, bad numbers, bad escapes),
 * -ENAMETOOLONG for a path above MOUNTINFO_PATH_MAX, -ERANGE on overflow.
 * *out is undefined on error. */
int mountinfo_parse_line(const char *buf, size_t len, struct mountinfo_entry *out);

/* Validates a whole mountinfo text: counts entries into *n. Returns 0, or
 * the first line's error (so the fuzzer and tests cover the loop). Empty
 * text is -ENODATA (every process has a root mount). */
int mountinfo_parse(const char *buf, size_t len, size_t *n);

/* True if the mount point `mp` contains `path` (mp "/" contains all; "/mnt"
 * contains "/mnt" and "/mnt/x", not "/mntx"). Returns the length of mp to
 * rank candidates (longest wins), or -1. */
long mountinfo_prefix_len(const char *mp, const char *path);

/* True for filesystems whose data lives across the network: nfs, nfs4,
 * cifs, smb3, smb, ceph, afs, glusterfs, lustre, and every FUSE
 * filesystem ("fuse", "fuse.*", "fuseblk" excluded: it is a local block
 * device driven by a FUSE daemon, e.g. ntfs-3g). 9p is left out: its usual
 * transport is virtio, not a socket. KERNEL-FACTS H. */
bool mountinfo_fs_is_network(const char *fstype);

#endif
