/* iface_read.h - the one reader of /sys/class/net through a root (live host
 * or capture). Fills struct net_dev (snapshot/net_dev.h), the one interface
 * type: the net area lists interfaces from /proc/net/dev and adds the
 * statistics split here, the zones and netswap areas list /sys/class/net
 * for the NIC ring reserve. Never logs; what cannot be read is noted.
 */
#ifndef HR_KERNEL_IFACE_READ_H
#define HR_KERNEL_IFACE_READ_H

#include "kernel/root.h"
#include "snapshot/net_dev.h"
#include "snapshot/note.h"

/* Lists /sys/class/net into *nd (sorted by name, readdir order is the
 * filesystem's): MTU, rx queue count, whether it has a device link, link
 * speed; the /proc/net/dev counters stay HR_UNSET. Returns 0 or the -errno
 * of listing the directory. */
int iface_list_sysfs(const struct hr_root *r, struct net_dev *nd, struct hr_notes *notes);

/* For each interface already in *nd (from /proc/net/dev), reads
 * statistics/rx_dropped and rx_missed_errors, which /proc/net/dev folds
 * into one "drop" column. An interface gone meanwhile (ENOENT) keeps
 * HR_UNSET silently. */
void iface_read_drop_split(const struct hr_root *r, struct net_dev *nd, struct hr_notes *notes);

#endif
