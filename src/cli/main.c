/* main.c - `headroom COMMAND ...`: dispatch and the shared CLI helpers. */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "report/report.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} commands[] = {
	{ "check", cmd_check, "judge the live host (or a captured tree) for memory-to-network risks" },
	{ "explain", cmd_explain, "turn kernel log text into incidents with cause, evidence and fix" },
	{ "run", cmd_run, "the agent: reclaim memory cgroups in the background before their limit" },
	{ "status", cmd_status, "one line on what a running agent is doing" },
	{ "snapshot", cmd_snapshot, "capture every kernel file headroom reads into a tree for --root" },
};

static void usage(FILE *out)
{
	fputs("usage: headroom [--version] [--help] COMMAND [ARGS]\n\n"
	      "Keeps a Linux host's network alive under memory pressure.\n\ncommands:\n", out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].help);
	fputs("\n'headroom COMMAND --help' describes a command; man headroom(8).\n"
	      "exit codes: 0 ok, 1 warn, 2 crit, 3 headroom failed, 4 usage error\n", out);
}

int main(int argc, char **argv)
{
	setlocale(LC_NUMERIC, "C");	/* JSON numbers need '.' */
	if (argc < 2) {
		usage(stderr);
		return HR_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("headroom %s\n", HR_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "headroom: unknown command '%s'; see 'headroom --help'\n", argv[1]);
	return HR_EXIT_USAGE;
}
