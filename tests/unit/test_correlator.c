// SPDX-License-Identifier: GPL-2.0
/*
 * The correlator and its reorder window on synthetic event streams:
 * synchronous and workqueue completion, out-of-order completions, churn
 * pairs and merges that are not, overlapping IOs, lost events.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "analysis/corr_order.h"
#define MAX_EV 256
#include "corr_fixture.h"

/* A write of one block at blk; aio: DS_DIO_AIO or 0. */
static void submit(__u64 ts, __u32 tid, __u64 blk, __u64 iocb, __u32 aio)
{
	struct ds_event *e = add(DS_EV_DIO_SUBMIT, ts, tid);

	e->pos = blk * BLK;
	e->len = BLK;
	e->flags = DS_DIO_WRITE | aio;
	e->aux0 = iocb;
}

static void map(__u64 ts, __u32 tid, __u64 blk, __u32 flags, __u64 dur)
{
	struct ds_event *e = add(DS_EV_MAP_BLOCKS, ts, tid);

	e->pos = blk;
	e->len = 1;
	e->flags = flags;
	e->dur_ns = dur;
	e->ret = 1;
}

static void iomap(__u64 ts, __u32 tid, __u64 blk, __u64 type, __u64 dur)
{
	struct ds_event *e = add(DS_EV_IOMAP_BEGIN, ts, tid);

	e->pos = blk * BLK;
	e->len = BLK;
	e->aux0 = type;
	e->dur_ns = dur;
}

static void merge(__u64 ts, __u32 tid, __u64 boundary, __u64 dur)
{
	struct ds_event *e = add(DS_EV_MERGE, ts, tid);

	e->pos = boundary;
	e->flags = DS_MERGE_DONE | DS_MERGE_LEFT_UNWRITTEN |
		   DS_MERGE_RIGHT_UNWRITTEN;
	e->dur_ns = dur;
}

static const struct corr_io *io_at(__u64 blk)
{
	int i;

	for (i = 0; i < nout; i++)
		if (out[i].pos == blk * BLK)
			return &out[i];
	fail_msg("no IO at block %llu", (unsigned long long)blk);
	return NULL;
}

/* A psync write: all its work in the submitting task, in its window. */
static void test_synchronous_io(void **state)
{
	const struct corr_io *io;

	submit(100, 1, 5, 0xa0, 0);
	map(150, 1, 5, DS_GET_BLOCKS_PRE_IO | DS_GET_BLOCKS_CREATE, 40);
	iomap(160, 1, 5, DS_IOMAP_UNWRITTEN, 50);
	map(400, 1, 5, DS_GET_BLOCKS_CONVERT, 30);
	complete(500, 1, 5, 0xa0);
	/* after the window: no IO's */
	map(600, 1, 5, DS_GET_BLOCKS_CONVERT, 30);
	run();
	assert_int_equal(nout, 1);
	io = &out[0];
	assert_int_equal(io->state, CORR_IO_DONE);
	assert_int_equal(io->complete_ns - io->submit_ns, 400);
	assert_int_equal(io->count[DS_C_MAP_BLOCKS], 2);
	assert_int_equal(io->ns[DS_C_MAP_BLOCKS], 70);
	assert_int_equal(io->count[DS_C_PRE_IO], 1);
	assert_int_equal(io->ns[DS_C_PRE_IO], 40);
	assert_int_equal(io->count[DS_C_CONVERT_MAP], 1);
	assert_int_equal(io->count[DS_C_IOMAP_BEGIN], 1);
	assert_int_equal(io->iomap_type, DS_IOMAP_UNWRITTEN);
	assert_int_equal(corr.tot.unattributed, 1);
	assert_int_equal(corr.tot.pre_io, 1);
	assert_int_equal(corr.tot.conversions, 2);
	assert_int_equal(corr.tot.converted_blocks, 2);
	assert_int_equal(corr.tot.done, 1);
}

/*
 * An async write converted by a worker: attributed by inode and block
 * range, not by task; a worker's work on other blocks is nobody's.
 */
static void test_workqueue_completion(void **state)
{
	submit(100, 1, 5, 0xa0, DS_DIO_AIO);
	submit(110, 1, 9, 0xa1, DS_DIO_AIO);
	map(300, WORKER, 9, DS_GET_BLOCKS_CONVERT, 25);
	map(310, WORKER, 40, DS_GET_BLOCKS_CONVERT, 25);
	map(320, WORKER, 5, DS_GET_BLOCKS_CONVERT, 35);
	complete(400, WORKER, 9, 0xa1);
	complete(410, WORKER, 5, 0xa0);
	run();
	assert_int_equal(nout, 2);
	assert_int_equal(io_at(9)->ns[DS_C_CONVERT_MAP], 25);
	assert_int_equal(io_at(5)->ns[DS_C_CONVERT_MAP], 35);
	assert_int_equal(io_at(5)->count[DS_C_CONVERT_MAP], 1);
	assert_int_equal(corr.tot.unattributed, 1);
	/* emitted as each completes: block 9 first */
	assert_int_equal(out[0].pos, 9 * BLK);
	assert_int_equal(out[0].seq, 1);
}

/*
 * Recorded with -p 1: a conversion in a workqueue of blocks no kept IO
 * holds, and a merge by task 2, are another task's IO's work and set
 * aside; task 1's own merge outside its IOs still counts.
 */
static void feed_filtered_mix(void)
{
	submit(100, 1, 5, 0xa0, DS_DIO_AIO);
	merge(150, 2, 41, 10);
	merge(160, 1, 70, 10);
	map(300, WORKER, 40, DS_GET_BLOCKS_CONVERT, 25);
	map(320, WORKER, 5, DS_GET_BLOCKS_CONVERT, 35);
	complete(410, WORKER, 5, 0xa0);
	run();
}

static void test_task_filter_sets_aside(void **state)
{
	correlator_want_tasks(&corr, 1, NULL);
	feed_filtered_mix();
	assert_int_equal(nout, 1);
	assert_int_equal(io_at(5)->count[DS_C_CONVERT_MAP], 1);
	assert_int_equal(corr.tot.conversions, 1);
	assert_int_equal(corr.tot.merges, 1);
	assert_int_equal(corr.tot.unattributed, 3);
}

/* The same stream recorded without a task filter counts all of it. */
static void test_no_task_filter_counts_all(void **state)
{
	feed_filtered_mix();
	assert_int_equal(corr.tot.conversions, 2);
	assert_int_equal(corr.tot.merges, 2);
	assert_int_equal(corr.tot.unattributed, 3);
}

/* Completions in reverse order pair by kiocb... */
static void test_out_of_order_by_iocb(void **state)
{
	int i;

	for (i = 0; i < 4; i++)
		submit(100 + i, 1, i, 0xb0 + i, DS_DIO_AIO);
	for (i = 3; i >= 0; i--)
		complete(200 + 10 * (3 - i), WORKER, i, 0xb0 + i);
	run();
	assert_int_equal(nout, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(out[i].pos, (3 - i) * BLK);
		assert_int_equal(out[i].state, CORR_IO_DONE);
		assert_int_equal(out[i].submit_ns, 100 + 3 - i);
	}
	assert_int_equal(corr.tot.unmatched_completions, 0);
}

/* ... and without kiocbs by file and offset, first in first out. */
static void test_out_of_order_by_offset(void **state)
{
	submit(100, 1, 3, 0, DS_DIO_AIO);
	submit(101, 1, 4, 0, DS_DIO_AIO);
	submit(102, 2, 3, 0, DS_DIO_AIO);	/* same offset, later */
	complete(200, WORKER, 4, 0);
	complete(210, WORKER, 3, 0);
	complete(220, WORKER, 3, 0);
	run();
	assert_int_equal(nout, 3);
	assert_int_equal(out[0].pos, 4 * BLK);
	assert_int_equal(out[1].tid, 1);	/* the earlier of block 3 */
	assert_int_equal(out[1].complete_ns, 210);
	assert_int_equal(out[2].tid, 2);
	assert_int_equal(out[2].complete_ns, 220);
}

/*
 * A merge removes the boundary an in-flight IO starts at; a split
 * recreates it while the IO is in flight: one churn pair, charged to it.
 */
static void test_merge_undone_by_split(void **state)
{
	const struct corr_io *a;

	submit(100, 1, 8, 0xa0, DS_DIO_AIO);
	submit(105, 2, 20, 0xa1, DS_DIO_AIO);
	/* another IO's work merges away block 8's left boundary */
	merge(150, 2, 8, 11);
	split(300, WORKER, 8, 13);
	map(310, WORKER, 8, DS_GET_BLOCKS_CONVERT, 40);
	complete(400, WORKER, 8, 0xa0);
	complete(410, WORKER, 20, 0xa1);
	run();
	a = io_at(8);
	assert_int_equal(a->count[DS_C_WASTED], 1);
	assert_int_equal(a->ns[DS_C_WASTED], 24);
	assert_int_equal(io_at(20)->count[DS_C_WASTED], 0);
	assert_int_equal(corr.tot.churn_pairs, 1);
	assert_int_equal(corr.tot.wasted_ns, 24);
	assert_int_equal(corr.tot.unpaired_merges, 0);
	assert_int_equal(corr.inodes[0].count[DS_C_WASTED], 1);
	assert_int_equal(corr.inodes[0].ns[DS_C_WASTED], 24);
}

/* The last event added spent off of its time switched out. */
static void offcpu(__u64 off, __u32 nested)
{
	ev[nev - 1].offcpu_ns = off;
	ev[nev - 1].nested = nested;
}

/*
 * Each call's time on the CPU is its wall time less the time its task
 * was switched out: per component, and for a churn pair its merge's and
 * its split's, with the traced calls nested in them beside.
 */
static void test_on_cpu_time(void **state)
{
	const struct corr_io *a;

	submit(100, 1, 8, 0xa0, DS_DIO_AIO);
	submit(105, 2, 20, 0xa1, DS_DIO_AIO);
	map(140, 1, 8, DS_GET_BLOCKS_PRE_IO | DS_GET_BLOCKS_CREATE, 40);
	offcpu(10, 0);
	merge(150, 2, 8, 11);
	offcpu(4, 1);
	split(300, WORKER, 8, 13);
	offcpu(6, 2);
	complete(400, WORKER, 8, 0xa0);
	complete(410, WORKER, 20, 0xa1);
	run();
	a = io_at(8);
	assert_int_equal(a->ns[DS_C_PRE_IO], 40);
	assert_int_equal(a->cpu_ns[DS_C_PRE_IO], 30);
	assert_int_equal(a->ns[DS_C_WASTED], 24);
	assert_int_equal(a->cpu_ns[DS_C_WASTED], 7 + 7);
	assert_int_equal(a->nested[DS_C_WASTED], 3);
	assert_int_equal(a->cpu_unknown, 0);
	assert_int_equal(corr.tot.wasted_cpu_ns, 14);
	assert_int_equal(corr.tot.wasted_nested, 3);
	assert_int_equal(corr.tot.wasted_cpu_unknown, 0);
	assert_int_equal(corr.inodes[0].cpu_ns[DS_C_SPLIT], 7);
}

/*
 * An IO's own kernel work: its iomap_begin and its end_io, which holds
 * the conversion (not counted twice), or the conversion where no end_io
 * holds it; unknown when one of them was timed without its time off the
 * CPU, whatever the other components say.
 */
static void test_io_work(void **state)
{
	struct corr_io io = { 0 };
	__u32 nested;
	__u64 cpu;

	io.count[DS_C_IOMAP_BEGIN] = 1;
	io.cpu_ns[DS_C_IOMAP_BEGIN] = 100;
	io.nested[DS_C_IOMAP_BEGIN] = 3;
	io.count[DS_C_CONVERT] = 1;
	io.cpu_ns[DS_C_CONVERT] = 40;
	io.nested[DS_C_CONVERT] = 2;
	io.cpu_ns[DS_C_PRE_IO] = 70;
	assert_true(corr_io_work(&io, &cpu, &nested));
	assert_int_equal(cpu, 140);
	assert_int_equal(nested, 5);

	io.count[DS_C_END_IO] = 1;
	io.cpu_ns[DS_C_END_IO] = 50;
	io.nested[DS_C_END_IO] = 4;
	assert_true(corr_io_work(&io, &cpu, &nested));
	assert_int_equal(cpu, 150);
	assert_int_equal(nested, 7);

	io.cpu_unknown = 1u << DS_C_SPLIT;
	assert_true(corr_io_work(&io, &cpu, &nested));
	io.cpu_unknown = 1u << DS_C_END_IO;
	assert_false(corr_io_work(&io, &cpu, &nested));
	io.cpu_unknown = 1u << DS_C_IOMAP_BEGIN;
	assert_false(corr_io_work(&io, &cpu, &nested));
}

/* A call whose time off the CPU was not measured is unknown, not 0. */
static void test_on_cpu_unknown(void **state)
{
	const struct corr_io *a;

	submit(100, 1, 8, 0xa0, DS_DIO_AIO);
	submit(105, 2, 20, 0xa1, DS_DIO_AIO);
	merge(150, 2, 8, 11);
	split(300, WORKER, 8, 13);
	offcpu(DS_OFFCPU_UNKNOWN, 0);
	complete(400, WORKER, 8, 0xa0);
	complete(410, WORKER, 20, 0xa1);
	run();
	a = io_at(8);
	assert_int_equal(a->count[DS_C_WASTED], 1);
	assert_true(a->cpu_unknown & (1u << DS_C_WASTED));
	assert_true(a->cpu_unknown & (1u << DS_C_SPLIT));
	assert_false(a->cpu_unknown & (1u << DS_C_MERGE));
	assert_int_equal(a->cpu_ns[DS_C_WASTED], 0);
	assert_int_equal(corr.tot.wasted_cpu_unknown, 1);
}

/*
 * A boundary two IOs need (one ends where the next begins): the pair is
 * charged to the IO the split is done for, when it is one of them.
 */
static void test_pair_charged_to_splitting_io(void **state)
{
	submit(100, 1, 8, 0xa0, DS_DIO_AIO);	/* blocks [8, 9) */
	submit(101, 1, 9, 0xa1, DS_DIO_AIO);	/* blocks [9, 10) */
	merge(150, 3, 9, 10);
	/* task 1's work at block 9 is for its latest IO there: [9, 10) */
	split(300, 1, 9, 5);
	complete(400, WORKER, 9, 0xa1);
	/*
	 * a split done for an IO that did not need the boundary (task 77's
	 * synchronous IO elsewhere) goes to the IO that needed it
	 */
	submit(430, 77, 50, 0, 0);
	merge(450, 3, 8, 10);
	split(460, 77, 8, 5);
	complete(470, 77, 50, 0);
	complete(500, WORKER, 8, 0xa0);
	run();
	assert_int_equal(corr.tot.churn_pairs, 2);
	assert_int_equal(io_at(9)->count[DS_C_WASTED], 1);
	assert_int_equal(io_at(9)->ns[DS_C_WASTED], 15);
	assert_int_equal(io_at(8)->count[DS_C_WASTED], 1);
	assert_int_equal(io_at(50)->count[DS_C_WASTED], 0);
	assert_int_equal(io_at(50)->count[DS_C_SPLIT], 1);
}

/*
 * Merges that are not waste: one removing a boundary no IO in flight
 * needs, one at the end of the IO's own conversion, one never re-split.
 */
static void test_merges_not_undone(void **state)
{
	submit(100, 1, 8, 0xa0, DS_DIO_AIO);
	merge(120, 2, 30, 7);			/* nobody's boundary */
	/* the IO's own conversion merges at its edges: its completion */
	merge(305, WORKER, 8, 3);
	merge(306, WORKER, 9, 3);
	map(310, WORKER, 8, DS_GET_BLOCKS_CONVERT, 20);
	split(320, WORKER, 8, 4);		/* not a pair any more */
	complete(400, WORKER, 8, 0xa0);
	submit(500, 1, 50, 0xa2, DS_DIO_AIO);
	merge(510, 2, 51, 7);			/* needed, never re-split */
	complete(600, WORKER, 50, 0xa2);
	run();
	assert_int_equal(corr.tot.churn_pairs, 0);
	assert_int_equal(corr.tot.wasted_ns, 0);
	assert_int_equal(corr.tot.unpaired_merges, 1);
	assert_int_equal(corr.tot.merges, 4);
	assert_int_equal(corr.tot.splits, 1);
	assert_int_equal(io_at(8)->count[DS_C_MERGE], 2);
}

/* A split after the IO completed is no longer for it. */
static void test_split_after_window(void **state)
{
	submit(100, 1, 8, 0xa0, DS_DIO_AIO);
	merge(150, 2, 8, 11);
	complete(200, WORKER, 8, 0xa0);
	split(300, WORKER, 8, 13);
	run();
	assert_int_equal(corr.tot.churn_pairs, 0);
	assert_int_equal(corr.tot.unpaired_merges, 1);
}

/*
 * Overlapping IOs on one inode: a task's work goes to its own IO, a
 * worker's to the earliest IO whose blocks it touches.
 */
static void test_overlapping_ios(void **state)
{
	struct ds_event *e;

	submit(100, 1, 10, 0xa0, DS_DIO_AIO);
	e = add(DS_EV_DIO_SUBMIT, 101, 2);	/* blocks [8, 12) over it */
	e->pos = 8 * BLK;
	e->len = 4 * BLK;
	e->flags = DS_DIO_WRITE | DS_DIO_AIO;
	e->aux0 = 0xa1;
	map(110, 2, 10, DS_GET_BLOCKS_PRE_IO, 5);	/* task 2: its own */
	map(120, 1, 10, DS_GET_BLOCKS_PRE_IO, 7);	/* task 1: its own */
	map(130, WORKER, 10, DS_GET_BLOCKS_CONVERT, 9);	/* earliest */
	map(140, WORKER, 8, DS_GET_BLOCKS_CONVERT, 11);	/* only the wide one */
	complete(200, WORKER, 10, 0xa0);
	e = add(DS_EV_DIO_COMPLETE, 210, WORKER);
	e->pos = 8 * BLK;
	e->aux0 = 0xa1;
	run();
	assert_int_equal(io_at(10)->ns[DS_C_PRE_IO], 7);
	assert_int_equal(io_at(10)->ns[DS_C_CONVERT_MAP], 9);
	assert_int_equal(io_at(8)->ns[DS_C_PRE_IO], 5);
	assert_int_equal(io_at(8)->ns[DS_C_CONVERT_MAP], 11);
	assert_int_equal(io_at(8)->len, 4 * BLK);
}

/*
 * Lost events: a completion without its submission is counted; an IO
 * whose kiocb, or whose synchronous task, goes on to the next IO lost its
 * completion; an IO still open at the end is emitted as open. None is
 * paired with the wrong completion.
 */
static void test_lost_events(void **state)
{
	complete(50, WORKER, 1, 0xc0);		/* submission lost */
	submit(100, 1, 2, 0xa0, DS_DIO_AIO);	/* completion lost */
	submit(200, 1, 3, 0xa0, DS_DIO_AIO);	/* same kiocb again */
	complete(250, WORKER, 3, 0xa0);
	submit(300, 5, 4, 0, 0);		/* sync, completion lost */
	submit(310, 5, 6, 0, 0);		/* the same task again */
	complete(320, 5, 6, 0);
	submit(400, 6, 7, 0xd0, DS_DIO_AIO);	/* never completes */
	run();
	assert_int_equal(corr.tot.unmatched_completions, 1);
	assert_int_equal(corr.tot.superseded, 2);
	assert_int_equal(corr.tot.open_at_end, 1);
	assert_int_equal(corr.tot.done, 2);
	assert_int_equal(io_at(2)->state, CORR_IO_SUPERSEDED);
	assert_int_equal(io_at(3)->state, CORR_IO_DONE);
	assert_int_equal(io_at(3)->complete_ns, 250);
	assert_int_equal(io_at(4)->state, CORR_IO_SUPERSEDED);
	assert_int_equal(io_at(6)->complete_ns, 320);
	assert_int_equal(io_at(7)->state, CORR_IO_OPEN);
}

/* More IOs in flight than the pool holds: the oldest goes, as lost. */
static void test_pool_full(void **state)
{
	int i;

	correlator_free(&corr);
	assert_int_equal(correlator_init(&corr, 12, 4, collect, NULL), 0);
	for (i = 0; i < 6; i++)
		submit(100 + i, 1, i, 0xe0 + i, DS_DIO_AIO);
	for (i = 0; i < 6; i++)
		complete(200 + i, WORKER, i, 0xe0 + i);
	run();
	assert_int_equal(nout, 6);
	assert_int_equal(corr.tot.superseded, 2);
	assert_int_equal(corr.tot.done, 4);
	assert_int_equal(corr.tot.unmatched_completions, 2);
	assert_int_equal(io_at(0)->state, CORR_IO_SUPERSEDED);
	assert_int_equal(io_at(5)->state, CORR_IO_DONE);
}

static struct ds_event sorted[MAX_EV];
static int nsorted;

static int keep(void *ctx, const struct ds_event *e)
{
	sorted[nsorted++] = *e;
	return 0;
}

/* Events shuffled within the window come out in time order. */
static void test_reorder_window(void **state)
{
	struct corr_order o;
	int i;

	nsorted = 0;
	assert_int_equal(corr_order_init(&o, 8, keep, NULL), 0);
	for (i = 0; i < 40; i++) {
		/* pairs swapped, and every tenth three places late */
		__u64 ts = 1000 + 10 * (i ^ 1) - (i % 10 == 9 ? 25 : 0);
		struct ds_event *e = add(i % 3 ? DS_EV_MAP_BLOCKS :
					 DS_EV_DIO_SUBMIT, ts, 1);

		assert_int_equal(corr_order_add(&o, e), 0);
	}
	assert_int_equal(corr_order_flush(&o), 0);
	assert_int_equal(nsorted, 40);
	for (i = 1; i < 40; i++)
		assert_true(corr_order_cmp(&sorted[i - 1], &sorted[i]) <= 0);
	assert_int_equal(o.late, 0);
	/* older than what already left: late, still passed on */
	nev = 0;
	assert_int_equal(corr_order_add(&o, add(DS_EV_MAP_BLOCKS, 5, 1)), 0);
	assert_int_equal(o.late, 1);
	assert_int_equal(corr_order_flush(&o), 0);
	assert_int_equal(nsorted, 41);
	corr_order_free(&o);
}

/*
 * Input far out of order (blocks of the window's size, each reversed)
 * goes through the heap rather than being shifted into place, and still
 * comes out in time order.
 */
static void test_reorder_far(void **state)
{
	struct corr_order o;
	int i;

	nsorted = 0;
	nev = 0;
	assert_int_equal(corr_order_init(&o, 32, keep, NULL), 0);
	for (i = 0; i < 256; i++) {
		__u64 ts = 1000 + 10 * ((i / 32) * 32 + 31 - i % 32);

		assert_int_equal(corr_order_add(&o, add(DS_EV_MAP_BLOCKS, ts, 1)), 0);
	}
	assert_int_equal(corr_order_flush(&o), 0);
	assert_int_equal(nsorted, 256);
	for (i = 1; i < 256; i++)
		assert_true(corr_order_cmp(&sorted[i - 1], &sorted[i]) <= 0);
	assert_true(o.far > 0);
	assert_int_equal(o.late, 0);
	corr_order_free(&o);
}

/* Event i of a stream both near and far out of order. */
static __u64 shuffled_ts(int i)
{
	return i % 64 < 32 ? 1000 + 10 * (i ^ 1) :
	       1000 + 10 * ((i / 32) * 32 + 31 - i % 32);
}

/*
 * Events made in place (slot, filled, committed) come out as those
 * handed over whole; a slot filled but not committed is not taken.
 */
static void test_reorder_in_place(void **state)
{
	static struct ds_event whole[MAX_EV];
	struct corr_order o;
	struct ds_event *slot;
	int i, err, n = 200;

	nsorted = 0;
	nev = 0;
	assert_int_equal(corr_order_init(&o, 16, keep, NULL), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(corr_order_add(&o, add(DS_EV_MAP_BLOCKS,
							shuffled_ts(i), i)), 0);
	assert_int_equal(corr_order_flush(&o), 0);
	corr_order_free(&o);
	assert_int_equal(nsorted, n);
	memcpy(whole, sorted, n * sizeof(*sorted));

	nsorted = 0;
	nev = 0;
	assert_int_equal(corr_order_init(&o, 16, keep, NULL), 0);
	for (i = 0; i < n; i++) {
		slot = corr_order_slot(&o, &err);
		assert_int_equal(err, 0);
		if (i % 7 == 3) {
			/* read, then refused: never passed on */
			*slot = *add(DS_EV_MAP_BLOCKS, 1, 99);
			slot = corr_order_slot(&o, &err);
			assert_int_equal(err, 0);
		}
		*slot = *add(DS_EV_MAP_BLOCKS, shuffled_ts(i), i);
		corr_order_commit(&o);
	}
	assert_int_equal(corr_order_flush(&o), 0);
	assert_true(o.far > 0);
	assert_int_equal(nsorted, n);
	for (i = 0; i < n; i++)
		assert_memory_equal(&sorted[i], &whole[i], sizeof(*sorted));
	corr_order_free(&o);
}

/* At the same instant, a window opens before what happens in it. */
static void test_same_instant(void **state)
{
	struct ds_event a = { .ts_ns = 5, .type = DS_EV_MAP_BLOCKS };
	struct ds_event b = { .ts_ns = 5, .type = DS_EV_DIO_SUBMIT };

	assert_true(corr_order_cmp(&b, &a) < 0);
	assert_true(corr_order_cmp(&a, &b) > 0);
	assert_int_equal(corr_order_cmp(&a, &a), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_synchronous_io, setup, teardown),
		cmocka_unit_test_setup_teardown(test_workqueue_completion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_order_by_iocb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_task_filter_sets_aside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_task_filter_counts_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_order_by_offset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_on_cpu_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_on_cpu_unknown, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_merge_undone_by_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pair_charged_to_splitting_io, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merges_not_undone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_after_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlapping_ios, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pool_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reorder_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reorder_far, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reorder_in_place, setup, teardown),
		cmocka_unit_test(test_same_instant),
		cmocka_unit_test(test_io_work),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
