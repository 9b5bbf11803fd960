/* snapshot.c - `headroom snapshot OUTDIR`: copy every kernel file that
 * `headroom check` reads into a tree usable with --root.
 *
 * It runs every area's sampler with a recorder on the root: whatever a
 * sampler reads, lists or resolves is copied as it is seen, so the capture
 * holds exactly what headroom looks at (no more: no private data beyond
 * those files). The copy is made by a second read, so a counter may have
 * moved between the two; that does not matter for a fixture.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "detect/area.h"
#include "report/report.h"

#define SNAP_FILE_MAX (8u << 20)

struct snap {
	struct hr_root src;	/* same root, without the recorder */
	int out_fd;
	char *buf;
	size_t files, dirs, links, failed;
};

/* mkdir -p of the parent directories of rel below out_fd (rel itself too
 * when `self`). */
static int mkdirs(int out_fd, const char *rel, bool self)
{
	char path[4096];
	size_t n = strlen(rel);

	if (n >= sizeof(path))
		return -ENAMETOOLONG;
	memcpy(path, rel, n + 1);
	for (char *p = path; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdirat(out_fd, path, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (self && mkdirat(out_fd, path, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

static void record(void *arg, enum hr_rec_kind kind, const char *rel)
{
	struct snap *s = arg;
	int rc = 0;

	if (!strcmp(rel, "."))
		return;
	switch (kind) {
	case HR_REC_DIR:
		rc = mkdirs(s->out_fd, rel, true);
		s->dirs += rc == 0;
		break;
	case HR_REC_LINK: {
		char target[4096];
		long n = root_readlink(&s->src, rel, target, sizeof(target));
		if (n < 0 || (rc = mkdirs(s->out_fd, rel, false)))
			break;
		unlinkat(s->out_fd, rel, 0);
		rc = symlinkat(target, s->out_fd, rel) ? -errno : 0;
		s->links += rc == 0;
		break;
	}
	case HR_REC_FILE: {
		long n = root_read(&s->src, rel, s->buf, SNAP_FILE_MAX);
		if (n < 0) {
			rc = (int)n;
			break;
		}
		if ((rc = mkdirs(s->out_fd, rel, false)))
			break;
		int fd = openat(s->out_fd, rel, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0) {
			rc = -errno;
			break;
		}
		if (write(fd, s->buf, (size_t)n) != n)
			rc = -EIO;
		close(fd);
		s->files += rc == 0;
		break;
	}
	}
	if (rc) {
		s->failed++;
		cli_err("snapshot", "%s: %s, not captured", rel, strerror(-rc));
	}
}

static void help(FILE *out)
{
	fputs("usage: headroom snapshot [--root DIR] OUTDIR\n\n"
	      "Copies every /proc and /sys file that 'headroom check' reads into OUTDIR,\n"
	      "with a SOURCE note (kernel, machine, date). Attach it to a bug report, or\n"
	      "run 'headroom check --root OUTDIR' on it anywhere. OUTDIR must not exist\n"
	      "or be empty; nothing else is written.\n", out);
}

int cmd_snapshot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, 0, 'r' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const char *root_path = "/";
	int c, rc = HR_EXIT_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "r:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': root_path = optarg; break;
		case 'h': help(stdout); return 0;
		default: help(stderr); return HR_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		cli_err("snapshot", "wants exactly one OUTDIR; see 'headroom snapshot --help'");
		return HR_EXIT_USAGE;
	}
	const char *outdir = argv[optind];
	struct snap s = { .out_fd = -1 };
	struct hr_root root;
	struct hr_finding *items = NULL;
	if (cli_root_open("snapshot", &root, root_path))
		return HR_EXIT_FAIL;
	if (mkdir(outdir, 0755) && errno != EEXIST) {
		cli_err("snapshot", "cannot create %s: %s", outdir, strerror(errno));
		root_close(&root);
		return HR_EXIT_FAIL;
	}
	s.src = root;
	s.out_fd = open(outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	s.buf = malloc(SNAP_FILE_MAX);
	items = calloc(64, sizeof(*items));
	if (s.out_fd < 0 || !s.buf || !items) {
		cli_err("snapshot", "%s: %s", outdir, strerror(errno));
		goto out;
	}
	struct hr_findings fs;
	hr_findings_init(&fs, items, 64);
	root.record = record;
	root.record_arg = &s;
	char scratch[256];
	root_read(&root, "proc/sys/kernel/osrelease", scratch, sizeof(scratch));
	for (size_t i = 0; hr_areas[i]; i++) {
		const struct hr_area *a = hr_areas[i];
		if (!a->sample)
			continue;
		void *st = calloc(1, a->state_size ? a->state_size : 1);
		if (!st)
			continue;
		a->sample(&root, st, &fs);
		if (a->fini)
			a->fini(st);
		free(st);
	}
	struct utsname u;
	time_t now = time(NULL);
	char date[64];
	FILE *src = NULL;
	int sfd = openat(s.out_fd, "SOURCE", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (sfd >= 0)
		src = fdopen(sfd, "w");
	if (src && uname(&u) == 0) {
		strftime(date, sizeof(date), "%Y-%m-%d", gmtime(&now));
		fprintf(src, "captured by: headroom %s snapshot\nroot: %s\n", HR_VERSION, root_path);
		if (root.is_host)
			fprintf(src, "kernel: %s %s %s\nmachine: %s\n", u.sysname, u.release,
				u.version, u.machine);
		fprintf(src, "date: %s\nfiles: %zu, directories: %zu, links: %zu, not captured: %zu\n",
			date, s.files, s.dirs, s.links, s.failed);
		fclose(src);
	} else if (sfd >= 0) {
		close(sfd);
	}
	printf("captured %zu files, %zu directories, %zu links into %s (%zu not captured)\n",
	       s.files, s.dirs, s.links, outdir, s.failed);
	rc = s.failed ? 1 : 0;
out:
	if (s.out_fd >= 0)
		close(s.out_fd);
	free(s.buf);
	free(items);
	root_close(&root);
	return rc;
}
