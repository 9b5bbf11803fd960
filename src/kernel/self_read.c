/* self_read.c - /proc/self/statm of the calling process (see self_read.h). */
#define _GNU_SOURCE
#include "kernel/self_read.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "snapshot/statm.h"
#include "util/page.h"
#include "util/parse.h"

int self_rss_bytes(uint64_t *out)
{
	/* Seven numbers of at most 20 digits and blanks: 160 bytes. */
	char buf[192];
	struct statm st;
	ssize_t n;
	int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	int err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	if (n == (ssize_t)sizeof(buf) - 1)
		return -E2BIG;
	buf[n] = '\0';
	int rc = statm_parse(buf, (size_t)n, &st);
	if (rc)
		return rc;
	*out = sat_mul(st.resident_pages, page_size());
	return 0;
}
