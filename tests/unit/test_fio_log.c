// SPDX-License-Identifier: GPL-2.0
/* fio's per-IO latency logs: good lines, bad ones, files. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "analysis/fio_log.h"

static char path[] = "/tmp/dioscope-fiolog.XXXXXX";

static int make_file(void **state)
{
	int fd;

	strcpy(path, "/tmp/dioscope-fiolog.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int remove_file(void **state)
{
	unlink(path);
	return 0;
}

static void put(const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_lines(void **state)
{
	struct fio_io io;

	/* fio 3.33: time, value, ddir, bs, offset, prio */
	assert_int_equal(fio_log_parse_line("4, 906863, 1, 4096, 23273472, 0\n", &io), 0);
	assert_int_equal(io.time_ms, 4);
	assert_int_equal(io.lat_ns, 906863);
	assert_int_equal(io.ddir, 1);
	assert_int_equal(io.bs, 4096);
	assert_int_equal(io.offset, 23273472);
	/* no priority column (older fio), CRLF, tabs, no spaces */
	assert_int_equal(fio_log_parse_line("1, 2, 0, 512, 0\n", &io), 0);
	assert_int_equal(fio_log_parse_line("1,2,0,512,7\r\n", &io), 0);
	assert_int_equal(io.offset, 7);
	assert_int_equal(fio_log_parse_line("\t1 ,\t2, 2, 512, 0", &io), 0);
	assert_int_equal(io.ddir, 2);
	/* 64-bit values */
	assert_int_equal(fio_log_parse_line("1, 18446744073709551615, 0, 1, 1099511627776, 0", &io), 0);
	assert_true(io.lat_ns == 18446744073709551615ULL);
	assert_true(io.offset == 1099511627776ULL);
}

static void test_bad_lines(void **state)
{
	static const char *const bad[] = {
		"",
		"\n",
		"1, 2, 0, 512\n",			/* no offset */
		"1, 2, 5, 512, 0, 0\n",			/* no such direction */
		"1, 2, 0, 512, 0, 0 junk\n",
		"1, 2, 0, 512, 0, 0, 9\n",		/* a seventh column */
		"1, -2, 0, 512, 0\n",
		"1, 2, 0, 512, 0,\n",
		"1, 2, 0, 99999999999, 0\n",		/* bs beyond 32 bits */
		"1, 18446744073709551616, 0, 1, 0\n",	/* overflow */
		"a, 2, 0, 512, 0\n",
		"1 2 0 512 0\n",
	};
	struct fio_io io;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (fio_log_parse_line(bad[i], &io) != -EINVAL)
			fail_msg("accepted '%s'", bad[i]);
}

static void test_file(void **state)
{
	struct fio_log log = { 0 };

	put("0, 10, 1, 4096, 0, 0\n1, 20, 1, 4096, 4096, 0\n");
	assert_int_equal(fio_log_read(&log, path, 3), 0);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.jobs, 4);
	assert_int_equal(log.ios[1].job, 3);
	assert_int_equal(log.ios[1].offset, 4096);
	/* a second file appends, as another job */
	assert_int_equal(fio_log_read(&log, path, 0), 0);
	assert_int_equal(log.n, 4);
	assert_int_equal(log.ios[2].job, 0);
	fio_log_free(&log);
}

/* A bad line names the file and the line; what came before is kept. */
static void test_bad_file(void **state)
{
	struct fio_log log = { 0 };
	char want[128];

	put("0, 10, 1, 4096, 0, 0\n1, 20, 1, 4096, 4096, 0\nnot a log line\n2, 1, 1, 1, 1, 0\n");
	assert_int_equal(fio_log_read(&log, path, 0), -EINVAL);
	snprintf(want, sizeof(want), "%s:3:", path);
	assert_non_null(strstr(log.error, want));
	assert_int_equal(log.n, 2);
	fio_log_free(&log);
	assert_true(fio_log_read(&log, "/no/such/log", 0) < 0);
	assert_non_null(strstr(log.error, "/no/such/log"));
	fio_log_free(&log);
}

/* fio stopped mid-line: the cut last line is counted, not an error. */
static void test_torn_last_line(void **state)
{
	struct fio_log log = { 0 };

	put("0, 10, 1, 4096, 0, 0\n1, 2");
	assert_int_equal(fio_log_read(&log, path, 0), 0);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.torn, 1);
	fio_log_free(&log);
	/* a complete last line without its newline is an entry */
	put("0, 10, 1, 4096, 0, 0\n1, 20, 1, 4096, 4096, 0");
	assert_int_equal(fio_log_read(&log, path, 0), 0);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.torn, 0);
	fio_log_free(&log);
}

static void test_empty_and_large(void **state)
{
	struct fio_log log = { 0 };
	FILE *f;
	int i;

	put("");
	assert_int_equal(fio_log_read(&log, path, 1), 0);
	assert_int_equal(log.n, 0);
	assert_int_equal(log.jobs, 2);
	fio_log_free(&log);
	f = fopen(path, "w");
	for (i = 0; i < 100000; i++)
		fprintf(f, "%d, %d, %d, 4096, %d, 0\n", i / 1000, 1000 + i, i & 1, i * 4096);
	fclose(f);
	assert_int_equal(fio_log_read(&log, path, 0), 0);
	assert_int_equal(log.n, 100000);
	assert_int_equal(log.ios[99999].lat_ns, 100999);
	assert_int_equal(log.ios[99999].ddir, 1);
	assert_int_equal(log.ios[4].offset, 4 * 4096);
	fio_log_free(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test_setup_teardown(test_file, make_file, remove_file),
		cmocka_unit_test_setup_teardown(test_bad_file, make_file, remove_file),
		cmocka_unit_test_setup_teardown(test_torn_last_line, make_file, remove_file),
		cmocka_unit_test_setup_teardown(test_empty_and_large, make_file, remove_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
