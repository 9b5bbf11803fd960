/* swaps.h - /proc/swaps: the active swap areas.
 *
 * swaps_parse() is pure: no I/O, no allocation, no logging. Paths are
 * unescaped (the kernel prints them with seq_file_path(.., " \t\n\\"), so a
 * space is "\040"); sizes are converted from KiB to bytes.
 */
#ifndef HR_SNAPSHOT_SWAPS_H
#define HR_SNAPSHOT_SWAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* MAX_SWAPFILES is 32 minus the special types; 32 covers every kernel. */
#define SWAPS_MAX 32
#define SWAPS_PATH_MAX 1024

enum swaps_type { SWAPS_PARTITION, SWAPS_FILE, SWAPS_OTHER };

struct swaps_entry {
	char path[SWAPS_PATH_MAX];	/* unescaped, " (deleted)" removed */
	bool deleted;			/* the swap file was unlinked */
	enum swaps_type type;
	uint64_t size_bytes, used_bytes;
	int64_t priority;
};

struct swaps {
	struct swaps_entry e[SWAPS_MAX];
	size_t n;
};

/* Fills *out from buf[0..len). The first line must be the header
 * ("Filename\tType..."); a header alone means no swap (n = 0). Columns after
 * Priority are ignored. Returns 0; -ENODATA for empty text; -EINVAL for a
 * missing header, a malformed line or used > size; -ERANGE on overflow;
 * -E2BIG with more than SWAPS_MAX entries; -ENAMETOOLONG for a path above
 * SWAPS_PATH_MAX. *out is untouched on error. */
int swaps_parse(const char *buf, size_t len, struct swaps *out);

const char *swaps_type_name(enum swaps_type t);

#endif
