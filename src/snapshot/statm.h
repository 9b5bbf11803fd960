/* statm.h - /proc/PID/statm: a process's memory in pages.
 *
 * statm_parse() is pure: no I/O, no allocation, no logging. The file is
 * positional (fs/proc/array.c proc_pid_statm: size resident shared text
 * lib data dt, seven numbers on one line); only the first two are kept.
 */
#ifndef HR_SNAPSHOT_STATM_H
#define HR_SNAPSHOT_STATM_H

#include <stddef.h>
#include <stdint.h>

struct statm {
	uint64_t size_pages;		/* VmSize */
	uint64_t resident_pages;	/* VmRSS */
};

/* Fills *out from buf[0..len). Returns 0, or -EINVAL unless the text
 * starts with two unsigned numbers separated by one space, -ERANGE when
 * one is above 2^64 - 1. Later fields are not checked (a new column is
 * tolerated). No relation between the two is checked: the RSS counters
 * are per-CPU-cached and may run ahead of size for a moment. *out is
 * untouched on error. */
int statm_parse(const char *buf, size_t len, struct statm *out);

#endif
