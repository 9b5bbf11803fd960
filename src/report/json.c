/* json.c - the JSON form of findings (doc/json-schema.md). */
#include <string.h>

#include "report/report.h"

static void fact_value(struct jsonw *w, const struct hr_fact *x)
{
	switch (x->type) {
	case HR_FACT_U64: jw_u64(w, x->v.u); break;
	case HR_FACT_I64: jw_i64(w, x->v.i); break;
	case HR_FACT_F64: jw_f64(w, x->v.f); break;
	case HR_FACT_BOOL: jw_bool(w, x->v.b); break;
	case HR_FACT_STR: jw_str(w, x->s); break;
	case HR_FACT_NULL: jw_null(w); break;
	case HR_FACT_LIST:
		jw_arr_begin(w);
		for (size_t o = 0; o < x->slen; o += strlen(x->s + o) + 1)
			jw_str(w, x->s + o);
		jw_arr_end(w);
		break;
	}
}

void report_json_finding(struct jsonw *w, const struct hr_finding *f)
{
	jw_obj_begin(w);
	jw_kv_str(w, "id", f->id);
	if (f->kind[0]) {
		jw_kv_str(w, "kind", f->kind);
	}
	jw_kv_str(w, "severity", severity_name(f->severity));
	jw_kv_str(w, "subject", f->subject);
	jw_key(w, "facts");
	jw_obj_begin(w);
	for (size_t i = 0; i < f->nfacts; i++) {
		jw_key(w, f->facts[i].name);
		fact_value(w, &f->facts[i]);
	}
	jw_obj_end(w);
	if (f->facts_dropped) {
		jw_kv_u64(w, "facts_dropped", f->facts_dropped);
	}
	jw_kv_str(w, "explanation", f->explanation);
	jw_kv_str(w, "fix", f->fix);
	jw_obj_end(w);
}

void report_json_notes(struct jsonw *w, const struct hr_findings *fs)
{
	jw_arr_begin(w);
	for (size_t i = 0; i < fs->notes.n; i++) {
		const struct hr_note *n = &fs->notes.items[i];
		jw_obj_begin(w);
		jw_kv_str(w, "path", n->path);
		jw_kv_str(w, "error", strerror(n->err));
		jw_kv_i64(w, "errno", n->err);
		jw_kv_str(w, "consequence", n->what);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

void report_json_header(struct jsonw *w, const struct hr_report_meta *m)
{
	jw_kv_str(w, "schema", HR_SCHEMA);
	jw_kv_str(w, "command", m->command);
	jw_kv_str(w, "version", HR_VERSION);
	jw_kv_str(w, "root", m->root);
	jw_kv_str(w, "kernel", m->kernel);
}

void report_json(FILE *out, const struct hr_findings *fs,
		 const struct hr_report_meta *m)
{
	struct jsonw w;
	size_t count[3] = { 0 };

	for (size_t i = 0; i < fs->n; i++)
		count[fs->items[i].severity]++;
	jw_init(&w, out, true);
	jw_obj_begin(&w);
	report_json_header(&w, m);
	jw_key(&w, "interval_seconds");
	if (m->interval_seconds > 0)
		jw_f64(&w, m->interval_seconds);
	else
		jw_null(&w);
	jw_key(&w, "worst");
	jw_str(&w, severity_name(findings_worst(fs)));
	jw_key(&w, "exit_code");
	jw_i64(&w, m->exit_code);
	jw_key(&w, "counts");
	jw_obj_begin(&w);
	for (int s = HR_SEV_OK; s <= HR_SEV_CRIT; s++) {
		jw_key(&w, severity_name((enum hr_severity)s));
		jw_u64(&w, count[s]);
	}
	jw_obj_end(&w);
	jw_key(&w, "findings");
	jw_arr_begin(&w);
	for (size_t i = 0; i < fs->n; i++)
		report_json_finding(&w, &fs->items[i]);
	jw_arr_end(&w);
	jw_key(&w, "not_read");
	report_json_notes(&w, fs);
	jw_key(&w, "dropped_findings");
	jw_u64(&w, fs->dropped);
	jw_obj_end(&w);
	jw_finish(&w);
}

int report_exit_code(enum hr_severity worst)
{
	return (int)worst;
}
