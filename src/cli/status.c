/* status.c - `headroom status`: one line (or one JSON object) on what a
 * running agent does.
 *
 * The agent rewrites RUN_DIR/status atomically every second (daemon.c);
 * this prints it. The file is believed only if it is a regular file owned by
 * root or by us, writable by neither group nor others, and names a live
 * process whose /proc/PID/comm is "headroom": anyone could otherwise plant a
 * status saying all is well (pid=1 is always alive). Control bytes are shown
 * as '?' so a planted file cannot drive the terminal.
 *
 * Exit 0 when an agent runs, 3 when none does (no file, its pid is gone or
 * is not headroom, the file is older than 10 s: a hung agent) or when it
 * cannot be told (the file is not readable by us, or not trusted): the
 * message says which. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "report/jsonw.h"
#include "util/parse.h"

#define STALE_S 10

struct status {
	const char *state;	/* running, not_running, hung, unknown, untrusted */
	char reason[4400];
	uint64_t pid;
	long long age_s;
	char line[1024];	/* the agent's line, control bytes made '?' */
};

/* True if /proc/PID/comm is "headroom" (the agent's own name). */
static bool is_headroom(uint64_t pid)
{
	char p[64], comm[32];
	int fd;
	ssize_t n;

	snprintf(p, sizeof(p), "/proc/%llu/comm", (unsigned long long)pid);
	fd = open(p, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return false;
	n = read(fd, comm, sizeof(comm) - 1);
	close(fd);
	if (n <= 0)
		return false;
	comm[n] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
	return !strcmp(comm, "headroom");
}

static int judge(const char *path, struct status *s)
{
	char buf[1024];
	struct stat st;
	int fd;

	memset(s, 0, sizeof(*s));
	s->state = "not_running";
	/* O_NOFOLLOW | O_NONBLOCK: a symlink or a FIFO planted as the status
	 * file is refused at once instead of followed or waited on. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;
		if (e == EACCES || e == EPERM) {
			s->state = "unknown";
			snprintf(s->reason, sizeof(s->reason), "cannot read %s: %s; run as root (or as the "
				 "agent's user) to see whether an agent runs", path, strerror(e));
		} else if (e == ELOOP) {
			s->state = "untrusted";
			snprintf(s->reason, sizeof(s->reason), "%s is a symlink: not believed", path);
		} else {
			snprintf(s->reason, sizeof(s->reason), "no agent running (%s: %s)", path, strerror(e));
		}
		return HR_EXIT_FAIL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		s->state = "untrusted";
		snprintf(s->reason, sizeof(s->reason), "%s is not a regular file: not believed", path);
		return HR_EXIT_FAIL;
	}
	if ((st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		close(fd);
		s->state = "untrusted";
		snprintf(s->reason, sizeof(s->reason), "%s (uid %u, mode %04o) must be owned by root (or "
			 "us) and writable by neither group nor others: not believed", path, (unsigned)st.st_uid,
			 (unsigned)(st.st_mode & 07777));
		return HR_EXIT_FAIL;
	}
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		snprintf(s->reason, sizeof(s->reason), "no agent running (%s is empty)", path);
		return HR_EXIT_FAIL;
	}
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	for (ssize_t i = 0; i < n; i++)
		s->line[i] = (unsigned char)buf[i] < 0x20 || buf[i] == 0x7f ? '?' : buf[i];
	s->line[n] = '\0';
	size_t used;
	if (strncmp(buf, "pid=", 4) || parse_u64(buf + 4, (size_t)n - 4, &s->pid, &used) || !s->pid ||
	    s->pid > 4194304) {
		s->state = "untrusted";
		snprintf(s->reason, sizeof(s->reason), "%s is not a status file", path);
		return HR_EXIT_FAIL;
	}
	if (kill((pid_t)s->pid, 0) && errno == ESRCH) {
		snprintf(s->reason, sizeof(s->reason), "no agent running (pid %llu in %s is gone: it was killed)",
			 (unsigned long long)s->pid, path);
		return HR_EXIT_FAIL;
	}
	if (!is_headroom(s->pid)) {
		snprintf(s->reason, sizeof(s->reason), "no agent running (pid %llu in %s is not headroom: "
			 "a stale file)", (unsigned long long)s->pid, path);
		return HR_EXIT_FAIL;
	}
	s->age_s = (long long)(time(NULL) - st.st_mtime);
	if (s->age_s > STALE_S) {
		s->state = "hung";
		snprintf(s->reason, sizeof(s->reason), "agent pid %llu has not updated %s for %lld s: hung?",
			 (unsigned long long)s->pid, path, s->age_s);
		return HR_EXIT_FAIL;
	}
	s->state = "running";
	return 0;
}

/* The agent's key=value line as JSON: numbers where the value is one. */
static void json_fields(struct jsonw *w, const char *line)
{
	jw_obj_begin(w);
	for (const char *p = line; *p;) {
		while (*p == ' ')
			p++;
		const char *end = p + strcspn(p, " ");
		const char *eq = memchr(p, '=', (size_t)(end - p));
		if (eq && eq > p) {
			char key[64];
			size_t kl = (size_t)(eq - p) < sizeof(key) - 1 ? (size_t)(eq - p) : sizeof(key) - 1;
			memcpy(key, p, kl);
			key[kl] = '\0';
			jw_key(w, key);
			uint64_t v;
			if (!parse_u64_field((struct hr_span){ eq + 1, (size_t)(end - eq - 1) }, &v))
				jw_u64(w, v);
			else
				jw_strn(w, eq + 1, (size_t)(end - eq - 1));
		}
		p = end;
	}
	jw_obj_end(w);
}

int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "run-dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *dir = "/run/headroom";
	char path[4200];
	struct status s;
	bool json = false;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': dir = optarg; break;
		case 'j': json = true; break;
		case 'h':
			puts("usage: headroom status [--run-dir DIR] [--json]\n"
			     "One line (or a JSON object) on the running agent; exit 3 if none runs\n"
			     "or if that cannot be told.");
			return 0;
		default: return cli_usage_hint("status");
		}
	}
	snprintf(path, sizeof(path), "%s/status", dir);
	int rc = judge(path, &s);
	if (json) {
		struct jsonw w;
		jw_init(&w, stdout, false);
		jw_obj_begin(&w);
		jw_key(&w, "state");
		jw_str(&w, s.state);
		jw_key(&w, "running");
		jw_bool(&w, rc == 0);
		jw_key(&w, "status_file");
		jw_str(&w, path);
		if (s.reason[0]) {
			jw_key(&w, "reason");
			jw_str(&w, s.reason);
		}
		if (rc == 0 || !strcmp(s.state, "hung")) {
			jw_key(&w, "age_seconds");
			jw_i64(&w, s.age_s);
			jw_key(&w, "agent");
			json_fields(&w, s.line);
		}
		jw_obj_end(&w);
		jw_finish(&w);
		return rc;
	}
	if (rc) {
		cli_err("status", "%s", s.reason);
		return rc;
	}
	printf("headroom run: %s\n", s.line);
	return 0;
}
