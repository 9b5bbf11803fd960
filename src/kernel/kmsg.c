/* kmsg.c - see kmsg.h. */
#define _GNU_SOURCE
#include "kernel/kmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "snapshot/logline.h"

/* One record is at most PRINTK_MESSAGE_MAX (2048 in 6.x, 1024 before) plus
 * its dictionary; 8 KiB is what systemd-journald uses for the same read. */
#define KMSG_BUF 8192
/* The ring buffer holds at most 2^25 bytes (CONFIG_LOG_BUF_SHIFT max), far
 * fewer than this many records: a kernel logging faster than we read cannot
 * keep the loop going for ever. */
#define KMSG_MAX_READS (1L << 22)

struct drain_ctx {
	hr_kmsg_line_fn line;
	void *arg;
	long passed;
};

int kmsg_record_line(const struct hr_kmsg_rec *rec, char *out, size_t cap)
{
	int h = snprintf(out, cap, "[%5" PRIu64 ".%06" PRIu64 "]%s%s%s ", rec->usec / 1000000,
			 rec->usec % 1000000, rec->caller[0] ? "[" : "", rec->caller,
			 rec->caller[0] ? "]" : "");
	if (h < 0 || (size_t)h >= cap)
		return -1;
	size_t tl = rec->text.len < cap - (size_t)h ? rec->text.len : cap - (size_t)h;
	memcpy(out + h, rec->text.p, tl);
	return h + (int)tl;
}

/* A kernel record as "[sec.usec][Tnnn] text" to the line callback. */
static void one_record(void *arg, const char *p, size_t n)
{
	struct drain_ctx *d = arg;
	struct hr_kmsg_rec rec;
	char out[KMSG_BUF + 64];

	if (kmsg_record_parse(p, n, &rec) || rec.facility != 0)
		return;
	int len = kmsg_record_line(&rec, out, sizeof(out));
	if (len < 0)
		return;
	d->line(d->arg, out, (size_t)len);
	d->passed++;
}

int kmsg_open_live(const struct hr_root *r)
{
	struct stat st;
	int fd = root_openat(r, "dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) || !S_ISCHR(st.st_mode)) {
		close(fd);
		return -ENODEV;
	}
	lseek(fd, 0, SEEK_END);	/* /dev/kmsg: SEEK_END = after the newest record */
	return fd;
}

long kmsg_drain(const struct hr_root *r, hr_kmsg_line_fn line, void *arg, uint64_t *lost)
{
	struct drain_ctx d = { .line = line, .arg = arg };
	long n = kmsg_records(r, one_record, &d, lost);
	return n < 0 ? n : d.passed;
}

long kmsg_records(const struct hr_root *r, hr_kmsg_line_fn rec, void *arg, uint64_t *lost)
{
	char buf[KMSG_BUF];
	long records = 0;
	int fd = root_openat(r, "dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd < 0)
		return fd;
	struct stat st;
	bool is_dev = fstat(fd, &st) == 0 && S_ISCHR(st.st_mode);
	/* A fresh open starts at the oldest record still held. */
	size_t have = 0;	/* a file's partial last line, kept at buf[0..have) */
	for (long reads = 0; reads < KMSG_MAX_READS; reads++) {
		if (have == sizeof(buf))
			have = 0;	/* a "record" longer than 8 KiB in a file: dropped */
		ssize_t n = read(fd, buf + have, sizeof(buf) - have);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE) {
				(*lost)++;
				continue;
			}
			if (errno == EAGAIN)
				break;
			int e = -errno;
			close(fd);
			return e;
		}
		if (n == 0) {	/* a regular file at EOF */
			if (have && buf[0] != ' ') {
				rec(arg, buf, have);
				records++;
			}
			break;
		}
		/* /dev/kmsg returns one whole record per read; a file returns
		 * many, the last maybe cut: it is kept for the next read. */
		size_t pos = 0, len = have + (size_t)n;
		have = 0;
		while (pos < len) {
			const char *nl = memchr(buf + pos, '\n', len - pos);
			if (!nl && !is_dev) {
				have = len - pos;
				memmove(buf, buf + pos, have);
				break;
			}
			size_t end = nl ? (size_t)(nl - buf) : len;
			if (buf[pos] != ' ') {
				rec(arg, buf + pos, end - pos);
				records++;
			}
			pos = end + 1;
		}
	}
	close(fd);
	return records;
}

int kmsg_boot_usec(const struct hr_root *r, int64_t *out)
{
	if (r->is_host) {
		struct timespec rt, bt;
		if (clock_gettime(CLOCK_REALTIME, &rt) || clock_gettime(CLOCK_BOOTTIME, &bt))
			return -errno;
		*out = ((int64_t)rt.tv_sec - bt.tv_sec) * 1000000 + (rt.tv_nsec - bt.tv_nsec) / 1000;
		return 0;
	}
	/* /proc/stat is ~2-3 KiB on small machines but one "intr" line per
	 * interrupt source makes it grow with the CPU count: 256 KiB.
	 * Called once per explain run (CLI only), so it allocates. */
	size_t cap = 256u << 10;
	char *buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	long n = root_read(r, "proc/stat", buf, cap);
	int64_t sec;
	int e = n < 0 ? (int)n : logline_btime_parse(buf, (size_t)n, &sec);
	free(buf);
	if (e)
		return e;
	*out = sec * 1000000;
	return 0;
}
