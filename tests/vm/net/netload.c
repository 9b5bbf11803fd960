/* netload.c - the network workload of the network proof (tests/vm/net/),
 * one static binary for the qemu guest (and the v1 dirty-write check on the
 * host). Every mode runs for a bounded time and prints one line of
 * "key=value" figures on stdout.
 *
 *   netload [-g CGDIR] [-r RTPRIO] MODE ARGS...
 *     -g CGDIR   move this process into CGDIR (cgroup.procs) first
 *     -r RTPRIO  run at SCHED_FIFO RTPRIO (the senders outside the memcg)
 *
 *   create FILE MIB                 write FILE with O_DIRECT (starts cold)
 *   cold FILE                       posix_fadvise(DONTNEED) of FILE only
 *   udprecv PORT SECONDS            UDP receiver on 127.0.0.1: udp_received=
 *   udpsend PORT RATE SECONDS       RATE datagrams/s of 1,000 bytes: udp_sent=
 *   tcpserver PORT DATAFILE SECONDS request/response server: per request it
 *                                   maps and touches 256 KiB and reads 16 KiB
 *                                   of DATAFILE (rotating offset)
 *   tcpclient PORT RATE SECONDS     RATE requests/s, RTT percentiles in us
 *   fill FILE SECONDS               cold sequential 1 MiB reads, looping
 *   dirty FILE MIB SECONDS          1 MiB buffered writes over MIB, looping
 *   reclaimloop CGDIR BYTES MS SECONDS
 *                                   write BYTES to CGDIR/memory.reclaim every
 *                                   MS ms (the Koordinator-style loop)
 *   udpstat                         Udp InErrors, RcvbufErrors, MemErrors
 *                                   (-1 when the kernel lacks the column)
 *
 * Files are made cold per file with posix_fadvise(DONTNEED); caches are
 * never dropped globally.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MIB (1u << 20)
#define REQ 64
#define TOUCH (256u << 10)
#define READ_CHUNK (16u << 10)

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void sleep_until(uint64_t t)
{
	struct timespec ts = { .tv_sec = (time_t)(t / 1000000000u), .tv_nsec = (long)(t % 1000000000u) };
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static void die(const char *what)
{
	fprintf(stderr, "netload: %s: %s\n", what, strerror(errno));
	exit(1);
}

static unsigned long num(const char *s, const char *what)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end) {
		fprintf(stderr, "netload: %s: not a number: '%s'\n", what, s);
		exit(2);
	}
	return v;
}

static struct sockaddr_in lo_addr(unsigned port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static void *xbuf(size_t n)
{
	void *p;
	if (posix_memalign(&p, 4096, n))
		die("posix_memalign");
	memset(p, 0x5a, n);
	return p;
}

static int create(const char *file, unsigned long mib)
{
	char *buf = xbuf(MIB);
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT, 0644);
	if (fd < 0)
		die(file);
	for (unsigned long i = 0; i < mib; i++)
		if (write(fd, buf, MIB) != (ssize_t)MIB)
			die("write");
	fsync(fd);
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
	printf("created=%lu\n", mib << 20);
	return 0;
}

static int udprecv(unsigned port, unsigned long sec)
{
	struct sockaddr_in a = lo_addr(port);
	struct timeval tv = { .tv_usec = 100000 };
	char buf[2048];
	uint64_t n = 0, end = now_ns() + sec * 1000000000u;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)))
		die("udp bind");
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (now_ns() < end)
		if (recv(s, buf, sizeof(buf), 0) > 0)
			n++;
	printf("udp_received=%llu\n", (unsigned long long)n);
	return 0;
}

static int udpsend(unsigned port, unsigned long rate, unsigned long sec)
{
	struct sockaddr_in a = lo_addr(port);
	char buf[1000];
	uint64_t sent = 0, t0 = now_ns(), total = rate * sec;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0)
		die("udp socket");
	memset(buf, 'u', sizeof(buf));
	/* Ticks of 1 ms: datagram k leaves at t0 + k / rate. */
	for (uint64_t tick = 1; sent < total; tick++) {
		uint64_t due = rate * tick / 1000;
		while (sent < due && sent < total) {
			/* A failed send counts as sent: a local error is a loss too. */
			(void)sendto(s, buf, sizeof(buf), 0, (struct sockaddr *)&a, sizeof(a));
			sent++;
		}
		sleep_until(t0 + tick * 1000000u);
	}
	printf("udp_sent=%llu\n", (unsigned long long)sent);
	return 0;
}

static int full_io(int fd, char *buf, size_t n, int do_write)
{
	size_t off = 0;
	while (off < n) {
		ssize_t r = do_write ? send(fd, buf + off, n - off, MSG_NOSIGNAL) : recv(fd, buf + off, n - off, 0);
		if (r <= 0)
			return -1;
		off += (size_t)r;
	}
	return 0;
}

static int tcpserver(unsigned port, const char *file, unsigned long sec)
{
	struct sockaddr_in a = lo_addr(port);
	struct timeval tv = { .tv_sec = (time_t)sec + 5 };
	char req[REQ], *rbuf = xbuf(READ_CHUNK);
	uint64_t served = 0;
	int one = 1, l = socket(AF_INET, SOCK_STREAM, 0), c, fd = open(file, O_RDONLY);
	off_t size;

	if (fd < 0)
		die(file);
	size = lseek(fd, 0, SEEK_END);
	if (size < (off_t)READ_CHUNK)
		die("data file too small");
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 4))
		die("tcp listen");
	setsockopt(l, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	c = accept(l, NULL, NULL);
	if (c < 0)
		die("accept");
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (;;) {
		if (full_io(c, req, REQ, 0))
			break;
		char *m = mmap(NULL, TOUCH, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			die("mmap");
		for (size_t i = 0; i < TOUCH; i += 4096)
			m[i] = (char)i;
		munmap(m, TOUCH);
		off_t off = (off_t)(served * READ_CHUNK) % (size - READ_CHUNK + 1);
		if (pread(fd, rbuf, READ_CHUNK, off / READ_CHUNK * READ_CHUNK) < 0)
			die("pread");
		if (full_io(c, req, REQ, 1))
			break;
		served++;
	}
	printf("tcp_served=%llu\n", (unsigned long long)served);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t pct(const uint64_t *v, size_t n, double p)
{
	size_t i = (size_t)(p * (double)n);
	return n ? v[i >= n ? n - 1 : i] : 0;
}

static int tcpclient(unsigned port, unsigned long rate, unsigned long sec)
{
	struct sockaddr_in a = lo_addr(port);
	size_t total = rate * sec, n = 0, over = 0;
	uint64_t *rtt = calloc(total + 1, sizeof(*rtt)), t0;
	char req[REQ];
	int one = 1, s = -1;

	if (!rtt)
		die("calloc");
	memset(req, 'q', sizeof(req));
	for (int i = 0; i < 100; i++) {	/* the server may start later: 5 s */
		s = socket(AF_INET, SOCK_STREAM, 0);
		if (s >= 0 && connect(s, (struct sockaddr *)&a, sizeof(a)) == 0)
			break;
		close(s);
		s = -1;
		usleep(50000);
	}
	if (s < 0)
		die("connect");
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	t0 = now_ns();
	for (size_t k = 0; k < total; k++) {
		/* Fixed schedule; a late reply delays the next request but the
		 * RTT is measured from its own send. */
		sleep_until(t0 + (uint64_t)k * 1000000000u / rate);
		uint64_t t = now_ns();
		if (full_io(s, req, REQ, 1) || full_io(s, req, REQ, 0))
			break;
		rtt[n] = (now_ns() - t) / 1000;
		over += rtt[n] > 10000;
		n++;
	}
	qsort(rtt, n, sizeof(*rtt), cmp_u64);
	printf("tcp_n=%zu p50_us=%llu p99_us=%llu p999_us=%llu max_us=%llu over10ms=%zu\n", n,
	       (unsigned long long)pct(rtt, n, 0.50), (unsigned long long)pct(rtt, n, 0.99),
	       (unsigned long long)pct(rtt, n, 0.999), (unsigned long long)(n ? rtt[n - 1] : 0), over);
	close(s);
	return 0;
}

static void report_rate(const char *what, uint64_t bytes, uint64_t ns)
{
	printf("%s_bytes=%llu %s_ns=%llu %s_mbps=%.1f\n", what, (unsigned long long)bytes, what,
	       (unsigned long long)ns, what, ns ? (double)bytes / 1e6 / ((double)ns / 1e9) : 0.0);
}

static int fill(const char *file, unsigned long sec)
{
	char *buf = xbuf(MIB);
	uint64_t bytes = 0, t0 = now_ns(), end = t0 + sec * 1000000000u;
	int fd = open(file, O_RDONLY);

	if (fd < 0)
		die(file);
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	while (now_ns() < end) {
		ssize_t r = read(fd, buf, MIB);
		if (r < 0)
			die("read");
		if (r == 0) {	/* wrap: start the next pass cold */
			posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
			lseek(fd, 0, SEEK_SET);
			continue;
		}
		bytes += (uint64_t)r;
	}
	report_rate("fill", bytes, now_ns() - t0);
	return 0;
}

static int dirty(const char *file, unsigned long mib, unsigned long sec)
{
	char *buf = xbuf(MIB);
	uint64_t bytes = 0, t0 = now_ns(), end = t0 + sec * 1000000000u;
	int fd = open(file, O_WRONLY | O_CREAT, 0644);

	if (fd < 0)
		die(file);
	for (uint64_t i = 0; now_ns() < end; i++) {
		if (pwrite(fd, buf, MIB, (off_t)((i % mib) * MIB)) != (ssize_t)MIB)
			die("pwrite");
		bytes += MIB;
	}
	report_rate("dirty", bytes, now_ns() - t0);
	close(fd);
	return 0;
}

static uint64_t cpu_ns(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) * 1000000000u +
	       ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000u;
}

static int read_u64_at(int fd, uint64_t *v)
{
	char b[32];
	ssize_t n = pread(fd, b, sizeof(b) - 1, 0);
	if (n <= 0)
		return -1;
	b[n] = 0;
	*v = strtoull(b, NULL, 10);
	return 0;
}

/* Counts what each write took out as memory.current before minus after:
 * a write that could not reclaim all of BYTES returns EAGAIN after taking
 * what it could. */
static int reclaimloop(const char *cg, unsigned long bytes, unsigned long ms, unsigned long sec)
{
	char path[4096], val[32];
	uint64_t t0 = now_ns(), writes = 0, ok = 0, reclaimed = 0;
	int fd, cur;

	snprintf(path, sizeof(path), "%s/memory.reclaim", cg);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		die(path);
	snprintf(path, sizeof(path), "%s/memory.current", cg);
	cur = open(path, O_RDONLY);
	if (cur < 0)
		die(path);
	int len = snprintf(val, sizeof(val), "%lu", bytes);
	for (uint64_t k = 1; now_ns() < t0 + sec * 1000000000u; k++) {
		uint64_t before = 0, after = 0;
		int rb = read_u64_at(cur, &before);
		writes++;
		if (write(fd, val, (size_t)len) == len)
			ok++;	/* returns once that much was reclaimed (EAGAIN otherwise) */
		if (!rb && !read_u64_at(cur, &after) && before > after)
			reclaimed += before - after;
		sleep_until(t0 + k * ms * 1000000u);
	}
	printf("loop_writes=%llu loop_ok=%llu loop_reclaimed=%llu loop_cpu_ns=%llu\n", (unsigned long long)writes,
	       (unsigned long long)ok, (unsigned long long)reclaimed, (unsigned long long)cpu_ns());
	return 0;
}

/* /proc/net/snmp: a "Udp:" header line, then a "Udp:" value line. */
static int udpstat(void)
{
	char hdr[1024] = "", val[1024] = "", line[1024];
	FILE *f = fopen("/proc/net/snmp", "r");
	long long in = -1, rcvbuf = -1, mem = -1;

	if (!f)
		die("/proc/net/snmp");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "Udp: ", 5)) {
			if (!hdr[0])
				snprintf(hdr, sizeof(hdr), "%s", line);
			else
				snprintf(val, sizeof(val), "%s", line);
		}
	fclose(f);
	char *hs, *vs, *h = strtok_r(hdr, " \n", &hs), *v = strtok_r(val, " \n", &vs);
	while ((h = strtok_r(NULL, " \n", &hs)) && (v = strtok_r(NULL, " \n", &vs))) {
		if (!strcmp(h, "InErrors"))
			in = atoll(v);
		else if (!strcmp(h, "RcvbufErrors"))
			rcvbuf = atoll(v);
		else if (!strcmp(h, "MemErrors"))
			mem = atoll(v);
	}
	printf("InErrors=%lld RcvbufErrors=%lld MemErrors=%lld\n", in, rcvbuf, mem);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: netload [-g CGDIR] [-r RTPRIO] create|cold|udprecv|udpsend|tcpserver|tcpclient|"
			"fill|dirty|reclaimloop|udpstat ARGS...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "+g:r:")) != -1) {
		if (opt == 'g') {
			char path[4096];
			snprintf(path, sizeof(path), "%s/cgroup.procs", optarg);
			FILE *f = fopen(path, "w");
			if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f))
				die(path);
		} else if (opt == 'r') {
			struct sched_param sp = { .sched_priority = (int)num(optarg, "-r") };
			if (sched_setscheduler(0, SCHED_FIFO, &sp))
				die("sched_setscheduler");
		} else {
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *m = argv[0];
	if (!strcmp(m, "create") && argc == 3)
		return create(argv[1], num(argv[2], "MIB"));
	if (!strcmp(m, "cold") && argc == 2) {
		int fd = open(argv[1], O_RDONLY);
		if (fd < 0 || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED))
			die(argv[1]);
		close(fd);
		return 0;
	}
	if (!strcmp(m, "udprecv") && argc == 3)
		return udprecv((unsigned)num(argv[1], "PORT"), num(argv[2], "SECONDS"));
	if (!strcmp(m, "udpsend") && argc == 4)
		return udpsend((unsigned)num(argv[1], "PORT"), num(argv[2], "RATE"), num(argv[3], "SECONDS"));
	if (!strcmp(m, "tcpserver") && argc == 4)
		return tcpserver((unsigned)num(argv[1], "PORT"), argv[2], num(argv[3], "SECONDS"));
	if (!strcmp(m, "tcpclient") && argc == 4)
		return tcpclient((unsigned)num(argv[1], "PORT"), num(argv[2], "RATE"), num(argv[3], "SECONDS"));
	if (!strcmp(m, "fill") && argc == 3)
		return fill(argv[1], num(argv[2], "SECONDS"));
	if (!strcmp(m, "dirty") && argc == 4)
		return dirty(argv[1], num(argv[2], "MIB"), num(argv[3], "SECONDS"));
	if (!strcmp(m, "reclaimloop") && argc == 5)
		return reclaimloop(argv[1], num(argv[2], "BYTES"), num(argv[3], "MS"), num(argv[4], "SECONDS"));
	if (!strcmp(m, "udpstat") && argc == 1)
		return udpstat();
	usage();
	return 2;
}
