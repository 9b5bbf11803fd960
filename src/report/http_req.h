/* http_req.h - the request head of an HTTP/1.x client, as much of it as a
 * metrics endpoint needs.
 *
 * http_req_parse() is pure: no I/O, no allocation, no logging; the metrics
 * server (report/http_srv.c), the unit tests and tests/fuzz/fuzz_http_req.c
 * call it. It accepts the request line "METHOD SP TARGET SP HTTP/1.D" and
 * header lines up to the empty line (CRLF or bare LF, RFC 9112 2.2 allows
 * the latter); header contents are checked for shape only (a name, a
 * colon), never interpreted: the server answers every request the same way
 * and closes the connection.
 */
#ifndef HR_REPORT_HTTP_REQ_H
#define HR_REPORT_HTTP_REQ_H

#include <stddef.h>

#define HTTP_PATH_MAX 256

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_OTHER };

struct http_req {
	enum http_method method;
	char path[HTTP_PATH_MAX];	/* the target before '?', NUL-terminated */
	int minor;			/* HTTP/1.minor: 0 or 1 */
};

/* Parses buf[0..len). Returns the length of the head (through the empty
 * line) when it is complete; 0 when more bytes are needed; -EINVAL for a
 * malformed head (bad request line, control bytes, a header line without a
 * name and colon, a version other than 1.0/1.1); -ENAMETOOLONG for a target
 * above HTTP_PATH_MAX - 1 bytes. *out is written only on success. */
long http_req_parse(const char *buf, size_t len, struct http_req *out);

#endif
