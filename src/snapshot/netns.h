/* netns.h - naming a network namespace.
 *
 * /proc/net/... files describe the network namespace of the reading task,
 * so every net finding's subject names that namespace by the inode of
 * /proc/self/ns/net (the readlink text is "net:[4026531833]"). 6.18 prints
 * the same number in "table full in netns %u" (KERNEL-FACTS F.3).
 */
#ifndef HR_SNAPSHOT_NETNS_H
#define HR_SNAPSHOT_NETNS_H

#include <stddef.h>
#include <stdint.h>

/* Parses the link text "net:[N]". Returns 0, or -EINVAL for anything else
 * (trailing bytes included), -ERANGE on overflow. Pure. */
int netns_link_parse(const char *buf, size_t len, uint64_t *inode);

#endif
