/* snmp.h - /proc/net/snmp and /proc/net/netstat as keyed numbers.
 *
 * Both files are pairs of lines with the same "Prefix:" - first the column
 * names, then the values - so a counter is named "Prefix:Name", e.g.
 * "Udp:MemErrors" or "TcpExt:TCPRcvQDrop". Counters appear and disappear by
 * kernel (MemErrors is absent in 5.10, TCPRcvQDrop absent in 4.4), so they
 * are looked up by name only. snmp_parse() is pure: no I/O, no allocation,
 * no logging.
 */
#ifndef HR_SNAPSHOT_SNMP_H
#define HR_SNAPSHOT_SNMP_H

#include <stddef.h>
#include <stdint.h>

#include "util/parse.h"

/* For each keys[i] ("Prefix:Name") found, stores its value in
 * vals[keys[i].index]; keys not found are HR_UNSET. Unknown prefixes and
 * names are skipped; values of columns not asked for are not checked (Tcp:
 * MaxConn is -1 on every kernel). Returns the number of keys found;
 * -ENODATA if there is no header/value pair at all; -EINVAL if a header line
 * is not followed by a value line with the same prefix, if the two differ
 * in length (a cut or garbled file), or if a requested value is not a
 * decimal number (a negative one included); -ERANGE if it overflows 64
 * bits. vals[] may be partly filled on error. */
int snmp_parse(const char *buf, size_t len, const struct hr_kv_key *keys,
	       size_t nkeys, uint64_t *vals);

#endif
