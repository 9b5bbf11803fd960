/* shquote.c - see shquote.h. */
#include "util/shquote.h"

#include <stdbool.h>
#include <string.h>

static bool plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("_./:@%+=,-", c));
}

const char *shell_quote(const char *s, char *dst, size_t cap)
{
	size_t n = 0;
	bool quote = !*s;

	if (cap < 3)
		return cap ? (dst[0] = '\0', dst) : dst;
	for (const char *p = s; *p && !quote; p++)
		quote = !plain((unsigned char)*p);
	if (!quote) {
		if (strlen(s) >= cap)
			goto empty;
		memcpy(dst, s, strlen(s) + 1);
		return dst;
	}
	dst[n++] = '\'';
	for (const char *p = s; *p; p++) {
		const char *piece = *p == '\'' ? "'\\''" : NULL;
		size_t k = piece ? 4 : 1;
		if (n + k + 2 > cap)
			goto empty;
		if (piece)
			memcpy(dst + n, piece, k);
		else
			dst[n] = *p;
		n += k;
	}
	dst[n++] = '\'';
	dst[n] = '\0';
	return dst;
empty:
	memcpy(dst, "''", 3);
	return dst;
}
