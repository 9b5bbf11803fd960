/* hr_load.c - page-cache workloads for the run integration test and bench.
 *
 *   hr_load create FILE MIB      write FILE with O_DIRECT (starts cold)
 *   hr_load seq FILE             cold sequential read, 1 MiB reads
 *   hr_load rand FILE COUNT      cold 4 KiB random reads (POSIX_FADV_RANDOM)
 *   hr_load write FILE MIB       buffered (dirty) writes, then fsync
 *   hr_load cold FILE            posix_fadvise(DONTNEED) only
 *   hr_load watch CGDIR BYTES SECONDS
 *                                v1 usage threshold eventfd on CGDIR: prints
 *                                "fire t_ns=N usage=N above|below" per crossing
 *
 * Prints "bytes=N ns=N" on stdout. Files are made cold per file with
 * posix_fadvise(POSIX_FADV_DONTNEED); caches are never dropped globally.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/eventfd.h>
#include <poll.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "hr_load: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void cold(int fd)
{
	fdatasync(fd);
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
}

int main(int argc, char **argv)
{
	static char *buf;
	uint64_t bytes = 0, t0;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: hr_load create|seq|rand|write|cold FILE [N]\n");
		return 2;
	}
	if (posix_memalign((void **)&buf, 4096, 1 << 20))
		die("posix_memalign");
	memset(buf, 0x5a, 1 << 20);
	const char *m = argv[1], *file = argv[2];
	if (!strcmp(m, "watch") && argc > 4) {
		char p[512], msg[128], ub[64];
		snprintf(p, sizeof(p), "%s/memory.usage_in_bytes", file);
		int ufd = open(p, O_RDONLY), efd = eventfd(0, 0);
		snprintf(p, sizeof(p), "%s/cgroup.event_control", file);
		int cfd = open(p, O_WRONLY);
		if (ufd < 0 || efd < 0 || cfd < 0)
			die("watch open");
		snprintf(msg, sizeof(msg), "%d %d %s", efd, ufd, argv[3]);
		if (write(cfd, msg, strlen(msg)) < 0)
			die("event_control");
		uint64_t thr = strtoull(argv[3], NULL, 10), end = now_ns() + strtoull(argv[4], NULL, 10) * 1000000000ull;
		setvbuf(stdout, NULL, _IOLBF, 0);
		while (now_ns() < end) {
			struct pollfd pf = { efd, POLLIN, 0 };
			if (poll(&pf, 1, 100) <= 0)
				continue;
			uint64_t n, t = now_ns();
			if (read(efd, &n, 8) != 8)
				die("eventfd");
			ssize_t k = pread(ufd, ub, sizeof(ub) - 1, 0);
			if (k <= 0)
				break;	/* cgroup removed */
			ub[k] = 0;
			uint64_t u = strtoull(ub, NULL, 10);
			/* Both directions are printed: by the time usage is read,
			 * an agent may already have reclaimed below the mark. */
			printf("fire t_ns=%llu usage=%llu %s\n", (unsigned long long)t, (unsigned long long)u,
			       u >= thr ? "above" : "below");
		}
		return 0;
	}
	uint64_t n = argc > 3 ? strtoull(argv[3], NULL, 10) : 0;
	t0 = now_ns();
	if (!strcmp(m, "create")) {
		fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT, 0600);
		if (fd < 0)
			die(file);
		for (uint64_t i = 0; i < n; i++) {
			for (size_t k = 0; k < (1 << 20); k += 4096)
				memcpy(buf + k, &i, sizeof(i));
			if (write(fd, buf, 1 << 20) != 1 << 20)
				die("write");
			bytes += 1 << 20;
		}
		cold(fd);
	} else if (!strcmp(m, "seq")) {
		fd = open(file, O_RDONLY);
		if (fd < 0)
			die(file);
		cold(fd);
		t0 = now_ns();
		for (;;) {
			ssize_t k = read(fd, buf, 1 << 20);
			if (k < 0)
				die("read");
			if (k == 0)
				break;
			bytes += (uint64_t)k;
		}
	} else if (!strcmp(m, "rand")) {
		fd = open(file, O_RDONLY);
		if (fd < 0)
			die(file);
		cold(fd);
		posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
		off_t size = lseek(fd, 0, SEEK_END);
		uint64_t pages = (uint64_t)size / 4096, x = 88172645463325252ull;
		t0 = now_ns();
		for (uint64_t i = 0; i < n; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;	/* xorshift: same sequence every run */
			if (pread(fd, buf, 4096, (off_t)(x % pages) * 4096) != 4096)
				die("pread");
			bytes += 4096;
		}
	} else if (!strcmp(m, "write")) {
		fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0)
			die(file);
		for (uint64_t i = 0; i < n; i++) {
			if (write(fd, buf, 1 << 20) != 1 << 20)
				die("write");
			bytes += 1 << 20;
		}
		fdatasync(fd);
	} else if (!strcmp(m, "cold")) {
		fd = open(file, O_RDONLY);
		if (fd < 0)
			die(file);
		cold(fd);
	} else {
		fprintf(stderr, "hr_load: unknown mode %s\n", m);
		return 2;
	}
	uint64_t t = now_ns() - t0;
	if (strcmp(m, "write"))
		cold(fd);
	else
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
	printf("bytes=%llu ns=%llu\n", (unsigned long long)bytes, (unsigned long long)t);
	return 0;
}
