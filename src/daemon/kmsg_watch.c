/* kmsg_watch.c - /dev/kmsg read live through the explain engine (node.h).
 *
 * The device is opened once, non-blocking, and positioned at its end
 * (SEEK_END): what the ring buffer held before the agent started was
 * either seen by an earlier agent or is history for `headroom explain`.
 * Each read() returns one record ("prio,seq,usec,flags;text\n" plus
 * " KEY=VAL" dictionary lines, kernel-facts.md /dev/kmsg); only facility 0
 * (the kernel's own) reaches the engine: a process writing to /dev/kmsg
 * gets LOG_USER (facility 1) at least. A 1 s timer tells the engine how
 * long the log has been silent, which completes the reports it holds. */
#define _GNU_SOURCE
#include "daemon/node.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/kmsg.h"
#include "snapshot/logline.h"
#include "util/clock.h"

/* An incident is complete: logged once, counted by kind. */
static void on_incident(void *arg, const struct hr_finding *f)
{
	struct hr_ctx *c = arg;
	struct hr_node *n = c->node;

	for (int k = 0; k < HR_INC_NKINDS; k++)
		if (!strcmp(f->kind, incident_kind_name((enum hr_incident_kind)k))) {
			n->incidents[k]++;
			break;
		}
	hr_log(c, 4, "kernel incident %s: %s (%s)", f->kind, f->subject, f->id);
}

static void one_record(struct hr_ctx *c, const char *p, size_t len)
{
	struct hr_node *n = c->node;
	struct hr_kmsg_rec rec;

	if (kmsg_record_parse(p, len, &rec))
		return;
	if (rec.facility != 0) {
		n->kmsg_user++;
		return;
	}
	n->kmsg_records++;
	int ln = kmsg_record_line(&rec, n->kline, sizeof(n->kline));
	if (ln >= 0)
		explain_line(n->x, n->kline, (size_t)ln);
}

void kmsg_watch_read(struct hr_ctx *c)
{
	struct hr_node *n = c->node;
	bool any = false;

	if (n->kmsg_fd < 0)
		return;
	for (int i = 0; i < NODE_KMSG_BATCH; i++) {
		ssize_t k = read(n->kmsg_fd, n->rec, sizeof(n->rec));
		if (k < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE) {	/* overwritten before we read it */
				n->kmsg_lost++;
				continue;
			}
			if (errno != EAGAIN)
				n->agent.errors[PROM_AGENT_ERR_KMSG]++;
			break;
		}
		if (k == 0)
			break;
		any = true;
		one_record(c, n->rec, (size_t)k);
	}
	if (any)
		n->kmsg_last_ns = clock_mono_ns();
}

static void on_kmsg(struct loop *l, int fd, void *data, uint32_t events)
{
	(void)fd;
	(void)data;
	(void)events;
	kmsg_watch_read(ctx_of_loop(l));
}

static void on_kmsg_tick(struct loop *l, int fd, void *data, uint32_t events)
{
	struct hr_ctx *c = ctx_of_loop(l);
	struct hr_node *n = c->node;

	(void)fd;
	(void)data;
	(void)events;
	kmsg_watch_read(c);
	uint64_t now = clock_mono_ns();
	if (n->kmsg_last_ns && now > n->kmsg_last_ns)
		explain_idle(n->x, (int64_t)((now - n->kmsg_last_ns) / 1000u));
}

int kmsg_watch_init(struct hr_ctx *c)
{
	struct hr_node *n = c->node;

	if (!c->cfg.kmsg)
		return 0;
	n->x = calloc(1, sizeof(*n->x));
	if (!n->x) {
		hr_log(c, 3, "kmsg: out of memory; kernel incidents are not watched");
		return -ENOMEM;
	}
	explain_init(n->x, on_incident, c);
	int64_t boot;
	if (!kmsg_boot_usec(&c->root, &boot))	/* at init: below a root it reads proc/stat */
		n->x->boot_usec = boot;
	int fd = kmsg_open_live(&c->root);
	if (fd == -ENODEV) {
		/* A fixture's regular file cannot be watched with epoll. */
		hr_log(c, 4, "kmsg: %s/dev/kmsg is not a character device; kernel incidents are not watched",
		       c->root.path);
		return fd;
	}
	if (fd < 0) {
		hr_log(c, 4, "kmsg: %s/dev/kmsg: %s%s; kernel incidents are not watched",
		       c->root.is_host ? "" : c->root.path, strerror(-fd),
		       fd == -EPERM || fd == -EACCES ? " (needs CAP_SYSLOG with kernel.dmesg_restrict=1)" : "");
		return fd;
	}
	n->kmsg_fd = fd;
	n->kmsg_id = loop_add(&c->loop, fd, LOOP_IN, on_kmsg, NULL);
	n->kmsg_tick_id = loop_timer_add(&c->loop, on_kmsg_tick, NULL);
	if (n->kmsg_id < 0 || n->kmsg_tick_id < 0 ||
	    loop_timer_arm(&c->loop, n->kmsg_tick_id, clock_mono_ns() + HR_NSEC_PER_SEC, HR_NSEC_PER_SEC)) {
		hr_log(c, 3, "kmsg: cannot register with the loop; kernel incidents are not watched");
		kmsg_watch_fini(c);
		return -ENOSPC;
	}
	return 0;
}

void kmsg_watch_fini(struct hr_ctx *c)
{
	struct hr_node *n = c->node;

	loop_del(&c->loop, n->kmsg_id);
	loop_del(&c->loop, n->kmsg_tick_id);
	n->kmsg_id = n->kmsg_tick_id = -1;
	if (n->kmsg_fd >= 0)
		close(n->kmsg_fd);
	n->kmsg_fd = -1;
	free(n->x);
	n->x = NULL;
}
