/* config.c - see config.h. */
#define _GNU_SOURCE
#include "daemon/config.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/parse.h"

void config_defaults(struct hr_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->run_dir, sizeof(c->run_dir), "/run/headroom");
	c->max_cgroups = 4096;
	c->poll_min_ms = 2;
	c->poll_max_ms = 1000;
	c->mlock = true;
	c->rt_priority = 1;
	c->judge_interval_ms = HR_JUDGE_INTERVAL_MS_DEFAULT;
	snprintf(c->metrics_listen, sizeof(c->metrics_listen), "%s", HR_METRICS_LISTEN_DEFAULT);
	c->kmsg = true;
	struct hr_policy *p = &c->policy[0];
	snprintf(p->name, sizeof(p->name), "default");
	snprintf(p->match, sizeof(p->match), "*");
	p->high = (struct hr_mark){ .is_pct = true, .pct = 90 };
	p->low = (struct hr_mark){ .is_pct = true, .pct = 80 };
	p->mode = HR_MODE_OBSERVE;
	p->max_rate_bytes = 4ull << 30;
	p->max_cpu_pct = 50;
	p->chunk_bytes = 32ull << 20;
	p->reclaim_active = true;
	c->npolicy = 1;
	ct_guard_cfg_default(&c->guard.ct);
	wmark_guard_cfg_default(&c->guard.wm);
	deadcharge_guard_cfg_default(&c->guard.dc);
	c->guard.wm_compact = true;
	c->guard.wm_compact_interval_s = 300;
	c->guard.wm_proactive_hold = 30;
	snprintf(c->guard.dc_match, sizeof(c->guard.dc_match), "*");
	c->guard.dc_interval_s = 60;
}

const char *config_guard_name(enum hr_guard_id g)
{
	static const char *const names[HR_GUARD_N] = { "conntrack", "watermark", "deadcharge" };
	return (unsigned)g < HR_GUARD_N ? names[g] : "?";
}

const char *config_mode_name(enum hr_mode m)
{
	return m == HR_MODE_RECLAIM ? "reclaim" : "observe";
}

int config_parse_size(const char *s, uint64_t *out)
{
	size_t len = strlen(s), used;
	uint64_t v, mul = 1;
	int rc = parse_u64(s, len, &v, &used);

	if (rc)
		return rc;
	const char *u = s + used;
	if (!*u || !strcmp(u, "B"))
		mul = 1;
	else if (!strcmp(u, "K") || !strcmp(u, "KiB") || !strcmp(u, "k"))
		mul = 1ull << 10;
	else if (!strcmp(u, "M") || !strcmp(u, "MiB"))
		mul = 1ull << 20;
	else if (!strcmp(u, "G") || !strcmp(u, "GiB"))
		mul = 1ull << 30;
	else if (!strcmp(u, "T") || !strcmp(u, "TiB"))
		mul = 1ull << 40;
	else
		return -EINVAL;
	if (v && mul > UINT64_MAX / v)
		return -ERANGE;
	*out = v * mul;
	return 0;
}

static int parse_pct(const char *s, uint32_t lo, uint32_t hi, uint32_t *out)
{
	size_t len = strlen(s), used;
	uint64_t v;

	if (len < 2 || s[len - 1] != '%' || parse_u64(s, len - 1, &v, &used) || used != len - 1 ||
	    v < lo || v > hi)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int parse_mark(const char *s, struct hr_mark *m)
{
	struct hr_mark r = { 0 };

	if (strchr(s, '%')) {
		r.is_pct = true;
		if (parse_pct(s, 1, 99, &r.pct))
			return -EINVAL;
	} else {
		/* A bare "90" is far more likely a forgotten '%' than 90 bytes of
		 * headroom: headroom needs a unit. */
		size_t n = strlen(s);
		bool digit_end = n && s[n - 1] >= '0' && s[n - 1] <= '9';
		bool bare_b = n > 1 && s[n - 1] == 'B' && s[n - 2] >= '0' && s[n - 2] <= '9';
		if (!n || digit_end || bare_b ||
		    config_parse_size(s, &r.headroom_bytes) || r.headroom_bytes == 0)
			return -EINVAL;
	}
	*m = r;
	return 0;
}

static int parse_bool(const char *s, bool *out)
{
	if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "on"))
		*out = true;
	else if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "off"))
		*out = false;
	else
		return -EINVAL;
	return 0;
}

static int parse_u32(const char *s, uint32_t lo, uint32_t hi, uint32_t *out)
{
	uint64_t v;

	if (parse_u64_field((struct hr_span){ s, strlen(s) }, &v) || v < lo || v > hi)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* Debian's libinih (55-1, checked against its behaviour, not only
 * /usr/include/ini.h) is built with INI_ALLOW_MULTILINE=1,
 * INI_ALLOW_INLINE_COMMENTS=1 with ';' only, INI_CALL_HANDLER_ON_NEW_SECTION=0,
 * INI_STOP_ON_FIRST_ERROR=0, INI_MAX_LINE=200 and ':' as a second delimiter.
 * With those a typo is silent: "[polcy web]" with nothing below it never
 * reaches the handler, "match = /app/web-? # web" keeps " # web" in the glob,
 * "  high = 80%" after "low = 70%" makes "high = 80%" a second value of low,
 * "high: 80%" is a key, and a line past 200 bytes is cut into two lines.
 * So the grammar is ours: the reader below lexes every line itself and hands
 * libinih only lines it has checked, in one canonical shape ("[name]",
 * "key=value" or an empty line, so line numbers stay right); libinih then only
 * splits them and calls the handler. Errors are collected, not stopped at. */
struct pstate {
	const char *buf;
	size_t len, pos;
	unsigned line;		/* line the reader returned last */
	bool nul;
	bool skip_section;	/* its header was wrong: its keys would only repeat that */
	bool in_agent;
	bool saw_policy;
	struct hr_config *c;
	struct hr_config_err *err;
	struct hr_policy *cur;	/* policy of the current section */
	int guard;		/* [guard NAME] of the current section, -1 none */
	bool saw_guard[HR_GUARD_N];
};

static void diag(struct pstate *st, bool warning, unsigned line, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
static void diag(struct pstate *st, bool warning, unsigned line, const char *fmt, va_list ap)
{
	struct hr_config_err *e = st->err;
	char msg[sizeof(e->msg)];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (warning)
		e->nwarnings++;
	else if (e->nerrors++ == 0) {
		e->line = line;
		memcpy(e->msg, msg, sizeof(msg));
	}
	if (e->ndiag < HR_CONFIG_DIAG_MAX) {
		struct hr_config_diag *d = &e->diag[e->ndiag++];
		d->line = line;
		d->warning = warning;
		memcpy(d->msg, msg, sizeof(msg));
	}
}

/* An error on the current line; returns 0 so a handler can return it. */
static int fail(struct pstate *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct pstate *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag(st, false, st->line, fmt, ap);
	va_end(ap);
	return 0;
}

static void warn(struct pstate *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct pstate *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag(st, true, st->line, fmt, ap);
	va_end(ap);
}

static void fail_at(struct pstate *st, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail_at(struct pstate *st, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag(st, false, line, fmt, ap);
	va_end(ap);
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/* A comment starts with '#' or ';' at the start of a line or after a blank,
 * so "match = /a/web-? # web" is the glob "/a/web-?" and "/a/b#c" keeps its '#'. */
static size_t comment_at(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((s[i] == '#' || s[i] == ';') && (i == 0 || is_blank(s[i - 1])))
			return i;
	return n;
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_blank(**s))
		(*s)++, (*n)--;
	while (*n && is_blank((*s)[*n - 1]))
		(*n)--;
}

/* "[agent]" or "[policy NAME]": sets the section state. Returns false when
 * the header is wrong (already reported). */
static bool section_start(struct pstate *st, const char *nm, size_t n)
{
	struct hr_config *c = st->c;

	st->cur = NULL;
	st->in_agent = false;
	st->guard = -1;
	if (n == 5 && !memcmp(nm, "agent", 5)) {
		st->in_agent = true;
		return true;
	}
	if (n > 6 && !memcmp(nm, "guard", 5) && is_blank(nm[5])) {
		nm += 5, n -= 5;
		trim(&nm, &n);
		for (int g = 0; g < HR_GUARD_N; g++) {
			const char *gn = config_guard_name((enum hr_guard_id)g);
			if (strlen(gn) != n || memcmp(gn, nm, n))
				continue;
			if (st->saw_guard[g]) {
				fail(st, "duplicate [guard %s] (first on line %u)", gn, c->guard.line[g]);
				return false;
			}
			st->saw_guard[g] = true;
			c->guard.line[g] = st->line;
			st->guard = g;
			return true;
		}
		fail(st, "unknown guard [guard %.*s] (want conntrack, watermark or deadcharge)", (int)n, nm);
		return false;
	}
	if (n < 6 || memcmp(nm, "policy", 6) || (n > 6 && !is_blank(nm[6]))) {
		fail(st, "unknown section [%.*s] (want [agent], [policy NAME] or [guard NAME])", (int)n, nm);
		return false;
	}
	nm += 6, n -= 6;
	trim(&nm, &n);
	if (!n) {
		fail(st, "[policy] needs a name: [policy NAME]");
		return false;
	}
	if (n >= sizeof(c->policy[0].name)) {
		fail(st, "policy name longer than %zu bytes", sizeof(c->policy[0].name) - 1);
		return false;
	}
	if (!st->saw_policy) {
		st->saw_policy = true;
		c->npolicy = 0;	/* the file's policies replace the built-in one */
	}
	for (size_t i = 0; i < c->npolicy; i++)
		if (strlen(c->policy[i].name) == n && !memcmp(c->policy[i].name, nm, n)) {
			fail(st, "duplicate [policy %.*s] (first on line %u)", (int)n, nm, c->policy[i].line);
			return false;
		}
	if (c->npolicy == HR_POLICY_MAX) {
		fail(st, "too many policies (at most %d)", HR_POLICY_MAX);
		return false;
	}
	struct hr_config d;
	config_defaults(&d);
	st->cur = &c->policy[c->npolicy++];
	*st->cur = d.policy[0];
	st->cur->match[0] = '\0';
	memcpy(st->cur->name, nm, n);
	st->cur->name[n] = '\0';
	st->cur->line = st->line;
	return true;
}

static bool is_key_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-';
}

/* Lexes one line s[0..n) (no newline) into out (cap bytes, inih's buffer):
 * "[name]\n", "key=value\n" or "\n" for a comment, a blank line or a line in
 * error (reported here). */
static void lex_line(struct pstate *st, const char *s, size_t n, char *out, size_t cap)
{
	bool indented = n && is_blank(s[0]);

	strcpy(out, "\n");
	n = comment_at(s, n);
	trim(&s, &n);
	if (!n)
		return;
	if (indented)
		warn(st, "indented line read as its own line (there are no continuation lines)");
	if (n + 2 > cap) {
		fail(st, "line too long (at most %zu bytes)", cap - 2);
		return;
	}
	if (s[0] == '[') {
		const char *end = memchr(s, ']', n);
		if (!end) {
			fail(st, "syntax error: '[' without ']' (want [section])");
			st->skip_section = true;
			return;
		}
		if ((size_t)(end - s) != n - 1) {
			fail(st, "syntax error: text after ']'");
			st->skip_section = true;
			return;
		}
		const char *nm = s + 1;
		size_t nl = n - 2;
		trim(&nm, &nl);
		st->skip_section = !section_start(st, nm, nl);
		if (!st->skip_section)
			snprintf(out, cap, "[%.*s]\n", (int)nl, nm);
		return;
	}
	size_t k = 0;
	while (k < n && is_key_char(s[k]))
		k++;
	size_t eq = k;
	while (eq < n && is_blank(s[eq]))
		eq++;
	if (!k || eq == n || s[eq] != '=') {
		fail(st, "syntax error (want [section] or key = value)");
		return;
	}
	const char *v = s + eq + 1;
	size_t vn = n - eq - 1;
	trim(&v, &vn);
	if (st->skip_section)
		return;
	if (!st->cur && !st->in_agent && st->guard < 0) {
		fail(st, "key '%.*s' outside a section", (int)k, s);
		return;
	}
	if (!vn) {
		fail(st, "%.*s: empty value", (int)k, s);
		return;
	}
	snprintf(out, cap, "%.*s=%.*s\n", (int)k, s, (int)vn, v);
}

/* fgets over our buffer for libinih: one line per call, lexed (above). */
static char *reader(char *str, int num, void *stream)
{
	struct pstate *st = stream;
	size_t start = st->pos;

	if (st->pos >= st->len || st->nul || num < 4)
		return NULL;
	st->line++;
	while (st->pos < st->len && st->buf[st->pos] != '\n') {
		if (st->buf[st->pos] == '\0') {
			st->nul = true;
			fail(st, "NUL byte in the file");
			return NULL;
		}
		st->pos++;
	}
	size_t n = st->pos - start;
	if (st->pos < st->len)
		st->pos++;	/* the newline */
	lex_line(st, st->buf + start, n, str, (size_t)num);
	return str;
}

static int agent_key(struct pstate *st, const char *name, const char *value)
{
	struct hr_config *c = st->c;

	if (!strcmp(name, "cgroup_root")) {
		if (value[0] != '/' || strlen(value) >= sizeof(c->cgroup_root))
			return fail(st, "cgroup_root: need an absolute path shorter than %zu bytes",
				    sizeof(c->cgroup_root));
		snprintf(c->cgroup_root, sizeof(c->cgroup_root), "%s", value);
	} else if (!strcmp(name, "run_dir")) {
		if (value[0] != '/' || strlen(value) >= sizeof(c->run_dir) - 32)
			return fail(st, "run_dir: need an absolute path shorter than %zu bytes",
				    sizeof(c->run_dir) - 32);
		snprintf(c->run_dir, sizeof(c->run_dir), "%s", value);
	} else if (!strcmp(name, "max_cgroups")) {
		if (parse_u32(value, 1, 1000000, &c->max_cgroups))
			return fail(st, "max_cgroups: need an integer 1..1000000, got '%s'", value);
	} else if (!strcmp(name, "poll_min_ms")) {
		if (parse_u32(value, 1, 60000, &c->poll_min_ms))
			return fail(st, "poll_min_ms: need an integer 1..60000, got '%s'", value);
	} else if (!strcmp(name, "poll_max_ms")) {
		if (parse_u32(value, 1, 60000, &c->poll_max_ms))
			return fail(st, "poll_max_ms: need an integer 1..60000, got '%s'", value);
	} else if (!strcmp(name, "dry_run")) {
		if (parse_bool(value, &c->dry_run))
			return fail(st, "dry_run: need yes or no, got '%s'", value);
	} else if (!strcmp(name, "rt_priority")) {
		if (parse_u32(value, 0, 99, &c->rt_priority))
			return fail(st, "rt_priority: need 0 (off) .. 99, got '%s'", value);
	} else if (!strcmp(name, "journal_fsync")) {
		if (parse_bool(value, &c->journal_fsync))
			return fail(st, "journal_fsync: need yes or no, got '%s'", value);
	} else if (!strcmp(name, "reclaim_worker")) {
		if (parse_bool(value, &c->reclaim_worker))
			return fail(st, "reclaim_worker: need yes or no, got '%s'", value);
	} else if (!strcmp(name, "mlock")) {
		if (parse_bool(value, &c->mlock))
			return fail(st, "mlock: need yes or no, got '%s'", value);
	} else if (!strcmp(name, "judge_interval")) {
		uint32_t sec;
		if (!strcmp(value, "off"))
			c->judge_interval_ms = 0;
		else if (parse_u32(value, 1, 3600, &sec))
			return fail(st, "judge_interval: need seconds 1..3600 or off, got '%s'", value);
		else
			c->judge_interval_ms = sec * 1000;
	} else if (!strcmp(name, "metrics_listen")) {
		char a[64];
		uint16_t port;
		if (config_parse_listen(value, a, sizeof(a), &port))
			return fail(st, "metrics_listen: need ADDR:PORT ([ADDR]:PORT for IPv6) or off, got '%s'",
				    value);
		snprintf(c->metrics_listen, sizeof(c->metrics_listen), "%s", a[0] ? value : "");
	} else if (!strcmp(name, "metrics_textfile")) {
		if (!strcmp(value, "off"))
			c->metrics_textfile[0] = 0;
		else if (value[0] != '/' || strlen(value) >= sizeof(c->metrics_textfile) - 8)
			return fail(st, "metrics_textfile: need an absolute path shorter than %zu bytes or off",
				    sizeof(c->metrics_textfile) - 8);
		else
			snprintf(c->metrics_textfile, sizeof(c->metrics_textfile), "%s", value);
	} else if (!strcmp(name, "kmsg")) {
		if (parse_bool(value, &c->kmsg))
			return fail(st, "kmsg: need yes or no, got '%s'", value);
	} else {
		return fail(st, "unknown key '%s' in [agent]", name);
	}
	return 1;
}

static int policy_key(struct pstate *st, const char *name, const char *value)
{
	struct hr_policy *p = st->cur;

	if (!strcmp(name, "match")) {
		if (value[0] != '/' && strcmp(value, "*"))
			return fail(st, "match: need a glob starting with '/' (or '*'), got '%s'", value);
		if (strlen(value) >= sizeof(p->match))
			return fail(st, "match: longer than %zu bytes", sizeof(p->match) - 1);
		snprintf(p->match, sizeof(p->match), "%s", value);
	} else if (!strcmp(name, "high") || !strcmp(name, "low")) {
		if (parse_mark(value, !strcmp(name, "high") ? &p->high : &p->low))
			return fail(st, "%s: need a percent of the limit (1%%..99%%) or headroom with a unit (64M), got '%s'",
				    name, value);
	} else if (!strcmp(name, "mode")) {
		if (!strcmp(value, "observe"))
			p->mode = HR_MODE_OBSERVE;
		else if (!strcmp(value, "reclaim"))
			p->mode = HR_MODE_RECLAIM;
		else
			return fail(st, "mode: need observe or reclaim, got '%s'", value);
	} else if (!strcmp(name, "backend")) {
		static const char *const names[] = { "auto", "v1-limit", "v2-reclaim", "v2-high", "wmark", "observe" };
		size_t i;
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (!strcmp(value, names[i]))
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			return fail(st, "backend: need auto, v1-limit, v2-reclaim, v2-high, wmark or observe, got '%s'", value);
		p->backend = (enum hr_backend_pref)i;
	} else if (!strcmp(name, "max_rate")) {
		if (config_parse_size(value, &p->max_rate_bytes) || p->max_rate_bytes < (1u << 20))
			return fail(st, "max_rate: need bytes per second, at least 1M, got '%s'", value);
	} else if (!strcmp(name, "max_cpu")) {
		if (parse_pct(value, 1, 100, &p->max_cpu_pct))
			return fail(st, "max_cpu: need a percent of one CPU (1%%..100%%), got '%s'", value);
	} else if (!strcmp(name, "chunk")) {
		if (config_parse_size(value, &p->chunk_bytes) || p->chunk_bytes < (1u << 20) ||
		    p->chunk_bytes > (1ull << 30))
			return fail(st, "chunk: need bytes between 1M and 1G, got '%s'", value);
	} else if (!strcmp(name, "reclaim_active")) {
		if (parse_bool(value, &p->reclaim_active))
			return fail(st, "reclaim_active: need yes or no, got '%s'", value);
	} else {
		return fail(st, "unknown key '%s' in [policy %s]", name, p->name);
	}
	return 1;
}

static int guard_pct(struct pstate *st, const char *name, const char *value, uint32_t lo, uint32_t hi,
		     unsigned *out)
{
	uint32_t v;

	if (parse_pct(value, lo, hi, &v))
		return fail(st, "%s: need a percent %u%%..%u%%, got '%s'", name, lo, hi, value);
	*out = v;
	return 1;
}

static int guard_u32(struct pstate *st, const char *name, const char *value, uint32_t lo, uint32_t hi,
		     unsigned *out)
{
	uint32_t v;

	if (parse_u32(value, lo, hi, &v))
		return fail(st, "%s: need an integer %u..%u, got '%s'", name, lo, hi, value);
	*out = v;
	return 1;
}

static int guard_size(struct pstate *st, const char *name, const char *value, uint64_t lo, uint64_t *out)
{
	uint64_t v;

	if (config_parse_size(value, &v) || v < lo)
		return fail(st, "%s: need a size with a unit (16M, 1G), at least %llu bytes, got '%s'", name,
			    (unsigned long long)lo, value);
	*out = v;
	return 1;
}

/* min_free_kbytes is in KiB: sizes are given with a unit and stored in KiB. */
static int guard_kib(struct pstate *st, const char *name, const char *value, uint64_t lo, uint64_t *out)
{
	uint64_t b = 0;
	int rc = guard_size(st, name, value, lo * 1024, &b);

	if (rc > 0)
		*out = b / 1024;
	return rc;
}

static int guard_key(struct pstate *st, const char *name, const char *value)
{
	struct hr_guard_config *g = &st->c->guard;
	int id = st->guard;
	const char *gn = config_guard_name((enum hr_guard_id)id);

	if (!strcmp(name, "mode")) {
		if (!strcmp(value, "observe"))
			g->act[id] = false;
		else if (!strcmp(value, "act"))
			g->act[id] = true;
		else
			return fail(st, "mode: need observe or act, got '%s'", value);
		return 1;
	}
	if (id == HR_GUARD_CONNTRACK) {
		struct ct_guard_cfg *c = &g->ct;
		if (!strcmp(name, "high"))
			return guard_pct(st, name, value, 2, 100, &c->high_pct);
		if (!strcmp(name, "low"))
			return guard_pct(st, name, value, 1, 99, &c->low_pct);
		if (!strcmp(name, "step"))
			return guard_pct(st, name, value, 1, 1000, &c->step_pct);
		if (!strcmp(name, "ram_share"))
			return guard_pct(st, name, value, 1, 50, &c->ram_share_pct);
		if (!strcmp(name, "bytes_per_entry"))
			return guard_u32(st, name, value, 64, 65536, &c->bytes_per_entry);
		if (!strcmp(name, "chain_max"))
			return guard_u32(st, name, value, 1, 64, &c->chain_max);
		if (!strcmp(name, "hold_up"))
			return guard_u32(st, name, value, 1, 10000, &c->hold_up);
		if (!strcmp(name, "hold_down"))
			return guard_u32(st, name, value, 1, 100000, &c->hold_down);
	} else if (id == HR_GUARD_WATERMARK) {
		struct wmark_guard_cfg *c = &g->wm;
		uint32_t v;
		if (!strcmp(name, "wsf_step") || !strcmp(name, "wsf_max") || !strcmp(name, "wsf_decay")) {
			if (parse_u32(value, 1, 3000, &v))
				return fail(st, "%s: need vm.watermark_scale_factor units 1..3000, got '%s'", name, value);
			*(name[4] == 's' ? &c->wsf_step : name[4] == 'm' ? &c->wsf_max : &c->wsf_decay_step) = v;
			return 1;
		}
		if (!strcmp(name, "min_free_step"))
			return guard_kib(st, name, value, 1, &c->min_free_step_kib);
		if (!strcmp(name, "min_free_max"))
			return guard_kib(st, name, value, 1, &c->min_free_max_kib);
		if (!strcmp(name, "min_free_decay"))
			return guard_kib(st, name, value, 1, &c->min_free_decay_step_kib);
		if (!strcmp(name, "reserve")) {
			if (!strcmp(value, "0") || !strcmp(value, "off")) {
				g->wm_reserve_kib = 0;
				return 1;
			}
			return guard_kib(st, name, value, 1, &g->wm_reserve_kib);
		}
		if (!strcmp(name, "cooldown"))
			return guard_u32(st, name, value, 0, 100000, &c->cooldown);
		if (!strcmp(name, "quiet"))
			return guard_u32(st, name, value, 1, 100000, &c->quiet);
		if (!strcmp(name, "compact")) {
			if (parse_bool(value, &g->wm_compact))
				return fail(st, "compact: need yes or no, got '%s'", value);
			return 1;
		}
		if (!strcmp(name, "compact_interval"))
			return guard_u32(st, name, value, 10, 86400, &g->wm_compact_interval_s);
		if (!strcmp(name, "proactiveness"))
			return guard_u32(st, name, value, 0, 100, &g->wm_proactiveness);
		if (!strcmp(name, "proactive_hold"))
			return guard_u32(st, name, value, 1, 100000, &g->wm_proactive_hold);
	} else {
		struct deadcharge_guard_cfg *c = &g->dc;
		if (!strcmp(name, "match")) {
			if (value[0] != '/' && strcmp(value, "*"))
				return fail(st, "match: need a glob starting with '/' (or '*'), got '%s'", value);
			if (strlen(value) >= sizeof(g->dc_match))
				return fail(st, "match: longer than %zu bytes", sizeof(g->dc_match) - 1);
			snprintf(g->dc_match, sizeof(g->dc_match), "%s", value);
			return 1;
		}
		if (!strcmp(name, "min_dead"))
			return guard_size(st, name, value, 1 << 20, &c->min_dead_bytes);
		if (!strcmp(name, "max_step"))
			return guard_size(st, name, value, 1 << 20, &c->max_step_bytes);
		if (!strcmp(name, "interval"))
			return guard_u32(st, name, value, 1, 86400, &g->dc_interval_s);
	}
	return fail(st, "unknown key '%s' in [guard %s]", name, gn);
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct pstate *st = user;

	(void)section;	/* the reader tracks sections (st->cur, st->in_agent) */
	if (!name || !value)
		return 1;
	if (st->cur)
		policy_key(st, name, value);
	else if (st->guard >= 0)
		guard_key(st, name, value);
	else if (st->in_agent)
		agent_key(st, name, value);
	return 1;
}

static void validate(struct pstate *st)
{
	struct hr_config *c = st->c;

	if (c->poll_min_ms > c->poll_max_ms)
		fail_at(st, 0, "poll_min_ms (%u) is above poll_max_ms (%u)", c->poll_min_ms, c->poll_max_ms);
	const struct hr_guard_config *g = &c->guard;
	if (g->ct.low_pct >= g->ct.high_pct)
		fail_at(st, g->line[HR_GUARD_CONNTRACK], "[guard conntrack]: low (%u%%) must be below high (%u%%)",
			g->ct.low_pct, g->ct.high_pct);
	if (g->wm.wsf_max < g->wm.wsf_step)
		fail_at(st, g->line[HR_GUARD_WATERMARK], "[guard watermark]: wsf_max is below wsf_step");
	if (g->wm.min_free_max_kib < g->wm.min_free_step_kib)
		fail_at(st, g->line[HR_GUARD_WATERMARK], "[guard watermark]: min_free_max is below min_free_step");
	if (g->dc.max_step_bytes < g->dc.page_bytes)
		fail_at(st, g->line[HR_GUARD_DEADCHARGE], "[guard deadcharge]: max_step is below a page");
	for (size_t i = 0; i < c->npolicy; i++) {
		struct hr_policy *p = &c->policy[i];
		if (!p->match[0])
			fail_at(st, p->line, "[policy %s] has no match = GLOB", p->name);
		if (p->high.is_pct != p->low.is_pct)
			fail_at(st, p->line, "[policy %s]: high and low must both be percents or both headroom bytes",
				p->name);
		else if (p->high.is_pct ? p->low.pct >= p->high.pct : p->low.headroom_bytes <= p->high.headroom_bytes)
			fail_at(st, p->line, "[policy %s]: low must be below high (less usage, more headroom)", p->name);
	}
}

int config_parse(const char *buf, size_t len, struct hr_config *out, struct hr_config_err *err)
{
	struct pstate st = { .buf = buf, .len = len, .c = out, .err = err, .guard = -1 };
	int rc;

	memset(err, 0, sizeof(*err));
	config_defaults(out);
	rc = ini_parse_stream(reader, &st, handler, &st);
	if (rc > 0 && !err->nerrors)	/* the reader passes only lines inih accepts */
		fail_at(&st, (unsigned)rc, "syntax error (want [section] or key = value)");
	else if (rc < 0)
		fail_at(&st, 0, "cannot parse");
	if (!st.nul)
		validate(&st);
	return err->nerrors ? -EINVAL : 0;
}

void config_diag_format(const struct hr_config_diag *d, const char *path, char *buf, size_t cap)
{
	if (d->line)
		snprintf(buf, cap, "%s:%u: %s%s", path, d->line, d->warning ? "warning: " : "", d->msg);
	else
		snprintf(buf, cap, "%s: %s%s", path, d->warning ? "warning: " : "", d->msg);
}

int config_load(const char *path, struct hr_config *out, struct hr_config_err *err)
{
	static const size_t cap = HR_CONFIG_MAX_BYTES;
	char buf[HR_CONFIG_MAX_BYTES];
	size_t n = 0;
	int fd;

	memset(err, 0, sizeof(*err));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t k = read(fd, buf + n, cap - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int e = errno;
			close(fd);
			return -e;
		}
		if (k == 0)
			break;
		n += (size_t)k;
		if (n == cap) {
			close(fd);
			snprintf(err->msg, sizeof(err->msg), "file larger than %zu bytes", cap);
			return -EFBIG;
		}
	}
	close(fd);
	return config_parse(buf, n, out, err);
}

const struct hr_policy *config_match(const struct hr_config *c, const char *cg)
{
	for (size_t i = 0; i < c->npolicy; i++)
		if (fnmatch(c->policy[i].match, cg, 0) == 0)
			return &c->policy[i];
	return NULL;
}

uint64_t mark_bytes(const struct hr_mark *m, uint64_t limit)
{
	if (m->is_pct)
		return limit / 100 * m->pct + limit % 100 * m->pct / 100;
	return sat_sub(limit, m->headroom_bytes);
}

int config_parse_listen(const char *s, char *addr, size_t cap, uint16_t *port)
{
	const char *colon, *a = s;
	size_t alen;

	if (cap)
		addr[0] = 0;
	if (!s[0] || !strcmp(s, "off")) {
		*port = 0;
		return 0;
	}
	if (s[0] == '[') {
		const char *rb = strchr(s, ']');
		if (!rb || rb[1] != ':')
			return -EINVAL;
		a = s + 1;
		alen = (size_t)(rb - a);
		colon = rb + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon || memchr(s, ':', (size_t)(colon - s)))
			return -EINVAL;	/* IPv6 needs brackets */
		alen = (size_t)(colon - s);
	}
	uint32_t p;
	if (alen == 0 || alen >= cap || parse_u32(colon + 1, 0, 65535, &p))
		return -EINVAL;
	memcpy(addr, a, alen);
	addr[alen] = 0;
	*port = (uint16_t)p;
	return 0;
}
