/* fuzz_meminfo.c - meminfo_parse() over arbitrary bytes (seeds: this machine's
 * /proc files, tests/fuzz/corpus/meminfo/). */
#include <stddef.h>
#include <stdint.h>

#include "snapshot/meminfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct meminfo out;

	meminfo_parse((const char *)data, size, &out);
	return 0;
}
