/* check.c - `headroom check`: options, then check/engine.h samples and
 * judges the chosen areas, then report/ prints the findings. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "check/engine.h"
#include "report/report.h"

#define CHECK_FINDINGS_MAX 4096

static void help(FILE *out)
{
	fputs("usage: headroom check [--root DIR] [--json] [--interval SECONDS]\n"
	      "                      [--area NAME[,NAME...]] [--verbose] [--no-color]\n"
	      "                      [--list-areas]\n\n"
	      "Reads the host's kernel state (or a tree captured by 'headroom snapshot')\n"
	      "and reports every way memory pressure can turn into packet loss or a hung\n"
	      "host, with the evidence and the exact fix.\n\n"
	      "  --root DIR         read /proc and /sys below DIR (default /)\n"
	      "  --json             JSON document (schema headroom/1, see headroom(8))\n"
	      "  --interval SECONDS sample twice, SECONDS apart, and report rates\n"
	      "  --area LIST        only these areas, comma-separated: memcg, conntrack,\n"
	      "                     net, netswap, zones (see --list-areas for aliases)\n"
	      "  --verbose          print the evidence of ok findings too\n"
	      "  --no-color         no ANSI colour even on a terminal\n\n"
	      "exit: 0 ok, 1 warn, 2 crit, 3 headroom failed, 4 usage error\n", out);
}

/* Other names --area accepts: the first part of every finding id an area
 * emits (netswap reports swap.* and writeback.*), and the name the net
 * area had before 0.2. */
static const struct {
	const char *alias, *area;
} area_aliases[] = {
	{ "netloss", "net" },
	{ "swap", "netswap" },
	{ "writeback", "netswap" },
};

/* Index in hr_areas of the area called name[0..len), or -1. */
static int area_index(const char *name, size_t len)
{
	for (size_t a = 0; a < sizeof(area_aliases) / sizeof(area_aliases[0]); a++)
		if (strlen(area_aliases[a].alias) == len && !strncmp(area_aliases[a].alias, name, len)) {
			name = area_aliases[a].area;
			len = strlen(name);
			break;
		}
	for (size_t i = 0; hr_areas[i]; i++)
		if (strlen(hr_areas[i]->name) == len && !strncmp(hr_areas[i]->name, name, len))
			return (int)i;
	return -1;
}

/* Sets the bits of the areas of a comma-separated --area list in *mask; every name
 * must be known and non-empty ("--area ''" selects nothing: a usage error,
 * not a check that passes with nothing read). Returns 0 or HR_EXIT_USAGE
 * after saying why. */
static int areas_parse(const char *list, unsigned *mask)
{
	const char *p = list;

	for (;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		int i = area_index(p, len);
		if (!len) {
			cli_err("check", "--area wants a comma-separated list of area names, not '%s'; "
				"see 'headroom check --list-areas'", list);
			return HR_EXIT_USAGE;
		}
		if (i < 0) {
			cli_err("check", "unknown area '%.*s'; see 'headroom check --list-areas'", (int)len, p);
			return HR_EXIT_USAGE;
		}
		*mask |= 1u << i;
		if (!e)
			return 0;
		p = e + 1;
	}
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, 0, 'r' },
		{ "json", no_argument, 0, 'j' },
		{ "interval", required_argument, 0, 'i' },
		{ "area", required_argument, 0, 'a' },
		{ "verbose", no_argument, 0, 'v' },
		{ "no-color", no_argument, 0, 'C' },
		{ "list-areas", no_argument, 0, 'L' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const char *root_path = "/", *areas = NULL;
	bool json = false, verbose = false, colour = true;
	double interval = 0;
	int c, rc = HR_EXIT_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "r:ji:a:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'r': root_path = optarg; break;
		case 'j': json = true; break;
		case 'i':
			if (cli_parse_seconds(optarg, &interval)) {
				cli_err("check", "--interval wants seconds > 0 (at most 86400), not '%s'", optarg);
				return HR_EXIT_USAGE;
			}
			break;
		case 'a': areas = optarg; break;
		case 'v': verbose = true; break;
		case 'C': colour = false; break;
		case 'L':
			for (size_t i = 0; hr_areas[i]; i++)
				printf("%-10s %s\n", hr_areas[i]->name, hr_areas[i]->summary);
			for (size_t a = 0; a < sizeof(area_aliases) / sizeof(area_aliases[0]); a++)
				printf("%-10s alias of %s\n", area_aliases[a].alias, area_aliases[a].area);
			return 0;
		case 'h': help(stdout); return 0;
		default: return cli_usage_hint("check");
		}
	}
	if (optind < argc) {
		cli_err("check", "unexpected argument '%s'; see 'headroom check --help'", argv[optind]);
		return HR_EXIT_USAGE;
	}
	unsigned mask = areas ? 0 : ENGINE_ALL;
	if (areas && areas_parse(areas, &mask))
		return HR_EXIT_USAGE;

	struct hr_root root;
	if (cli_root_open("check", &root, root_path))
		return HR_EXIT_FAIL;
	size_t len = engine_storage_bytes();
	struct hr_finding *items = calloc(CHECK_FINDINGS_MAX, sizeof(*items));
	void *mem[2] = { calloc(1, len), interval > 0 ? calloc(1, len) : NULL };
	struct engine_pass pass[2] = { 0 };
	struct hr_findings fs;
	if (!items || !mem[0] || (interval > 0 && !mem[1])) {
		cli_err("check", "out of memory");
		goto out;
	}
	for (int i = 0; i < 2; i++)
		if (mem[i])
			engine_pass_init(&pass[i], mem[i]);
	hr_findings_init(&fs, items, CHECK_FINDINGS_MAX);

	mask = engine_sample(&root, mask, &pass[0], &fs);
	if (interval > 0) {
		struct timespec ts = { (time_t)interval,
				       (long)((interval - (double)(time_t)interval) * 1e9) };
		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
		/* An area unreadable in the first sample is not sampled again. */
		mask = engine_sample(&root, mask, &pass[1], &fs);
		engine_judge(mask, &pass[0], &pass[1], &fs);
	} else {
		engine_judge(mask, NULL, &pass[0], &fs);
	}
	findings_sort(&fs);

	char kernel[128];
	long kn = root_read(&root, "proc/sys/kernel/osrelease", kernel, sizeof(kernel));
	if (kn > 0 && kernel[kn - 1] == '\n')
		kernel[kn - 1] = '\0';
	struct hr_report_meta m = {
		.command = "check",
		.root = root_path,
		.kernel = kn > 0 ? kernel : NULL,
		.interval_seconds = interval,
	};
	rc = report_exit_code(findings_worst(&fs));
	m.exit_code = rc;
	if (json)
		report_json(stdout, &fs, &m);
	else
		report_text(stdout, &fs, &m, colour && cli_want_colour(stdout), verbose);
	if (fflush(stdout) || ferror(stdout)) {
		cli_err("check", "writing the report: %s", strerror(errno));
		rc = HR_EXIT_FAIL;
	}
out:
	for (int i = 0; i < 2; i++)
		if (mem[i]) {
			engine_pass_fini(&pass[i]);
			free(mem[i]);
		}
	free(items);
	root_close(&root);
	return rc;
}
