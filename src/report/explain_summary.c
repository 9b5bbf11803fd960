/* explain_summary.c - see explain_summary.h. */
#include "report/explain_summary.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "report/report.h"

void explain_summary_json(struct jsonw *w, const struct hr_explain *x, const size_t sev[3],
			  enum hr_severity worst, const struct hr_findings *notes, int rc)
{
	const struct hr_explain_stats *st = &x->st;

	jw_key(w, "kernel_seen");
	jw_str(w, x->kernel_seen[0] ? x->kernel_seen : NULL);
	jw_key(w, "worst");
	jw_str(w, severity_name(worst));
	jw_key(w, "exit_code");
	jw_i64(w, rc);
	jw_key(w, "counts");
	jw_obj_begin(w);
	for (int s = HR_SEV_OK; s <= HR_SEV_CRIT; s++) {
		jw_key(w, severity_name((enum hr_severity)s));
		jw_u64(w, sev[s]);
	}
	jw_obj_end(w);
	jw_key(w, "kinds");
	jw_obj_begin(w);
	for (int k = 0; k < HR_INC_NKINDS; k++) {
		jw_key(w, incident_kind_name((enum hr_incident_kind)k));
		jw_u64(w, st->incidents[k]);
	}
	jw_obj_end(w);
	jw_key(w, "input");
	jw_obj_begin(w);
	const struct {
		const char *key;
		uint64_t v;
	} in[] = {
		{ "bytes", st->bytes },
		{ "kernel_lines", st->kernel_lines },
		{ "lines_truncated", st->lines_truncated },
		{ "lost_records", st->lost_records },
		{ "evicted_open_reports", st->evicted },
		{ "hung_tasks_not_netstorage", st->hung_other },
	};
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		jw_key(w, in[i].key);
		jw_u64(w, in[i].v);
	}
	jw_obj_end(w);
	jw_key(w, "not_read");
	report_json_notes(w, notes);
	jw_key(w, "dropped_findings");
	jw_u64(w, 0);
}

void explain_summary_text(FILE *out, const struct hr_explain *x, const size_t sev[3],
			  const struct hr_findings *notes)
{
	const struct hr_explain_stats *st = &x->st;
	uint64_t total = 0;
	for (int k = 0; k < HR_INC_NKINDS; k++)
		total += st->incidents[k];
	for (size_t i = 0; i < notes->notes.n; i++) {
		const struct hr_note *n = &notes->notes.items[i];
		if (n->err == ENODATA)
			fprintf(out, "note  %s: %s\n", n->path, n->what);
		else
			fprintf(out, "note  %s: %s: %s\n", n->path, strerror(n->err), n->what);
	}
	if (st->lost_records)
		fprintf(out, "note  %" PRIu64 " kernel log records were overwritten before they could be read\n",
			st->lost_records);
	if (st->lines_truncated)
		fprintf(out, "note  %" PRIu64 " lines longer than %d bytes were cut\n", st->lines_truncated,
			EXPLAIN_LINE_MAX);
	if (st->evicted)
		fprintf(out, "note  %" PRIu64 " reports were closed early (more than %d open at once)\n",
			st->evicted, EXPLAIN_OPEN_MAX);
	fprintf(out, "explain: %" PRIu64 " incident%s", total, total == 1 ? "" : "s");
	const char *sep = " (";
	for (int k = 0; k < HR_INC_NKINDS; k++) {
		if (!st->incidents[k])
			continue;
		fprintf(out, "%s%" PRIu64 " %s", sep, st->incidents[k],
			incident_kind_name((enum hr_incident_kind)k));
		sep = ", ";
	}
	fprintf(out, "%s; %zu crit, %zu warn\n", total ? ")" : "", sev[HR_SEV_CRIT], sev[HR_SEV_WARN]);
}
