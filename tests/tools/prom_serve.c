/* prom_serve.c - a test and bench harness, not part of ./headroom: samples
 * and judges a root every --interval-ms through check/engine.h and serves
 * the result with report/http_srv.h (and, with --textfile, writes it for
 * node_exporter), for --seconds. It is also the wiring the agent's loop
 * needs, in a small loop of its own:
 *
 *   prom_serve --root DIR [--addr A] [--port N] [--seconds S]
 *              [--interval-ms M] [--textfile PATH]
 *
 * Prints "listening PORT" once the socket is bound (--port 0: any).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "check/engine.h"
#include "check/prom_pass.h"
#include "kernel/root.h"
#include "report/http_srv.h"
#include "report/prom.h"

#define FINDINGS_MAX 4096

struct serve {
	struct hr_root root;
	struct engine_pass pass[2];
	int cur, have;
	unsigned prev_ok;
	struct hr_findings fs;
	struct prom_config cfg;
	uint32_t *scratch;
	size_t nscratch;
	const struct http_srv_stats *http;	/* the endpoint's own counters */
	struct prom_agent agent;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What the agent would report about itself. */
static void self_stats(struct prom_agent *a)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		a->cpu_seconds = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
				 (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	unsigned long size, rss;
	FILE *f = fopen("/proc/self/statm", "r");
	a->rss_bytes = HR_UNSET;
	if (f && fscanf(f, "%lu %lu", &size, &rss) == 2)
		a->rss_bytes = (uint64_t)rss * (uint64_t)sysconf(_SC_PAGESIZE);
	if (f)
		fclose(f);
}

/* One period of the agent: sample, judge against the previous pass. */
static void tick(struct serve *v)
{
	double t0 = now_s();
	int next = !v->cur;
	hr_findings_reset(&v->fs);
	unsigned ok = engine_sample(&v->root, ENGINE_ALL, &v->pass[next], &v->fs);
	engine_judge(v->have ? ok & v->prev_ok : ok, v->have ? &v->pass[v->cur] : NULL,
		     &v->pass[next], &v->fs);
	findings_sort(&v->fs);
	v->cur = next;
	v->have = v->have < 2 ? v->have + 1 : 2;	/* 2: the other pass holds the previous one */
	v->prev_ok = ok;
	v->agent.passes++;
	v->agent.pass_seconds = now_s() - t0;
	self_stats(&v->agent);
}

static long render(void *data, char *buf, size_t cap)
{
	struct serve *v = data;
	struct prom_input in;
	struct prom_out o;
	if (!v->have)
		return -EAGAIN;
	prom_pass_input(&v->pass[v->cur], &v->fs, &in);
	prom_pass_before(v->have > 1 ? &v->pass[!v->cur] : NULL, &in);
	in.http = v->http;
	in.agent = &v->agent;
	prom_out_init(&o, buf, cap);
	prom_render(&o, &in, &v->cfg, v->scratch, v->nscratch);
	return (long)o.len;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, 0, 'r' }, { "addr", required_argument, 0, 'a' },
		{ "port", required_argument, 0, 'p' }, { "seconds", required_argument, 0, 's' },
		{ "interval-ms", required_argument, 0, 'i' }, { "textfile", required_argument, 0, 't' },
		{ 0, 0, 0, 0 },
	};
	struct http_srv_config hc;
	const char *root = "/", *textfile = NULL;
	double seconds = 10;
	long interval_ms = 1000;
	int c;

	http_srv_config_default(&hc);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r': root = optarg; break;
		case 'a': hc.addr = optarg; break;
		case 'p': hc.port = (uint16_t)atoi(optarg); break;
		case 's': seconds = atof(optarg); break;
		case 'i': interval_ms = atol(optarg); break;
		case 't': textfile = optarg; break;
		default: return 4;
		}
	}
	static struct serve v;
	if (root_open(&v.root, root)) {
		fprintf(stderr, "prom_serve: cannot open root %s\n", root);
		return 3;
	}
	size_t len = engine_storage_bytes();
	void *mem[2] = { calloc(1, len), calloc(1, len) };
	struct hr_finding *items = calloc(FINDINGS_MAX, sizeof(*items));
	prom_config_default(&v.cfg);
	v.nscratch = prom_scratch_len(&v.cfg);
	v.scratch = calloc(v.nscratch, sizeof(*v.scratch));
	char *tbuf = textfile ? malloc(PROM_BUF_DEFAULT) : NULL;
	if (!mem[0] || !mem[1] || !items || !v.scratch || (textfile && !tbuf))
		return 3;
	engine_pass_init(&v.pass[0], mem[0]);
	engine_pass_init(&v.pass[1], mem[1]);
	hr_findings_init(&v.fs, items, FINDINGS_MAX);

	struct http_srv srv;
	int rc = http_srv_init(&srv, &hc, render, &v);
	if (rc) {
		fprintf(stderr, "prom_serve: %s:%u: %s\n", hc.addr, hc.port, strerror(-rc));
		return 3;
	}
	v.http = &srv.st;
	printf("listening %u\n", http_srv_port(&srv));
	fflush(stdout);

	int ep = epoll_create1(EPOLL_CLOEXEC);
	int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	struct itimerspec it = { { interval_ms / 1000, (interval_ms % 1000) * 1000000 },
				 { 0, 1 } };
	timerfd_settime(tfd, 0, &it, NULL);
	struct epoll_event e1 = { .events = EPOLLIN, .data.u32 = 1 };
	struct epoll_event e2 = { .events = EPOLLIN, .data.u32 = 2 };
	epoll_ctl(ep, EPOLL_CTL_ADD, http_srv_fd(&srv), &e1);
	epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &e2);

	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		double el = (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
		if (el >= seconds)
			break;
		struct epoll_event ev[4];
		int n = epoll_wait(ep, ev, 4, (int)((seconds - el) * 1000) + 1);
		for (int i = 0; i < n; i++) {
			if (ev[i].data.u32 == 1) {
				http_srv_dispatch(&srv);
				continue;
			}
			uint64_t x;
			if (read(tfd, &x, sizeof(x)) < 0)
				continue;
			tick(&v);
			if (textfile) {
				long bl = render(&v, tbuf, PROM_BUF_DEFAULT);
				if (bl >= 0 && (rc = prom_textfile_write(textfile, tbuf, (size_t)bl)))
					fprintf(stderr, "prom_serve: %s: %s\n", textfile, strerror(-rc));
			}
		}
	}
	fprintf(stderr, "prom_serve: %llu accepted, %llu responses 200, %llu rejected, %llu timeouts, "
		"render max %llu us\n", (unsigned long long)srv.st.accepted,
		(unsigned long long)srv.st.responses[0], (unsigned long long)srv.st.rejected,
		(unsigned long long)srv.st.timeouts, (unsigned long long)srv.st.render_usec_max);
	http_srv_fini(&srv);
	close(tfd);
	close(ep);
	engine_pass_fini(&v.pass[0]);
	engine_pass_fini(&v.pass[1]);
	free(mem[0]);
	free(mem[1]);
	free(items);
	free(v.scratch);
	free(tbuf);
	root_close(&v.root);
	return 0;
}
