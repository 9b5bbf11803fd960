/* fuzz_http_req.c - http_req_parse() over arbitrary bytes (seeds: requests
 * of Prometheus, curl and malformed ones, tests/fuzz/corpus/http_req/). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "report/http_req.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_req r;
	long n = http_req_parse((const char *)data, size, &r);

	/* A complete head lies within the input and its path is a string. */
	if (n > 0 && ((size_t)n > size || strlen(r.path) >= HTTP_PATH_MAX))
		__builtin_trap();
	return 0;
}
