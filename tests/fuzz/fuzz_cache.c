/* fuzz_cache.c - cache_cgroup_norm() (the --expect/--recharge argument
 * parser) and the kpage word decoders over arbitrary bytes (seeds:
 * tests/fuzz/corpus/cache/). Checks the output is a clean hierarchy path. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/cache_owner.h"
#include "snapshot/kpage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[CACHE_PATH_MAX];

	if (cache_cgroup_norm((const char *)data, size, "/sys/fs/cgroup/memory", out, sizeof(out)) == 0) {
		size_t n = strlen(out);
		if (out[0] != '/' || (n > 1 && out[n - 1] == '/') || strstr(out, "//") || strstr(out, "/../") ||
		    strstr(out, "/./"))
			abort();
		(void)cache_owner_relation(out, "/a/b");
	}
	if (size >= 16) {
		uint64_t w[2];
		struct kpage_pm pm;
		struct kpage_flags f;
		memcpy(w, data, sizeof(w));
		kpage_pm_decode(w[0], &pm);
		if (pm.pfn >= (UINT64_C(1) << 55))
			abort();
		kpage_flags_decode(w[1], &f);
		(void)cache_recharge_verdict(&f, cache_mapped_others(w[0]));
	}
	return 0;
}
