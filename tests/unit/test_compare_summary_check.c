// SPDX-License-Identifier: GPL-2.0
/*
 * A run's summary.csv against its ios.csv: the counts summary takes from
 * the IOs must be those of the rows, to the decimals it writes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "compare/summary_check.h"

static char dir[64];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/dioscope-sumcheck.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

static void put(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Three kernel IOs (one of writeback, one lost) and a row of fio's alone. */
static const char *const ios =
	"io,state,source,pre_io_count,convert_map_count,joined\r\n"
	"0,done,dio,1,1,1\r\n"
	"1,lost,dio,1,,1\r\n"
	"2,done,writeback,0,1,0\r\n"
	",,,,,0\r\n";

static void tally_of(struct ios_tally *t)
{
	struct csv_reader rd;
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/ios.csv", dir);
	f = fopen(path, "r");
	assert_non_null(f);
	csv_reader_init(&rd, f);
	assert_int_equal(csv_read(&rd), 1);
	ios_tally_begin(t, &rd);
	while (csv_read(&rd) > 0)
		ios_tally_add(t, &rd);
	csv_reader_free(&rd);
	fclose(f);
}

static int check(const char *summary, char *err, size_t len)
{
	struct ios_tally t;

	put("ios.csv", ios);
	if (summary)
		put("summary.csv", summary);
	tally_of(&t);
	return summary_check(dir, &t, err, len);
}

#define HEAD "ios,joined,writeback_ios,lost_ios,pre_io_splits_per_1k_ios,conversions_per_1k_ios\r\n"

static void test_agrees(void **state)
{
	char err[512] = "";

	/* 2 of 3 IOs: 666.667 per 1000, as summary writes it */
	assert_int_equal(check(HEAD "3,2,1,1,666.667,666.667\r\n", err, sizeof(err)), 0);
	/* no summary, or an unknown cell: nothing to disagree with */
	unlink(strcat(strcpy(err, dir), "/summary.csv"));
	assert_int_equal(check(NULL, err, sizeof(err)), 0);
	assert_int_equal(check(HEAD "3,,,,,\r\n", err, sizeof(err)), 0);
	/* an older summary without the newer columns */
	assert_int_equal(check("ios,joined\r\n3,2\r\n", err, sizeof(err)), 0);
}

static void test_disagrees(void **state)
{
	char err[512];

	assert_int_equal(check(HEAD "4,2,1,1,666.667,666.667\r\n", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "/summary.csv: ios is 4, but "));
	assert_non_null(strstr(err, "/ios.csv has 3"));
	assert_int_equal(check(HEAD "3,3,1,1,666.667,666.667\r\n", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "joined is 3"));
	assert_int_equal(check(HEAD "3,2,0,1,666.667,666.667\r\n", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "writeback_ios is 0"));
	assert_int_equal(check(HEAD "3,2,1,0,666.667,666.667\r\n", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "lost_ios is 0"));
	/* one in the last decimal is more than rounding */
	assert_int_equal(check(HEAD "3,2,1,1,666.668,666.667\r\n", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "pre_io_splits_per_1k_ios is 666.668, but"));
	assert_non_null(strstr(err, "has 666.667"));
	assert_int_equal(check(HEAD "3,2,1,1,666.667,x\r\n", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "conversions_per_1k_ios is x"));
}

/* Principle 3: the latency compare prints is the latency of the rows. */
static void test_latency(void **state)
{
	struct ios_tally t;
	char err[512];

	put("ios.csv", "io,joined,lat_ns\r\n0,1,100\r\n1,1,300\r\n2,0,999\r\n,0,5\r\n");
	tally_of(&t);
	put("summary.csv", "ios,joined,lat_mean_ns\r\n3,2,200.000\r\n");
	assert_int_equal(summary_check(dir, &t, err, sizeof(err)), 0);
	/* written whole by another writer: within half a ns */
	put("summary.csv", "ios,joined,lat_mean_ns\r\n3,2,200.4\r\n");
	assert_int_equal(summary_check(dir, &t, err, sizeof(err)), 0);
	/* the rows halved, the summary not: two sources, refused */
	put("summary.csv", "ios,joined,lat_mean_ns\r\n3,2,400\r\n");
	assert_int_equal(summary_check(dir, &t, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "lat_mean_ns is 400, but"));
	assert_non_null(strstr(err, "has 200.000"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_agrees, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disagrees, setup, teardown),
		cmocka_unit_test_setup_teardown(test_latency, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
