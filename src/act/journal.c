/* journal.c - see journal.h. */
#define _GNU_SOURCE
#include "act/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/parse.h"

#define MAGIC 0x314a5248u	/* "HRJ1" little-endian */
#define STATE_ACTIVE 1u
/* Slot layout (little-endian host order; the file never leaves the host). */
#define OFF_MAGIC 0
#define OFF_STATE 4
#define OFF_SEQ 8
#define OFF_CGROUP 16
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
	if (put_str(slot, OFF_CGROUP, JOURNAL_PATH_MAX, e->cgroup) ||
	    put_str(slot, OFF_FILE, JOURNAL_FILE_MAX, e->file) ||
	    put_str(slot, OFF_ORIG, JOURNAL_VAL_MAX, e->orig) ||
	    put_str(slot, OFF_LOWERED, JOURNAL_VAL_MAX, e->lowered) ||
	    put_str(slot, OFF_BOOT, JOURNAL_BOOT_MAX, boot_id))
		return -E2BIG;
	v = MAGIC;
	memcpy(slot + OFF_MAGIC, &v, 4);
	v = STATE_ACTIVE;
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
	uint32_t magic, state, crc;

	if (all_zero(slot, JOURNAL_SLOT_SIZE))
		return 0;
	memcpy(&magic, slot + OFF_MAGIC, 4);
	memcpy(&state, slot + OFF_STATE, 4);
	memcpy(&crc, slot + OFF_CRC, 4);
	if (magic != MAGIC || state != STATE_ACTIVE || crc != journal_crc32(slot, OFF_CRC))
		return -EBADMSG;
	if (get_str(slot, OFF_CGROUP, JOURNAL_PATH_MAX, e->cgroup) ||
	    get_str(slot, OFF_FILE, JOURNAL_FILE_MAX, e->file) ||
	    get_str(slot, OFF_ORIG, JOURNAL_VAL_MAX, e->orig) ||
	    get_str(slot, OFF_LOWERED, JOURNAL_VAL_MAX, e->lowered) ||
	    get_str(slot, OFF_BOOT, JOURNAL_BOOT_MAX, boot))
		return -EBADMSG;
	/* A record that could escape the root is not ours to replay. */
	if (e->cgroup[0] == '/' || strstr(e->cgroup, "..") || strchr(e->file, '/'))
		return -EBADMSG;
	memcpy(seq, slot + OFF_SEQ, 8);
	return 1;
}

int journal_open(struct hr_journal *j, const char *path, const char *boot_id, bool sync)
{
	struct stat st;

	memset(j, 0, sizeof(*j));
	if (!boot_id[0] || strlen(boot_id) >= sizeof(j->boot_id))
		return -EINVAL;
	snprintf(j->boot_id, sizeof(j->boot_id), "%s", boot_id);
	j->sync = sync;
	j->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (j->fd < 0)
		return -errno;
	if (fstat(j->fd, &st) || !S_ISREG(st.st_mode)) {
		int e = S_ISREG(st.st_mode) ? errno : EINVAL;
		close(j->fd);
		j->fd = -1;
		return -e;
	}
	if (st.st_size < (off_t)JOURNAL_SLOTS * JOURNAL_SLOT_SIZE &&
	    ftruncate(j->fd, (off_t)JOURNAL_SLOTS * JOURNAL_SLOT_SIZE)) {
		int e = errno;
		close(j->fd);
		j->fd = -1;
		return -e;
	}
	return 0;
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

/* "max" (cgroup v2) is infinity; anything else must be a plain number. */
static int value_u64(const char *s, size_t len, uint64_t *out)
{
	struct hr_span sp = span_trim((struct hr_span){ s, len });

	if (span_eq(sp, "max")) {
		*out = UINT64_MAX;
		return 0;
	}
	return parse_u64_field(sp, out);
}

int journal_restore_slot(struct hr_journal *j, const struct hr_root *r, int slot,
			 const struct journal_entry *e, enum journal_outcome *o)
{
	char rel[JOURNAL_PATH_MAX + JOURNAL_FILE_MAX + 2];
	char cur[64];
	uint64_t vc, vo, vl;
	long n;
	int rc;

	snprintf(rel, sizeof(rel), "%s/%s", e->cgroup, e->file);
	n = root_read(r, rel, cur, sizeof(cur));
	if (n == -ENOENT || n == -ENODEV) {
		*o = JOURNAL_GONE;	/* cgroup removed since: nothing left to restore */
		return journal_end(j, slot);
	}
	if (n < 0) {
		*o = JOURNAL_FAILED;
		return (int)n;
	}
	if (value_u64(cur, (size_t)n, &vc) || value_u64(e->orig, strlen(e->orig), &vo) ||
	    value_u64(e->lowered, strlen(e->lowered), &vl)) {
		*o = JOURNAL_CHANGED;
		return journal_end(j, slot);
	}
	uint64_t lo = vo < vl ? vo : vl, hi = vo < vl ? vl : vo;
	if (vc == vo) {
		*o = JOURNAL_ALREADY;
	} else if (vc >= lo && vc <= hi) {
		rc = root_write(r, rel, e->orig);
		if (rc == -ENOENT || rc == -ENODEV) {
			*o = JOURNAL_GONE;
		} else if (rc) {
			*o = JOURNAL_FAILED;
			return rc;
		} else {
			*o = JOURNAL_RESTORED;
		}
	} else {
		*o = JOURNAL_CHANGED;
	}
	return journal_end(j, slot);
}

int journal_replay(struct hr_journal *j, const struct hr_root *r,
		   journal_report_fn report, void *arg, unsigned *torn, unsigned *stale)
{
	unsigned char buf[JOURNAL_SLOT_SIZE];
	char boot[JOURNAL_BOOT_MAX];
	struct journal_entry e;
	uint64_t seq;
	int seen = 0;

	*torn = *stale = 0;
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
			(*stale)++;
		} else if (d < 0) {
			(*torn)++;
		}
		if (d < 0) {
			j->active[i] = false;
			memset(buf, 0, sizeof(buf));
			write_slot(j, i, buf);
			continue;
		}
		if (seq > j->seq)
			j->seq = seq;
		if (!j->active[i]) {
			j->active[i] = true;
			j->open_entries++;
		}
		seen++;
		enum journal_outcome o;
		int rc = journal_restore_slot(j, r, i, &e, &o);
		if (report)
			report(arg, &e, o, rc);
	}
	return seen;
}
