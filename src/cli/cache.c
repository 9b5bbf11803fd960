/* cache.c - `headroom cache FILE...`: which memory cgroup a file's page
 * cache is charged to, and (--recharge) moving the charge of its clean,
 * unmapped pages to another cgroup.
 *
 * Layers: kernel/cache_read.c reads the frames (mincore, pagemap,
 * /proc/kpage*), detect/cache_owner.c tallies and judges them,
 * act/cache_recharge.c drops and re-reads. Live host and root only: the
 * PFNs are those of our own mapping.
 *
 * Exit: 0 every resident page is where --expect says (or no --expect),
 * 1 some are charged elsewhere (above the expected cgroup included),
 * 3 a file could not be scanned or the recharge failed, 4 usage. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "act/cache_recharge.h"
#include "cli/cli.h"
#include "detect/cache_owner.h"
#include "kernel/cache_read.h"
#include "kernel/root.h"
#include "report/jsonw.h"
#include "report/report.h"

#define LOOKUP_MAX_DIRS 200000
#define RECHARGE_TIMEOUT_MS 120000

static const char note_above[] =
	"kpagecgroup names the nearest live ancestor of a page's cgroup: pages charged above the "
	"expected cgroup are most likely charged to a deleted (dying) cgroup below the owner shown, "
	"whose limit no longer holds them";

struct opts {
	const char *expect_arg, *recharge_arg;
	char expect[CACHE_PATH_MAX], target[CACHE_PATH_MAX];
	char mount[512];	/* relative to the root */
	char mount_abs[520];
	int version;
	bool json;
};

static const char *rel_text(enum cache_rel r)
{
	switch (r) {
	case CACHE_REL_EXPECTED: return "the expected cgroup";
	case CACHE_REL_ABOVE: return "ABOVE the expected cgroup";
	case CACHE_REL_BELOW: return "below the expected cgroup";
	case CACHE_REL_ELSEWHERE: return "NOT the expected cgroup";
	case CACHE_REL_UNCHARGED: return "charged to no cgroup";
	/* Offlining after rmdir is asynchronous: for a moment kpagecgroup
	 * still names the removed cgroup (measured on 6.18: gone after < 2 s). */
	case CACHE_REL_UNKNOWN: return "cgroup not in the hierarchy: removed moments ago and still going "
		"offline; run again";
	default: return NULL;
	}
}

/* Resolves owner paths and relations. Returns true if some page is not
 * where --expect wants it. */
static bool resolve(const struct hr_root *root, const struct opts *o, struct cache_tally *t)
{
	uint64_t inos[CACHE_OWNERS_MAX];
	char (*paths)[CACHE_PATH_MAX] = calloc(CACHE_OWNERS_MAX, sizeof(*paths));
	bool off = false;

	for (size_t i = 0; i < t->n; i++)
		inos[i] = t->owners[i].ino;
	/* Out of memory or an unreadable hierarchy: owners stay unresolved
	 * (reported as such), which is the honest answer. */
	if (paths)
		(void)cache_memcg_lookup(root, o->mount, inos, t->n, paths, LOOKUP_MAX_DIRS);
	for (size_t i = 0; i < t->n; i++) {
		struct cache_owner *w = &t->owners[i];
		snprintf(w->path, sizeof(w->path), "%s", paths ? paths[i] : "");
		if (!w->ino)
			w->rel = CACHE_REL_UNCHARGED;
		else
			w->rel = cache_owner_relation(w->path[0] ? w->path : NULL,
						      o->expect_arg ? o->expect : NULL);
		if (o->expect_arg && w->rel != CACHE_REL_EXPECTED && w->rel != CACHE_REL_BELOW)
			off = true;
	}
	free(paths);
	return off;
}

static void text_owners(const struct cache_tally *t, uint64_t ps)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct cache_owner *w = &t->owners[i];
		const char *rel = rel_text(w->rel);
		char name[CACHE_PATH_MAX + 64];
		if (!w->ino)
			snprintf(name, sizeof(name), "(no cgroup)");
		else if (!w->path[0])
			snprintf(name, sizeof(name), "memcg inode %llu", (unsigned long long)w->ino);
		else
			snprintf(name, sizeof(name), "%s", w->path);
		printf("  %s: %llu pages (%.1f MiB): active %llu, inactive %llu, dirty %llu, "
		       "writeback %llu, mlocked %llu, unevictable %llu, mapped by others %llu%s%s\n",
		       name,
		       (unsigned long long)w->pages, (double)(w->pages * ps) / 1048576.0,
		       (unsigned long long)w->active, (unsigned long long)w->inactive,
		       (unsigned long long)w->dirty, (unsigned long long)w->writeback,
		       (unsigned long long)w->mlocked, (unsigned long long)w->unevictable,
		       (unsigned long long)w->mapped, rel ? " - " : "", rel ? rel : "");
	}
	if (t->owners_dropped_pages)
		printf("  (%llu pages of more than %d cgroups not itemised)\n",
		       (unsigned long long)t->owners_dropped_pages, CACHE_OWNERS_MAX);
}

static void json_owners(struct jsonw *w, const struct cache_tally *t, uint64_t ps)
{
	jw_key(w, "owners");
	jw_arr_begin(w);
	for (size_t i = 0; i < t->n; i++) {
		const struct cache_owner *c = &t->owners[i];
		jw_obj_begin(w);
		jw_key(w, "cgroup");
		if (c->ino && c->path[0])
			jw_str(w, c->path);
		else
			jw_null(w);
		jw_kv_u64(w, "memcg_ino", c->ino);
		jw_kv_str(w, "relation", cache_rel_name(c->rel));
		jw_kv_u64(w, "pages", c->pages);
		jw_kv_u64(w, "bytes", c->pages * ps);
		static const char *const k[] = { "active", "inactive", "dirty", "writeback", "mlocked",
						 "unevictable", "mapped_by_others", "movable" };
		const uint64_t v[] = { c->active, c->inactive, c->dirty, c->writeback, c->mlocked,
				       c->unevictable, c->mapped, c->skip[CACHE_SKIP_NONE] };
		for (size_t j = 0; j < sizeof(v) / sizeof(v[0]); j++) {
			jw_key(w, k[j]);
			jw_u64(w, v[j]);
		}
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_kv_u64(w, "owners_dropped_pages", t->owners_dropped_pages);
}

static void json_skips(struct jsonw *w, const uint64_t *skip)
{
	jw_key(w, "not_movable");
	jw_arr_begin(w);
	for (int s = CACHE_SKIP_NONE + 1; s < CACHE_SKIP_N; s++) {
		if (!skip[s])
			continue;
		jw_obj_begin(w);
		jw_kv_str(w, "reason", cache_skip_name((enum cache_skip)s));
		jw_kv_u64(w, "pages", skip[s]);
		jw_kv_str(w, "why", cache_skip_reason((enum cache_skip)s));
		jw_kv_str(w, "fix", cache_skip_fix((enum cache_skip)s));
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void text_skips(const uint64_t *skip)
{
	for (int s = CACHE_SKIP_NONE + 1; s < CACHE_SKIP_N; s++)
		if (skip[s])
			printf("  not moved: %llu pages %s; %s\n", (unsigned long long)skip[s],
			       cache_skip_reason((enum cache_skip)s), cache_skip_fix((enum cache_skip)s));
}

/* Page indices --recharge may move: movable and not already charged to
 * the target. Allocated; *n set. */
static uint64_t *movable(const struct cache_scan *s, const struct cache_tally *t, const char *target,
			 size_t *n)
{
	uint64_t target_ino = 0;
	uint64_t *idx = malloc((s->n ? s->n : 1) * sizeof(*idx));

	*n = 0;
	if (!idx)
		return NULL;
	for (size_t i = 0; i < t->n; i++)
		if (t->owners[i].path[0] && !strcmp(t->owners[i].path, target))
			target_ino = t->owners[i].ino;
	for (size_t i = 0; i < s->n; i++) {
		struct kpage_flags f;
		kpage_flags_decode(s->recs[i].flags, &f);
		if (target_ino && s->recs[i].memcg_ino == target_ino)
			continue;
		if (cache_recharge_verdict(&f, cache_mapped_others(s->recs[i].mapcount)) == CACHE_SKIP_NONE)
			idx[(*n)++] = s->recs[i].index;
	}
	return idx;
}

static int one_file(const struct hr_root *root, const struct opts *o, const char *file, struct jsonw *w,
		    bool *off)
{
	struct cache_scan s, s2;
	struct cache_tally *t = calloc(2, sizeof(*t));
	struct stat st;
	int rc = 0, fd = -1, e;

	if (!t) {
		cli_err("cache", "%s: out of memory", file);
		return HR_EXIT_FAIL;
	}
	/* O_NONBLOCK: a FIFO must not block the open; it is refused below. */
	fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st)) {
		cli_err("cache", "%s: %s", file, strerror(errno));
		rc = HR_EXIT_FAIL;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		cli_err("cache", "%s: %s, not a regular file: only a file's page cache can be shown", file,
			S_ISDIR(st.st_mode) ? "a directory" : S_ISFIFO(st.st_mode) ? "a FIFO" :
			S_ISSOCK(st.st_mode) ? "a socket" : "a device");
		rc = HR_EXIT_FAIL;
		goto out;
	}
	if ((e = cache_scan_file(root, fd, &s))) {
		cli_err("cache", "%s: cannot read its page frames: %s%s", file, strerror(-e),
			e == -EPERM || e == -EACCES ? " (pagemap PFNs and /proc/kpage* need root)" : "");
		rc = HR_EXIT_FAIL;
		goto out;
	}
	cache_tally(&s, &t[0]);
	bool foff = resolve(root, o, &t[0]);
	if (w) {
		jw_obj_begin(w);
		jw_kv_str(w, "path", file);
		jw_kv_u64(w, "size_bytes", s.size_bytes);
		jw_kv_u64(w, "page_size", s.page_size);
		jw_kv_u64(w, "pages", s.pages);
		jw_kv_u64(w, "resident_pages", s.resident);
		jw_kv_u64(w, "unresolved_pages", s.no_pfn);
		json_owners(w, &t[0], s.page_size);
		json_skips(w, t[0].skip);
	} else {
		printf("%s: %llu of %llu pages resident (%.1f of %.1f MiB)", file,
		       (unsigned long long)s.resident, (unsigned long long)s.pages,
		       (double)(s.resident * s.page_size) / 1048576.0, (double)s.size_bytes / 1048576.0);
		if (s.no_pfn)
			printf(", %llu evicted while scanned", (unsigned long long)s.no_pfn);
		putchar('\n');
		text_owners(&t[0], s.page_size);
		if (o->recharge_arg)
			text_skips(t[0].skip);
	}
	if (o->recharge_arg) {
		size_t n;
		struct cache_recharge_res res;
		char cg[1100];
		uint64_t *idx = movable(&s, &t[0], o->target, &n);

		snprintf(cg, sizeof(cg), "%s%s", o->mount, strcmp(o->target, "/") ? o->target : "");
		e = idx ? cache_recharge(root, fd, idx, n, s.page_size, cg, RECHARGE_TIMEOUT_MS, &res) : -ENOMEM;
		free(idx);
		if (!e && res.child_errno) {
			cli_err("cache", "%s: recharge to %s: the reader in the cgroup could not %s: %s", file,
				o->target, res.child_step && !strcmp(res.child_step, "join") ?
				"join it" : "read the file", strerror(res.child_errno));
			rc = HR_EXIT_FAIL;
		} else if (e) {
			cli_err("cache", "%s: recharge to %s: %s", file, o->target, strerror(-e));
			rc = HR_EXIT_FAIL;
		}
		if (!e && !cache_scan_file(root, fd, &s2)) {
			cache_tally(&s2, &t[1]);
			/* With --recharge, the exit code judges the state after it. */
			foff = resolve(root, o, &t[1]);
			if (w) {
				jw_key(w, "recharge");
				jw_obj_begin(w);
				jw_kv_str(w, "target", o->target);
				jw_kv_u64(w, "dropped_pages", res.pages_dropped);
				jw_kv_u64(w, "runs", res.runs);
				jw_kv_u64(w, "bytes_read", res.bytes_read);
				jw_kv_u64(w, "resident_pages_after", s2.resident);
				jw_key(w, "after");
				jw_obj_begin(w);
				json_owners(w, &t[1], s2.page_size);
				jw_obj_end(w);
				jw_obj_end(w);
			} else {
				printf("  recharge to %s: dropped %llu pages in %llu runs, read %.1f MiB back from "
				       "inside %s; now %llu pages resident:\n", o->target,
				       (unsigned long long)res.pages_dropped, (unsigned long long)res.runs,
				       (double)res.bytes_read / 1048576.0, o->target, (unsigned long long)s2.resident);
				text_owners(&t[1], s2.page_size);
			}
			cache_scan_fini(&s2);
		}
	}
	if (w)
		jw_obj_end(w);
	*off |= foff;
	cache_scan_fini(&s);
out:
	if (fd >= 0)
		close(fd);
	free(t);
	return rc;
}

static int norm_arg(const struct opts *o, const char *what, const char *arg, char *out)
{
	int e = cache_cgroup_norm(arg, strlen(arg), o->mount_abs, out, CACHE_PATH_MAX);
	if (e)
		cli_err("cache", "%s %s: %s", what, arg, e == -E2BIG ? "path too long" :
			"not a cgroup path (no '.' or '..' components, no control characters)");
	return e;
}

int cmd_cache(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "expect", required_argument, NULL, 'e' },
		{ "recharge", required_argument, NULL, 'R' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct opts o = { 0 };
	struct hr_root root;
	int ch, rc = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (ch) {
		case 'e': o.expect_arg = optarg; break;
		case 'R': o.recharge_arg = optarg; break;
		case 'j': o.json = true; break;
		case 'h':
			puts("usage: headroom cache [--expect CGROUP] [--recharge CGROUP] [--json] FILE...\n"
			     "Which memory cgroup each file's resident pages are charged to, split into\n"
			     "active/inactive/dirty/writeback/mlocked/mapped (root: mincore, pagemap,\n"
			     "/proc/kpagecgroup, /proc/kpageflags). CGROUP is a path in the memory\n"
			     "hierarchy (/a/b) or below its mount (/sys/fs/cgroup/memory/a/b).\n"
			     "  --expect CGROUP    say whether the owner is CGROUP; a page of a deleted\n"
			     "                     cgroup shows its nearest live ancestor, so \"above the\n"
			     "                     expected cgroup\" is what a dead cgroup's cache looks like\n"
			     "  --recharge CGROUP  drop the clean, unmapped, unlocked pages and read them\n"
			     "                     again from a process inside CGROUP (it then pays for\n"
			     "                     them); mapped, mlocked and dirty pages are left, with why\n"
			     "  --json             one JSON object\n"
			     "exit: 0 as expected, 1 some pages charged elsewhere, 3 failed, 4 usage");
			return 0;
		default: return cli_usage_hint("cache");
		}
	}
	if (optind >= argc) {
		cli_err("cache", "no FILE given; see 'headroom help cache'");
		return HR_EXIT_USAGE;
	}
	if (geteuid() != 0) {
		cli_err("cache", "needs root: page frame numbers in /proc/self/pagemap and /proc/kpage* "
			"are root-only");
		return HR_EXIT_FAIL;
	}
	int e = root_open(&root, "/");
	if (e) {
		cli_err("cache", "cannot open /: %s", strerror(-e));
		return HR_EXIT_FAIL;
	}
	e = cache_memcg_mount(&root, o.mount, sizeof(o.mount), &o.version);
	if (e) {
		cli_err("cache", "%s", e == -ENODEV ? "no memory cgroup controller mounted (v1 memory or "
			"cgroup2 with memory)" : strerror(-e));
		root_close(&root);
		return HR_EXIT_FAIL;
	}
	snprintf(o.mount_abs, sizeof(o.mount_abs), "/%s", o.mount);
	if ((o.expect_arg && norm_arg(&o, "--expect", o.expect_arg, o.expect)) ||
	    (o.recharge_arg && norm_arg(&o, "--recharge", o.recharge_arg, o.target))) {
		root_close(&root);
		return HR_EXIT_USAGE;
	}
	if (o.recharge_arg) {
		char p[1100];
		struct stat st;
		snprintf(p, sizeof(p), "%s%s", o.mount, strcmp(o.target, "/") ? o.target : "");
		if (root_stat(&root, p, &st) || !S_ISDIR(st.st_mode)) {
			cli_err("cache", "--recharge %s: no such cgroup (/%s)", o.recharge_arg, p);
			root_close(&root);
			return HR_EXIT_FAIL;
		}
	}
	struct jsonw w;
	if (o.json) {
		jw_init(&w, stdout, true);
		jw_obj_begin(&w);
		jw_key(&w, "command");
		jw_str(&w, "cache");
		jw_key(&w, "version");
		jw_str(&w, HR_VERSION);
		jw_key(&w, "memcg_mount");
		jw_str(&w, o.mount_abs);
		jw_key(&w, "memcg_version");
		jw_u64(&w, (uint64_t)o.version);
		jw_key(&w, "expect");
		if (o.expect_arg)
			jw_str(&w, o.expect);
		else
			jw_null(&w);
		jw_key(&w, "note");
		jw_str(&w, note_above);
		jw_key(&w, "files");
		jw_arr_begin(&w);
	}
	bool off = false;
	for (int i = optind; i < argc; i++) {
		int r = one_file(&root, &o, argv[i], o.json ? &w : NULL, &off);
		if (r > rc)
			rc = r;
	}
	if (o.json) {
		jw_arr_end(&w);
		jw_obj_end(&w);
		jw_finish(&w);
	} else if (o.expect_arg) {
		printf("note: %s.\n", note_above);
	}
	if (!rc && off)
		rc = 1;
	root_close(&root);
	return rc;
}
