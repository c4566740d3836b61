// SPDX-License-Identifier: GPL-2.0
/*
 * Joining fio's per-IO log entries to kernel IOs: by job, offset, order;
 * each job's log read through a window, the entries left behind handed
 * back in log order.
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
#include "analysis/fio_join.h"

#define BS 4096
#define WINDOW 512
#define SCAN_AHEAD (1u << 20)
#define FILES 4

static struct fio_log log;
static struct fio_join join;
static char dir[64];
static char paths[FILES][128];
static FILE *files[FILES];
static unsigned int file_job[FILES], nfiles;

/* What fio_join_finish handed back. */
static struct fio_io *left;
static size_t nleft, left_cap;

/* Entries go to the file opened last. */
static void new_file(unsigned int job)
{
	snprintf(paths[nfiles], sizeof(paths[nfiles]), "%s/f%u", dir, nfiles);
	files[nfiles] = fopen(paths[nfiles], "w");
	assert_non_null(files[nfiles]);
	file_job[nfiles++] = job;
}

static void entry(unsigned int job, __u64 offset, __u8 ddir, __u64 lat)
{
	if (!nfiles || file_job[nfiles - 1] != job)
		new_file(job);
	fprintf(files[nfiles - 1], "0, %llu, %u, %d, %llu, 0\n",
		(unsigned long long)lat, ddir, BS, (unsigned long long)offset);
}

/* the second time round, the logs are read by a thread of their own */
static bool read_ahead;

/* The files added to the log in the order written, and the join begun. */
static void start(void)
{
	unsigned int i;

	for (i = 0; i < nfiles; i++) {
		assert_int_equal(fclose(files[i]), 0);
		files[i] = NULL;
		assert_int_equal(fio_log_add(&log, paths[i], file_job[i]), 0);
	}
	if (read_ahead)
		assert_int_equal(fio_log_read_ahead(&log), 0);
	assert_int_equal(fio_join_init(&join, &log), 0);
}

static const struct fio_io *match_len(__u64 offset, __u64 len, bool write,
				      __u32 tid)
{
	const struct fio_io *f;
	int r = fio_join_match(&join, offset, len, write, tid, &f);

	assert_true(r >= 0);
	assert_true(r ? f != NULL : f == NULL);
	return f;
}

static const struct fio_io *match(__u64 offset, bool write, __u32 tid)
{
	return match_len(offset, BS, write, tid);
}

static int keep(void *ctx, const struct fio_io *f)
{
	if (nleft == left_cap) {
		left_cap = left_cap ? 2 * left_cap : 1024;
		left = realloc(left, left_cap * sizeof(*left));
		assert_non_null(left);
	}
	left[nleft++] = *f;
	return 0;
}

static void finish(void)
{
	assert_int_equal(fio_join_finish(&join, keep, NULL), 0);
}

static int setup(void **state)
{
	memset(&log, 0, sizeof(log));
	memset(&join, 0, sizeof(join));
	nfiles = 0;
	nleft = 0;
	snprintf(dir, sizeof(dir), "/tmp/dioscope-join.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	unsigned int i;

	fio_join_free(&join);
	fio_log_free(&log);
	for (i = 0; i < nfiles; i++) {
		if (files[i])
			fclose(files[i]);
		unlink(paths[i]);
	}
	rmdir(dir);
	free(left);
	left = NULL;
	left_cap = 0;
	return 0;
}

/* Two jobs, read back job by job; kernel IOs of both interleaved. */
static void test_two_jobs(void **state)
{
	const struct fio_io *f;
	struct join_stats st;
	int k;

	for (k = 0; k < 50; k++)
		entry(1, (1000 + k) * BS, 1, 100 + k);
	for (k = 0; k < 50; k++)
		entry(0, k * BS, 1, k);
	start();
	for (k = 0; k < 50; k++) {
		f = match(k * BS, true, 300);
		assert_non_null(f);
		assert_int_equal(f->lat_ns, k);
		assert_int_equal(f->joined, 1);
		f = match((1000 + k) * BS, true, 400);
		assert_non_null(f);
		assert_int_equal(f->lat_ns, 100 + k);
		assert_int_equal(f->job, 1);
	}
	finish();
	assert_int_equal(nleft, 0);
	fio_join_stats(&join, &st);
	assert_int_equal(st.fio_entries, 100);
	assert_int_equal(st.joined, 100);
	assert_int_equal(st.kernel_unjoined, 0);
	assert_true(st.rate == 1.0);
}

/*
 * The same offset written again by the same job: first in first out;
 * completions swapped within the queue depth still join their own.
 */
static void test_order(void **state)
{
	entry(0, 0, 1, 10);
	entry(0, BS, 1, 11);
	entry(0, 0, 1, 12);
	entry(0, 2 * BS, 1, 13);
	entry(0, 3 * BS, 0, 14);	/* a read */
	start();
	assert_int_equal(match(BS, true, 7)->lat_ns, 11);
	assert_int_equal(match(0, true, 7)->lat_ns, 10);
	assert_int_equal(match(0, true, 7)->lat_ns, 12);
	/* the direction and the length must agree */
	assert_null(match(3 * BS, true, 7));
	assert_null(match_len(2 * BS, 512, true, 7));
	assert_int_equal(match(3 * BS, false, 7)->lat_ns, 14);
	assert_int_equal(match(2 * BS, true, 7)->lat_ns, 13);
	assert_null(match(0, true, 7));	/* none left */
}

/*
 * Lost events: fio entries the kernel never saw stay unjoined, and the
 * join finds its way past a gap wider than its window. The entries it
 * leaves behind come back at the end, in log order.
 */
static void test_gap(void **state)
{
	struct join_stats st;
	int k;

	for (k = 0; k < 5000; k++)
		entry(0, (__u64)k * BS, 1, k);
	start();
	for (k = 0; k < 100; k++)
		assert_non_null(match((__u64)k * BS, true, 9));
	/* events of IOs 100..2999 lost */
	for (k = 3000; k < 5000; k++)
		assert_int_equal(match((__u64)k * BS, true, 9)->lat_ns, k);
	/* a kernel IO fio did not log (another writer) joins nothing */
	assert_null(match(777777 * (__u64)BS, true, 9));
	assert_null(match(0, true, 12345));
	finish();
	fio_join_stats(&join, &st);
	assert_int_equal(st.fio_entries, 5000);
	assert_int_equal(st.joined, 2100);
	assert_int_equal(st.kernel_ios, 2102);
	assert_int_equal(st.kernel_unjoined, 2);
	assert_true(st.rate > 0.41 && st.rate < 0.43);
	assert_int_equal(nleft, 2900);
	for (k = 100; k < 3000; k++) {
		assert_int_equal(left[k - 100].lat_ns, k);
		assert_int_equal(left[k - 100].joined, 0);
	}
}

/*
 * After losses the join looks as far as SCAN_AHEAD past its window, and
 * no further; it reads the log as far as it looks, and lets go of what
 * it passed, unjoined, to be handed back in order.
 */
static void test_scan_ahead(void **state)
{
	const size_t edge = 10 + WINDOW + SCAN_AHEAD;	/* first not looked at */
	const struct fio_io *f;
	size_t k;

	for (k = 0; k <= edge + 10; k++)
		entry(0, (__u64)k * BS, 1, k);
	start();
	for (k = 0; k < 10; k++)
		assert_non_null(match((__u64)k * BS, true, 9));
	assert_null(match((__u64)edge * BS, true, 9));
	f = match((__u64)(edge - 1) * BS, true, 9);
	assert_non_null(f);
	assert_int_equal(f->lat_ns, edge - 1);
	/* now in its window */
	assert_non_null(match((__u64)edge * BS, true, 9));
	/* what was passed over is behind the window, no more searched */
	assert_null(match((__u64)20 * BS, true, 9));
	assert_true(join.jobs[0].base > 20);
	assert_true(join.jobs[0].end - join.jobs[0].base <= 2 * WINDOW + 1);
	finish();
	assert_int_equal(nleft, edge - 1 - 10 + 10);
	for (k = 0; k < edge - 11; k++)
		assert_int_equal(left[k].lat_ns, 10 + k);
	for (k = 0; k < 10; k++)
		assert_int_equal(left[edge - 11 + k].lat_ns, edge + 1 + k);
}

/* Entries left behind come back job by job, in the order of the files. */
static void test_left_by_job(void **state)
{
	int k;

	for (k = 0; k < 3000; k++)
		entry(2, (__u64)k * BS, 1, 20000 + k);
	for (k = 0; k < 3000; k++)
		entry(0, (__u64)k * BS, 1, k);
	start();
	/* every other IO of job 0 seen, all of job 2 but its last 100 */
	for (k = 0; k < 3000; k += 2)
		assert_int_equal(match((__u64)k * BS, true, 5)->job, 0);
	for (k = 0; k < 2900; k++)
		assert_int_equal(match((__u64)k * BS, true, 6)->lat_ns,
				 20000 + k);
	finish();
	assert_int_equal(nleft, 100 + 1500);
	for (k = 0; k < 100; k++)
		assert_int_equal(left[k].lat_ns, 22900 + k);
	for (k = 0; k < 1500; k++) {
		assert_int_equal(left[100 + k].lat_ns, 2 * k + 1);
		assert_int_equal(left[100 + k].job, 0);
	}
	assert_int_equal(log.n, 6000);
}

/* A job in two files is one log: joined across where one ends. */
static void test_job_in_two_files(void **state)
{
	struct join_stats st;
	int k;

	for (k = 0; k < 1000; k++)
		entry(0, (__u64)k * BS, 1, k);
	new_file(0);
	for (k = 1000; k < 2000; k++)
		entry(0, (__u64)k * BS, 1, k);
	start();
	assert_int_equal(log.jobs, 1);
	for (k = 0; k < 2000; k++)
		if (k != 999 && k != 1000)
			assert_int_equal(match((__u64)k * BS, true, 3)->lat_ns, k);
	finish();
	assert_int_equal(nleft, 2);
	assert_int_equal(left[0].lat_ns, 999);
	assert_int_equal(left[1].lat_ns, 1000);
	fio_join_stats(&join, &st);
	assert_int_equal(st.fio_entries, 2000);
	assert_int_equal(st.joined, 1998);
}

/* Jobs that write the same offsets: each task takes a job of its own. */
static void test_same_offsets(void **state)
{
	const struct fio_io *i, *j;
	unsigned int job50, job60;
	int k;

	for (k = 0; k < 20; k++)
		entry(0, k * BS, 1, k);
	for (k = 0; k < 20; k++)
		entry(1, k * BS, 1, 100 + k);
	start();
	i = match(0, true, 50);
	assert_non_null(i);
	job50 = i->job;
	j = match(0, true, 60);
	assert_non_null(j);
	job60 = j->job;
	assert_int_not_equal(job50, job60);
	for (k = 1; k < 20; k++) {
		i = match(k * BS, true, 50);
		assert_non_null(i);
		assert_int_equal(i->job, job50);
		assert_int_equal(i->lat_ns % 100, k);
		j = match(k * BS, true, 60);
		assert_non_null(j);
		assert_int_equal(j->job, job60);
	}
	assert_int_equal(join.st.by_other_job, 0);
}

/* A bad line met while joining stops the join with the log's error. */
static void test_bad_line(void **state)
{
	const struct fio_io *f;
	int k;

	for (k = 0; k < 100; k++)
		entry(0, (__u64)k * BS, 1, k);
	fputs("junk\n", files[0]);
	start();
	assert_non_null(match(0, true, 1));
	assert_int_equal(fio_join_match(&join, 5000 * BS, BS, true, 1, &f),
			 -EINVAL);
	assert_non_null(strstr(log.error, ":101: not a fio latency log entry"));
	assert_int_equal(fio_join_finish(&join, keep, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_two_jobs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_ahead, setup, teardown),
		cmocka_unit_test_setup_teardown(test_left_by_job, setup, teardown),
		cmocka_unit_test_setup_teardown(test_job_in_two_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_offsets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_line, setup, teardown),
	};

	int failed = cmocka_run_group_tests_name("read in place", tests, NULL,
						 NULL);

	read_ahead = true;
	return failed + cmocka_run_group_tests_name("read ahead", tests, NULL,
						    NULL);
}
