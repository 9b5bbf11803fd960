/* fuzz_zoneinfo.c - zoneinfo_parse() over arbitrary bytes (seeds: this machine's
 * /proc files, tests/fuzz/corpus/zoneinfo/). */
#include <stddef.h>
#include <stdint.h>

#include "snapshot/zoneinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zoneinfo out;

	zoneinfo_parse((const char *)data, size, &out);
	return 0;
}
