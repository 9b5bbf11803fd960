/* shquote.h - names from the kernel (interface names, swap paths) made safe
 * to paste into a shell.
 *
 * A fix line such as "ethtool -g NAME" is meant to be pasted as is, but an
 * interface name may hold any byte except '/', ':', whitespace and NUL
 * (dev_valid_name, net/core/dev.c), so "$(reboot)" is a valid name, and a
 * swap path may hold spaces. Pure: no I/O, no allocation, no logging.
 */
#ifndef HR_UTIL_SHQUOTE_H
#define HR_UTIL_SHQUOTE_H

#include <stddef.h>

/* Writes s into dst[cap] as one shell word on one line: unchanged when
 * every byte is one no shell treats specially (A-Z a-z 0-9 and _ . / : @ %
 * + = , -) and s is not empty; otherwise in single quotes, each ' written as
 * '\''. A name holding a control byte (a cgroup may be named "a\nb") is
 * written as a bash $'...' word with \n, \t and \xHH escapes instead, so a
 * fix line never spans two lines and a '#' comment cannot end early.
 * 4 * strlen(s) + 4 bytes always suffice. Returns dst. When the word does
 * not fit, dst is "''" (an empty word, never a half-quoted one); cap must be
 * at least 3. */
const char *shell_quote(const char *s, char *dst, size_t cap);

#endif
