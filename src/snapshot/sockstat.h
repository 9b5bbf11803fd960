/* sockstat.h - /proc/net/sockstat and the tcp_mem/udp_mem sysctls.
 *
 * sockstat's "mem" values are pages of socket buffer memory charged to the
 * protocol, system-wide (not per netns); tcp_mem and udp_mem are the
 * "min pressure max" page limits they are compared with (KERNEL-FACTS A.2,
 * __sk_mem_raise_allocated). Both parsers are pure: no I/O, no allocation,
 * no logging.
 */
#ifndef HR_SNAPSHOT_SOCKSTAT_H
#define HR_SNAPSHOT_SOCKSTAT_H

#include <stddef.h>
#include <stdint.h>

struct sockstat {
	uint64_t sockets_used;	/* HR_UNSET when a value is absent */
	uint64_t tcp_inuse;
	uint64_t tcp_orphan;
	uint64_t tcp_tw;
	uint64_t tcp_alloc;
	uint64_t tcp_mem_pages;
	uint64_t udp_inuse;
	uint64_t udp_mem_pages;
};

/* Fills *out from buf[0..len). Lines are "PROTO: name value name value...";
 * unknown lines and names are skipped. Returns 0; -ENODATA if there is no
 * "TCP:" line with a "mem" value; -EINVAL if a line has a name without a
 * value or a known value is not a decimal number; -ERANGE on overflow.
 * *out is untouched on error. */
int sockstat_parse(const char *buf, size_t len, struct sockstat *out);

/* The three numbers of net.ipv4.tcp_mem / udp_mem ("287898\t383866\t575796"),
 * in pages. Returns 0; -EINVAL unless exactly three decimal numbers;
 * -ERANGE on overflow. out[] is untouched on error. */
int mem_limits_parse(const char *buf, size_t len, uint64_t out[3]);

#endif
