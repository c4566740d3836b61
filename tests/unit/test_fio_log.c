// SPDX-License-Identifier: GPL-2.0
/* fio's per-IO latency logs: good lines, bad ones, files, jobs. */
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
static char path2[] = "/tmp/dioscope-fiolog.XXXXXX";

static int make_temp(char *p)
{
	int fd;

	strcpy(p, "/tmp/dioscope-fiolog.XXXXXX");
	fd = mkstemp(p);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int make_file(void **state)
{
	return make_temp(path) || make_temp(path2) ? -1 : 0;
}

static int remove_file(void **state)
{
	unlink(path);
	unlink(path2);
	return 0;
}

static void put_to(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void put(const char *text)
{
	put_to(path, text);
}

/* Every entry of a job up to the end or a failure: their count. */
/* the second time round, the files are read by a thread of their own */
static bool read_ahead;

/* fio_log_next, the thread started before the first read if asked for */
static int next_entry(struct fio_log *log, unsigned int job, struct fio_io *io)
{
	if (read_ahead)
		assert_int_equal(fio_log_read_ahead(log), 0);
	return fio_log_next(log, job, io);
}

static long read_job(struct fio_log *log, unsigned int job, struct fio_io *ios,
		     size_t max, int *rc)
{
	struct fio_io io;
	long n = 0;

	while ((*rc = next_entry(log, job, &io)) > 0) {
		if ((size_t)n < max)
			ios[n] = io;
		n++;
	}
	return n;
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
	struct fio_io ios[4];
	int rc;

	put("0, 10, 1, 4096, 0, 0\n1, 20, 1, 4096, 4096, 0\n");
	assert_int_equal(fio_log_add(&log, path, 3), 0);
	assert_int_equal(log.jobs, 4);
	/* opened, not read: nothing parsed before it is asked for */
	assert_int_equal(log.n, 0);
	assert_int_equal(read_job(&log, 3, ios, 4, &rc), 2);
	assert_int_equal(rc, 0);
	assert_int_equal(log.n, 2);
	assert_int_equal(ios[1].job, 3);
	assert_int_equal(ios[1].offset, 4096);
	/* the end stays the end; a job with no files has none */
	assert_int_equal(next_entry(&log, 3, &ios[0]), 0);
	assert_int_equal(next_entry(&log, 1, &ios[0]), 0);
	assert_int_equal(next_entry(&log, 9, &ios[0]), 0);
	fio_log_free(&log);
}

/* A bad line names the file and the line; what came before is read. */
static void test_bad_file(void **state)
{
	struct fio_log log = { 0 };
	struct fio_io io;
	char want[128];
	int rc;

	put("0, 10, 1, 4096, 0, 0\n1, 20, 1, 4096, 4096, 0\nnot a log line\n2, 1, 1, 1, 1, 0\n");
	assert_int_equal(fio_log_add(&log, path, 0), 0);
	assert_int_equal(read_job(&log, 0, NULL, 0, &rc), 2);
	assert_int_equal(rc, -EINVAL);
	snprintf(want, sizeof(want), "%s:3:", path);
	assert_non_null(strstr(log.error, want));
	assert_int_equal(log.n, 2);
	/* and every read after says so */
	assert_int_equal(next_entry(&log, 0, &io), -EINVAL);
	fio_log_free(&log);
	assert_true(fio_log_add(&log, "/no/such/log", 0) < 0);
	assert_non_null(strstr(log.error, "/no/such/log"));
	fio_log_free(&log);
	assert_int_equal(fio_log_add(&log, path, 70000), -EINVAL);
	assert_non_null(strstr(log.error, "too many jobs"));
	fio_log_free(&log);
}

/* fio stopped mid-line: the cut last line is counted, not an error. */
static void test_torn_last_line(void **state)
{
	struct fio_log log = { 0 };
	int rc;

	put("0, 10, 1, 4096, 0, 0\n1, 2");
	assert_int_equal(fio_log_add(&log, path, 0), 0);
	assert_int_equal(read_job(&log, 0, NULL, 0, &rc), 1);
	assert_int_equal(rc, 0);
	assert_int_equal(log.torn, 1);
	fio_log_free(&log);
	/* a complete last line without its newline is an entry */
	put("0, 10, 1, 4096, 0, 0\n1, 20, 1, 4096, 4096, 0");
	assert_int_equal(fio_log_add(&log, path, 0), 0);
	assert_int_equal(read_job(&log, 0, NULL, 0, &rc), 2);
	assert_int_equal(rc, 0);
	assert_int_equal(log.torn, 0);
	fio_log_free(&log);
}

static void test_empty_and_large(void **state)
{
	static struct fio_io ios[100000];
	struct fio_log log = { 0 };
	FILE *f;
	int i, rc;

	put("");
	assert_int_equal(fio_log_add(&log, path, 1), 0);
	assert_int_equal(log.jobs, 2);
	assert_int_equal(read_job(&log, 1, NULL, 0, &rc), 0);
	assert_int_equal(rc, 0);
	fio_log_free(&log);
	f = fopen(path, "w");
	for (i = 0; i < 100000; i++)
		fprintf(f, "%d, %d, %d, 4096, %d, 0\n", i / 1000, 1000 + i, i & 1, i * 4096);
	fclose(f);
	assert_int_equal(fio_log_add(&log, path, 0), 0);
	assert_int_equal(read_job(&log, 0, ios, 100000, &rc), 100000);
	assert_int_equal(rc, 0);
	assert_int_equal(ios[99999].lat_ns, 100999);
	assert_int_equal(ios[99999].ddir, 1);
	assert_int_equal(ios[4].offset, 4 * 4096);
	for (i = 0; i < 100000; i++)
		if (ios[i].offset != (__u64)i * 4096)
			fail_msg("entry %d: offset %llu", i,
				 (unsigned long long)ios[i].offset);
	fio_log_free(&log);
}

/* A line longer than the reader's buffer is still one line. */
static void test_long_line(void **state)
{
	struct fio_log log = { 0 };
	struct fio_io ios[2];
	FILE *f;
	int i, rc;

	f = fopen(path, "w");
	fputs("0, 10, 1, 4096, 0, 0\n7,", f);
	for (i = 0; i < 300000; i++)
		fputc(' ', f);
	fputs("20, 1, 4096, 8192, 0\n", f);
	fclose(f);
	assert_int_equal(fio_log_add(&log, path, 0), 0);
	assert_int_equal(read_job(&log, 0, ios, 2, &rc), 2);
	assert_int_equal(rc, 0);
	assert_int_equal(ios[1].time_ms, 7);
	assert_int_equal(ios[1].offset, 8192);
	fio_log_free(&log);
}

/*
 * One job in two files (fio_lat.1.log and fio_lat.01.log): read one
 * after the other in the order added, each with its own line numbers
 * and its own cut last line.
 */
static void test_job_in_two_files(void **state)
{
	struct fio_log log = { 0 };
	struct fio_io ios[8];
	char want[128];
	int rc;

	put("0, 10, 1, 4096, 0, 0\n1, 11, 1, 4096, 4096, 0\n1, 2");
	put_to(path2, "2, 12, 1, 4096, 8192, 0\n3, 13, 0, 4096, 0, 0\n");
	assert_int_equal(fio_log_add(&log, path, 0), 0);
	assert_int_equal(fio_log_add(&log, path2, 0), 0);
	assert_int_equal(read_job(&log, 0, ios, 8, &rc), 4);
	assert_int_equal(rc, 0);
	assert_int_equal(log.torn, 1);
	assert_int_equal(ios[0].lat_ns, 10);
	assert_int_equal(ios[2].lat_ns, 12);
	assert_int_equal(ios[3].ddir, 0);
	assert_int_equal(ios[3].job, 0);
	fio_log_free(&log);
	/* a bad line of the second file is named by its own line */
	put_to(path2, "2, 12, 1, 4096, 8192, 0\nbad\n");
	assert_int_equal(fio_log_add(&log, path, 0), 0);
	assert_int_equal(fio_log_add(&log, path2, 0), 0);
	assert_int_equal(read_job(&log, 0, ios, 8, &rc), 3);
	assert_int_equal(rc, -EINVAL);
	snprintf(want, sizeof(want), "%s:2:", path2);
	assert_non_null(strstr(log.error, want));
	fio_log_free(&log);
}

/* The jobs' order is that of their files, unless a job is in two places. */
static void test_order(void **state)
{
	struct fio_log log = { 0 };
	unsigned int order[10];

	put("0, 10, 1, 4096, 0, 0\n");
	put_to(path2, "0, 1");		/* only a cut line: no entry */
	assert_int_equal(fio_log_add(&log, path, 0), 0);
	assert_int_equal(fio_log_add(&log, path, 9), 0);
	assert_int_equal(fio_log_add(&log, path, 1), 0);
	assert_int_equal(fio_log_order(&log, order), 0);
	assert_int_equal(order[0], 0);
	assert_int_equal(order[1], 9);
	assert_int_equal(order[2], 1);
	assert_int_equal(order[3], 2);
	assert_int_equal(order[9], 8);
	fio_log_free(&log);
	/* job 1's entries in two places: by job */
	assert_int_equal(fio_log_add(&log, path, 1), 0);
	assert_int_equal(fio_log_add(&log, path, 0), 0);
	assert_int_equal(fio_log_add(&log, path, 1), 0);
	assert_int_equal(fio_log_order(&log, order), 0);
	assert_int_equal(order[0], 0);
	assert_int_equal(order[1], 1);
	fio_log_free(&log);
	/* a file without entries between them does not part them */
	assert_int_equal(fio_log_add(&log, path, 1), 0);
	assert_int_equal(fio_log_add(&log, path2, 0), 0);
	assert_int_equal(fio_log_add(&log, path, 1), 0);
	assert_int_equal(fio_log_order(&log, order), 0);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[1], 0);
	fio_log_free(&log);
}

/* The check names the first bad line in the files' order, not the job's. */
static void test_check(void **state)
{
	struct fio_log log = { 0 };
	char want[128];
	int rc;

	put("0, 10, 1, 4096, 0, 0\n1, 2\n");
	put_to(path2, "bad\n");
	assert_int_equal(fio_log_add(&log, path, 1), 0);
	assert_int_equal(fio_log_add(&log, path2, 0), 0);
	assert_int_equal(read_job(&log, 0, NULL, 0, &rc), 0);
	assert_int_equal(rc, -EINVAL);
	snprintf(want, sizeof(want), "%s:1:", path2);
	assert_non_null(strstr(log.error, want));
	assert_int_equal(fio_log_check(&log), -EINVAL);
	snprintf(want, sizeof(want), "%s:2:", path);
	assert_non_null(strstr(log.error, want));
	fio_log_free(&log);
	/* good files check out */
	put_to(path2, "0, 10, 1, 4096, 0, 0\n");
	assert_int_equal(fio_log_add(&log, path2, 0), 0);
	assert_int_equal(fio_log_check(&log), 0);
	assert_int_equal(log.n, 0);
	fio_log_free(&log);
}

/* A log cut while it is read is refused, not read short. */
static void test_shrink(void **state)
{
	struct fio_log log = { 0 };
	struct fio_io io;
	FILE *f;
	int i, rc;

	f = fopen(path, "w");
	for (i = 0; i < 20000; i++)
		fprintf(f, "%d, %d, 1, 4096, %d, 0\n", i, i, i * 4096);
	fclose(f);
	assert_int_equal(fio_log_add(&log, path, 0), 0);
	assert_int_equal(next_entry(&log, 0, &io), 1);
	assert_int_equal(truncate(path, 100), 0);
	while ((rc = next_entry(&log, 0, &io)) > 0)
		;
	assert_int_equal(rc, -EIO);
	assert_non_null(strstr(log.error, "shrank"));
	fio_log_free(&log);
}

/*
 * Many chunks of several jobs, read in turns: every entry in its place,
 * the line cut short counted once, a bad line met after the entries
 * before it, as in place.
 */
static void test_jobs_in_turns(void **state)
{
	struct fio_log log = { 0 };
	struct fio_io io;
	FILE *f;
	int i;

	f = fopen(path, "w");
	for (i = 0; i < 9000; i++)
		fprintf(f, "%d, %d, 1, 4096, %d, 0\n", i, i + 1, i * 4096);
	fprintf(f, "9000, 1");
	fclose(f);
	f = fopen(path2, "w");
	for (i = 0; i < 5000; i++)
		fprintf(f, "%d, %d, 0, 512, %d, 0\n", i, 2 * i + 1, i * 512);
	fprintf(f, "5000, x\n5001, 1, 0, 512, 0, 0\n");
	fclose(f);
	assert_int_equal(fio_log_add(&log, path, 0), 0);
	assert_int_equal(fio_log_add(&log, path2, 2), 0);
	for (i = 0; i < 5000; i++) {
		assert_int_equal(next_entry(&log, 2, &io), 1);
		assert_true(io.job == 2 && io.lat_ns == 2ULL * i + 1 &&
			    io.offset == 512ULL * i && io.ddir == 0);
		assert_int_equal(next_entry(&log, 0, &io), 1);
		assert_true(io.job == 0 && io.lat_ns == i + 1ULL &&
			    io.offset == 4096ULL * i && io.bs == 4096);
	}
	for (; i < 9000; i++) {
		assert_int_equal(next_entry(&log, 0, &io), 1);
		assert_true(io.time_ms == (__u32)i && io.offset == 4096ULL * i);
	}
	assert_int_equal(next_entry(&log, 0, &io), 0);
	assert_int_equal(next_entry(&log, 1, &io), 0);
	assert_int_equal(log.torn, 1);
	assert_int_equal(log.n, 14000);
	assert_int_equal(next_entry(&log, 2, &io), -EINVAL);
	assert_non_null(strstr(log.error, ":5001:"));
	assert_int_equal(next_entry(&log, 0, &io), -EINVAL);
	assert_int_equal(log.torn, 1);
	assert_int_equal(log.n, 14000);
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
		cmocka_unit_test_setup_teardown(test_long_line, make_file, remove_file),
		cmocka_unit_test_setup_teardown(test_job_in_two_files, make_file, remove_file),
		cmocka_unit_test_setup_teardown(test_order, make_file, remove_file),
		cmocka_unit_test_setup_teardown(test_check, make_file, remove_file),
		cmocka_unit_test_setup_teardown(test_shrink, make_file, remove_file),
		cmocka_unit_test_setup_teardown(test_jobs_in_turns, make_file, remove_file),
	};

	int failed = cmocka_run_group_tests_name("read in place", tests, NULL,
						 NULL);

	read_ahead = true;
	return failed + cmocka_run_group_tests_name("read ahead", tests, NULL,
						    NULL);
}
