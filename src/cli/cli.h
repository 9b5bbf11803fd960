/* cli.h - the subcommands and what they share.
 *
 * Each cmd_*() takes argv with argv[0] = the subcommand name, parses its own
 * options (getopt_long), prints one-line errors as "headroom: CMD: ..." on
 * stderr and returns the process exit code:
 *   0 ok / nothing found, 1 worst finding warn, 2 worst finding crit,
 *   3 headroom itself failed (cannot read the root, out of memory, I/O),
 *   4 usage error (bad option or argument).
 */
#ifndef HR_CLI_CLI_H
#define HR_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#define HR_EXIT_FAIL 3
#define HR_EXIT_USAGE 4

int cmd_check(int argc, char **argv);
int cmd_snapshot(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_cache(int argc, char **argv);

/* "headroom: CMD: message\n" on stderr. */
void cli_err(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* After getopt_long reported a bad option (main.c makes its prefix
 * "headroom: CMD:"): one hint line instead of the whole help on stderr.
 * Returns HR_EXIT_USAGE. */
int cli_usage_hint(const char *cmd);

/* Colour on a terminal only, and never with NO_COLOR set (no-color.org). */
bool cli_want_colour(FILE *f);

/* Parses a positive number of seconds ("2", "0.5"); -EINVAL otherwise. */
int cli_parse_seconds(const char *s, double *out);

/* Opens the root for `cmd` and checks that it looks like one: a directory
 * with proc/ or sys/ below it (a live root, a capture, a fixture). An empty
 * or unrelated directory would otherwise pass every check with nothing
 * read. Prints the one-line error itself; returns 0 or a negative errno. */
struct hr_root;
int cli_root_open(const char *cmd, struct hr_root *root, const char *path);

#endif
