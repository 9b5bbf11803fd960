/* cache_owner.c - who owns a file's cached pages (see cache_owner.h). */
#include <errno.h>
#include <string.h>

#include "detect/cache_owner.h"

uint64_t cache_mapped_others(uint64_t mapcount)
{
	/* The scanner maps every page it looks at exactly once. With large
	 * folios kpagecount may be the folio's average per-page mapcount, still
	 * >= 1 for our mapping; anything above 1 is someone else. */
	return mapcount > 1 ? mapcount - 1 : 0;
}

enum cache_skip cache_recharge_verdict(const struct kpage_flags *f, uint64_t mapped_others)
{
	if (f->mlocked)
		return CACHE_SKIP_MLOCKED;
	if (f->unevictable)
		return CACHE_SKIP_UNEVICTABLE;
	if (mapped_others)
		return CACHE_SKIP_MAPPED;
	if (f->dirty)
		return CACHE_SKIP_DIRTY;
	if (f->writeback)
		return CACHE_SKIP_WRITEBACK;
	if (f->locked)
		return CACHE_SKIP_LOCKED;
	return CACHE_SKIP_NONE;
}

static const struct {
	const char *name, *reason, *fix;
} skips[CACHE_SKIP_N] = {
	[CACHE_SKIP_MLOCKED] = { "mlocked",
		"mlocked by a process (mlock, mlockall or MAP_LOCKED): the kernel keeps it resident",
		"the process holding the lock must munlock the range (or exit); then run --recharge again" },
	[CACHE_SKIP_UNEVICTABLE] = { "unevictable",
		"on the unevictable list (SHM_LOCK or an unevictable mapping): it cannot be dropped",
		"unlock it (shmctl SHM_UNLOCK) or stop the process keeping it; then run --recharge again" },
	[CACHE_SKIP_MAPPED] = { "mapped",
		"mapped by another process: the kernel does not drop mapped pages, and its charge stays",
		"restart the processes that map the file inside the target cgroup (their faults then charge "
		"it there), or have them unmap it and run --recharge again" },
	[CACHE_SKIP_DIRTY] = { "dirty",
		"dirty (not yet written back): dropping it would mean writing it first",
		"sync the file (sync FILE, or fsync in its writer) and run --recharge again" },
	[CACHE_SKIP_WRITEBACK] = { "writeback",
		"under writeback right now",
		"wait for the write to finish and run --recharge again" },
	[CACHE_SKIP_LOCKED] = { "locked",
		"locked for I/O right now",
		"run --recharge again" },
};

const char *cache_skip_name(enum cache_skip s)
{
	return s > CACHE_SKIP_NONE && s < CACHE_SKIP_N ? skips[s].name : NULL;
}

const char *cache_skip_reason(enum cache_skip s)
{
	return s > CACHE_SKIP_NONE && s < CACHE_SKIP_N ? skips[s].reason : NULL;
}

const char *cache_skip_fix(enum cache_skip s)
{
	return s > CACHE_SKIP_NONE && s < CACHE_SKIP_N ? skips[s].fix : NULL;
}

void cache_tally(const struct cache_scan *s, struct cache_tally *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < s->n; i++) {
		const struct kpage_rec *r = &s->recs[i];
		struct kpage_flags f;
		struct cache_owner *o = NULL;

		kpage_flags_decode(r->flags, &f);
		uint64_t others = cache_mapped_others(r->mapcount);
		enum cache_skip v = cache_recharge_verdict(&f, others);
		t->skip[v]++;
		for (size_t k = 0; k < t->n; k++)
			if (t->owners[k].ino == r->memcg_ino) {
				o = &t->owners[k];
				break;
			}
		if (!o) {
			if (t->n == CACHE_OWNERS_MAX) {
				t->owners_dropped_pages++;
				continue;
			}
			o = &t->owners[t->n++];
			o->ino = r->memcg_ino;
		}
		o->pages++;
		o->dirty += f.dirty;
		o->writeback += f.writeback;
		o->active += f.lru && f.active;
		o->inactive += f.lru && !f.active && !f.unevictable;
		o->unevictable += f.unevictable;
		o->mlocked += f.mlocked;
		o->mapped += others > 0;
		o->skip[v]++;
	}
}

enum cache_rel cache_owner_relation(const char *owner, const char *expect)
{
	if (!expect)
		return CACHE_REL_NONE;
	if (!owner)
		return CACHE_REL_UNKNOWN;
	if (!strcmp(owner, expect))
		return CACHE_REL_EXPECTED;
	size_t lo = strlen(owner), le = strlen(expect);
	/* "/" is everyone's ancestor; otherwise a prefix ending at a '/'. */
	if (!strcmp(owner, "/") || (lo < le && !strncmp(owner, expect, lo) && expect[lo] == '/'))
		return CACHE_REL_ABOVE;
	if (!strcmp(expect, "/") || (le < lo && !strncmp(owner, expect, le) && owner[le] == '/'))
		return CACHE_REL_BELOW;
	return CACHE_REL_ELSEWHERE;
}

const char *cache_rel_name(enum cache_rel r)
{
	static const char *const names[] = {
		[CACHE_REL_NONE] = "none", [CACHE_REL_EXPECTED] = "expected",
		[CACHE_REL_ABOVE] = "above_expected", [CACHE_REL_BELOW] = "below_expected",
		[CACHE_REL_ELSEWHERE] = "elsewhere", [CACHE_REL_UNCHARGED] = "uncharged",
		[CACHE_REL_UNKNOWN] = "unknown",
	};
	return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] : "unknown";
}

int cache_cgroup_norm(const char *in, size_t len, const char *mount_abs, char *out, size_t cap)
{
	char tmp[CACHE_PATH_MAX];
	size_t n = 0, i = 0;

	for (size_t k = 0; k < len; k++)
		if ((unsigned char)in[k] < 0x20 || in[k] == 0x7f)
			return -EINVAL;
	if (mount_abs && mount_abs[0] == '/' && mount_abs[1]) {
		size_t lm = strlen(mount_abs);
		while (lm > 1 && mount_abs[lm - 1] == '/')
			lm--;
		if (len >= lm && !memcmp(in, mount_abs, lm) && (len == lm || in[lm] == '/'))
			i = lm;
	}
	tmp[n++] = '/';
	while (i < len) {
		while (i < len && in[i] == '/')
			i++;
		size_t s = i;
		while (i < len && in[i] != '/')
			i++;
		size_t cl = i - s;
		if (!cl)
			break;
		if ((cl == 1 && in[s] == '.') || (cl == 2 && in[s] == '.' && in[s + 1] == '.'))
			return -EINVAL;
		if (n > 1) {
			if (n + 1 >= sizeof(tmp))
				return -E2BIG;
			tmp[n++] = '/';
		}
		if (n + cl >= sizeof(tmp))
			return -E2BIG;
		memcpy(tmp + n, in + s, cl);
		n += cl;
	}
	if (n + 1 > cap)
		return -E2BIG;
	memcpy(out, tmp, n);
	out[n] = '\0';
	return 0;
}
