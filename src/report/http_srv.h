/* http_srv.h - the metrics endpoint: GET /metrics over HTTP/1.x, served
 * from the agent's epoll loop without threads and without allocation.
 *
 * One fd for the caller's loop: http_srv_fd() is an epoll fd of the
 * server's own (listening socket, clients, a timerfd for deadlines); when
 * it is readable, call http_srv_dispatch(), which handles every ready
 * event with non-blocking calls and returns. Registering with a loop of
 * the shape loop_add(loop, fd, mask, proc, data):
 *
 *	http_srv_init(&srv, &cfg, render_cb, agent);
 *	loop_add(loop, http_srv_fd(&srv), LOOP_READABLE, on_metrics_fd, &srv);
 *	static void on_metrics_fd(... void *data) { http_srv_dispatch(data); }
 *
 * Bounds (a scrape must never slow or block reclaim): at most cfg.clients
 * connections (more are accepted and closed at once, counted in
 * rejected), a request head of at most HTTP_SRV_REQ_MAX bytes (431),
 * cfg.timeout_ms from accept to the last byte sent (then closed, counted),
 * HTTP_SRV_EVENTS events per dispatch; out of fds (EMFILE), accepting
 * pauses for a second rather than spin. Every response closes the
 * connection (Connection: close), so no idle connection holds a slot.
 *
 * The body: render(data, buf, cap) writes the exposition into the
 * server's body buffer (cfg.body_cap bytes, allocated by http_srv_init())
 * and returns its length or a negative errno (then 503). It runs when a
 * GET /metrics or HEAD /metrics head is complete and no earlier response is
 * still being sent from the buffer; otherwise the request is answered from
 * the body being sent (at most one scrape old), so the buffer is never
 * rewritten under a slow client. Content-Type is HTTP_SRV_CONTENT_TYPE exactly.
 * The agent renders once per judged pass into a buffer of its own and its
 * callback copies that (a memcpy of ~250 KB with 1,000 cgroups, against
 * ~2 ms for a render: bench/bench_prom.c), so the scrape rate never
 * multiplies render work inside the loop.
 *
 * Memory: http_srv_init() allocates the body buffer and the client table;
 * nothing after. Logs nothing; counters in struct http_srv_stats tell the
 * caller (the agent's self-metrics) what happened.
 */
#ifndef HR_REPORT_HTTP_SRV_H
#define HR_REPORT_HTTP_SRV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Not on the Prometheus wiki's default port allocations: its 9100-9999
 * range is fully allocated; see README.md "Metrics". */
#define HTTP_SRV_PORT_DEFAULT 19380
#define HTTP_SRV_ADDR_DEFAULT "127.0.0.1"
#define HTTP_SRV_CLIENTS_DEFAULT 8
#define HTTP_SRV_TIMEOUT_MS_DEFAULT 5000
#define HTTP_SRV_REQ_MAX 4096
#define HTTP_SRV_EVENTS 32
#define HTTP_SRV_BODY_DEFAULT (1u << 20)
#define HTTP_SRV_BODY_MIN 1024
/* Exactly this: Prometheus 3 refuses a scrape whose type is missing or
 * malformed (report/prom.h renders the format it names). */
#define HTTP_SRV_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct http_srv_config {
	const char *addr;	/* numeric IPv4 or IPv6 address; "127.0.0.1" by default */
	uint16_t port;		/* 0: any (tests read it back with http_srv_port()) */
	size_t clients;		/* connections at once, >= 1 */
	uint32_t timeout_ms;	/* accept to last byte */
	size_t body_cap;	/* bytes of the body buffer */
};

struct http_srv_stats {
	uint64_t accepted, rejected;	/* rejected: over the connection bound */
	uint64_t responses[6];		/* 200, 400, 404, 405, 431, 503 */
	uint64_t timeouts, errors;	/* errors: reset or failed sends */
	uint64_t renders;
	uint64_t render_usec_last, render_usec_max;
};

typedef long (*http_render_fn)(void *data, char *buf, size_t cap);

struct http_client;

struct http_srv {
	bool live;			/* between init and fini */
	int epfd, lfd, tfd;
	uint16_t port;
	struct http_srv_config cfg;
	http_render_fn render;
	void *data;
	struct http_client *c;		/* cfg.clients slots */
	char *body;
	size_t body_len;
	bool body_ok;
	size_t body_users;		/* clients sending from body */
	uint64_t listen_paused_until_ms;	/* out of fds: accept again then (0: not paused) */
	struct http_srv_stats st;
};

void http_srv_config_default(struct http_srv_config *c);

/* Binds and listens on cfg->addr:cfg->port (SO_REUSEADDR, non-blocking,
 * close-on-exec), creates the server's epoll fd and timerfd, allocates the
 * buffers. Returns 0; -EINVAL for an address that is not numeric or a
 * config out of range; -ENOMEM; or the -errno of socket/bind/listen
 * (-EADDRINUSE, -EACCES). On error nothing is left open. */
int http_srv_init(struct http_srv *s, const struct http_srv_config *cfg, http_render_fn render,
		  void *data);

/* The one fd to watch for readability. */
int http_srv_fd(const struct http_srv *s);

/* The bound port (the one chosen when cfg.port was 0). */
uint16_t http_srv_port(const struct http_srv *s);

/* Handles what is ready (accepts, reads, writes, deadlines); never blocks.
 * Returns the number of events handled, or a negative errno of epoll_wait
 * other than EINTR (the caller's loop decides). */
int http_srv_dispatch(struct http_srv *s);

/* Closes every fd and frees the buffers; s may be re-initialised. A zeroed
 * or already closed server is a no-op. */
void http_srv_fini(struct http_srv *s);

/* Writes buf[0..len) to path atomically for node_exporter's textfile
 * collector: a temporary file in the same directory (path + ".tmp"), mode
 * 0644, renamed over path (no fsync: it is rewritten every pass, and an
 * fsync would block the caller for the disk's latency). Returns 0 or a
 * negative errno (the temporary file is removed on error). The directory
 * must exist. */
int prom_textfile_write(const char *path, const char *buf, size_t len);

#endif
