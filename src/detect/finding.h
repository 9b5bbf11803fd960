/* finding.h - the one result type of `check` and `explain`.
 *
 * A finding is a judgement with its evidence: a stable id ("conntrack.full"),
 * a severity, the subject it is about ("host", "zone Normal", a cgroup path,
 * a netns), typed facts (numbers stay numbers so JSON consumers never parse
 * prose), a one-paragraph explanation and the exact fix. `explain` incidents
 * are findings with a kind (see doc/json-schema.md).
 *
 * Storage is caller-owned and fixed-size: hr_findings_init() takes an array.
 * When it is full, further findings are counted in `dropped`, never lost
 * silently. Nothing here allocates, logs or does I/O. Adders accept a NULL
 * finding (returned when full) and do nothing, so callers need not check.
 */
#ifndef HR_DETECT_FINDING_H
#define HR_DETECT_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot/note.h"

enum hr_severity { HR_SEV_OK = 0, HR_SEV_WARN = 1, HR_SEV_CRIT = 2 };

enum hr_fact_type {
	HR_FACT_U64,
	HR_FACT_I64,
	HR_FACT_F64,
	HR_FACT_BOOL,
	HR_FACT_STR,
	HR_FACT_LIST,	/* list of names, stored NUL-separated in s[] */
	HR_FACT_NULL,	/* known to be unknown: JSON null (explain first_seen) */
};

#define HR_FACT_NAME_MAX 40
#define HR_FACT_STR_MAX 256
/* The largest finding, net.ok under --interval, has 3 facts (total, delta,
 * rate) for each of its 15 counters plus 5 more (netloss.c asserts it). */
#define HR_FACTS_MAX 64
#define HR_TEXT_MAX 2048

struct hr_fact {
	char name[HR_FACT_NAME_MAX];
	enum hr_fact_type type;
	union {
		uint64_t u;
		int64_t i;
		double f;
		bool b;
	} v;
	size_t slen;	/* bytes used in s[] (for LIST: including the NULs) */
	char s[HR_FACT_STR_MAX];
};

struct hr_finding {
	char id[48];		/* stable, dotted: area.problem */
	char kind[32];		/* explain: incident kind; check: "" */
	enum hr_severity severity;
	char subject[256];
	size_t nfacts;
	size_t facts_dropped;	/* facts or list items that did not fit: reported */
	struct hr_fact facts[HR_FACTS_MAX];
	char explanation[HR_TEXT_MAX];
	char fix[HR_TEXT_MAX];
};

struct hr_findings {
	struct hr_finding *items;
	size_t cap, n;
	size_t dropped;		/* findings that did not fit */
	struct hr_notes notes;	/* what could not be read (snapshot/note.h) */
};

void hr_findings_init(struct hr_findings *fs, struct hr_finding *items, size_t cap);
/* Forgets all findings and notes (keeps the storage). */
void hr_findings_reset(struct hr_findings *fs);

/* Appends a finding; subject is printf-style. NULL when full. */
struct hr_finding *finding_add(struct hr_findings *fs, const char *id,
			       enum hr_severity sev, const char *subject_fmt, ...)
	__attribute__((format(printf, 4, 5)));

void fact_u64(struct hr_finding *f, const char *name, uint64_t v);
void fact_i64(struct hr_finding *f, const char *name, int64_t v);
void fact_f64(struct hr_finding *f, const char *name, double v);
void fact_bool(struct hr_finding *f, const char *name, bool v);
void fact_str(struct hr_finding *f, const char *name, const char *v);
void fact_null(struct hr_finding *f, const char *name);
/* Adds one item to list fact `name`, creating it on first use. */
void fact_list_add(struct hr_finding *f, const char *name, const char *item);
/* Finds a fact by name, NULL if absent. */
const struct hr_fact *finding_fact(const struct hr_finding *f, const char *name);

/* Append printf-style text to the explanation / fix (truncated at HR_TEXT_MAX). */
void finding_explain(struct hr_finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void finding_fix(struct hr_finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A fix is a shell block that is safe to paste (doc/json-schema.md): every
 * line is a command or a '#' comment, never prose with commands inside.
 * finding_fix_cmd() appends one command line; every kernel-supplied name
 * in it (cgroup path, interface, swap file) must come from shell_quote().
 * finding_fix_comment() appends "# TEXT". Both turn control bytes into '?'
 * so one call is exactly one line, and drop a line that does not fit
 * whole (a cut command could do harm) in favour of a "# ..." marker. */
void finding_fix_cmd(struct hr_finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void finding_fix_comment(struct hr_finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The persistence step for settings: printf '%s\n' LINE... | tee FILE, one
 * line that also works indented (a here-document's terminator would not).
 * lines[0..n) are written shell-quoted; file is headroom's own name. */
void finding_fix_persist(struct hr_finding *f, const char *file,
			 const char *const *lines, size_t n);

/* A sysctl to set now and persist: "sysctl -w KEY=VALUE" and the
 * finding_fix_persist() line for /etc/sysctl.d/60-headroom-KEY.conf (one
 * file per key, so two fixes never overwrite each other's setting and a
 * re-run replaces rather than appends). */
void finding_fix_sysctl(struct hr_finding *f, const char *key, const char *value_fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* note_add(&fs->notes, ...): records what could not be read; err is a
 * positive or negative errno. For callers that hold only the findings. */
void findings_note(struct hr_findings *fs, const char *path, int err,
		   const char *what_fmt, ...) __attribute__((format(printf, 4, 5)));

/* Worst severity over all findings (HR_SEV_OK when empty). */
enum hr_severity findings_worst(const struct hr_findings *fs);

/* Stable order for reports: severity descending, then id, then subject. */
void findings_sort(struct hr_findings *fs);

const char *severity_name(enum hr_severity s);

#endif
