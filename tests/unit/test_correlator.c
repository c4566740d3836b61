// SPDX-License-Identifier: GPL-2.0
/* The correlator, churn pairs and the fio join, on synthetic streams. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "correlator.h"
#include "fio_join.h"

#define DEV 7
#define INO 12
#define BLK 4096

static struct ds_event ev[64];
static int nev;

static struct ds_event *add(__u16 type, __u64 ts, __u32 tid)
{
	struct ds_event *e = &ev[nev++];

	memset(e, 0, sizeof(*e));
	e->type = type;
	e->ts_ns = ts;
	e->tid = tid;
	e->pid = tid;
	e->dev = DEV;
	e->ino = INO;
	return e;
}

static void submit(__u64 ts, __u32 tid, __u64 blk, __u64 iocb)
{
	struct ds_event *e = add(DS_EV_DIO_SUBMIT, ts, tid);

	e->pos = blk * BLK;
	e->len = BLK;
	e->flags = DS_DIO_WRITE;
	e->aux0 = iocb;
}

static void complete(__u64 ts, __u32 tid, __u64 blk, __u64 iocb)
{
	struct ds_event *e = add(DS_EV_DIO_COMPLETE, ts, tid);

	e->pos = blk * BLK;
	e->len = BLK;
	e->ret = BLK;
	e->flags = DS_DIO_WRITE;
	e->aux0 = iocb;
}

static void map(__u64 ts, __u32 tid, __u64 blk, __u32 flags, __u64 dur)
{
	struct ds_event *e = add(DS_EV_MAP_BLOCKS, ts, tid);

	e->pos = blk;
	e->len = 1;
	e->flags = flags;
	e->dur_ns = dur;
}

static void split(__u64 ts, __u32 tid, __u64 lblk, __u64 dur)
{
	struct ds_event *e = add(DS_EV_SPLIT, ts, tid);

	e->pos = lblk;
	e->dur_ns = dur;
}

static void merge(__u64 ts, __u32 tid, __u64 boundary, __u64 dur)
{
	struct ds_event *e = add(DS_EV_MERGE, ts, tid);

	e->pos = boundary;
	e->flags = DS_MERGE_DONE | DS_MERGE_LEFT_UNWRITTEN | DS_MERGE_RIGHT_UNWRITTEN;
	e->dur_ns = dur;
}

static int reset(void **state)
{
	nev = 0;
	return 0;
}

static void test_synchronous_io(void **state)
{
	struct correlation c;

	submit(100, 1, 5, 0);
	map(150, 1, 5, DS_GET_BLOCKS_PRE_IO | DS_GET_BLOCKS_CREATE, 30);
	map(250, 1, 5, DS_GET_BLOCKS_CONVERT, 40);
	complete(300, 1, 5, 0);
	assert_int_equal(correlate(ev, nev, 12, &c), 0);
	assert_int_equal(c.n, 1);
	assert_true(c.ios[0].complete);
	assert_int_equal(c.ios[0].complete_ns - c.ios[0].submit_ns, 200);
	assert_int_equal(c.ios[0].c[DS_C_PRE_IO].count, 1);
	assert_int_equal(c.ios[0].c[DS_C_PRE_IO].ns, 30);
	assert_int_equal(c.ios[0].c[DS_C_CONVERT_MAP].ns, 40);
	assert_int_equal(c.ios[0].c[DS_C_MAP_BLOCKS].count, 2);
	assert_int_equal(c.unattributed, 0);
	correlation_free(&c);
}

/* An async write converted in a kworker: attributed by inode and blocks. */
static void test_workqueue_completion(void **state)
{
	struct correlation c;

	submit(100, 1, 5, 0xa0);
	submit(110, 1, 9, 0xb0);
	map(400, 77, 9, DS_GET_BLOCKS_CONVERT, 40);	/* kworker, block 9 */
	map(410, 77, 5, DS_GET_BLOCKS_CONVERT, 50);
	complete(420, 77, 9, 0xb0);
	complete(430, 77, 5, 0xa0);
	assert_int_equal(correlate(ev, nev, 12, &c), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.ios[0].c[DS_C_CONVERT_MAP].ns, 50);
	assert_int_equal(c.ios[1].c[DS_C_CONVERT_MAP].ns, 40);
	assert_true(c.ios[0].complete && c.ios[1].complete);
	assert_int_equal(c.ios[0].complete_ns, 430);
	correlation_free(&c);
}

/* Completions in another order than submissions, same offset twice. */
static void test_out_of_order(void **state)
{
	struct correlation c;

	submit(100, 1, 5, 0);
	submit(120, 2, 5, 0);		/* same block from another job */
	submit(130, 2, 8, 0);
	complete(200, 2, 8, 0);
	complete(210, 1, 5, 0);
	complete(220, 2, 5, 0);
	/* the events arrive out of time order, as from several CPUs */
	struct ds_event t = ev[0];
	ev[0] = ev[4];
	ev[4] = t;
	assert_int_equal(correlate(ev, nev, 12, &c), 0);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.ios[0].complete_ns, 210);
	assert_int_equal(c.ios[1].complete_ns, 220);
	assert_int_equal(c.ios[2].complete_ns, 200);
	assert_int_equal(c.unmatched_completions, 0);
	correlation_free(&c);
}

/*
 * IO A writes block 10 (its extent [10, 11) split off before the IO);
 * while it is in flight a neighbour's conversion merges boundary 10
 * away; A's conversion splits at 10 again: one churn pair, charged to A.
 */
static void test_merge_undone_by_split(void **state)
{
	struct correlation c;

	submit(100, 1, 10, 0);
	submit(105, 2, 12, 0);
	merge(200, 2, 10, 300);		/* B's work removes A's boundary */
	complete(250, 2, 12, 0);
	split(300, 1, 10, 500);		/* A's conversion redoes it */
	complete(400, 1, 10, 0);
	assert_int_equal(correlate(ev, nev, 12, &c), 0);
	assert_int_equal(c.churn_pairs, 1);
	assert_int_equal(c.wasted_merges, 1);
	assert_int_equal(c.ios[0].c[DS_C_WASTED].count, 1);
	assert_int_equal(c.ios[0].c[DS_C_WASTED].ns, 800);
	assert_int_equal(c.ios[1].c[DS_C_WASTED].count, 0);
	correlation_free(&c);
}

/* A merge of a boundary no IO in flight needs is not waste. */
static void test_merge_not_undone(void **state)
{
	struct correlation c;

	submit(100, 1, 10, 0);
	merge(200, 1, 30, 300);		/* far from [10, 11) */
	split(300, 1, 30, 500);
	complete(400, 1, 10, 0);
	assert_int_equal(correlate(ev, nev, 12, &c), 0);
	assert_int_equal(c.churn_pairs, 0);
	assert_int_equal(c.wasted_merges, 0);
	assert_int_equal(c.merges, 1);
	assert_int_equal(c.splits, 1);
	correlation_free(&c);
}

/* A wasted merge whose IO completes without a new split is no pair. */
static void test_pair_needs_split_in_window(void **state)
{
	struct correlation c;

	submit(100, 1, 10, 0);
	merge(200, 2, 11, 300);
	complete(250, 1, 10, 0);
	split(300, 3, 11, 500);		/* after the IO: not its split */
	assert_int_equal(correlate(ev, nev, 12, &c), 0);
	assert_int_equal(c.wasted_merges, 1);
	assert_int_equal(c.churn_pairs, 0);
	correlation_free(&c);
}

/* Overlapping IOs on one inode: the submitting task's IO gets its work. */
static void test_overlapping_ios(void **state)
{
	struct correlation c;

	submit(100, 1, 10, 0);
	submit(110, 2, 10, 0);
	map(150, 2, 10, DS_GET_BLOCKS_PRE_IO, 20);
	map(160, 1, 10, DS_GET_BLOCKS_PRE_IO, 30);
	complete(200, 1, 10, 0);
	complete(210, 2, 10, 0);
	assert_int_equal(correlate(ev, nev, 12, &c), 0);
	assert_int_equal(c.ios[0].c[DS_C_PRE_IO].ns, 30);
	assert_int_equal(c.ios[1].c[DS_C_PRE_IO].ns, 20);
	correlation_free(&c);
}

/* Work outside any window and completions never submitted are counted. */
static void test_lost_halves(void **state)
{
	struct correlation c;

	map(50, 1, 10, DS_GET_BLOCKS_PRE_IO, 20);
	complete(60, 1, 3, 0);
	submit(100, 1, 10, 0);
	assert_int_equal(correlate(ev, nev, 12, &c), 0);
	assert_int_equal(c.unattributed, 1);
	assert_int_equal(c.unmatched_completions, 1);
	assert_int_equal(c.n, 1);
	assert_false(c.ios[0].complete);
	correlation_free(&c);
}

static void test_join(void **state)
{
	struct fio_io ios[4] = {
		{ .offset = 5 * BLK, .lat_ns = 900, .bs = BLK, .ddir = 1, .job = 0 },
		{ .offset = 8 * BLK, .lat_ns = 700, .bs = BLK, .ddir = 1, .job = 1 },
		{ .offset = 5 * BLK, .lat_ns = 800, .bs = BLK, .ddir = 1, .job = 1 },
		{ .offset = 99 * BLK, .lat_ns = 600, .bs = BLK, .ddir = 1, .job = 0 },
	};
	struct fio_log log = { .ios = ios, .n = 4, .jobs = 2 };
	struct correlation c;
	struct join_stats st;

	submit(100, 1, 5, 0);
	submit(120, 2, 5, 0);
	submit(130, 2, 8, 0);
	complete(200, 2, 8, 0);
	complete(210, 1, 5, 0);
	complete(220, 2, 5, 0);
	assert_int_equal(correlate(ev, nev, 12, &c), 0);
	assert_int_equal(fio_join(&log, &c, &st), 0);
	assert_int_equal(st.joined, 3);
	assert_int_equal(st.fio_entries, 4);
	/* job 0 is task 1, job 1 is task 2: the same offset joins rightly */
	assert_int_equal(ios[0].io, 0);
	assert_int_equal(ios[2].io, 1);
	assert_int_equal(ios[1].io, 2);
	assert_false(ios[3].joined);
	assert_int_equal(c.ios[0].fio, 0);
	assert_true(st.rate > 0.74 && st.rate < 0.76);
	correlation_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_synchronous_io, reset),
		cmocka_unit_test_setup(test_workqueue_completion, reset),
		cmocka_unit_test_setup(test_out_of_order, reset),
		cmocka_unit_test_setup(test_merge_undone_by_split, reset),
		cmocka_unit_test_setup(test_merge_not_undone, reset),
		cmocka_unit_test_setup(test_pair_needs_split_in_window, reset),
		cmocka_unit_test_setup(test_overlapping_ios, reset),
		cmocka_unit_test_setup(test_lost_halves, reset),
		cmocka_unit_test_setup(test_join, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
