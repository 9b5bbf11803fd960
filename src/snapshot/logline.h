/* logline.h - one line of kernel log text, as people paste it, without its
 * prefixes; and one /dev/kmsg record.
 *
 * Kernel messages reach us wrapped in whatever the collector added:
 *   [  785.581198] text                          dmesg (CONFIG_PRINTK_TIME)
 *   [  659.105948][ T3124] text                  dmesg, CONFIG_PRINTK_CALLER (5.1+)
 *   [Thu May  9 14:52:38 2024] text              dmesg -T (any locale)
 *   [May 7 20:30] text / [  +0.000004] text      dmesg -H
 *   Sep  8 16:40:44 knalp3 kernel: text          syslog, journalctl -k
 *   2019-02-25T03:45:03.778502+00:00 host kernel: [20763743.334180] text   rsyslog RFC 3339
 *   Feb 29 19:54:23 kernel: text                 busybox syslogd (no host)
 *   <4>[ 12.3] text                              console with loglevel
 * logline_parse() removes them (in any nesting of the above) and returns
 * the message text. It is pure: no I/O, no allocation, no logging.
 */
#ifndef HR_SNAPSHOT_LOGLINE_H
#define HR_SNAPSHOT_LOGLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/parse.h"

enum hr_ts_kind {
	HR_TS_NONE = 0,
	HR_TS_MONO,	/* seconds since boot: "[  785.581198]", kmsg usec */
	HR_TS_WALL,	/* wall clock (syslog, dmesg -T): seconds since the start
			 * of the month's day count, good for gaps, not dates */
};

struct hr_logline {
	struct hr_span text;	/* the message, leading blanks removed */
	size_t indent;		/* blanks removed from the start of the message */
	enum hr_ts_kind ts_kind;
	int64_t ts_usec;	/* valid when ts_kind != HR_TS_NONE */
	char caller[12];	/* "T3124" / "C3" from PRINTK_CALLER, else "" */
	struct hr_span host;	/* syslog host name, or empty */
	bool not_kernel;	/* syslog line of another program: ignore */
};

/* Strips the prefixes of one line (no '\n'; a trailing '\r' is dropped).
 * Always succeeds: a line without any known prefix is all text. */
void logline_parse(const char *buf, size_t len, struct hr_logline *out);

/* One record read from /dev/kmsg (Documentation/ABI/testing/dev-kmsg):
 *   "6,1234,5678901,-;text\n KEY=VAL\n"   (prio,seq,usec,flags[,more];text)
 * Fields after flags are ignored (the ABI reserves them); continuation
 * lines " KEY=VAL" after the first '\n' are ignored. */
struct hr_kmsg_rec {
	unsigned level;		/* prio & 7 */
	unsigned facility;	/* prio >> 3 (0 = kernel) */
	uint64_t seq;
	uint64_t usec;
	bool cont;		/* flags has 'c' (continuation fragment) */
	char caller[12];	/* "T123" from ",caller=T123" (5.1+ PRINTK_CALLER), else "" */
	struct hr_span text;	/* up to the first '\n', unescaped NOT done */
};

/* Returns 0, or -EINVAL if the record does not have the
 * "prio,seq,usec,flags;" header. *out is untouched on error. */
int kmsg_record_parse(const char *buf, size_t len, struct hr_kmsg_rec *out);

#endif
