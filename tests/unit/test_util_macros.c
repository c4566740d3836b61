// SPDX-License-Identifier: GPL-2.0
/* util/macros.h and util/fnv.h: FNV-1a against its published vectors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "util/fnv.h"
#include "util/macros.h"

#define SEVEN 7

static uint64_t fnv(const char *s)
{
	return fnv1a64(FNV1A64_BASIS, s, strlen(s));
}

/* the test vectors of the FNV reference (draft-eastlake-fnv) */
static void test_fnv1a64(void **state)
{
	assert_true(fnv("") == 0xcbf29ce484222325ULL);
	assert_true(fnv("a") == 0xaf63dc4c8601ec8cULL);
	assert_true(fnv("foobar") == 0x85944171f73967e8ULL);
	/* continued over pieces: the same as over the whole */
	assert_true(fnv1a64(fnv("foo"), "bar", 3) == fnv("foobar"));
}

static void test_macros(void **state)
{
	int a[SEVEN];
	struct { char b[3][5]; } s;

	assert_int_equal(ARRAY_SIZE(a), 7);
	assert_int_equal(ARRAY_SIZE(s.b), 3);
	assert_string_equal(XSTR(SEVEN), "7");
	assert_string_equal(STR(SEVEN), "SEVEN");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fnv1a64),
		cmocka_unit_test(test_macros),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
