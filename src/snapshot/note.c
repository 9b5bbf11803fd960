/* note.c - the "not read" list (note.h). */
#include "snapshot/note.h"

#include <stdio.h>

void note_vadd(struct hr_notes *ns, const char *path, int err, const char *what_fmt, va_list ap)
{
	if (ns->n == HR_NOTES_MAX) {
		ns->dropped++;
		return;
	}
	struct hr_note *n = &ns->items[ns->n++];

	snprintf(n->path, sizeof(n->path), "%s", path ? path : "");
	n->err = err < 0 ? -err : err;
	vsnprintf(n->what, sizeof(n->what), what_fmt, ap);
}

void note_add(struct hr_notes *ns, const char *path, int err, const char *what_fmt, ...)
{
	va_list ap;

	va_start(ap, what_fmt);
	note_vadd(ns, path, err, what_fmt, ap);
	va_end(ap);
}
