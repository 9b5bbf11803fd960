/* logjoin_cat.c - prints the logical lines snapshot/logjoin.h makes of a
 * file (or stdin): what `headroom explain` reads of a damaged paste.
 * usage: logjoin_cat [FILE]   (a debugging aid for the mutation test) */
#include <stdio.h>
#include <string.h>

#include "snapshot/logjoin.h"

static void out(void *arg, const char *line, size_t len)
{
	(void)arg;
	fwrite(line, 1, len, stdout);
	fputc('\n', stdout);
}

int main(int argc, char **argv)
{
	static struct hr_logjoin j;
	static char buf[1 << 16];
	FILE *f = argc > 1 ? fopen(argv[1], "rb") : stdin;
	size_t n;

	if (!f) {
		perror(argv[1]);
		return 1;
	}
	logjoin_init(&j, out, NULL, true);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		logjoin_feed(&j, buf, n);
	logjoin_flush(&j, true);
	fprintf(stderr, "logjoin: %llu lines in, %llu out, %llu joined, %llu split\n",
		(unsigned long long)j.st.lines_in, (unsigned long long)j.st.lines_out,
		(unsigned long long)j.st.joined, (unsigned long long)j.st.split);
	return 0;
}
