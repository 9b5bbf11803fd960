/* fuzz_prom.c - the Prometheus renderer over hostile cgroup names: the
 * input is the path of a limited cgroup (any bytes a delegated user could
 * name a directory, plus ones they cannot); the output must stay one sample
 * per line with no control byte but the line ends (seeds:
 * tests/fuzz/corpus/prom/). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "report/prom.h"
#include "util/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct memcg_node nodes[2];
	static char buf[1 << 16];
	struct memcg_tree t = { .version = 2, .nodes = nodes, .n = 2, .cap = 2 };
	uint32_t scratch[4];
	struct prom_config cfg = { 2, 2 };

	memset(nodes, 0, sizeof(nodes));
	nodes[0].path[0] = '/';
	nodes[0].parent = MEMCG_NONE;
	nodes[0].usage_bytes = nodes[0].limit_bytes = HR_UNSET;
	size_t n = size < MEMCG_NODE_PATH_MAX - 1 ? size : MEMCG_NODE_PATH_MAX - 1;
	memcpy(nodes[1].path, data, n);
	nodes[1].path[n] = '\0';
	nodes[1].usage_bytes = 1;
	nodes[1].limit_bytes = 2;
	nodes[1].high_bytes = HR_UNSET;
	nodes[1].failcnt = nodes[1].tcp_usage_bytes = HR_UNSET;
	struct prom_input in = { .memcg = &t };
	struct prom_out o;
	prom_out_init(&o, buf, sizeof(buf));
	prom_render(&o, &in, &cfg, scratch, 4);
	if (!o.len || buf[o.len - 1] != '\n' || o.len >= sizeof(buf))
		__builtin_trap();
	for (size_t i = 0; i < o.len; i++)
		if ((unsigned char)buf[i] < 0x20 && buf[i] != '\n')
			__builtin_trap();
	/* prom_escape alone, cut at several capacities: always terminated,
	 * the kept part is a prefix of the whole. */
	static char whole[4 * MEMCG_NODE_PATH_MAX], part[4 * MEMCG_NODE_PATH_MAX];
	size_t need = prom_escape(nodes[1].path, n, whole, sizeof(whole));
	if (need >= sizeof(whole) || strlen(whole) != need)
		__builtin_trap();
	size_t caps[] = { 1, 2, need / 2 + 1, need, need + 1 };
	for (size_t k = 0; k < sizeof(caps) / sizeof(caps[0]); k++) {
		size_t c = caps[k] ? caps[k] : 1;
		if (prom_escape(nodes[1].path, n, part, c) != need)
			__builtin_trap();
		size_t l = strlen(part);
		if (l != (need < c - 1 ? need : c - 1) || memcmp(part, whole, l))
			__builtin_trap();
	}
	return 0;
}
