/* kmsg.h - read the kernel ring buffer through /dev/kmsg, to its end.
 *
 * kmsg_drain() opens "dev/kmsg" below the root (O_RDONLY|O_NONBLOCK), reads
 * every record that is there now and returns at EAGAIN; it never blocks.
 * Each kernel record (facility 0; messages written by user space are
 * skipped) is passed to `line` as "[sec.usec][Tnnn] text", the same text
 * dmesg with PRINTK_CALLER prints, so the log-line parser handles both.
 * EPIPE from read() means the ring buffer overwrote records we had not
 * read yet: each one is counted in *lost and reading continues.
 * A regular file below a fixture root is accepted too: records one per
 * line, continuation lines (" KEY=VAL") skipped, records up to 8 KiB.
 */
#ifndef HR_KERNEL_KMSG_H
#define HR_KERNEL_KMSG_H

#include <stddef.h>
#include <stdint.h>

#include "kernel/root.h"

typedef void (*hr_kmsg_line_fn)(void *arg, const char *line, size_t len);

/* The same reading, raw: every record's first line ("prio,seq,usec,flags;
 * text", no '\n'; continuation lines skipped; any facility, unparsed) is
 * passed to `rec`. Returns the number passed, or -errno as kmsg_drain. */
long kmsg_records(const struct hr_root *r, hr_kmsg_line_fn rec, void *arg, uint64_t *lost);

/* Returns the number of records passed on, or -errno of open (EPERM without
 * CAP_SYSLOG when kernel.dmesg_restrict=1) or of a read error other than
 * EAGAIN/EPIPE/EINTR. *lost counts EPIPE. */
long kmsg_drain(const struct hr_root *r, hr_kmsg_line_fn line, void *arg, uint64_t *lost);

/* For a live reader that keeps its fd (the agent's loop): opens dev/kmsg
 * below the root O_RDONLY|O_NONBLOCK|O_CLOEXEC, at its end (only records
 * logged from now on). Returns the fd, -ENODEV when it is not a character
 * device (a fixture's regular file cannot be polled), or open's -errno. */
int kmsg_open_live(const struct hr_root *r);

struct hr_kmsg_rec;
/* A parsed record as the line kmsg_drain passes on ("[sec.usec][Tnnn]
 * text"), into out[0..cap), the text cut to fit. Returns its length, or -1
 * when not even the prefix fits. */
int kmsg_record_line(const struct hr_kmsg_rec *rec, char *out, size_t cap);

/* Wall-clock time of boot, usec since the epoch, for turning record stamps
 * into dates. On the live host CLOCK_REALTIME - CLOCK_BOOTTIME (usec
 * precision); below another root the "btime" of its proc/stat (whole
 * seconds; a snapshot holds it). Returns 0 or -errno (-ENODATA: no btime). */
int kmsg_boot_usec(const struct hr_root *r, int64_t *out);

#endif
