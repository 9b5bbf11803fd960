/* notify.c - sd_notify(3) written by hand (no libsystemd): READY=1,
 * STATUS=, WATCHDOG=1, RELOADING=1, STOPPING=1 to $NOTIFY_SOCKET. See ctx.h. */
#define _GNU_SOURCE
#include "daemon/ctx.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/parse.h"

void notify_send(struct hr_ctx *c, const char *msg)
{
	if (c->notify_fd < 0)
		return;
	ssize_t n = sendto(c->notify_fd, msg, strlen(msg), MSG_NOSIGNAL,
			   (const struct sockaddr *)&c->notify_addr, c->notify_len);
	(void)n;
}

/* $NOTIFY_SOCKET: a path, or "@name" for the abstract namespace. */
void notify_open(struct hr_ctx *c)
{
	const char *s = getenv("NOTIFY_SOCKET");
	const char *w = getenv("WATCHDOG_USEC");
	const char *wp = getenv("WATCHDOG_PID");
	size_t len;

	c->notify_fd = -1;
	if (!s || !*s || (s[0] != '/' && s[0] != '@'))
		return;
	len = strlen(s);
	if (len >= sizeof(c->notify_addr.sun_path))
		return;
	memset(&c->notify_addr, 0, sizeof(c->notify_addr));
	c->notify_addr.sun_family = AF_UNIX;
	memcpy(c->notify_addr.sun_path, s, len);
	if (s[0] == '@')
		c->notify_addr.sun_path[0] = '\0';
	c->notify_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	c->notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (w && (!wp || (uint64_t)getpid() == strtoull(wp, NULL, 10))) {
		uint64_t v;
		if (!parse_u64_field((struct hr_span){ w, strlen(w) }, &v))
			c->watchdog_usec = v;
	}
}
