/* anchors.c - see anchors.h. */
#include "util/anchors.h"

#include <stdint.h>
#include <string.h>

typedef unsigned char v32 __attribute__((vector_size(32)));

void anchors_init(struct hr_anchors *a, const char *const *needles, size_t n)
{
	memset(a, 0, sizeof(*a));
	for (size_t i = 0; i < n && a->n < HR_ANCHORS_MAX; i++) {
		size_t l = strlen(needles[i]);
		if (l < 2 || l > HR_ANCHOR_LEN_MAX)
			continue;
		a->needle[a->n] = needles[i];
		a->first[(unsigned char)needles[i][0]] |= 1u << a->n;
		a->len[a->n++] = l;
		if (l > a->maxlen)
			a->maxlen = l;
	}
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	__builtin_cpu_init();
	a->avx2 = __builtin_cpu_supports("avx2");
#endif
}

/* True if a needle starts at buf[i] (and fits before len). */
static bool match_at(const struct hr_anchors *a, const char *buf, size_t len, size_t i)
{
	uint32_t m = a->first[(unsigned char)buf[i]];
	while (m) {
		unsigned k = (unsigned)__builtin_ctz(m);
		m &= m - 1;
		if (len - i >= a->len[k] && buf[i + 1] == a->needle[k][1] &&
		    !memcmp(buf + i, a->needle[k], a->len[k]))
			return true;
	}
	return false;
}

static size_t scalar_from(const struct hr_anchors *a, const char *buf, size_t len, size_t i)
{
	for (; i < len; i++)
		if (a->first[(unsigned char)buf[i]] && match_at(a, buf, len, i))
			return i;
	return len;
}

uint32_t anchors_mask(const struct hr_anchors *a, const char *buf, size_t len)
{
	uint32_t found = 0;
	for (size_t i = 0; i + 1 < len; i++) {
		uint32_t m = a->first[(unsigned char)buf[i]] & ~found;
		while (m) {
			unsigned k = (unsigned)__builtin_ctz(m);
			m &= m - 1;
			if (len - i >= a->len[k] && buf[i + 1] == a->needle[k][1] &&
			    !memcmp(buf + i, a->needle[k], a->len[k]))
				found |= 1u << k;
		}
	}
	return found;
}

/* The vector loop, instantiated twice (generic and AVX2). Stops 32 +
 * maxlen bytes before the end so that every load is inside buf; the
 * scalar loop does the rest. */
#define ANCHORS_BODY							\
	v32 f0[HR_ANCHORS_MAX], f1[HR_ANCHORS_MAX], fl[HR_ANCHORS_MAX];	\
	size_t off[HR_ANCHORS_MAX];					\
	size_t i = 0;							\
	for (size_t k = 0; k < a->n; k++) {				\
		unsigned char c0 = (unsigned char)a->needle[k][0];	\
		unsigned char c1 = (unsigned char)a->needle[k][1];	\
		unsigned char cl = (unsigned char)a->needle[k][a->len[k] - 1]; \
		f0[k] = (v32){ 0 } + c0;				\
		f1[k] = (v32){ 0 } + c1;				\
		fl[k] = (v32){ 0 } + cl;				\
		off[k] = a->len[k] - 1;					\
	}								\
	while (len >= 32 + a->maxlen && i <= len - 32 - a->maxlen) {	\
		v32 b0, b1, acc = { 0 };				\
		memcpy(&b0, buf + i, 32);				\
		memcpy(&b1, buf + i + 1, 32);				\
		for (size_t k = 0; k < a->n; k++) {			\
			v32 bl;						\
			memcpy(&bl, buf + i + off[k], 32);		\
			acc |= (v32)((b0 == f0[k]) & (b1 == f1[k]) & (bl == fl[k])); \
		}							\
		uint64_t w[4];						\
		memcpy(w, &acc, 32);					\
		for (int q = 0; q < 4; q++) {				\
			while (w[q]) {	/* each candidate byte is 0xff */ \
				size_t at = i + (size_t)q * 8 +		\
					    (size_t)__builtin_ctzll(w[q]) / 8; \
				w[q] &= ~(0xffULL << (__builtin_ctzll(w[q]) & ~7ULL)); \
				if (match_at(a, buf, len, at))		\
					return at;			\
			}						\
		}							\
		i += 32;						\
	}								\
	return scalar_from(a, buf, len, i);

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
__attribute__((target("avx2")))
static size_t find_avx2(const struct hr_anchors *a, const char *buf, size_t len)
{
	ANCHORS_BODY
}
#endif

static size_t find_generic(const struct hr_anchors *a, const char *buf, size_t len)
{
	ANCHORS_BODY
}

size_t anchors_find(const struct hr_anchors *a, const char *buf, size_t len)
{
	if (!a->n)
		return len;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	if (a->avx2)
		return find_avx2(a, buf, len);
#endif
	return find_generic(a, buf, len);
}
