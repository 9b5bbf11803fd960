#define _GNU_SOURCE
/* fuzz_jsonw.c - any bytes in a string must come out as valid JSON text:
 * this checks the writer's output with a small validating scanner. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/jsonw.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* Validates one JSON string token at s (after the opening quote). Returns
 * the length consumed including the closing quote, 0 if invalid. */
static size_t check_string(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			return i + 1;
		if (s[i] < 0x20)
			return 0;
		if (s[i] == '\\') {
			if (++i >= n || !strchr("\"\\/bfnrtu", s[i]))
				return 0;
		}
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct jsonw w;

	if (!f)
		return 0;
	jw_init(&w, f, size & 1);
	jw_obj_begin(&w);
	jw_key(&w, "k");
	jw_strn(&w, (const char *)data, size);
	jw_obj_end(&w);
	jw_finish(&w);
	fclose(f);
	const unsigned char *p = (const unsigned char *)strchr(buf, ':');
	while (*++p == ' ')
		;
	if (*p != '"' || !check_string(p + 1, len - (size_t)(p + 1 - (unsigned char *)buf)))
		abort();
	free(buf);
	return 0;
}
