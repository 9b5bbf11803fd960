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
#include "check/prom_pass.h"
#include "kernel/vmread.h"
#include "report/http_srv.h"
#include "report/prom.h"
#include "report/report.h"

#define CHECK_FINDINGS_MAX 4096

static void help(FILE *out)
{
	fputs("usage: headroom check [--root DIR] [--json | --format FORMAT | --npd]\n"
	      "                      [--interval SECONDS] [--area NAME[,NAME...]]\n"
	      "                      [--verbose] [--no-color] [--memcg-top N]\n"
	      "                      [--memcg-hits-max N] [--textfile FILE] [--list-areas]\n"
	      "                      [--list-metrics]\n\n"
	      "Reads the host's kernel state (or a tree captured by 'headroom snapshot')\n"
	      "and reports every way memory pressure can turn into packet loss or a hung\n"
	      "host, with the evidence and the exact fix.\n\n"
	      "  --root DIR         read /proc and /sys below DIR (default /)\n"
	      "  --json             JSON document (schema headroom/1, see headroom(8))\n"
	      "  --format FORMAT    text (default), json, or prometheus (text exposition\n"
	      "                     0.0.4, for node_exporter's textfile collector)\n"
	      "  --npd              node-problem-detector custom plugin: one line of at\n"
	      "                     most 80 bytes; exit 0 no crit finding, 1 crit, 2 failed\n"
	      "  --memcg-top N      prometheus: limited cgroups nearest their limit (50)\n"
	      "  --memcg-hits-max N prometheus: limited cgroups with hits, all up to N (100)\n"
	      "  --textfile FILE    prometheus: write FILE atomically (for node_exporter's\n"
	      "                     textfile collector) instead of standard output\n"
	      "  --list-metrics     the metric families of --format=prometheus\n"
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

static int parse_count(const char *s, size_t *out)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v > 100000)
		return -EINVAL;
	*out = v;
	return 0;
}

/* --format=prometheus: the renderer's fixed buffer, allocated here once. */
static int prom_print(FILE *out, const char *textfile, const struct engine_pass *p,
		      const struct engine_pass *before, const struct hr_findings *fs,
		      const struct prom_config *cfg)
{
	struct prom_input in;
	struct prom_out o;
	size_t ns = prom_scratch_len(cfg), cap = prom_buf_bytes(cfg);
	char *buf = malloc(cap);
	uint32_t *scratch = calloc(ns ? ns : 1, sizeof(*scratch));
	int rc = -ENOMEM;

	if (!buf || !scratch) {
		cli_err("check", "out of memory");
		goto out;
	}
	prom_pass_input(p, fs, &in);
	prom_pass_before(before, &in);
	prom_out_init(&o, buf, cap);
	if (prom_render(&o, &in, cfg, scratch, ns) == -E2BIG)
		cli_err("check", "%zu metric lines did not fit in %zu bytes and were left out "
			"(headroom_metrics_lines_cut); lower --memcg-top/--memcg-hits-max",
			o.lines_cut, cap);
	if (textfile) {
		rc = prom_textfile_write(textfile, o.buf, o.len);
		if (rc)
			cli_err("check", "%s: %s; the previous file, if any, is unchanged", textfile,
				strerror(-rc));
	} else {
		fwrite(o.buf, 1, o.len, out);
		rc = 0;
	}
out:
	free(scratch);
	free(buf);
	return rc;
}

/* --npd: node-problem-detector's custom plugin protocol: exit 0 OK, 1
 * problem, 2 unknown (headroom failed), and stdout the condition message,
 * which NPD cuts at max_output_length (80 in the dist/npd/ configs): one line of
 * at most NPD_MSG_MAX bytes, the first crit finding first. */
#define NPD_MSG_MAX 80
static int npd_report(FILE *out, const struct hr_findings *fs)
{
	size_t ncrit = 0, nwarn = 0;
	const struct hr_finding *first = NULL;
	char msg[NPD_MSG_MAX + 1];

	for (size_t i = 0; i < fs->n; i++) {
		if (fs->items[i].severity == HR_SEV_CRIT && !ncrit++)
			first = &fs->items[i];
		nwarn += fs->items[i].severity == HR_SEV_WARN;
	}
	char full[600];
	if (first)
		snprintf(full, sizeof(full), "%s %s%s", first->id, first->subject,
			 ncrit > 1 ? " (and more)" : "");
	else
		snprintf(full, sizeof(full), "no critical finding (%zu warnings)", nwarn);
	size_t n = strlen(full);
	if (n > NPD_MSG_MAX)
		memcpy(full + NPD_MSG_MAX - 3, "...", 4);	/* a cut line says so */
	memcpy(msg, full, (n > NPD_MSG_MAX ? NPD_MSG_MAX : n) + 1);
	for (char *c = msg; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	fprintf(out, "%s\n", msg);
	return ncrit ? 1 : 0;
}

static int check_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, 0, 'r' },
		{ "json", no_argument, 0, 'j' },
		{ "interval", required_argument, 0, 'i' },
		{ "area", required_argument, 0, 'a' },
		{ "verbose", no_argument, 0, 'v' },
		{ "no-color", no_argument, 0, 'C' },
		{ "list-areas", no_argument, 0, 'L' },
		{ "format", required_argument, 0, 'F' },
		{ "npd", no_argument, 0, 'N' },
		{ "memcg-top", required_argument, 0, 'T' },
		{ "memcg-hits-max", required_argument, 0, 'H' },
		{ "list-metrics", no_argument, 0, 'M' },
		{ "textfile", required_argument, 0, 'X' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const char *root_path = "/", *areas = NULL, *textfile = NULL;
	bool json = false, verbose = false, colour = true, prom = false, npd = false;
	struct prom_config pcfg;
	double interval = 0;
	int c, rc = HR_EXIT_FAIL;

	prom_config_default(&pcfg);
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
		case 'F':
			if (!strcmp(optarg, "prometheus"))
				prom = true;
			else if (!strcmp(optarg, "json"))
				json = true;
			else if (strcmp(optarg, "text")) {
				cli_err("check", "--format wants text, json or prometheus, not '%s'", optarg);
				return HR_EXIT_USAGE;
			}
			break;
		case 'N': npd = true; break;
		case 'X': textfile = optarg; break;
		case 'T':
		case 'H':
			if (parse_count(optarg, c == 'T' ? &pcfg.memcg_top : &pcfg.memcg_hits_max)) {
				cli_err("check", "--%s wants a count 0..100000, not '%s'",
					c == 'T' ? "memcg-top" : "memcg-hits-max", optarg);
				return HR_EXIT_USAGE;
			}
			break;
		case 'M':
			for (size_t i = 0; prom_family_name(i); i++)
				printf("%s %s\n", prom_family_name(i), prom_family_type(i));
			return 0;
		case 'h': help(stdout); return 0;
		default: return cli_usage_hint("check");
		}
	}
	if (optind < argc) {
		cli_err("check", "unexpected argument '%s'; see 'headroom check --help'", argv[optind]);
		return HR_EXIT_USAGE;
	}
	if ((json && prom) || (npd && (json || prom))) {
		cli_err("check", "choose one output: --json, --format or --npd");
		return HR_EXIT_USAGE;
	}
	if (textfile && !prom) {
		cli_err("check", "--textfile goes with --format=prometheus");
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
	long kn = vmread_release(&root, kernel, sizeof(kernel));
	struct hr_report_meta m = {
		.command = "check",
		.root = root_path,
		.kernel = kn > 0 ? kernel : NULL,
		.interval_seconds = interval,
	};
	rc = report_exit_code(findings_worst(&fs));
	m.exit_code = rc;
	if (npd)
		rc = npd_report(stdout, &fs);
	else if (prom) {
		if (prom_print(stdout, textfile, &pass[interval > 0 ? 1 : 0],
			       interval > 0 ? &pass[0] : NULL, &fs, &pcfg))
			rc = HR_EXIT_FAIL;
	} else if (json)
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

/* NPD reads any exit other than 0 and 1 as "unknown"; a failed check says
 * so with 2, its protocol's own value, and the reason on stderr. */
int cmd_check(int argc, char **argv)
{
	bool npd = false;
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		npd |= !strcmp(argv[i], "--npd");
	int rc = check_main(argc, argv);
	if (npd && rc == HR_EXIT_FAIL) {
		/* NPD shows stdout as the condition message, not stderr. */
		printf("headroom could not check this host (its stderr says why)\n");
		return 2;
	}
	return rc;
}
