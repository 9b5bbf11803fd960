/* ct_dump.h - the conntrack table of the caller's network namespace over
 * ctnetlink (libnetfilter-conntrack), counted into a struct ct_breakdown.
 *
 * Bounded two ways: at most cap_entries entries, and at most budget_usec
 * of wall time (checked at every entry); the dump then stops and the rest
 * is b->not_counted (ct_breakdown_finish with the table's count). Needs
 * CAP_NET_ADMIN in the netns. Blocks on the netlink socket for the dump;
 * never logs, never writes the host. No allocation of ours; the library
 * allocates one object per entry and frees it after the callback.
 */
#ifndef HR_KERNEL_CT_DUMP_H
#define HR_KERNEL_CT_DUMP_H

#include <stdint.h>

#include "snapshot/ct_breakdown.h"

#define CT_DUMP_CAP_DEFAULT 300000
#define CT_DUMP_BUDGET_USEC_DEFAULT 500000

/* Zeroes *b and dumps into it. Returns 0 (b->present set) or the -errno
 * of opening or querying ctnetlink (-EPERM without CAP_NET_ADMIN,
 * -EPROTONOSUPPORT or -ENOENT when nf_conntrack_netlink is absent); then
 * b->present is false and b->error holds it. */
int ct_dump_read(struct ct_breakdown *b, uint64_t cap_entries, uint64_t budget_usec,
		 uint64_t table_count);

#endif
