/* memcg_tree.h - one walk of the memory cgroup hierarchy, as plain numbers.
 *
 * Filled by memcg_tree_read() (src/kernel/memcg_read.c) and judged by the
 * memcg area (src/detect/memcg_judge.c). Nodes are in breadth-first order: the
 * hierarchy root is nodes[0], every node's parent comes before it and its
 * children are the contiguous range [first_child, first_child + nchildren).
 *
 * The node array (`cap` nodes) is the caller's (memcg_tree_read_in(), the
 * agent's pass storage) or allocated by memcg_tree_read() and released by
 * memcg_tree_fini() (both in src/kernel/memcg_read.h). A value that was not
 * read (not needed, see below, or absent on this kernel) is HR_UNSET.
 */
#ifndef HR_SNAPSHOT_MEMCG_TREE_H
#define HR_SNAPSHOT_MEMCG_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot/memcg.h"

#define MEMCG_TREE_CAP 16384	/* nodes; the issue asks for >= 10,000 */
#define MEMCG_NODE_PATH_MAX 512	/* longer cgroup paths are dropped, counted */
#define MEMCG_DEPTH_MAX 32	/* deeper cgroups are not walked, counted */
#define MEMCG_NONE UINT32_MAX

struct memcg_node {
	char path[MEMCG_NODE_PATH_MAX];	/* "/" or "/a/b", below the mount */
	uint32_t parent;		/* MEMCG_NONE for the root */
	uint32_t first_child, nchildren;
	uint16_t depth;
	bool gone;			/* removed while we read it */
	bool unreadable;		/* other error (noted) */
	bool children_complete;		/* every child was recorded and read */
	bool has_stat, has_events, has_cstat, has_wmark;
	bool events_local;		/* events from memory.events.local (5.2+) */
	struct memcg_stat stat;
	/* Read only where a limit is in force (v1: hierarchical_memory_limit
	 * set; v2: memory.max or memory.high set here): the per-cgroup cost of
	 * a check is then one stat() and one memory.stat read. */
	uint64_t limit_bytes;		/* v1 limit_in_bytes, v2 memory.max */
	uint64_t high_bytes;		/* v2 memory.high */
	uint64_t usage_bytes;		/* v1 usage_in_bytes, v2 memory.current */
	uint64_t failcnt;		/* v1 memory.failcnt */
	uint64_t tcp_limit_bytes, tcp_usage_bytes, tcp_failcnt; /* v1 kmem.tcp */
	struct memcg_events events;	/* v2, local when events_local */
	struct memcg_wmark wmark;	/* Alibaba Cloud Linux; only the ratio is read */
	struct cgroup_stat cstat;	/* v2 */
};

struct memcg_tree {
	int version;			/* 1 or 2 */
	char mount[MEMCG_MOUNT_PATH_MAX]; /* relative to the root */
	struct memcg_node *nodes;
	size_t n, cap;
	bool nodes_owned;	/* allocated by memcg_tree_read() */
	size_t dropped;		/* seen but not recorded: cap, path length */
	size_t depth_capped;	/* directories not listed at MEMCG_DEPTH_MAX */
	size_t vanished;	/* removed while we read them (ENOENT/ENODEV) */
	size_t unreadable;	/* other read errors, each also noted */
	uint64_t proc_num_cgroups;	/* /proc/cgroups memory num_cgroups */
	uint64_t mem_total_bytes;	/* /proc/meminfo MemTotal */
	char release[64];		/* /proc/sys/kernel/osrelease, "" if unread */
};

#endif
