/* journal.h - undo records for every host write the agent makes.
 *
 * Before the agent lowers a limit (or changes any other persistent cgroup
 * setting) it records, in a fixed-slot file, which file of which cgroup it
 * is about to change, the original value and the new value, and fsyncs the
 * record. Only then does it write the host. When the original value is back
 * in place the slot is cleared. A `kill -9` at any instant therefore leaves
 * either no record (nothing was changed yet) or a record whose original
 * value the next start writes back (journal_replay).
 *
 * File layout: JOURNAL_SLOTS slots of JOURNAL_SLOT_SIZE bytes each. A slot is
 * active when its magic is right, its state is JOURNAL_ACTIVE and its CRC32
 * covers the slot. A torn slot (crash in the middle of the pwrite) fails the
 * CRC and is ignored: the host write it announced was never made, because it
 * is made only after the record's fsync returned.
 *
 * A record is a request from the past, and whoever could write the file
 * could have forged it, so replay checks it like one from a stranger: a slot
 * must be canonical (decode then encode gives the same bytes), the file must
 * be one of the limit files act/ writes (journal_file_ok), the cgroup must
 * lie below the configured cgroup root, every path component is opened
 * without following symlinks (root_openat_strict), and the cgroup directory
 * must still be the one recorded (st_dev and st_ino: a new cgroup created
 * later under the same path is not the one we lowered).
 *
 * A second kind of record, JOURNAL_KIND_KNOB, holds a global knob the
 * guards set (a sysctl: journal_knob_ok() lists the four). Its cgroup field
 * is the knob's directory ("proc/sys/vm"), its file the knob's name, its
 * identity 0 (a sysctl has none worth recording: it lives as long as the
 * kernel, and records of another boot are void anyway), orig and lowered
 * plain decimal numbers: what the knob held and what we wrote. Replay
 * checks it as strictly: canonical, whitelisted (directory and name as one
 * pair), opened without following symlinks below the root, and written back
 * only if the knob still holds exactly what we wrote (no range: a knob may
 * be raised or lowered, and any other value is someone else's).
 * On disk the kind is the slot's state word (1 cgroup, 2 knob), so a
 * journal written before knob records existed replays unchanged; an older
 * agent reads a knob slot as torn and clears it (a downgrade loses the
 * restore of a knob left by a killed newer agent: restore it by hand).
 *
 * Nothing here logs or allocates. Paths are relative to the hr_root the
 * caller passes (e.g. "sys/fs/cgroup/memory/app").
 */
#ifndef HR_ACT_JOURNAL_H
#define HR_ACT_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/root.h"

#define JOURNAL_SLOTS 64
#define JOURNAL_SLOT_SIZE 512
#define JOURNAL_PATH_MAX 344
#define JOURNAL_BOOT_MAX 40
#define JOURNAL_FILE_MAX 40
#define JOURNAL_VAL_MAX 24

enum journal_kind {
	JOURNAL_KIND_CGROUP,	/* a cgroup limit file (0: memset gives it) */
	JOURNAL_KIND_KNOB,	/* a global sysctl (journal_knob_ok) */
};

struct journal_entry {
	enum journal_kind kind;
	uint64_t dev, ino;		/* the cgroup directory's st_dev, st_ino */
	char cgroup[JOURNAL_PATH_MAX];	/* cgroup directory, root-relative */
	char file[JOURNAL_FILE_MAX];	/* "memory.limit_in_bytes" */
	char orig[JOURNAL_VAL_MAX];	/* value to restore, as the kernel printed it */
	char lowered[JOURNAL_VAL_MAX];	/* value the agent writes (knob: raised or lowered) */
};

struct hr_journal {
	int fd;			/* -1 when closed */
	bool sync;		/* fdatasync each record (see journal_open) */
	char boot_id[JOURNAL_BOOT_MAX];	/* this boot; records of other boots are void */
	bool active[JOURNAL_SLOTS];
	uint64_t seq;		/* last sequence number written */
	unsigned open_entries;
};

/* Opens (creating, mode 0600) the journal file name in the directory dirfd,
 * without following a symlink and without blocking on a FIFO. The file must
 * be a regular file owned by root or by the calling user and writable by
 * neither group nor others (-EPERM otherwise: whoever can write it can make
 * replay write limits). Its blocks are allocated now (posix_fallocate of
 * JOURNAL_SLOTS * JOURNAL_SLOT_SIZE), so a full file system fails here, at
 * start, and never in the middle of a squeeze. Returns 0 or -errno (-ENOSPC
 * for a full file system). Does not replay.
 *
 * boot_id (/proc/sys/kernel/random/boot_id) is stored in every record:
 * cgroups do not survive a reboot, so a record from another boot must never
 * be replayed (a new cgroup with the same path is not the one we lowered).
 * That also decides durability: a record must survive the death of the
 * process (kill -9), which a pwrite does (the page cache outlives us); it need
 * not survive a power loss, after which it would be void anyway. sync=true
 * adds fdatasync per record for those who want it anyway; on a disk-backed
 * run_dir it costs 0.3-1.5 ms per record (measured on ext4/virtio here), which
 * lands inside the reaction time. */
int journal_open(struct hr_journal *j, int dirfd, const char *name, const char *boot_id, bool sync);
void journal_close(struct hr_journal *j);

/* Records e in a free slot (and fdatasyncs it when sync). Returns the slot index
 * (>= 0), -ENOSPC if every slot is active, -E2BIG if a field does not fit,
 * or the -errno of pwrite/fdatasync. The host write may follow only on
 * success. */
int journal_begin(struct hr_journal *j, const struct journal_entry *e);

/* Clears slot (after the original value is back). Returns 0 or -errno. */
int journal_end(struct hr_journal *j, int slot);

/* Outcome of restoring one record, for the caller's log line. */
enum journal_outcome {
	JOURNAL_RESTORED,	/* original value written back */
	JOURNAL_ALREADY,	/* file already held the original value */
	JOURNAL_CHANGED,	/* someone else changed the value since: left alone */
	JOURNAL_GONE,		/* cgroup removed: nothing to restore */
	JOURNAL_FAILED,		/* write failed: record kept for the next try */
	JOURNAL_REPLACED,	/* the path is another cgroup now (other inode): left alone */
	JOURNAL_REFUSED,	/* not a record the agent writes: refused, cleared */
};
typedef void (*journal_report_fn)(void *arg, const struct journal_entry *e,
				  enum journal_outcome o, int err, const char *why);

/* Where replay may write and whether it may. */
struct journal_scope {
	const char *base;	/* root-relative cgroup root; "" = the whole root */
	bool dry_run;		/* decide and report, write nothing, clear nothing */
};

struct journal_counts {
	unsigned seen, torn, stale, refused;
};

/* Reads every slot; for each active, canonical record that passes the checks
 * above, restores the original value below root r and clears the slot.
 * Restoring is skipped when the file's current value is outside
 * [lowered, orig] (a third party changed it after the crash; numbers are
 * compared, "max" counts as 2^64-1); for a knob record, when it is not
 * exactly lowered (the value we wrote). Torn and non-canonical slots are
 * counted in torn and cleared, records of another boot too (stale), records
 * that fail the checks too (refused). With dry_run nothing is written or
 * cleared: report hears what would happen. report (optional) hears each
 * record; why (may be NULL) says why a record was refused.
 * Returns 0 or -errno if the file is unreadable. Writes the host
 * (root_write_strict). */
int journal_replay(struct hr_journal *j, const struct hr_root *r, const struct journal_scope *sc,
		   journal_report_fn report, void *arg, struct journal_counts *n);

/* Same decision as journal_replay but for one slot while running (used at
 * clean shutdown for records that are still open, e.g. watermark settings,
 * and for a restore that failed during a round). *why as in report. */
int journal_restore_slot(struct hr_journal *j, const struct hr_root *r, const struct journal_scope *sc,
			 int slot, const struct journal_entry *e, enum journal_outcome *o,
			 const char **why);

/* Reads slot back from the file and restores it as journal_restore_slot.
 * -ENOENT (and *o JOURNAL_GONE) if the slot is no longer active. */
int journal_retry_slot(struct hr_journal *j, const struct hr_root *r, const struct journal_scope *sc,
		       int slot, enum journal_outcome *o, const char **why);

/* NULL if e names a file act/ writes, in a cgroup below base, with an
 * identity (a knob: a whitelisted knob, no identity, decimal values; base
 * does not apply); else a static reason ("not a limit file", ...). Pure. */
const char *journal_check(const struct journal_entry *e, const char *base);

/* True if path ("proc/sys/vm/min_free_kbytes", root-relative) is one of
 * the knobs a knob record may hold: proc/sys/net/netfilter/nf_conntrack_max,
 * proc/sys/vm/watermark_scale_factor, proc/sys/vm/min_free_kbytes,
 * proc/sys/vm/compaction_proactiveness. Pure. */
bool journal_knob_ok(const char *path);

/* Fills *e as a knob record of path (journal_knob_ok) with the value it
 * held and the one we write. 0, -EINVAL for a knob not on the list, -E2BIG
 * if a value does not fit. Pure. */
int journal_knob_entry(struct journal_entry *e, const char *path, uint64_t orig, uint64_t wrote);

/* The one reader and writer of a whitelisted knob below root r, opened as
 * every host write is (root_openat_strict: no symlink, no ".."): the value
 * as a plain decimal number (-EINVAL for anything else, -EINVAL too for a
 * path not on the list), or v written in decimal (a fixture tree's plain
 * file is truncated first; procfs never). 0 or -errno. The write is the
 * caller's to journal first (act/knob_write.h does). */
int journal_knob_read(const struct hr_root *r, const char *path, uint64_t *v);
int journal_knob_write(const struct hr_root *r, const char *path, uint64_t v);

/* Pure helpers, exposed for the unit tests. */
uint32_t journal_crc32(const void *buf, size_t len);
/* Encodes e into a JOURNAL_SLOT_SIZE buffer; -E2BIG if a field is too long. */
int journal_encode(const struct journal_entry *e, uint64_t seq, const char *boot_id,
		   unsigned char *slot);
/* Decodes a slot: 1 active, intact and canonical (e, *seq,
 * boot[JOURNAL_BOOT_MAX] filled), 0 free, -EBADMSG torn or not exactly
 * what journal_encode writes (bytes after a string's NUL, in the padding). */
int journal_decode(const unsigned char *slot, struct journal_entry *e, uint64_t *seq, char *boot);

#endif
