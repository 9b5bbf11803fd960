/* jsonw.c - see jsonw.h. */
#include "report/jsonw.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void jw_init(struct jsonw *w, FILE *out, bool pretty)
{
	w->out = out;
	w->depth = 0;
	w->first[0] = true;
	w->after_key = false;
	w->pretty = pretty;
	w->errors = 0;
}

static void indent(struct jsonw *w)
{
	if (!w->pretty)
		return;
	fputc('\n', w->out);
	for (int i = 0; i < w->depth; i++)
		fputs("  ", w->out);
}

/* Called before every value or key: writes the separator. */
static void sep(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (!w->first[w->depth])
		fputc(',', w->out);
	w->first[w->depth] = false;
	if (w->depth > 0)
		indent(w);
}

static void level_open(struct jsonw *w, char c)
{
	sep(w);
	if (w->depth + 1 >= JW_DEPTH) {
		w->errors++;
		fputs(c == '{' ? "{}" : "[]", w->out);
		return;
	}
	fputc(c, w->out);
	w->depth++;
	w->first[w->depth] = true;
	w->closer[w->depth] = c == '{' ? '}' : ']';
}

static void close_(struct jsonw *w, char c)
{
	if (w->depth == 0) {
		w->errors++;
		return;
	}
	bool empty = w->first[w->depth];
	w->depth--;
	if (!empty)
		indent(w);
	fputc(c, w->out);
}

void jw_obj_begin(struct jsonw *w) { level_open(w, '{'); }
void jw_obj_end(struct jsonw *w) { close_(w, '}'); }
void jw_arr_begin(struct jsonw *w) { level_open(w, '['); }
void jw_arr_end(struct jsonw *w) { close_(w, ']'); }

/* Length of a valid UTF-8 sequence at s (RFC 3629), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned min;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	unsigned cp = c & (0x3f >> (len - 1));
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static void put_string(struct jsonw *w, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t run = 0;	/* start of bytes that go out unchanged, written in one fwrite */

	fputc('"', w->out);
	for (size_t i = 0; i < len;) {
		unsigned c = p[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			i++;
			continue;
		}
		if (c >= 0x80) {
			size_t n = utf8_len(p + i, len - i);
			if (n) {
				i += n;
				continue;
			}
		}
		if (i > run)
			fwrite(p + run, 1, i - run, w->out);
		if (c == '"' || c == '\\') {
			fputc('\\', w->out);
			fputc((int)c, w->out);
		} else if (c < 0x20 || c == 0x7f) {
			switch (c) {
			case '\n': fputs("\\n", w->out); break;
			case '\t': fputs("\\t", w->out); break;
			case '\r': fputs("\\r", w->out); break;
			default: fprintf(w->out, "\\u%04x", c);
			}
		} else {
			fputs("\xef\xbf\xbd", w->out);	/* invalid UTF-8 byte */
		}
		i++;
		run = i;
	}
	if (len > run)
		fwrite(p + run, 1, len - run, w->out);
	fputc('"', w->out);
}

void jw_key(struct jsonw *w, const char *key)
{
	sep(w);
	put_string(w, key, strlen(key));
	fputs(w->pretty ? ": " : ":", w->out);
	w->after_key = true;
}

void jw_strn(struct jsonw *w, const char *s, size_t len)
{
	sep(w);
	put_string(w, s, len);
}

void jw_str(struct jsonw *w, const char *s)
{
	if (!s) {
		jw_null(w);
		return;
	}
	jw_strn(w, s, strlen(s));
}

void jw_u64(struct jsonw *w, uint64_t v)
{
	sep(w);
	fprintf(w->out, "%" PRIu64, v);
}

void jw_i64(struct jsonw *w, int64_t v)
{
	sep(w);
	fprintf(w->out, "%" PRId64, v);
}

const char *jw_format_f64(double v, char *buf, size_t cap)
{
	/* The shortest %.Ng that reads back as the same double: 17
	 * significant digits always do (DBL_DECIMAL_DIG), fewer usually,
	 * so 0.5 stays "0.5" and 98765432.1 is not cut to 9.87654e+07. */
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, cap, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return buf;
}

void jw_f64(struct jsonw *w, double v)
{
	char buf[32];

	sep(w);
	if (!isfinite(v))
		fputs("null", w->out);
	else
		fputs(jw_format_f64(v, buf, sizeof(buf)), w->out);
}

void jw_bool(struct jsonw *w, bool v)
{
	sep(w);
	fputs(v ? "true" : "false", w->out);
}

void jw_null(struct jsonw *w)
{
	sep(w);
	fputs("null", w->out);
}

void jw_finish(struct jsonw *w)
{
	while (w->depth > 0) {
		w->errors++;
		close_(w, w->closer[w->depth]);
	}
	fputc('\n', w->out);
}

void jw_kv_str(struct jsonw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_str(w, s);
}

void jw_kv_u64(struct jsonw *w, const char *key, uint64_t v)
{
	jw_key(w, key);
	jw_u64(w, v);
}

void jw_kv_i64(struct jsonw *w, const char *key, int64_t v)
{
	jw_key(w, key);
	jw_i64(w, v);
}
