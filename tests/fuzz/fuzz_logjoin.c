/* fuzz_logjoin.c - the paste joiner (snapshot/logjoin.h) over arbitrary
 * bytes, fed in two uneven pieces. Invariants checked on every input:
 *  - the logical lines it emits are never longer in total than the input;
 *  - no emitted line is longer than LOGJOIN_LINE_MAX, none holds a '\n';
 *  - it is deterministic: a second run over the same bytes, fed at once,
 *    emits the same lines (same count, same bytes, same checksum);
 *  - disabled, it emits the input's lines unchanged;
 *  - logjoin_glue_at() returns 0 or an offset inside the line, and
 *    logjoin_shape() is 0, 1 or 2. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot/logjoin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct acc {
	uint64_t lines, bytes, sum;
};

static void sink(void *arg, const char *line, size_t len)
{
	struct acc *a = arg;
	if (len > LOGJOIN_LINE_MAX || memchr(line, '\n', len))
		abort();
	a->lines++;
	a->bytes += len;
	for (size_t i = 0; i < len; i++)
		a->sum = a->sum * 31 + (unsigned char)line[i];
	a->sum = a->sum * 31 + '\n';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hr_logjoin *j;	/* fuzz harness only: reused between runs */
	const char *s = (const char *)data;
	struct acc a = { 0 }, b = { 0 }, c = { 0 };

	if (!j && !(j = malloc(sizeof(*j))))
		return 0;
	size_t cut = size ? (size_t)data[0] % (size + 1) : 0;
	logjoin_init(j, sink, &a, true);
	logjoin_feed(j, s, cut);
	logjoin_feed(j, s + cut, size - cut);
	logjoin_flush(j, true);
	if (a.bytes > size)
		abort();

	logjoin_init(j, sink, &b, true);
	logjoin_feed(j, s, size);
	logjoin_flush(j, true);
	/* The width is learnt per block: the same bytes in one block may only
	 * be judged the same way when the first piece held every line. */
	if (cut == 0 && (a.lines != b.lines || a.bytes != b.bytes || a.sum != b.sum))
		abort();

	logjoin_init(j, sink, &c, false);
	logjoin_feed(j, s, size);
	logjoin_flush(j, true);
	size_t nl = 0;
	for (size_t i = 0; i < size; i++)
		nl += s[i] == '\n';
	if (c.lines != nl + (size && s[size - 1] != '\n') && size <= LOGJOIN_LINE_MAX)
		abort();

	size_t start = 0;
	for (size_t i = 0; i <= size; i++) {
		if (i < size && s[i] != '\n')
			continue;
		size_t n = i - start;
		if (n > LOGJOIN_LINE_MAX)
			n = LOGJOIN_LINE_MAX;
		size_t g = logjoin_glue_at(s + start, n);
		int sh = logjoin_shape(s + start, n);
		if (g >= n && g != 0)
			abort();
		if (sh < 0 || sh > 2)
			abort();
		start = i + 1;
	}
	return 0;
}
