// SPDX-License-Identifier: GPL-2.0
/* fio's per-IO log and JSON, the scenario matrix, percentiles and CIs. */
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
#include "bench_matrix.h"
#include "fio_json.h"
#include "fio_log.h"
#include "stats.h"

static void test_log_lines(void **state)
{
	struct fio_io io;

	assert_int_equal(fio_log_parse_line("4, 906863, 1, 4096, 23273472, 0\n", &io), 0);
	assert_int_equal(io.time_ms, 4);
	assert_int_equal(io.lat_ns, 906863);
	assert_int_equal(io.ddir, 1);
	assert_int_equal(io.bs, 4096);
	assert_int_equal(io.offset, 23273472);
	/* older fio writes no priority column */
	assert_int_equal(fio_log_parse_line("1, 2, 0, 512, 0\n", &io), 0);
	assert_int_equal(fio_log_parse_line("1, 2, 0, 512\n", &io), -EINVAL);
	assert_int_equal(fio_log_parse_line("1, 2, 5, 512, 0, 0\n", &io), -EINVAL);
	assert_int_equal(fio_log_parse_line("1, 2, 0, 512, 0, 0 junk\n", &io), -EINVAL);
	assert_int_equal(fio_log_parse_line("", &io), -EINVAL);
}

static void test_log_file(void **state)
{
	char path[] = "/tmp/dioscope-fiolog.XXXXXX";
	struct fio_log log = { 0 };
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fputs("0, 10, 1, 4096, 0, 0\n1, 20, 1, 4096, 4096, 0\n", f);
	fclose(f);
	assert_int_equal(fio_log_read(&log, path, 3), 0);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.jobs, 4);
	assert_int_equal(log.ios[1].job, 3);
	f = fopen(path, "a");
	fputs("not a log line\n", f);
	fclose(f);
	fio_log_free(&log);
	assert_int_equal(fio_log_read(&log, path, 0), -EINVAL);
	assert_non_null(strstr(log.error, ":3:"));
	fio_log_free(&log);
	unlink(path);
	assert_true(fio_log_read(&log, "/no/such/log", 0) < 0);
	fio_log_free(&log);
}

static void test_json(void **state)
{
	const char *good =
		"{\"fio version\":\"fio-3.33\",\"jobs\":["
		"{\"jobname\":\"a\",\"write\":{\"total_ios\":100,\"iops\":50.5,"
		"\"lat_ns\":{\"percentile\":{\"50.000000\":1000,\"99.000000\":5000}}},"
		"\"read\":{\"total_ios\":0,\"iops\":0}},"
		"{\"jobname\":\"b\",\"write\":{\"total_ios\":20,\"iops\":10}}]}";
	struct fio_result r;

	assert_int_equal(fio_json_parse(good, &r), 0);
	assert_string_equal(r.version, "fio-3.33");
	assert_int_equal(r.jobs, 2);
	assert_int_equal(r.write.total_ios, 120);
	assert_true(fabs(r.write.iops - 60.5) < 1e-9);
	assert_true(r.write.lat_p50_ns == 1000);
	assert_true(r.write.lat_p99_ns == 5000);
	assert_int_equal(fio_json_parse("{\"no\":1}", &r), -EINVAL);
	assert_non_null(strstr(r.error, "jobs"));
	assert_int_equal(fio_json_parse("{\"jobs\":[", &r), -EINVAL);
	assert_int_equal(fio_json_parse("{\"jobs\":[1,\"x\",{\"write\":7}]}", &r), 0);
	assert_int_equal(r.write.total_ios, 0);
}

static void test_matrix(void **state)
{
	struct bench_matrix m = { 0 };
	char l1[] = "scenario unwritten-seq fallocate";
	char l2[] = "bs 4k 64k 1m";
	char l3[] = "variant nojournal -O^has_journal dioread_lock";
	char l4[] = "# a comment";
	char bad1[] = "scenario x sideways";
	char bad2[] = "bs 4q";
	char bad3[] = "frobnicate";

	assert_int_equal(bench_matrix_parse_line(&m, l1), 0);
	assert_int_equal(bench_matrix_parse_line(&m, l2), 0);
	assert_int_equal(bench_matrix_parse_line(&m, l3), 0);
	assert_int_equal(bench_matrix_parse_line(&m, l4), 0);
	assert_int_equal(m.nsc, 1);
	assert_int_equal(m.sc[0].setup, BM_FALLOCATE);
	assert_int_equal(m.nbs, 3);
	assert_string_equal(m.var[0].mkfs, "-O^has_journal");
	assert_non_null(bench_scenario(&m, "unwritten-seq"));
	assert_null(bench_scenario(&m, "nope"));
	assert_int_equal(bench_matrix_parse_line(&m, bad1), -EINVAL);
	assert_int_equal(bench_matrix_parse_line(&m, bad2), -EINVAL);
	assert_int_equal(bench_matrix_parse_line(&m, bad3), -EINVAL);
	assert_int_equal(parse_size("4k"), 4096);
	assert_int_equal(parse_size("1M"), 1 << 20);
	assert_int_equal(parse_size("2GiB"), 2ULL << 30);
	assert_int_equal(parse_size("12q"), 0);
	assert_int_equal(parse_size("-1"), 0);
	/* the matrix the bench ships parses */
	assert_int_equal(bench_matrix_read("bench/matrix", &m), 0);
	assert_int_equal(m.nsc, 7);
}

static void test_percentiles(void **state)
{
	double v[100], lo, hi;
	int i;

	for (i = 0; i < 100; i++)
		v[i] = 100 - i;		/* 100..1, unsorted */
	stats_sort(v, 100);
	assert_true(v[0] == 1 && v[99] == 100);
	assert_true(stats_percentile(v, 100, 50) == 50);
	assert_true(stats_percentile(v, 100, 99) == 99);
	assert_true(stats_percentile(v, 100, 99.9) == 100);
	assert_true(stats_percentile(v, 100, 1) == 1);
	assert_true(isnan(stats_percentile(v, 0, 50)));
	assert_true(fabs(stats_z(0.95) - 1.959964) < 1e-5);
	assert_true(fabs(stats_z(0.99) - 2.575829) < 1e-5);
	/* ranks n*p -+ 1.96*sqrt(n*p*(1-p)): 40.2 .. 59.8, so 40 .. 61 */
	assert_int_equal(stats_percentile_ci(v, 100, 50, 0.95, &lo, &hi), 0);
	assert_true(lo == 40 && hi == 61);
	assert_true(stats_mean(v, 100) == 50.5);
	assert_int_equal(stats_percentile_ci(v, 1, 50, 0.95, &lo, &hi), -1);
}

/* Over many samples, the 95 % interval holds the true median ~95 % of the time. */
static void test_ci_coverage(void **state)
{
	double v[201], lo, hi;
	int trial, hit = 0, i;

	srand(7);
	for (trial = 0; trial < 1000; trial++) {
		for (i = 0; i < 201; i++)
			v[i] = (double)rand() / RAND_MAX;	/* median 0.5 */
		stats_sort(v, 201);
		stats_percentile_ci(v, 201, 50, 0.95, &lo, &hi);
		hit += lo <= 0.5 && 0.5 <= hi;
	}
	assert_true(hit >= 930 && hit <= 990);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_lines),
		cmocka_unit_test(test_log_file),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_ci_coverage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
