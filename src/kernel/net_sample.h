/* net_sample.h - samplers of the conntrack and netloss `check` areas.
 *
 * They read, through the root, the /proc/net and /proc/sys/net files of the
 * network namespace headroom runs in (proc/net is a link to proc/self/net),
 * and /sys/class/net/IF/statistics as mounted for that namespace (ip netns
 * exec remounts /sys). State is struct conntrack_snap / netloss_snap
 * (snapshot/net_snap.h), zeroed by the caller. Files that are absent because the
 * kernel lacks them leave HR_UNSET; other read errors are recorded with
 * note_add(). Both return 0, or a negative errno only when nothing of
 * the area could be read (-ENOMEM: scratch has less than
 * NET_SAMPLE_SCRATCH bytes). They allocate nothing: one read buffer comes
 * from scratch. No logging, no writes.
 */
#ifndef HR_KERNEL_NET_SAMPLE_H
#define HR_KERNEL_NET_SAMPLE_H

#include "snapshot/note.h"
#include "kernel/root.h"
#include "snapshot/net_snap.h"
#include "util/arena.h"

#include <stdbool.h>

#define NET_SAMPLE_BUF (1u << 20)
#define NET_SAMPLE_SCRATCH ARENA_PIECE(NET_SAMPLE_BUF)

/* ct_dump: on the live host, dump the table over ctnetlink for the
 * breakdown (ct_dump.h; libnetfilter_conntrack allocates per entry, so the
 * agent's pass says false and its fix text stays generic). */
int conntrack_sample(const struct hr_root *root, void *state, bool ct_dump,
		     struct hr_arena *scratch, struct hr_notes *notes);
int netloss_sample(const struct hr_root *root, void *state, struct hr_arena *scratch,
		   struct hr_notes *notes);

/* Names the netns of the reader: inode of proc/self/ns/net, compared with
 * proc/1/ns/net when that is readable. Never fails (falls back to
 * "this netns"). */
void net_ns_read(const struct hr_root *root, struct net_ns *ns);

#endif
