/* fuzz_buddyinfo.c - buddyinfo_parse() over arbitrary bytes (seeds: this machine's
 * /proc files, tests/fuzz/corpus/buddyinfo/). */
#include <stddef.h>
#include <stdint.h>

#include "snapshot/buddyinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buddyinfo out;

	buddyinfo_parse((const char *)data, size, &out);
	return 0;
}
