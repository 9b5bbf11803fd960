/* status.c - the status file (run_dir/status, one line of counters,
 * replaced atomically) and the STATUS= line `systemctl status` shows. See
 * ctx.h. */
#define _GNU_SOURCE
#include "daemon/ctx.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/clock.h"

/* The line `systemctl status` shows, sent when it changes (the tick calls
 * this every second; an unchanged line is not resent). */
static void status_notify(struct hr_ctx *c, unsigned tracked, unsigned lim, unsigned rec)
{
	char msg[sizeof(c->notify_status)];

	snprintf(msg, sizeof(msg), "STATUS=%s%u cgroups watched, %u limited, %u reclaiming; "
		 "%llu squeezes, %llu MiB reclaimed",
		 c->cfg.dry_run ? "dry run: " : "", tracked, lim, rec, (unsigned long long)c->st.squeezes,
		 (unsigned long long)(c->st.reclaimed_bytes >> 20));
	if (!strcmp(msg, c->notify_status))
		return;
	memcpy(c->notify_status, msg, sizeof(msg));
	notify_send(c, msg);
}

/* Open journal records: read when the worker is not using the journal,
 * else the last value seen (the RT thread never waits for the worker). */
static unsigned open_records(struct hr_ctx *c)
{
	if (c->worker.inited && pthread_mutex_trylock(&c->worker.journal_mu))
		return c->journal_open;
	c->journal_open = c->journal.open_entries;
	if (c->worker.inited)
		pthread_mutex_unlock(&c->worker.journal_mu);
	return c->journal_open;
}

void status_write(struct hr_ctx *c)
{
	unsigned tracked = 0, lim = 0, rec = 0;
	int fd;

	for (uint32_t i = 0; i < c->ncg; i++) {
		struct hr_cg *g = &c->cg[i];
		if (!g->used)
			continue;
		tracked++;
		if (g->limited) {
			lim++;
			rec += g->backend != HR_BE_OBSERVE && g->backend != HR_BE_NONE && !g->observe_mode;
		}
	}
	int n = snprintf(c->line, sizeof(c->line),
			 "pid=%d uptime_s=%llu cgroup=%s tracked=%u limited=%u reclaiming=%u "
			 "squeezes=%llu reclaimed_bytes=%llu ebusy=%llu would_reclaim=%llu "
			 "events=%llu polls=%llu throttled=%llu journal_open=%u dropped=%u dropped_total=%llu "
			 "journal_refused=%llu journal_full=%llu lost_restores=%llu foreign_owner=%llu fd_short=%llu%s\n",
			 (int)getpid(), (unsigned long long)((clock_mono_ns() - c->start_ns) / 1000000000u),
			 c->v2 ? "v2" : "v1", tracked, lim, rec,
			 (unsigned long long)c->st.squeezes, (unsigned long long)c->st.reclaimed_bytes,
			 (unsigned long long)c->st.ebusy, (unsigned long long)c->st.would_reclaim,
			 (unsigned long long)(c->st.events_v1 + c->st.events_v2),
			 (unsigned long long)c->st.polls, (unsigned long long)c->st.throttled,
			 open_records(c), c->unwatched, (unsigned long long)c->st.dropped_cgroups,
			 (unsigned long long)c->st.journal_refused, (unsigned long long)c->st.journal_full,
			 (unsigned long long)c->st.lost_restores, (unsigned long long)c->st.foreign_owner,
			 (unsigned long long)c->st.fd_short, c->cfg.dry_run ? " dry_run=1" : "");
	status_notify(c, tracked, lim, rec);
	/* Atomic for readers: write a temp file, then rename over. The temp
	 * name is unlinked and created afresh (O_EXCL, O_NOFOLLOW, O_NONBLOCK)
	 * so nothing planted there, a symlink or a FIFO, is followed, waited
	 * on or kept. */
	if (c->run_fd < 0)
		return;
	unlinkat(c->run_fd, "status.tmp", 0);
	fd = openat(c->run_fd, "status.tmp", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
		    0644);
	if (fd < 0)
		return;
	ssize_t w = write(fd, c->line, (size_t)n);
	close(fd);
	if (w == n)
		renameat(c->run_fd, "status.tmp", c->run_fd, "status");
}
