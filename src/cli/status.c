/* status.c - `headroom status`: one line on what a running agent does.
 *
 * The agent rewrites RUN_DIR/status atomically every second (daemon.c);
 * this prints it. Exit 0 when an agent runs, 3 when none does (no file, its
 * pid is gone, or the file is older than 10 s: a hung agent). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/parse.h"

int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "run-dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *dir = "/run/headroom";
	char path[4200], buf[1024];
	struct stat st;
	int ch, fd;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': dir = optarg; break;
		case 'h':
			puts("usage: headroom status [--run-dir DIR]\n"
			     "One line on the running agent; exit 3 if none runs.");
			return 0;
		default: return HR_EXIT_USAGE;
		}
	}
	snprintf(path, sizeof(path), "%s/status", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cli_err("status", "no agent running (%s: %s)", path, strerror(errno));
		return HR_EXIT_FAIL;
	}
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	int fst = fstat(fd, &st);
	close(fd);
	if (n <= 0 || fst) {
		cli_err("status", "no agent running (%s unreadable)", path);
		return HR_EXIT_FAIL;
	}
	buf[n] = '\0';
	uint64_t pid = 0;
	size_t used;
	if (strncmp(buf, "pid=", 4) || parse_u64(buf + 4, (size_t)n - 4, &pid, &used) || !pid ||
	    pid > 4194304) {
		cli_err("status", "no agent running (%s is not a status file)", path);
		return HR_EXIT_FAIL;
	}
	if (kill((pid_t)pid, 0) && errno == ESRCH) {
		cli_err("status", "no agent running (pid %llu in %s is gone: it was killed)", (unsigned long long)pid, path);
		return HR_EXIT_FAIL;
	}
	if (time(NULL) - st.st_mtime > 10) {
		cli_err("status", "agent pid %llu has not updated %s for %lld s: hung?", (unsigned long long)pid,
			path, (long long)(time(NULL) - st.st_mtime));
		return HR_EXIT_FAIL;
	}
	if (buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	printf("headroom run: %s\n", buf);
	return 0;
}
