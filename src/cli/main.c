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

/* The Makefile force-includes build/gen/version.h for this file only:
 * HR_BUILD_VERSION from git describe, or the VERSION file. */
#ifndef HR_BUILD_VERSION
#define HR_BUILD_VERSION HR_VERSION
#endif

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} commands[] = {
	{ "check", cmd_check, "judge the live host (or a captured tree) for memory-to-network risks" },
	{ "explain", cmd_explain, "turn kernel log text into incidents with cause, evidence and fix" },
	{ "run", cmd_run, "the agent: reclaim memory cgroups in the background before their limit" },
	{ "status", cmd_status, "one line on what a running agent is doing" },
	{ "cache", cmd_cache, "which memory cgroup a file's page cache is charged to; move it" },
	{ "snapshot", cmd_snapshot, "capture every kernel file headroom reads into a tree for --root" },
};

static void usage(FILE *out)
{
	fputs("usage: headroom [-V|--version] [-h|--help] COMMAND [ARGS]\n"
	      "       headroom help [COMMAND]\n\n"
	      "Keeps a Linux host's network alive under memory pressure.\n\ncommands:\n", out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].help);
	fputs("\n'headroom help COMMAND' (or 'headroom COMMAND --help') describes a command;\n"
	      "every command also takes --version. man headroom(8), headroom.conf(5).\n"
	      "exit codes: 0 ok, 1 warn, 2 crit, 3 headroom failed, 4 usage error\n", out);
}

static int find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name))
			return (int)i;
	return -1;
}

/* --version anywhere among a command's arguments (before "--") answers
 * before the command parses anything: same output for every command. */
static bool wants_version(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return false;
		if (!strcmp(argv[i], "--version"))
			return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	setlocale(LC_NUMERIC, "C");	/* JSON numbers need '.' */
	if (argc < 2) {
		usage(stderr);
		return HR_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("headroom %s\n", HR_BUILD_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help")) {
		if (argc == 2) {
			usage(stdout);
			return 0;
		}
		int k = find_command(argv[2]);
		if (argc > 3 || k < 0) {
			fprintf(stderr, "headroom: help: %s '%s'; see 'headroom help'\n",
				argc > 3 ? "one command at a time, not" : "unknown command", argv[argc > 3 ? 3 : 2]);
			return HR_EXIT_USAGE;
		}
		char *hargv[] = { argv[2], (char *)"--help", NULL };
		return commands[k].fn(2, hargv);
	}
	int k = find_command(argv[1]);
	if (k < 0) {
		fprintf(stderr, "headroom: unknown command '%s'; see 'headroom help'\n", argv[1]);
		return HR_EXIT_USAGE;
	}
	if (wants_version(argc - 1, argv + 1)) {
		printf("headroom %s\n", HR_BUILD_VERSION);
		return 0;
	}
	/* getopt_long prefixes its messages with argv[0]: "headroom: check:
	 * unrecognized option '--x'", like every other error line. */
	char prog[32];
	snprintf(prog, sizeof(prog), "headroom: %s", commands[k].name);
	argv[1] = prog;
	return commands[k].fn(argc - 1, argv + 1);
}
