/* fuzz_vmstat.c - vmstat_parse() over arbitrary bytes (seeds: this machine's
 * /proc files, tests/fuzz/corpus/vmstat/). */
#include <stddef.h>
#include <stdint.h>

#include "snapshot/vmstat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmstat out;

	vmstat_parse((const char *)data, size, &out);
	return 0;
}
