// SPDX-License-Identifier: GPL-2.0
/*
 * The churn model on the event sequences of 7.x and of writeback: a merge
 * that removes a boundary an in-flight IO's pending conversion needs, and
 * the split that recreates it, with who did the merge; completion splits
 * counted apart, churn or not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#define MAX_EV 128
#include "corr_fixture.h"

/* An AIO direct write of one block at blk. */
static void submit(__u64 ts, __u32 tid, __u64 blk, __u64 iocb)
{
	struct ds_event *e = add(DS_EV_DIO_SUBMIT, ts, tid);

	e->pos = blk * BLK;
	e->len = BLK;
	e->flags = DS_DIO_WRITE | DS_DIO_AIO;
	e->aux0 = iocb;
}

static void map(__u64 ts, __u32 tid, __u64 blk, __u64 n, __u32 flags,
		__u64 mflags, __u64 dur)
{
	struct ds_event *e = add(DS_EV_MAP_BLOCKS, ts, tid);

	e->pos = blk;
	e->len = n;
	e->flags = flags;
	e->aux0 = mflags;
	e->dur_ns = dur;
	e->ret = n;
}

static void merge(__u64 ts, __u32 tid, __u64 boundary, __u32 flags, __u64 dur)
{
	struct ds_event *e = add(DS_EV_MERGE, ts, tid);

	e->pos = boundary;
	e->flags = DS_MERGE_DONE | flags;
	e->dur_ns = dur;
}

static void wb_map(__u64 ts, __u32 tid, __u64 blk, __u64 n)
{
	struct ds_event *e = add(DS_EV_WB_MAP, ts, tid);

	e->pos = blk;
	e->len = n;
}

static void op(__u16 type, __u64 ts, __u32 tid, __u64 kind)
{
	add(type, ts, tid)->aux0 = kind;
}

static const struct corr_io *io_at(__u64 blk, enum corr_source src)
{
	int i;

	for (i = 0; i < nout; i++)
		if (out[i].pos == blk * BLK && out[i].source == src)
			return &out[i];
	fail_msg("no IO at block %llu", (unsigned long long)blk);
	return NULL;
}

#define UNWRIT (DS_MERGE_LEFT_UNWRITTEN | DS_MERGE_RIGHT_UNWRITTEN)
#define ALLOC_7X (DS_GET_BLOCKS_CREATE | DS_GET_BLOCKS_UNWRIT_EXT)

/*
 * 7.x, sequential writes into holes: B's new unwritten extent is appended
 * on insertion to A's piece, still in flight; A's completion splits it
 * off again. One churn pair, charged to A, merged by a direct write; the
 * split is a completion split too.
 */
static void test_7x_insert_merge_undone_at_completion(void **state)
{
	const struct corr_io *a, *b;

	submit(100, 1, 8, 0xa0);
	map(120, 1, 8, 1, ALLOC_7X, DS_MAP_NEW | DS_MAP_UNWRITTEN, 10);
	submit(130, 2, 9, 0xa1);
	/* the insert-time event, as bpf/insert_merge.bpf.c makes it */
	merge(145, 2, 9, DS_MERGE_INSERT | DS_MERGE_EXACT, 4);
	map(150, 2, 9, 1, ALLOC_7X, DS_MAP_NEW | DS_MAP_UNWRITTEN, 15);
	/* A's conversion in a kworker: [8, 10) must be cut at 9 */
	split(300, WORKER, 9, 13);
	map(310, WORKER, 8, 1, DS_GET_BLOCKS_CONVERT, 0, 40);
	complete(320, WORKER, 8, 0xa0);
	/* B's conversion finds its extent alone: no split */
	map(400, WORKER, 9, 1, DS_GET_BLOCKS_CONVERT, 0, 30);
	complete(410, WORKER, 9, 0xa1);
	run();
	a = io_at(8, CORR_SRC_DIO);
	b = io_at(9, CORR_SRC_DIO);
	assert_int_equal(corr.tot.churn_pairs, 1);
	assert_int_equal(corr.tot.wasted_ns, 17);
	assert_int_equal(corr.tot.completion_splits, 1);
	assert_int_equal(corr.tot.churn_by_op[CORR_OP_DIO], 1);
	assert_int_equal(a->count[DS_C_WASTED], 1);
	assert_int_equal(a->merge_op, CORR_OP_DIO);
	assert_int_equal(a->count[DS_C_COMPLETION_SPLIT], 1);
	assert_int_equal(a->ns[DS_C_COMPLETION_SPLIT], 13);
	assert_int_equal(b->count[DS_C_WASTED], 0);
	assert_int_equal(b->merge_op, CORR_OP_NONE);
	assert_int_equal(corr.tot.unpaired_merges, 0);
}

/*
 * 7.x, a write into a fallocated extent: no split at submission, two at
 * completion. Nothing was merged: the work moved, it was not wasted.
 */
static void test_7x_moved_split_is_not_churn(void **state)
{
	const struct corr_io *a;

	submit(100, 1, 8, 0xa0);
	map(120, 1, 8, 1, ALLOC_7X, DS_MAP_UNWRITTEN, 10);
	split(290, WORKER, 8, 9);
	split(300, WORKER, 9, 8);
	map(310, WORKER, 8, 1, DS_GET_BLOCKS_CONVERT, 0, 40);
	complete(320, WORKER, 8, 0xa0);
	run();
	a = io_at(8, CORR_SRC_DIO);
	assert_int_equal(corr.tot.churn_pairs, 0);
	assert_int_equal(corr.tot.completion_splits, 2);
	assert_int_equal(corr.tot.splits, 2);
	assert_int_equal(a->count[DS_C_COMPLETION_SPLIT], 2);
	assert_int_equal(a->ns[DS_C_COMPLETION_SPLIT], 17);
	assert_int_equal(a->count[DS_C_WASTED], 0);
}

/* A split outside any conversion (before the IO) is not a completion one. */
static void test_submission_split_is_not_completion(void **state)
{
	submit(100, 1, 8, 0xa0);
	split(110, 1, 8, 5);
	map(120, 1, 8, 1, DS_GET_BLOCKS_CREATE | DS_GET_BLOCKS_PRE_IO,
	    DS_MAP_UNWRITTEN, 30);
	map(310, WORKER, 8, 1, DS_GET_BLOCKS_CONVERT, 0, 40);
	complete(320, WORKER, 8, 0xa0);
	run();
	assert_int_equal(corr.tot.splits, 1);
	assert_int_equal(corr.tot.completion_splits, 0);
	assert_int_equal(io_at(8, CORR_SRC_DIO)->count[DS_C_SPLIT], 1);
}

/*
 * Writeback (dioread_nolock) maps block 16 unwritten; ZERO_RANGE of the
 * written chunk after it makes that unwritten and merges it with the
 * in-flight piece; the io_end's conversion splits it off again.
 */
static void test_writeback_zero_range_churn(void **state)
{
	const struct corr_io *w;

	wb_map(100, 5, 16, 1);
	split(105, 5, 16, 6);	/* the PRE_IO split at submission */
	map(110, 5, 16, 1, DS_GET_BLOCKS_CREATE | DS_GET_BLOCKS_PRE_IO |
	    DS_GET_BLOCKS_IO_SUBMIT, DS_MAP_UNWRITTEN, 12);
	op(DS_EV_OP_BEGIN, 120, 6, DS_OP_ZERO_RANGE);
	merge(130, 6, 17, UNWRIT, 7);
	op(DS_EV_OP_END, 140, 6, DS_OP_ZERO_RANGE);
	split(200, WORKER, 17, 9);
	/* 6.18 passes IO_SUBMIT with writeback's conversion as well */
	map(210, WORKER, 16, 1, DS_GET_BLOCKS_CONVERT | DS_GET_BLOCKS_IO_SUBMIT,
	    0, 20);
	run();
	w = io_at(16, CORR_SRC_WRITEBACK);
	assert_int_equal(corr.tot.wb_ios, 1);
	assert_int_equal(corr.tot.churn_pairs, 1);
	assert_int_equal(corr.tot.churn_by_op[CORR_OP_ZERO_RANGE], 1);
	assert_int_equal(corr.tot.completion_splits, 1);
	assert_int_equal(w->state, CORR_IO_DONE);
	assert_int_equal(w->submit_ns, 100);
	assert_int_equal(w->complete_ns, 210);
	assert_int_equal(w->len, BLK);
	assert_int_equal(w->merge_op, CORR_OP_ZERO_RANGE);
	assert_int_equal(w->count[DS_C_WASTED], 1);
	assert_int_equal(w->ns[DS_C_WASTED], 16);
	/* its own submission split and its conversion are its work */
	assert_int_equal(w->count[DS_C_SPLIT], 2);
	assert_int_equal(w->count[DS_C_CONVERT_MAP], 1);
}

/*
 * fallocate appending next to a writeback piece in flight merges it; after
 * the fallocate, the same task's merges are its writeback's again.
 */
static void test_writeback_fallocate_ahead(void **state)
{
	wb_map(100, 5, 16, 16);
	map(110, 5, 16, 16, DS_GET_BLOCKS_CREATE | DS_GET_BLOCKS_PRE_IO |
	    DS_GET_BLOCKS_IO_SUBMIT, DS_MAP_UNWRITTEN | DS_MAP_NEW, 12);
	op(DS_EV_OP_BEGIN, 120, 5, DS_OP_ALLOCATE);
	merge(130, 5, 32, UNWRIT | DS_MERGE_INSERT, 7);
	op(DS_EV_OP_END, 140, 5, DS_OP_ALLOCATE);
	split(200, WORKER, 32, 9);
	map(210, WORKER, 16, 16, DS_GET_BLOCKS_CONVERT, 0, 20);
	run();
	assert_int_equal(corr.tot.churn_pairs, 1);
	assert_int_equal(corr.tot.churn_by_op[CORR_OP_FALLOCATE], 1);
	assert_int_equal(io_at(16, CORR_SRC_WRITEBACK)->merge_op,
			 CORR_OP_FALLOCATE);
}

/*
 * A writeback IO over written blocks has no conversion: done at its
 * mapping, so a later merge and split at its edge are nobody's waste. A
 * mapping the extent status cache answered (no ext4_ext_map_blocks) is
 * done when the task maps its next extent.
 */
static void test_writeback_without_conversion(void **state)
{
	wb_map(100, 5, 16, 1);
	map(110, 5, 16, 1, DS_GET_BLOCKS_CREATE | DS_GET_BLOCKS_IO_SUBMIT,
	    DS_MAP_MAPPED, 12);
	merge(130, 6, 17, UNWRIT, 7);
	split(200, WORKER, 17, 9);
	wb_map(300, 5, 40, 2);
	wb_map(310, 5, 50, 1);
	run();
	assert_int_equal(corr.tot.churn_pairs, 0);
	assert_int_equal(corr.tot.wb_ios, 3);
	assert_int_equal(io_at(16, CORR_SRC_WRITEBACK)->complete_ns, 110);
	assert_int_equal(io_at(40, CORR_SRC_WRITEBACK)->state, CORR_IO_DONE);
	assert_int_equal(io_at(40, CORR_SRC_WRITEBACK)->complete_ns, 310);
	assert_int_equal(io_at(50, CORR_SRC_WRITEBACK)->state, CORR_IO_OPEN);
}

/*
 * Written extents merging at an in-flight IO's edge take no unwritten
 * piece away: not waste, even when a split there follows.
 */
static void test_written_merge_is_not_waste(void **state)
{
	submit(100, 1, 8, 0xa0);
	merge(150, 2, 8, 0, 5);
	split(300, WORKER, 8, 7);
	map(310, WORKER, 8, 1, DS_GET_BLOCKS_CONVERT, 0, 40);
	complete(320, WORKER, 8, 0xa0);
	run();
	assert_int_equal(corr.tot.churn_pairs, 0);
	assert_int_equal(corr.tot.unpaired_merges, 0);
}

/* A direct completion at a writeback IO's offset is not its completion. */
static void test_dio_completion_skips_writeback(void **state)
{
	wb_map(100, 5, 8, 1);
	map(110, 5, 8, 1, DS_GET_BLOCKS_IO_SUBMIT | DS_GET_BLOCKS_CREATE,
	    DS_MAP_UNWRITTEN, 5);
	complete(200, 1, 8, 0);
	run();
	assert_int_equal(corr.tot.unmatched_completions, 1);
	assert_int_equal(io_at(8, CORR_SRC_WRITEBACK)->state, CORR_IO_OPEN);
}

static void test_names(void **state)
{
	assert_string_equal(corr_op_name(CORR_OP_ZERO_RANGE), "zero-range");
	assert_string_equal(corr_op_name(CORR_OP_NONE), "");
	assert_string_equal(corr_source_name(CORR_SRC_WRITEBACK), "writeback");
	assert_string_equal(component_name(DS_C_COMPLETION_SPLIT),
			    "completion_split");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_7x_insert_merge_undone_at_completion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_7x_moved_split_is_not_churn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_submission_split_is_not_completion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writeback_zero_range_churn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writeback_fallocate_ahead, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writeback_without_conversion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_written_merge_is_not_waste, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dio_completion_skips_writeback, setup, teardown),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
