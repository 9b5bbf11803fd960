/* fuzz_statm.c - statm_parse() over arbitrary bytes (seeds: /proc/self/statm
 * of cat on this machine, tests/fuzz/corpus/statm/). */
#include <stddef.h>
#include <stdint.h>

#include "snapshot/statm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct statm out;

	statm_parse((const char *)data, size, &out);
	return 0;
}
