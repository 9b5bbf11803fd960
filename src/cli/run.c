/* run.c - `headroom run`: the agent. Option parsing and configuration here;
 * the daemon itself is src/daemon/ (ctx.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "daemon/config.h"
#include "daemon/ctx.h"
#include "util/parse.h"

static void usage(FILE *out)
{
	fputs("usage: headroom run [-c FILE] [--check-config] [--dry-run] [-v]\n"
	      "                    [--cgroup-root DIR] [--run-dir DIR] [--root DIR]\n"
	      "                    [--metrics-listen ADDR:PORT|off]\n\n"
	      "Reclaims page cache from memory cgroups before they reach their limit, so\n"
	      "allocations in the cgroup (packet buffers in softirq among them) do not\n"
	      "fail or stall. Without a configuration file it observes every limited\n"
	      "cgroup and logs what it would do.\n\n"
	      "  -c, --config FILE   configuration (default " HR_CONFIG_DEFAULT_PATH ")\n"
	      "      --check-config  parse the configuration, print a summary, exit\n"
	      "  -n, --dry-run       decide and log, never write a cgroup file\n"
	      "      --cgroup-root DIR  only cgroups below DIR (overrides [agent] cgroup_root)\n"
	      "      --run-dir DIR   journal and status file (default /run/headroom)\n"
	      "      --root DIR      read the kernel below DIR instead of / (tests)\n"
	      "      --metrics-listen ADDR:PORT  serve /metrics there ([ADDR]:PORT for IPv6;\n"
	      "                      off: none; default [agent] metrics_listen, 127.0.0.1:19380)\n"
	      "  -v, --verbose       log every reclaim round (priority 7)\n\n"
	      "Signals: SIGTERM/SIGINT stop (restoring anything journaled), SIGHUP reloads.\n"
	      "See headroom-run(8).\n", out);
}

static void print_mark(const struct hr_mark *m)
{
	if (m->is_pct)
		printf("%u%%", m->pct);
	else
		printf("limit-%lluB", (unsigned long long)m->headroom_bytes);
}

static int load(const char *path, bool explicit_path, struct hr_config *cfg)
{
	struct hr_config_err err;
	int rc = config_load(path, cfg, &err);

	if (rc == -ENOENT && !explicit_path) {
		config_defaults(cfg);
		return 1;	/* defaults */
	}
	/* Every error and warning, so one --check-config run shows them all. */
	for (size_t i = 0; i < err.ndiag; i++) {
		char line[HR_CFG_STR + sizeof(err.msg) + 32];
		config_diag_format(&err.diag[i], path, line, sizeof(line));
		cli_err("run", "%s", line);
	}
	if (err.nerrors + err.nwarnings > err.ndiag)
		cli_err("run", "%s: %zu more errors and warnings not shown", path,
			(size_t)err.nerrors + err.nwarnings - err.ndiag);
	if (rc) {
		if (!err.ndiag)
			cli_err("run", "%s: %s", path, err.msg[0] ? err.msg : strerror(-rc));
		return rc;
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "cgroup-root", required_argument, NULL, 'g' },
		{ "run-dir", required_argument, NULL, 'd' },
		{ "root", required_argument, NULL, 'r' },
		{ "metrics-listen", required_argument, NULL, 'M' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *path = HR_CONFIG_DEFAULT_PATH, *cgroot = NULL, *rundir = NULL, *root = "/";
	const char *listen = NULL;
	bool explicit_path = false, check = false;
	struct hr_daemon_opts o = { 0 };
	struct hr_config cfg;
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:nvh", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': path = optarg; explicit_path = true; break;
		case 'C': check = true; break;
		case 'n': o.dry_run = true; break;
		case 'g': cgroot = optarg; break;
		case 'd': rundir = optarg; break;
		case 'r': root = optarg; break;
		case 'M': listen = optarg; break;
		case 'v': o.verbose = true; break;
		case 'h': usage(stdout); return 0;
		default: return cli_usage_hint("run");
		}
	}
	if (optind != argc) {
		cli_err("run", "unexpected argument '%s'", argv[optind]);
		return HR_EXIT_USAGE;
	}
	if (!check) {
		char why[160];
		int t = daemon_check_config(path, why, sizeof(why));
		if (t && !(t == -ENOENT && !explicit_path)) {
			cli_err("run", "%s: %s; not starting", path, why);
			return HR_EXIT_USAGE;
		}
	}
	rc = load(path, explicit_path, &cfg);
	if (rc < 0)
		return HR_EXIT_USAGE;
	bool defaults = rc == 1;
	if (cgroot) {
		if (cgroot[0] != '/' || strlen(cgroot) >= sizeof(cfg.cgroup_root)) {
			cli_err("run", "--cgroup-root: need an absolute path");
			return HR_EXIT_USAGE;
		}
		snprintf(cfg.cgroup_root, sizeof(cfg.cgroup_root), "%s", cgroot);
	}
	if (rundir) {
		if (rundir[0] != '/' || strlen(rundir) >= sizeof(cfg.run_dir) - 32) {
			cli_err("run", "--run-dir: need an absolute path");
			return HR_EXIT_USAGE;
		}
		snprintf(cfg.run_dir, sizeof(cfg.run_dir), "%s", rundir);
	}
	if (listen) {
		char a[64];
		uint16_t port;
		if (strlen(listen) >= sizeof(cfg.metrics_listen) ||
		    config_parse_listen(listen, a, sizeof(a), &port)) {
			cli_err("run", "--metrics-listen: need ADDR:PORT ([ADDR]:PORT for IPv6) or off, got '%s'",
				listen);
			return HR_EXIT_USAGE;
		}
		snprintf(cfg.metrics_listen, sizeof(cfg.metrics_listen), "%s", a[0] ? listen : "");
	}
	if (check) {
		printf("%s: %s, %zu %s\n", path, defaults ? "absent, built-in defaults" : "ok", cfg.npolicy,
		       cfg.npolicy == 1 ? "policy" : "policies");
		printf("agent: cgroup_root=%s run_dir=%s max_cgroups=%u poll=%u..%u ms%s\n",
		       cfg.cgroup_root[0] ? cfg.cgroup_root : "(auto)", cfg.run_dir, cfg.max_cgroups,
		       cfg.poll_min_ms, cfg.poll_max_ms, cfg.dry_run ? " dry_run" : "");
		printf("node: judge_interval=%u s metrics_listen=%s metrics_textfile=%s kmsg=%s\n",
		       cfg.judge_interval_ms / 1000, cfg.metrics_listen[0] ? cfg.metrics_listen : "off",
		       cfg.metrics_textfile[0] ? cfg.metrics_textfile : "off", cfg.kmsg ? "yes" : "no");
		printf("guards: conntrack=%s watermark=%s deadcharge=%s (match=%s)\n",
		       cfg.guard.act[HR_GUARD_CONNTRACK] ? "act" : "observe",
		       cfg.guard.act[HR_GUARD_WATERMARK] ? "act" : "observe",
		       cfg.guard.act[HR_GUARD_DEADCHARGE] ? "act" : "observe", cfg.guard.dc_match);
		for (size_t i = 0; i < cfg.npolicy; i++) {
			const struct hr_policy *p = &cfg.policy[i];
			printf("policy %s: match=%s high=", p->name, p->match);
			print_mark(&p->high);
			printf(" low=");
			print_mark(&p->low);
			printf(" mode=%s max_rate=%llu/s max_cpu=%u%% chunk=%llu reclaim_active=%s\n",
			       config_mode_name(p->mode), (unsigned long long)p->max_rate_bytes,
			       p->max_cpu_pct, (unsigned long long)p->chunk_bytes,
			       p->reclaim_active ? "yes" : "no");
		}
		return 0;
	}
#ifdef HR_TEST_HOOKS
	/* Test builds only (the ASan build): a sleep inside the lowered-limit
	 * window, so the integration tests can kill the agent there. A release
	 * binary must never hold a limit lowered on request. */
	const char *pause = getenv("HEADROOM_DEBUG_SQUEEZE_PAUSE_MS");
	if (pause && *pause) {
		uint64_t v;
		if (parse_u64_field((struct hr_span){ pause, strlen(pause) }, &v) || v > 600000) {
			cli_err("run", "HEADROOM_DEBUG_SQUEEZE_PAUSE_MS: need milliseconds (0..600000)");
			return HR_EXIT_USAGE;
		}
		o.debug_pause_ms = (unsigned)v;
	}
#endif
	o.root = root;
	o.config_path = defaults ? NULL : path;
	/* The context is big (tables, buffers): heap, once, before ready. */
	struct hr_ctx *c = calloc(1, sizeof(*c));
	if (!c) {
		cli_err("run", "out of memory");
		return HR_EXIT_FAIL;
	}
	if (defaults) {
		fprintf(stderr, "%sheadroom: run: %s not found: built-in defaults, observing every limited cgroup\n",
			log_stderr_is_journal() ? "<5>" : "", path);
	}
	rc = daemon_init(c, &cfg, &o);
	if (rc == 0)
		rc = daemon_ready(c);
	if (rc == 0)
		rc = daemon_run(c);
	daemon_fini(c);
	free(c);
	return rc ? HR_EXIT_FAIL : 0;
}
