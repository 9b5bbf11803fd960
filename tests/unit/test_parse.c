/* test_parse.c - the number and keyed-text primitives. */
#include "testutil.h"

#include <errno.h>
#include <math.h>

#include "util/parse.h"

static void test_u64(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int rc;
		uint64_t v;
		size_t used;
	} t[] = {
		{ "0", 0, 0, 1 },
		{ "123 kB", 0, 123, 3 },
		{ "18446744073709551615", 0, UINT64_MAX, 20 },
		{ "18446744073709551616", -ERANGE, 0, 0 },
		{ "-1", -EINVAL, 0, 0 },
		{ " 1", -EINVAL, 0, 0 },
		{ "+1", -EINVAL, 0, 0 },
		{ "", -EINVAL, 0, 0 },
		{ "x1", -EINVAL, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t v = 42;
		size_t used = 0;
		int rc = parse_u64(t[i].in, strlen(t[i].in), &v, &used);
		assert_int_equal(rc, t[i].rc);
		if (rc == 0) {
			assert_true(v == t[i].v);
			assert_int_equal(used, t[i].used);
		} else {
			assert_true(v == 42);
		}
	}
}

static void test_u64_no_overread(void **state)
{
	(void)state;
	uint64_t v;
	size_t used;
	/* len cuts "12345" to "12": nothing past len is read. */
	assert_int_equal(parse_u64("12345", 2, &v, &used), 0);
	assert_true(v == 12);
}

static void test_i64_hex(void **state)
{
	(void)state;
	int64_t i;
	uint64_t h;
	size_t used;
	assert_int_equal(parse_i64(S("-1000"), &i, &used), 0);
	assert_true(i == -1000);
	assert_int_equal(parse_i64(S("-9223372036854775808"), &i, &used), 0);
	assert_true(i == INT64_MIN);
	assert_int_equal(parse_i64(S("9223372036854775808"), &i, &used), -ERANGE);
	assert_int_equal(parse_i64(S("-"), &i, &used), -EINVAL);
	assert_int_equal(parse_hex_u64(S("0x480020("), &h, &used), 0);
	assert_true(h == 0x480020 && used == 8);
	assert_int_equal(parse_hex_u64(S("0001ab2f"), &h, &used), 0);
	assert_true(h == 0x1ab2f);
	assert_int_equal(parse_hex_u64(S("0x"), &h, &used), -EINVAL);
	assert_int_equal(parse_hex_u64(S("0x10000000000000000"), &h, &used), -ERANGE);
}

static void test_kv(void **state)
{
	(void)state;
	static const struct hr_kv_key keys[] = { { "Cached", 0 }, { "MemFree", 1 }, { "Absent", 2 } };
	uint64_t v[3];
	const char text[] = "MemFree:   100 kB\nSwapCached:  7 kB\nCached: 5 kB\r\nNewKey: 9 kB";
	assert_int_equal(kv_parse(S(text), keys, 3, v, true), 2);
	assert_true(v[0] == 5 * 1024);
	assert_true(v[1] == 100 * 1024);
	assert_true(v[2] == HR_UNSET);
	/* vmstat style, no colon, no unit */
	const char vm[] = "nr_free_pages 12\npgscan 18446744073709551616\n";
	static const struct hr_kv_key k2[] = { { "nr_free_pages", 0 } };
	assert_int_equal(kv_parse(S(vm), k2, 1, v, false), 1);
	assert_true(v[0] == 12);
	static const struct hr_kv_key k3[] = { { "pgscan", 0 } };
	assert_int_equal(kv_parse(S(vm), k3, 1, v, false), -ERANGE);
	assert_int_equal(kv_parse(S("Cached: -1 kB\n"), keys, 3, v, true), -EINVAL);
	assert_int_equal(kv_parse(S("Cached:\n"), keys, 3, v, true), -EINVAL);
	assert_int_equal(kv_parse(S(""), keys, 3, v, true), 0);
}

static void test_lines_tokens(void **state)
{
	(void)state;
	const char t[] = "a b\r\n\nlast";
	struct hr_span l, tok;
	size_t pos = 0;
	assert_true(span_next_line(S(t), &pos, &l));
	assert_true(span_eq(l, "a b"));
	assert_true(span_next_token(&l, &tok) && span_eq(tok, "a"));
	assert_true(span_next_token(&l, &tok) && span_eq(tok, "b"));
	assert_false(span_next_token(&l, &tok));
	assert_true(span_next_line(S(t), &pos, &l) && l.len == 0);
	assert_true(span_next_line(S(t), &pos, &l) && span_eq(l, "last"));
	assert_false(span_next_line(S(t), &pos, &l));
	struct hr_span s = { S("xx page allocation failure: order:4") };
	assert_int_equal(span_find(s, "order:"), 28);
	assert_int_equal(span_find(s, "nope"), -1);
	uint64_t v;
	struct hr_span f = { S("  42 \n") };
	assert_int_equal(parse_u64_field(f, &v), 0);
	assert_true(v == 42);
	struct hr_span g = { S("42x") };
	assert_int_equal(parse_u64_field(g, &v), -EINVAL);
}


static void test_sat_from_f64(void **state)
{
	(void)state;
	assert_true(sat_from_f64(0.0) == 0);
	assert_true(sat_from_f64(-5.0) == 0);
	assert_true(sat_from_f64(NAN) == 0);
	assert_true(sat_from_f64(2.9) == 2);
	assert_true(sat_from_f64(9007199254740992.0) == 9007199254740992u);
	assert_true(sat_from_f64(18446744073709551616.0) == UINT64_MAX);
	assert_true(sat_from_f64(1e300) == UINT64_MAX);
	assert_true(sat_from_f64(INFINITY) == UINT64_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_u64_no_overread),
		cmocka_unit_test(test_i64_hex),
		cmocka_unit_test(test_kv),
		cmocka_unit_test(test_lines_tokens),
		cmocka_unit_test(test_sat_from_f64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
