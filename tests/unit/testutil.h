/* testutil.h - shared bits of the cmocka unit tests. */
#ifndef HR_TESTS_TESTUTIL_H
#define HR_TESTS_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

/* A (buf, len) pair for a string literal, without its NUL. */
#define S(lit) (lit), (sizeof(lit) - 1)

/* Directory of fixture trees, relative to the repository top (tests run
 * from there). */
#define FIXTURES "tests/fixtures"

#endif
