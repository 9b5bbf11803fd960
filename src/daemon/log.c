/* log.c - the agent's log lines: one write(2) to stderr per line, with a
 * syslog priority prefix only when stderr is the journal. See ctx.h. */
#define _GNU_SOURCE
#include "daemon/ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

bool log_stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char tail;

	/* "DEV:INO" of the stream journald gave us (systemd.exec(5)); stderr
	 * redirected elsewhere by a wrapper keeps the variable but not the inode. */
	if (!js || sscanf(js, "%llu:%llu%c", &dev, &ino, &tail) != 2 || fstat(STDERR_FILENO, &st))
		return false;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

/* One line to stderr, with a syslog priority prefix ("<6>headroom: run: ...")
 * only when stderr is the journal: journald reads it as the priority, a
 * terminal or a log file would show it as noise. vsnprintf into a ctx buffer
 * and one write(2): no stdio buffering, no allocation. Debug (7) only with -v. */
void hr_log(struct hr_ctx *c, int prio, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (prio >= 7 && !c->opts.verbose)
		return;
	if (c->log_journal)
		n = snprintf(c->logbuf, sizeof(c->logbuf), "<%d>headroom: run: ", prio);
	else
		n = snprintf(c->logbuf, sizeof(c->logbuf), "headroom: run: ");
	va_start(ap, fmt);
	n += vsnprintf(c->logbuf + n, sizeof(c->logbuf) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if ((size_t)n > sizeof(c->logbuf) - 2)
		n = (int)sizeof(c->logbuf) - 2;
	c->logbuf[n++] = '\n';
	ssize_t w = write(STDERR_FILENO, c->logbuf, (size_t)n);
	(void)w;
}
