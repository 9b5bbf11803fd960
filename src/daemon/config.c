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

/* State shared by the reader and the handler. */
struct pstate {
	const char *buf;
	size_t len, pos;
	unsigned line;		/* line the reader returned last */
	unsigned section_line;	/* line of the last "[...]" header */
	unsigned handled_line;	/* section_line the handler last saw */
	bool too_long;
	bool nul;
	struct hr_config *c;
	struct hr_config_err *err;
	bool failed;
	bool saw_policy;
	struct hr_policy *cur;	/* policy of the current section */
	char section[HR_CFG_STR];
};

static int fail(struct pstate *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct pstate *st, const char *fmt, ...)
{
	va_list ap;

	if (!st->failed) {
		st->failed = true;
		st->err->line = st->line;
		va_start(ap, fmt);
		vsnprintf(st->err->msg, sizeof(st->err->msg), fmt, ap);
		va_end(ap);
	}
	return 0;
}

/* fgets over our buffer: one line per call, so the handler knows its line.
 * A line longer than inih's buffer is an error, not two lines. */
static char *reader(char *str, int num, void *stream)
{
	struct pstate *st = stream;
	size_t i = 0;

	if (st->pos >= st->len || st->too_long || st->nul)
		return NULL;
	st->line++;
	while (st->pos < st->len) {
		char ch = st->buf[st->pos++];
		if (ch == '\0') {
			st->nul = true;
			return NULL;
		}
		if ((int)i >= num - 2) {
			st->too_long = true;
			return NULL;
		}
		str[i++] = ch;
		if (ch == '\n')
			break;
	}
	str[i] = '\0';
	const char *p = str;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '[')
		st->section_line = st->line;
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
	} else if (!strcmp(name, "mlock")) {
		if (parse_bool(value, &c->mlock))
			return fail(st, "mlock: need yes or no, got '%s'", value);
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

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct pstate *st = user;

	if (st->failed)
		return 0;
	if (strcmp(section, st->section) || st->section_line != st->handled_line) {
		st->handled_line = st->section_line;
		/* Section errors point at the header line. */
		unsigned key_line = st->line;
		st->line = st->section_line;
		/* A new section starts: validate the policy that ended. */
		snprintf(st->section, sizeof(st->section), "%s", section);
		st->cur = NULL;
		if (!strncmp(section, "policy", 6) && (section[6] == ' ' || !section[6])) {
			const char *nm = section + 6;
			while (*nm == ' ')
				nm++;
			if (!*nm)
				return fail(st, "[policy] needs a name: [policy NAME]");
			if (!st->saw_policy) {
				st->saw_policy = true;
				st->c->npolicy = 0;	/* the file's policies replace the built-in one */
			}
			for (size_t i = 0; i < st->c->npolicy; i++)
				if (!strcmp(st->c->policy[i].name, nm))
					return fail(st, "duplicate [policy %s] (first on line %u)", nm,
						    st->c->policy[i].line);
			if (st->c->npolicy == HR_POLICY_MAX)
				return fail(st, "too many policies (at most %d)", HR_POLICY_MAX);
			if (strlen(nm) >= sizeof(st->c->policy[0].name))
				return fail(st, "policy name longer than %zu bytes", sizeof(st->c->policy[0].name) - 1);
			struct hr_config d;
			config_defaults(&d);
			st->cur = &st->c->policy[st->c->npolicy++];
			*st->cur = d.policy[0];
			st->cur->match[0] = '\0';
			snprintf(st->cur->name, sizeof(st->cur->name), "%s", nm);
			st->cur->line = st->section_line;
		} else if (strcmp(section, "agent")) {
			return fail(st, "unknown section [%s] (want [agent] or [policy NAME])", section);
		}
		st->line = key_line;
	}
	if (!name)
		return 1;	/* section header alone (INI_CALL_HANDLER_ON_NEW_SECTION) */
	if (!value || !*value)
		return fail(st, "%s: empty value", name);
	if (st->cur)
		return policy_key(st, name, value);
	if (!strcmp(section, "agent"))
		return agent_key(st, name, value);
	return fail(st, "key '%s' outside a section", name);
}

static int validate(struct pstate *st)
{
	struct hr_config *c = st->c;

	st->line = 0;
	if (c->poll_min_ms > c->poll_max_ms)
		return fail(st, "poll_min_ms (%u) is above poll_max_ms (%u)", c->poll_min_ms, c->poll_max_ms), -EINVAL;
	for (size_t i = 0; i < c->npolicy; i++) {
		struct hr_policy *p = &c->policy[i];
		st->line = p->line;
		if (!p->match[0])
			return fail(st, "[policy %s] has no match = GLOB", p->name), -EINVAL;
		if (p->high.is_pct != p->low.is_pct)
			return fail(st, "[policy %s]: high and low must both be percents or both headroom bytes", p->name), -EINVAL;
		if (p->high.is_pct ? p->low.pct >= p->high.pct : p->low.headroom_bytes <= p->high.headroom_bytes)
			return fail(st, "[policy %s]: low must be below high (less usage, more headroom)", p->name), -EINVAL;
	}
	return 0;
}

int config_parse(const char *buf, size_t len, struct hr_config *out, struct hr_config_err *err)
{
	struct pstate st = { .buf = buf, .len = len, .c = out, .err = err };
	int rc;

	memset(err, 0, sizeof(*err));
	config_defaults(out);
	rc = ini_parse_stream(reader, &st, handler, &st);
	if (st.too_long) {
		st.failed = false;
		return fail(&st, "line too long"), -EINVAL;
	}
	if (st.nul) {
		st.failed = false;
		return fail(&st, "NUL byte in the file"), -EINVAL;
	}
	if (st.failed)
		return -EINVAL;
	if (rc > 0) {
		/* inih's own syntax error: no '=' or an unclosed '['. */
		err->line = (unsigned)rc;
		snprintf(err->msg, sizeof(err->msg), "syntax error (want [section] or key = value)");
		return -EINVAL;
	}
	if (rc < 0) {
		snprintf(err->msg, sizeof(err->msg), "cannot parse");
		return -EINVAL;
	}
	return validate(&st);
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
