/* http_req.c - HTTP/1.x request head parser (contract in http_req.h).
 * What Prometheus 2.42 sends, captured with nc -l on this machine:
 *   GET /metrics HTTP/1.1\r\n
 *   Host: 127.0.0.1:19380\r\n
 *   User-Agent: Prometheus/2.42.0\r\n
 *   Accept: application/openmetrics-text;version=1.0.0,...;q=0.2,*\/\*;q=0.1\r\n
 *   Accept-Encoding: gzip\r\n
 *   X-Prometheus-Scrape-Timeout-Seconds: 10\r\n
 *   \r\n
 */
#include "report/http_req.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

/* tchar of RFC 9110 5.6.2 */
static bool is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return c && strchr("!#$%&'*+-.^_`|~", c);
}

/* Finds the end of the line starting at pos: index of '\n', or -1. */
static long line_end(const char *buf, size_t len, size_t pos)
{
	const char *nl = memchr(buf + pos, '\n', len - pos);
	return nl ? nl - buf : -1;
}

static int parse_request_line(const char *s, size_t n, struct http_req *r)
{
	size_t i = 0, m;

	while (i < n && is_tchar((unsigned char)s[i]))
		i++;
	if (i == 0 || i >= n || s[i] != ' ')
		return -EINVAL;
	m = i;
	if (m == 3 && !memcmp(s, "GET", 3))
		r->method = HTTP_GET;
	else if (m == 4 && !memcmp(s, "HEAD", 4))
		r->method = HTTP_HEAD;
	else
		r->method = HTTP_OTHER;
	size_t t = ++i;
	while (i < n && s[i] != ' ') {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c == 0x7f)
			return -EINVAL;
		i++;
	}
	if (i == t || i >= n)
		return -EINVAL;
	size_t tlen = i - t;
	const char *q = memchr(s + t, '?', tlen);
	size_t plen = q ? (size_t)(q - (s + t)) : tlen;
	if (plen >= HTTP_PATH_MAX)
		return -ENAMETOOLONG;
	i++;
	if (n - i != 8 || memcmp(s + i, "HTTP/1.", 7) || (s[i + 7] != '0' && s[i + 7] != '1'))
		return -EINVAL;
	r->minor = s[i + 7] - '0';
	memcpy(r->path, s + t, plen);
	r->path[plen] = '\0';
	return 0;
}

static int check_header(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && is_tchar((unsigned char)s[i]))
		i++;
	if (i == 0 || i >= n || s[i] != ':')
		return -EINVAL;
	for (i++; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return -EINVAL;
	}
	return 0;
}

long http_req_parse(const char *buf, size_t len, struct http_req *out)
{
	struct http_req r;
	size_t pos = 0;
	bool first = true;

	for (;;) {
		long e = line_end(buf, len, pos);
		if (e < 0) {
			/* An incomplete line may already be malformed: a NUL or
			 * other control byte never becomes valid. */
			for (size_t i = pos; i < len; i++)
				if (buf[i] == '\0')
					return -EINVAL;
			return 0;
		}
		size_t n = (size_t)e - pos;
		if (n && buf[pos + n - 1] == '\r')
			n--;
		if (memchr(buf + pos, '\r', n))
			return -EINVAL;
		if (first) {
			int rc = parse_request_line(buf + pos, n, &r);
			if (rc)
				return rc;
			first = false;
		} else if (n == 0) {
			*out = r;
			return e + 1;
		} else if (check_header(buf + pos, n)) {
			return -EINVAL;
		}
		pos = (size_t)e + 1;
	}
}
