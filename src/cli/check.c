/* check.c - `headroom check`: sample every area, judge, report. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "detect/area.h"
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
	      "  --area LIST        only these areas (see --list-areas)\n"
	      "  --verbose          print the evidence of ok findings too\n"
	      "  --no-color         no ANSI colour even on a terminal\n\n"
	      "exit: 0 ok, 1 warn, 2 crit, 3 headroom failed, 4 usage error\n", out);
}

static bool area_selected(const char *list, const char *name)
{
	if (!list)
		return true;
	size_t n = strlen(name);
	for (const char *p = list; *p;) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		if (len == n && !strncmp(p, name, n))
			return true;
		if (!c)
			break;
		p = c + 1;
	}
	return false;
}

static bool area_known(const char *name, size_t len)
{
	for (size_t i = 0; hr_areas[i]; i++)
		if (strlen(hr_areas[i]->name) == len && !strncmp(hr_areas[i]->name, name, len))
			return true;
	return false;
}

static uint64_t now_usec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
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
			return 0;
		case 'h': help(stdout); return 0;
		default: help(stderr); return HR_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_err("check", "unexpected argument '%s'; see 'headroom check --help'", argv[optind]);
		return HR_EXIT_USAGE;
	}
	for (const char *p = areas; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (!area_known(p, len)) {
			cli_err("check", "unknown area '%.*s'; see 'headroom check --list-areas'", (int)len, p);
			return HR_EXIT_USAGE;
		}
		p = e ? e + 1 : p + len;
	}

	struct hr_root root;
	if (cli_root_open("check", &root, root_path))
		return HR_EXIT_FAIL;
	struct hr_finding *items = calloc(CHECK_FINDINGS_MAX, sizeof(*items));
	size_t nareas = 0;
	while (hr_areas[nareas])
		nareas++;
	void **before = calloc(nareas, sizeof(void *)), **after = calloc(nareas, sizeof(void *));
	struct hr_findings fs;
	if (!items || !before || !after) {
		cli_err("check", "out of memory");
		goto out;
	}
	hr_findings_init(&fs, items, CHECK_FINDINGS_MAX);

	int passes = interval > 0 ? 2 : 1;
	uint64_t t0 = 0, t1 = 0;
	for (int pass = 0; pass < passes; pass++) {
		if (pass == 1) {
			struct timespec ts = { (time_t)interval,
					       (long)((interval - (double)(time_t)interval) * 1e9) };
			while (nanosleep(&ts, &ts) && errno == EINTR)
				;
		}
		uint64_t t = now_usec();
		*(pass ? &t1 : &t0) = t;
		for (size_t i = 0; i < nareas; i++) {
			const struct hr_area *a = hr_areas[i];
			if (!a->sample || !area_selected(areas, a->name))
				continue;
			void **slot = pass ? &after[i] : &before[i];
			*slot = calloc(1, a->state_size ? a->state_size : 1);
			if (!*slot) {
				cli_err("check", "out of memory");
				goto out;
			}
			int r = a->sample(&root, *slot, &fs);
			if (r < 0) {
				/* Not readable at all: say so once, judge nothing. */
				if (pass == 0)
					findings_note(&fs, a->name, r, "%s not checked", a->name);
				if (a->fini)
					a->fini(*slot);
				free(*slot);
				*slot = NULL;
			}
		}
	}
	for (size_t i = 0; i < nareas; i++) {
		const struct hr_area *a = hr_areas[i];
		void *now = passes == 2 ? after[i] : before[i];
		if (!now || !a->judge)
			continue;
		a->judge(passes == 2 ? before[i] : NULL, now, t1 - t0, &fs);
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
	for (size_t i = 0; i < nareas; i++) {
		for (int p = 0; p < 2; p++) {
			void *s = p ? (after ? after[i] : NULL) : (before ? before[i] : NULL);
			if (s && hr_areas[i]->fini)
				hr_areas[i]->fini(s);
			free(s);
		}
	}
	free(before);
	free(after);
	free(items);
	root_close(&root);
	return rc;
}
