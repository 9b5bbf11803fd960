/* softnet_stat.h - /proc/net/softnet_stat summed over CPUs.
 *
 * One row of hex columns per online CPU, positional (the kernel prints no
 * header). Column count by kernel (KERNEL-FACTS A.2): 3.10 prints 10
 * (processed dropped time_squeeze 0 0 0 0 0 cpu_collision received_rps),
 * 4.19 adds flow_limit_count (11), 5.10 backlog_len cpu_index (13), 6.18
 * input_qlen process_qlen (15). Only the first three and flow_limit_count
 * are used. softnet_stat_parse() is pure: no I/O, no allocation, no logging.
 */
#ifndef HR_SNAPSHOT_SOFTNET_STAT_H
#define HR_SNAPSHOT_SOFTNET_STAT_H

#include <stddef.h>
#include <stdint.h>

struct softnet_stat {
	uint64_t processed;	/* sums over CPUs, saturating */
	uint64_t dropped;	/* input backlog (netdev_max_backlog) full */
	uint64_t time_squeeze;	/* net_rx_action ran out of budget or time */
	uint64_t flow_limit_count;	/* HR_UNSET with fewer than 11 columns */
	unsigned ncpus;
	unsigned ncols;
};

/* Fills *out from buf[0..len). Returns 0; -ENODATA with no row; -EINVAL if
 * a row has fewer than 3 columns, rows differ in column count (a cut file),
 * or a value is not hex; -ERANGE if one exceeds 64 bits. *out is untouched
 * on error. */
int softnet_stat_parse(const char *buf, size_t len, struct softnet_stat *out);

#endif
