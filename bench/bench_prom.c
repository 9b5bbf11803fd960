/* bench_prom.c - cost of the Prometheus exposition with 1,000 memory
 * cgroups: render time (the default cardinality bound and every cgroup
 * exported), output size, and scrape latency and server CPU per scrape over
 * loopback (report/http_srv.c in a child process, this process as the
 * client). The tree is SYNTHETIC (bench/gen_memcg_tree.py, 1,000 kubelet
 * containers, cgroup v2); HR_BENCH_ROOT names another root. Prints figures;
 * never fails on a time.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check/engine.h"
#include "check/prom_pass.h"
#include "kernel/root.h"
#include "report/http_srv.h"
#include "report/prom.h"

#define RUNS 300
#define SCRAPES 500

static uint64_t usec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

struct ctx {
	struct prom_input in;
	struct prom_config cfg;
	uint32_t *scratch;
	size_t ns;
};

static long render(void *data, char *buf, size_t cap)
{
	struct ctx *c = data;
	struct prom_out o;
	prom_out_init(&o, buf, cap);
	prom_render(&o, &c->in, &c->cfg, c->scratch, c->ns);
	return (long)o.len;
}

static void time_render(struct ctx *c, const char *what, char *buf)
{
	uint64_t t[RUNS];
	long len = 0;
	for (int i = 0; i < RUNS; i++) {
		uint64_t t0 = usec();
		len = render(c, buf, PROM_BUF_DEFAULT * 4);
		t[i] = usec() - t0;
	}
	qsort(t, RUNS, sizeof(t[0]), cmp);
	printf("render %-34s %7ld bytes  p50 %5llu us  p99 %5llu us  max %5llu us\n", what, len,
	       (unsigned long long)t[RUNS / 2], (unsigned long long)t[RUNS * 99 / 100],
	       (unsigned long long)t[RUNS - 1]);
}

static uint64_t cpu_ticks(pid_t pid)
{
	char p[64], buf[1024];
	snprintf(p, sizeof(p), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(p, "r");
	if (!f || !fgets(buf, sizeof(buf), f)) {
		if (f)
			fclose(f);
		return 0;
	}
	fclose(f);
	char *s = strrchr(buf, ')');
	unsigned long long ut = 0, st = 0;
	/* fields after ")": state(3) ... utime(14) stime(15) */
	sscanf(s + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st);
	return ut + st;
}

int main(void)
{
	const char *root_path = getenv("HR_BENCH_ROOT");
	char dir[] = "/tmp/hr-bench-prom-XXXXXX";
	if (!root_path) {
		if (!mkdtemp(dir))
			return 1;
		char cmd[256];
		snprintf(cmd, sizeof(cmd), "python3 bench/gen_memcg_tree.py %s 1000", dir);
		if (system(cmd))
			return 1;
		root_path = dir;
	}
	struct hr_root root;
	if (root_open(&root, root_path))
		return 1;
	size_t len = engine_storage_bytes();
	struct engine_pass pass;
	void *mem = calloc(1, len);
	struct hr_finding *items = calloc(4096, sizeof(*items));
	struct hr_findings fs;
	engine_pass_init(&pass, mem);
	hr_findings_init(&fs, items, 4096);
	uint64_t t0 = usec();
	unsigned ok = engine_sample(&root, ENGINE_ALL, &pass, &fs);
	uint64_t t1 = usec();
	engine_judge(ok, NULL, &pass, &fs);
	findings_sort(&fs);	/* as check and the agent do */
	uint64_t t2 = usec();
	const struct memcg_tree *t = NULL;
	struct ctx c;
	prom_pass_input(&pass, &fs, &c.in);
	t = c.in.memcg;
	printf("tree: %zu memory cgroups (%s); sample %llu us, judge %llu us (for scale)\n",
	       t ? t->n : 0, root_path, (unsigned long long)(t1 - t0), (unsigned long long)(t2 - t1));
	char *buf = malloc(PROM_BUF_DEFAULT * 4);
	prom_config_default(&c.cfg);
	c.ns = 4096;
	c.scratch = calloc(c.ns, sizeof(*c.scratch));
	time_render(&c, "default bound (50 + 100 with hits)", buf);
	c.cfg.memcg_top = 1000;
	c.cfg.memcg_hits_max = 1000;
	time_render(&c, "all 1000 exported", buf);
	prom_config_default(&c.cfg);

	struct http_srv srv;
	struct http_srv_config hc;
	http_srv_config_default(&hc);
	hc.port = 0;
	if (http_srv_init(&srv, &hc, render, &c))
		return 1;
	uint16_t port = http_srv_port(&srv);
	pid_t child = fork();
	if (child == 0) {
		for (;;) {
			struct pollfd p = { http_srv_fd(&srv), POLLIN, 0 };
			if (poll(&p, 1, 1000) > 0)
				http_srv_dispatch(&srv);
			if (getppid() == 1)
				_exit(0);
		}
	}
	http_srv_fini(&srv);
	static uint64_t lat[SCRAPES];
	size_t bytes = 0;
	uint64_t c0 = cpu_ticks(child), w0 = usec();
	for (int i = 0; i < SCRAPES; i++) {
		uint64_t s0 = usec();
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
		inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)))
			return 1;
		const char *req = "GET /metrics HTTP/1.1\r\nHost: b\r\n\r\n";
		if (send(fd, req, strlen(req), 0) < 0)
			return 1;
		ssize_t n;
		bytes = 0;
		while ((n = recv(fd, buf, PROM_BUF_DEFAULT, 0)) > 0)
			bytes += (size_t)n;
		close(fd);
		lat[i] = usec() - s0;
	}
	uint64_t wall = usec() - w0, c1 = cpu_ticks(child);
	kill(child, SIGTERM);
	waitpid(child, NULL, 0);
	qsort(lat, SCRAPES, sizeof(lat[0]), cmp);
	double tick_us = 1e6 / (double)sysconf(_SC_CLK_TCK);
	printf("scrape over loopback x%d: %zu bytes each, p50 %llu us, p99 %llu us, max %llu us; "
	       "server CPU %.0f us per scrape (%.1f%% of a core at %.0f scrapes/s)\n", SCRAPES, bytes,
	       (unsigned long long)lat[SCRAPES / 2], (unsigned long long)lat[SCRAPES * 99 / 100],
	       (unsigned long long)lat[SCRAPES - 1], (double)(c1 - c0) * tick_us / SCRAPES,
	       100.0 * (double)(c1 - c0) * tick_us / (double)wall, SCRAPES * 1e6 / (double)wall);
	engine_pass_fini(&pass);
	free(mem);
	free(items);
	free(buf);
	free(c.scratch);
	root_close(&root);
	if (!getenv("HR_BENCH_ROOT")) {
		char cmd[256];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd))
			return 1;
	}
	return 0;
}
