/* test_http_srv.c - the request parser (table) and the metrics server on a
 * loopback socket: 200 with the exact content type, HEAD, 404, 405, 400,
 * 431, the connection bound, a slow client's deadline, the body kept
 * stable under a slow reader, the textfile writer. */
#define _GNU_SOURCE
#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "report/http_req.h"
#include "report/http_srv.h"
#include "report/prom.h"

static void test_parse(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		long rc;
		int method;
		const char *path;
	} t[] = {
		{ "GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n", 47, HTTP_GET, "/metrics" },
		{ "HEAD /metrics?a=b HTTP/1.0\n\n", 28, HTTP_HEAD, "/metrics" },
		{ "POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", 38, HTTP_OTHER, "/" },
		{ "GET /metrics HTTP/1.1\r\nHost: x\r\n", 0, 0, "" },
		{ "GET /met", 0, 0, "" },
		{ "", 0, 0, "" },
		{ "GET /metrics HTTP/2.0\r\n\r\n", -EINVAL, 0, "" },
		{ "GET  HTTP/1.1\r\n\r\n", -EINVAL, 0, "" },
		{ "GET /metrics HTTP/1.1 x\r\n\r\n", -EINVAL, 0, "" },
		{ " GET / HTTP/1.1\r\n\r\n", -EINVAL, 0, "" },
		{ "GET / HTTP/1.1\r\nno colon\r\n\r\n", -EINVAL, 0, "" },
		{ "GET / HTTP/1.1\r\n: empty name\r\n\r\n", -EINVAL, 0, "" },
		{ "GET / HTTP/1.1\r\nA: b\rc\r\n\r\n", -EINVAL, 0, "" },
		{ "GET /\x01 HTTP/1.1\r\n\r\n", -EINVAL, 0, "" },
		{ "G(T / HTTP/1.1\r\n\r\n", -EINVAL, 0, "" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct http_req r = { .path = "" };
		long rc = http_req_parse(t[i].in, strlen(t[i].in), &r);
		if (rc != t[i].rc)
			fail_msg("case %zu: rc %ld, want %ld", i, rc, t[i].rc);
		if (rc > 0) {
			assert_int_equal(r.method, t[i].method);
			assert_string_equal(r.path, t[i].path);
		}
	}
	char big[HTTP_PATH_MAX + 32] = "GET /";
	memset(big + 5, 'a', HTTP_PATH_MAX);
	memcpy(big + 5 + HTTP_PATH_MAX, " HTTP/1.1\r\n\r\n", 14);
	struct http_req r;
	assert_int_equal(http_req_parse(big, strlen(big), &r), -ENAMETOOLONG);
	/* a NUL in an unfinished line is already malformed */
	assert_int_equal(http_req_parse("GET \0", 5, &r), -EINVAL);
}

struct body {
	size_t len;
	int calls;
	char fill;
};

static long render(void *data, char *buf, size_t cap)
{
	struct body *b = data;
	b->calls++;
	if (b->len > cap)
		return -E2BIG;
	memset(buf, b->fill, b->len);
	return (long)b->len;
}

static int dial(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

/* Runs the server until fd has something to read (or 2 s pass). */
static void pump(struct http_srv *s, int fd)
{
	for (int i = 0; i < 200; i++) {
		struct pollfd p[2] = { { http_srv_fd(s), POLLIN, 0 }, { fd, POLLIN, 0 } };
		poll(p, 2, 10);
		if (p[0].revents)
			http_srv_dispatch(s);
		if (p[1].revents)
			return;
	}
}

/* Runs the server for about ms milliseconds. */
static void spin(struct http_srv *s, int ms)
{
	for (int i = 0; i < ms / 5; i++) {
		struct pollfd p = { http_srv_fd(s), POLLIN, 0 };
		if (poll(&p, 1, 5) > 0)
			http_srv_dispatch(s);
	}
}

/* Sends req, reads the whole response (until EOF) into out. */
static size_t exchange(struct http_srv *s, const char *req, char *out, size_t cap)
{
	int fd = dial(http_srv_port(s));
	size_t n = 0;
	assert_int_equal(send(fd, req, strlen(req), 0), (ssize_t)strlen(req));
	for (int i = 0; i < 400; i++) {
		pump(s, fd);
		ssize_t r = recv(fd, out + n, cap - 1 - n, MSG_DONTWAIT);
		if (r == 0)
			break;
		if (r > 0)
			n += (size_t)r;
	}
	out[n] = '\0';
	close(fd);
	return n;
}

static struct http_srv *start(struct body *b, size_t clients, uint32_t timeout_ms)
{
	struct http_srv *s = calloc(1, sizeof(*s));
	struct http_srv_config c;
	http_srv_config_default(&c);
	c.port = 0;
	c.clients = clients;
	c.timeout_ms = timeout_ms;
	c.body_cap = 1 << 20;
	assert_int_equal(http_srv_init(s, &c, render, b), 0);
	return s;
}

static void test_serve(void **state)
{
	(void)state;
	struct body b = { 100, 0, 'x' };
	struct http_srv *s = start(&b, 2, 5000);
	char *out = malloc(1 << 21);

	size_t n = exchange(s, "GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n", out, 1 << 21);
	assert_non_null(strstr(out, "HTTP/1.1 200 OK\r\n"));
	assert_non_null(strstr(out, "\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
	assert_non_null(strstr(out, "\r\nContent-Length: 100\r\n"));
	assert_int_equal(out[n - 1], 'x');
	assert_int_equal(strstr(out, "\r\n\r\n") + 4 + 100 - out, (long)n);
	exchange(s, "HEAD /metrics HTTP/1.0\r\n\r\n", out, 1 << 21);
	assert_non_null(strstr(out, "Content-Length: 100\r\n"));
	assert_string_equal(strstr(out, "\r\n\r\n"), "\r\n\r\n");	/* no body */
	exchange(s, "GET / HTTP/1.1\r\n\r\n", out, 1 << 21);
	assert_non_null(strstr(out, "HTTP/1.1 404 "));
	exchange(s, "DELETE /metrics HTTP/1.1\r\n\r\n", out, 1 << 21);
	assert_non_null(strstr(out, "HTTP/1.1 405 "));
	assert_non_null(strstr(out, "Allow: GET, HEAD\r\n"));
	exchange(s, "GET /metrics HTTP/3\r\n\r\n", out, 1 << 21);
	assert_non_null(strstr(out, "HTTP/1.1 400 "));
	/* a head that never ends within HTTP_SRV_REQ_MAX */
	char *big = malloc(HTTP_SRV_REQ_MAX + 64);
	strcpy(big, "GET /metrics HTTP/1.1\r\nX: ");
	memset(big + strlen(big), 'a', HTTP_SRV_REQ_MAX);
	big[HTTP_SRV_REQ_MAX + 20] = '\0';
	exchange(s, big, out, 1 << 21);
	assert_non_null(strstr(out, "HTTP/1.1 431 "));
	/* render fails: 503 */
	b.len = (1 << 20) + 1;
	exchange(s, "GET /metrics HTTP/1.1\r\n\r\n", out, 1 << 21);
	assert_non_null(strstr(out, "HTTP/1.1 503 "));
	assert_true(s->st.responses[0] == 2 && s->st.responses[5] == 1);
	free(big);
	free(out);
	http_srv_fini(s);
	http_srv_fini(s);	/* twice: a no-op */
	free(s);
}

/* Connections over the bound are closed at once; a silent client is
 * dropped at its deadline and its slot serves the next one. */
static void test_bounds(void **state)
{
	(void)state;
	struct body b = { 10, 0, 'y' };
	struct http_srv *s = start(&b, 1, 200);
	char buf[256];

	int idle = dial(http_srv_port(s));
	spin(s, 50);	/* accepted; sends nothing */
	int over = dial(http_srv_port(s));
	spin(s, 50);
	assert_int_equal(recv(over, buf, sizeof(buf), 0), 0);	/* closed: no slot */
	assert_int_equal(s->st.rejected, 1);
	assert_int_equal(s->st.timeouts, 0);
	close(over);
	spin(s, 300);	/* the deadline closes it */
	assert_int_equal(recv(idle, buf, sizeof(buf), 0), 0);
	assert_int_equal(s->st.timeouts, 1);
	close(idle);
	size_t n = exchange(s, "GET /metrics HTTP/1.1\r\n\r\n", buf, sizeof(buf));
	assert_true(n > 10 && buf[n - 1] == 'y');
	http_srv_fini(s);
	free(s);
}

/* A client that reads slowly keeps the body it was sent: a second scrape
 * meanwhile does not re-render into the buffer. */
static void test_stable_body(void **state)
{
	(void)state;
	struct body b = { 4 << 20, 0, 'a' };
	struct http_srv *s = calloc(1, sizeof(*s));
	struct http_srv_config c;
	http_srv_config_default(&c);
	c.port = 0;
	c.body_cap = 8 << 20;
	assert_int_equal(http_srv_init(s, &c, render, &b), 0);
	int slow = dial(http_srv_port(s));
	const char *req = "GET /metrics HTTP/1.1\r\n\r\n";
	send(slow, req, strlen(req), 0);
	pump(s, slow);	/* 4 MiB do not fit the socket buffers: still sending */
	assert_int_equal(b.calls, 1);
	b.fill = 'b';
	char *out = malloc(9 << 20);
	size_t n = exchange(s, req, out, 9 << 20);
	assert_int_equal(b.calls, 1);	/* served from the body in flight */
	assert_int_equal(out[n - 1], 'a');
	size_t got = 0;
	for (int i = 0; i < 2000; i++) {
		struct pollfd p[2] = { { http_srv_fd(s), POLLIN, 0 }, { slow, POLLIN, 0 } };
		poll(p, 2, 10);
		if (p[0].revents)
			http_srv_dispatch(s);
		ssize_t r = recv(slow, out, 9 << 20, MSG_DONTWAIT);
		if (r == 0)
			break;
		if (r > 0)
			got += (size_t)r;
	}
	assert_true(got > (size_t)(4 << 20));
	close(slow);
	exchange(s, req, out, 9 << 20);
	assert_int_equal(b.calls, 2);	/* nothing in flight: rendered anew */
	free(out);
	http_srv_fini(s);
	free(s);
}

/* Out of fds: the listener pauses instead of spinning, then serves again. */
static void test_emfile(void **state)
{
	(void)state;
	struct body b = { 10, 0, 'z' };
	struct http_srv *s = start(&b, 4, 5000);
	struct rlimit old, low;
	getrlimit(RLIMIT_NOFILE, &old);
	int probe = dup(0);
	low = old;
	low.rlim_cur = (rlim_t)probe + 2;	/* room for the client socket only */
	close(probe);
	setrlimit(RLIMIT_NOFILE, &low);
	int c = dial(http_srv_port(s));
	int busy[8], nb = 0;
	while (nb < 8 && (busy[nb] = dup(0)) >= 0)
		nb++;
	int n = 0;
	for (int i = 0; i < 20; i++) {
		struct pollfd p = { http_srv_fd(s), POLLIN, 0 };
		if (poll(&p, 1, 5) > 0)
			n += http_srv_dispatch(s) > 0;
	}
	assert_true(s->listen_paused_until_ms > 0);
	assert_true(n <= 3);	/* not one wake-up per poll */
	while (nb > 0)
		close(busy[--nb]);
	setrlimit(RLIMIT_NOFILE, &old);
	char buf[256];
	size_t got = 0;
	for (int i = 0; i < 400 && !got; i++) {
		struct pollfd p[2] = { { http_srv_fd(s), POLLIN, 0 }, { c, POLLIN, 0 } };
		poll(p, 2, 10);
		if (p[0].revents)
			http_srv_dispatch(s);
		if (p[1].revents)
			break;
		if (i == 0)
			send(c, "GET /metrics HTTP/1.1\r\n\r\n", 25, 0);
	}
	ssize_t r;
	for (int i = 0; i < 200; i++) {
		struct pollfd p = { http_srv_fd(s), POLLIN, 0 };
		if (poll(&p, 1, 10) > 0)
			http_srv_dispatch(s);
		r = recv(c, buf + got, sizeof(buf) - 1 - got, MSG_DONTWAIT);
		if (r == 0)
			break;
		if (r > 0)
			got += (size_t)r;
	}
	buf[got] = '\0';
	assert_non_null(strstr(buf, "HTTP/1.1 200 OK"));
	assert_int_equal(s->listen_paused_until_ms, 0);
	close(c);
	http_srv_fini(s);
	free(s);
}

static void test_textfile(void **state)
{
	(void)state;
	char dir[] = "/tmp/hr-textfile-XXXXXX", path[64], tmp[80], buf[32];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/headroom.prom", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	mode_t old = umask(077);
	assert_int_equal(prom_textfile_write(path, "a 1\n", 4), 0);
	assert_int_equal(prom_textfile_write(path, "b 2\n", 4), 0);
	umask(old);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(access(tmp, F_OK), -1);
	FILE *f = fopen(path, "r");
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "b 2\n");
	unlink(path);
	rmdir(dir);
	assert_int_equal(prom_textfile_write("/nonexistent-dir/x.prom", "a", 1), -ENOENT);
}

static void test_bad_config(void **state)
{
	(void)state;
	struct http_srv s;
	struct http_srv_config c;
	http_srv_config_default(&c);
	c.addr = "localhost";	/* numeric only: no resolver in the agent */
	assert_int_equal(http_srv_init(&s, &c, render, NULL), -EINVAL);
	http_srv_config_default(&c);
	c.clients = 0;
	assert_int_equal(http_srv_init(&s, &c, render, NULL), -EINVAL);
	http_srv_fini(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_serve),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_stable_body),
		cmocka_unit_test(test_emfile),
		cmocka_unit_test(test_textfile),
		cmocka_unit_test(test_bad_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
