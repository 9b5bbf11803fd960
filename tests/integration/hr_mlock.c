/* hr_mlock FILE BYTES - maps the first BYTES of FILE read-only and shared,
 * mlocks them, prints "locked" and sleeps until killed (at most 120 s). A
 * writable private map would be copied on mlock, locking anonymous copies
 * instead of the file's page cache. For tests/integration/cache_v2_vm.sh. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	size_t n = strtoull(argv[2], NULL, 0);
	int fd = open(argv[1], O_RDONLY);
	void *p = fd < 0 ? MAP_FAILED : mmap(NULL, n, PROT_READ, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED || mlock(p, n)) {
		perror("hr_mlock");
		return 1;
	}
	printf("locked\n");
	fflush(stdout);
	sleep(120);
	return 0;
}
