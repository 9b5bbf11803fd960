/* fuzz_mountinfo.c - mountinfo_parse(), mountinfo_parse_line() and
 * octal_unescape() over arbitrary bytes (seeds: this machine's
 * /proc/self/mountinfo, tests/fuzz/corpus/mountinfo/). */
#include <stddef.h>
#include <stdint.h>

#include "snapshot/mountinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct mountinfo_entry e;
	char small[8];
	size_t n;

	mountinfo_parse(s, size, &n);
	if (mountinfo_parse_line(s, size, &e) == 0)
		mountinfo_prefix_len(e.mount_point, e.root);
	octal_unescape((struct hr_span){ s, size }, small, sizeof(small));
	return 0;
}
