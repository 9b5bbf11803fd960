/* root.h - every kernel file headroom reads goes through one root directory.
 *
 * The root is "/" on the live host and a fixture tree (a capture made by
 * `headroom snapshot`, or a synthetic tree) in tests, so the same code runs
 * on both. Paths are relative to the root ("proc/meminfo"; a leading '/' is
 * ignored). Below a root other than "/", symlinks are resolved inside the
 * root (openat2 RESOLVE_IN_ROOT, Linux 5.6+), so an absolute link in a
 * capture cannot escape it.
 *
 * All functions return 0 / a non-negative count, or a negative errno. They
 * never log. A recorder, when set, is told of every path read so that
 * `headroom snapshot` captures exactly what headroom looks at.
 */
#ifndef HR_KERNEL_ROOT_H
#define HR_KERNEL_ROOT_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

enum hr_rec_kind { HR_REC_FILE, HR_REC_DIR, HR_REC_LINK };

struct hr_root {
	int fd;			/* O_PATH|O_DIRECTORY fd of the root */
	bool is_host;		/* root is "/" */
	char path[4096];
	/* Optional: called after each successful read/opendir/readlink. */
	void (*record)(void *arg, enum hr_rec_kind kind, const char *rel);
	void *record_arg;
};

/* Opens the root. -errno if path is not a readable directory. */
int root_open(struct hr_root *r, const char *path);
void root_close(struct hr_root *r);

/* openat relative to the root; returns an fd or -errno. O_CLOEXEC and
 * O_NONBLOCK are added (O_NONBLOCK not with O_PATH), so a FIFO in a tree
 * never blocks the open; a FIFO, socket or block device is then refused with
 * -EINVAL (regular files, directories and character devices such as
 * /dev/kmsg pass). */
int root_openat(const struct hr_root *r, const char *rel, int flags);

/* The resolution every host write uses, on the live host too: openat2 with
 * RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS below the
 * directory fd dfd (r->fd, or a cgroup directory's fd), or before Linux 5.6
 * a walk with O_NOFOLLOW on every component. A path with a ".." or "."
 * component is -EINVAL, a symlink anywhere on the way -ELOOP (or -EXDEV),
 * anything but a regular file or directory (O_DIRECTORY / O_PATH)
 * -EINVAL. O_CLOEXEC and O_NONBLOCK are added. */
int root_openat_strict(int dfd, const char *rel, int flags);
/* Writes s to dfd/rel opened with root_openat_strict. 0 or -errno. */
int root_write_strict(int dfd, const char *rel, const char *s);

/* Reads a whole file into buf[0..cap-1] and NUL-terminates it. Returns the
 * length, -E2BIG if the file did not fit (never parse a cut file), -EINVAL
 * if it is not a regular file (a FIFO or device in a tree is not read), or
 * the -errno of open/read. Kernel files are read with a single loop of read()s
 * until EOF because procfs/sysfs report size 0. */
long root_read(const struct hr_root *r, const char *rel, char *buf, size_t cap);

/* Reads file `name` (one component) of directory dfd, an fd from
 * root_openat(r, dir_rel, O_RDONLY | O_DIRECTORY): what root_read(r,
 * "dir_rel/name") reads, with one lookup instead of a path walk (readers
 * of many files per directory). A link as the name is -ELOOP. dir_rel is
 * for the recorder only. Same returns as root_read. */
long root_read_at(const struct hr_root *r, int dfd, const char *dir_rel, const char *name,
		  char *buf, size_t cap);

/* pread from offset 0 of an already open fd, NUL-terminated, same returns
 * as root_read. For hot files kept open by the daemon. */
long fd_reread(int fd, char *buf, size_t cap);

/* Opens a directory for listing; *out is owned by the caller (closedir). */
int root_opendir(const struct hr_root *r, const char *rel, DIR **out);

/* A directory listing without the heap: opendir() mallocs a DIR (32 KiB
 * with glibc 2.36) per listing, this reads getdents64 into the struct's
 * own buffer (on the caller's stack). Names come in the filesystem's
 * order; "." and ".." are skipped. */
struct root_dir {
	int fd;
	bool own;		/* fd was opened here (closed by root_dir_close) */
	bool eof;
	int err;		/* 0, or the -errno that ended the listing early */
	size_t pos, len;
	_Alignas(8) char buf[8192];
};

/* Opens rel below the root for listing (recorded as HR_REC_DIR). 0 or
 * -errno; *d is then closed with root_dir_close(). */
int root_dir_open(const struct hr_root *r, const char *rel, struct root_dir *d);

/* Lists the directory fd dfd from its start (it stays the caller's and
 * open after root_dir_close). dir_rel is for the recorder only. 0 or -errno. */
int root_dir_open_fd(const struct hr_root *r, int dfd, const char *dir_rel, struct root_dir *d);

/* The next entry's name (valid until the next call) and its d_type
 * (DT_UNKNOWN where the filesystem does not say), or NULL at the end or
 * on an error (then d->err < 0). */
const char *root_dir_next(struct root_dir *d, unsigned char *type);

void root_dir_close(struct root_dir *d);

/* readlink relative to the root; NUL-terminated; -E2BIG if cut. */
long root_readlink(const struct hr_root *r, const char *rel, char *buf, size_t cap);

/* fstatat relative to the root (follows links inside the root). */
int root_stat(const struct hr_root *r, const char *rel, struct stat *st);

/* Writes a string to a file below the root (used only by act/, through the
 * journal), resolved as root_openat_strict does: no symlink is followed.
 * Returns 0 or -errno (EBUSY, EINVAL... exactly as the kernel said). */
int root_write(const struct hr_root *r, const char *rel, const char *s);

#endif
