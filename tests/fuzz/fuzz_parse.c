/* fuzz_parse.c - the shared primitives over arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "util/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct hr_kv_key keys[] = { { "MemFree", 0 }, { "Cached", 1 }, { "nr_free_pages", 2 } };
	const char *s = (const char *)data;
	uint64_t vals[3], v;
	int64_t i;
	size_t used, pos = 0;
	struct hr_span line, tok;

	kv_parse(s, size, keys, 3, vals, true);
	parse_u64(s, size, &v, &used);
	parse_i64(s, size, &i, &used);
	parse_hex_u64(s, size, &v, &used);
	while (span_next_line(s, size, &pos, &line)) {
		span_find(line, "order:");
		parse_u64_field(line, &v);
		while (span_next_token(&line, &tok))
			;
	}
	return 0;
}
