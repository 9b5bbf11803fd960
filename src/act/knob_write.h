/* knob_write.h - the guards' writes of global knobs (sysctls), journaled.
 *
 * A guard holds a knob away from its original value for a while (a raised
 * nf_conntrack_max, a boosted vm.watermark_scale_factor) and gives it back
 * when the reason is gone or the agent stops. struct knob is that holding:
 * while it holds a value, one journal record (a knob record, journal.h)
 * says what the knob held before our first write and what we wrote last,
 * so a kill -9 at any instant is undone by journal_replay at the next
 * start, and only if the knob still holds our value.
 *
 * knob_set() moves the knob: the new record first (the old one is
 * cleared after the write, so between the two a crash leaves two records
 * and replay restores the original from whichever matches the knob), then
 * the write. Its way back to the original is knob_release(), which is
 * journal_restore_slot(): the original goes back only if the knob still
 * holds exactly what we wrote. A knob someone else changed while we held
 * it is theirs: the record is dropped, nothing is written (KNOB_TAKEN),
 * and the caller starts over from the new value.
 *
 * Dry run (observe) is the same path stopping at the first write: nothing
 * journaled, nothing written, *out KNOB_WOULD with the value.
 *
 * Triggers (vm.compact_memory, sys/devices/system/node/nodeN/compact) are
 * not state: nothing to undo, so not journaled; knob_trigger() writes "1"
 * at most once per min_interval_ns.
 *
 * The caller serialises use of the journal (the agent's journal_mu). No
 * logging, no allocation.
 */
#ifndef HR_ACT_KNOB_WRITE_H
#define HR_ACT_KNOB_WRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "act/journal.h"
#include "kernel/root.h"

struct knob {
	const char *path;	/* root-relative, journal_knob_ok(); static */
	int slot;		/* journal slot while a value is held, -1 none */
	uint64_t orig;		/* the knob before our first write (while held) */
	uint64_t wrote;		/* our last write (while held) */
};

enum knob_outcome {
	KNOB_NOOP,	/* the knob holds that value already */
	KNOB_WROTE,	/* written (record first) */
	KNOB_WOULD,	/* dry run: would write */
	KNOB_RESTORED,	/* the value asked was the original: given back, record cleared */
	KNOB_TAKEN,	/* someone else changed it while held: record dropped, nothing written */
};

void knob_init(struct knob *k, const char *path);
static inline bool knob_held(const struct knob *k) { return k->slot >= 0; }

/* Sets the knob to v. *old gets the value read before (the one to log as
 * old -> new). Returns 0 with *out, or -errno (read, journal_begin or the
 * write failed; a failed write clears its record and keeps the old one). */
int knob_set(struct hr_journal *j, const struct hr_root *r, struct knob *k, uint64_t v, bool dry_run,
	     enum knob_outcome *out, uint64_t *old);

/* Gives the original back if we hold the knob (journal_restore_slot with
 * the record in memory): *o says what happened (JOURNAL_GONE when nothing
 * was held). 0 or -errno; on JOURNAL_FAILED the record stays open and held. */
int knob_release(struct hr_journal *j, const struct hr_root *r, struct knob *k, enum journal_outcome *o,
		 const char **why);

/* True if path is a trigger knob_trigger() may write: proc/sys/vm/compact_memory,
 * sys/devices/system/node/node<N>/compact. Pure. */
bool knob_trigger_ok(const char *path);

/* Writes "1" to trigger path unless the last trigger (*last_ns, 0 never)
 * is less than min_interval_ns before now_ns: -EAGAIN then. dry_run: the
 * same checks and *last_ns update, no write. 0 or -errno. */
int knob_trigger(const struct hr_root *r, const char *path, bool dry_run, uint64_t now_ns,
		 uint64_t min_interval_ns, uint64_t *last_ns);

#endif
