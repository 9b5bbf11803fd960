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
 *   Mon Apr 12 18:29:48 2021 kern.warn kernel: [ 267.7] text   OpenWrt logread
 *     (only facility "kern" is the kernel's: "user.info kernel:" is procd
 *     writing to /dev/kmsg, "daemon.info prog[pid]:" another program)
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

/* A wall-clock time as the log wrote it. Which zone it is in depends on
 * the collector: RFC 3339 syslog and journalctl -o short-iso carry an
 * offset (HR_WALL_UTC: `off_sec` applies); dmesg -T and ISO dates without
 * an offset are local time of the machine that printed them
 * (HR_WALL_LOCAL); classic syslog "Mar  5 10:11:12" is local time without
 * a year (HR_WALL_NOYEAR: year is 0). */
enum hr_wall_kind { HR_WALL_NONE = 0, HR_WALL_UTC, HR_WALL_LOCAL, HR_WALL_NOYEAR };

struct hr_wall {
	enum hr_wall_kind kind;
	int year;		/* 0 for HR_WALL_NOYEAR */
	int mon, day;		/* 1-12, 1-31 */
	int hour, min, sec;
	int usec;
	int off_sec;		/* east of UTC, HR_WALL_UTC only */
};

/* Seconds since 1970-01-01 UTC of the civil time w (ignoring its kind and
 * offset; year taken from `year`). Pure. */
int64_t logline_civil_seconds(int year, int mon, int day, int hour, int min, int sec);

/* "2024-03-05T10:11:12Z" for epoch seconds t (gmtime, pure arithmetic);
 * buf holds at least 21 bytes. Years outside 0..9999 print as clamped. */
void logline_iso_utc(int64_t t, char *buf, size_t cap);

struct hr_logline {
	struct hr_wall wall;	/* the wall-clock time of the line, if it has one */
	struct hr_span text;	/* the message, leading blanks removed */
	size_t indent;		/* blanks removed from the start of the message */
	enum hr_ts_kind ts_kind;
	int64_t ts_usec;	/* valid when ts_kind != HR_TS_NONE */
	char caller[12];	/* "T3124" / "C3" from PRINTK_CALLER, else "" */
	struct hr_span host;	/* syslog host name, or empty */
	bool not_kernel;	/* syslog line of another program: ignore */
	bool kernel;		/* it had a kernel log prefix: a "[...]" stamp or
				 * caller id, "<N>", a "kernel:" syslog tag, or it is
				 * a journalctl "-- ... --" marker; and !not_kernel */
};

/* Strips the prefixes of one line (no '\n'; a trailing '\r' is dropped).
 * Always succeeds: a line without any known prefix is all text. */
void logline_parse(const char *buf, size_t len, struct hr_logline *out);

/* Same as logline_parse(buf, len, &ll).kernel, faster for the common
 * "[  785.581198] " form: what `explain` calls on lines it otherwise skips. */
bool logline_is_kernel(const char *buf, size_t len);

/* True if buf starts with a "[  785.581198]" stamp (digits, one '.',
 * digits, ']' within the first 32 bytes): such a line is a kernel line
 * whatever follows. Inline: it runs once per skipped line. False says
 * nothing (logline_is_kernel decides). */
static inline bool logline_has_stamp(const char *buf, size_t len)
{
	if (len <= 3 || buf[0] != '[')
		return false;
	size_t i = 1, lim = len < 32 ? len : 32;
	while (i < lim && buf[i] == ' ')
		i++;
	size_t d0 = i;
	while (i < lim && (unsigned)(buf[i] - '0') < 10)
		i++;
	if (i == d0 || i >= lim || buf[i] != '.')
		return false;
	size_t f0 = ++i;
	while (i < lim && (unsigned)(buf[i] - '0') < 10)
		i++;
	return i > f0 && i < lim && buf[i] == ']';
}

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

/* The "btime N" line of /proc/stat (boot time, seconds since the epoch).
 * Returns 0, -ENODATA if there is no such line, -EINVAL if malformed.
 * *sec is untouched on error. */
int logline_btime_parse(const char *buf, size_t len, int64_t *sec);

#endif
