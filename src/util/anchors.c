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
		if (l < 4 || l > HR_ANCHOR_LEN_MAX)
			continue;
		a->needle[a->n] = needles[i];
		a->first[(unsigned char)needles[i][0]] |= 1u << a->n;
		for (int p = 0; p < 4; p++) {
			unsigned char c = (unsigned char)needles[i][p];
			a->lo[p][c & 15] |= (uint8_t)(1u << (a->n % 8));
			a->hi[p][c >> 4] |= (uint8_t)(1u << (a->n % 8));
		}
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
		    buf[i + 2] == a->needle[k][2] && buf[i + 3] == a->needle[k][3] &&
		    !memcmp(buf + i + 4, a->needle[k] + 4, a->len[k] - 4))
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
#include <immintrin.h>

/* Measured on the 300 MB bench log (bench/explain.sh, 2 vCPU VM): the
 * three-compare loop above ran at ~2 GB/s, this one at several GB/s. */
__attribute__((target("avx2")))
static size_t find_avx2(const struct hr_anchors *a, const char *buf, size_t len)
{
	const __m256i nib = _mm256_set1_epi8(0x0f);
	__m256i lo[4], hi[4];
	size_t i = 0;

	for (int p = 0; p < 4; p++) {
		lo[p] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)a->lo[p]));
		hi[p] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)a->hi[p]));
	}
	while (len >= 35 && i <= len - 35) {
		__m256i r = _mm256_set1_epi8((char)0xff);
		for (int p = 0; p < 4; p++) {
			__m256i v = _mm256_loadu_si256((const __m256i *)(buf + i + p));
			__m256i l = _mm256_and_si256(v, nib);
			__m256i h = _mm256_and_si256(_mm256_srli_epi16(v, 4), nib);
			r = _mm256_and_si256(r, _mm256_and_si256(_mm256_shuffle_epi8(lo[p], l),
								 _mm256_shuffle_epi8(hi[p], h)));
		}
		uint32_t m = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(r, _mm256_setzero_si256()));
		while (m) {
			size_t at = i + (size_t)__builtin_ctz(m);
			m &= m - 1;
			if (match_at(a, buf, len, at))
				return at;
		}
		i += 32;
	}
	return scalar_from(a, buf, len, i);
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
