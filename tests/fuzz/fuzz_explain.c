/* fuzz_explain.c - the whole explain engine over arbitrary bytes: block
 * splitting, prefix stripping, every line parser, grouping, the pool and
 * the finding builder. The input is fed in two uneven pieces so partial
 * lines are carried across feeds too. The individual _parse functions are
 * also called directly on each line. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/incident.h"
#include "snapshot/kver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void sink(void *arg, const struct hr_finding *f)
{
	size_t *n = arg;
	/* Touch the strings: they must be terminated. */
	*n += strlen(f->id) + strlen(f->subject) + strlen(f->explanation) + strlen(f->fix);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct hr_explain *x;	/* fuzz harness only: reused between runs */
	const char *s = (const char *)data;
	size_t n = 0;

	if (!x && !(x = malloc(sizeof(*x))))
		return 0;
	explain_init(x, sink, &n);
	size_t cut = size ? (size_t)data[0] % (size + 1) : 0;
	explain_feed(x, s, cut);
	explain_feed(x, s + cut, size - cut);
	explain_finish(x);

	int64_t btime;
	logline_btime_parse(s, size, &btime);
	/* A release string as the log or osrelease gives it. */
	n += strlen(kver_sock_regime_text(kver_memcg_sock_regime(s, size)));
	size_t pos = 0;
	struct hr_span line;
	while (span_next_line(s, size, &pos, &line)) {
		struct hr_logline ll;
		struct hr_kmsg_rec rec;
		struct klog_alloc a;
		struct klog_oom_hdr h;
		struct klog_oom_kill k;
		struct klog_oom_cons c;
		struct klog_memcg_usage u;
		struct klog_task_row r;
		struct klog_zone z;
		struct klog_buddy b;
		struct klog_frame fr;
		struct klog_kver v;
		struct klog_hung hu;
		struct klog_suppressed su;
		struct klog_slub sl;
		struct klog_slub_cache sc;
		struct klog_slub_node sn;
		struct klog_netblk nb;
		unsigned cols = 8;
		logline_parse(line.p, line.len, &ll);
		kmsg_record_parse(line.p, line.len, &rec);
		if (ll.wall.kind != HR_WALL_NONE) {
			/* Every parsed date must print (no overflow in the calendar). */
			char iso[32];
			logline_iso_utc(logline_civil_seconds(ll.wall.year, ll.wall.mon, ll.wall.day,
							      ll.wall.hour, ll.wall.min, ll.wall.sec),
					iso, sizeof(iso));
		}
		struct hr_span t = ll.text;
		klog_alloc_parse(t, &a);
		klog_oom_hdr_parse(t, &h);
		klog_oom_kill_parse(t, &k);
		klog_oom_cons_parse(t, &c);
		klog_memcg_usage_parse(t, &u);
		klog_task_header_parse(t, &cols);
		klog_task_row_parse(t, cols, &r);
		klog_zone_parse(t, &z);
		klog_buddy_parse(t, &b);
		klog_frame_parse(t, &fr);
		klog_kver_parse(t, &v);
		klog_hung_parse(t, &hu);
		klog_suppressed_parse(t, &su);
		klog_slub_parse(t, &sl);
		klog_slub_cache_parse(t, &sc);
		klog_slub_node_parse(t, &sn);
		if (!klog_netblk_parse(t, &nb) && (nb.dev.p < t.p || nb.dev.p + nb.dev.len > t.p + t.len))
			__builtin_trap();	/* spans point into the line */
		klog_is_report_noise(t);
	}
	uint64_t mask = 0;
	for (size_t i = 0; i < size && i < 8; i++)
		mask = mask << 8 | data[i];
	const char *names[48];
	char hex[24];
	for (int l = 0; l < HR_GFP_NLAYOUTS; l++)
		gfp_decode(mask, (enum hr_gfp_layout)l, names, 48, hex, sizeof(hex));
	gfp_layout_from_shape(mask);
	gfp_layout_from_names(mask, s, size);
	return 0;
}
