/* klog.c - see klog.h. Parsers read only inside the span they are given. */
#include "snapshot/klog.h"

#include <errno.h>
#include <string.h>

#include "snapshot/kver.h"

static struct hr_span sp(const char *p, size_t len)
{
	struct hr_span s = { p, len };
	return s;
}

static struct hr_span from(struct hr_span s, size_t off)
{
	return off >= s.len ? sp(s.p + s.len, 0) : sp(s.p + off, s.len - off);
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Number right after `key` (first occurrence) in s. */
static int num_after(struct hr_span s, const char *key, uint64_t *v)
{
	long o = span_find(s, key);
	size_t used;
	if (o < 0)
		return -EINVAL;
	struct hr_span r = from(s, (size_t)o + strlen(key));
	return parse_u64(r.p, r.len, v, &used);
}

static int inum_after(struct hr_span s, const char *key, int64_t *v)
{
	long o = span_find(s, key);
	size_t used;
	if (o < 0)
		return -EINVAL;
	struct hr_span r = from(s, (size_t)o + strlen(key));
	return parse_i64(r.p, r.len, v, &used);
}

/* Linux 5.4: "  try_fill_recv+0x3ed/0x740 [virtio_net]"
 * Linux 3.10: " [<ffffffff816a5ea1>] dump_stack+0x19/0x1b"
 * Linux 3.4: "[<c019b538>] ? warn_alloc_failed+0x98/0x100" */
int klog_frame_parse(struct hr_span t, struct klog_frame *out)
{
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	if (t.len > 3 && t.p[0] == '[' && t.p[1] == '<') {
		while (i < t.len && t.p[i] != ']')
			i++;
		if (i == t.len)
			return -EINVAL;
		i++;
		while (i < t.len && t.p[i] == ' ')
			i++;
	}
	/* ARM unwinder (4.14 armv7): "[<c01132d0>] (unwind_backtrace) from [<c010d5e0>] (show_stack+0x20/0x24)":
	 * the first name is this frame. */
	if (i > 0 && i < t.len && t.p[i] == '(') {
		size_t f0 = ++i;
		while (i < t.len && t.p[i] != ')' && t.p[i] != '+' && t.p[i] != ' ')
			i++;
		if (i == f0 || i == t.len)
			return -EINVAL;
		out->func = sp(t.p + f0, i - f0);
		return 0;
	}
	if (i + 1 < t.len && t.p[i] == '?' && t.p[i + 1] == ' ') {
		out->unreliable = true;
		i += 2;
	}
	size_t f0 = i;
	while (i < t.len && t.p[i] != '+' && t.p[i] != ' ')
		i++;
	if (i == f0 || i + 3 >= t.len || t.p[i] != '+' || t.p[i + 1] != '0' || t.p[i + 2] != 'x')
		return -EINVAL;
	out->func = sp(t.p + f0, i - f0);
	i += 3;
	while (i < t.len && is_hex(t.p[i]))
		i++;
	if (i < t.len && t.p[i] == '/') {
		i++;
		while (i < t.len && t.p[i] != ' ')
			i++;
	}
	while (i < t.len && t.p[i] == ' ')
		i++;
	if (i < t.len && t.p[i] == '[') {
		size_t m0 = ++i;
		while (i < t.len && t.p[i] != ']')
			i++;
		if (i < t.len)
			out->module = sp(t.p + m0, i - m0);
	}
	return 0;
}

static bool all_hex_words(struct hr_span t)
{
	size_t words = 0;
	for (size_t i = 0; i < t.len;) {
		while (i < t.len && t.p[i] == ' ')
			i++;
		size_t w0 = i;
		while (i < t.len && is_hex(t.p[i]))
			i++;
		if (i < t.len && t.p[i] != ' ')
			return false;
		if (i > w0)
			words++;
	}
	return words > 0;
}

bool klog_is_report_noise(struct hr_span t)
{
	static const char *const pre[] = {
		"Call Trace:", "Call trace:", "<IRQ>", "</IRQ>", "<TASK>", "</TASK>",
		"<NMI>", "</NMI>", "<EOI>", "<<EOE>>", "====", "Hardware name:", "Workqueue:",
		"Code:", "Stack:", "Modules linked in:", "0x", "Backtrace:", "[<",
		"Exception stack", "Sending NMI", "NMI backtrace", "Preemption disabled",
		"Call Trace", "Tainted:", "Not tainted",
	};
	if (!t.len)
		return true;
	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		if (span_starts_with(t, pre[i]))
			return true;
	/* Register dumps: "RIP: 0033:0x..", "R13: 000..", "EFLAGS: ..", arm64
	 * "pc : ..", "x29: ..". Only register names, so "TCP: ..." or "ACPI: ..."
	 * messages of other subsystems are not taken for part of a report. */
	static const char *const regs[] = {
		"RIP", "RSP", "RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "EFLAGS", "FS", "GS",
		"CS", "DS", "ES", "EIP", "ESP", "EAX", "EBX", "ECX", "EDX", "ESI", "EDI", "EBP",
		"ORIG_RAX", "PKRU", "pc", "lr", "sp", "pstate",
	};
	size_t k = 0;
	while (k < t.len && k < 9 && t.p[k] != ':' && t.p[k] != ' ')
		k++;
	if (k >= 2 && k + 1 < t.len && (t.p[k] == ':' || (t.p[k] == ' ' && t.p[k + 1] == ':'))) {
		for (size_t r = 0; r < sizeof(regs) / sizeof(regs[0]); r++)
			if (strlen(regs[r]) == k && !memcmp(t.p, regs[r], k))
				return true;
		/* R8-R15, CR0-CR4, DR0-DR7, x0-x30 */
		size_t d = (t.p[0] == 'R' || t.p[0] == 'x') ? 1 :
			   ((t.p[0] == 'C' || t.p[0] == 'D') && t.p[1] == 'R') ? 2 : 0;
		if (d && d < k) {
			size_t j = d;
			while (j < k && is_digit(t.p[j]))
				j++;
			if (j == k)
				return true;
		}
	}
	return all_hex_words(t);
}

/* Version after "Not tainted " or after the taint letters of "Tainted: ". */
static int version_at(struct hr_span r, struct klog_kver *out)
{
	size_t i = 0;
	unsigned maj, min;

	while (i < r.len && !(is_digit(r.p[i]) && i + 1 < r.len && r.p[i + 1] == '.'))
		i++;
	if (i == r.len)
		return -EINVAL;
	size_t v0 = i;
	/* A major above 99 or a minor above 999 is a date or a number, not a
	 * kernel release. */
	if (kver_parse(r.p + i, r.len - i, &maj, &min) || maj > 99 || min > 999)
		return -EINVAL;
	while (i < r.len && r.p[i] != ' ')
		i++;
	out->major = maj;
	out->minor = min;
	span_copy(sp(r.p + v0, i - v0), out->release, sizeof(out->release));
	return 0;
}

/* 5.4: "CPU: 3 PID: 332 Comm: kworker/3:2 Not tainted 5.4.26 #4"
 * 3.4: "Pid: 0, comm: swapper/0 Not tainted 3.4.2-linode44 #1"
 * 6.18 hung task: "      Tainted: G            E       6.18.20-1.el9.esat.x86_64 #1"
 * boot: "Linux version 4.19.0-6-amd64 (debian-kernel@lists.debian.org) ..." */
int klog_kver_parse(struct hr_span t, struct klog_kver *out)
{
	memset(out, 0, sizeof(*out));
	out->pid = -1;
	if (span_starts_with(t, "Linux version "))
		return version_at(sp(t.p + 14, t.len - 14), out);
	long o = -1;
	if (span_starts_with(t, "CPU: ")) {
		long p = span_find(t, " PID: "), c = span_find(t, " Comm: ");
		if (p < 0 || c < 0)
			return -EINVAL;
		inum_after(t, " PID: ", &out->pid);
		struct hr_span r = from(t, (size_t)c + 7);
		long nt = span_find(r, " Not tainted ");
		long tt = span_find(r, " Tainted: ");
		long e = nt >= 0 && (tt < 0 || nt < tt) ? nt : tt;
		if (e < 0)
			return -EINVAL;
		out->comm = sp(r.p, (size_t)e);
		o = (long)(r.p - t.p) + e;
	} else if (span_starts_with(t, "Pid: ")) {
		inum_after(t, "Pid: ", &out->pid);
		long c = span_find(t, ", comm: ");
		if (c < 0)
			return -EINVAL;
		struct hr_span r = from(t, (size_t)c + 8);
		size_t k = 0;
		while (k < r.len && r.p[k] != ' ')
			k++;
		out->comm = sp(r.p, k);
		o = c;
	} else if (span_starts_with(t, "Tainted: ") || span_starts_with(t, "Not tainted ")) {
		o = 0;
	} else {
		return -EINVAL;
	}
	struct hr_span r = from(t, (size_t)o);
	long nt = span_find(r, "Not tainted ");
	if (nt >= 0)
		return version_at(from(r, (size_t)nt + 12), out);
	long tt = span_find(r, "Tainted: ");
	if (tt >= 0)
		return version_at(from(r, (size_t)tt + 9), out);
	return -EINVAL;
}

static const char *const zones[] = { "DMA32", "DMA", "Normal", "HighMem", "Movable", "Device" };

/* "Node 3 " prefix (3.x+ on NUMA/all since 4.x); returns bytes eaten. */
static size_t node_prefix(struct hr_span t, int *node)
{
	uint64_t n;
	size_t used;
	*node = -1;
	if (!span_starts_with(t, "Node ") || parse_u64(t.p + 5, t.len - 5, &n, &used) ||
	    n > 4096 || 5 + used >= t.len || t.p[5 + used] != ' ')
		return 0;
	*node = (int)n;
	return 5 + used + 1;
}

static size_t zone_name(struct hr_span t, char *dst, size_t cap)
{
	for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		size_t n = strlen(zones[z]);
		if (t.len > n && !memcmp(t.p, zones[z], n) && (t.p[n] == ' ' || t.p[n] == ':')) {
			span_copy(sp(t.p, n), dst, cap);
			return n;
		}
	}
	return 0;
}

/* 5.4: "Node 0 Normal free:20672kB min:56392kB low:65880kB high:75368kB active_anon:..."
 * 2.6.18: "Normal free:3316kB min:3756kB low:4692kB high:5632kB active:187336kB ..." */
int klog_zone_parse(struct hr_span t, struct klog_zone *out)
{
	memset(out, 0, sizeof(*out));
	size_t i = node_prefix(t, &out->node);
	struct hr_span r = from(t, i);
	size_t n = zone_name(r, out->zone, sizeof(out->zone));
	if (!n || !span_starts_with(from(r, n), " free:"))
		return -EINVAL;
	if (num_after(r, " free:", &out->free_kb) || num_after(r, " min:", &out->min_kb) ||
	    num_after(r, " low:", &out->low_kb) || num_after(r, " high:", &out->high_kb))
		return -EINVAL;
	return 0;
}

/* 5.4: "Node 0 Normal: 347*4kB (UMEH) 250*8kB (UMEH) ... 0*4096kB = 20716kB"
 * 2.6.18: "Normal: 653*4kB 0*8kB 0*16kB ... 0*4096kB = 3316kB" */
int klog_buddy_parse(struct hr_span t, struct klog_buddy *out)
{
	memset(out, 0, sizeof(*out));
	out->largest = -1;
	size_t i = node_prefix(t, &out->node);
	struct hr_span r = from(t, i);
	size_t n = zone_name(r, out->zone, sizeof(out->zone));
	if (!n || r.len < n + 3 || r.p[n] != ':' || r.p[n + 1] != ' ' || !is_digit(r.p[n + 2]))
		return -EINVAL;
	r = from(r, n + 2);
	uint64_t base_kb = 0;
	for (;;) {
		uint64_t cnt, sz;
		size_t used;
		while (r.len && r.p[0] == ' ')
			r = from(r, 1);
		if (r.len && r.p[0] == '(') {	/* migratetype letters "(UMEH)" */
			while (r.len && r.p[0] != ')')
				r = from(r, 1);
			r = from(r, 1);
			continue;
		}
		if (r.len && r.p[0] == '=') {
			r = from(r, 1);
			while (r.len && r.p[0] == ' ')
				r = from(r, 1);
			if (parse_u64(r.p, r.len, &out->total_kb, &used))
				return -EINVAL;
			break;
		}
		if (parse_u64(r.p, r.len, &cnt, &used))
			return -EINVAL;
		r = from(r, used);
		if (!r.len || r.p[0] != '*')
			return -EINVAL;
		r = from(r, 1);
		if (parse_u64(r.p, r.len, &sz, &used) || !sz)
			return -EINVAL;
		r = from(r, used);
		if (!span_starts_with(r, "kB"))
			return -EINVAL;
		r = from(r, 2);
		if (!base_kb)
			base_kb = sz;
		if (out->norders >= KLOG_ORDERS)
			return -EINVAL;
		out->count[out->norders] = cnt;
		if (cnt)
			out->largest = out->norders;
		out->norders++;
		if (!r.len)
			break;	/* truncated line: keep what was read */
	}
	return out->norders ? 0 : -EINVAL;
}

static int alloc_rest(struct hr_span r, struct klog_alloc *out);

/* 5.4.26 (ceph-devel 2020, fixture 05):
 *   "kworker/3:2: page allocation failure: order:0, mode:0xa20(GFP_ATOMIC), nodemask=(null),cpuset=/,mems_allowed=0"
 * 2.6.18 (LKML 2006, fixture 04): "swapper: page allocation failure. order:1, mode:0x20"
 * Everything before ": page allocation" is the comm (it may contain ": "). */
int klog_alloc_parse(struct hr_span t, struct klog_alloc *out)
{
	memset(out, 0, sizeof(*out));
	long o = span_find(t, ": page allocation ");
	if (o < 0 && span_starts_with(t, "page allocation "))
		o = -2;	/* comm lost when two CPUs' lines were interleaved */
	if (o == -1)
		return -EINVAL;
	if (o == -2) {
		out->comm = sp(t.p, 0);
		return alloc_rest(from(t, 16), out);
	}
	out->comm = sp(t.p, (size_t)o);
	return alloc_rest(from(t, (size_t)o + 18), out);
}

/* After "page allocation ": "failure: order:..." / "stalls for Nms, order:...". */
static int alloc_rest(struct hr_span r, struct klog_alloc *out)
{
	if (span_starts_with(r, "stalls for ")) {
		out->stall = true;
		if (num_after(r, "stalls for ", &out->stall_ms))
			return -EINVAL;
	} else if (!span_starts_with(r, "failure")) {
		return -EINVAL;
	}
	if (num_after(r, "order:", &out->order) || out->order > 64)
		return -EINVAL;
	long m = span_find(r, "mode:");
	if (m < 0)
		return -EINVAL;
	struct hr_span mm = from(r, (size_t)m + 5);
	size_t used;
	if (parse_hex_u64(mm.p, mm.len, &out->mask, &used))
		return -EINVAL;
	mm = from(mm, used);
	if (mm.len && mm.p[0] == '(') {
		size_t k = 1;
		while (k < mm.len && mm.p[k] != ')')
			k++;
		out->names = sp(mm.p + 1, k - 1);
	}
	long nm = span_find(r, "nodemask=");
	if (nm >= 0) {
		struct hr_span n = from(r, (size_t)nm + 9);
		size_t k = 0;
		while (k < n.len && n.p[k] != ',' && n.p[k] != ' ')
			k++;
		out->nodemask = sp(n.p, k);
	}
	return 0;
}

static int mask_names(struct hr_span r, const char *key, uint64_t *mask, struct hr_span *names)
{
	long m = span_find(r, key);
	size_t used;
	if (m < 0)
		return -EINVAL;
	struct hr_span mm = from(r, (size_t)m + strlen(key));
	if (parse_hex_u64(mm.p, mm.len, mask, &used))
		return -EINVAL;
	mm = from(mm, used);
	names->p = mm.p;
	names->len = 0;
	if (mm.len && mm.p[0] == '(') {
		size_t k = 1;
		while (k < mm.len && mm.p[k] != ')')
			k++;
		*names = sp(mm.p + 1, k - 1);
	}
	return 0;
}

/* 4.18.0 (linux-mm 2018, fixture 02):
 *   "leaker invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null), order=0, oom_score_adj=0"
 * 3.10.0-693 (fixture 01): "monocular invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=-998" */
int klog_oom_hdr_parse(struct hr_span t, struct klog_oom_hdr *out)
{
	memset(out, 0, sizeof(*out));
	long o = span_find(t, " invoked oom-killer: ");
	if (o <= 0)
		return -EINVAL;
	out->comm = sp(t.p, (size_t)o);
	struct hr_span r = from(t, (size_t)o + 21);
	if (mask_names(r, "gfp_mask=", &out->mask, &out->names))
		return -EINVAL;
	if (inum_after(r, "order=", &out->order))
		return -EINVAL;
	out->score_adj = 0;
	if (inum_after(r, "oom_score_adj=", &out->score_adj))
		inum_after(r, "oom_adj=", &out->score_adj);
	return 0;
}

/* "Memory cgroup out of memory: Kill process 2746 (leaker) score 998 or sacrifice child"
 * "Out of memory: Killed process 50624 (java) total-vm:59726088kB, anon-rss:..." */
int klog_oom_kill_parse(struct hr_span t, struct klog_oom_kill *out)
{
	memset(out, 0, sizeof(*out));
	out->shmem_kb = HR_UNSET;
	out->score = HR_UNSET;
	long k = span_find(t, "Killed process ");
	size_t kl = 15;
	if (k < 0) {
		k = span_find(t, "Kill process ");
		kl = 13;
		if (k < 0) {
			k = span_find(t, "kill process ");	/* 2.6.32 */
			if (k < 0)
				return -EINVAL;
		}
	} else {
		out->final = true;
	}
	struct hr_span pre = sp(t.p, (size_t)k);
	if (k > 0) {
		if (span_starts_with(pre, "Memory cgroup out of memory"))
			out->scope = KLOG_OOM_MEMCG;
		else if (span_starts_with(pre, "Out of memory"))
			out->scope = KLOG_OOM_GLOBAL;
		else
			return -EINVAL;	/* "Killed process" inside other text */
	}
	struct hr_span r = from(t, (size_t)k + kl);
	size_t used;
	if (parse_i64(r.p, r.len, &out->pid, &used) || out->pid < 0)
		return -EINVAL;
	r = from(r, used);
	if (!span_starts_with(r, " ("))
		return -EINVAL;
	r = from(r, 2);
	/* comm may contain ')' and ' ': it ends at the last ')' before the
	 * fields that follow it. */
	long e = span_find(r, ") total-vm:");
	if (e < 0)
		e = span_find(r, ") score ");
	if (e < 0) {
		e = (long)r.len;
		while (e > 0 && r.p[e - 1] != ')')
			e--;
		if (e == 0)
			return -EINVAL;
		e--;
	}
	out->comm = sp(r.p, (size_t)e);
	r = from(r, (size_t)e);
	if (!num_after(r, "total-vm:", &out->total_vm_kb)) {
		out->has_rss = !num_after(r, "anon-rss:", &out->anon_kb) &&
			       !num_after(r, "file-rss:", &out->file_kb);
		if (num_after(r, "shmem-rss:", &out->shmem_kb))
			out->shmem_kb = HR_UNSET;
	}
	uint64_t score;
	if (!num_after(r, ") score ", &score))
		out->score = score;
	return 0;
}

/* The value of ",key=" (or "key=" at the start) up to the next ",word=" . */
static bool kv_field(struct hr_span t, const char *key, struct hr_span *v)
{
	size_t kl = strlen(key);
	for (size_t i = 0; i + kl < t.len; i++) {
		if ((i == 0 || t.p[i - 1] == ',') && !memcmp(t.p + i, key, kl) && t.p[i + kl] == '=') {
			size_t s = i + kl + 1, e = s;
			while (e < t.len) {
				if (t.p[e] == ',') {
					size_t w = e + 1;
					while (w < t.len && ((t.p[w] >= 'a' && t.p[w] <= 'z') || t.p[w] == '_'))
						w++;
					if (w < t.len && w > e + 1 && (t.p[w] == '=' || t.p[w] == ','))
						break;
					if (w == t.len && w > e + 1)
						break;	/* ",global_oom" at the end */
				}
				e++;
			}
			*v = sp(t.p + s, e - s);
			return true;
		}
	}
	return false;
}

/* 5.x (dmesg -T zh_CN, fixture 30):
 *   "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=3e5e...,mems_allowed=0-1,oom_memcg=/kubepods/burstable/pod28fc...,task_memcg=/kubepods/burstable/pod28fc.../3e5e...,task=java,pid=50624,uid=10000" */
int klog_oom_cons_parse(struct hr_span t, struct klog_oom_cons *out)
{
	memset(out, 0, sizeof(*out));
	out->pid = -1;
	if (!span_starts_with(t, "oom-kill:"))
		return -EINVAL;
	struct hr_span r = from(t, 9), v;
	if (!kv_field(r, "constraint", &out->constraint))
		return -EINVAL;
	kv_field(r, "oom_memcg", &out->oom_memcg);
	kv_field(r, "task_memcg", &out->task_memcg);
	kv_field(r, "task", &out->task);
	out->global = span_find(r, ",global_oom") >= 0;
	if (kv_field(r, "pid", &v)) {
		size_t used;
		if (parse_i64(v.p, v.len, &out->pid, &used))
			out->pid = -1;
	}
	return 0;
}

/* 3.10.0-693 (fixture 01): "memory: usage 233472kB, limit 233472kB, failcnt 3028" */
int klog_memcg_usage_parse(struct hr_span t, struct klog_memcg_usage *out)
{
	memset(out, 0, sizeof(*out));
	if (!span_starts_with(t, "memory: usage "))
		return -EINVAL;
	if (num_after(t, "usage ", &out->usage_kb) || num_after(t, "limit ", &out->limit_kb))
		return -EINVAL;
	if (num_after(t, "failcnt ", &out->failcnt))
		out->failcnt = HR_UNSET;
	return 0;
}

/* 3.10: "[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name"
 * 4.19+: "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name" */
int klog_task_header_parse(struct hr_span t, unsigned *ncols)
{
	if (!t.len || t.p[0] != '[')
		return -EINVAL;
	long c = span_find(t, "]");
	if (c < 0 || span_find(sp(t.p, (size_t)c), "pid") < 0)
		return -EINVAL;
	struct hr_span r = from(t, (size_t)c + 1), tok;
	unsigned n = 1;	/* the pid column */
	bool named = false;
	while (span_next_token(&r, &tok)) {
		if (span_eq(tok, "name")) {
			named = true;
			break;
		}
		n++;
	}
	if (!named || n < 5 || n > 32)
		return -EINVAL;
	*ncols = n;
	return 0;
}

int klog_task_row_parse(struct hr_span t, unsigned ncols, struct klog_task_row *out)
{
	size_t i = 1, used;
	uint64_t v;

	memset(out, 0, sizeof(*out));
	if (!t.len || t.p[0] != '[' || ncols < 5)
		return -EINVAL;
	while (i < t.len && t.p[i] == ' ')
		i++;
	if (parse_i64(t.p + i, t.len - i, &out->pid, &used))
		return -EINVAL;
	i += used;
	while (i < t.len && t.p[i] == ' ')
		i++;
	if (i >= t.len || t.p[i] != ']')
		return -EINVAL;
	i++;
	for (unsigned col = 1; col < ncols; col++) {
		while (i < t.len && t.p[i] == ' ')
			i++;
		int64_t sv;
		if (i >= t.len)
			return -EINVAL;
		if (t.p[i] == '-') {
			if (parse_i64(t.p + i, t.len - i, &sv, &used))
				return -EINVAL;
		} else if (parse_u64(t.p + i, t.len - i, &v, &used)) {
			return -EINVAL;
		} else if (col == 4) {
			out->rss_pages = v;
		}
		i += used;
	}
	while (i < t.len && t.p[i] == ' ')
		i++;
	if (i >= t.len)
		return -EINVAL;
	out->comm = sp(t.p + i, t.len - i);
	return 0;
}

/* 2.6.18 - 6.18: "INFO: task kworker/u16:2:1234 blocked for more than 120 seconds." */
int klog_hung_parse(struct hr_span t, struct klog_hung *out)
{
	memset(out, 0, sizeof(*out));
	if (!span_starts_with(t, "INFO: task "))
		return -EINVAL;
	struct hr_span r = from(t, 11);
	long b = span_find(r, " blocked for more than ");
	if (b <= 0)
		return -EINVAL;
	size_t c = (size_t)b;
	while (c > 0 && r.p[c - 1] != ':')
		c--;
	if (c == 0)
		return -EINVAL;
	size_t used;
	if (parse_i64(r.p + c, (size_t)b - c, &out->pid, &used) || used != (size_t)b - c)
		return -EINVAL;
	out->comm = sp(r.p, c - 1);
	if (num_after(from(r, (size_t)b), "more than ", &out->seconds))
		return -EINVAL;
	return 0;
}

/* 3.2: "net_ratelimit: 321 callbacks suppressed"; 2.6.3x: "__ratelimit: 83 callbacks suppressed";
 * 5.13: "warn_alloc: 2 callbacks suppressed"; 2.6.9-2.6.18: "NET: 347 messages suppressed." */
int klog_suppressed_parse(struct hr_span t, struct klog_suppressed *out)
{
	memset(out, 0, sizeof(*out));
	long c = span_find(t, ": ");
	if (c <= 0)
		return -EINVAL;
	struct hr_span r = from(t, (size_t)c + 2);
	size_t used;
	if (parse_u64(r.p, r.len, &out->count, &used))
		return -EINVAL;
	r = from(r, used);
	if (!span_starts_with(r, " callbacks suppressed") && !span_starts_with(r, " messages suppressed"))
		return -EINVAL;
	out->who = sp(t.p, (size_t)c);
	return 0;
}

/* 3.x-4.x (moby#35545): "SLUB: Unable to allocate memory on node -1 (gfp=0x20)"
 * 5.x (earlyoom#220): "SLUB: Unable to allocate memory on node -1, gfp=0x900(GFP_NOWAIT|__GFP_ZERO)" */
int klog_slub_parse(struct hr_span t, struct klog_slub *out)
{
	static const char hdr[] = "Unable to allocate memory on node ";
	size_t used;

	memset(out, 0, sizeof(*out));
	if (span_starts_with(t, "SLAB: "))
		out->slab = true;
	else if (!span_starts_with(t, "SLUB: "))
		return -EINVAL;
	struct hr_span r = from(t, 6);
	if (!span_starts_with(r, hdr))
		return -EINVAL;
	r = from(r, sizeof(hdr) - 1);
	if (parse_i64(r.p, r.len, &out->node, &used))
		return -EINVAL;
	r = from(r, used);
	long g = span_find(r, "gfp=");
	if (g < 0)
		return -EINVAL;
	r = from(r, (size_t)g + 4);
	if (parse_hex_u64(r.p, r.len, &out->mask, &used))
		return -EINVAL;
	r = from(r, used);
	out->names = sp(r.p, 0);
	if (r.len && r.p[0] == '(') {
		size_t k = 1;
		while (k < r.len && r.p[k] != ')')
			k++;
		out->names = sp(r.p + 1, k - 1);
	}
	return 0;
}

/* 3.x (moby#35545): "cache: kmalloc-1024(1793:c8ed...), object size: 1024, buffer size: 1024, default order: 3, min order: 0"
 * 4.x (archlinuxarm#1308): "cache: kmalloc-192, object size: 192, buffer size: 192, default order: 0, min order: 0" */
int klog_slub_cache_parse(struct hr_span t, struct klog_slub_cache *out)
{
	memset(out, 0, sizeof(*out));
	out->object_size = out->buffer_size = out->default_order = out->min_order = HR_UNSET;
	if (!span_starts_with(t, "cache: "))
		return -EINVAL;
	struct hr_span r = from(t, 7);
	size_t k = 0, depth = 0;
	/* The name ends at the first ',' outside the memcg's "(...)". */
	while (k < r.len && (r.p[k] != ',' || depth)) {
		if (r.p[k] == '(')
			depth++;
		else if (r.p[k] == ')' && depth)
			depth--;
		k++;
	}
	if (!k)
		return -EINVAL;
	struct hr_span name = sp(r.p, k);
	long par = span_find(name, "(");
	if (par > 0) {
		size_t e = (size_t)par + 1;
		while (e < name.len && name.p[e] != ')')
			e++;
		out->memcg = sp(name.p + par + 1, e - (size_t)par - 1);
		name.len = (size_t)par;
	}
	out->name = name;
	struct hr_span rest = from(r, k);
	if (num_after(rest, "object size: ", &out->object_size))
		out->object_size = HR_UNSET;
	if (num_after(rest, "buffer size: ", &out->buffer_size))
		out->buffer_size = HR_UNSET;
	if (num_after(rest, "default order: ", &out->default_order) &&
	    num_after(rest, " order: ", &out->default_order))
		out->default_order = HR_UNSET;
	if (num_after(rest, "min order: ", &out->min_order))
		out->min_order = HR_UNSET;
	return 0;
}

/* A count, or the total of SLAB's "active/total". */
static int slab_count(struct hr_span s, const char *key, uint64_t *v)
{
	long o = span_find(s, key);
	size_t used;
	if (o < 0)
		return -EINVAL;
	struct hr_span r = from(s, (size_t)o + strlen(key));
	if (parse_u64(r.p, r.len, v, &used))
		return -EINVAL;
	r = from(r, used);
	if (r.len > 1 && r.p[0] == '/' && parse_u64(r.p + 1, r.len - 1, v, &used))
		return -EINVAL;
	return 0;
}

/* 3.x (moby#35545): "node 0: slabs: 663, objs: 20964, free: 0" */
int klog_slub_node_parse(struct hr_span t, struct klog_slub_node *out)
{
	size_t used;

	memset(out, 0, sizeof(*out));
	if (!span_starts_with(t, "node "))
		return -EINVAL;
	struct hr_span r = from(t, 5);
	if (parse_i64(r.p, r.len, &out->node, &used) || !span_starts_with(from(r, used), ": slabs: "))
		return -EINVAL;
	if (slab_count(r, "slabs: ", &out->slabs) || slab_count(r, "objs: ", &out->objs) ||
	    num_after(r, "free: ", &out->free))
		return -EINVAL;
	return 0;
}

/* The device name after `key` up to ',' or ' ' (block layer lines). */
static struct hr_span dev_after(struct hr_span t, const char *key)
{
	long o = span_find(t, key);
	if (o < 0)
		return sp(t.p, 0);
	struct hr_span r = from(t, (size_t)o + strlen(key));
	size_t k = 0;
	while (k < r.len && r.p[k] != ',' && r.p[k] != ' ')
		k++;
	return sp(r.p, k);
}

/* nbd* and rbd* name their transport; sdX (iSCSI or local) and nvmeXnY
 * (PCIe or fabrics) do not. */
static const char *netdev_storage(struct hr_span dev)
{
	if (dev.len > 3 && !memcmp(dev.p, "nbd", 3) && is_digit(dev.p[3]))
		return "nbd";
	if (dev.len > 3 && !memcmp(dev.p, "rbd", 3) && is_digit(dev.p[3]))
		return "rbd";
	return NULL;
}

static int netblk_set(struct klog_netblk *out, const char *storage, struct hr_span dev,
		      enum klog_netblk_what what)
{
	if (!dev.len)
		return -EINVAL;
	out->storage = storage;
	out->dev = dev;
	out->what = what;
	return 0;
}

/* Formats and sources: see klog.h. */
int klog_netblk_parse(struct hr_span t, struct klog_netblk *out)
{
	memset(out, 0, sizeof(*out));
	out->storage = "";
	if (span_starts_with(t, "block nbd")) {
		struct hr_span r = from(t, 6);
		long c = span_find(r, ": ");
		if (c <= 3)
			return -EINVAL;
		struct hr_span dev = sp(r.p, (size_t)c), msg = from(r, (size_t)c + 2);
		/* Not "NBD_DISCONNECT", "Unexpected reply", "queue cleared": a
		 * requested disconnect (fixture 43). */
		if (span_starts_with(msg, "Other side returned error"))
			return netblk_set(out, "nbd", dev, KLOG_NB_IO_ERROR);
		if (span_starts_with(msg, "Attempted send on invalid socket") ||
		    span_starts_with(msg, "Send control failed") ||
		    span_starts_with(msg, "Send data failed") ||
		    span_starts_with(msg, "Receive control failed") ||
		    span_starts_with(msg, "Receive data failed") ||
		    span_starts_with(msg, "Dead connection"))
			return netblk_set(out, "nbd", dev, KLOG_NB_CONN);
		if (span_starts_with(msg, "Connection timed out") ||
		    span_starts_with(msg, "Possible stuck request"))
			return netblk_set(out, "nbd", dev, KLOG_NB_TIMEOUT);
		return -EINVAL;
	}
	if (span_starts_with(t, "Buffer I/O error on dev")) {
		struct hr_span dev = dev_after(t, span_starts_with(t, "Buffer I/O error on device ") ?
					       "on device " : "on dev ");
		const char *s = netdev_storage(dev);
		return s ? netblk_set(out, s, dev, KLOG_NB_IO_ERROR) : -EINVAL;
	}
	long io = span_find(t, "I/O error, dev ");
	if (io >= 0 && (io == 0 || span_starts_with(t, "blk_update_request: ") ||
			span_starts_with(t, "print_req_error: "))) {
		struct hr_span dev = dev_after(t, "I/O error, dev ");
		const char *s = netdev_storage(dev);
		return s ? netblk_set(out, s, dev, KLOG_NB_IO_ERROR) : -EINVAL;
	}
	if (span_starts_with(t, "connection")) {
		long c = span_find(t, ": ");
		if (c <= 10 || !is_digit(t.p[10]))
			return -EINVAL;
		struct hr_span dev = sp(t.p, (size_t)c), msg = from(t, (size_t)c + 2);
		if (span_starts_with(msg, "detected conn error"))
			return netblk_set(out, "iscsi", dev, KLOG_NB_CONN);
		if (span_starts_with(msg, "ping timeout of "))
			return netblk_set(out, "iscsi", dev, KLOG_NB_TIMEOUT);
		return -EINVAL;
	}
	if (span_starts_with(t, "session") && t.len > 7 && is_digit(t.p[7])) {
		long c = span_find(t, ": session recovery timed out");
		return c > 0 ? netblk_set(out, "iscsi", sp(t.p, (size_t)c), KLOG_NB_TIMEOUT) : -EINVAL;
	}
	if (span_starts_with(t, "rbd: rbd")) {
		struct hr_span r = from(t, 5);
		long c = span_find(r, ": ");
		if (c <= 3 || span_find(r, " result -") < 0)
			return -EINVAL;
		return netblk_set(out, "rbd", sp(r.p, (size_t)c), KLOG_NB_IO_ERROR);
	}
	if (span_starts_with(t, "nvme nvme")) {
		struct hr_span r = from(t, 5);
		long c = span_find(r, ": ");
		if (c <= 4)
			return -EINVAL;
		struct hr_span dev = sp(r.p, (size_t)c), msg = from(r, (size_t)c + 2);
		if (span_starts_with(msg, "queue ") && span_find(msg, ": timeout ") > 0)
			return netblk_set(out, "nvme_of", dev, KLOG_NB_TIMEOUT);
		if (span_starts_with(msg, "failed to send request") ||
		    span_starts_with(msg, "Failed reconnect attempt"))
			return netblk_set(out, "nvme_of", dev, KLOG_NB_CONN);
		return -EINVAL;
	}
	bool wr = span_starts_with(t, "Write-error on swap-device (");
	if (wr || span_starts_with(t, "Read-error on swap-device (")) {
		struct hr_span r = from(t, wr ? 28 : 27);
		size_t k = 0, colons = 0;
		uint64_t major;
		size_t used;
		while (k < r.len && r.p[k] != ')' && !(r.p[k] == ':' && ++colons == 2))
			k++;
		if (parse_u64(r.p, r.len, &major, &used) || colons < 2)
			return -EINVAL;
		out->swap_write = wr;
		return netblk_set(out, major == 43 ? "nbd" : "", sp(r.p, k), KLOG_NB_SWAP);
	}
	return -EINVAL;
}
