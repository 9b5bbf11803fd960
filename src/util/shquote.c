/* shquote.c - see shquote.h. */
#include "util/shquote.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("_./:@%+=,-", c));
}

static bool control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* The bytes that stand for c inside '...' (ansi false) or $'...' (true). */
static size_t piece(unsigned char c, bool ansi, char out[5])
{
	if (!ansi) {
		if (c == '\'')
			return (size_t)snprintf(out, 5, "'\\''");
		out[0] = (char)c;
		return 1;
	}
	switch (c) {
	case '\'': return (size_t)snprintf(out, 5, "\\'");
	case '\\': return (size_t)snprintf(out, 5, "\\\\");
	case '\n': return (size_t)snprintf(out, 5, "\\n");
	case '\t': return (size_t)snprintf(out, 5, "\\t");
	}
	if (control(c))
		return (size_t)snprintf(out, 5, "\\x%02x", c);
	out[0] = (char)c;
	return 1;
}

const char *shell_quote(const char *s, char *dst, size_t cap)
{
	size_t n = 0, len = strlen(s);
	bool quote = !*s, ansi = false;

	if (cap < 3)
		return cap ? (dst[0] = '\0', dst) : dst;
	for (const char *p = s; *p; p++) {
		quote |= !plain((unsigned char)*p);
		ansi |= control((unsigned char)*p);
	}
	if (!quote) {
		if (len >= cap)
			goto empty;
		memcpy(dst, s, len + 1);
		return dst;
	}
	if (ansi)
		dst[n++] = '$';
	dst[n++] = '\'';
	for (const char *p = s; *p; p++) {
		char b[5];
		size_t k = piece((unsigned char)*p, ansi, b);
		if (n + k + 2 > cap)
			goto empty;
		memcpy(dst + n, b, k);
		n += k;
	}
	dst[n++] = '\'';
	dst[n] = '\0';
	return dst;
empty:
	memcpy(dst, "''", 3);
	return dst;
}
