/* report.h - findings to text for people and to JSON for machines.
 *
 * One schema family for every command (doc/json-schema.md): a document
 * {"schema": "headroom/1", "command": ..., "findings": [...], "not_read": [...]}
 * whose finding objects have the same shape in `check` and `explain`.
 * Writes to the given FILE only; no allocation.
 */
#ifndef HR_REPORT_REPORT_H
#define HR_REPORT_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "detect/finding.h"
#include "report/jsonw.h"

#define HR_SCHEMA "headroom/1"
#define HR_VERSION "0.1.0"

struct hr_report_meta {
	const char *command;		/* "check", "explain" */
	const char *root;		/* --root, NULL for none */
	const char *kernel;		/* uname -r of the root, NULL if unknown */
	double interval_seconds;	/* 0: single sample */
	int exit_code;
};

/* Human report: grouped by severity (crit, warn, ok), colour when asked. */
void report_text(FILE *out, const struct hr_findings *fs,
		 const struct hr_report_meta *m, bool colour, bool verbose);

/* One finding in the text form (used by report_text and by streaming
 * commands such as explain). */
void report_text_finding(FILE *out, const struct hr_finding *f, bool colour, bool verbose);

/* Whole JSON document. */
void report_json(FILE *out, const struct hr_findings *fs,
		 const struct hr_report_meta *m);

/* Pieces, for commands that stream (explain): one finding object. */
void report_json_finding(struct jsonw *w, const struct hr_finding *f);
/* The "not_read" array. */
void report_json_notes(struct jsonw *w, const struct hr_findings *fs);
/* Header keys (schema, command, version, root, kernel) into an open object. */
void report_json_header(struct jsonw *w, const struct hr_report_meta *m);

/* Exit code for a worst severity: 0 ok, 1 warn, 2 crit. */
int report_exit_code(enum hr_severity worst);

/* Text form of one fact value ("12345", "a|b", "true"); returns buf. */
const char *fact_format(const struct hr_fact *x, char *buf, size_t cap);

#endif
