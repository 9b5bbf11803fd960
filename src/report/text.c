/* text.c - the human report: worst first, evidence, why, and the fix. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"

const char *fact_format(const struct hr_fact *x, char *buf, size_t cap)
{
	switch (x->type) {
	case HR_FACT_U64: snprintf(buf, cap, "%" PRIu64, x->v.u); break;
	case HR_FACT_I64: snprintf(buf, cap, "%" PRId64, x->v.i); break;
	case HR_FACT_F64: snprintf(buf, cap, "%.4g", x->v.f); break;
	case HR_FACT_BOOL: snprintf(buf, cap, "%s", x->v.b ? "true" : "false"); break;
	case HR_FACT_STR: snprintf(buf, cap, "%s", x->s); break;
	case HR_FACT_NULL: snprintf(buf, cap, "unknown"); break;
	case HR_FACT_LIST: {
		size_t used = 0;
		buf[0] = '\0';
		for (size_t o = 0; o < x->slen && used + 1 < cap; o += strlen(x->s + o) + 1)
			used += (size_t)snprintf(buf + used, cap - used, "%s%s",
						 o ? "|" : "", x->s + o);
		break;
	}
	}
	return buf;
}

/* Kernel text in subjects, facts and notes (interface names may hold any
 * byte but '/', ':', whitespace and NUL; paths and cgroup names likewise)
 * is printed with control bytes as '?', so a report cannot drive the
 * terminal. Returns the number of bytes printed. */
static int put_clean(FILE *out, const char *s)
{
	int n = 0;

	for (; *s; s++, n++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, out);
	return n;
}

/* Prints text indented, keeping its newlines; prose (wrap true) is also
 * wrapped at ~96 columns on spaces. A fix block is never wrapped: each of
 * its lines is a command or a comment to paste, and a wrapped tail would
 * become a command of its own. Non-printable bytes of kernel text are shown
 * as '?' so a log cannot drive the terminal. */
static void block(FILE *out, const char *label, const char *text, bool wrap)
{
	if (!text[0])
		return;
	fprintf(out, "      %-5s ", label);
	int col = 12;
	for (const char *p = text; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\n') {
			if (p[1])
				fputs("\n            ", out);
			col = 12;
			continue;
		}
		if (wrap && c == ' ' && col > 96) {
			fputs("\n            ", out);
			col = 12;
			continue;
		}
		fputc(c < 0x20 || c == 0x7f ? '?' : c, out);
		col++;
	}
	fputc('\n', out);
}

void report_text_finding(FILE *out, const struct hr_finding *f, bool colour, bool verbose)
{
	static const char *const col[] = { "\033[32m", "\033[33m", "\033[1;31m" };
	static const char *const tag[] = { "OK  ", "WARN", "CRIT" };
	char buf[HR_FACT_STR_MAX * 2];
	int s = (int)f->severity;

	fprintf(out, "%s%s%s  %s  ", colour ? col[s] : "", tag[s],
		colour ? "\033[0m" : "", f->id);
	put_clean(out, f->subject);
	fputc('\n', out);
	if (s == HR_SEV_OK && !verbose)
		return;
	if (f->nfacts) {
		fputs("      facts ", out);
		int c = 12;
		for (size_t k = 0; k < f->nfacts; k++) {
			fact_format(&f->facts[k], buf, sizeof(buf));
			int w = (int)(strlen(f->facts[k].name) + strlen(buf) + 2);
			if (c + w > 100 && c > 12) {
				fputs("\n            ", out);
				c = 12;
			}
			c += put_clean(out, f->facts[k].name) + 1;
			fputc('=', out);
			c += put_clean(out, buf) + 1;
			fputc(' ', out);
		}
		fputc('\n', out);
	}
	if (f->facts_dropped)
		fprintf(out, "      note  %zu more facts did not fit and were dropped\n",
			f->facts_dropped);
	block(out, "why", f->explanation, true);
	block(out, "fix", f->fix, false);
}

void report_text(FILE *out, const struct hr_findings *fs,
		 const struct hr_report_meta *m, bool colour, bool verbose)
{
	size_t count[3] = { 0 };

	for (size_t i = 0; i < fs->n; i++)
		count[fs->items[i].severity]++;
	for (int s = HR_SEV_CRIT; s >= HR_SEV_OK; s--) {
		for (size_t i = 0; i < fs->n; i++) {
			if ((int)fs->items[i].severity == s)
				report_text_finding(out, &fs->items[i], colour, verbose);
		}
	}
	for (size_t i = 0; i < fs->notes.n; i++) {
		fputs("note  not read: ", out);
		put_clean(out, fs->notes.items[i].path);
		fprintf(out, ": %s (", strerror(fs->notes.items[i].err));
		put_clean(out, fs->notes.items[i].what);
		fputs(")\n", out);
	}
	if (fs->dropped)
		fprintf(out, "note  %zu findings did not fit and were dropped\n", fs->dropped);
	fprintf(out, "%s: %zu crit, %zu warn, %zu ok", m->command,
		count[HR_SEV_CRIT], count[HR_SEV_WARN], count[HR_SEV_OK]);
	if (m->root)
		fprintf(out, " (root %s)", m->root);
	fputc('\n', out);
}
