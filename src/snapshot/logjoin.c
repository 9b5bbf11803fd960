/* logjoin.c - see logjoin.h. Only lines without a kernel prefix of their
 * own, and lines with a second prefix inside, take more than one
 * logline_parse(); the parsers of klog.h are the judges of a join. */
#include "snapshot/logjoin.h"

#include <string.h>

#include "snapshot/klog.h"
#include "snapshot/logline.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool has_prefix(const struct hr_logline *ll)
{
	return ll->kernel || ll->not_kernel || ll->ts_kind != HR_TS_NONE || ll->host.len ||
	       ll->caller[0];
}

void logjoin_init(struct hr_logjoin *j, logjoin_emit_fn emit, void *arg, bool enabled)
{
	memset(j, 0, sizeof(*j));
	j->emit = emit;
	j->arg = arg;
	j->enabled = enabled;
}

/* ---- glued records ------------------------------------------------------ */

/* "[" blanks digits "." 6 digits "]" at s: the dmesg stamp as printk writes
 * it (%5lu.%06lu). Inside a line only this exact form counts. */
static bool strict_stamp(const char *s, size_t len)
{
	size_t i = 1;
	if (len < 10 || s[0] != '[')
		return false;
	while (i < len && i < 12 && s[i] == ' ')
		i++;
	if (i < len && s[i] == '+')
		i++;	/* dmesg -H: "[  +0.000004]" */
	size_t d0 = i;
	while (i < len && i - d0 < 12 && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == d0 || i >= len || s[i] != '.')
		return false;
	size_t f0 = ++i;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	return i - f0 == 6 && i < len && s[i] == ']';
}

/* The record that a prefix at line[p] starts may begin earlier, with a
 * syslog header ("Mar  5 10:11:12 host kernel: [  1.000000] ..."): the
 * earliest q in (t0, p] from which the same message text is reached. */
static size_t back_over_header(const char *line, size_t len, size_t t0, size_t p,
			       const char *text)
{
	size_t lo = p > t0 + 80 ? p - 80 : t0 + 1;
	for (size_t q = lo; q < p; q++) {
		if (!is_alnum(line[q]))
			continue;
		struct hr_logline ll;
		logline_parse(line + q, len - q, &ll);
		if (ll.kernel && ll.ts_kind == HR_TS_WALL && ll.text.p == text)
			return q;
	}
	return p;
}

size_t logjoin_glue_at(const char *line, size_t len)
{
	struct hr_logline ll;
	logline_parse(line, len, &ll);
	if (ll.text.len < 2)
		return 0;
	size_t t0 = (size_t)(ll.text.p - line);
	for (size_t p = t0 + 1; p + 1 < len; p++) {
		char c = line[p];
		if (c == '[') {
			struct hr_logline in;
			bool stamp = strict_stamp(line + p, len - p);
			if (!stamp) {
				/* dmesg -T "[Thu May  9 14:52:38 2024] " glued */
				if (!(line[p + 1] >= 'A' && line[p + 1] <= 'Z'))
					continue;
				logline_parse(line + p, len - p, &in);
				static const char mon[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
				bool minute = false;	/* dmesg -H "[May 7 20:30]" */
				for (size_t m = 0; m < 36 && len - p > 12; m += 3)
					minute |= !memcmp(line + p + 1, mon + m, 3) && line[p + 4] == ' ';
				if (!(in.kernel && ((in.ts_kind == HR_TS_WALL && in.wall.kind != HR_WALL_NONE) ||
						    minute)))
					continue;
			} else {
				logline_parse(line + p, len - p, &in);
			}
			return back_over_header(line, len, t0, p, in.text.p);
		}
		/* A syslog record glued without a stamp: "... kernel: " with a
		 * date and host before it. */
		if (c == 'k' && len - p >= 8 && !memcmp(line + p, "kernel: ", 8) && p > t0 + 16) {
			struct hr_logline in;
			size_t k = p + 8;
			logline_parse(line + k, len - k, &in);
			const char *text = line + k;
			while (text < line + len && is_blank(*text))
				text++;
			size_t q = back_over_header(line, len, t0, p, in.text.p == text ? in.text.p : text);
			if (q < p)
				return q;
		}
	}
	return 0;
}

/* ---- message shapes ----------------------------------------------------- */

static bool starts(const char *t, size_t n, const char *p)
{
	size_t k = strlen(p);
	return n >= k && !memcmp(t, p, k);
}

static bool contains(const char *t, size_t n, const char *p)
{
	struct hr_span s = { t, n };
	return span_find(s, p) >= 0;
}

/* The text stops in the middle of a field: a separator last, or a "(" the
 * kernel always closes still open. */
static bool mid_field(const char *t, size_t n)
{
	if (!n)
		return false;
	char c = t[n - 1];
	if (c == ',' || c == '=' || c == '(' || c == '|' || c == '+' || c == '/' || c == '-' ||
	    c == '_')
		return true;
	if (n >= 2 && t[n - 2] == '0' && c == 'x')
		return true;
	int depth = 0;
	for (size_t i = 0; i < n; i++) {
		if (t[i] == '(')
			depth++;
		else if (t[i] == ')' && depth > 0)
			depth--;
	}
	return depth > 0;
}

/* 2 when parsed whole, 1 when it parsed but ends mid-field or did not parse */
static int graded(bool parsed, const char *t, size_t n)
{
	return parsed && !mid_field(t, n) ? 2 : 1;
}

int logjoin_shape(const char *t, size_t n)
{
	struct hr_span s = { t, n };
	while (s.len && is_blank(s.p[s.len - 1]))
		s.len--;
	t = s.p;
	n = s.len;
	if (!n)
		return 0;
	struct klog_frame fr;
	if (!klog_frame_parse(s, &fr))
		return graded(true, t, n);
	if (contains(t, n, "page allocation ")) {
		struct klog_alloc a;
		if (starts(t, n, "page allocation "))
			return 1;	/* the comm is on the line before */
		return graded(!klog_alloc_parse(s, &a), t, n);
	}
	if (contains(t, n, "invoked oom-killer")) {
		struct klog_oom_hdr h;
		if (starts(t, n, "invoked oom-killer"))
			return 1;
		return graded(!klog_oom_hdr_parse(s, &h) && (contains(t, n, "oom_score_adj=") ||
							       contains(t, n, "oom_adj=")), t, n);
	}
	if (contains(t, n, "Killed process ") || contains(t, n, "Kill process ")) {
		struct klog_oom_kill k;
		return graded(!klog_oom_kill_parse(s, &k), t, n);
	}
	if (starts(t, n, "oom-kill:")) {
		struct klog_oom_cons c;
		return graded(!klog_oom_cons_parse(s, &c) && contains(t, n, "pid="), t, n);
	}
	if (starts(t, n, "Out of memory and no killable processes"))
		return 2;
	if (starts(t, n, "memory: usage ")) {
		struct klog_memcg_usage u;
		return graded(!klog_memcg_usage_parse(s, &u) && u.failcnt != HR_UNSET, t, n);
	}
	if (starts(t, n, "memory+swap: usage ") || starts(t, n, "kmem: usage ") ||
	    starts(t, n, "swap: usage "))
		return graded(contains(t, n, "failcnt "), t, n);
	if (starts(t, n, "Task in "))
		return graded(contains(t, n, " killed as a result of limit of "), t, n);
	if (starts(t, n, "INFO: task ")) {
		struct klog_hung h;
		return graded(!klog_hung_parse(s, &h) && contains(t, n, "seconds"), t, n);
	}
	if ((starts(t, n, "nf_conntrack: ") || starts(t, n, "ip_conntrack: ")) &&
	    contains(t, n, "table full"))
		return graded(contains(t, n, "dropping packet"), t, n);
	if (starts(t, n, "nfs: server "))
		return graded(contains(t, n, " not responding") || contains(t, n, " OK"), t, n);
	if (contains(t, n, "SYN flooding on port")) {
		struct hr_span r = { t, n };
		long at = span_find(r, "flooding on port ");
		bool port = at >= 0 && (size_t)at + 17 < n && t[at + 17] >= '0' && t[at + 17] <= '9';
		return graded(port && (contains(t, n, "Sending cookies") ||
				       contains(t, n, "Dropping request")), t, n);
	}
	if (starts(t, n, "TCP: out of memory") || starts(t, n, "TCP: TCP: out of memory"))
		return graded(contains(t, n, "tcp_mem"), t, n);
	if (starts(t, n, "CPU: ") || starts(t, n, "Pid: ") || starts(t, n, "Linux version ")) {
		struct klog_kver v;
		return graded(!klog_kver_parse(s, &v) && v.release[0] &&
				      (contains(t, n, "ainted") || starts(t, n, "Linux version ")),
			      t, n);
	}
	struct klog_zone z;
	if (!klog_zone_parse(s, &z))
		return graded(contains(t, n, "high:"), t, n);
	struct klog_buddy b;
	if (!klog_buddy_parse(s, &b))
		return graded(contains(t, n, "kB = ") || contains(t, n, "kB ="), t, n);
	if ((starts(t, n, "Node ") || starts(t, n, "DMA") || starts(t, n, "Normal")) &&
	    (contains(t, n, "*4kB") || contains(t, n, "free:")))
		return 1;	/* a zone or buddy line cut short */
	unsigned cols;
	if (!klog_task_header_parse(s, &cols))
		return 2;
	struct klog_suppressed sup;
	if (!klog_suppressed_parse(s, &sup))
		return 2;
	if (klog_is_report_noise(s))
		return 2;
	return 0;
}

/* Text that starts a message of its own, whatever came before: a
 * "subsystem: " tag in its first tokens, a "[...]" or "<...>" start, a
 * show_mem or memcg stat line, an indented line (frames, registers,
 * journalctl's continuation lines). */
static bool message_like(const char *t, size_t n, size_t indent)
{
	if (indent || !n)
		return true;
	if (t[0] == '[' || t[0] == '<')
		return true;
	static const char *const pre[] = {
		"lowmem_reserve", "Free swap", "Total swap", "Swap cache",
		"hugepages", "Unreclaimable slab", "Mem-Info", "Mem-info", "Tasks state",
		"Memory cgroup", "Out of memory", "Killed process", "---[", "------------[",
	};
	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		if (starts(t, n, pre[i]))
			return true;
	/* "usb 1-1: new ...", "EXT4-fs (sda1): ...", "e1000e 0000:00:19.0 eth0: ..." */
	size_t i = 0;
	for (int tok = 0; tok < 3 && i < n; tok++) {
		size_t s0 = i;
		bool field = false;	/* "state:D", "order:0": a key:value field */
		while (i < n && !is_blank(t[i])) {
			if ((t[i] == ':' || t[i] == '=') && i + 1 < n &&
			    ((t[i + 1] >= 'A' && t[i + 1] <= 'Z') || (t[i + 1] >= 'a' && t[i + 1] <= 'z') ||
			     t[i] == '='))
				field = true;
			i++;
		}
		if (field)
			break;
		if (i > s0 + 1 && t[i - 1] == ':' && (i == n || is_blank(t[i])) && i - s0 <= 32)
			return true;
		while (i < n && is_blank(t[i]))
			i++;
	}
	/* "1926939 total pagecache pages"; memcg v2 stats "anon 32845824" */
	if (t[0] >= '0' && t[0] <= '9' && contains(t, n, " pages"))
		return true;
	size_t k = 0;
	while (k < n && ((t[k] >= 'a' && t[k] <= 'z') || t[k] == '_'))
		k++;
	if (k && k + 1 < n && t[k] == ' ' && t[k + 1] >= '0' && t[k + 1] <= '9') {
		size_t e = k + 1;
		while (e < n && t[e] >= '0' && t[e] <= '9')
			e++;
		if (e == n)
			return true;
	}
	return false;
}

bool logjoin_needed(const char *buf, size_t len)
{
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		const char *p = buf + pos;
		pos += n + 1;
		if (n > LOGJOIN_LINE_MAX)
			n = LOGJOIN_LINE_MAX;
		if (logline_has_stamp(p, n)) {
			/* the common case: only a second stamp could be wrong */
			const char *b = memchr(p + 1, '[', n - 1);
			if (b && memchr(b, '.', n - (size_t)(b - p)) && logjoin_glue_at(p, n))
				return true;
			continue;
		}
		struct hr_logline ll;
		logline_parse(p, n, &ll);
		if (ll.text.len && (!has_prefix(&ll) || logjoin_glue_at(p, n)))
			return true;
	}
	return false;
}

/* ---- joining ------------------------------------------------------------ */

static void emit(struct hr_logjoin *j, const char *p, size_t n)
{
	j->st.lines_out++;
	if (j->emit)
		j->emit(j->arg, p, n);
}

static void release(struct hr_logjoin *j)
{
	if (j->held_set)
		emit(j, j->held, j->held_len);
	j->held_set = false;
	j->held_len = 0;
	j->pieces = 0;
}

static void hold(struct hr_logjoin *j, const char *p, size_t n)
{
	release(j);
	if (n && p[n - 1] == '\r')
		n--;
	if (n > sizeof(j->held)) {
		n = sizeof(j->held);
		j->st.truncated++;
	}
	memcpy(j->held, p, n);
	j->held_len = n;
	j->held_set = true;
	j->pieces = 1;
	j->last_phys_len = n;
	struct hr_logline ll;
	logline_parse(p, n, &ll);
	j->held_prefixed = has_prefix(&ll);
}

static size_t first_word(const char *t, size_t n)
{
	size_t k = 0;
	while (k < n && !is_blank(t[k]))
		k++;
	return k;
}

static size_t last_word(const char *t, size_t n)
{
	size_t k = 0;
	while (k < n && !is_blank(t[n - 1 - k]))
		k++;
	return k;
}

static bool is_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
}

/* A break that no word wrap makes: next to a '_' of an identifier
 * ("GFP" "_ATOMIC"), or inside a hex word ("ffff" "ffffab7c19e0"). */
static bool ident_cut(const char *a, size_t an, const char *b, size_t bn)
{
	if (!an || !bn)
		return false;
	if ((a[an - 1] == '_' && is_alnum(b[0])) || (b[0] == '_' && is_alnum(a[an - 1])))
		return true;
	size_t k = 0;
	while (k < an && is_hex(a[an - 1 - k]))
		k++;
	return k >= 4 && (k == an || is_blank(a[an - 1 - k])) && is_hex(b[0]);
}

/* Tries to append the physical line b (no prefix of its own; c0 is where
 * its content starts after quote markers) to the held line. */
static bool try_join(struct hr_logjoin *j, const char *b, size_t blen, const struct hr_logline *lb)
{
	if (!j->held_set || j->pieces >= LOGJOIN_PIECES_MAX || !lb->text.len)
		return false;
	struct hr_logline la;
	logline_parse(j->held, j->held_len, &la);
	if (!la.text.len)
		return false;
	/* b's content: after its quote markers, with its indentation. */
	const char *c = lb->text.p - lb->indent;
	size_t cn = blen - (size_t)(c - b);
	while (cn && c[cn - 1] == '\r')
		cn--;
	if (j->held_len + 1 + cn > sizeof(j->held))
		return false;
	const char *at = la.text.p;
	size_t an = j->held_len - (size_t)(at - j->held);
	int sa = logjoin_shape(at, an), sb = logjoin_shape(lb->text.p, lb->text.len);

	/* The two candidate joins: as is, and with the space a word wrap ate. */
	char tmp[2][LOGJOIN_LINE_MAX + 1];
	size_t tn[2];
	int sj[2];
	bool blank = (an && is_blank(at[an - 1])) || lb->indent;
	for (int k = 0; k < 2; k++) {
		size_t q = 0;
		memcpy(tmp[k], at, an);
		q = an;
		if (k == 1)
			tmp[k][q++] = ' ';
		memcpy(tmp[k] + q, c, cn);
		tn[k] = q + cn;
		sj[k] = logjoin_shape(tmp[k], tn[k]);
	}
	int sep;
	bool full = j->width >= 40 && j->last_phys_len >= j->width;
	size_t token = last_word(at, an) + first_word(c, cn);
	if (blank)
		sep = 0;
	else if (sj[0] != sj[1])
		sep = sj[1] > sj[0];
	else if (!full)
		sep = 1;	/* broken before the full width: at a blank */
	else
		/* At the full width: a terminal cuts anywhere; a word wrap cuts
		 * only a token longer than a line (a path, a hex mask). */
		sep = !j->cut_mode && token <= j->width / 2 && !ident_cut(at, an, c, cn);
	int s = sj[sep];
	/* the join is a better-known line than either piece */
	bool strong = s > sa && s > sb;
	/* frame + its module on the next line: "tcp_collapse+0x1a/0x200" "[tg3]" */
	if (!strong && sa == 2 && lb->text.p[0] == '[' && lb->text.p[lb->text.len - 1] == ']' &&
	    !memchr(lb->text.p, ' ', lb->text.len)) {
		struct klog_frame f;
		struct hr_span sat = { at, an };
		strong = !klog_frame_parse(sat, &f) && !f.module.len;
		sep = 1;
	}
	/* a frame without its function: "[<ffffffff811f34c8>] ?" or "?", then
	 * "try_get_mem_cgroup_from_mm+0x28/0x60" */
	if (!strong && sb == 2 && ((an == 1 && at[0] == '?') ||
				   (an >= 4 && at[0] == '[' && at[1] == '<' && !memchr(at, '+', an) &&
				    (at[an - 1] == ']' || at[an - 1] == '?')))) {
		strong = true;
		sep = 1;
	}
	/* broken inside a run of blanks (a table row, "Tainted: G      OE"):
	 * the blanks that start b are the rest of the run, not an indent */
	size_t indent = an && is_blank(at[an - 1]) ? 0 : lb->indent;
	bool midfield = sa == 1 && mid_field(at, an) && sb == 0 && s >= 1 &&
			!message_like(lb->text.p, lb->text.len, indent);
	/* cut inside a token at the full width */
	bool midtoken = full && !blank && sep == 0 && (j->cut_mode || token > j->width / 2);
	bool wrapped = j->held_prefixed && sb == 0 && j->width >= 40 &&
		       !message_like(lb->text.p, lb->text.len, indent) &&
		       j->last_phys_len + 1 + first_word(lb->text.p, lb->text.len) > j->width;
	if (j->cut_mode && full && sb < 2)
		wrapped = true;	/* a terminal's cut: whatever the next line holds */
	if (sa == 2 && sb == 2)
		midtoken = wrapped = false;	/* two whole known lines: two records */
	if (!strong && !midfield && !wrapped && !midtoken)
		return false;
	size_t q = j->held_len;
	if (sep)
		j->held[q++] = ' ';
	memcpy(j->held + q, c, cn);
	j->held_len = q + cn;
	j->pieces++;
	j->last_phys_len = blen;
	j->st.joined++;
	return true;
}

/* A held line that is a prefix only ("2019-02-25T03:45:03+00:00 host
 * kernel:"), broken from its record: the record, prefix and all, follows. */
static bool prefix_only(struct hr_logjoin *j, const char *p, size_t n)
{
	struct hr_logline la;
	if (!j->held_set || !j->held_prefixed || j->held_len + 1 + n > sizeof(j->held))
		return false;
	logline_parse(j->held, j->held_len, &la);
	if (la.text.len || !la.kernel || (j->held_len >= 3 && !memcmp(j->held, "-- ", 3)))
		return false;
	if (j->held_len && !is_blank(j->held[j->held_len - 1]))
		j->held[j->held_len++] = ' ';
	memcpy(j->held + j->held_len, p, n);
	j->held_len += n;
	j->pieces++;
	j->last_phys_len = n;
	j->st.joined++;
	return true;
}

static void one_record(struct hr_logjoin *j, const char *p, size_t n, bool first)
{
	struct hr_logline ll;
	if (first && prefix_only(j, p, n))
		return;
	logline_parse(p, n, &ll);
	if (first && !has_prefix(&ll) && try_join(j, p, n, &ll))
		return;
	hold(j, p, n);
}

void logjoin_line(struct hr_logjoin *j, const char *line, size_t len)
{
	j->st.lines_in++;
	if (len > LOGJOIN_LINE_MAX) {
		len = LOGJOIN_LINE_MAX;
		j->st.truncated++;
	}
	if (!j->enabled) {
		emit(j, line, len);
		return;
	}
	if (len <= 512 && len > j->width)
		j->width = len;
	size_t start = 0;
	for (unsigned part = 0; start < len; part++) {
		size_t g = part + 1 < LOGJOIN_SPLIT_MAX ? logjoin_glue_at(line + start, len - start) : 0;
		size_t n = g ? g : len - start;
		if (g) {
			j->st.split++;
			/* the blank before the glued prefix stays with neither */
			size_t e = n;
			while (e && is_blank(line[start + e - 1]))
				e--;
			one_record(j, line + start, e, part == 0);
		} else {
			one_record(j, line + start, n, part == 0);
		}
		start += n;
	}
	if (!len)
		hold(j, line, 0);
}

static bool next_has_prefix(const char *p, size_t len)
{
	const char *nl = memchr(p, '\n', len);
	size_t n = nl ? (size_t)(nl - p) : len;
	if (n > LOGJOIN_LINE_MAX)
		n = LOGJOIN_LINE_MAX;
	if (logline_has_stamp(p, n))
		return true;
	struct hr_logline ll;
	logline_parse(p, n, &ll);
	return has_prefix(&ll);
}

/* The wrap width is learnt from a whole block before any line of it is
 * judged, so that the first wrap is judged against it too. */
static void learn_width(struct hr_logjoin *j, const char *buf, size_t len)
{
	size_t pos = 0;
	for (int round = 0; round < 2; round++) {
		pos = 0;
		while (pos < len) {
			const char *nl = memchr(buf + pos, '\n', len - pos);
			if (!nl)
				break;
			size_t n = (size_t)(nl - (buf + pos));
			if (n && buf[pos + n - 1] == '\r')
				n--;
			if (round == 0 && n <= 512 && n > j->width)
				j->width = n;
			if (round == 1 && j->width >= 40 && n + 12 >= j->width && n <= j->width &&
			    !next_has_prefix(nl + 1, len - (size_t)(nl + 1 - buf))) {
				/* only lines a continuation follows were broken */
				if (n == j->width)
					j->n_full++;
				else
					j->n_near++;
			}
			pos = (size_t)(nl - buf) + 1;
		}
	}
	/* A terminal's copy cuts every long line at exactly its width; a word
	 * wrap leaves most broken lines a little short of it. */
	j->cut_mode = j->n_full >= 2 && j->n_full > j->n_near;
}

static void carry_add(struct hr_logjoin *j, const char *p, size_t n)
{
	size_t room = sizeof(j->carry) - j->carry_len;
	if (n > room) {
		n = room;
		j->carry_cut = true;
	}
	memcpy(j->carry + j->carry_len, p, n);
	j->carry_len += n;
}

void logjoin_feed(struct hr_logjoin *j, const char *buf, size_t len)
{
	size_t pos = 0;
	if (j->enabled)
		learn_width(j, buf, len);
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		if (!nl) {
			carry_add(j, buf + pos, len - pos);
			return;
		}
		size_t n = (size_t)(nl - (buf + pos));
		if (j->carry_len || j->carry_cut) {
			carry_add(j, buf + pos, n);
			if (j->carry_cut)
				j->st.truncated++;
			size_t cl = j->carry_len;
			j->carry_len = 0;
			j->carry_cut = false;
			logjoin_line(j, j->carry, cl);
		} else {
			logjoin_line(j, buf + pos, n);
		}
		pos = (size_t)(nl - buf) + 1;
	}
}

void logjoin_flush(struct hr_logjoin *j, bool eof)
{
	if (eof && (j->carry_len || j->carry_cut)) {
		size_t cl = j->carry_len;
		j->carry_len = 0;
		j->carry_cut = false;
		logjoin_line(j, j->carry, cl);
	}
	release(j);
	if (eof) {
		j->width = 0;
		j->n_full = j->n_near = 0;
		j->cut_mode = false;
	}
}
