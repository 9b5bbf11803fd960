/* metrics.c - the agent's exposition (node.h): rendered once after each
 * judged pass into a cache, served by report/http_srv.h from the loop,
 * written to metrics_textfile. */
#define _GNU_SOURCE
#include "daemon/node.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "check/prom_pass.h"
#include "daemon/guards.h"
#include "kernel/self_read.h"
#include "util/clock.h"

static void on_metrics_fd(struct loop *l, int fd, void *data, uint32_t events)
{
	(void)l;
	(void)fd;
	(void)events;
	http_srv_dispatch(data);
}

/* The scrape: a copy of the last render, never a render. */
static long serve_cache(void *data, char *buf, size_t cap)
{
	struct hr_node *n = data;

	if (!n->cache_ok)
		return -EAGAIN;
	if (n->cache_len > cap)
		return -E2BIG;
	memcpy(buf, n->cache, n->cache_len);
	return (long)n->cache_len;
}

/* A cgroup of the tree ("/a/b" below the hierarchy mount) as the agent
 * knows it: its table entry's directory is base + path, and the tree's is
 * mount + path. Linear: the renderer asks for the exported cgroups only. */
static bool memcg_agent(void *data, const char *path, struct prom_memcg_agent *out)
{
	struct hr_ctx *c = data;
	struct hr_node *n = c->node;
	const struct engine_pass *p = &n->pass[n->cur];
	struct prom_input in;

	prom_pass_input(p, NULL, &in);
	if (!in.memcg)
		return false;
	const char *mount = in.memcg->mount;
	size_t ml = strlen(mount), bl = strlen(c->base);
	/* base = mount + sub: the part of the tree path above our table. */
	if (strncmp(c->base, mount, ml) || (c->base[ml] && c->base[ml] != '/'))
		return false;
	const char *sub = c->base + ml;
	size_t sl = bl - ml;
	if (strncmp(path, sub, sl))
		return false;
	const char *rest = path + sl;	/* "" (the base itself) or "/x/y" */
	if (rest[0] && rest[0] != '/')
		return false;
	for (uint32_t i = 0; i < c->ncg; i++) {
		const struct hr_cg *g = &c->cg[i];
		if (!g->used || !g->limited)
			continue;
		if (strcmp(g->path, rest[0] ? rest : "/"))
			continue;
		if (g->pol < 0 || (size_t)g->pol >= c->cfg.npolicy)
			return false;
		out->reclaimed_bytes = g->reclaimed_bytes;
		out->rounds = g->squeezes;
		out->policy = c->cfg.policy[g->pol].name;
		out->backend = backend_name(g->backend);
		return true;
	}
	return false;
}

/* The agent's own process (not the observed host: kernel/self_read.h). */
static void self_stats(struct hr_ctx *c)
{
	struct hr_node *n = c->node;
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) == 0)
		n->agent.cpu_seconds = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
				       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	if (self_rss_bytes(&n->agent.rss_bytes))
		n->agent.rss_bytes = HR_UNSET;	/* the sample is left out */
	n->agent.loop_lag_seconds = n->lag_s;
	n->lag_s = 0;
	n->agent.journal_records = c->journal.open_entries;
	n->agent.errors[PROM_AGENT_ERR_ACT] = c->st.errors;
	n->agent.errors[PROM_AGENT_ERR_JOURNAL] = c->st.journal_full + c->st.lost_restores;
	n->agent.errors[PROM_AGENT_ERR_METRICS] = n->textfile_errors;
	n->agent.kmsg_lost = n->kmsg_lost;
}

void metrics_after_pass(struct hr_ctx *c)
{
	struct hr_node *n = c->node;
	struct prom_input in;
	struct prom_out o;

	self_stats(c);
	prom_pass_input(&n->pass[n->cur], &n->fs, &in);
	prom_pass_before(n->have > 1 ? &n->pass[!n->cur] : NULL, &in);
	in.incidents = n->kmsg_fd >= 0 ? n->incidents : NULL;
	in.http = n->srv_on ? &n->srv.st : NULL;
	in.agent = &n->agent;
	in.memcg_agent = memcg_agent;
	in.memcg_agent_data = c;
	in.guards = guards_prom(c);
	prom_out_init(&o, n->cache, n->cache_cap);
	prom_render(&o, &in, &n->pcfg, n->scratch, n->nscratch);
	n->cache_len = o.len;
	n->cache_ok = true;
	if (n->textfile[0]) {
		int rc = prom_textfile_write(n->textfile, n->cache, n->cache_len);
		if (rc) {
			n->textfile_errors++;
			if (rc != n->textfile_err_last)
				hr_log(c, 4, "metrics_textfile %s: %s", n->textfile, strerror(-rc));
		}
		n->textfile_err_last = rc;
	}
}

int metrics_init(struct hr_ctx *c)
{
	struct hr_node *n = c->node;
	struct http_srv_config hc;
	char addr[64];
	uint16_t port = 0;

	memcpy(n->textfile, c->cfg.metrics_textfile, sizeof(n->textfile));
	prom_config_default(&n->pcfg);
	n->nscratch = prom_scratch_len(&n->pcfg);
	n->scratch = calloc(n->nscratch, sizeof(*n->scratch));
	n->cache_cap = prom_buf_bytes(&n->pcfg);
	n->cache = malloc(n->cache_cap);
	if (!n->scratch || !n->cache) {
		hr_log(c, 3, "cannot allocate the metrics buffers");
		return -ENOMEM;
	}
	if (config_parse_listen(c->cfg.metrics_listen, addr, sizeof(addr), &port) || !addr[0])
		return 0;	/* off */
	http_srv_config_default(&hc);
	hc.addr = addr;
	hc.port = port;
	hc.body_cap = n->cache_cap;
	int rc = http_srv_init(&n->srv, &hc, serve_cache, n);
	if (rc) {
		/* Reclaim matters more than export: run without the endpoint. */
		hr_log(c, 3, "metrics_listen %s: %s; running without the metrics endpoint",
		       c->cfg.metrics_listen, strerror(-rc));
		return 0;
	}
	n->srv_id = loop_add(&c->loop, http_srv_fd(&n->srv), LOOP_IN, on_metrics_fd, &n->srv);
	if (n->srv_id < 0) {
		hr_log(c, 3, "metrics: cannot register with the loop: %s", strerror(-n->srv_id));
		http_srv_fini(&n->srv);
		return 0;
	}
	n->srv_on = true;
	hr_log(c, 6, "metrics on http://%s%s%s:%u/metrics", strchr(addr, ':') ? "[" : "", addr,
	       strchr(addr, ':') ? "]" : "", http_srv_port(&n->srv));
	return 0;
}

void metrics_fini(struct hr_ctx *c)
{
	struct hr_node *n = c->node;

	loop_del(&c->loop, n->srv_id);
	n->srv_id = -1;
	if (n->srv_on)
		http_srv_fini(&n->srv);
	n->srv_on = false;
	free(n->scratch);
	free(n->cache);
	n->scratch = NULL;
	n->cache = NULL;
}
