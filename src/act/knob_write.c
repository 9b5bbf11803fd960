/* knob_write.c - see knob_write.h. */
#define _GNU_SOURCE
#include "act/knob_write.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void knob_init(struct knob *k, const char *path)
{
	memset(k, 0, sizeof(*k));
	k->path = path;
	k->slot = -1;
}

int knob_release(struct hr_journal *j, const struct hr_root *r, struct knob *k, enum journal_outcome *o,
		 const char **why)
{
	static const struct journal_scope sc = { .base = "", .dry_run = false };
	struct journal_entry e;
	int rc;

	*o = JOURNAL_GONE;
	*why = NULL;
	if (!knob_held(k))
		return 0;
	rc = journal_knob_entry(&e, k->path, k->orig, k->wrote);
	if (rc)
		return rc;
	rc = journal_restore_slot(j, r, &sc, k->slot, &e, o, why);
	if (*o != JOURNAL_FAILED)
		k->slot = -1;	/* the slot is cleared whatever else happened */
	return rc;
}

int knob_set(struct hr_journal *j, const struct hr_root *r, struct knob *k, uint64_t v, bool dry_run,
	     enum knob_outcome *out, uint64_t *old)
{
	struct journal_entry e;
	uint64_t cur;
	int rc;

	*out = KNOB_NOOP;
	rc = journal_knob_read(r, k->path, &cur);
	if (rc)
		return rc;
	*old = cur;
	if (knob_held(k) && cur != k->wrote) {
		/* Someone else's value now: theirs wins, our record must not
		 * restore over it. */
		rc = journal_end(j, k->slot);
		if (rc)
			return rc;
		k->slot = -1;
		*out = KNOB_TAKEN;
		return 0;
	}
	if (v == cur)
		return 0;
	if (knob_held(k) && v == k->orig) {
		enum journal_outcome o;
		const char *why;
		rc = knob_release(j, r, k, &o, &why);
		if (rc)
			return rc;
		*out = o == JOURNAL_RESTORED ? KNOB_RESTORED : KNOB_TAKEN;
		return 0;
	}
	uint64_t orig = knob_held(k) ? k->orig : cur;
	if (dry_run) {
		*out = KNOB_WOULD;
		return 0;
	}
	rc = journal_knob_entry(&e, k->path, orig, v);
	if (rc)
		return rc;
	int ns = journal_begin(j, &e);
	if (ns < 0)
		return ns;
	rc = journal_knob_write(r, k->path, v);
	if (rc) {
		journal_end(j, ns);	/* never written: the old record still holds */
		return rc;
	}
	if (knob_held(k))
		journal_end(j, k->slot);	/* a failure leaves a record replay sees as CHANGED */
	k->slot = ns;
	k->orig = orig;
	k->wrote = v;
	*out = KNOB_WROTE;
	return 0;
}

bool knob_trigger_ok(const char *path)
{
	static const char node[] = "sys/devices/system/node/node";
	size_t nl = sizeof(node) - 1, i;

	if (!strcmp(path, "proc/sys/vm/compact_memory"))
		return true;
	if (strncmp(path, node, nl))
		return false;
	for (i = nl; path[i] >= '0' && path[i] <= '9'; i++)
		;
	return i > nl && i - nl <= 4 && !strcmp(path + i, "/compact");
}

int knob_trigger(const struct hr_root *r, const char *path, bool dry_run, uint64_t now_ns,
		 uint64_t min_interval_ns, uint64_t *last_ns)
{
	if (!knob_trigger_ok(path))
		return -EINVAL;
	if (*last_ns && now_ns - *last_ns < min_interval_ns)
		return -EAGAIN;
	*last_ns = now_ns;
	return dry_run ? 0 : root_write_strict(r->fd, path, "1");
}
