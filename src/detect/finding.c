/* finding.c - see finding.h. */
#include "detect/finding.h"

#include "util/shquote.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hr_findings_init(struct hr_findings *fs, struct hr_finding *items, size_t cap)
{
	memset(fs, 0, sizeof(*fs));
	fs->items = items;
	fs->cap = cap;
}

void hr_findings_reset(struct hr_findings *fs)
{
	fs->n = fs->dropped = 0;
	fs->notes.n = fs->notes.dropped = 0;
}

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

struct hr_finding *finding_add(struct hr_findings *fs, const char *id,
			       enum hr_severity sev, const char *subject_fmt, ...)
{
	if (fs->n == fs->cap) {
		fs->dropped++;
		return NULL;
	}
	struct hr_finding *f = &fs->items[fs->n++];
	va_list ap;

	f->kind[0] = f->explanation[0] = f->fix[0] = '\0';
	f->nfacts = f->facts_dropped = 0;
	copy(f->id, sizeof(f->id), id);
	f->severity = sev;
	va_start(ap, subject_fmt);
	vsnprintf(f->subject, sizeof(f->subject), subject_fmt, ap);
	va_end(ap);
	return f;
}

static struct hr_fact *fact_new(struct hr_finding *f, const char *name,
				enum hr_fact_type t)
{
	if (!f)
		return NULL;
	if (f->nfacts == HR_FACTS_MAX) {
		f->facts_dropped++;
		return NULL;
	}
	struct hr_fact *x = &f->facts[f->nfacts++];
	copy(x->name, sizeof(x->name), name);
	x->type = t;
	x->slen = 0;
	x->s[0] = '\0';
	return x;
}

void fact_u64(struct hr_finding *f, const char *name, uint64_t v)
{
	struct hr_fact *x = fact_new(f, name, HR_FACT_U64);
	if (x)
		x->v.u = v;
}

void fact_i64(struct hr_finding *f, const char *name, int64_t v)
{
	struct hr_fact *x = fact_new(f, name, HR_FACT_I64);
	if (x)
		x->v.i = v;
}

void fact_f64(struct hr_finding *f, const char *name, double v)
{
	struct hr_fact *x = fact_new(f, name, HR_FACT_F64);
	if (x)
		x->v.f = v;
}

void fact_bool(struct hr_finding *f, const char *name, bool v)
{
	struct hr_fact *x = fact_new(f, name, HR_FACT_BOOL);
	if (x)
		x->v.b = v;
}

void fact_str(struct hr_finding *f, const char *name, const char *v)
{
	struct hr_fact *x = fact_new(f, name, HR_FACT_STR);
	if (x) {
		copy(x->s, sizeof(x->s), v);
		x->slen = strlen(x->s);
	}
}

void fact_null(struct hr_finding *f, const char *name)
{
	fact_new(f, name, HR_FACT_NULL);
}

const struct hr_fact *finding_fact(const struct hr_finding *f, const char *name)
{
	for (size_t i = 0; f && i < f->nfacts; i++)
		if (strcmp(f->facts[i].name, name) == 0)
			return &f->facts[i];
	return NULL;
}

void fact_list_add(struct hr_finding *f, const char *name, const char *item)
{
	struct hr_fact *x = (struct hr_fact *)finding_fact(f, name);

	if (!x)
		x = fact_new(f, name, HR_FACT_LIST);
	if (!x || x->type != HR_FACT_LIST)
		return;
	size_t n = strlen(item);
	if (x->slen + n + 1 > sizeof(x->s)) {
		f->facts_dropped++;	/* full: keep the items that fit, count the rest */
		return;
	}
	memcpy(x->s + x->slen, item, n + 1);
	x->slen += n + 1;
}

__attribute__((format(printf, 3, 0)))
static void vappend(char *dst, size_t cap, const char *fmt, va_list ap)
{
	size_t used = strlen(dst);
	if (used + 1 < cap)
		vsnprintf(dst + used, cap - used, fmt, ap);
}

void finding_explain(struct hr_finding *f, const char *fmt, ...)
{
	va_list ap;
	if (!f)
		return;
	va_start(ap, fmt);
	vappend(f->explanation, sizeof(f->explanation), fmt, ap);
	va_end(ap);
}

void finding_fix(struct hr_finding *f, const char *fmt, ...)
{
	va_list ap;
	if (!f)
		return;
	va_start(ap, fmt);
	vappend(f->fix, sizeof(f->fix), fmt, ap);
	va_end(ap);
}

/* Appends prefix + text + newline to f->fix only if all of it fits. */
static void fix_line(struct hr_finding *f, const char *prefix, const char *text)
{
	size_t used = strlen(f->fix), np = strlen(prefix), nt = strlen(text);
	static const char cut[] = "# ... (fix cut: longer than the report holds)\n";

	if (used + np + nt + 1 < sizeof(f->fix)) {
		char *d = f->fix + used;
		memcpy(d, prefix, np);
		for (size_t i = 0; i < nt; i++)
			d[np + i] = (unsigned char)text[i] < 0x20 || text[i] == 0x7f ? '?' : text[i];
		d[np + nt] = '\n';
		d[np + nt + 1] = '\0';
	} else if (used + sizeof(cut) <= sizeof(f->fix) && !strstr(f->fix, cut)) {
		memcpy(f->fix + used, cut, sizeof(cut));
	}
}

__attribute__((format(printf, 3, 0)))
static void vfix_line(struct hr_finding *f, const char *prefix, const char *fmt, va_list ap)
{
	char line[HR_TEXT_MAX];

	vsnprintf(line, sizeof(line), fmt, ap);
	fix_line(f, prefix, line);
}

void finding_fix_cmd(struct hr_finding *f, const char *fmt, ...)
{
	va_list ap;

	if (!f)
		return;
	va_start(ap, fmt);
	vfix_line(f, "", fmt, ap);
	va_end(ap);
}

void finding_fix_comment(struct hr_finding *f, const char *fmt, ...)
{
	va_list ap;

	if (!f)
		return;
	va_start(ap, fmt);
	vfix_line(f, "# ", fmt, ap);
	va_end(ap);
}

void finding_fix_persist(struct hr_finding *f, const char *file,
			 const char *const *lines, size_t n)
{
	char line[HR_TEXT_MAX], q[HR_TEXT_MAX];
	size_t used;

	if (!f)
		return;
	used = (size_t)snprintf(line, sizeof(line), "printf '%%s\\n'");
	for (size_t i = 0; i < n && used < sizeof(line); i++)
		used += (size_t)snprintf(line + used, sizeof(line) - used, " %s",
					 shell_quote(lines[i], q, sizeof(q)));
	if (used < sizeof(line))
		used += (size_t)snprintf(line + used, sizeof(line) - used, " | tee %s",
					 shell_quote(file, q, sizeof(q)));
	if (used < sizeof(line))
		fix_line(f, "", line);
	else
		fix_line(f, "# ", "persist the settings above in /etc/sysctl.d");
}

void finding_fix_sysctl(struct hr_finding *f, const char *key, const char *value_fmt, ...)
{
	char value[256], word[512], q[2 * sizeof(word) + 4], file[256], line[512];
	const char *lines[1] = { line };
	va_list ap;

	if (!f)
		return;
	va_start(ap, value_fmt);
	vsnprintf(value, sizeof(value), value_fmt, ap);
	va_end(ap);
	snprintf(word, sizeof(word), "%s=%s", key, value);
	finding_fix_cmd(f, "sysctl -w %s", shell_quote(word, q, sizeof(q)));
	snprintf(file, sizeof(file), "/etc/sysctl.d/60-headroom-%s.conf", key);
	snprintf(line, sizeof(line), "%s = %s", key, value);
	finding_fix_persist(f, file, lines, 1);
}

void findings_note(struct hr_findings *fs, const char *path, int err,
		   const char *what_fmt, ...)
{
	va_list ap;

	va_start(ap, what_fmt);
	note_vadd(&fs->notes, path, err, what_fmt, ap);
	va_end(ap);
}

enum hr_severity findings_worst(const struct hr_findings *fs)
{
	enum hr_severity w = HR_SEV_OK;
	for (size_t i = 0; i < fs->n; i++)
		if (fs->items[i].severity > w)
			w = fs->items[i].severity;
	return w;
}

static int cmp(const void *a, const void *b)
{
	const struct hr_finding *x = a, *y = b;
	int c;

	if (x->severity != y->severity)
		return x->severity > y->severity ? -1 : 1;
	if ((c = strcmp(x->id, y->id)))
		return c;
	return strcmp(x->subject, y->subject);
}

void findings_sort(struct hr_findings *fs)
{
	qsort(fs->items, fs->n, sizeof(fs->items[0]), cmp);
}

const char *severity_name(enum hr_severity s)
{
	switch (s) {
	case HR_SEV_OK: return "ok";
	case HR_SEV_WARN: return "warn";
	case HR_SEV_CRIT: return "crit";
	}
	return "?";
}
