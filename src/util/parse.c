/* parse.c - see parse.h. Hand-rolled instead of strtoull: strtoull accepts
 * "-1", leading spaces and "+", and needs a NUL terminator we do not have. */
#include "util/parse.h"

#include <errno.h>
#include <string.h>

int parse_u64(const char *s, size_t len, uint64_t *out, size_t *used)
{
	size_t i = 0;
	uint64_t v = 0;

	if (len == 0 || !is_digit(s[0]))
		return -EINVAL;
	for (; i < len && is_digit(s[i]); i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	if (used)
		*used = i;
	return 0;
}

int parse_i64(const char *s, size_t len, int64_t *out, size_t *used)
{
	bool neg = len > 0 && s[0] == '-';
	uint64_t v;
	size_t n;
	int rc = parse_u64(s + neg, len - neg, &v, &n);

	if (rc)
		return rc;
	if (neg ? v > (uint64_t)INT64_MAX + 1 : v > (uint64_t)INT64_MAX)
		return -ERANGE;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	if (used)
		*used = n + neg;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int parse_hex_u64(const char *s, size_t len, uint64_t *out, size_t *used)
{
	size_t i = 0;
	uint64_t v = 0;

	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	size_t start = i;
	for (; i < len && hexval(s[i]) >= 0; i++) {
		if (v >> 60)
			return -ERANGE;
		v = (v << 4) | (uint64_t)hexval(s[i]);
	}
	if (i == start)
		return -EINVAL;
	*out = v;
	if (used)
		*used = i;
	return 0;
}

struct hr_span span_trim(struct hr_span s)
{
	while (s.len && strchr(" \t\r\n", s.p[0]) && s.p[0])
		s.p++, s.len--;
	while (s.len && strchr(" \t\r\n", s.p[s.len - 1]) && s.p[s.len - 1])
		s.len--;
	return s;
}

int parse_u64_field(struct hr_span f, uint64_t *out)
{
	size_t used;
	uint64_t v;
	int rc;

	f = span_trim(f);
	rc = parse_u64(f.p, f.len, &v, &used);
	if (rc)
		return rc;
	if (used != f.len)
		return -EINVAL;
	*out = v;
	return 0;
}

bool span_next_line(const char *buf, size_t len, size_t *pos, struct hr_span *line)
{
	if (*pos >= len)
		return false;
	const char *start = buf + *pos;
	const char *nl = memchr(start, '\n', len - *pos);
	size_t n = nl ? (size_t)(nl - start) : len - *pos;

	*pos += n + (nl != NULL);
	if (n && start[n - 1] == '\r')
		n--;
	line->p = start;
	line->len = n;
	return true;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool span_next_token(struct hr_span *rest, struct hr_span *tok)
{
	size_t i = 0;

	while (i < rest->len && is_space(rest->p[i]))
		i++;
	if (i == rest->len) {
		rest->p += i;
		rest->len = 0;
		return false;
	}
	size_t j = i;
	while (j < rest->len && !is_space(rest->p[j]))
		j++;
	tok->p = rest->p + i;
	tok->len = j - i;
	rest->p += j;
	rest->len -= j;
	return true;
}

bool span_starts_with(struct hr_span s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s.len >= n && memcmp(s.p, prefix, n) == 0;
}

bool span_eq(struct hr_span s, const char *str)
{
	size_t n = strlen(str);
	return s.len == n && memcmp(s.p, str, n) == 0;
}

long span_find(struct hr_span s, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return 0;
	if (n > s.len)
		return -1;
	for (size_t i = 0; i + n <= s.len; i++) {
		const char *hit = memchr(s.p + i, needle[0], s.len - n + 1 - i);
		if (!hit)
			return -1;
		i = (size_t)(hit - s.p);
		if (memcmp(hit, needle, n) == 0)
			return (long)i;
	}
	return -1;
}

char *span_copy(struct hr_span s, char *dst, size_t cap)
{
	size_t n = s.len < cap - 1 ? s.len : cap - 1;

	if (cap == 0)
		return dst;
	memcpy(dst, s.p, n);
	dst[n] = '\0';
	return dst;
}

int kv_parse(const char *buf, size_t len, const struct hr_kv_key *keys,
	     size_t nkeys, uint64_t *vals, bool scale_kb)
{
	struct hr_span line;
	size_t pos = 0;
	int found = 0;

	for (size_t i = 0; i < nkeys; i++)
		vals[keys[i].index] = HR_UNSET;
	while (span_next_line(buf, len, &pos, &line)) {
		struct hr_span rest = line, key, val;

		if (!span_next_token(&rest, &key))
			continue;
		if (key.len && key.p[key.len - 1] == ':')
			key.len--;
		for (size_t i = 0; i < nkeys; i++) {
			/* First byte before span_eq's strlen: memory.stat is ~40
			 * lines x ~25 keys per cgroup per agent pass. */
			if (!key.len || key.p[0] != keys[i].key[0] || !span_eq(key, keys[i].key))
				continue;
			uint64_t v;
			size_t used;
			if (!span_next_token(&rest, &val))
				return -EINVAL;
			int rc = parse_u64(val.p, val.len, &v, &used);
			if (rc || used != val.len)
				return rc ? rc : -EINVAL;
			struct hr_span unit;
			if (scale_kb && span_next_token(&rest, &unit) && span_eq(unit, "kB"))
				v = sat_mul(v, 1024);
			if (vals[keys[i].index] == HR_UNSET)
				found++;
			vals[keys[i].index] = v;
			break;
		}
	}
	return found;
}
