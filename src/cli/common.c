/* common.c - helpers every subcommand shares (see cli.h). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "kernel/root.h"

void cli_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "headroom: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool cli_want_colour(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (nc && nc[0])
		return false;
	if (term && strcmp(term, "dumb") == 0)
		return false;
	return isatty(fileno(f));
}

int cli_parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !((s[0] >= '0' && s[0] <= '9') || s[0] == '.'))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v <= 0 || v > 86400)
		return -EINVAL;
	*out = v;
	return 0;
}

int cli_root_open(const char *cmd, struct hr_root *root, const char *path)
{
	struct stat st;
	int e = root_open(root, path);

	if (e) {
		cli_err(cmd, "cannot open root %s: %s", path, strerror(-e));
		return e;
	}
	if ((root_stat(root, "proc", &st) == 0 && S_ISDIR(st.st_mode)) ||
	    (root_stat(root, "sys", &st) == 0 && S_ISDIR(st.st_mode)))
		return 0;
	cli_err(cmd, "%s has neither proc/ nor sys/: not a root filesystem or a "
		"'headroom snapshot' capture", path);
	root_close(root);
	return -ENOENT;
}

int cli_usage_hint(const char *cmd)
{
	fprintf(stderr, "headroom: %s: see 'headroom help %s'\n", cmd, cmd);
	return HR_EXIT_USAGE;
}
