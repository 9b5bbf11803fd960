/* journal.c - see journal.h. */
#define _GNU_SOURCE
#include "act/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "snapshot/memcg.h"
#include "util/parse.h"

/* "HRJ2": version 2 added the cgroup identity. A version 1 slot fails the
 * magic and is cleared as torn: its record cannot be checked. */
#define MAGIC 0x324a5248u
#define STATE_ACTIVE 1u
/* A knob record: the same layout, identity 0 (journal.h). Added after
 * version 2 without a new magic, so version 2 journals replay unchanged. */
#define STATE_KNOB 2u
/* Slot layout (little-endian host order; the file never leaves the host). */
#define OFF_MAGIC 0
#define OFF_STATE 4
#define OFF_SEQ 8
#define OFF_DEV 16
#define OFF_INO 24
#define OFF_CGROUP 32
#define OFF_FILE (OFF_CGROUP + JOURNAL_PATH_MAX)
#define OFF_ORIG (OFF_FILE + JOURNAL_FILE_MAX)
#define OFF_LOWERED (OFF_ORIG + JOURNAL_VAL_MAX)
#define OFF_BOOT (OFF_LOWERED + JOURNAL_VAL_MAX)
#define OFF_CRC (JOURNAL_SLOT_SIZE - 4)

_Static_assert(OFF_BOOT + JOURNAL_BOOT_MAX <= OFF_CRC, "journal slot too small");

uint32_t journal_crc32(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uint32_t crc = 0xffffffffu;

	/* Bitwise CRC-32 (IEEE): 512-byte slots are written a few times per
	 * squeeze, so a table buys nothing worth its 1 KiB. */
	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

static int put_str(unsigned char *slot, size_t off, size_t cap, const char *s)
{
	size_t n = strnlen(s, cap);

	if (n == 0 || n >= cap)
		return -E2BIG;
	memcpy(slot + off, s, n);
	return 0;
}

static int get_str(const unsigned char *slot, size_t off, size_t cap, char *out)
{
	size_t n = strnlen((const char *)slot + off, cap);

	if (n == 0 || n >= cap)
		return -EBADMSG;
	memcpy(out, slot + off, n);
	out[n] = '\0';
	return 0;
}

int journal_encode(const struct journal_entry *e, uint64_t seq, const char *boot_id,
		   unsigned char *slot)
{
	uint32_t v;

	memset(slot, 0, JOURNAL_SLOT_SIZE);
	if (e->kind != JOURNAL_KIND_CGROUP && e->kind != JOURNAL_KIND_KNOB)
		return -EINVAL;
	if (put_str(slot, OFF_CGROUP, JOURNAL_PATH_MAX, e->cgroup) ||
	    put_str(slot, OFF_FILE, JOURNAL_FILE_MAX, e->file) ||
	    put_str(slot, OFF_ORIG, JOURNAL_VAL_MAX, e->orig) ||
	    put_str(slot, OFF_LOWERED, JOURNAL_VAL_MAX, e->lowered) ||
	    put_str(slot, OFF_BOOT, JOURNAL_BOOT_MAX, boot_id))
		return -E2BIG;
	memcpy(slot + OFF_DEV, &e->dev, 8);
	memcpy(slot + OFF_INO, &e->ino, 8);
	v = MAGIC;
	memcpy(slot + OFF_MAGIC, &v, 4);
	v = e->kind == JOURNAL_KIND_KNOB ? STATE_KNOB : STATE_ACTIVE;
	memcpy(slot + OFF_STATE, &v, 4);
	memcpy(slot + OFF_SEQ, &seq, 8);
	v = journal_crc32(slot, OFF_CRC);
	memcpy(slot + OFF_CRC, &v, 4);
	return 0;
}

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

int journal_decode(const unsigned char *slot, struct journal_entry *e, uint64_t *seq, char *boot)
{
	unsigned char again[JOURNAL_SLOT_SIZE];
	uint32_t magic, state, crc;

	if (all_zero(slot, JOURNAL_SLOT_SIZE))
		return 0;
	memcpy(&magic, slot + OFF_MAGIC, 4);
	memcpy(&state, slot + OFF_STATE, 4);
	memcpy(&crc, slot + OFF_CRC, 4);
	if (magic != MAGIC || (state != STATE_ACTIVE && state != STATE_KNOB) ||
	    crc != journal_crc32(slot, OFF_CRC))
		return -EBADMSG;
	e->kind = state == STATE_KNOB ? JOURNAL_KIND_KNOB : JOURNAL_KIND_CGROUP;
	if (get_str(slot, OFF_CGROUP, JOURNAL_PATH_MAX, e->cgroup) ||
	    get_str(slot, OFF_FILE, JOURNAL_FILE_MAX, e->file) ||
	    get_str(slot, OFF_ORIG, JOURNAL_VAL_MAX, e->orig) ||
	    get_str(slot, OFF_LOWERED, JOURNAL_VAL_MAX, e->lowered) ||
	    get_str(slot, OFF_BOOT, JOURNAL_BOOT_MAX, boot))
		return -EBADMSG;
	memcpy(&e->dev, slot + OFF_DEV, 8);
	memcpy(&e->ino, slot + OFF_INO, 8);
	memcpy(seq, slot + OFF_SEQ, 8);
	/* Canonical or nothing: bytes after a string's NUL or in the padding
	 * are covered by the CRC but would be dropped by encode, so such a
	 * slot was not written by journal_encode (fuzz_journal found one). */
	if (journal_encode(e, *seq, boot, again) || memcmp(again, slot, JOURNAL_SLOT_SIZE))
		return -EBADMSG;
	/* A record that could escape the root is not ours to replay. */
	if (e->cgroup[0] == '/' || strstr(e->cgroup, "..") || strchr(e->file, '/'))
		return -EBADMSG;
	return 1;
}

/* The files act/ writes: reclaim_v1.c, reclaim_v2.c (memory.high) and
 * wmark.c. memory.reclaim is not journaled (nothing to undo). */
static const char *const limit_files[] = {
	"memory.limit_in_bytes", "memory.high", "memory.wmark_ratio", "memory.wmark_scale_factor",
};

/* The knobs a knob record may name: what act/knob_write.c sets for the
 * guards (directory, name). Triggers (vm.compact_memory, a node's compact)
 * are not state and never journaled. */
static const char *const knobs[][2] = {
	{ "proc/sys/net/netfilter", "nf_conntrack_max" },
	{ "proc/sys/vm", "watermark_scale_factor" },
	{ "proc/sys/vm", "min_free_kbytes" },
	{ "proc/sys/vm", "compaction_proactiveness" },
};

static bool knob_pair_ok(const char *dir, const char *file)
{
	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		if (!strcmp(dir, knobs[i][0]) && !strcmp(file, knobs[i][1]))
			return true;
	return false;
}

bool journal_knob_ok(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return false;
	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		size_t dl = strlen(knobs[i][0]);
		if ((size_t)(slash - path) == dl && !strncmp(path, knobs[i][0], dl) &&
		    !strcmp(slash + 1, knobs[i][1]))
			return true;
	}
	return false;
}

int journal_knob_entry(struct journal_entry *e, const char *path, uint64_t orig, uint64_t wrote)
{
	const char *slash = strrchr(path, '/');

	memset(e, 0, sizeof(*e));
	if (!journal_knob_ok(path))
		return -EINVAL;
	e->kind = JOURNAL_KIND_KNOB;
	snprintf(e->cgroup, sizeof(e->cgroup), "%.*s", (int)(slash - path), path);
	snprintf(e->file, sizeof(e->file), "%s", slash + 1);
	if ((size_t)snprintf(e->orig, sizeof(e->orig), "%llu", (unsigned long long)orig) >= sizeof(e->orig) ||
	    (size_t)snprintf(e->lowered, sizeof(e->lowered), "%llu", (unsigned long long)wrote) >=
		    sizeof(e->lowered))
		return -E2BIG;
	return 0;
}

/* A plain decimal number and nothing else: what a knob record holds. */
static int decimal(const char *s, size_t len, uint64_t *out)
{
	size_t used;

	if (parse_u64(s, len, out, &used) || used != len)
		return -EINVAL;
	return 0;
}

static const char *knob_check(const struct journal_entry *e)
{
	uint64_t v;

	if (!knob_pair_ok(e->cgroup, e->file))
		return "not a knob the agent writes";
	if (e->dev || e->ino)
		return "a knob record carries no cgroup identity";
	if (decimal(e->orig, strlen(e->orig), &v) || decimal(e->lowered, strlen(e->lowered), &v))
		return "a knob value that is not a plain number";
	return NULL;
}

const char *journal_check(const struct journal_entry *e, const char *base)
{
	size_t bl = strlen(base);
	bool known = false;

	if (e->kind == JOURNAL_KIND_KNOB)
		return knob_check(e);
	if (e->kind != JOURNAL_KIND_CGROUP)
		return "unknown record kind";

	for (size_t i = 0; i < sizeof(limit_files) / sizeof(limit_files[0]); i++)
		known |= !strcmp(e->file, limit_files[i]);
	if (!known)
		return "not a limit file the agent writes";
	if (e->cgroup[0] == '/' || strstr(e->cgroup, "..") || strstr(e->cgroup, "//") ||
	    strstr(e->cgroup, "/./") || !strncmp(e->cgroup, "./", 2))
		return "not a plain cgroup path";
	if (bl && (strncmp(e->cgroup, base, bl) || (e->cgroup[bl] && e->cgroup[bl] != '/')))
		return "outside the configured cgroup_root";
	if (!e->ino)
		return "no cgroup identity";
	return NULL;
}

int journal_open(struct hr_journal *j, int dirfd, const char *name, const char *boot_id, bool sync)
{
	struct stat st;
	int rc;

	memset(j, 0, sizeof(*j));
	j->fd = -1;
	if (!boot_id[0] || strlen(boot_id) >= sizeof(j->boot_id))
		return -EINVAL;
	snprintf(j->boot_id, sizeof(j->boot_id), "%s", boot_id);
	j->sync = sync;
	int fd = openat(dirfd, name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		rc = -errno;
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = -EINVAL;
		goto fail;
	}
	if ((st.st_uid != 0 && st.st_uid != geteuid()) || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		rc = -EPERM;
		goto fail;
	}
	/* posix_fallocate returns the error (not -1 and errno). */
	rc = posix_fallocate(fd, 0, (off_t)JOURNAL_SLOTS * JOURNAL_SLOT_SIZE);
	if (rc == EOPNOTSUPP || rc == EINVAL)
		rc = ftruncate(fd, (off_t)JOURNAL_SLOTS * JOURNAL_SLOT_SIZE) ? errno : 0;
	if (rc) {
		rc = -rc;
		goto fail;
	}
	j->fd = fd;
	return 0;
fail:
	close(fd);
	return rc;
}

void journal_close(struct hr_journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
}

static int write_slot(struct hr_journal *j, int slot, const unsigned char *buf)
{
	ssize_t n;

	do
		n = pwrite(j->fd, buf, JOURNAL_SLOT_SIZE, (off_t)slot * JOURNAL_SLOT_SIZE);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n != JOURNAL_SLOT_SIZE)
		return -EIO;
	if (j->sync && fdatasync(j->fd))
		return -errno;
	return 0;
}

int journal_begin(struct hr_journal *j, const struct journal_entry *e)
{
	unsigned char buf[JOURNAL_SLOT_SIZE];
	int slot = -1, rc;

	if (j->fd < 0)
		return -EBADF;
	for (int i = 0; i < JOURNAL_SLOTS; i++)
		if (!j->active[i]) {
			slot = i;
			break;
		}
	if (slot < 0)
		return -ENOSPC;
	rc = journal_encode(e, j->seq + 1, j->boot_id, buf);
	if (rc)
		return rc;
	rc = write_slot(j, slot, buf);
	if (rc)
		return rc;
	j->seq++;
	j->active[slot] = true;
	j->open_entries++;
	return slot;
}

int journal_end(struct hr_journal *j, int slot)
{
	unsigned char buf[JOURNAL_SLOT_SIZE];
	int rc;

	if (slot < 0 || slot >= JOURNAL_SLOTS || j->fd < 0)
		return -EINVAL;
	memset(buf, 0, sizeof(buf));
	rc = write_slot(j, slot, buf);
	if (rc)
		return rc;
	if (j->active[slot]) {
		j->active[slot] = false;
		j->open_entries--;
	}
	return 0;
}

/* A plain number, or "max" / v1's unlimited value as MEMCG_NO_LIMIT: the
 * one spelling of "no limit" (snapshot/memcg.h). */
static int value_u64(const char *s, size_t len, uint64_t *out)
{
	return memcg_limit_parse(s, len, out);
}

static bool gone(int err)
{
	return err == -ENOENT || err == -ENODEV;
}

/* Writes s to the knob fd. A fixture tree's knob is a plain file on a
 * disk or tmpfs: truncated first, or a shorter value would leave the tail
 * of the longer one. procfs files are never truncated (they are not
 * files: the write is the whole value). */
static int knob_put(int fd, const char *s)
{
	struct statfs sf;
	size_t len = strlen(s);
	ssize_t n;

	if (fstatfs(fd, &sf))
		return -errno;
	if (sf.f_type != PROC_SUPER_MAGIC && sf.f_type != SYSFS_MAGIC && ftruncate(fd, 0))
		return -errno;
	do
		n = pwrite(fd, s, len, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int journal_knob_write(const struct hr_root *r, const char *path, uint64_t v)
{
	char s[JOURNAL_VAL_MAX];

	if (!journal_knob_ok(path))
		return -EINVAL;
	snprintf(s, sizeof(s), "%llu", (unsigned long long)v);
	int fd = root_openat_strict(r->fd, path, O_WRONLY);
	if (fd < 0)
		return fd;
	int rc = knob_put(fd, s);
	close(fd);
	return rc;
}

int journal_knob_read(const struct hr_root *r, const char *path, uint64_t *v)
{
	char cur[64];
	ssize_t n;

	if (!journal_knob_ok(path))
		return -EINVAL;
	int fd = root_openat_strict(r->fd, path, O_RDONLY);
	if (fd < 0)
		return fd;
	do
		n = pread(fd, cur, sizeof(cur) - 1, 0);
	while (n < 0 && errno == EINTR);
	int rc = n < 0 ? -errno : 0;
	close(fd);
	if (rc)
		return rc;
	if (n == (ssize_t)sizeof(cur) - 1)
		return -E2BIG;
	struct hr_span t = span_trim((struct hr_span){ cur, (size_t)n });
	return decimal(t.p, t.len, v);
}

/* journal_restore_slot for a knob record (already checked): back to orig
 * only if it still holds exactly what we wrote. */
static int restore_knob(const struct hr_root *r, const struct journal_scope *sc,
			const struct journal_entry *e, enum journal_outcome *o, const char **why)
{
	char path[JOURNAL_PATH_MAX + JOURNAL_FILE_MAX + 2];
	uint64_t vc, vo, vw;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", e->cgroup, e->file);
	decimal(e->orig, strlen(e->orig), &vo);
	decimal(e->lowered, strlen(e->lowered), &vw);
	rc = journal_knob_read(r, path, &vc);
	if (gone(rc)) {
		*o = JOURNAL_GONE;	/* the module is unloaded: the knob went with it */
		return 0;
	}
	if (rc == -ELOOP || rc == -EXDEV || rc == -ENOTDIR || rc == -EINVAL) {
		*o = rc == -EINVAL ? JOURNAL_CHANGED : JOURNAL_REFUSED;
		*why = rc == -EINVAL ? NULL : "a symlink or non-directory on the knob's path";
		return 0;
	}
	if (rc) {
		*o = JOURNAL_FAILED;
		return rc;
	}
	if (vc == vo) {
		*o = JOURNAL_ALREADY;
		return 0;
	}
	if (vc != vw) {
		*o = JOURNAL_CHANGED;
		return 0;
	}
	*o = JOURNAL_RESTORED;
	rc = sc->dry_run ? 0 : journal_knob_write(r, path, vo);
	if (gone(rc)) {
		*o = JOURNAL_GONE;
		return 0;
	}
	if (rc)
		*o = JOURNAL_FAILED;
	return rc;
}

int journal_restore_slot(struct hr_journal *j, const struct hr_root *r, const struct journal_scope *sc,
			 int slot, const struct journal_entry *e, enum journal_outcome *o,
			 const char **why)
{
	char cur[64];
	uint64_t vc, vo, vl;
	struct stat st;
	int dfd = -1, fd, rc = 0;
	ssize_t n;

	*why = journal_check(e, sc->base);
	if (*why) {
		*o = JOURNAL_REFUSED;
		goto end;
	}
	if (e->kind == JOURNAL_KIND_KNOB) {
		rc = restore_knob(r, sc, e, o, why);
		if (rc)
			return rc;	/* FAILED: the record stays for the next try */
		goto end;
	}
	dfd = root_openat_strict(r->fd, e->cgroup, O_PATH | O_DIRECTORY);
	if (gone(dfd)) {
		*o = JOURNAL_GONE;	/* cgroup removed since: nothing left to restore */
		goto end;
	}
	if (dfd == -ELOOP || dfd == -EXDEV || dfd == -ENOTDIR || dfd == -EINVAL) {
		*o = JOURNAL_REFUSED;
		*why = "a symlink or non-directory on the cgroup path";
		goto end;
	}
	if (dfd < 0) {
		*o = JOURNAL_FAILED;
		return dfd;
	}
	if (fstat(dfd, &st)) {
		rc = -errno;
		*o = JOURNAL_FAILED;
		close(dfd);
		return rc;
	}
	if ((uint64_t)st.st_dev != e->dev || (uint64_t)st.st_ino != e->ino) {
		*o = JOURNAL_REPLACED;
		goto end;
	}
	fd = root_openat_strict(dfd, e->file, O_RDONLY);
	if (fd < 0) {
		*o = gone(fd) ? JOURNAL_GONE : JOURNAL_REFUSED;
		*why = gone(fd) ? NULL : "the limit file is not a plain file";
		goto end;
	}
	n = pread(fd, cur, sizeof(cur) - 1, 0);
	rc = n < 0 ? -errno : 0;
	close(fd);
	if (gone(rc)) {
		*o = JOURNAL_GONE;
		rc = 0;
		goto end;
	}
	if (rc) {
		*o = JOURNAL_FAILED;
		close(dfd);
		return rc;
	}
	if (value_u64(cur, (size_t)n, &vc) || value_u64(e->orig, strlen(e->orig), &vo) ||
	    value_u64(e->lowered, strlen(e->lowered), &vl)) {
		*o = JOURNAL_CHANGED;
		goto end;
	}
	uint64_t lo = vo < vl ? vo : vl, hi = vo < vl ? vl : vo;
	if (vc == vo) {
		*o = JOURNAL_ALREADY;
	} else if (vc >= lo && vc <= hi) {
		*o = JOURNAL_RESTORED;
		rc = sc->dry_run ? 0 : root_write_strict(dfd, e->file, e->orig);
		if (gone(rc)) {
			*o = JOURNAL_GONE;
			rc = 0;
		} else if (rc) {
			*o = JOURNAL_FAILED;
			close(dfd);
			return rc;
		}
	} else {
		*o = JOURNAL_CHANGED;
	}
end:
	if (dfd >= 0)
		close(dfd);
	return sc->dry_run ? 0 : journal_end(j, slot);
}

int journal_retry_slot(struct hr_journal *j, const struct hr_root *r, const struct journal_scope *sc,
		       int slot, enum journal_outcome *o, const char **why)
{
	unsigned char buf[JOURNAL_SLOT_SIZE];
	char boot[JOURNAL_BOOT_MAX];
	struct journal_entry e;
	uint64_t seq;

	*why = NULL;
	*o = JOURNAL_GONE;
	if (slot < 0 || slot >= JOURNAL_SLOTS || j->fd < 0 || !j->active[slot])
		return -ENOENT;
	ssize_t n = pread(j->fd, buf, sizeof(buf), (off_t)slot * JOURNAL_SLOT_SIZE);
	if (n != (ssize_t)sizeof(buf) || journal_decode(buf, &e, &seq, boot) != 1) {
		*o = JOURNAL_REFUSED;
		*why = "slot unreadable";
		return journal_end(j, slot);
	}
	return journal_restore_slot(j, r, sc, slot, &e, o, why);
}

int journal_replay(struct hr_journal *j, const struct hr_root *r, const struct journal_scope *sc,
		   journal_report_fn report, void *arg, struct journal_counts *cnt)
{
	unsigned char buf[JOURNAL_SLOT_SIZE];
	char boot[JOURNAL_BOOT_MAX];
	struct journal_entry e;
	uint64_t seq;

	memset(cnt, 0, sizeof(*cnt));
	if (j->fd < 0)
		return -EBADF;
	for (int i = 0; i < JOURNAL_SLOTS; i++) {
		ssize_t n = pread(j->fd, buf, sizeof(buf), (off_t)i * JOURNAL_SLOT_SIZE);
		if (n < 0)
			return -errno;
		if (n < (ssize_t)sizeof(buf))
			memset(buf + (n > 0 ? n : 0), 0, sizeof(buf) - (size_t)(n > 0 ? n : 0));
		int d = journal_decode(buf, &e, &seq, boot);
		if (d == 0)
			continue;
		if (d > 0 && strcmp(boot, j->boot_id)) {
			d = -ESTALE;	/* written before a reboot: void */
			cnt->stale++;
		} else if (d < 0) {
			cnt->torn++;
		}
		if (d < 0) {
			if (!sc->dry_run) {
				j->active[i] = false;
				memset(buf, 0, sizeof(buf));
				write_slot(j, i, buf);
			}
			continue;
		}
		if (seq > j->seq)
			j->seq = seq;
		if (!j->active[i] && !sc->dry_run) {
			j->active[i] = true;
			j->open_entries++;
		}
		cnt->seen++;
		enum journal_outcome o;
		const char *why = NULL;
		int rc = journal_restore_slot(j, r, sc, i, &e, &o, &why);
		if (o == JOURNAL_REFUSED)
			cnt->refused++;
		if (report)
			report(arg, &e, o, rc, why);
	}
	return 0;
}
