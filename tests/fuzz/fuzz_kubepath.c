/* fuzz_kubepath.c - kubepath_parse() over arbitrary bytes (seeds: kubelet
 * cgroup names of both drivers, tests/fuzz/corpus/kubepath/). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "snapshot/kubepath.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kubepath k;

	if (kubepath_parse((const char *)data, size, &k) == 0) {
		/* Every field is a terminated string of the documented alphabet. */
		if (strlen(k.pod_uid) > KUBEPATH_UID_MAX || strlen(k.container_id) > KUBEPATH_CID_MAX)
			__builtin_trap();
	}
	return 0;
}
