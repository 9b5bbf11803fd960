/* root.c - see root.h. */
#define _GNU_SOURCE
#include "kernel/root.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *strip(const char *rel)
{
	while (*rel == '/')
		rel++;
	return *rel ? rel : ".";
}

int root_open(struct hr_root *r, const char *path)
{
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	if (strlen(path) >= sizeof(r->path))
		return -ENAMETOOLONG;
	int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat a, b;
	r->is_host = fstat(fd, &a) == 0 && stat("/", &b) == 0 &&
		     a.st_dev == b.st_dev && a.st_ino == b.st_ino;
	r->fd = fd;
	snprintf(r->path, sizeof(r->path), "%s", path);
	return 0;
}

void root_close(struct hr_root *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

/* A FIFO, socket or block device where a kernel file should be is an error,
 * not something to wait on: the open itself is O_NONBLOCK (a FIFO without a
 * writer opens at once) and the type is checked on the fd. Character devices
 * stay allowed (/dev/kmsg); root_read() wants a regular file. */
static int check_type(int fd, int flags, bool regular_only)
{
	struct stat st;

	if (flags & (O_PATH | O_DIRECTORY))
		return fd;
	if (fstat(fd, &st)) {
		int e = errno;
		close(fd);
		return -e;
	}
	if (S_ISREG(st.st_mode) || (!regular_only && S_ISCHR(st.st_mode)))
		return fd;
	close(fd);
	return -EINVAL;
}

static int open_any(const struct hr_root *r, const char *rel, int flags)
{
	int fd;

	rel = strip(rel);
	flags |= O_CLOEXEC;
	if (!(flags & O_PATH))
		flags |= O_NONBLOCK;
	if (!r->is_host) {
		/* Keep a capture's absolute symlinks inside the capture. */
		struct open_how how = { .flags = (uint64_t)flags, .resolve = RESOLVE_IN_ROOT };
		fd = (int)syscall(SYS_openat2, r->fd, rel, &how, sizeof(how));
		if (fd >= 0 || errno != ENOSYS)
			return fd >= 0 ? fd : -errno;
	}
	fd = openat(r->fd, rel, flags);
	return fd >= 0 ? fd : -errno;
}

int root_openat(const struct hr_root *r, const char *rel, int flags)
{
	int fd = open_any(r, rel, flags);

	return fd < 0 ? fd : check_type(fd, flags, false);
}

/* Before openat2 (Linux 5.6): one component at a time, each O_NOFOLLOW, so
 * no symlink is followed and ".." is refused by the caller's check. */
static int open_walk(int dfd, const char *rel, int flags)
{
	char comp[256];
	int cur = dfd;

	for (;;) {
		const char *slash = strchr(rel, '/');
		size_t n = slash ? (size_t)(slash - rel) : strlen(rel);
		if (n == 0 || n >= sizeof(comp)) {
			if (cur != dfd)
				close(cur);
			return -EINVAL;
		}
		memcpy(comp, rel, n);
		comp[n] = '\0';
		int next = openat(cur, comp, slash ? O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
					      : flags | O_NOFOLLOW);
		int e = errno;
		if (cur != dfd)
			close(cur);
		if (next < 0)
			return -e;
		if (!slash)
			return next;
		cur = next;
		rel = slash + 1;
	}
}

int root_openat_strict(int dfd, const char *rel, int flags)
{
	int fd;

	rel = strip(rel);
	flags |= O_CLOEXEC;
	if (!(flags & O_PATH))
		flags |= O_NONBLOCK;
	/* No "..", no "." component: the journal and the agent name cgroups
	 * by plain paths; anything else is not a path they would write. */
	for (const char *p = rel; *p;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if ((n == 1 && p[0] == '.' && rel[1]) || (n == 2 && p[0] == '.' && p[1] == '.'))
			return -EINVAL;
		p += n + (slash ? 1 : 0);
	}
	struct open_how how = {
		.flags = (uint64_t)flags,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	fd = (int)syscall(SYS_openat2, dfd, rel, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)
		fd = strcmp(rel, ".") ? open_walk(dfd, rel, flags) : openat(dfd, ".", flags | O_NOFOLLOW);
	else if (fd < 0)
		fd = -errno;
	return fd < 0 ? fd : check_type(fd, flags, true);
}

int root_write_strict(int dfd, const char *rel, const char *s)
{
	int fd = root_openat_strict(dfd, rel, O_WRONLY);
	size_t len = strlen(s);
	ssize_t n;

	if (fd < 0)
		return fd;
	n = write(fd, s, len);
	int rc = n < 0 ? -errno : (size_t)n == len ? 0 : -EIO;
	close(fd);
	return rc;
}

long fd_reread(int fd, char *buf, size_t cap)
{
	size_t n = 0;

	if (cap < 2)
		return -E2BIG;
	for (;;) {
		ssize_t k = pread(fd, buf + n, cap - 1 - n, (off_t)n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (k == 0)
			break;
		n += (size_t)k;
		if (n == cap - 1)
			return -E2BIG;
	}
	buf[n] = '\0';
	return (long)n;
}

static long read_all(int fd, char *buf, size_t cap)
{
	size_t n = 0;

	if (cap < 2)
		return -E2BIG;
	for (;;) {
		/* At most 1 MiB per read(): /proc/sys answers ENOMEM to a read
		 * of KMALLOC_MAX_SIZE (4 MiB on x86_64) or more
		 * (proc_sys_call_handler, 5.8+), which the 8 MiB snapshot buffer
		 * hit on 6.18.44 for every sysctl file. */
		size_t want = cap - 1 - n;
		if (want > (1u << 20))
			want = 1u << 20;
		ssize_t k = read(fd, buf + n, want);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (k == 0)
			break;
		n += (size_t)k;
		if (n == cap - 1) {
			/* Full: a cut file is an error unless EOF is next. */
			char c;
			ssize_t more = read(fd, &c, 1);
			if (more == 0)
				break;
			return -E2BIG;
		}
	}
	buf[n] = '\0';
	return (long)n;
}

long root_read(const struct hr_root *r, const char *rel, char *buf, size_t cap)
{
	int fd = open_any(r, rel, O_RDONLY);
	long n;

	if (fd >= 0)
		fd = check_type(fd, O_RDONLY, true);
	if (fd < 0)
		return fd;
	n = read_all(fd, buf, cap);
	close(fd);
	if (n >= 0 && r->record)
		r->record(r->record_arg, HR_REC_FILE, strip(rel));
	return n;
}

long root_read_at(const struct hr_root *r, int dfd, const char *dir_rel, const char *name,
		  char *buf, size_t cap)
{
	int fd;
	long n;

	if (!name[0] || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EINVAL;
	/* One component below a directory already resolved inside the root:
	 * nothing left to escape through but the name itself, so no link. */
	fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	fd = check_type(fd, O_RDONLY, true);
	if (fd < 0)
		return fd;
	n = read_all(fd, buf, cap);
	close(fd);
	if (n >= 0 && r->record) {
		char rel[4096];
		const char *d = strip(dir_rel);
		bool top = !d[0] || !strcmp(d, ".");
		if ((size_t)snprintf(rel, sizeof(rel), "%s%s%s", top ? "" : d, top ? "" : "/", name) < sizeof(rel))
			r->record(r->record_arg, HR_REC_FILE, rel);
	}
	return n;
}

int root_opendir(const struct hr_root *r, const char *rel, DIR **out)
{
	int fd = root_openat(r, rel, O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		return fd;
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = errno;
		close(fd);
		return -e;
	}
	*out = d;
	if (r->record)
		r->record(r->record_arg, HR_REC_DIR, strip(rel));
	return 0;
}

static int dir_start(const struct hr_root *r, const char *rel, struct root_dir *d)
{
	d->err = 0;
	d->eof = false;
	d->pos = d->len = 0;
	if (r->record)
		r->record(r->record_arg, HR_REC_DIR, strip(rel));
	return 0;
}

int root_dir_open(const struct hr_root *r, const char *rel, struct root_dir *d)
{
	int fd = root_openat(r, rel, O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		return fd;
	d->fd = fd;
	d->own = true;
	return dir_start(r, rel, d);
}

int root_dir_open_fd(const struct hr_root *r, int dfd, const char *dir_rel, struct root_dir *d)
{
	/* The fd may have been listed before (a directory kept open). */
	if (lseek(dfd, 0, SEEK_SET) < 0)
		return -errno;
	d->fd = dfd;
	d->own = false;
	return dir_start(r, dir_rel, d);
}

const char *root_dir_next(struct root_dir *d, unsigned char *type)
{
	for (;;) {
		if (d->pos >= d->len) {
			if (d->eof || d->fd < 0)
				return NULL;
			ssize_t n = getdents64(d->fd, d->buf, sizeof(d->buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				d->err = n < 0 ? -errno : 0;
				d->eof = true;
				d->len = d->pos = 0;
				return NULL;
			}
			d->len = (size_t)n;
			d->pos = 0;
		}
		struct dirent64 *e = (struct dirent64 *)(void *)(d->buf + d->pos);
		if (e->d_reclen == 0 || e->d_reclen > d->len - d->pos) {
			d->err = -EIO;
			d->eof = true;
			d->len = d->pos = 0;
			return NULL;
		}
		d->pos += e->d_reclen;
		if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		if (type)
			*type = e->d_type;
		return e->d_name;
	}
}

void root_dir_close(struct root_dir *d)
{
	if (d->own && d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

long root_readlink(const struct hr_root *r, const char *rel, char *buf, size_t cap)
{
	const char *name, *slash;
	char parent[4096];
	int dfd = r->fd;
	ssize_t n;

	if (cap < 2)
		return -E2BIG;
	rel = strip(rel);
	name = rel;
	slash = strrchr(rel, '/');
	if (!r->is_host && slash) {
		/* The directories on the way are resolved inside the root, as
		 * root_openat does: an absolute link in a capture
		 * ("sys/class/net/eth0" -> "/sys/devices/...") must not lead
		 * to the host's files. Only the last component is the link. */
		size_t plen = (size_t)(slash - rel);
		if (plen >= sizeof(parent))
			return -ENAMETOOLONG;
		memcpy(parent, rel, plen);
		parent[plen] = '\0';
		dfd = root_openat(r, parent, O_PATH | O_DIRECTORY);
		if (dfd < 0)
			return dfd;
		name = slash + 1;
	}
	n = readlinkat(dfd, name, buf, cap);
	int e = errno;
	if (dfd != r->fd)
		close(dfd);
	if (n < 0)
		return -e;
	if ((size_t)n >= cap)
		return -E2BIG;
	buf[n] = '\0';
	if (r->record)
		r->record(r->record_arg, HR_REC_LINK, rel);
	return (long)n;
}

int root_stat(const struct hr_root *r, const char *rel, struct stat *st)
{
	int fd = root_openat(r, rel, O_PATH);

	if (fd < 0)
		return fd;
	int rc = fstat(fd, st) ? -errno : 0;
	close(fd);
	return rc;
}

int root_write(const struct hr_root *r, const char *rel, const char *s)
{
	return root_write_strict(r->fd, rel, s);
}
