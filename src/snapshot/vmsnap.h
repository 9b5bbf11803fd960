/* vmsnap.h - the plain state the zones and netswap areas sample: what was
 * read from /proc and /sys, nothing decided. Filled by kernel/vmread.c,
 * kernel/zones_sample.c and kernel/netswap_sample.c; judged by detect/.
 */
#ifndef HR_SNAPSHOT_VMSNAP_H
#define HR_SNAPSHOT_VMSNAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot/buddyinfo.h"
#include "snapshot/kver.h"
#include "snapshot/meminfo.h"
#include "snapshot/net_dev.h"
#include "snapshot/swaps.h"
#include "snapshot/vmstat.h"
#include "snapshot/zoneinfo.h"

/* /proc/sys/vm values; HR_UNSET when the file is absent on this kernel. */
struct vm_sysctls {
	uint64_t min_free_kbytes;
	uint64_t watermark_scale_factor;	/* 4.6+ */
	uint64_t watermark_boost_factor;	/* 5.0+ */
	uint64_t compaction_proactiveness;	/* 5.9+ */
	uint64_t extfrag_threshold;
	uint64_t dirty_ratio, dirty_bytes;
	uint64_t dirty_background_ratio, dirty_background_bytes;
};

struct zones_snap {
	bool have_zoneinfo, have_buddyinfo, have_vmstat;
	struct zoneinfo zi;
	struct buddyinfo bi;
	struct vmstat vs;
	struct vm_sysctls sc;
	struct net_dev nd;
	unsigned kmajor, kminor;	/* kernel release; 0.0 when unknown */
	uint64_t page_size;		/* bytes */
	int thp;			/* 1 enabled (always/madvise), 0 never, -1 unknown */
	uint64_t hpage_pmd_bytes;	/* HR_UNSET when unknown */
};

/* One block device met while walking a swap's storage (dm/md: the device
 * itself first, then its slaves, depth-first). */
#define NETSWAP_DEVS_MAX 8
struct netswap_dev {
	uint32_t major, minor;
	char name[32];			/* kernel name: "nbd0", "dm-1", "sdb2" */
	char syspath[256];		/* target of /sys/dev/block/MAJ:MIN */
	char transport[16];		/* NVMe controller transport, "" if none */
};

enum netswap_how {
	NETSWAP_HOW_NONE,		/* not resolved */
	NETSWAP_HOW_STAT,		/* stat(): st_rdev / st_dev (live host) */
	NETSWAP_HOW_PREFIX,		/* longest mount-point prefix (fixtures, stat failed) */
	NETSWAP_HOW_NAME,		/* device name looked up in /sys/dev/block */
};

struct netswap_swap {
	struct swaps_entry e;
	enum netswap_how how;
	int err;			/* -errno of the resolution, 0 when resolved */
	/* file swap: the filesystem holding it */
	bool have_mount;
	char fstype[64];
	char mount_point[256];
	char source[256];
	char super_opts[256];
	/* the block device under it (partition, or a file on a block fs) */
	size_t ndevs;
	struct netswap_dev devs[NETSWAP_DEVS_MAX];
};

#define NETSWAP_MOUNTS_MAX 32
struct netswap_mount {
	uint32_t major, minor;
	bool rw;
	char fstype[64];
	char mount_point[256];
	char source[256];
	char super_opts[256];
};

struct netswap_snap {
	bool have_swaps, have_mountinfo, have_vmstat, have_meminfo;
	size_t nswaps;
	struct netswap_swap sw[SWAPS_MAX];
	size_t nmounts, mounts_dropped;	/* network filesystems only */
	struct netswap_mount mounts[NETSWAP_MOUNTS_MAX];
	struct vmstat vs;
	struct meminfo mi;
	struct vm_sysctls sc;
	struct net_dev nd;
	uint64_t page_size;
};

#endif
