/* fuzz_swaps.c - swaps_parse() over arbitrary bytes (seeds: this machine's
 * /proc files, tests/fuzz/corpus/swaps/). */
#include <stddef.h>
#include <stdint.h>

#include "snapshot/swaps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct swaps out;

	swaps_parse((const char *)data, size, &out);
	return 0;
}
