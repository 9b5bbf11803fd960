/* snapshot.c - `headroom snapshot OUTDIR`: copy every kernel file that
 * `headroom check` reads into a tree usable with --root.
 *
 * It runs every area's sampler with a recorder on the root: whatever a
 * sampler reads, lists or resolves is copied as it is seen, so the capture
 * holds exactly what headroom looks at (no more: no private data beyond
 * those files). The copy is made by a second read, so a counter may have
 * moved between the two; that does not matter for a fixture. A file read
 * twice (by two areas) is copied and counted once.
 *
 * It also copies the kernel log: the kernel's /dev/kmsg records, raw, one
 * per line, into OUTDIR/dev/kmsg, and proc/stat (its btime dates them), so
 * `headroom explain --root OUTDIR` explains the same log later.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "check/engine.h"
#include "kernel/kmsg.h"
#include "kernel/vmread.h"
#include "snapshot/logline.h"
#include "report/report.h"

#define SNAP_FILE_MAX (8u << 20)
/* The ring buffer holds at most 2^25 bytes (CONFIG_LOG_BUF_SHIFT 25), and
 * the record lines are shorter than its records: this bounds the copy of a
 * kernel that logs faster than we read. */
#define SNAP_KMSG_MAX (32u << 20)

struct snap {
	struct hr_root src;	/* same root, without the recorder */
	int out_fd;
	char *buf;
	size_t files, dirs, links, failed;
	/* kernel log copy */
	FILE *kmsg;
	uint64_t kmsg_bytes, kmsg_records, kmsg_cut;
};

/* mkdir -p of the parent directories of rel below out_fd (rel itself too
 * when `self`); *created counts the directories made. */
static int mkdirs(int out_fd, const char *rel, bool self, size_t *created)
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
		if (!mkdirat(out_fd, path, 0755))
			(*created)++;
		else if (errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (self) {
		if (!mkdirat(out_fd, path, 0755))
			(*created)++;
		else if (errno != EEXIST)
			return -errno;
	}
	return 0;
}

/* Already in the capture (read before by another area): not again. */
static bool captured(int out_fd, const char *rel)
{
	struct stat st;
	return fstatat(out_fd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static void record(void *arg, enum hr_rec_kind kind, const char *rel)
{
	struct snap *s = arg;
	int rc = 0;

	if (!strcmp(rel, "."))
		return;
	switch (kind) {
	case HR_REC_DIR:
		rc = mkdirs(s->out_fd, rel, true, &s->dirs);
		break;
	case HR_REC_LINK: {
		char target[4096];
		if (captured(s->out_fd, rel))
			break;
		long n = root_readlink(&s->src, rel, target, sizeof(target));
		if (n < 0 || (rc = mkdirs(s->out_fd, rel, false, &s->dirs)))
			break;
		rc = symlinkat(target, s->out_fd, rel) ? -errno : 0;
		s->links += rc == 0;
		break;
	}
	case HR_REC_FILE: {
		if (captured(s->out_fd, rel))
			break;
		long n = root_read(&s->src, rel, s->buf, SNAP_FILE_MAX);
		if (n < 0) {
			rc = (int)n;
			break;
		}
		if ((rc = mkdirs(s->out_fd, rel, false, &s->dirs)))
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

/* One raw /dev/kmsg record line; only the kernel's own (facility 0):
 * messages user space wrote to /dev/kmsg may hold anything. */
static void kmsg_rec(void *arg, const char *p, size_t n)
{
	struct snap *s = arg;
	struct hr_kmsg_rec rec;

	if (!s->kmsg || kmsg_record_parse(p, n, &rec) || rec.facility != 0)
		return;
	if (s->kmsg_bytes + n + 1 > SNAP_KMSG_MAX) {
		s->kmsg_cut++;
		return;
	}
	fwrite(p, 1, n, s->kmsg);
	fputc('\n', s->kmsg);
	s->kmsg_bytes += n + 1;
	s->kmsg_records++;
}

/* OUTDIR/dev/kmsg: the records of the root's kernel log, one per line, in
 * the form kmsg_drain() reads back from a file. Returns 0 or -errno. */
static int capture_kmsg(struct snap *s)
{
	uint64_t lost = 0;
	int rc = mkdirs(s->out_fd, "dev/kmsg", false, &s->dirs);
	if (rc)
		return rc;
	int fd = openat(s->out_fd, "dev/kmsg", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	s->kmsg = fdopen(fd, "w");
	if (!s->kmsg) {
		rc = -errno;
		close(fd);
		unlinkat(s->out_fd, "dev/kmsg", 0);
		return rc;
	}
	long n = kmsg_records(&s->src, kmsg_rec, s, &lost);
	if (fclose(s->kmsg) && n >= 0)
		n = -EIO;
	s->kmsg = NULL;
	if (n < 0) {
		unlinkat(s->out_fd, "dev/kmsg", 0);
		return (int)n;
	}
	s->files++;
	if (lost)
		cli_err("snapshot", "dev/kmsg: %" PRIu64 " records were overwritten while being read", lost);
	if (s->kmsg_cut)
		cli_err("snapshot", "dev/kmsg: %" PRIu64 " records past %u MiB not captured", s->kmsg_cut,
			SNAP_KMSG_MAX >> 20);
	return 0;
}

/* 0 if path may be the capture: absent (then created) or an empty
 * directory; -ENOTEMPTY / -ENOTDIR / -errno otherwise. */
static int outdir_ready(const char *path)
{
	if (!mkdir(path, 0755))
		return 0;
	if (errno != EEXIST)
		return -errno;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = -errno;
		close(fd);
		return e;
	}
	int rc = 0;
	struct dirent *e;
	while (!rc && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			rc = -ENOTEMPTY;
	closedir(d);
	return rc;
}

static void help(FILE *out)
{
	fputs("usage: headroom snapshot [--root DIR] OUTDIR\n\n"
	      "Copies every /proc and /sys file that 'headroom check' reads into OUTDIR,\n"
	      "and the kernel log (the /dev/kmsg records, into OUTDIR/dev/kmsg), with a\n"
	      "SOURCE note (kernel, machine, date). Attach it to a bug report, or run\n"
	      "'headroom check --root OUTDIR' and 'headroom explain --root OUTDIR' on it\n"
	      "anywhere. OUTDIR must not exist or be an empty directory; nothing else\n"
	      "is written.\n\n"
	      "exit: 0 everything captured, 1 some files not captured (named on stderr),\n"
	      "      3 failed (root unusable, OUTDIR not creatable), 4 usage error\n"
	      "      (including an OUTDIR that is not empty or not a directory)\n", out);
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
		default: return cli_usage_hint("snapshot");
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
	int od = outdir_ready(outdir);
	if (od == -ENOTEMPTY || od == -ENOTDIR) {
		cli_err("snapshot", "%s: %s; give a new or empty directory (nothing was written)",
			outdir, od == -ENOTEMPTY ? "not empty" : "not a directory");
		root_close(&root);
		return HR_EXIT_USAGE;
	}
	if (od) {
		cli_err("snapshot", "cannot create %s: %s", outdir, strerror(-od));
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
	(void)vmread_release(&root, scratch, sizeof(scratch));
	/* Every area's sampler, through the recorder; the findings are not
	 * wanted, only the files the samplers read. */
	void *mem = calloc(1, engine_storage_bytes());
	if (mem) {
		struct engine_pass p;
		engine_pass_init(&p, mem);
		engine_sample(&root, ENGINE_ALL, &p, &fs);
		engine_pass_fini(&p);
		free(mem);
	}
	/* The kernel log, and proc/stat for its boot time (read through the
	 * recorder, so it is copied like the rest). */
	int ke = capture_kmsg(&s);
	if (ke == -ENOENT && !root.is_host) {
		cli_err("snapshot", "%s has no dev/kmsg: no kernel log captured", root_path);
	} else if (ke) {
		s.failed++;
		cli_err("snapshot", "dev/kmsg: %s, not captured%s", strerror(-ke),
			ke == -EPERM ? " (kernel.dmesg_restrict=1: run as root)" : "");
	}
	(void)root_read(&root, "proc/stat", s.buf, SNAP_FILE_MAX);	/* absent in a partial root */
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
		fprintf(src, "date: %s\nfiles: %zu, directories: %zu, links: %zu, not captured: %zu\n"
			"kernel log: %" PRIu64 " records in dev/kmsg\n",
			date, s.files, s.dirs, s.links, s.failed, s.kmsg_records);
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
