/* test_guards.c - the agent's guards over a synthetic tree (never a host
 * sysctl: --root points at a temp directory with fake proc/sys files):
 * the conntrack guard raises nf_conntrack_max, lowers it back to the
 * original, gives it back at a clean stop and, after a kill -9, at the next
 * start (journal_replay); observe mode writes nothing; the watermark guard
 * boosts on a kernel allocation-failure report read from "/dev/kmsg" (a
 * pipe) and decays back; the metrics show each guard. */
#define _GNU_SOURCE
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/ctx.h"
#include "daemon/guards.h"
#include "daemon/node.h"

static char dir[64];

static void put(const char *rel, const char *s)
{
	tu_put(dir, rel, s);
}

static void mk(const char *rel)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	assert_int_equal(mkdir(p, 0700), 0);
}

static unsigned long long get(const char *rel)
{
	char p[256];
	unsigned long long v = 0;
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	FILE *f = fopen(p, "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%llu", &v), 1);
	fclose(f);
	return v;
}

#define CT "proc/sys/net/netfilter/"
#define VM "proc/sys/vm/"

static void tree(void)
{
	snprintf(dir, sizeof(dir), "/tmp/hr-test-guards-XXXXXX");
	assert_non_null(mkdtemp(dir));
	const char *dirs[] = { "sys", "sys/fs", "sys/fs/cgroup", "sys/fs/cgroup/memory", "proc", "proc/self",
			       "proc/sys", "proc/sys/vm", "proc/sys/net", "proc/sys/net/netfilter", "run" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		mk(dirs[i]);
	put("proc/self/mounts", "cgroup /sys/fs/cgroup/memory cgroup rw,nosuid,nodev,noexec,relatime,memory 0 0\n");
	put("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
	put("sys/fs/cgroup/memory/memory.usage_in_bytes", "1000000000\n");
	put("sys/fs/cgroup/memory/memory.stat", "cache 1\nrss 2\ntotal_cache 1\n");
	put("sys/fs/cgroup/memory/cgroup.event_control", "");
	put("proc/meminfo", "MemTotal:       16384000 kB\nMemFree:         8000000 kB\n");
	put(CT "nf_conntrack_count", "950\n");
	put(CT "nf_conntrack_max", "1000\n");
	put(CT "nf_conntrack_buckets", "1024\n");
	/* zones area: a real capture's zoneinfo, buddyinfo and vmstat (6.18.44
	 * VM, tests/fixtures/6.18.44-vm-x86_64/SOURCE), our own knobs. */
	char cmd[256];
	static const char *const zf[] = { "zoneinfo", "buddyinfo", "vmstat" };
	for (size_t i = 0; i < sizeof(zf) / sizeof(zf[0]); i++) {
		snprintf(cmd, sizeof(cmd), "cp tests/fixtures/6.18.44-vm-x86_64/proc/%s %s/proc/", zf[i], dir);
		assert_int_equal(system(cmd), 0);
	}
	put(VM "watermark_scale_factor", "10\n");
	put(VM "min_free_kbytes", "67584\n");
}

static struct hr_ctx *start(const char *guards)
{
	struct hr_config cfg;
	struct hr_config_err err;
	struct hr_daemon_opts o = { .no_signals = true, .no_mlock = true, .root = dir };
	char conf[1024];

	snprintf(conf, sizeof(conf),
		 "[agent]\nrun_dir = %s/run\nmax_cgroups = 16\njudge_interval = off\nmetrics_listen = off\n%s",
		 dir, guards);
	assert_int_equal(config_parse(conf, strlen(conf), &cfg, &err), 0);
	struct hr_ctx *c = calloc(1, sizeof(*c));
	assert_non_null(c);
	assert_int_equal(daemon_init(c, &cfg, &o), 0);	/* runs the first pass */
	return c;
}

static void stop(struct hr_ctx *c)
{
	daemon_fini(c);
	free(c);
}

static void cleanup(void)
{
	char p[128];
	snprintf(p, sizeof(p), "rm -rf %s", dir);
	assert_int_equal(system(p), 0);
}

static const char *const ACT_CT = "[guard conntrack]\nmode = act\nhold_up = 1\nhold_down = 2\n";

static void test_conntrack_raise_lower_stop(void **state)
{
	(void)state;
	tree();
	struct hr_ctx *c = start(ACT_CT);
	/* 95 % full at the first pass: raised by 50 %, journaled. */
	assert_true(get(CT "nf_conntrack_max") == 1500);
	assert_int_equal(c->journal.open_entries, 1);
	const struct prom_guards *pg = guards_prom(c);
	assert_non_null(pg);
	assert_string_equal(pg->g[HR_GUARD_CONNTRACK].decision, "raise");
	assert_true(pg->g[HR_GUARD_CONNTRACK].actions[0] == 1);
	assert_true(pg->g[HR_GUARD_CONNTRACK].original == 1000);
	assert_string_equal(pg->g[HR_GUARD_CONNTRACK].mode, "act");
	/* Still busy but below high: held. */
	put(CT "nf_conntrack_count", "950\n");
	judge_pass_run(c);
	assert_true(get(CT "nf_conntrack_max") == 1500);
	/* The load is gone: after hold_down passes, lowered to the original
	 * (the record cleared). */
	put(CT "nf_conntrack_count", "10\n");
	judge_pass_run(c);
	assert_true(get(CT "nf_conntrack_max") == 1500);
	judge_pass_run(c);
	assert_true(get(CT "nf_conntrack_max") == 1000);
	assert_int_equal(c->journal.open_entries, 0);
	assert_true(pg->g[HR_GUARD_CONNTRACK].actions[1] == 1);
	/* The exposition has the guard's families. */
	assert_non_null(strstr(c->node->cache, "headroom_guard_value{guard=\"conntrack\",knob=\"nf_conntrack_max\"} 1000"));
	assert_non_null(strstr(c->node->cache, "headroom_guard_original_value{guard=\"conntrack\",knob=\"nf_conntrack_max\"} 1000"));
	assert_non_null(strstr(c->node->cache, "headroom_guard_actions_total{guard=\"conntrack\",action=\"raise\"} 1"));
	assert_non_null(strstr(c->node->cache, "headroom_guard_last_decision{guard=\"conntrack\",decision=\"lower\"} 1"));
	assert_non_null(strstr(c->node->cache, "headroom_guard_info{guard=\"watermark\",mode=\"observe\""));
	/* Full again, then a clean stop: the original is back. */
	put(CT "nf_conntrack_count", "1000\n");
	judge_pass_run(c);
	assert_true(get(CT "nf_conntrack_max") == 1500);
	stop(c);
	assert_true(get(CT "nf_conntrack_max") == 1000);
	cleanup();
}

/* A reload that switches the guard to observe gives back what it holds. */
static void test_conntrack_to_observe(void **state)
{
	(void)state;
	tree();
	struct hr_ctx *c = start(ACT_CT);
	assert_true(get(CT "nf_conntrack_max") == 1500);
	c->cfg.guard.act[HR_GUARD_CONNTRACK] = false;
	judge_pass_run(c);
	assert_true(get(CT "nf_conntrack_max") == 1000);
	assert_int_equal(c->journal.open_entries, 0);
	assert_string_equal(guards_prom(c)->g[HR_GUARD_CONNTRACK].mode, "observe");
	judge_pass_run(c);	/* observing: decides, writes nothing */
	assert_true(get(CT "nf_conntrack_max") == 1000);
	stop(c);
	cleanup();
}

/* A fragmented Normal zone (no free block above order 2, free memory well
 * above low: the 6.18.44 capture's zoneinfo with a synthetic buddyinfo):
 * compaction of its node is triggered once, then rate-bounded. */
static void test_compaction_trigger(void **state)
{
	(void)state;
	tree();
	put("proc/buddyinfo", "Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3 \n"
			      "Node 0, zone    DMA32   9000   4000    100      0      0      0      0      0      0      0      0 \n"
			      "Node 0, zone   Normal  90000  40000   1000      0      0      0      0      0      0      0      0 \n");
	const char *d[] = { "sys/devices", "sys/devices/system", "sys/devices/system/node", "sys/devices/system/node/node0" };
	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		mk(d[i]);
	put("sys/devices/system/node/node0/compact", "");
	put(VM "compaction_proactiveness", "20\n");
	struct hr_ctx *c = start("[guard watermark]\nmode = act\ncompact_interval = 3600\nproactiveness = 60\n"
				 "proactive_hold = 2\n");
	const struct prom_guards *pg = guards_prom(c);
	char b[8] = { 0 };
	assert_true(root_read(&c->root, "sys/devices/system/node/node0/compact", b, sizeof(b)) == 1);
	assert_true(pg->g[HR_GUARD_WATERMARK].actions[2] == 1);
	put("sys/devices/system/node/node0/compact", "");
	judge_pass_run(c);	/* within the interval: not again */
	assert_true(root_read(&c->root, "sys/devices/system/node/node0/compact", b, sizeof(b)) == 0);
	assert_true(pg->g[HR_GUARD_WATERMARK].actions[2] == 1);
	/* compaction_proactiveness raised while fragmented (journaled), given
	 * back proactive_hold passes after the fragmentation is gone. */
	assert_true(get(VM "compaction_proactiveness") == 60);
	assert_int_equal(c->journal.open_entries, 1);	/* the knob; a trigger is not journaled */
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "cp tests/fixtures/6.18.44-vm-x86_64/proc/buddyinfo %s/proc/", dir);
	assert_int_equal(system(cmd), 0);
	judge_pass_run(c);
	assert_true(get(VM "compaction_proactiveness") == 60);
	judge_pass_run(c);
	assert_true(get(VM "compaction_proactiveness") == 20);
	assert_int_equal(c->journal.open_entries, 0);
	assert_true(pg->g[HR_GUARD_WATERMARK].actions[3] == 2);
	stop(c);
	cleanup();
}

/* Someone else's value while raised is theirs: never restored over. */
static void test_conntrack_taken(void **state)
{
	(void)state;
	tree();
	struct hr_ctx *c = start(ACT_CT);
	assert_true(get(CT "nf_conntrack_max") == 1500);
	put(CT "nf_conntrack_max", "4000\n");	/* an administrator */
	put(CT "nf_conntrack_count", "3900\n");
	judge_pass_run(c);	/* record dropped; the guard starts over from 4000 */
	assert_true(get(CT "nf_conntrack_max") == 4000);
	assert_int_equal(c->journal.open_entries, 0);
	put(CT "nf_conntrack_count", "10\n");
	stop(c);
	assert_true(get(CT "nf_conntrack_max") == 4000);
	cleanup();
}

/* kill -9 while raised: the next start restores the original. */
static void test_conntrack_kill9(void **state)
{
	(void)state;
	tree();
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct hr_ctx *c = start(ACT_CT);
		(void)c;
		raise(SIGKILL);
		_exit(1);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	assert_true(get(CT "nf_conntrack_max") == 1500);	/* left raised */
	put(CT "nf_conntrack_count", "10\n");
	struct hr_ctx *c = start("");	/* observe: replay alone restores */
	assert_true(get(CT "nf_conntrack_max") == 1000);
	assert_int_equal(c->journal.open_entries, 0);
	stop(c);
	cleanup();
}

/* observe (the default): the same decisions, nothing written. */
static void test_observe_writes_nothing(void **state)
{
	(void)state;
	tree();
	struct hr_ctx *c = start("[guard conntrack]\nhold_up = 1\n");
	const struct prom_guards *pg = guards_prom(c);
	assert_string_equal(pg->g[HR_GUARD_CONNTRACK].decision, "raise");
	assert_true(pg->g[HR_GUARD_CONNTRACK].actions[0] == 1);	/* would */
	assert_string_equal(pg->g[HR_GUARD_CONNTRACK].mode, "observe");
	assert_true(get(CT "nf_conntrack_max") == 1000);
	assert_int_equal(c->journal.open_entries, 0);
	judge_pass_run(c);
	assert_true(get(CT "nf_conntrack_max") == 1000);
	stop(c);
	cleanup();
}

/* An allocation failure as the kernel logs it (tests/fixtures/kmsg/
 * 05-pagealloc-virtio_net-ceph-5.4.log), records of facility 0 through a
 * pipe standing in for /dev/kmsg: the watermark guard boosts
 * vm.watermark_scale_factor, decays it back when quiet, and a process's
 * record of the same text (LOG_USER) boosts nothing. */
static void feed(struct hr_ctx *c, int wfd, unsigned fac, unsigned *seq)
{
	FILE *f = fopen("tests/fixtures/kmsg/05-pagealloc-virtio_net-ceph-5.4.log", "r");
	char line[512], rec[600];
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		const char *t = strchr(line, ']');
		assert_non_null(t);
		int n = snprintf(rec, sizeof(rec), "%u,%u,%u,-;%s", fac * 8 + 4, *seq, 785000000 + *seq, t + 2);
		(*seq)++;
		assert_int_equal(write(wfd, rec, (size_t)n), n);
		kmsg_watch_read(c);
	}
	fclose(f);
	explain_idle(c->node->x, 2 * EXPLAIN_IDLE_USEC);
}

static void test_watermark_boost_decay(void **state)
{
	(void)state;
	tree();
	struct hr_ctx *c = start("[guard watermark]\nmode = act\nwsf_step = 10\nwsf_decay = 5\nquiet = 2\ncooldown = 1\n");
	struct hr_node *nd = c->node;
	assert_non_null(nd->x);
	int kp[2];
	assert_int_equal(pipe2(kp, O_NONBLOCK | O_CLOEXEC), 0);
	nd->kmsg_fd = kp[0];
	unsigned seq = 1;
	judge_pass_run(c);	/* the original is learned with the count it sees */
	assert_true(get(VM "watermark_scale_factor") == 10);
	feed(c, kp[1], 1, &seq);	/* LOG_USER: not the kernel's */
	judge_pass_run(c);
	assert_true(get(VM "watermark_scale_factor") == 10);
	feed(c, kp[1], 0, &seq);
	assert_true(nd->incidents[HR_INC_ALLOC_FAILURE] == 1);
	judge_pass_run(c);
	assert_true(get(VM "watermark_scale_factor") == 20);
	assert_int_equal(c->journal.open_entries, 1);
	const struct prom_guards *pg = guards_prom(c);
	assert_string_equal(pg->g[HR_GUARD_WATERMARK].decision, "boost");
	/* Quiet: decays 20 -> 15 -> 10 (the original, record cleared). */
	for (int i = 0; i < 2; i++)
		judge_pass_run(c);
	assert_true(get(VM "watermark_scale_factor") == 15);
	for (int i = 0; i < 2; i++)
		judge_pass_run(c);
	assert_true(get(VM "watermark_scale_factor") == 10);
	assert_int_equal(c->journal.open_entries, 0);
	assert_true(pg->g[HR_GUARD_WATERMARK].actions[0] == 1 && pg->g[HR_GUARD_WATERMARK].actions[1] == 2);
	/* Boosted at stop: given back. */
	feed(c, kp[1], 0, &seq);
	judge_pass_run(c);
	assert_true(get(VM "watermark_scale_factor") == 20);
	nd->kmsg_fd = -1;
	close(kp[0]);
	close(kp[1]);
	stop(c);
	assert_true(get(VM "watermark_scale_factor") == 10);
	cleanup();
}

/* cgroup v2: the synthetic host (tests/fixtures/synthetic-memcg-v2-host:
 * 300 MiB of dead charges below /system.slice, 240 dying), copied so the
 * agent may write it. observe writes nothing; act writes max_step to
 * memory.reclaim of /system.slice (the fixture's usage does not fall, so the
 * round's budget ends it), once per interval; a parent
 * the glob does not match is left alone. */
static void test_deadcharge_v2(void **state)
{
	(void)state;
	char cmd[256];
	snprintf(dir, sizeof(dir), "/tmp/hr-test-guards-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "cp -r tests/fixtures/synthetic-memcg-v2-host/. %s/ && mkdir %s/run", dir, dir);
	assert_int_equal(system(cmd), 0);
	put("sys/fs/cgroup/system.slice/memory.reclaim", "");
	put("sys/fs/cgroup/batch.slice/memory.reclaim", "");
	char b[64];
	/* By default live children's cache (700 MiB beside 300 MiB dead) holds it:
	 * memory.reclaim at the parent would take from them in proportion. */
	struct hr_ctx *c = start("[guard deadcharge]\nmode = act\nmatch = /system.slice\nmax_step = 64M\n");
	const struct prom_guards *pg = guards_prom(c);
	assert_string_equal(pg->g[HR_GUARD_DEADCHARGE].decision, "hold_live_cache");
	assert_true(root_read(&c->root, "sys/fs/cgroup/system.slice/memory.reclaim", b, sizeof(b)) == 0);
	stop(c);
	c = start("[guard deadcharge]\nmatch = /system.slice\nmax_step = 64M\nmax_live = 1000\n");
	assert_true(root_read(&c->root, "sys/fs/cgroup/system.slice/memory.reclaim", b, sizeof(b)) == 0);
	pg = guards_prom(c);
	assert_string_equal(pg->g[HR_GUARD_DEADCHARGE].decision, "reclaim_v2");
	assert_true(pg->g[HR_GUARD_DEADCHARGE].value == 314572800);
	stop(c);
	/* Locked by another agent (its flock on the directory): left to it. */
	snprintf(cmd, sizeof(cmd), "%s/sys/fs/cgroup/system.slice", dir);
	int lk = open(cmd, O_RDONLY | O_DIRECTORY);
	assert_true(lk >= 0);
	assert_int_equal(flock(lk, LOCK_EX | LOCK_NB), 0);
	c = start("[guard deadcharge]\nmode = act\nmatch = /system.slice\nmax_step = 64M\nmax_live = 1000\n");
	assert_true(root_read(&c->root, "sys/fs/cgroup/system.slice/memory.reclaim", b, sizeof(b)) == 0);
	stop(c);
	close(lk);
	c = start("[guard deadcharge]\nmode = act\nmatch = /system.slice\nmax_step = 64M\ninterval = 3600\nmax_live = 1000\n");
	assert_true(root_read(&c->root, "sys/fs/cgroup/system.slice/memory.reclaim", b, sizeof(b)) > 0);
	assert_string_equal(b, "67108864");
	assert_true(guards_prom(c)->g[HR_GUARD_DEADCHARGE].actions[0] == 1);
	put("sys/fs/cgroup/system.slice/memory.reclaim", "");
	judge_pass_run(c);	/* within the interval: no second round */
	assert_true(root_read(&c->root, "sys/fs/cgroup/system.slice/memory.reclaim", b, sizeof(b)) == 0);
	assert_true(guards_prom(c)->g[HR_GUARD_DEADCHARGE].actions[0] == 1);
	assert_true(root_read(&c->root, "sys/fs/cgroup/batch.slice/memory.reclaim", b, sizeof(b)) == 0);
	assert_int_equal(c->journal.open_entries, 0);	/* memory.reclaim: nothing to undo */
	stop(c);
	cleanup();
}

static void test_config(void **state)
{
	(void)state;
	struct hr_config cfg;
	struct hr_config_err err;
	static const char good[] =
		"[guard conntrack]\nmode = act\nhigh = 80%\nlow = 50%\nstep = 25%\nram_share = 2%\n"
		"[guard watermark]\nwsf_max = 300\nmin_free_step = 8M\nreserve = 128M\ncompact = no\n"
		"[guard deadcharge]\nmode = act\nmatch = /apps/*\nmax_step = 64M\ninterval = 5\n";
	assert_int_equal(config_parse(good, strlen(good), &cfg, &err), 0);
	assert_true(cfg.guard.act[HR_GUARD_CONNTRACK]);
	assert_false(cfg.guard.act[HR_GUARD_WATERMARK]);
	assert_true(cfg.guard.act[HR_GUARD_DEADCHARGE]);
	assert_int_equal(cfg.guard.ct.high_pct, 80);
	assert_int_equal(cfg.guard.ct.step_pct, 25);
	assert_true(cfg.guard.wm.wsf_max == 300);
	assert_true(cfg.guard.wm.min_free_step_kib == 8192);
	assert_true(cfg.guard.wm_reserve_kib == 131072);
	assert_false(cfg.guard.wm_compact);
	assert_string_equal(cfg.guard.dc_match, "/apps/*");
	assert_true(cfg.guard.dc.max_step_bytes == 64u << 20);
	assert_int_equal(cfg.guard.dc_interval_s, 5);
	/* Defaults: observe. */
	assert_int_equal(config_parse("", 0, &cfg, &err), 0);
	for (int i = 0; i < HR_GUARD_N; i++)
		assert_false(cfg.guard.act[i]);
	/* Errors carry their line. */
	static const struct {
		const char *text;
		unsigned line;
		const char *msg;
	} bad[] = {
		{ "[guard conntrack]\nmode = yes\n", 2, "mode: need observe or act" },
		{ "[guard nat]\n", 1, "unknown guard" },
		{ "[guard conntrack]\n[guard conntrack]\n", 2, "duplicate [guard conntrack]" },
		{ "[guard conntrack]\nhigh = 50%\nlow = 60%\n", 1, "low (60%) must be below high" },
		{ "[guard watermark]\n\nwsf_step = 0\n", 3, "wsf_step" },
		{ "[guard watermark]\nmin_free_max = 1\n", 2, "min_free_max: need a size" },
		{ "[guard deadcharge]\nmatch = apps\n", 2, "match: need a glob" },
		{ "[guard deadcharge]\nmax_step = 4K\n", 2, "max_step" },
		{ "[guard deadcharge]\nhigh = 90%\n", 2, "unknown key 'high' in [guard deadcharge]" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(config_parse(bad[i].text, strlen(bad[i].text), &cfg, &err), -EINVAL);
		if (err.line != bad[i].line || !strstr(err.msg, bad[i].msg))
			fail_msg("case %zu: line %u: %s", i, err.line, err.msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conntrack_raise_lower_stop),
		cmocka_unit_test(test_conntrack_taken),
		cmocka_unit_test(test_conntrack_to_observe),
		cmocka_unit_test(test_compaction_trigger),
		cmocka_unit_test(test_conntrack_kill9),
		cmocka_unit_test(test_observe_writes_nothing),
		cmocka_unit_test(test_watermark_boost_decay),
		cmocka_unit_test(test_deadcharge_v2),
		cmocka_unit_test(test_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
