/* config.h - /etc/headroom/headroom.conf: the agent's policies.
 *
 * INI (libinih). Sections:
 *   [agent]            cgroup_root, run_dir, max_cgroups, poll_min_ms,
 *                      poll_max_ms, dry_run, mlock, reclaim_worker, journal_fsync,
 *                      rt_priority, judge_interval, metrics_listen,
 *                      metrics_textfile, kmsg
 *   [policy NAME]      match (fnmatch glob on the cgroup path, "/" = the
 *                      hierarchy root, e.g. "/app/web-[0-9]"), high, low ("90%" of
 *                      the limit, or "64M" = bytes of headroom below the
 *                      limit), mode (observe | reclaim), max_rate (bytes per
 *                      second), max_cpu ("10%" of one CPU), chunk (bytes per
 *                      write), reclaim_active (yes | no), backend (auto |
 *                      v1-limit | v2-reclaim | v2-high | wmark | observe)
 *   [guard conntrack]  mode (observe | act), high, low, step, ram_share
 *                      (percents), bytes_per_entry, chain_max, hold_up,
 *                      hold_down (judgement passes)
 *   [guard watermark]  mode, wsf_step, wsf_max, wsf_decay, min_free_step,
 *                      min_free_max, min_free_decay (sizes), reserve (a
 *                      min_free_kbytes floor, size), cooldown, quiet
 *                      (passes), compact (yes | no), compact_interval (s),
 *                      proactiveness (0 off | 1..100), proactive_hold (passes)
 *   [guard deadcharge] mode, match (glob of parents), min_dead, max_step
 *                      (sizes), interval (s between rounds at one parent)
 * Policies are tried in file order; the first match wins. A file with no
 * [policy] gets the built-in one: observe every limited cgroup.
 *
 * Syntax (ours, not libinih's defaults; see config.c): '#' or ';' starts a
 * comment at the start of a line or after a blank; no continuation lines (an
 * indented line is its own line, with a warning); only '=' separates a key
 * from its value; a line is at most 198 bytes. Every error and warning is
 * collected with its line, not only the first.
 *
 * config_parse() is pure (no I/O, no logging; libinih parses from our
 * buffer through a reader callback with its line buffer on the stack).
 */
#ifndef HR_DAEMON_CONFIG_H
#define HR_DAEMON_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect/ct_guard.h"
#include "detect/deadcharge_guard.h"
#include "detect/wmark_guard.h"

#define HR_POLICY_MAX 32
#define HR_CFG_STR 256
#define HR_CONFIG_DEFAULT_PATH "/etc/headroom/headroom.conf"
#define HR_CONFIG_MAX_BYTES 65536

enum hr_mode { HR_MODE_OBSERVE, HR_MODE_RECLAIM };
enum hr_backend_pref {
	HR_BACK_AUTO, HR_BACK_V1_LIMIT, HR_BACK_V2_RECLAIM, HR_BACK_V2_HIGH,
	HR_BACK_WMARK, HR_BACK_OBSERVE,
};

/* A watermark: percent of the limit, or bytes of headroom below it. */
struct hr_mark {
	bool is_pct;
	uint32_t pct;		/* 1..99 */
	uint64_t headroom_bytes;
};

struct hr_policy {
	char name[64];
	char match[HR_CFG_STR];
	struct hr_mark high, low;
	enum hr_mode mode;
	enum hr_backend_pref backend;
	uint64_t max_rate_bytes;	/* per second */
	uint32_t max_cpu_pct;		/* of one CPU, 1..100 */
	uint64_t chunk_bytes;
	bool reclaim_active;
	unsigned line;			/* where it was defined; 0 = built in */
};

/* The guards (daemon/guards.h): each observes by default and writes the
 * host only with mode = act. Its decision's parameters are the detect/
 * structs, defaults from their _cfg_default(). */
enum hr_guard_id { HR_GUARD_CONNTRACK, HR_GUARD_WATERMARK, HR_GUARD_DEADCHARGE, HR_GUARD_N };

struct hr_guard_config {
	bool act[HR_GUARD_N];		/* mode = act */
	unsigned line[HR_GUARD_N];	/* its section's line, 0 none */
	struct ct_guard_cfg ct;
	struct wmark_guard_cfg wm;
	uint64_t wm_reserve_kib;	/* floor of min_free_kbytes, 0 none */
	bool wm_compact;		/* trigger compaction on fragmentation */
	uint32_t wm_compact_interval_s;	/* at least this long between triggers: 300 */
	uint32_t wm_proactiveness;	/* vm.compaction_proactiveness while fragmented, 0 off */
	uint32_t wm_proactive_hold;	/* passes it stays raised after the last fragmentation: 30 */
	struct deadcharge_guard_cfg dc;
	char dc_match[HR_CFG_STR];	/* parents it may reclaim at ("*": any) */
	uint32_t dc_interval_s;		/* between two rounds at one parent: 60 */
};

const char *config_guard_name(enum hr_guard_id g);

struct hr_config {
	char cgroup_root[HR_CFG_STR];	/* "" = auto: v1 memory mount, else v2 */
	char run_dir[HR_CFG_STR];	/* journal + status */
	uint32_t max_cgroups;
	uint32_t poll_min_ms, poll_max_ms;
	bool dry_run;
	bool mlock;
	bool reclaim_worker;	/* rounds on a SCHED_OTHER thread (daemon/worker.c); restart to change */
	bool journal_fsync;
	uint32_t rt_priority;		/* SCHED_FIFO priority, 0 = normal scheduling */
	/* The node agent (daemon/node.h): every area judged each
	 * judge_interval_ms (0: off), exported on metrics_listen ("" = off)
	 * and written to metrics_textfile ("" = off); /dev/kmsg read live. */
	uint32_t judge_interval_ms;
	char metrics_listen[64];	/* "ADDR:PORT", "[V6]:PORT" */
	char metrics_textfile[HR_CFG_STR];
	bool kmsg;
	struct hr_policy policy[HR_POLICY_MAX];
	size_t npolicy;
	struct hr_guard_config guard;
};

#define HR_CONFIG_DIAG_MAX 32

struct hr_config_diag {
	unsigned line;		/* 0: not tied to a line */
	bool warning;		/* false: an error */
	char msg[160];
};

/* Everything config_parse() found, in file order (validation of whole
 * policies last). line/msg repeat the first error; nerrors and nwarnings
 * count past HR_CONFIG_DIAG_MAX, diag[] holds the first ndiag. */
struct hr_config_err {
	unsigned line;		/* 0: not tied to a line */
	char msg[160];
	unsigned nerrors, nwarnings;
	size_t ndiag;
	struct hr_config_diag diag[HR_CONFIG_DIAG_MAX];
};

/* Built-in defaults, with the one observe-everything policy. */
void config_defaults(struct hr_config *c);

/* Parses INI text buf[0..len) over defaults. Returns 0 (warnings may be in
 * *err), or -EINVAL when *err holds at least one error; *out is then
 * unspecified. */
int config_parse(const char *buf, size_t len, struct hr_config *out, struct hr_config_err *err);

/* Reads the file (at most HR_CONFIG_MAX_BYTES) and parses it. -ENOENT when
 * missing (callers fall back to defaults for the default path only). */
int config_load(const char *path, struct hr_config *out, struct hr_config_err *err);

/* "PATH:LINE: msg" or "PATH:LINE: warning: msg" ("PATH: ..." for line 0)
 * into buf[0..cap), always NUL-terminated. */
void config_diag_format(const struct hr_config_diag *d, const char *path, char *buf, size_t cap);

/* First policy whose glob matches cgroup path cg ("/app/web"), or NULL. */
const struct hr_policy *config_match(const struct hr_config *c, const char *cg);

/* The mark in bytes of usage for a given limit (0 if it would be negative). */
uint64_t mark_bytes(const struct hr_mark *m, uint64_t limit);

/* "64M", "1G", "4096", "512KiB" -> bytes. 0 or -EINVAL/-ERANGE. Pure. */
int config_parse_size(const char *s, uint64_t *out);

const char *config_mode_name(enum hr_mode m);

/* "127.0.0.1:19380", "[::1]:19380", "0.0.0.0:19380" -> numeric address
 * (brackets removed) and port 0..65535 (0: any free one, logged). "off"
 * and "" give addr "" (the
 * endpoint disabled). 0 or -EINVAL. Pure: the address is checked by
 * http_srv_init when it binds. */
int config_parse_listen(const char *s, char *addr, size_t cap, uint16_t *port);

#define HR_METRICS_LISTEN_DEFAULT "127.0.0.1:19380"
#define HR_JUDGE_INTERVAL_MS_DEFAULT 10000

#endif
