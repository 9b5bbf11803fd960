/* cache_read.c - a file's page frames and their memcg (see cache_read.h). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/cache_read.h"
#include "snapshot/kpage.h"
#include "snapshot/memcg.h"

/* 64 MiB windows: the page-table cost of our own mapping and the pagemap
 * buffer (128 KiB at 4 KiB pages) stay bounded for any file size. */
#define WINDOW_BYTES (64ull << 20)
#define MOUNTS_BUF (256 * 1024)
#define WALK_DEPTH_MAX 64

static int pread_u64(int fd, uint64_t idx, uint64_t *out)
{
	ssize_t n = pread(fd, out, sizeof(*out), (off_t)(idx * sizeof(*out)));
	if (n == (ssize_t)sizeof(*out))
		return 0;
	return n < 0 ? -errno : -EIO;
}

static int push(struct cache_scan *s, const struct kpage_rec *rec)
{
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 1024;
		struct kpage_rec *p = realloc(s->recs, nc * sizeof(*p));
		if (!p)
			return -ENOMEM;
		s->recs = p;
		s->cap = nc;
	}
	s->recs[s->n++] = *rec;
	return 0;
}

/* One window [off, off+len) of the file. */
static int scan_window(struct cache_scan *s, int fd, const int kfd[4], uint64_t off, size_t len,
		       unsigned char *vec, uint64_t *pm, bool *saw_pfn)
{
	size_t ps = s->page_size, np = (len + ps - 1) / ps;
	int e = 0;
	volatile const unsigned char *p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, (off_t)off);

	if (p == MAP_FAILED)
		return -errno;
	/* No readahead on our faults: a touch must never bring in pages that
	 * were not resident (they would be charged to us). */
	if (madvise((void *)p, len, MADV_RANDOM) || mincore((void *)p, len, vec)) {
		e = -errno;
		goto out;
	}
	for (size_t i = 0; i < np; i++)
		if (vec[i] & 1) {
			s->resident++;
			(void)p[i * ps];
		}
	uint64_t vpage = (uint64_t)(uintptr_t)p / ps;
	ssize_t n = pread(kfd[0], pm, np * sizeof(*pm), (off_t)(vpage * sizeof(*pm)));
	if (n != (ssize_t)(np * sizeof(*pm))) {
		e = n < 0 ? -errno : -EIO;
		goto out;
	}
	for (size_t i = 0; i < np; i++) {
		struct kpage_pm d;
		struct kpage_rec rec = { .index = off / ps + i };

		if (!(vec[i] & 1))
			continue;
		kpage_pm_decode(pm[i], &d);
		if (!d.present || !d.pfn) {
			/* Evicted between mincore and the touch (the touch then
			 * faulted it in), or the PFN is hidden from us. */
			s->no_pfn++;
			continue;
		}
		*saw_pfn = true;
		if ((e = pread_u64(kfd[1], d.pfn, &rec.flags)) || (e = pread_u64(kfd[2], d.pfn, &rec.mapcount)) ||
		    (e = pread_u64(kfd[3], d.pfn, &rec.memcg_ino)) || (e = push(s, &rec)))
			goto out;
	}
out:
	munmap((void *)p, len);
	return e;
}

int cache_scan_file(const struct hr_root *r, int fd, struct cache_scan *out)
{
	static const char *const files[4] = { "proc/self/pagemap", "proc/kpageflags", "proc/kpagecount",
					      "proc/kpagecgroup" };
	int kfd[4] = { -1, -1, -1, -1 };
	struct stat st;
	unsigned char *vec = NULL;
	uint64_t *pm = NULL;
	bool saw_pfn = false;
	int e = 0;

	memset(out, 0, sizeof(*out));
	if (fstat(fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	long ps = sysconf(_SC_PAGESIZE);
	out->page_size = ps > 0 ? (uint64_t)ps : 4096;
	out->size_bytes = (uint64_t)st.st_size;
	out->pages = (out->size_bytes + out->page_size - 1) / out->page_size;
	for (int i = 0; i < 4; i++)
		if ((kfd[i] = root_openat(r, files[i], O_RDONLY)) < 0) {
			e = kfd[i];
			goto out;
		}
	size_t wpages = WINDOW_BYTES / out->page_size;
	vec = malloc(wpages);
	pm = malloc(wpages * sizeof(*pm));
	if (!vec || !pm) {
		e = -ENOMEM;
		goto out;
	}
	for (uint64_t off = 0; off < out->size_bytes; off += WINDOW_BYTES) {
		uint64_t len = out->size_bytes - off < WINDOW_BYTES ? out->size_bytes - off : WINDOW_BYTES;
		if ((e = scan_window(out, fd, kfd, off, (size_t)len, vec, pm, &saw_pfn)))
			goto out;
	}
	/* Resident pages but not one PFN: pagemap hides PFNs without
	 * CAP_SYS_ADMIN (4.2+, doc/kernel-facts.md G). */
	if (out->resident && !saw_pfn && out->no_pfn == out->resident)
		e = -EPERM;
out:
	free(vec);
	free(pm);
	for (int i = 0; i < 4; i++)
		if (kfd[i] >= 0)
			close(kfd[i]);
	if (e)
		cache_scan_fini(out);
	return e;
}

void cache_scan_fini(struct cache_scan *s)
{
	free(s->recs);
	memset(s, 0, sizeof(*s));
}

int cache_memcg_mount(const struct hr_root *r, char *out, size_t cap, int *version)
{
	char *buf = malloc(MOUNTS_BUF);
	struct memcg_mounts *m = malloc(sizeof(*m));
	int e = -ENODEV;

	if (!buf || !m) {
		e = -ENOMEM;
		goto out;
	}
	long len = root_read(r, "proc/self/mounts", buf, MOUNTS_BUF);
	if (len < 0)
		len = root_read(r, "proc/mounts", buf, MOUNTS_BUF);
	if (len < 0) {
		e = (int)len;
		goto out;
	}
	if (memcg_mounts_parse(buf, (size_t)len, m)) {
		e = -EINVAL;
		goto out;
	}
	const char *found = NULL;
	if (m->has_v1) {
		found = m->v1;
		*version = 1;
	}
	for (size_t i = 0; !found && i < m->n_v2; i++) {
		char p[MEMCG_MOUNT_PATH_MAX + 32];
		snprintf(p, sizeof(p), "%s/cgroup.controllers", m->v2[i]);
		long n = root_read(r, p, buf, MOUNTS_BUF);
		if (n >= 0 && cgroup_controllers_has(buf, (size_t)n, "memory")) {
			found = m->v2[i];
			*version = 2;
		}
	}
	if (found) {
		while (*found == '/')
			found++;
		e = snprintf(out, cap, "%s", *found ? found : ".") < (int)cap ? 0 : -E2BIG;
	}
out:
	free(buf);
	free(m);
	return e;
}

struct walk {
	const uint64_t *inos;
	size_t n, left, dirs, max_dirs;
	char (*paths)[CACHE_PATH_MAX];
};

static void match(struct walk *w, uint64_t ino, const char *path)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->inos[i] == ino && !w->paths[i][0] &&
		    snprintf(w->paths[i], CACHE_PATH_MAX, "%s", path) < CACHE_PATH_MAX)
			w->left--;
}

/* path is the hierarchy path of the directory open as dfd (consumed). */
static void walk_dir(struct walk *w, int dfd, char *path, size_t plen, int depth)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;

	if (!d) {
		close(dfd);
		return;
	}
	while (w->left && w->dirs < w->max_dirs && (de = readdir(d))) {
		struct stat st;
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		/* ENOENT: removed while we walk, a normal race. */
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISDIR(st.st_mode))
			continue;
		size_t nl = strlen(de->d_name);
		size_t base = plen == 1 ? 0 : plen;
		if (base + 1 + nl >= CACHE_PATH_MAX)
			continue;
		path[base] = '/';
		memcpy(path + base + 1, de->d_name, nl + 1);
		w->dirs++;
		match(w, (uint64_t)st.st_ino, path);
		if (depth < WALK_DEPTH_MAX && w->left) {
			int c = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
			if (c >= 0)
				walk_dir(w, c, path, base + 1 + nl, depth + 1);
		}
		path[plen] = '\0';
	}
	closedir(d);
}

long cache_memcg_lookup(const struct hr_root *r, const char *mount_rel, const uint64_t *inos,
			size_t n, char (*paths)[CACHE_PATH_MAX], size_t max_dirs)
{
	struct walk w = { .inos = inos, .n = n, .left = n, .max_dirs = max_dirs, .paths = paths };
	char path[CACHE_PATH_MAX] = "/";
	struct stat st;

	for (size_t i = 0; i < n; i++)
		paths[i][0] = '\0';
	int dfd = root_openat(r, mount_rel, O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		return dfd;
	if (fstat(dfd, &st)) {
		int e = -errno;
		close(dfd);
		return e;
	}
	w.dirs = 1;
	match(&w, (uint64_t)st.st_ino, "/");
	if (w.left)
		walk_dir(&w, dfd, path, 1, 1);
	else
		close(dfd);
	return (long)w.dirs;
}
