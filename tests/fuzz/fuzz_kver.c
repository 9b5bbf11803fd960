/* fuzz_kver.c - kver_parse() over arbitrary bytes (seed: this machine's
 * /proc/sys/kernel/osrelease, tests/fuzz/corpus/kver/). */
#include <stddef.h>
#include <stdint.h>

#include "snapshot/kver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kver k;

	if (kver_parse((const char *)data, size, &k) == 0)
		kver_at_least(&k, 5, 10);
	return 0;
}
