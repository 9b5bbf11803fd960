/* fuzz_journal.c - journal slot decoding over arbitrary bytes: a corrupt
 * journal file must be rejected, never replayed half-read. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "act/journal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char slot[JOURNAL_SLOT_SIZE] = { 0 };
	struct journal_entry e;
	char boot[JOURNAL_BOOT_MAX];
	uint64_t seq;

	memcpy(slot, data, size < sizeof(slot) ? size : sizeof(slot));
	if (journal_decode(slot, &e, &seq, boot) == 1) {
		/* What decodes re-encodes to the same slot. */
		unsigned char again[JOURNAL_SLOT_SIZE];
		if (journal_encode(&e, seq, boot, again) != 0 || memcmp(again, slot, sizeof(slot)))
			__builtin_trap();
		/* Replay's checks of both kinds (cgroup, knob) on what decoded:
		 * a knob record that passes names a whitelisted knob. */
		if (!journal_check(&e, "sys/fs/cgroup/memory") && e.kind == JOURNAL_KIND_KNOB) {
			char path[JOURNAL_PATH_MAX + JOURNAL_FILE_MAX + 2];
			snprintf(path, sizeof(path), "%s/%s", e.cgroup, e.file);
			if (!journal_knob_ok(path) || e.dev || e.ino)
				__builtin_trap();
		}
	}
	return 0;
}
