// SPDX-License-Identifier: GPL-2.0
/* Joining fio's per-IO log entries to kernel IOs: by job, offset, order. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "analysis/fio_join.h"

#define BS 4096

static struct fio_log log;
static struct fio_join join;

static void entry(unsigned int job, __u64 offset, __u8 ddir, __u64 lat)
{
	struct fio_io *f;

	if (log.n == log.cap) {
		log.cap = log.cap ? 2 * log.cap : 64;
		log.ios = realloc(log.ios, log.cap * sizeof(*log.ios));
	}
	f = &log.ios[log.n++];
	memset(f, 0, sizeof(*f));
	f->job = job;
	f->offset = offset;
	f->ddir = ddir;
	f->bs = BS;
	f->lat_ns = lat;
	if (job + 1 > log.jobs)
		log.jobs = job + 1;
}

static long match(__u64 offset, bool write, __u32 tid)
{
	return fio_join_match(&join, offset, BS, write, tid);
}

static int setup(void **state)
{
	memset(&log, 0, sizeof(log));
	return 0;
}

static int teardown(void **state)
{
	fio_join_free(&join);
	fio_log_free(&log);
	return 0;
}

/* Two jobs, read back job by job; kernel IOs of both interleaved. */
static void test_two_jobs(void **state)
{
	struct join_stats st;
	long i;
	int k;

	for (k = 0; k < 50; k++)
		entry(1, (1000 + k) * BS, 1, 100 + k);
	for (k = 0; k < 50; k++)
		entry(0, k * BS, 1, k);
	assert_int_equal(fio_join_init(&join, &log), 0);
	for (k = 0; k < 50; k++) {
		i = match(k * BS, true, 300);
		assert_true(i >= 0);
		assert_int_equal(log.ios[i].lat_ns, k);
		i = match((1000 + k) * BS, true, 400);
		assert_true(i >= 0);
		assert_int_equal(log.ios[i].lat_ns, 100 + k);
		assert_int_equal(log.ios[i].job, 1);
	}
	fio_join_stats(&join, &st);
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
	long i;

	entry(0, 0, 1, 10);
	entry(0, BS, 1, 11);
	entry(0, 0, 1, 12);
	entry(0, 2 * BS, 1, 13);
	entry(0, 3 * BS, 0, 14);	/* a read */
	assert_int_equal(fio_join_init(&join, &log), 0);
	assert_int_equal(log.ios[match(BS, true, 7)].lat_ns, 11);
	assert_int_equal(log.ios[match(0, true, 7)].lat_ns, 10);
	assert_int_equal(log.ios[match(0, true, 7)].lat_ns, 12);
	/* the direction and the length must agree */
	assert_int_equal(match(3 * BS, true, 7), -1);
	assert_int_equal(fio_join_match(&join, 2 * BS, 512, true, 7), -1);
	i = match(3 * BS, false, 7);
	assert_int_equal(log.ios[i].lat_ns, 14);
	assert_int_equal(log.ios[match(2 * BS, true, 7)].lat_ns, 13);
	assert_int_equal(match(0, true, 7), -1);	/* none left */
}

/*
 * Lost events: fio entries the kernel never saw stay unjoined, and the
 * join finds its way past a gap wider than its window.
 */
static void test_gap(void **state)
{
	struct join_stats st;
	int k;

	for (k = 0; k < 5000; k++)
		entry(0, (__u64)k * BS, 1, k);
	assert_int_equal(fio_join_init(&join, &log), 0);
	for (k = 0; k < 100; k++)
		assert_true(match((__u64)k * BS, true, 9) >= 0);
	/* events of IOs 100..2999 lost */
	for (k = 3000; k < 5000; k++)
		assert_int_equal(log.ios[match((__u64)k * BS, true, 9)].lat_ns, k);
	/* a kernel IO fio did not log (another writer) joins nothing */
	assert_int_equal(match(777777 * (__u64)BS, true, 9), -1);
	assert_int_equal(match(0, true, 12345), -1);
	fio_join_stats(&join, &st);
	assert_int_equal(st.fio_entries, 5000);
	assert_int_equal(st.joined, 2100);
	assert_int_equal(st.kernel_ios, 2102);
	assert_int_equal(st.kernel_unjoined, 2);
	assert_true(st.rate > 0.41 && st.rate < 0.43);
	for (k = 100; k < 3000; k++)
		assert_int_equal(log.ios[k].joined, 0);
}

/* Jobs that write the same offsets: each task takes a job of its own. */
static void test_same_offsets(void **state)
{
	unsigned int job50, job60;
	long i, j;
	int k;

	for (k = 0; k < 20; k++)
		entry(0, k * BS, 1, k);
	for (k = 0; k < 20; k++)
		entry(1, k * BS, 1, 100 + k);
	assert_int_equal(fio_join_init(&join, &log), 0);
	i = match(0, true, 50);
	j = match(0, true, 60);
	assert_true(i >= 0 && j >= 0);
	job50 = log.ios[i].job;
	job60 = log.ios[j].job;
	assert_int_not_equal(job50, job60);
	for (k = 1; k < 20; k++) {
		i = match(k * BS, true, 50);
		j = match(k * BS, true, 60);
		assert_true(i >= 0 && j >= 0);
		assert_int_equal(log.ios[i].job, job50);
		assert_int_equal(log.ios[j].job, job60);
		assert_int_equal(log.ios[i].lat_ns % 100, k);
	}
	assert_int_equal(join.st.by_other_job, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_two_jobs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_offsets, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
