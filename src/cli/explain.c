/* explain.c - `headroom explain [FILE|-]...`: kernel log text in, incidents
 * out, streamed as each report completes (see detect/incident.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "detect/incident.h"
#include "kernel/kmsg.h"
#include "snapshot/logjoin.h"
#include "report/explain_summary.h"
#include "report/report.h"
#include "util/clock.h"

/* 1 MiB reads: big enough that read() cost vanishes next to the scan,
 * small enough to stay in L2/L3. */
#define EXPLAIN_BLOCK (1u << 20)

struct out_ctx {
	bool json, json_lines, colour, verbose;
	const char *input;	/* the input being read: a path, "-" or "/dev/kmsg" */
	int year;		/* --year, 0: chosen from ref_sec */
	time_t ref_sec;		/* the input's mtime (regular file) or now */
	struct jsonw w;
	size_t sev[3];
	enum hr_severity worst;
};

static void help(FILE *out)
{
	fputs("usage: headroom explain [--json] [--root DIR] [--no-color] [FILE|-]...\n\n"
	      "Reads kernel log text (dmesg, dmesg -T, journalctl -k, /var/log/messages,\n"
	      "pasted excerpts) and reports each memory-to-network incident: page\n"
	      "allocation failures, OOM kills, conntrack table full, TCP socket memory,\n"
	      "SYN floods, hung tasks in NFS/iSCSI/NBD/rbd, NFS server not responding;\n"
	      "with what happened, why, and what to change. '-' is stdin; with no FILE\n"
	      "the live kernel ring buffer (/dev/kmsg) is read to its end.\n\n"
	      "  --json        JSON document (schema headroom/1); incidents carry \"kind\"\n"
	      "  --json-lines  one JSON document per line: each incident as it completes\n"
	      "                ({\"type\":\"incident\",...}), then {\"type\":\"summary\",...}\n"
	      "  --root DIR    read DIR/dev/kmsg instead of /dev/kmsg (no FILE given)\n"
	      "  --tz ZONE     time zone of local times in the log (dmesg -T, classic\n"
	      "                syslog); default TZ, else this machine's zone\n"
	      "  --year YYYY   year of classic syslog dates (\"Mar  5 10:11:12\"); default:\n"
	      "                the year that is not after the file's modification time\n"
	      "  --no-color    no ANSI colour even on a terminal\n"
	      "  --no-join     take each line as it is: do not rejoin lines that a mail\n"
	      "                client or forum wrapped, nor split records glued together\n\n"
	      "exit: 0 nothing found, 1 worst incident warn, 2 crit, 3 nothing explained\n"
	      "      (an input could not be read, or no line of it looked like a kernel\n"
	      "      log) and nothing found in the rest, 4 usage error\n", out);
}

/* Local times (dmesg -T, classic syslog, ISO without offset) are in the
 * zone of the machine that printed them, which the log does not say: TZ
 * (or --tz) names it, the local zone of this machine by default. A
 * classic syslog date has no year: --year gives it, else the year that
 * puts it at most one day after the input's modification time (the time
 * its last line was written; now for pipes), as logrotate'd
 * /var/log/messages.1 from last December, read in January, needs. */
static int wall_to_utc(void *arg, const struct hr_wall *w, int64_t *utc_sec)
{
	const struct out_ctx *c = arg;
	struct tm tm = { .tm_mon = w->mon - 1, .tm_mday = w->day, .tm_hour = w->hour,
			 .tm_min = w->min, .tm_sec = w->sec, .tm_isdst = -1 };
	int year = w->year;

	if (w->kind == HR_WALL_NOYEAR) {
		struct tm ref;
		if (c->year)
			year = c->year;
		else if (!localtime_r(&c->ref_sec, &ref))
			return -ERANGE;
		else {
			year = ref.tm_year + 1900;
			struct tm t2 = tm;
			t2.tm_year = year - 1900;
			time_t t = mktime(&t2);
			if (t != (time_t)-1 && t > c->ref_sec + 86400)
				year--;
		}
	}
	tm.tm_year = year - 1900;
	time_t t = mktime(&tm);
	if (t == (time_t)-1)
		return -ERANGE;
	*utc_sec = (int64_t)t;
	return 0;
}

/* glibc reads an unknown zone name ("Europe/Berln") as UTC without a
 * word: a typo would shift every date. A name must be a tz database file;
 * POSIX rules ("EST5EDT", "<+03>-3") carry a digit and are taken as is. */
static bool tz_known(const char *tz)
{
	char path[4096];
	const char *dir = getenv("TZDIR");

	if (!tz[0] || strstr(tz, ".."))
		return false;
	if (tz[0] == ':')
		tz++;
	if (tz[0] == '/')
		return access(tz, R_OK) == 0;
	if (strpbrk(tz, "0123456789") || !strcmp(tz, "UTC") || !strcmp(tz, "GMT"))
		return true;	/* UTC/GMT: what glibc falls back to, so right without tzdata */
	snprintf(path, sizeof(path), "%s/%s", dir && dir[0] ? dir : "/usr/share/zoneinfo", tz);
	return access(path, R_OK) == 0;
}

/* Opens one --json-lines document: {"schema":...,"type":TYPE */
static void line_begin(struct jsonw *w, const char *type)
{
	jw_init(w, stdout, false);
	jw_obj_begin(w);
	jw_key(w, "schema");
	jw_str(w, HR_SCHEMA);
	jw_key(w, "type");
	jw_str(w, type);
}

static void emit(void *arg, const struct hr_finding *f)
{
	struct out_ctx *c = arg;
	c->sev[f->severity]++;
	if (f->severity > c->worst)
		c->worst = f->severity;
	if (c->json_lines) {
		/* One self-contained document per line, flushed at once, so a
		 * log shipper tailing the output sees each incident as it ends. */
		struct jsonw w;
		line_begin(&w, "incident");
		jw_key(&w, "input");
		jw_str(&w, c->input);
		jw_key(&w, "incident");
		report_json_finding(&w, f);
		jw_obj_end(&w);
		jw_finish(&w);
		fflush(stdout);
	} else if (c->json)
		report_json_finding(&c->w, f);
	else {
		report_text_finding(stdout, f, c->colour, true);
		fputc('\n', stdout);
	}
}

/* A logical line from the joiner (snapshot/logjoin.h) into the engine. */
static void joined_line(void *arg, const char *line, size_t len)
{
	explain_line(arg, line, len);
}

static void kmsg_line(void *arg, const char *line, size_t len)
{
	struct hr_explain *x = arg;
	x->st.bytes += len + 1;
	explain_line(x, line, len);
}

/* Lines with a kernel log prefix, plus reports recognised in text pasted
 * without any prefix: when an input adds none, it was no kernel log. */
static uint64_t kernel_evidence(const struct hr_explain *x)
{
	uint64_t n = x->st.kernel_lines + x->st.hung_other;
	for (int k = 0; k < HR_INC_NKINDS; k++)
		n += x->st.incidents[k];
	return n;
}

/* An input in which no line had a kernel log prefix was not explained,
 * whatever "0 incidents" would suggest (random bytes, /etc/hostname, an
 * application log, dmesg's error message instead of its output): note it
 * and say so once. Returns true when that is the case. */
static bool not_kernel_log(struct hr_findings *notes, const char *path, uint64_t evidence,
			   uint64_t bytes)
{
	if (evidence)
		return false;
	const char *what = bytes ? "not explained: no line looked like kernel log output"
				 : "not explained: empty";
	findings_note(notes, path, ENODATA, "%s", what);
	cli_err("explain", "%s: %s%s", path, what,
		bytes ? " (dmesg, journalctl -k, syslog 'kernel:' lines or /dev/kmsg records)" : "");
	return true;
}

/* A FIFO named on the command line that no writer ever opens would block
 * open() for good, and poll() on it without a writer never wakes: after
 * this long with neither data nor a writer that came and went, give up. */
#define EXPLAIN_FIFO_WAIT_USEC (10 * 1000000LL)

/* Pasted text goes through the joiner, line by line; machine-written logs
 * (no damage in their first block, logjoin_needed) keep the engine's fast
 * path, which skips lines without an anchor word unread. */
struct feed_join {
	struct hr_logjoin *j;	/* NULL: --no-join */
	bool decided, on;
};

static void feed_block(struct hr_explain *x, struct feed_join *fj, const char *buf, size_t n)
{
	if (!fj->decided) {
		fj->decided = true;
		fj->on = fj->j && logjoin_needed(buf, n);
	}
	if (fj->on) {
		x->st.bytes += n;
		logjoin_feed(fj->j, buf, n);
	} else {
		explain_feed(x, buf, n);
	}
}

/* Reads fd to EOF through the engine. A regular file is read straight;
 * anything else (pipe, FIFO, terminal, socket) is polled, so that when a
 * live source goes quiet, reports it finished are emitted and flushed
 * after EXPLAIN_IDLE_USEC (explain_idle) instead of being held until the
 * next line arrives. fd may be O_NONBLOCK. Returns 0 or -errno
 * (-ETIMEDOUT: a FIFO without a writer). */
static int feed_fd(struct hr_explain *x, struct feed_join *fj, int fd, char *buf, bool regular,
		   bool fifo)
{
	int64_t start = (int64_t)clock_mono_usec(), last = start;
	bool woke = !fifo;	/* a FIFO: has a writer shown up yet? */

	for (;;) {
		if (!regular) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			int r = poll(&p, 1, 250);
			if (r < 0 && errno != EINTR)
				return -errno;
			if (r <= 0) {
				int64_t now = (int64_t)clock_mono_usec();
				if (!woke && now - start > EXPLAIN_FIFO_WAIT_USEC)
					return -ETIMEDOUT;
				if (fj->on && now - last >= EXPLAIN_IDLE_USEC)
					logjoin_flush(fj->j, false);
				explain_idle(x, now - last);
				fflush(stdout);
				continue;
			}
			woke = true;
		}
		ssize_t n = read(fd, buf, EXPLAIN_BLOCK);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == EPIPE) {	/* /dev/kmsg given as FILE: records overwritten */
				x->st.lost_records++;
				continue;
			}
			return -errno;
		}
		if (n == 0)
			return 0;
		last = (int64_t)clock_mono_usec();
		feed_block(x, fj, buf, (size_t)n);
	}
}

int cmd_explain(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, 0, 'j' },
		{ "json-lines", no_argument, 0, 'L' },
		{ "root", required_argument, 0, 'r' },
		{ "no-color", no_argument, 0, 'C' },
		{ "tz", required_argument, 0, 'z' },
		{ "year", required_argument, 0, 'y' },
		{ "no-join", no_argument, 0, 'J' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct out_ctx c = { .colour = true };
	struct hr_findings notes;	/* files that could not be read */
	hr_findings_init(&notes, NULL, 0);
	const char *root_path = NULL;
	int opt, rc = 0;
	bool failed = false, join = true;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "jr:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'j': c.json = true; break;
		case 'L': c.json_lines = true; break;
		case 'r': root_path = optarg; break;
		case 'C': c.colour = false; break;
		case 'J': join = false; break;
		case 'z':
			if (!tz_known(optarg)) {
				cli_err("explain", "--tz '%s': no such time zone (want e.g. UTC, Europe/Berlin or EST5EDT)",
					optarg);
				return HR_EXIT_USAGE;
			}
			setenv("TZ", optarg, 1);
			break;
		case 'y': {
			char *end;
			long y = strtol(optarg, &end, 10);
			if (*end || end == optarg || y < 1970 || y > 9999) {
				cli_err("explain", "--year '%s': want a year 1970..9999", optarg);
				return HR_EXIT_USAGE;
			}
			c.year = (int)y;
			break;
		}
		case 'h': help(stdout); return 0;
		default: return cli_usage_hint("explain");
		}
	}
	if (c.json && c.json_lines) {
		cli_err("explain", "--json and --json-lines exclude each other");
		return HR_EXIT_USAGE;
	}
	if (root_path && optind < argc) {
		cli_err("explain", "--root reads DIR/dev/kmsg; it cannot be combined with FILE arguments");
		return HR_EXIT_USAGE;
	}
	c.colour = c.colour && cli_want_colour(stdout);

	struct hr_explain *x = calloc(1, sizeof(*x));
	struct hr_logjoin *lj = calloc(1, sizeof(*lj));
	char *buf = malloc(EXPLAIN_BLOCK);
	if (!x || !buf || !lj) {
		cli_err("explain", "out of memory");
		free(x);
		free(lj);
		free(buf);
		return HR_EXIT_FAIL;
	}
	explain_init(x, emit, &c);
	logjoin_init(lj, joined_line, x, true);
	tzset();
	x->wall_fn = wall_to_utc;
	x->wall_arg = &c;
	c.ref_sec = time(NULL);

	struct hr_report_meta m = { .command = "explain", .root = root_path };
	if (c.json) {
		jw_init(&c.w, stdout, true);
		jw_obj_begin(&c.w);
		report_json_header(&c.w, &m);
		jw_key(&c.w, "findings");
		jw_arr_begin(&c.w);
	}

	if (optind == argc) {
		struct hr_root root;
		char kmsg_name[4096];
		snprintf(kmsg_name, sizeof(kmsg_name), "%s/dev/kmsg", root_path ? root_path : "");
		c.input = kmsg_name;
		int e = root_open(&root, root_path ? root_path : "/");
		long n = e;
		if (!e) {
			int64_t boot;
			if (!kmsg_boot_usec(&root, &boot))
				x->boot_usec = boot;
			n = kmsg_drain(&root, kmsg_line, x, &x->st.lost_records);
			root_close(&root);
		}
		if (n >= 0) {
			explain_finish(x);
			failed |= not_kernel_log(&notes, kmsg_name, kernel_evidence(x), x->st.bytes);
		}
		if (n < 0) {
			findings_note(&notes, "/dev/kmsg", (int)n, "kernel log not explained");
			cli_err("explain", "%s/dev/kmsg: %s%s", root_path ? root_path : "",
				strerror((int)-n),
				n == -EPERM ? " (kernel.dmesg_restrict=1: run as root, or pipe 'dmesg' into 'headroom explain -')" : "");
			failed = true;
		}
	}
	for (int i = optind; i < argc; i++) {
		const char *path = argv[i];
		c.input = path;
		/* O_NONBLOCK: opening a FIFO must not wait for its writer. */
		int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK) : 0;
		if (fd < 0) {
			findings_note(&notes, path, errno, "not explained");
			cli_err("explain", "%s: %s, skipping", path, strerror(errno));
			failed = true;
			continue;
		}
		struct stat st;
		bool regular = !fstat(fd, &st) && S_ISREG(st.st_mode);
		c.ref_sec = regular ? st.st_mtime : time(NULL);
		/* /dev/kmsg itself (char 1:11) as FILE: followed like dmesg -w,
		 * its records dated by this host's boot time. */
		if (S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 11) {
			struct hr_root host = { .is_host = true };
			int64_t boot;
			if (!kmsg_boot_usec(&host, &boot))
				x->boot_usec = boot;
		}
		uint64_t kl0 = kernel_evidence(x), b0 = x->st.bytes;
		struct feed_join fj = { .j = join ? lj : NULL };
		int e = feed_fd(x, &fj, fd, buf, regular, strcmp(path, "-") && S_ISFIFO(st.st_mode));
		if (fj.on)
			logjoin_flush(lj, true);
		if (e == -ETIMEDOUT) {
			findings_note(&notes, path, e, "not explained (a FIFO no writer opened within %lld s)",
				      EXPLAIN_FIFO_WAIT_USEC / 1000000);
			cli_err("explain", "%s: FIFO without a writer for %lld s, skipping", path,
				EXPLAIN_FIFO_WAIT_USEC / 1000000);
		} else if (e) {
			findings_note(&notes, path, e, "partly explained (read error)");
			cli_err("explain", "%s: read: %s; the rest of it is not explained", path, strerror(-e));
		}
		failed |= e != 0;
		/* Reports do not span files: each file ends its open incidents. */
		explain_finish(x);
		if (!e)
			failed |= not_kernel_log(&notes, path, kernel_evidence(x) - kl0, x->st.bytes - b0);
		if (fd)
			close(fd);
	}
	explain_finish(x);

	rc = report_exit_code(c.worst);
	if (failed && rc == 0)
		rc = HR_EXIT_FAIL;
	if (c.json) {
		jw_arr_end(&c.w);
		explain_summary_json(&c.w, x, c.sev, c.worst, &notes, rc);
		jw_obj_end(&c.w);
		jw_finish(&c.w);
	} else if (c.json_lines) {
		struct jsonw w;
		line_begin(&w, "summary");
		jw_key(&w, "command");
		jw_str(&w, "explain");
		jw_key(&w, "version");
		jw_str(&w, HR_VERSION);
		explain_summary_json(&w, x, c.sev, c.worst, &notes, rc);
		jw_obj_end(&w);
		jw_finish(&w);
	} else {
		explain_summary_text(stdout, x, c.sev, &notes);
	}
	if (fflush(stdout) || ferror(stdout)) {
		cli_err("explain", "writing the report: %s", strerror(errno));
		rc = HR_EXIT_FAIL;
	}
	free(buf);
	free(lj);
	free(x);
	return rc;
}
