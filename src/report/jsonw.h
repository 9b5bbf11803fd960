/* jsonw.h - a small streaming JSON writer to a FILE.
 *
 * It tracks nesting and commas so callers cannot emit invalid JSON by
 * forgetting a separator, and it always emits valid UTF-8: bytes of kernel
 * text that are not valid UTF-8 become U+FFFD, control bytes are escaped.
 * Depth is bounded (JW_DEPTH); deeper opens are ignored and counted in
 * `errors`. No allocation. Output errors are left in the FILE (ferror).
 */
#ifndef HR_REPORT_JSONW_H
#define HR_REPORT_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JW_DEPTH 16

struct jsonw {
	FILE *out;
	int depth;
	bool first[JW_DEPTH];	/* no element written yet at this depth */
	char closer[JW_DEPTH];	/* '}' or ']' for each open level */
	bool after_key;
	bool pretty;
	unsigned errors;
};

void jw_init(struct jsonw *w, FILE *out, bool pretty);
void jw_obj_begin(struct jsonw *w);
void jw_obj_end(struct jsonw *w);
void jw_arr_begin(struct jsonw *w);
void jw_arr_end(struct jsonw *w);
void jw_key(struct jsonw *w, const char *key);
void jw_str(struct jsonw *w, const char *s);
void jw_strn(struct jsonw *w, const char *s, size_t len);
void jw_u64(struct jsonw *w, uint64_t v);
void jw_i64(struct jsonw *w, int64_t v);
void jw_f64(struct jsonw *w, double v);	/* non-finite -> null */
/* The shortest "%.Ng" text of a finite v that strtod() reads back as v
 * exactly (at most 17 significant digits; buf needs 32 bytes). Returns buf. */
const char *jw_format_f64(double v, char *buf, size_t cap);
void jw_bool(struct jsonw *w, bool v);
void jw_null(struct jsonw *w);
/* A key and its value in one call: jw_key() then jw_str()/jw_u64()/jw_i64(). */
void jw_kv_str(struct jsonw *w, const char *key, const char *s);
void jw_kv_u64(struct jsonw *w, const char *key, uint64_t v);
void jw_kv_i64(struct jsonw *w, const char *key, int64_t v);
/* Ends the document with a newline. */
void jw_finish(struct jsonw *w);

#endif
