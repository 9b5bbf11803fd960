/* guard_decide.c - cost of one judgement pass of the three guard decisions
 * (detect/ct_guard.c, wmark_guard.c, deadcharge_guard.c) and of counting
 * one conntrack entry into a breakdown (snapshot/ct_breakdown.c), on
 * synthetic inputs that walk through raise/hold/lower and boost/decay.
 * Prints ns per call; never fails on time. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "detect/ct_guard.h"
#include "detect/deadcharge_guard.h"
#include "detect/wmark_guard.h"
#include "snapshot/ct_breakdown.h"

#define N 2000000

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	struct ct_guard_cfg cc;
	struct ct_guard_state cs = { 0 };
	struct wmark_guard_cfg wc;
	struct wmark_guard_state ws = { 0 };
	struct deadcharge_guard_cfg dc;
	uint64_t sink = 0, max = 262144;

	ct_guard_cfg_default(&cc);
	wmark_guard_cfg_default(&wc);
	deadcharge_guard_cfg_default(&dc);
	double t0 = now_s();
	for (uint64_t i = 0; i < N; i++) {
		struct ct_guard_input in = { (i & 1023) < 512 ? max : max / 4, max, 1u << 20, UINT64_C(25) << 30 };
		struct ct_guard_decision d;
		ct_guard_decide(&cc, &cs, &in, &d);
		if (d.action == CT_GUARD_RAISE || d.action == CT_GUARD_LOWER)
			max = d.new_max;
		sink += d.new_max;
	}
	double t1 = now_s();
	uint64_t wsf = 10;
	for (uint64_t i = 0; i < N; i++) {
		struct wmark_guard_input in = { wsf, 67584, i / 5000, false, 0 };
		struct wmark_guard_decision d;
		wmark_guard_decide(&wc, &ws, &in, &d);
		if (d.action != WMARK_GUARD_HOLD)
			wsf = d.value;
		sink += d.value;
	}
	double t2 = now_s();
	for (uint64_t i = 0; i < N; i++) {
		struct deadcharge_guard_input in = { 1 + (int)(i & 1), (i & 0xffff) << 12, 3, UINT64_C(1) << 30,
						     UINT64_C(1) << 29 };
		struct deadcharge_guard_decision d;
		deadcharge_guard_decide(&dc, &in, &d);
		sink += d.amount_bytes;
	}
	double t3 = now_s();
	struct ct_breakdown *b = calloc(1, sizeof(*b));
	if (!b)
		return 1;
	for (uint64_t i = 0; i < 250000; i++) {
		struct ct_entry e = { .family = 4, .l4proto = i % 10 < 4 ? 6 : 17, .tcp_state = 7,
				      .dport = i % 10 < 4 ? 443 : 123 };
		uint32_t a = i % 10 < 4 ? 0x0a090909u : 0x0b000000u | (uint32_t)i;
		e.src[0] = (uint8_t)(a >> 24), e.src[1] = (uint8_t)(a >> 16), e.src[2] = (uint8_t)(a >> 8),
		e.src[3] = (uint8_t)a;
		ct_breakdown_add(b, &e);
	}
	double t4 = now_s();
	sink += b->counted;
	free(b);
	printf("ct_guard_decide:         %.1f ns per pass\n", (t1 - t0) * 1e9 / N);
	printf("wmark_guard_decide:      %.1f ns per pass\n", (t2 - t1) * 1e9 / N);
	printf("deadcharge_guard_decide: %.1f ns per pass\n", (t3 - t2) * 1e9 / N);
	printf("ct_breakdown_add:        %.1f ns per entry (250000 entries, 512-slot tables full: %.1f ms total)\n",
	       (t4 - t3) * 1e9 / 250000, (t4 - t3) * 1e3);
	printf("(checksum %llu)\n", (unsigned long long)(sink & 0xffff));
	return 0;
}
