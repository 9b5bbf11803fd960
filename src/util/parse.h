/* parse.h - strict number and keyed-text parsing over caller buffers.
 *
 * Everything here is pure: no I/O, no allocation, no logging. Inputs are
 * (buf, len) pairs that need not be NUL-terminated; nothing reads past len.
 * These are the primitives every kernel-text parser is built on, so they are
 * what the fuzzers hammer first.
 */
#ifndef HR_UTIL_PARSE_H
#define HR_UTIL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "not on this kernel": a key that was absent. No kernel counter we read
 * reaches 2^64-1, so the value is free to mean "unset". */
#define HR_UNSET UINT64_MAX

/* A view of bytes [p, p+len). */
struct hr_span {
	const char *p;
	size_t len;
};

/* Parses a decimal u64 at s[0..len): leading digits only (no sign, no space).
 * On success stores the value and the number of bytes consumed in *used and
 * returns 0. -EINVAL if s does not start with a digit, -ERANGE on overflow. */
int parse_u64(const char *s, size_t len, uint64_t *out, size_t *used);

/* Same, with an optional leading '-'. -ERANGE outside int64_t. */
int parse_i64(const char *s, size_t len, int64_t *out, size_t *used);

/* Hexadecimal u64, with or without a leading "0x"/"0X". */
int parse_hex_u64(const char *s, size_t len, uint64_t *out, size_t *used);

/* A whole field must be a number: like parse_u64 but the entire span must be
 * consumed (after trimming spaces/tabs/newlines on both ends). */
int parse_u64_field(struct hr_span f, uint64_t *out);

/* Line iterator: returns true and sets *line (without the '\n', and without a
 * trailing '\r') while *pos < len; *pos advances past the newline. */
bool span_next_line(const char *buf, size_t len, size_t *pos, struct hr_span *line);

/* Splits the next whitespace-separated token from *rest; false at end. */
bool span_next_token(struct hr_span *rest, struct hr_span *tok);

/* True if s starts with the NUL-terminated prefix. */
bool span_starts_with(struct hr_span s, const char *prefix);

/* True if the span equals the NUL-terminated string. */
bool span_eq(struct hr_span s, const char *str);

/* Finds needle (NUL-terminated) in s; returns offset or -1. */
long span_find(struct hr_span s, const char *needle);

/* Copies the span into dst[cap] NUL-terminated, truncating. Returns dst. */
char *span_copy(struct hr_span s, char *dst, size_t cap);

/* Trims spaces, tabs, CR and LF on both ends. */
struct hr_span span_trim(struct hr_span s);

/* A keyed table: the text has one "KEY<sep>VALUE [unit]" per line, as in
 * /proc/meminfo ("MemFree:   123 kB"), /proc/vmstat ("nr_free_pages 12"),
 * memory.stat and memory.events ("cache 4096"). The key must match the whole
 * text before the separator: "Cached" never matches "SwapCached".
 *
 * For each entry of keys[] whose key is found, vals[i] is set; entries not
 * found are left as HR_UNSET. A value followed by " kB" is multiplied by 1024
 * when scale_kb is true. Unknown keys are skipped. A value that is not a
 * number makes the call return -EINVAL (vals[] is then partly filled).
 * Returns the number of keys found. */
struct hr_kv_key {
	const char *key;
	size_t index;	/* where the value goes in vals[] */
};
int kv_parse(const char *buf, size_t len, const struct hr_kv_key *keys,
	     size_t nkeys, uint64_t *vals, bool scale_kb);

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Bytes as MiB, for prose ("62.0 MiB"); facts stay in bytes. */
static inline double mib_of(uint64_t bytes)
{
	return (double)bytes / (1024.0 * 1024.0);
}

/* Saturating arithmetic for counters that must never wrap into nonsense. */
static inline uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}
static inline uint64_t sat_mul(uint64_t a, uint64_t b)
{
	return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}
static inline uint64_t sat_sub(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}
/* A double to u64 without the undefined behaviour of an out-of-range cast:
 * NaN and negatives give 0, 2^64 and above UINT64_MAX, others truncate. */
static inline uint64_t sat_from_f64(double v)
{
	if (!(v > 0))
		return 0;
	return v >= 18446744073709551616.0 ? UINT64_MAX : (uint64_t)v;
}

#endif
