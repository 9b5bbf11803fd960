/* logjoin.h - physical lines of a pasted kernel log back into the records
 * the kernel printed.
 *
 * People paste logs through mail clients and forums, which damage them:
 *  - hard wraps: a record broken at a column (word wrap, or a terminal's
 *    cut at exactly its width), its continuation on a line of its own
 *    without the prefix ("[  785.581198] ", "host kernel: ") the record had;
 *  - glued records: a lost newline puts a second record (a second
 *    "[  123.456789] " stamp, or a syslog "Mon dd hh:mm:ss host kernel: ")
 *    in the middle of a line.
 * The joiner splits glued records at the second prefix and joins a line to
 * the one before it only on evidence:
 *  - it has no kernel prefix of its own (logline.h) and is not empty;
 *  - and either the join yields a line a known message shape accepts
 *    (klog.h parsers) where neither piece alone does (or the previous line
 *    ends mid-field of one: ",", "=", an open "(" ...), or the previous
 *    line had a prefix, this one is not the start of a message of its own
 *    (a "name: " tag, a frame, a "[...]" row, a show_mem line...), and it
 *    sits where a wrap puts it: the previous line, plus its first word,
 *    would not have fitted in the widest line of the input.
 * A line with its own prefix is never joined: two records stay two.
 * The wrap is undone with a space (a word wrap ate one) unless the broken
 * line had the input's full width (a cut inside a token) or a blank is
 * already there; when a parser tells the two apart, it decides.
 *
 * Pure: no I/O, no allocation, no logging; the state is caller-owned and
 * fixed-size. Look-ahead is one physical line (the last logical line is
 * held until the next line shows whether it continues). Output: logical
 * lines handed to the emit callback, never longer in total than the input
 * (a join drops the newline and any quote marker of the continuation, and
 * adds at most one space in place of the newline; a split adds nothing).
 */
#ifndef HR_SNAPSHOT_LOGJOIN_H
#define HR_SNAPSHOT_LOGJOIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LOGJOIN_LINE_MAX 4096	/* = EXPLAIN_LINE_MAX: longer lines are cut */
#define LOGJOIN_PIECES_MAX 12	/* physical lines joined into one at most */
#define LOGJOIN_SPLIT_MAX 16	/* records split out of one physical line at most */

typedef void (*logjoin_emit_fn)(void *arg, const char *line, size_t len);

struct hr_logjoin_stats {
	uint64_t lines_in, lines_out;
	uint64_t joined;	/* continuation lines appended to the line before */
	uint64_t split;		/* glued records split off a line */
	uint64_t truncated;	/* lines cut at LOGJOIN_LINE_MAX */
};

struct hr_logjoin {
	logjoin_emit_fn emit;
	void *arg;
	bool enabled;		/* false: lines pass through untouched (a control) */
	/* the held logical line */
	char held[LOGJOIN_LINE_MAX];
	size_t held_len;
	bool held_set;
	bool held_prefixed;	/* its first piece had a kernel prefix */
	unsigned pieces;
	size_t last_phys_len;	/* length of its last physical piece */
	/* the widest physical line seen in this input (the wrap width) */
	size_t width;
	unsigned n_full, n_near;	/* lines of exactly / a little under it */
	bool cut_mode;		/* a terminal's copy: cut at exactly width */
	/* a partial physical line carried between feeds */
	char carry[LOGJOIN_LINE_MAX];
	size_t carry_len;
	bool carry_cut;
	struct hr_logjoin_stats st;
};

/* enabled: false makes the joiner a plain line splitter (the mutation
 * test's control run). */
void logjoin_init(struct hr_logjoin *j, logjoin_emit_fn emit, void *arg, bool enabled);

/* Text in blocks of any size (may end mid-line; the rest is carried). */
void logjoin_feed(struct hr_logjoin *j, const char *buf, size_t len);

/* One complete physical line (no '\n'). */
void logjoin_line(struct hr_logjoin *j, const char *line, size_t len);

/* Emits the held line (and a carried partial line when `eof`): at the end
 * of an input, or when a live input goes quiet. The width learnt is kept
 * unless `eof` (the next input starts clean). */
void logjoin_flush(struct hr_logjoin *j, bool eof);

/* True if some line of buf[0..len) (whole lines; the last may be cut)
 * shows paste damage the joiner repairs: a non-empty line without a kernel
 * prefix of its own, or a glued record. Lines that start with a "[...]"
 * stamp cost a byte test unless they hold a second '['. `explain` asks it
 * of an input's first block: machine-written logs (dmesg, journalctl,
 * syslog) answer no, and keep the engine's fast path. */
bool logjoin_needed(const char *buf, size_t len);

/* Offset of the first glued record inside line[0..len): a second prefix
 * after message text, or 0 if none. Exposed for tests and the fuzzer. */
size_t logjoin_glue_at(const char *line, size_t len);

/* How well a message text (prefix removed) matches a known shape:
 * 0 none, 1 the start of a known message cut short (or ending mid-field),
 * 2 a whole known line. Exposed for tests and the fuzzer. */
int logjoin_shape(const char *text, size_t len);

#endif
