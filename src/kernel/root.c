/* root.c - see root.h. */
#define _GNU_SOURCE
#include "kernel/root.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
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

int root_openat(const struct hr_root *r, const char *rel, int flags)
{
	int fd;

	rel = strip(rel);
	flags |= O_CLOEXEC;
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
	int fd = root_openat(r, rel, O_RDONLY);
	long n;

	if (fd < 0)
		return fd;
	n = read_all(fd, buf, cap);
	close(fd);
	if (n >= 0 && r->record)
		r->record(r->record_arg, HR_REC_FILE, strip(rel));
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

long root_readlink(const struct hr_root *r, const char *rel, char *buf, size_t cap)
{
	ssize_t n;

	if (cap < 2)
		return -E2BIG;
	n = readlinkat(r->fd, strip(rel), buf, cap);
	if (n < 0)
		return -errno;
	if ((size_t)n >= cap)
		return -E2BIG;
	buf[n] = '\0';
	if (r->record)
		r->record(r->record_arg, HR_REC_LINK, strip(rel));
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
	int fd = root_openat(r, rel, O_WRONLY);
	size_t len = strlen(s);
	ssize_t n;

	if (fd < 0)
		return fd;
	n = write(fd, s, len);
	int rc = n < 0 ? -errno : (size_t)n == len ? 0 : -EIO;
	close(fd);
	return rc;
}
