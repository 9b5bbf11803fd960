/* fragmem.c - leave free memory in order-0 holes: maps MiB of anonymous
 * memory, touches it, then frees 7 pages of every 8: one kept page per
 * 32 KiB means no free order-3 block can form there, while 7/8 of the
 * memory is free. Sleeps until killed so the kept pages pin the holes
 * (compaction can move them; with no swap in the guest nothing else can). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 0, pg = 4096, len = mib << 20;
	if (!mib)
		return 2;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return perror("mmap"), 1;
	madvise(p, len, MADV_NOHUGEPAGE);	/* 4 KiB pages, not THP */
	for (size_t o = 0; o < len; o += pg)
		p[o] = 1;
	for (size_t o = 0; o < len; o += 8 * pg)
		madvise(p + o + pg, 7 * pg, MADV_DONTNEED);
	printf("fragmem: %zu MiB mapped, 7 of every 8 pages freed\n", mib);
	fflush(stdout);
	for (;;)
		pause();
}
