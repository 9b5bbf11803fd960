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
 * Nothing here logs or allocates. Paths are relative to the hr_root the
 * caller passes (e.g. "sys/fs/cgroup/memory/app"), so a replay after a
 * config change still finds the cgroup.
 */
#ifndef HR_ACT_JOURNAL_H
#define HR_ACT_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/root.h"

#define JOURNAL_SLOTS 64
#define JOURNAL_SLOT_SIZE 512
#define JOURNAL_PATH_MAX 360
#define JOURNAL_BOOT_MAX 40
#define JOURNAL_FILE_MAX 40
#define JOURNAL_VAL_MAX 24

struct journal_entry {
	char cgroup[JOURNAL_PATH_MAX];	/* cgroup directory, root-relative */
	char file[JOURNAL_FILE_MAX];	/* "memory.limit_in_bytes" */
	char orig[JOURNAL_VAL_MAX];	/* value to restore, as the kernel printed it */
	char lowered[JOURNAL_VAL_MAX];	/* value the agent writes */
};

struct hr_journal {
	int fd;			/* -1 when closed */
	bool sync;		/* fdatasync each record (see journal_open) */
	char boot_id[JOURNAL_BOOT_MAX];	/* this boot; records of other boots are void */
	bool active[JOURNAL_SLOTS];
	uint64_t seq;		/* last sequence number written */
	unsigned open_entries;
};

/* Opens (creating, mode 0600) the journal file at path. The file is sized to
 * JOURNAL_SLOTS * JOURNAL_SLOT_SIZE. Returns 0 or -errno. Does not replay.
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
int journal_open(struct hr_journal *j, const char *path, const char *boot_id, bool sync);
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
};
typedef void (*journal_report_fn)(void *arg, const struct journal_entry *e,
				  enum journal_outcome o, int err);

/* Reads every slot; for each active, intact record restores the original
 * value below root r and clears the slot. Restoring is skipped when the
 * file's current value is outside [lowered, orig] (a third party changed it
 * after the crash; numbers are compared, "max" counts as 2^64-1). Torn slots
 * are counted in *torn and cleared, records of another boot too (*stale). report (optional) hears each record.
 * Returns the number of records seen, or -errno if the file is unreadable.
 * Writes the host (root_write). */
int journal_replay(struct hr_journal *j, const struct hr_root *r,
		   journal_report_fn report, void *arg, unsigned *torn, unsigned *stale);

/* Same decision as journal_replay but for one slot while running (used at
 * clean shutdown for records that are still open, e.g. watermark settings). */
int journal_restore_slot(struct hr_journal *j, const struct hr_root *r, int slot,
			 const struct journal_entry *e, enum journal_outcome *o);

/* Pure helpers, exposed for the unit tests. */
uint32_t journal_crc32(const void *buf, size_t len);
/* Encodes e into a JOURNAL_SLOT_SIZE buffer; -E2BIG if a field is too long. */
int journal_encode(const struct journal_entry *e, uint64_t seq, const char *boot_id,
		   unsigned char *slot);
/* Decodes a slot: 1 active and intact (e, *seq, boot[JOURNAL_BOOT_MAX]
 * filled), 0 free, -EBADMSG torn. */
int journal_decode(const unsigned char *slot, struct journal_entry *e, uint64_t *seq, char *boot);

#endif
