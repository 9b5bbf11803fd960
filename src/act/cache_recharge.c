/* cache_recharge.c - drop and re-read from inside a cgroup (see
 * cache_recharge.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "act/cache_recharge.h"

struct child_msg {
	int err;
	int step;		/* 1 join, 2 read */
	uint64_t bytes;
};

/* In the forked child: join the cgroup, read every run, report, _exit. */
static void child(int cgfd, int fd, const uint64_t *idx, size_t n, uint64_t ps, int wfd)
{
	struct child_msg m = { 0 };
	char pid[24], buf[64 * 1024];

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	int e = root_write_strict(cgfd, "cgroup.procs", pid);
	if (e) {
		m.err = -e;
		m.step = 1;
		goto out;
	}
	/* One page at a time is what we want charged: no readahead. This is
	 * the caller's open file description; nothing else reads through it. */
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && idx[j] == idx[j - 1] + 1)
			j++;
		uint64_t off = idx[i] * ps, end = (idx[j - 1] + 1) * ps;
		while (off < end) {
			size_t want = end - off < sizeof(buf) ? (size_t)(end - off) : sizeof(buf);
			ssize_t got = pread(fd, buf, want, (off_t)off);
			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0) {
				m.err = errno;
				m.step = 2;
				goto out;
			}
			if (got == 0)
				break;	/* truncated meanwhile */
			m.bytes += (uint64_t)got;
			off += (uint64_t)got;
		}
		i = j;
	}
out:
	if (write(wfd, &m, sizeof(m)) != (ssize_t)sizeof(m))
		_exit(2);
	_exit(m.err ? 1 : 0);
}

int cache_recharge(const struct hr_root *r, int fd, const uint64_t *idx, size_t n, uint64_t page_size,
		   const char *cgroup_rel, int timeout_ms, struct cache_recharge_res *res)
{
	int p[2] = { -1, -1 }, cgfd, e = 0;

	memset(res, 0, sizeof(*res));
	for (size_t i = 1; i < n; i++)
		if (idx[i] <= idx[i - 1])
			return -EINVAL;
	while (*cgroup_rel == '/')
		cgroup_rel++;
	cgfd = root_openat_strict(r->fd, cgroup_rel, O_RDONLY | O_DIRECTORY);
	if (cgfd < 0)
		return cgfd;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && idx[j] == idx[j - 1] + 1)
			j++;
		e = posix_fadvise(fd, (off_t)(idx[i] * page_size), (off_t)((j - i) * page_size),
				  POSIX_FADV_DONTNEED);
		if (e) {
			e = -e;
			goto out;
		}
		res->runs++;
		res->pages_dropped += j - i;
		i = j;
	}
	if (pipe2(p, O_CLOEXEC)) {
		e = -errno;
		goto out;
	}
	pid_t pid = fork();
	if (pid < 0) {
		e = -errno;
		goto out;
	}
	if (pid == 0) {
		close(p[0]);
		child(cgfd, fd, idx, n, page_size, p[1]);
	}
	close(p[1]);
	p[1] = -1;
	/* Bounded wait: poll every 10 ms up to timeout_ms, then kill the child
	 * (ours, by pid) and reap it. */
	int status = 0, waited = 0;
	pid_t w;
	while ((w = waitpid(pid, &status, WNOHANG)) == 0 && waited < timeout_ms) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		waited += 10;
	}
	if (w == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		e = -ETIMEDOUT;
		goto out;
	}
	struct child_msg m;
	if (read(p[0], &m, sizeof(m)) != (ssize_t)sizeof(m)) {
		res->child_errno = ECHILD;
		res->child_step = "join";
		goto out;
	}
	res->bytes_read = m.bytes;
	res->child_errno = m.err;
	res->child_step = m.step == 1 ? "join" : m.step == 2 ? "read" : NULL;
out:
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	close(cgfd);
	return e;
}
