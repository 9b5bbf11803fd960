/* logline.c - see logline.h. Every test here looks at a few bytes at a
 * known place; nothing scans the whole line except the final blank skip. */
#include "snapshot/logline.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_alpha(char c)
{
	return (unsigned)((c | 0x20) - 'a') < 26;
}

/* "HH:MM:SS" at s[0..8) -> seconds of the day, or -1. */
static int64_t hms(const char *s, size_t len)
{
	if (len < 8 || !is_digit(s[0]) || !is_digit(s[1]) || s[2] != ':' ||
	    !is_digit(s[3]) || !is_digit(s[4]) || s[5] != ':' ||
	    !is_digit(s[6]) || !is_digit(s[7]))
		return -1;
	return ((s[0] - '0') * 10 + (s[1] - '0')) * 3600 +
	       ((s[3] - '0') * 10 + (s[4] - '0')) * 60 +
	       (s[6] - '0') * 10 + (s[7] - '0');
}

static int two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
 * calendar, no table, no time zone. */
int64_t logline_civil_seconds(int year, int mon, int day, int hour, int min, int sec)
{
	int64_t y = (int64_t)year - (mon <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = (mon + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;
	return days * 86400 + hour * 3600 + min * 60 + sec;
}

void logline_iso_utc(int64_t t, char *buf, size_t cap)
{
	/* civil_from_days, the inverse of the above. */
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t sod = t - days * 86400;
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);
	if (y < 0)
		y = 0;
	if (y > 9999)
		y = 9999;
	snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, (int)m, (int)d,
		 (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
}

/* Fraction digits after a '.' at s[0] (s[0] must be '.'): microseconds,
 * extra digits ignored. Returns the bytes used (0 if s[0] is not '.'). */
static size_t fraction_usec(const char *s, size_t len, int *usec)
{
	size_t i = 1;
	int v = 0, nd = 0;
	if (!len || s[0] != '.')
		return 0;
	while (i < len && is_digit(s[i])) {
		if (nd < 6) {
			v = v * 10 + (s[i] - '0');
			nd++;
		}
		i++;
	}
	for (; nd < 6; nd++)
		v *= 10;
	*usec = v;
	return i;
}


/* Wall-clock seconds from bracket/syslog content: the last 1-2 digit number
 * before "HH:MM:SS" is taken as the day of the month. Only gaps matter. */
static bool wall_seconds(const char *s, size_t len, int64_t *out)
{
	for (size_t i = 0; i + 8 <= len; i++) {
		int64_t t = hms(s + i, len - i);
		if (t < 0)
			continue;
		int64_t day = 0;
		size_t j = i;
		while (j > 0 && is_blank(s[j - 1]))
			j--;
		if (j > 0 && is_digit(s[j - 1])) {
			day = s[j - 1] - '0';
			if (j > 1 && is_digit(s[j - 2]))
				day += (s[j - 2] - '0') * 10;
		}
		*out = (day * 86400 + t) * 1000000;
		return true;
	}
	return false;
}

/* "[  785.581198]" content (without brackets) -> usec. */
static bool mono_usec(const char *s, size_t len, int64_t *out)
{
	size_t i = 0;
	uint64_t sec = 0, frac = 0, used;
	while (i < len && s[i] == ' ')
		i++;
	if (i == len || !is_digit(s[i]) || parse_u64(s + i, len - i, &sec, &used))
		return false;
	i += used;
	if (i == len || s[i] != '.')
		return false;
	i++;
	size_t f0 = i;
	while (i < len && is_digit(s[i]) && i - f0 < 6)
		frac = frac * 10 + (uint64_t)(s[i++] - '0');
	if (i == f0)
		return false;
	for (size_t k = i - f0; k < 6; k++)
		frac *= 10;
	while (i < len && is_digit(s[i]))
		i++;
	if (i != len || sec > (uint64_t)INT64_MAX / 2000000)
		return false;
	*out = (int64_t)(sec * 1000000 + frac);
	return true;
}

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* 1-12 for "Jan".."Dec" at s[0..3), else 0. */
static int month_of(const char *s)
{
	for (int m = 0; m < 12; m++)
		if (!memcmp(s, months[m], 3))
			return m + 1;
	return 0;
}

static bool civil_ok(int mon, int day, int hour, int min, int sec)
{
	return mon >= 1 && mon <= 12 && day >= 1 && day <= 31 && hour <= 23 && min <= 59 &&
	       sec <= 60;
}

/* dmesg -T (util-linux, C locale: ctime format) inside the brackets:
 * "Thu May  9 14:52:38 2024". Other locales keep their gap-only time. */
static void dmesg_t_wall(const char *c, size_t n, struct hr_wall *w)
{
	if (n != 24 || c[3] != ' ' || c[7] != ' ' || c[10] != ' ' || c[19] != ' ')
		return;
	int mon = month_of(c + 4);
	if (!mon || !(c[8] == ' ' || is_digit(c[8])) || !is_digit(c[9]) || hms(c + 11, 8) < 0 ||
	    !is_digit(c[20]) || !is_digit(c[21]) || !is_digit(c[22]) || !is_digit(c[23]))
		return;
	struct hr_wall v = { .kind = HR_WALL_LOCAL, .mon = mon,
			     .day = (c[8] == ' ' ? 0 : c[8] - '0') * 10 + (c[9] - '0'),
			     .hour = two(c + 11), .min = two(c + 14), .sec = two(c + 17),
			     .year = two(c + 20) * 100 + two(c + 22) };
	if (civil_ok(v.mon, v.day, v.hour, v.min, v.sec))
		*w = v;
}

/* Length of a syslog date "Sep  8 16:40:44" (optionally with fraction) at
 * the start of s, or 0. */
static size_t syslog_date(const char *s, size_t len, int64_t *ts, struct hr_wall *w)
{
	if (len < 15)
		return 0;
	int mon = month_of(s);
	if (!mon || s[3] != ' ')
		return 0;
	size_t i = 4;
	while (i < len && s[i] == ' ')
		i++;
	if (i >= len || !is_digit(s[i]))
		return 0;
	int day = 0;
	while (i < len && is_digit(s[i])) {
		if (day < 100)
			day = day * 10 + (s[i] - '0');
		i++;
	}
	if (i >= len || s[i] != ' ')
		return 0;
	i++;
	if (hms(s + i, len - i) < 0)
		return 0;
	wall_seconds(s, len < i + 8 ? len : i + 8, ts);
	struct hr_wall v = { .kind = HR_WALL_NOYEAR, .mon = mon, .day = day,
			     .hour = two(s + i), .min = two(s + i + 3), .sec = two(s + i + 6) };
	i += 8;
	i += fraction_usec(s + i, len - i, &v.usec);
	if (w->kind == HR_WALL_NONE && civil_ok(v.mon, v.day, v.hour, v.min, v.sec))
		*w = v;
	return i;
}

/* OpenWrt logread (ubox log/logread.c): ctime's "Thu Mar 14 11:05:52
 * 2019", then "facility.priority" ("kern.warn"), then the tag
 * ("kernel:" for kernel records). Returns the length up to the tag, or 0;
 * *kern says whether the facility is kern. */
static size_t logread_date(const char *s, size_t len, int64_t *ts, struct hr_wall *w, bool *kern)
{
	if (len < 27 || s[3] != ' ' || !is_alpha(s[0]) || !is_alpha(s[1]) || !is_alpha(s[2]))
		return 0;
	struct hr_wall v = { 0 };
	dmesg_t_wall(s, 24, &v);
	if (v.kind == HR_WALL_NONE || s[24] != ' ')
		return 0;
	size_t i = 25, f0 = i;
	while (i < len && is_alpha(s[i]) && i - f0 < 8)
		i++;
	size_t flen = i - f0;
	if (!flen || i >= len || s[i] != '.')
		return 0;
	size_t p0 = ++i;
	while (i < len && is_alpha(s[i]) && i - p0 < 8)
		i++;
	if (i == p0 || i >= len || !is_blank(s[i]))
		return 0;
	*kern = flen == 4 && !memcmp(s + f0, "kern", 4);
	*ts = (((int64_t)v.day * 86400) + v.hour * 3600 + v.min * 60 + v.sec) * 1000000;
	if (w->kind == HR_WALL_NONE)
		*w = v;
	while (i < len && is_blank(s[i]))
		i++;
	return i;
}

/* RFC 3339 / ISO "2019-02-25T03:45:03.778502+00:00" token, or 0.
 * journalctl -o short-iso writes "2024-03-05T10:11:12+0100" (no colon,
 * systemd < 249) or "+01:00"; rsyslog RFC 3339 "+00:00" or "Z". */
static size_t iso_date(const char *s, size_t len, int64_t *ts, struct hr_wall *w)
{
	if (len < 19 || !is_digit(s[0]) || !is_digit(s[3]) || s[4] != '-' ||
	    s[7] != '-' || (s[10] != 'T' && s[10] != ' '))
		return 0;
	int64_t t = hms(s + 11, len - 11);
	if (t < 0 || !is_digit(s[8]) || !is_digit(s[9]))
		return 0;
	*ts = (((s[8] - '0') * 10 + (s[9] - '0')) * 86400 + t) * 1000000;
	struct hr_wall v = { .kind = HR_WALL_LOCAL, .mon = two(s + 5), .day = two(s + 8),
			     .hour = two(s + 11), .min = two(s + 14), .sec = two(s + 17) };
	bool digits = is_digit(s[1]) && is_digit(s[2]) && is_digit(s[5]) && is_digit(s[6]);
	v.year = digits ? two(s) * 100 + two(s + 2) : 0;
	size_t i = 19;
	i += fraction_usec(s + i, len - i, &v.usec);
	if (i < len && s[i] == 'Z') {
		v.kind = HR_WALL_UTC;
		i++;
	} else if (i + 5 <= len && (s[i] == '+' || s[i] == '-') && is_digit(s[i + 1]) &&
		   is_digit(s[i + 2])) {
		size_t k = i + 3;
		if (k < len && s[k] == ':')
			k++;
		if (k + 2 <= len && is_digit(s[k]) && is_digit(s[k + 1])) {
			int off = two(s + i + 1) * 3600 + two(s + k) * 60;
			v.off_sec = s[i] == '-' ? -off : off;
			v.kind = two(s + i + 1) <= 18 ? HR_WALL_UTC : HR_WALL_LOCAL;
			i = k + 2;
		}
	}
	if (w->kind == HR_WALL_NONE && digits && civil_ok(v.mon, v.day, v.hour, v.min, v.sec))
		*w = v;
	while (i < len && !is_blank(s[i]))
		i++;
	return i;
}

/* A bracketed prefix: timestamp, caller id, or neither (returns 0). */
static size_t bracket(const char *s, size_t len, struct hr_logline *out)
{
	if (len < 3 || s[0] != '[')
		return 0;
	size_t end = 1;
	while (end < len && end < 48 && s[end] != ']')
		end++;
	if (end >= len || s[end] != ']')
		return 0;
	const char *c = s + 1;
	size_t n = end - 1;
	/* Caller id "[ T3124]" / "[C3]". */
	size_t k = 0;
	while (k < n && c[k] == ' ')
		k++;
	if (k < n && (c[k] == 'T' || c[k] == 'C') && k + 1 < n) {
		size_t d = k + 1;
		while (d < n && is_digit(c[d]))
			d++;
		if (d == n && n - k < sizeof(out->caller)) {
			memcpy(out->caller, c + k, n - k);
			out->caller[n - k] = '\0';
			out->kernel = true;
			return end + 1;
		}
	}
	int64_t t;
	if (mono_usec(c, n, &t)) {
		out->ts_kind = HR_TS_MONO;
		out->ts_usec = t;
		out->kernel = true;
		return end + 1;
	}
	/* Other timestamps: dmesg -T / -H in any locale; relative "+0.0004".
	 * Need ':' or '.', no '<' (frames "[<c019b538>]"), and are never
	 * plain numbers ("[24389]" is an OOM task-table row). */
	bool colon = false, dot = false;
	if (c[0] == '<' || n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)c[i];
		if (b == ':')
			colon = true;
		else if (b == '.')
			dot = true;
		else if (!(is_digit((char)b) || b == ' ' || b == '+' || b >= 0x80 ||
			   (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')))
			return 0;
	}
	if (colon && wall_seconds(c, n, &t)) {
		if (out->wall.kind == HR_WALL_NONE)
			dmesg_t_wall(c, n, &out->wall);
		out->kernel = true;
		out->ts_kind = HR_TS_WALL;
		out->ts_usec = t;
		return end + 1;
	}
	if (colon || dot) {
		/* Relative or minute stamp ("[  +0.000004]", "[May 7 20:30]"): no
		 * usable time. It marks a kernel line only with a digit on both
		 * sides of a ':' or '.', so that random bytes rarely do. */
		for (size_t i = 1; i + 1 < n; i++)
			if ((c[i] == ':' || c[i] == '.') && is_digit(c[i - 1]) && is_digit(c[i + 1]))
				out->kernel = true;
		return end + 1;
	}
	return 0;
}

/* "kernel:" / "kernel[123]:" / "host kernel:" / "host prog[1]:" at s. */
static size_t syslog_tag(const char *s, size_t len, struct hr_logline *out, bool after_date)
{
	size_t i = 0, t0, t1;

	for (int tok = 0; tok < 2; tok++) {
		t0 = i;
		while (i < len && !is_blank(s[i]))
			i++;
		t1 = i;
		if (t1 > t0 && s[t1 - 1] == ':') {
			size_t n = t1 - t0 - 1;
			const char *p = s + t0;
			bool kern = n >= 6 && !memcmp(p, "kernel", 6) &&
				    (n == 6 || p[6] == '[');
			if (kern)
				out->kernel = true;
			if (!kern && !after_date)
				return 0;
			if (!kern) {
				/* Another program's line ("host sshd[12]:"). */
				bool prog = n > 0 && (p[n - 1] == ']' || tok == 1);
				if (!prog)
					return 0;
				out->not_kernel = true;
			}
			if (tok == 1) {
				out->host.p = s;
				out->host.len = t0 > 0 ? t0 - 1 : 0;
			}
			while (i < len && is_blank(s[i]))
				i++;
			return i;
		}
		if (tok == 1 || t1 == t0)
			return 0;
		while (i < len && is_blank(s[i]))
			i++;
	}
	return 0;
}

void logline_parse(const char *buf, size_t len, struct hr_logline *out)
{
	size_t i = 0, n;
	int64_t t = 0;

	memset(out, 0, sizeof(*out));
	if (len && buf[len - 1] == '\r')
		len--;
	/* A raw /dev/kmsg record line ("cat /dev/kmsg > file", or the device
	 * itself given as FILE): its header is the prefix. */
	struct hr_kmsg_rec rec;
	if (len && is_digit(buf[0]) && !kmsg_record_parse(buf, len, &rec) &&
	    rec.text.p + rec.text.len == buf + len && rec.usec <= (uint64_t)INT64_MAX / 2) {
		out->kernel = rec.facility == 0;
		out->not_kernel = rec.facility != 0;
		out->ts_kind = HR_TS_MONO;
		out->ts_usec = (int64_t)rec.usec;
		memcpy(out->caller, rec.caller, sizeof(out->caller));
		i = (size_t)(rec.text.p - buf);
	}
	/* Paste markers glued to a line: mail/forum quoting ("> ", ">> ")
	 * and a Markdown code fence ("```[  785.5] ..."). No kernel message
	 * starts with either. */
	if (i == 0) {
		size_t k = 0;
		for (int q = 0; q < 8 && k < len && buf[k] == '>'; q++) {
			k++;
			while (k < len && buf[k] == ' ')
				k++;
		}
		if (len - k >= 3 && !memcmp(buf + k, "```", 3))
			k += 3;
		i = k;
	}
	/* Bounded: each pass strips one prefix; a line has at most a few. */
	for (int pass = 0; pass < 6 && i < len; pass++) {
		const char *s = buf + i;
		size_t rest = len - i;
		size_t blanks = 0;

		if (s[0] == '<' && rest > 3 && is_digit(s[1])) {
			size_t k = 1;
			while (k < rest && k < 5 && is_digit(s[k]))
				k++;
			if (k < rest && s[k] == '>') {
				/* "<4>" then text: a console or dmesg -r line (a level
				 * followed by binary junk is not). */
				bool text = true;
				for (size_t q = k + 1; q < rest && q < k + 5; q++)
					text &= s[q] >= 0x20 && s[q] < 0x7f;
				out->kernel |= text;
				i += k + 1;
				continue;
			}
		}
		while (blanks < rest && is_blank(s[blanks]))
			blanks++;
		if ((n = bracket(s + blanks, rest - blanks, out))) {
			i += blanks + n;
			if (i < len && buf[i] == ' ' && pass < 5 &&
			    !(i + 1 < len && buf[i + 1] == '['))
				i++;	/* the one space after "]" */
			continue;
		}
		if (blanks) {
			/* "    kernel: text": a KB article's indented paste. */
			size_t tag = pass == 0 ? syslog_tag(s + blanks, rest - blanks, out, false) : 0;
			if (!tag)
				break;
			if (out->host.p)
				out->host.p = s + blanks;
			i += blanks + tag;
			continue;
		}
		bool kern = false;
		if ((n = logread_date(s, rest, &t, &out->wall, &kern))) {
			out->ts_kind = out->ts_kind == HR_TS_MONO ? HR_TS_MONO : HR_TS_WALL;
			if (out->ts_kind == HR_TS_WALL)
				out->ts_usec = t;
			size_t tag = syslog_tag(s + n, rest - n, out, true);
			if (!kern)
				out->not_kernel = true;	/* "daemon.info dnsmasq[1]:" */
			i += n + tag;
			continue;
		}
		if ((n = syslog_date(s, rest, &t, &out->wall)) ||
		    (n = iso_date(s, rest, &t, &out->wall))) {
			out->ts_kind = out->ts_kind == HR_TS_MONO ? HR_TS_MONO : HR_TS_WALL;
			if (out->ts_kind == HR_TS_WALL)
				out->ts_usec = t;
			size_t k = n;
			while (k < rest && is_blank(s[k]))
				k++;
			size_t tag = syslog_tag(s + k, rest - k, out, true);
			if (tag && out->host.p)
				out->host.p = s + k;
			i += k + tag;
			continue;
		}
		if (pass == 0 || out->ts_kind != HR_TS_NONE) {
			/* "kernel: [ts] ..." (date trimmed by the poster) and
			 * journalctl -o short-monotonic "[ts] host kernel: ...". */
			size_t tag = syslog_tag(s, rest, out, false);
			if (tag) {
				if (out->host.p)
					out->host.p = s;
				i += tag;
				continue;
			}
		}
		break;
	}
	/* journalctl markers: "-- No entries --", "-- Boot 3f2a... --",
	 * "-- Logs begin at ..." (journalctl -k prints them around the kernel
	 * lines, and alone when there are none). */
	if (len >= 6 && !memcmp(buf, "-- ", 3) && !memcmp(buf + len - 3, " --", 3))
		out->kernel = true;
	if (out->not_kernel)
		out->kernel = false;
	if (!out->host.p) {
		out->host.p = buf;	/* empty, but never NULL (memcpy of 0 bytes) */
		out->host.len = 0;
	}
	size_t start = i;
	while (i < len && is_blank(buf[i]))
		i++;
	out->indent = i - start;
	out->text.p = buf + i;
	out->text.len = len - i;
}

/* /dev/kmsg record, read on 6.18.44 (this VM, 2026-11-22):
 *   "4,2,0,-;[Firmware Bug]: TSC doesn't count with P0 frequency!\n"
 * (kernel/printk/printk.c info_print_ext_header; with PRINTK_CALLER, 5.1+,
 * ",caller=T1" follows the flags). */
int kmsg_record_parse(const char *buf, size_t len, struct hr_kmsg_rec *out)
{
	uint64_t prio, seq, usec;
	size_t used, i = 0;
	struct hr_kmsg_rec r;

	if (parse_u64(buf, len, &prio, &used) || prio > 1023)
		return -EINVAL;
	i = used;
	if (i >= len || buf[i++] != ',' || parse_u64(buf + i, len - i, &seq, &used))
		return -EINVAL;
	i += used;
	if (i >= len || buf[i++] != ',' || parse_u64(buf + i, len - i, &usec, &used))
		return -EINVAL;
	i += used;
	if (i >= len || buf[i++] != ',')
		return -EINVAL;
	memset(&r, 0, sizeof(r));
	size_t semi = i;
	while (semi < len && buf[semi] != ';' && buf[semi] != '\n')
		semi++;
	if (semi >= len || buf[semi] != ';')
		return -EINVAL;
	for (size_t k = i; k < semi && buf[k] != ','; k++)
		if (buf[k] == 'c')
			r.cont = true;
	for (size_t k = i; k + 8 < semi; k++) {
		if (buf[k] == ',' && !memcmp(buf + k + 1, "caller=", 7)) {
			size_t c0 = k + 8, c1 = c0;
			while (c1 < semi && buf[c1] != ',' && c1 - c0 < sizeof(r.caller) - 1)
				c1++;
			memcpy(r.caller, buf + c0, c1 - c0);
			r.caller[c1 - c0] = '\0';
			break;
		}
	}
	r.level = (unsigned)(prio & 7);
	r.facility = (unsigned)(prio >> 3);
	r.seq = seq;
	r.usec = usec;
	const char *nl = memchr(buf + semi + 1, '\n', len - semi - 1);
	r.text.p = buf + semi + 1;
	r.text.len = nl ? (size_t)(nl - r.text.p) : len - semi - 1;
	*out = r;
	return 0;
}

/* /proc/stat on 6.18.44 (this VM): "btime 1764653573" after "ctxt". */
int logline_btime_parse(const char *buf, size_t len, int64_t *sec)
{
	size_t pos = 0;
	struct hr_span line;

	while (span_next_line(buf, len, &pos, &line)) {
		if (!span_starts_with(line, "btime "))
			continue;
		uint64_t v;
		struct hr_span num = { line.p + 6, line.len - 6 };
		if (parse_u64_field(num, &v) || v > (uint64_t)INT64_MAX / 1000000)
			return -EINVAL;
		*sec = (int64_t)v;
		return 0;
	}
	return -ENODATA;
}

bool logline_is_kernel(const char *buf, size_t len)
{
	/* Anything but a plain stamp takes the full parse (a small share of
	 * lines in dmesg output). */
	if (logline_has_stamp(buf, len))
		return true;
	struct hr_logline ll;
	logline_parse(buf, len, &ll);
	return ll.kernel;
}
