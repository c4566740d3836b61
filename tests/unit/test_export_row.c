// SPDX-License-Identifier: GPL-2.0
/*
 * The CSV row writer: numbers at every digit count, signs, quoting, empty
 * values, and lines longer than its buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "export/row.h"

static struct row r;

/* What the row writes for a line built by fn, as a string. */
static char *line(void (*fn)(struct row *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	row_begin(&r, f);
	fn(&r);
	row_end(&r);
	fclose(f);
	return buf;
}

static void numbers(struct row *w)
{
	static const __u64 v[] = {
		0, 9, 10, 99, 100, 999, 1000, 9999, 10000, 99999, 100000,
		1234567890123ULL, 18446744073709551615ULL,
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		row_u64(w, v[i]);
}

static void test_u64(void **state)
{
	char *s = line(numbers);

	assert_string_equal(s, "0,9,10,99,100,999,1000,9999,10000,99999,100000,"
			    "1234567890123,18446744073709551615\r\n");
	free(s);
}

static void mixed(struct row *w)
{
	row_i64(w, -42);
	row_empty(w);
	row_str(w, "a,b");
	row_str(w, "say \"hi\"");
	row_i64(w, -9223372036854775807LL - 1);
	row_u64(w, 7);
}

static void test_mixed(void **state)
{
	char *s = line(mixed);

	assert_string_equal(s, "-42,,\"a,b\",\"say \"\"hi\"\"\","
			    "-9223372036854775808,7\r\n");
	free(s);
}

/* more than the buffer holds: the line is written out as it fills */
static void long_line(struct row *w)
{
	int i;

	for (i = 0; i < 3000; i++)
		row_u64(w, 18446744073709551615ULL);
}

static void test_long_line(void **state)
{
	char *s = line(long_line);
	size_t n = strlen(s);

	assert_int_equal(n, 3000 * 21 - 1 + 2);
	assert_memory_equal(s + n - 22, "18446744073709551615\r\n", 22);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_long_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
