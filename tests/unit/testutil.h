/* testutil.h - shared bits of the cmocka unit tests. */
#ifndef HR_TESTS_TESTUTIL_H
#define HR_TESTS_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

/* A (buf, len) pair for a string literal, without its NUL. */
#define S(lit) (lit), (sizeof(lit) - 1)

/* Directory of fixture trees, relative to the repository top (tests run
 * from there). */
#define FIXTURES "tests/fixtures"

/* Fixture trees built by a test under a temporary directory: write the file
 * dir/rel with text s, make the directory dir/rel. Either fails the test. */
static inline void tu_put(const char *dir, const char *rel, const char *s)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(s, f);
	fclose(f);
}

static inline void tu_mkdir(const char *dir, const char *rel)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	assert_int_equal(mkdir(p, 0700), 0);
}

#endif
