// SPDX-License-Identifier: GPL-2.0
/* fio's JSON output: what is read from it, and what is refused. */
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
#include "analysis/fio_json.h"

static const char *good =
	"{\"fio version\":\"fio-3.33\",\"jobs\":["
	"{\"jobname\":\"a\",\"error\":0,\"write\":{\"total_ios\":100,\"iops\":50.5,"
	"\"lat_ns\":{\"percentile\":{\"50.000000\":1000,\"90.000000\":2000,"
	"\"99.000000\":5000,\"99.900000\":9000}}},"
	"\"read\":{\"total_ios\":0,\"iops\":0}},"
	"{\"jobname\":\"b\",\"error\":5,\"write\":{\"total_ios\":20,\"iops\":10,"
	"\"lat_ns\":{\"percentile\":{\"50.000000\":7}}}}]}";

static void test_good(void **state)
{
	struct fio_result r;

	assert_int_equal(fio_json_parse(good, &r), 0);
	assert_string_equal(r.version, "fio-3.33");
	assert_int_equal(r.jobs, 2);
	assert_int_equal(r.failed_jobs, 1);
	assert_int_equal(r.write.total_ios, 120);
	assert_int_equal(r.read.total_ios, 0);
	assert_true(fabs(r.write.iops - 60.5) < 1e-9);
	/* the first job's percentiles, not the second's */
	assert_true(r.write.lat_pct_ns[0] == 1000);
	assert_true(r.write.lat_pct_ns[1] == 2000);
	assert_true(r.write.lat_pct_ns[2] == 5000);
	assert_true(r.write.lat_pct_ns[3] == 9000);
	assert_true(r.read.lat_pct_ns[0] == 0);
}

static void test_malformed(void **state)
{
	struct fio_result r;

	assert_int_equal(fio_json_parse("{\"no\":1}", &r), -EINVAL);
	assert_non_null(strstr(r.error, "jobs"));
	assert_int_equal(fio_json_parse("{\"jobs\":[", &r), -EINVAL);
	assert_non_null(strstr(r.error, "JSON"));
	assert_int_equal(fio_json_parse("", &r), -EINVAL);
	assert_int_equal(fio_json_parse("[1,2]", &r), -EINVAL);
	assert_int_equal(fio_json_parse("{\"jobs\":{}}", &r), -EINVAL);
	/* a job that is not one, or a count that is not one, is an error */
	assert_int_equal(fio_json_parse("{\"jobs\":[1]}", &r), -EINVAL);
	assert_non_null(strstr(r.error, "jobs[0]"));
	assert_int_equal(fio_json_parse("{\"jobs\":[{\"write\":7},"
		"{\"write\":{\"total_ios\":\"many\"}}]}", &r), -EINVAL);
	assert_non_null(strstr(r.error, "jobs[1].write.total_ios"));
	assert_int_equal(fio_json_parse("{\"jobs\":[{\"write\":{\"total_ios\":-4}}]}", &r), -EINVAL);
	assert_int_equal(fio_json_parse("{\"fio version\":7,\"jobs\":[]}", &r), -EINVAL);
	assert_non_null(strstr(r.error, "no jobs"));
}

/* A negative IOPS read as a number would make compare say -100 %. */
static void test_negative_iops(void **state)
{
	struct fio_result r;

	assert_int_equal(fio_json_parse("{\"jobs\":[{\"write\":{\"total_ios\":10,\"iops\":-5}}]}", &r), -EINVAL);
	assert_non_null(strstr(r.error, "jobs[0].write.iops"));
	assert_int_equal(fio_json_parse("{\"jobs\":[{\"read\":{\"total_ios\":10,\"iops\":1e999}}]}", &r), -EINVAL);
	assert_int_equal(fio_json_parse("{\"jobs\":[{\"write\":{\"total_ios\":10,\"iops\":2.5}}]}", &r), 0);
	assert_true(r.write.iops == 2.5);
}

/*
 * A helper job (fio's falloc engine beside a logging writer) counts IOs
 * that no latency log holds: only the logging jobs' IOs are logged_ios.
 */
/* Principle 4: fio's rates are checked like its counts. */
static void test_rates(void **state)
{
	struct fio_result r;

	assert_int_equal(fio_json_parse("{\"jobs\":[{\"write\":{\"total_ios\":10,\"iops\":1e308}}]}", &r), -EINVAL);
	assert_non_null(strstr(r.error, "jobs[0].write: iops is beyond"));
	/* a read rate with no read IO is not added to anything */
	assert_int_equal(fio_json_parse("{\"jobs\":[{\"write\":{\"total_ios\":10,\"iops\":5},"
		"\"read\":{\"total_ios\":0,\"iops\":7}}]}", &r), -EINVAL);
	assert_int_equal(fio_json_parse("{\"jobs\":[{\"write\":{\"total_ios\":2.5,\"iops\":5}}]}", &r), -EINVAL);
	/* no rate given: not known, not 0 */
	assert_int_equal(fio_json_parse("{\"jobs\":[{\"write\":{\"total_ios\":10}}]}", &r), 0);
	assert_true(isnan(r.write.iops));
	assert_int_equal(fio_json_parse("{\"jobs\":[{\"read\":{\"total_ios\":0}}]}", &r), 0);
	assert_true(r.read.iops == 0);
}

static void test_logged_ios(void **state)
{
	struct fio_result r;

	assert_int_equal(fio_json_parse("{\"jobs\":["
		"{\"job options\":{\"write_lat_log\":\"fio\"},\"write\":{\"total_ios\":320}},"
		"{\"job options\":{\"ioengine\":\"falloc\"},\"write\":{\"total_ios\":320}}]}",
		&r), 0);
	assert_int_equal(r.write.total_ios, 640);
	assert_int_equal(r.logged_ios, 320);
	assert_int_equal(r.logging_jobs, 1);
	/* set in the global section, every job logs */
	assert_int_equal(fio_json_parse("{\"global options\":{\"write_lat_log\":\"x\"},"
		"\"jobs\":[{\"write\":{\"total_ios\":3}},{\"read\":{\"total_ios\":4}}]}",
		&r), 0);
	assert_int_equal(r.logged_ios, 7);
	assert_int_equal(r.logging_jobs, 2);
	/* no job names a log: nothing is known to be logged */
	assert_int_equal(fio_json_parse(good, &r), 0);
	assert_int_equal(r.logging_jobs, 0);
}

static void test_files(void **state)
{
	char path[] = "/tmp/dioscope-fiojson.XXXXXX";
	struct fio_result r;
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	/* fio may print notes before its JSON */
	fprintf(f, "note: both iodepth >= 1 and synchronous I/O engine are selected\n%s\n", good);
	fclose(f);
	assert_int_equal(fio_json_read(path, &r), 0);
	assert_int_equal(r.write.total_ios, 120);
	f = fopen(path, "w");
	fclose(f);
	assert_true(fio_json_read(path, &r) < 0);
	assert_non_null(strstr(r.error, "empty"));
	f = fopen(path, "w");
	fputs("{\"jobs\": [ {\"write\": ", f);	/* fio killed mid-write */
	fclose(f);
	assert_int_equal(fio_json_read(path, &r), -EINVAL);
	assert_non_null(strstr(r.error, path));
	unlink(path);
	assert_int_equal(fio_json_read("/no/such/fio.json", &r), -ENOENT);
	assert_non_null(strstr(r.error, "/no/such/fio.json"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_negative_iops),
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_logged_ios),
		cmocka_unit_test(test_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
