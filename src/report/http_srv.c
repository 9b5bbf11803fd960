/* http_srv.c - the metrics endpoint (contract in http_srv.h): one epoll fd
 * of its own, non-blocking sockets, fixed buffers, Connection: close. */
#define _GNU_SOURCE
#include "report/http_srv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "report/http_req.h"

/* epoll_data.u64 of the two server fds; clients use their slot index. */
#define TAG_LISTEN (UINT64_MAX - 1)
#define TAG_TIMER (UINT64_MAX - 2)

enum { R200, R400, R404, R405, R431, R503 };

struct http_client {
	int fd;			/* -1: free slot */
	uint64_t deadline_ms;
	size_t rlen;
	char req[HTTP_SRV_REQ_MAX];
	bool writing, uses_body;
	char head[256];
	size_t hlen, hpos;
	const char *body;
	size_t blen, bpos;
};

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t now_usec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

void http_srv_config_default(struct http_srv_config *c)
{
	c->addr = HTTP_SRV_ADDR_DEFAULT;
	c->port = HTTP_SRV_PORT_DEFAULT;
	c->clients = HTTP_SRV_CLIENTS_DEFAULT;
	c->timeout_ms = HTTP_SRV_TIMEOUT_MS_DEFAULT;
	c->body_cap = HTTP_SRV_BODY_DEFAULT;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void http_srv_fini(struct http_srv *s)
{
	if (!s->live)
		return;	/* zeroed or already closed: fds may read 0 */
	if (s->c)
		for (size_t i = 0; i < s->cfg.clients; i++)
			close_fd(&s->c[i].fd);
	close_fd(&s->epfd);
	close_fd(&s->lfd);
	close_fd(&s->tfd);
	s->live = false;
	free(s->c);
	free(s->body);
	s->c = NULL;
	s->body = NULL;
}

static int listen_on(const char *addr, uint16_t port, uint16_t *bound)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	memset(&ss, 0, sizeof(ss));
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, addr, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		sl = sizeof(*a4);
	} else if (inet_pton(AF_INET6, addr, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		sl = sizeof(*a6);
	} else {
		return -EINVAL;
	}
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) || listen(fd, 64)) {
		int e = -errno;
		close(fd);
		return e;
	}
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
		*bound = ntohs(ss.ss_family == AF_INET ? a4->sin_port : a6->sin6_port);
	return fd;
}

static int ep_add(int epfd, int fd, uint32_t ev, uint64_t tag)
{
	struct epoll_event e = { .events = ev, .data.u64 = tag };
	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &e) ? -errno : 0;
}

int http_srv_init(struct http_srv *s, const struct http_srv_config *cfg, http_render_fn render,
		  void *data)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->epfd = s->lfd = s->tfd = -1;
	s->live = true;
	if (!cfg->addr || cfg->clients < 1 || cfg->clients > 1024 || cfg->timeout_ms < 1 ||
	    cfg->body_cap < HTTP_SRV_BODY_MIN || !render)
		return -EINVAL;
	s->cfg = *cfg;
	s->render = render;
	s->data = data;
	s->c = calloc(cfg->clients, sizeof(*s->c));
	s->body = malloc(cfg->body_cap);
	if (!s->c || !s->body) {
		rc = -ENOMEM;
		goto fail;
	}
	for (size_t i = 0; i < cfg->clients; i++)
		s->c[i].fd = -1;
	rc = listen_on(cfg->addr, cfg->port, &s->port);
	if (rc < 0)
		goto fail;
	s->lfd = rc;
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	s->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (s->epfd < 0 || s->tfd < 0) {
		rc = -errno;
		goto fail;
	}
	if ((rc = ep_add(s->epfd, s->lfd, EPOLLIN, TAG_LISTEN)) ||
	    (rc = ep_add(s->epfd, s->tfd, EPOLLIN, TAG_TIMER)))
		goto fail;
	return 0;
fail:
	http_srv_fini(s);
	return rc;
}

int http_srv_fd(const struct http_srv *s)
{
	return s->epfd;
}

uint16_t http_srv_port(const struct http_srv *s)
{
	return s->port;
}

/* Arms the timer for the earliest client deadline (disarmed with none). */
static void arm_timer(struct http_srv *s)
{
	uint64_t first = s->listen_paused_until_ms ? s->listen_paused_until_ms : UINT64_MAX;
	uint64_t now = now_ms();
	for (size_t i = 0; i < s->cfg.clients; i++)
		if (s->c[i].fd >= 0 && s->c[i].deadline_ms < first)
			first = s->c[i].deadline_ms;
	struct itimerspec it = { { 0, 0 }, { 0, 0 } };
	if (first != UINT64_MAX) {
		uint64_t d = first > now ? first - now : 1;
		it.it_value.tv_sec = (time_t)(d / 1000);
		it.it_value.tv_nsec = (long)(d % 1000) * 1000000;
	}
	timerfd_settime(s->tfd, 0, &it, NULL);
}

static void drop(struct http_srv *s, struct http_client *c)
{
	if (c->uses_body && s->body_users)
		s->body_users--;
	c->uses_body = false;
	close_fd(&c->fd);	/* close() also removes it from the epoll set */
}

/* Out of fds, the listener stays readable: without a pause the caller's
 * loop would spin on it. It sleeps a second (the timer wakes it). */
#define LISTEN_PAUSE_MS 1000

static void listen_pause(struct http_srv *s, bool pause)
{
	struct epoll_event e = { .events = pause ? 0 : EPOLLIN, .data.u64 = TAG_LISTEN };
	epoll_ctl(s->epfd, EPOLL_CTL_MOD, s->lfd, &e);
	s->listen_paused_until_ms = pause ? now_ms() + LISTEN_PAUSE_MS : 0;
}

static void accept_all(struct http_srv *s)
{
	for (;;) {
		int fd = accept4(s->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
				s->st.errors++;
				listen_pause(s, true);
			}
			return;	/* EAGAIN, or an aborted connection: nothing to do */
		}
		struct http_client *c = NULL;
		for (size_t i = 0; i < s->cfg.clients && !c; i++)
			if (s->c[i].fd < 0)
				c = &s->c[i];
		if (!c) {
			s->st.rejected++;
			close(fd);
			continue;
		}
		c->fd = fd;
		c->rlen = c->hlen = c->hpos = c->blen = c->bpos = 0;
		c->writing = c->uses_body = false;
		c->deadline_ms = now_ms() + s->cfg.timeout_ms;
		if (ep_add(s->epfd, fd, EPOLLIN | EPOLLRDHUP, (uint64_t)(c - s->c))) {
			s->st.errors++;
			close_fd(&c->fd);
			continue;
		}
		s->st.accepted++;
	}
}

static const struct {
	int code;
	const char *reason, *body;
} status[] = {
	[R200] = { 200, "OK", "" },
	[R400] = { 400, "Bad Request", "bad request\n" },
	[R404] = { 404, "Not Found", "not found: the metrics are at /metrics\n" },
	[R405] = { 405, "Method Not Allowed", "only GET and HEAD\n" },
	[R431] = { 431, "Request Header Fields Too Large", "request head too large\n" },
	[R503] = { 503, "Service Unavailable", "metrics not available yet\n" },
};

static void respond(struct http_srv *s, struct http_client *c, int r, bool head_only)
{
	const char *ctype = r == R200 ? HTTP_SRV_CONTENT_TYPE : "text/plain; charset=utf-8";
	if (r == R200) {
		c->body = s->body;
		c->blen = s->body_len;
		c->uses_body = true;
		s->body_users++;
	} else {
		c->body = status[r].body;
		c->blen = strlen(c->body);
	}
	int n = snprintf(c->head, sizeof(c->head),
			 "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s"
			 "Connection: close\r\n\r\n",
			 status[r].code, status[r].reason, ctype, c->blen,
			 r == R405 ? "Allow: GET, HEAD\r\n" : "");
	c->hlen = n > 0 && (size_t)n < sizeof(c->head) ? (size_t)n : 0;
	c->hpos = c->bpos = 0;
	if (head_only)
		c->blen = 0;
	c->writing = true;
	s->st.responses[r]++;
	struct epoll_event e = { .events = EPOLLOUT, .data.u64 = (uint64_t)(c - s->c) };
	epoll_ctl(s->epfd, EPOLL_CTL_MOD, c->fd, &e);
}

/* The body is rendered only while no response is being sent from it. */
static int metrics(struct http_srv *s)
{
	if (!s->body_users) {
		uint64_t t0 = now_usec();
		long n = s->render(s->data, s->body, s->cfg.body_cap);
		uint64_t dt = now_usec() - t0;
		s->st.renders++;
		s->st.render_usec_last = dt;
		if (dt > s->st.render_usec_max)
			s->st.render_usec_max = dt;
		s->body_ok = n >= 0 && (size_t)n <= s->cfg.body_cap;
		s->body_len = s->body_ok ? (size_t)n : 0;
	}
	return s->body_ok ? R200 : R503;
}

static void on_read(struct http_srv *s, struct http_client *c)
{
	for (;;) {
		if (c->rlen == sizeof(c->req)) {
			respond(s, c, R431, false);
			return;
		}
		ssize_t n = recv(c->fd, c->req + c->rlen, sizeof(c->req) - c->rlen, 0);
		if (n == 0) {
			drop(s, c);	/* closed before a whole head */
			return;
		}
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			s->st.errors++;
			drop(s, c);
			return;
		}
		c->rlen += (size_t)n;
		struct http_req r;
		long h = http_req_parse(c->req, c->rlen, &r);
		if (h == 0)
			continue;
		if (h < 0) {
			respond(s, c, h == -ENAMETOOLONG ? R431 : R400, false);
			return;
		}
		/* A body or a pipelined request after the head is ignored:
		 * the connection closes after this response. */
		if (r.method == HTTP_OTHER)
			respond(s, c, R405, false);
		else if (strcmp(r.path, "/metrics"))
			respond(s, c, R404, r.method == HTTP_HEAD);
		else
			respond(s, c, metrics(s), r.method == HTTP_HEAD);
		return;
	}
}

static void on_write(struct http_srv *s, struct http_client *c)
{
	while (c->hpos < c->hlen || c->bpos < c->blen) {
		bool hdr = c->hpos < c->hlen;
		const char *p = hdr ? c->head + c->hpos : c->body + c->bpos;
		size_t left = hdr ? c->hlen - c->hpos : c->blen - c->bpos;
		ssize_t n = send(c->fd, p, left, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			s->st.errors++;
			drop(s, c);
			return;
		}
		if (hdr)
			c->hpos += (size_t)n;
		else
			c->bpos += (size_t)n;
	}
	/* All sent: half-close so the client reads EOF, then drop. */
	shutdown(c->fd, SHUT_WR);
	drop(s, c);
}

static void expire(struct http_srv *s)
{
	uint64_t exp, now = now_ms();
	if (read(s->tfd, &exp, sizeof(exp)) < 0 && errno != EAGAIN)
		s->st.errors++;
	if (s->listen_paused_until_ms && s->listen_paused_until_ms <= now)
		listen_pause(s, false);
	for (size_t i = 0; i < s->cfg.clients; i++)
		if (s->c[i].fd >= 0 && s->c[i].deadline_ms <= now) {
			s->st.timeouts++;
			drop(s, &s->c[i]);
		}
}

int http_srv_dispatch(struct http_srv *s)
{
	struct epoll_event ev[HTTP_SRV_EVENTS];
	int n = epoll_wait(s->epfd, ev, HTTP_SRV_EVENTS, 0);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++) {
		uint64_t tag = ev[i].data.u64;
		if (tag == TAG_LISTEN) {
			accept_all(s);
			continue;
		}
		if (tag == TAG_TIMER) {
			expire(s);
			continue;
		}
		if (tag >= s->cfg.clients)
			continue;
		struct http_client *c = &s->c[tag];
		if (c->fd < 0)
			continue;	/* dropped earlier in this batch */
		if (ev[i].events & (EPOLLERR | EPOLLHUP)) {
			s->st.errors++;
			drop(s, c);
		} else if (c->writing) {
			on_write(s, c);
		} else {
			on_read(s, c);
			if (c->fd >= 0 && c->writing)
				on_write(s, c);	/* most responses fit the socket buffer at once */
			else if (c->fd >= 0 && (ev[i].events & EPOLLRDHUP))
				drop(s, c);	/* peer closed mid-head */
		}
	}
	arm_timer(s);
	return n;
}

int prom_textfile_write(const char *path, const char *buf, size_t len)
{
	char tmp[4096];
	int rc = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	fchmod(fd, 0644);	/* whatever the umask: node_exporter must read it */
	for (size_t off = 0; off < len;) {
		ssize_t n = write(fd, buf + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		off += (size_t)n;
	}
	/* No fsync: the file is rewritten every pass and is worth nothing
	 * after a crash, while an fsync would hold the agent's loop for the
	 * disk's latency. rename() alone gives readers old or new, whole. */
	if (close(fd) && !rc)
		rc = -errno;
	/* rename() is atomic: the collector sees the old file or the new one,
	 * never a half-written one (its docs ask for exactly this). */
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}
