/* hr_jrec.c - plants journal records for the replay tests in the qemu guest
 * (tests/vm/guest-run-v2.sh), where there is no python to craft them.
 *
 *   hr_jrec RUN_DIR CGROUP FILE ORIG LOWERED INO_XOR [CGROUP FILE ...]
 *
 * CGROUP is a path below / ("sys/fs/cgroup/x"); its directory's st_dev and
 * st_ino become the record's identity, st_ino xor INO_XOR (non-zero: "a
 * different cgroup under the same path"). Uses the agent's own encoder, so
 * the records are exactly what a killed agent leaves behind.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "act/journal.h"

int main(int argc, char **argv)
{
	struct hr_journal j;
	char boot[64] = "", p[4200];
	struct stat st;

	if (argc < 7 || (argc - 2) % 5) {
		fprintf(stderr, "usage: hr_jrec RUN_DIR CGROUP FILE ORIG LOWERED INO_XOR ...\n");
		return 2;
	}
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
	if (!f || !fgets(boot, sizeof(boot), f))
		return 1;
	fclose(f);
	boot[strcspn(boot, "\n")] = '\0';
	int dfd = open(argv[1], O_RDONLY | O_DIRECTORY);
	int rc = dfd < 0 ? -errno : journal_open(&j, dfd, "journal", boot, false);
	if (rc) {
		fprintf(stderr, "hr_jrec: %s/journal: %s\n", argv[1], strerror(-rc));
		return 1;
	}
	for (int i = 2; i + 4 < argc; i += 5) {
		struct journal_entry e;
		memset(&e, 0, sizeof(e));
		snprintf(p, sizeof(p), "/%s", argv[i]);
		if (stat(p, &st)) {
			fprintf(stderr, "hr_jrec: %s: %s\n", p, strerror(errno));
			return 1;
		}
		e.dev = (uint64_t)st.st_dev;
		e.ino = (uint64_t)st.st_ino ^ strtoull(argv[i + 4], NULL, 0);
		snprintf(e.cgroup, sizeof(e.cgroup), "%s", argv[i]);
		snprintf(e.file, sizeof(e.file), "%s", argv[i + 1]);
		snprintf(e.orig, sizeof(e.orig), "%s", argv[i + 2]);
		snprintf(e.lowered, sizeof(e.lowered), "%s", argv[i + 3]);
		if ((rc = journal_begin(&j, &e)) < 0) {
			fprintf(stderr, "hr_jrec: journal_begin: %s\n", strerror(-rc));
			return 1;
		}
	}
	journal_close(&j);
	return 0;
}
