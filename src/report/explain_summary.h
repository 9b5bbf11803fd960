/* explain_summary.h - the end of an `explain` report: the JSON summary
 * keys (after "findings" in --json, in the --json-lines summary document)
 * and the text notes and "explain: N incidents (...)" line, from the
 * engine's counts (detect/incident.h). Writes only to what it is given.
 */
#ifndef HR_REPORT_EXPLAIN_SUMMARY_H
#define HR_REPORT_EXPLAIN_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#include "detect/finding.h"
#include "detect/incident.h"
#include "report/jsonw.h"

/* sev[] counts incidents by severity (HR_SEV_OK..HR_SEV_CRIT), worst is
 * the highest seen, rc the exit code the command returns. */
void explain_summary_json(struct jsonw *w, const struct hr_explain *x, const size_t sev[3],
			  enum hr_severity worst, const struct hr_findings *notes, int rc);

/* Notes (unread inputs, lost records, cut lines, early closes), then the
 * one-line count. */
void explain_summary_text(FILE *out, const struct hr_explain *x, const size_t sev[3],
			  const struct hr_findings *notes);

#endif
