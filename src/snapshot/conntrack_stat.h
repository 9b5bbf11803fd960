/* conntrack_stat.h - /proc/net/stat/nf_conntrack as summed numbers.
 *
 * The file is a header row of column names and one row of hex values per
 * possible CPU. Columns were added and renamed across kernels (KERNEL-FACTS
 * F.4: 3.10 adds search_restart, 5.10 renames column 2 to clashres, 5.15
 * renames column 8 to chainlength), so it is parsed by the header names,
 * never by position. conntrack_stat_parse() is pure: no I/O, no allocation,
 * no logging; it is what the unit tests and the fuzzer call.
 */
#ifndef HR_SNAPSHOT_CONNTRACK_STAT_H
#define HR_SNAPSHOT_CONNTRACK_STAT_H

#include <stddef.h>
#include <stdint.h>

/* More columns than this in the header is -E2BIG (6.18 prints 17). */
#define CONNTRACK_STAT_COLS_MAX 64

struct conntrack_stat {
	/* "entries" is the per-netns count, printed identically on every
	 * row: taken from the first row, not summed. */
	uint64_t entries;
	/* Summed over the CPU rows (saturating). HR_UNSET when the column is
	 * not on this kernel. */
	uint64_t found;
	uint64_t invalid;
	uint64_t insert;
	uint64_t insert_failed;	/* clash on insert (all kernels) */
	uint64_t drop;		/* packet dropped: no entry could be made */
	uint64_t early_drop;	/* an entry was evicted to make room */
	uint64_t icmp_error;
	uint64_t search_restart;	/* 3.10+ */
	uint64_t clashres;		/* 5.10+ */
	uint64_t chainlength;		/* 5.15+: inserts refused, chain too long */
	unsigned ncpus;		/* value rows */
	unsigned ncols;		/* header columns */
};

/* Fills *out from buf[0..len). Returns 0; -ENODATA if the text is empty,
 * has no value row, or lacks the "entries" or "drop" column; -EINVAL if a
 * row's value count differs from the header's or a value is not hex;
 * -ERANGE if a value does not fit 64 bits; -E2BIG if the header has more
 * than CONNTRACK_STAT_COLS_MAX columns. Unknown columns are skipped.
 * *out is untouched on error. */
int conntrack_stat_parse(const char *buf, size_t len, struct conntrack_stat *out);

#endif
