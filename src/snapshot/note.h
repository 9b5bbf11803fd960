/* note.h - what headroom could not read, so a report never pretends.
 *
 * A sampler in src/kernel/ that cannot read a file records a note and goes
 * on with what it has; the report lists every note. The type lives here,
 * below both kernel/ (which records notes) and detect/ (whose struct
 * hr_findings carries them to the report), so neither includes the other.
 *
 * Storage is the caller's fixed array; when it is full, further notes are
 * counted in `dropped`. Nothing here allocates, logs or does I/O.
 */
#ifndef HR_SNAPSHOT_NOTE_H
#define HR_SNAPSHOT_NOTE_H

#include <stdarg.h>
#include <stddef.h>

struct hr_note {
	char path[256];		/* relative to the root, or an area name */
	int err;		/* positive errno */
	char what[160];		/* consequence, e.g. "conntrack not checked" */
};

#define HR_NOTES_MAX 64

struct hr_notes {
	struct hr_note items[HR_NOTES_MAX];
	size_t n;
	size_t dropped;		/* notes that did not fit */
};

/* Appends a note; err is a positive or negative errno, what_fmt printf-style
 * (truncated to fit). A full list counts the note in ns->dropped. */
void note_add(struct hr_notes *ns, const char *path, int err, const char *what_fmt, ...)
	__attribute__((format(printf, 4, 5)));
void note_vadd(struct hr_notes *ns, const char *path, int err, const char *what_fmt,
	       va_list ap) __attribute__((format(printf, 4, 0)));

#endif
