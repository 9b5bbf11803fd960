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

/* Marks the areas of a comma-separated --area list in sel[]; every name
 * must be known and non-empty ("--area ''" selects nothing: a usage error,
 * not a check that passes with nothing read). Returns 0 or HR_EXIT_USAGE
 * after saying why. */
static int areas_parse(const char *list, bool *sel)
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
		sel[i] = true;
		if (!e)
			return 0;
		p = e + 1;
	}
}

/* An area of which nothing could be read is a finding, so the check is
 * never green for it (exit status 1 at least) and the summary counts it. */
static void area_not_checked(struct hr_findings *fs, const struct hr_area *a, int err)
{
	char id[48];

	snprintf(id, sizeof(id), "%s.not_checked", a->name);
	struct hr_finding *f = finding_add(fs, id, HR_SEV_WARN, "area %s", a->name);
	fact_i64(f, "errno", err < 0 ? -err : err);
	fact_str(f, "error", strerror(err < 0 ? -err : err));
	finding_explain(f, "Nothing of the %s area could be read (%s; the not-read list says "
			"which file), so none of its problems were checked: this is not an all-clear.",
			a->name, strerror(err < 0 ? -err : err));
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
	size_t nareas = 0;
	while (hr_areas[nareas])
		nareas++;
	bool sel[nareas];	/* hr_areas is a short constant table */
	int unread[nareas];	/* the sample's error when nothing was read */
	memset(sel, !areas, sizeof(sel));
	memset(unread, 0, sizeof(unread));
	if (areas && areas_parse(areas, sel))
		return HR_EXIT_USAGE;

	struct hr_root root;
	if (cli_root_open("check", &root, root_path))
		return HR_EXIT_FAIL;
	struct hr_finding *items = calloc(CHECK_FINDINGS_MAX, sizeof(*items));
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
			if (!a->sample || !sel[i] || unread[i])
				continue;
			void **slot = pass ? &after[i] : &before[i];
			*slot = calloc(1, a->state_size ? a->state_size : 1);
			if (!*slot) {
				cli_err("check", "out of memory");
				goto out;
			}
			int r = a->sample(&root, *slot, &fs);
			if (r < 0) {
				/* Not readable at all (in either sample): say so
				 * once, judge nothing. */
				findings_note(&fs, a->name, r, "%s not checked", a->name);
				area_not_checked(&fs, a, r);
				unread[i] = r;
				for (int p = 0; p <= pass; p++) {
					void **sp = p ? &after[i] : &before[i];
					if (*sp && a->fini)
						a->fini(*sp);
					free(*sp);
					*sp = NULL;
				}
			}
		}
	}
	for (size_t i = 0; i < nareas; i++) {
		const struct hr_area *a = hr_areas[i];
		void *now = passes == 2 ? after[i] : before[i];
		if (!now || !a->judge || unread[i])
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
