/* page.c - see page.h. */
#include "util/page.h"

#include <unistd.h>

uint64_t page_size(void)
{
	long p = sysconf(_SC_PAGESIZE);

	return p >= 4096 ? (uint64_t)p : 4096;
}
