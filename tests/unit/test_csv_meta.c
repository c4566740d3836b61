// SPDX-License-Identifier: GPL-2.0
/* RFC 4180 writing and reading, and the meta file. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "util/csv.h"
#include "run/meta.h"

static void test_write_quotes(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct csv_row r;

	csv_begin(&r, f);
	csv_str(&r, "plain");
	csv_str(&r, "a,b");
	csv_str(&r, "say \"hi\"");
	csv_str(&r, "two\nlines");
	csv_u64(&r, 18446744073709551615ULL);
	csv_i64(&r, -5);
	csv_f64(&r, NAN);
	csv_f64(&r, 0.25);
	/* no exponent on a count or a rate (compare.csv's 1.66023e+06) */
	csv_f64(&r, 1660233);
	csv_f64(&r, 1660233.25);
	csv_end(&r);
	fclose(f);
	assert_string_equal(buf, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\","
			    "18446744073709551615,-5,,0.25,1660233,1660233.2\r\n");
	free(buf);
}

static void test_round_trip(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct csv_reader rd;
	struct csv_row r;

	csv_header(f, "name,lat_ns");
	csv_begin(&r, f);
	csv_str(&r, "x,\"y\"\r\nz");
	csv_u64(&r, 7);
	csv_end(&r);
	fclose(f);
	f = fmemopen(buf, len, "r");
	csv_reader_init(&rd, f);
	assert_int_equal(csv_read(&rd), 1);
	assert_int_equal(rd.nfields, 2);
	assert_int_equal(csv_column(&rd, "lat_ns"), 1);
	assert_int_equal(csv_column(&rd, "nope"), -1);
	assert_int_equal(csv_read(&rd), 1);
	assert_string_equal(rd.fields[0], "x,\"y\"\r\nz");
	assert_string_equal(rd.fields[1], "7");
	assert_int_equal(csv_read(&rd), 0);
	csv_reader_free(&rd);
	fclose(f);
	free(buf);
}

static void test_malformed(void **state)
{
	const char *bad[] = { "\"open,1\n", "\"a\"b,1\n" };
	struct csv_reader rd;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		FILE *f = fmemopen((void *)bad[i], strlen(bad[i]), "r");

		csv_reader_init(&rd, f);
		assert_int_equal(csv_read(&rd), -1);
		assert_non_null(strstr(rd.error, "line 1"));
		csv_reader_free(&rd);
		fclose(f);
	}
}

static void test_lf_and_empty_fields(void **state)
{
	const char *in = "a,,c\nd,e,\n";
	FILE *f = fmemopen((void *)in, strlen(in), "r");
	struct csv_reader rd;

	csv_reader_init(&rd, f);
	assert_int_equal(csv_read(&rd), 1);
	assert_int_equal(rd.nfields, 3);
	assert_string_equal(rd.fields[1], "");
	assert_int_equal(csv_read(&rd), 1);
	assert_int_equal(rd.nfields, 3);
	assert_string_equal(rd.fields[2], "");
	assert_int_equal(csv_read(&rd), 0);
	csv_reader_free(&rd);
	fclose(f);
}

/* cells read back as numbers: a missing or malformed one is NAN, not 0 */
static void test_number(void **state)
{
	assert_float_equal(csv_number("1708.391"), 1708.391, 1e-9);
	assert_float_equal(csv_number("-3"), -3, 0);
	assert_float_equal(csv_number("67108864"), 67108864, 0);
	assert_true(isnan(csv_number(NULL)));
	assert_true(isnan(csv_number("")));
	assert_true(isnan(csv_number("12abc")));
	assert_true(isnan(csv_number("n/a")));
}

static void test_meta(void **state)
{
	char path[] = "/tmp/dioscope-meta.XXXXXX";
	struct meta m = { 0 }, back;
	int fd = mkstemp(path);
	FILE *f;

	close(fd);
	meta_set(&m, "kernel_release", "%s", "6.1.0-test");
	meta_set(&m, "command", "fio --name=x\nrm -rf /");
	meta_set(&m, "complete", "no");
	meta_set(&m, "complete", "yes");
	assert_int_equal(meta_write(&m, path), 0);
	assert_int_equal(meta_read(&back, path), 0);
	assert_string_equal(meta_get(&back, "kernel_release"), "6.1.0-test");
	assert_string_equal(meta_get(&back, "complete"), "yes");
	/* a newline in a value must not start a new key */
	assert_string_equal(meta_get(&back, "command"), "fio --name=x rm -rf /");
	assert_null(meta_get(&back, "rm -rf /"));
	assert_int_equal(back.n, 3);
	meta_free(&back);
	meta_free(&m);

	f = fopen(path, "w");
	fputs("good=1\nthis line has no equals sign\n", f);
	fclose(f);
	assert_int_equal(meta_read(&back, path), -EINVAL);
	assert_int_equal(meta_read(&back, "/no/such/meta"), -ENOENT);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_quotes),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_lf_and_empty_fields),
		cmocka_unit_test(test_number),
		cmocka_unit_test(test_meta),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
