// SPDX-License-Identifier: GPL-2.0
/*
 * The numbers of `dioscope top`: rates over an interval, conversion
 * latency percentiles, the bounded inode table, DIO windows and live
 * churn pairs, fed with made-up events.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "trace/planner.h"
#include "top/agg.h"

#define DEV ((7u << 20) | 3)
#define T0 1000000000ULL
#define MS 1000000ULL
#define IOMAP_WRITE 1u
/* a merge done between an unwritten extent and its neighbour */
#define UNWR_MERGE (DS_MERGE_DONE | DS_MERGE_LEFT_UNWRITTEN)

static __u64 clock_ns = T0;

static struct ds_event ev(unsigned int type, __u64 ino, __u64 pos, __u64 len)
{
	struct ds_event e;

	memset(&e, 0, sizeof(e));
	e.type = type;
	e.dev = DEV;
	e.ino = ino;
	e.pos = pos;
	e.len = len;
	e.ts_ns = clock_ns++;
	return e;
}

static void caps_all(struct top_caps *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < TOP_C_MAX; i++)
		c->col[i] = true;
}

static void agg_new(struct top_agg *a, unsigned int inodes,
		    unsigned int windows)
{
	struct top_agg_conf conf = { .inodes = inodes, .windows = windows };
	struct top_caps caps;

	caps_all(&caps);
	assert_int_equal(top_agg_init(a, &conf, &caps, T0), 0);
}

static void add(struct top_agg *a, struct ds_event e)
{
	top_agg_add(a, &e);
}

static void map_blocks(struct top_agg *a, __u64 ino, __u32 flags, __u64 dur)
{
	struct ds_event e = ev(DS_EV_MAP_BLOCKS, ino, 0, 1);

	e.flags = flags;
	e.dur_ns = dur;
	e.ret = 1;
	add(a, e);
}

static void submit(struct top_agg *a, __u64 ino, __u64 pos, __u64 len,
		   __u32 flags)
{
	struct ds_event e = ev(DS_EV_DIO_SUBMIT, ino, pos, len);

	e.flags = flags;
	add(a, e);
}

static void complete(struct top_agg *a, __u64 ino, __u64 pos, __u64 len,
		     __u32 flags)
{
	struct ds_event e = ev(DS_EV_DIO_COMPLETE, ino, pos, len);

	e.flags = flags;
	add(a, e);
}

static void merge(struct top_agg *a, __u64 ino, __u64 lblk, __u32 flags,
		  __u64 dur)
{
	struct ds_event e = ev(DS_EV_MERGE, ino, lblk, 4);

	e.flags = flags | DS_MERGE_EXACT;
	e.dur_ns = dur;
	add(a, e);
}

static void split(struct top_agg *a, __u64 ino, __u64 lblk, __u64 dur,
		  __s64 ret)
{
	struct ds_event e = ev(DS_EV_SPLIT, ino, lblk, 8);

	e.dur_ns = dur;
	e.ret = ret;
	add(a, e);
}

/* The totals row of one inode; fails the test when it is not there. */
static struct top_row total_of(struct top_agg *a, __u64 ino)
{
	static struct top_row rows[4096];
	struct top_row all;
	int n, i;

	n = top_agg_totals(a, clock_ns, rows, 4096, &all);
	for (i = 0; i < n; i++) {
		if (rows[i].ino == ino)
			return rows[i];
	}
	fail_msg("inode %llu has no row", (unsigned long long)ino);
	return all;
}

static struct top_row all_totals(struct top_agg *a)
{
	struct top_row rows[64], all;

	top_agg_totals(a, clock_ns, rows, 64, &all);
	return all;
}

/* ---- rates and percentiles ----------------------------------------- */

static void test_rate(void **state)
{
	assert_true(top_rate(50, 500 * MS) == 100.0);
	assert_true(top_rate(3, 2000 * MS) == 1.5);
	assert_true(top_rate(0, 1000 * MS) == 0.0);
	/* an interval of no length has no rate, not a division by zero */
	assert_true(top_rate(5, 0) == 0.0);
}

static void test_lat_buckets(void **state)
{
	unsigned int prev = 0, b;
	__u64 v;

	for (v = 0; v < 8; v++)
		assert_int_equal(top_lat_bucket(v), v);
	for (v = 1; v < (1ULL << 36); v = v * 5 / 4 + 1) {
		b = top_lat_bucket(v);
		assert_true(b >= prev);
		assert_true(b < TOP_LAT_BUCKETS);
		prev = b;
	}
	assert_int_equal(top_lat_bucket(1ULL << 50), TOP_LAT_BUCKETS - 1);
	assert_int_equal(top_lat_bucket(~0ULL), TOP_LAT_BUCKETS - 1);
}

static void assert_near(__u64 got, __u64 want)
{
	/* half a bucket: 1/16 of the value */
	if (got * 16 < want * 15 || got * 16 > want * 17)
		fail_msg("%llu is not within 1/16 of %llu",
			 (unsigned long long)got, (unsigned long long)want);
}

static void test_percentiles(void **state)
{
	struct top_lat lat = { 0 }, *h = &lat;
	__u64 i;

	assert_int_equal(top_lat_pct(h, 50), 0);
	for (i = 1; i <= 1000; i++)
		top_lat_add(h, i * 1000);
	assert_near(top_lat_pct(h, 50), 500000);
	assert_near(top_lat_pct(h, 99), 990000);
	assert_near(top_lat_pct(h, 90), 900000);
	/* the extremes are exact */
	assert_int_equal(top_lat_pct(h, 100), 1000000);
	assert_int_equal(top_lat_pct(h, 0), 1000);
}

static void test_percentile_single_and_tail(void **state)
{
	struct top_lat lat = { 0 }, *h = &lat;
	int i;

	top_lat_add(h, 1234);
	assert_int_equal(top_lat_pct(h, 50), 1234);
	assert_int_equal(top_lat_pct(h, 99), 1234);
	memset(h, 0, sizeof(*h));
	/* nearest rank: the 99th of 100 values is the 99th smallest */
	for (i = 0; i < 99; i++)
		top_lat_add(h, 1000);
	top_lat_add(h, 5000000);
	assert_int_equal(top_lat_pct(h, 99), 1000);
	assert_int_equal(top_lat_pct(h, 99.5), 5000000);
	/* in between, the middle of the value's bucket */
	top_lat_add(h, 5000000);
	assert_near(top_lat_pct(h, 99), 5000000);
	assert_true(top_lat_pct(h, 99) != 5000000);
}

/* ---- intervals ------------------------------------------------------ */

static void test_interval_rates(void **state)
{
	struct top_row rows[8], all;
	struct top_agg a;
	int i, n;

	agg_new(&a, 0, 0);
	for (i = 0; i < 10; i++) {
		submit(&a, 12, i * 4096, 4096, DS_DIO_WRITE);
		map_blocks(&a, 12, DS_GET_BLOCKS_PRE_IO, 3000);
		map_blocks(&a, 12, DS_GET_BLOCKS_CONVERT, 2000);
		complete(&a, 12, i * 4096, 4096, DS_DIO_WRITE);
	}
	submit(&a, 13, 0, 4096, 0);
	complete(&a, 13, 0, 4096, 0);
	n = top_agg_tick(&a, T0 + 2000 * MS, rows, 8, &all);
	assert_int_equal(n, 2);
	top_sort(rows, n, TOP_SORT_INODE);
	assert_int_equal(rows[0].ino, 12);
	assert_int_equal(rows[0].span_ns, 2000 * MS);
	assert_int_equal(rows[0].n[TOP_N_WRITES], 10);
	assert_true(top_rate(rows[0].n[TOP_N_WRITES], rows[0].span_ns) == 5.0);
	assert_int_equal(rows[0].n[TOP_N_PRE_IO], 10);
	assert_int_equal(rows[0].n[TOP_N_CONV], 10);
	assert_int_equal(rows[0].n[TOP_N_READS], 0);
	assert_int_equal(rows[0].p50_ns, 2000);
	assert_int_equal(rows[1].n[TOP_N_READS], 1);
	assert_int_equal(all.n[TOP_N_WRITES], 10);
	assert_int_equal(all.n[TOP_N_READS], 1);
	assert_int_equal(all.events, 42);

	/* a quiet interval: no inode row, the counts start again */
	map_blocks(&a, 13, DS_GET_BLOCKS_CONVERT, 4000);
	n = top_agg_tick(&a, T0 + 3000 * MS, rows, 8, &all);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].ino, 13);
	assert_int_equal(rows[0].span_ns, 1000 * MS);
	assert_int_equal(rows[0].n[TOP_N_CONV], 1);
	assert_int_equal(rows[0].p50_ns, 4000);
	assert_int_equal(all.n[TOP_N_WRITES], 0);
	n = top_agg_tick(&a, T0 + 4000 * MS, rows, 8, &all);
	assert_int_equal(n, 0);
	assert_int_equal(all.events, 0);

	/* and the totals keep everything */
	assert_int_equal(total_of(&a, 12).n[TOP_N_CONV], 10);
	assert_int_equal(all_totals(&a).n[TOP_N_CONV], 11);
	assert_int_equal(all_totals(&a).events, 43);
	top_agg_free(&a);
}

static void test_unwritten_is_cumulative(void **state)
{
	struct top_row rows[4], all;
	struct ds_event e;
	struct top_agg a;

	agg_new(&a, 0, 0);
	a.caps.unwritten_from_iomap = true;
	e = ev(DS_EV_IOMAP_BEGIN, 12, 0, 4096);
	e.aux0 = DS_IOMAP_UNWRITTEN;
	add(&a, e);
	add(&a, e);
	e.aux0 = DS_IOMAP_MAPPED;
	add(&a, e);
	top_agg_tick(&a, T0 + 1000 * MS, rows, 4, &all);
	e.aux0 = DS_IOMAP_UNWRITTEN;
	add(&a, e);
	assert_int_equal(top_agg_tick(&a, T0 + 2000 * MS, rows, 4, &all), 1);
	assert_int_equal(rows[0].n[TOP_N_UNWRITTEN], 1);
	assert_int_equal(rows[0].unwritten_total, 3);
	top_agg_free(&a);
}

/* ---- DIO windows ---------------------------------------------------- */

static void test_write_inferred_from_mapping(void **state)
{
	struct ds_event e;
	struct top_agg a;

	agg_new(&a, 0, 0);
	/* tracepoints that cannot tell the direction at submission */
	submit(&a, 12, 8192, 4096, 0);
	e = ev(DS_EV_IOMAP_BEGIN, 12, 8192, 4096);
	e.flags = IOMAP_WRITE | (1u << 4);
	add(&a, e);
	complete(&a, 12, 8192, 4096, 0);
	/* a read maps without IOMAP_WRITE */
	submit(&a, 12, 0, 4096, 0);
	e = ev(DS_EV_IOMAP_BEGIN, 12, 0, 4096);
	e.flags = 1u << 4;
	add(&a, e);
	complete(&a, 12, 0, 4096, 0);
	assert_int_equal(total_of(&a, 12).n[TOP_N_WRITES], 1);
	assert_int_equal(total_of(&a, 12).n[TOP_N_READS], 1);
	top_agg_free(&a);
}

static void test_dio_at_submit_without_completions(void **state)
{
	struct top_agg a;

	agg_new(&a, 0, 0);
	a.caps.dio_at_submit = true;
	submit(&a, 12, 0, 4096, DS_DIO_WRITE);
	submit(&a, 12, 4096, 4096, 0);
	assert_int_equal(total_of(&a, 12).n[TOP_N_WRITES], 1);
	assert_int_equal(total_of(&a, 12).n[TOP_N_READS], 1);
	top_agg_free(&a);
}

/* ---- bounded memory ------------------------------------------------- */

static void test_eviction_least_recent(void **state)
{
	struct top_row rows[8], all;
	struct top_agg a;
	int n, i;

	agg_new(&a, 4, 0);
	for (i = 1; i <= 4; i++)
		map_blocks(&a, i, DS_GET_BLOCKS_PRE_IO, 0);
	map_blocks(&a, 1, DS_GET_BLOCKS_PRE_IO, 0);	/* 2 is now oldest */
	map_blocks(&a, 5, DS_GET_BLOCKS_PRE_IO, 0);
	assert_int_equal(top_agg_tracked(&a), 4);
	assert_int_equal(a.evicted, 1);
	n = top_agg_totals(&a, clock_ns, rows, 8, &all);
	assert_int_equal(n, 4);
	top_sort(rows, n, TOP_SORT_INODE);
	assert_int_equal(rows[0].ino, 1);
	assert_int_equal(rows[0].n[TOP_N_PRE_IO], 2);
	assert_int_equal(rows[1].ino, 3);
	assert_int_equal(rows[3].ino, 5);
	/* what the evicted inode did is still in the row of all inodes */
	assert_int_equal(all.n[TOP_N_PRE_IO], 6);
	/* it comes back with a fresh count */
	map_blocks(&a, 2, DS_GET_BLOCKS_PRE_IO, 0);
	assert_int_equal(total_of(&a, 2).n[TOP_N_PRE_IO], 1);
	assert_int_equal(a.evicted, 2);
	top_agg_free(&a);
}

static void test_many_inodes_stay_bounded(void **state)
{
	struct top_agg a;
	__u64 i;

	agg_new(&a, 0, 0);
	for (i = 1; i <= 20000; i++) {
		submit(&a, i, 0, 4096, DS_DIO_WRITE);
		complete(&a, i, 0, 4096, DS_DIO_WRITE);
	}
	assert_int_equal(top_agg_tracked(&a), 4096);
	assert_int_equal(a.evicted, 20000 - 4096);
	assert_int_equal(all_totals(&a).n[TOP_N_WRITES], 20000);
	/* the latest ones are there, findable after all the moving */
	for (i = 20000 - 4095; i <= 20000; i += 97)
		assert_int_equal(total_of(&a, i).n[TOP_N_WRITES], 1);
	top_agg_free(&a);
}

/* ---- churn pairs ---------------------------------------------------- */

/* A 16 KiB write at block 10: it needs boundaries 10 and 14. */
static void open_window(struct top_agg *a, __u64 ino)
{
	submit(a, ino, 10 * 4096, 4 * 4096, DS_DIO_WRITE);
	split(a, ino, 14, 900, 0);	/* the PRE_IO split: not churn */
}

static void test_churn_pair(void **state)
{
	struct top_agg a;
	struct top_row r;

	agg_new(&a, 0, 0);
	open_window(&a, 12);
	merge(&a, 12, 14, UNWR_MERGE, 3000);
	split(&a, 12, 14, 5000, 0);
	complete(&a, 12, 10 * 4096, 4 * 4096, DS_DIO_WRITE);
	r = total_of(&a, 12);
	assert_int_equal(r.n[TOP_N_CHURN], 1);
	assert_int_equal(r.n[TOP_N_WASTE_NS], 8000);
	/* neither switched out: all of it on the CPU */
	assert_int_equal(r.n[TOP_N_WASTE_CPU_NS], 8000);
	assert_int_equal(r.n[TOP_N_MERGES], 1);
	/* the start of the window counts the same */
	open_window(&a, 12);
	merge(&a, 12, 10, UNWR_MERGE, 1000);
	split(&a, 12, 10, 1000, 0);
	assert_int_equal(total_of(&a, 12).n[TOP_N_CHURN], 2);
	assert_int_equal(total_of(&a, 12).n[TOP_N_WASTE_NS], 10000);
	/* one merge, one pair: a second split is not churn again */
	split(&a, 12, 10, 1000, 0);
	assert_int_equal(total_of(&a, 12).n[TOP_N_CHURN], 2);
	top_agg_free(&a);
}

/*
 * Writeback churn: writeback maps blocks [16, 17) unwritten, ZERO_RANGE
 * merges the next chunk into it, the io_end's conversion splits it off.
 */
static void test_writeback_churn(void **state)
{
	struct top_agg a;
	struct ds_event e;

	agg_new(&a, 0, 0);
	add(&a, ev(DS_EV_WB_MAP, 12, 16, 1));
	e = ev(DS_EV_MAP_BLOCKS, 12, 16, 1);
	e.flags = DS_GET_BLOCKS_CREATE | DS_GET_BLOCKS_PRE_IO |
		  DS_GET_BLOCKS_IO_SUBMIT;
	e.aux0 = DS_MAP_UNWRITTEN;
	e.ret = 1;
	add(&a, e);
	merge(&a, 12, 17, UNWR_MERGE, 3000);
	split(&a, 12, 17, 5000, 0);
	e = ev(DS_EV_MAP_BLOCKS, 12, 16, 1);
	e.flags = DS_GET_BLOCKS_CONVERT | DS_GET_BLOCKS_IO_SUBMIT;
	e.ret = 1;
	add(&a, e);
	assert_int_equal(total_of(&a, 12).n[TOP_N_CHURN], 1);
	assert_int_equal(total_of(&a, 12).n[TOP_N_WASTE_NS], 8000);
	/* converted: its boundary is nobody's any more */
	merge(&a, 12, 17, UNWR_MERGE, 3000);
	split(&a, 12, 17, 5000, 0);
	assert_int_equal(total_of(&a, 12).n[TOP_N_CHURN], 1);
	/* a written mapping leaves no window open */
	add(&a, ev(DS_EV_WB_MAP, 12, 40, 1));
	e = ev(DS_EV_MAP_BLOCKS, 12, 40, 1);
	e.flags = DS_GET_BLOCKS_CREATE | DS_GET_BLOCKS_IO_SUBMIT;
	e.aux0 = DS_MAP_MAPPED;
	e.ret = 1;
	add(&a, e);
	merge(&a, 12, 41, UNWR_MERGE, 3000);
	split(&a, 12, 41, 5000, 0);
	assert_int_equal(total_of(&a, 12).n[TOP_N_CHURN], 1);
	top_agg_free(&a);
}

static void test_writeback_ios(void **state)
{
	struct top_row rows[4], all;
	struct top_agg a;
	int n;

	agg_new(&a, 0, 0);
	add(&a, ev(DS_EV_WB_MAP, 12, 16, 8));
	add(&a, ev(DS_EV_WB_MAP, 12, 24, 8));
	add(&a, ev(DS_EV_WB_MAP, 13, 0, 1));
	/* its mapping call is no second writeback IO */
	map_blocks(&a, 12, DS_GET_BLOCKS_CREATE | DS_GET_BLOCKS_IO_SUBMIT, 10);
	assert_int_equal(total_of(&a, 12).n[TOP_N_WB_IOS], 2);
	assert_int_equal(total_of(&a, 13).n[TOP_N_WB_IOS], 1);
	n = top_agg_tick(&a, clock_ns, rows, 4, &all);
	assert_int_equal(n, 2);
	assert_int_equal(all.n[TOP_N_WB_IOS], 3);
	assert_int_equal(all.n[TOP_N_WRITES], 0);
	/* a new interval counts afresh, the totals do not */
	add(&a, ev(DS_EV_WB_MAP, 12, 32, 8));
	top_agg_tick(&a, clock_ns, rows, 4, &all);
	assert_int_equal(all.n[TOP_N_WB_IOS], 1);
	top_agg_totals(&a, clock_ns, rows, 4, &all);
	assert_int_equal(all.n[TOP_N_WB_IOS], 4);
	top_agg_free(&a);
}

/* Three writeback IOs, the last stamped before the second, added after. */
static __u64 late_after_tick(__u64 hold_ns, __u64 *wb_in_tick,
			     __u64 *wb_total)
{
	struct top_agg_conf conf = { .hold_ns = hold_ns };
	struct top_row rows[4], all;
	struct top_caps caps;
	struct top_agg a;
	struct ds_event e;
	__u64 late;

	caps_all(&caps);
	assert_int_equal(top_agg_init(&a, &conf, &caps, T0), 0);
	e = ev(DS_EV_WB_MAP, 12, 0, 8);
	e.ts_ns = T0 + 10 * MS;
	add(&a, e);
	e.pos = 8;
	e.ts_ns = T0 + 200 * MS;
	add(&a, e);
	top_agg_tick(&a, T0 + 250 * MS, rows, 4, &all);
	*wb_in_tick = all.n[TOP_N_WB_IOS];
	/* as from a CPU's batch written out after the refresh */
	e.pos = 16;
	e.ts_ns = T0 + 180 * MS;
	add(&a, e);
	top_agg_all_in(&a);
	top_agg_totals(&a, T0 + 260 * MS, rows, 4, &all);
	*wb_total = all.n[TOP_N_WB_IOS];
	late = a.order.late;
	top_agg_free(&a);
	return late;
}

/*
 * With hold_ns, a refresh counts only what is older than the hold, and
 * an event that comes in after it, stamped within the hold, is not late;
 * without, the refresh passes every event on and it is.
 */
static void test_hold(void **state)
{
	__u64 in_tick, total;

	assert_int_equal(late_after_tick(100 * MS, &in_tick, &total), 0);
	assert_int_equal(in_tick, 1);
	assert_int_equal(total, 3);
	assert_int_equal(late_after_tick(0, &in_tick, &total), 1);
	assert_int_equal(in_tick, 2);
	assert_int_equal(total, 3);
}

/* A split of task tid at ts, and a mapping call of it over [start, end]. */
static void split_at(struct top_agg *a, __u64 ino, __u32 tid, __u64 ts)
{
	struct ds_event e = ev(DS_EV_SPLIT, ino, 8, 8);

	e.tid = tid;
	e.ts_ns = ts;
	e.dur_ns = 100;
	add(a, e);
}

static void call_over(struct top_agg *a, __u64 ino, __u32 tid, __u32 flags,
		      __u64 start, __u64 end)
{
	struct ds_event e = ev(DS_EV_MAP_BLOCKS, ino, 0, 8);

	e.tid = tid;
	e.flags = flags;
	e.ts_ns = end;
	e.dur_ns = end - start;
	e.ret = 8;
	add(a, e);
}

static void test_completion_splits(void **state)
{
	__u64 t = T0 + 1000 * MS;
	struct top_agg a;

	agg_new(&a, 0, 0);
	/* two splits inside the conversion of the same task */
	split_at(&a, 12, 5, t + 10);
	split_at(&a, 12, 5, t + 20);
	/* ... one of another task, one before the call, one on another file */
	split_at(&a, 12, 6, t + 30);
	split_at(&a, 12, 5, t - 50);
	split_at(&a, 13, 5, t + 40);
	call_over(&a, 12, 5, DS_GET_BLOCKS_CONVERT, t, t + 100);
	assert_int_equal(total_of(&a, 12).n[TOP_N_COMPL_SPLITS], 2);
	assert_int_equal(total_of(&a, 12).n[TOP_N_CONV], 1);

	/* the split before a write is its PRE_IO call's, not a completion's */
	t += 1000;
	split_at(&a, 14, 5, t + 10);
	call_over(&a, 14, 5, DS_GET_BLOCKS_PRE_IO | DS_GET_BLOCKS_CREATE, t,
		  t + 50);
	/* ... and claimed by it: a conversion around it cannot take it */
	call_over(&a, 14, 5, DS_GET_BLOCKS_CONVERT, t, t + 100);
	assert_int_equal(total_of(&a, 14).n[TOP_N_PRE_IO], 1);
	assert_int_equal(total_of(&a, 14).n[TOP_N_COMPL_SPLITS], 0);
	/* each split counts once */
	call_over(&a, 12, 5, DS_GET_BLOCKS_CONVERT, t - 1000, t + 100);
	assert_int_equal(total_of(&a, 12).n[TOP_N_COMPL_SPLITS], 2);
	top_agg_free(&a);
}

static void test_not_churn(void **state)
{
	struct ds_event e;
	struct top_agg a;

	agg_new(&a, 0, 0);
	open_window(&a, 12);
	/* a boundary inside the window is not one the write needs */
	merge(&a, 12, 12, UNWR_MERGE, 100);
	split(&a, 12, 12, 100, 0);
	/* a merge looked at but not done */
	merge(&a, 12, 14, 0, 100);
	split(&a, 12, 14, 100, 0);
	/* another inode, another device */
	merge(&a, 13, 14, UNWR_MERGE, 100);
	split(&a, 13, 14, 100, 0);
	e = ev(DS_EV_MERGE, 12, 14, 4);
	e.dev = DEV + 1;
	e.flags = UNWR_MERGE;
	add(&a, e);
	e.type = DS_EV_SPLIT;
	e.flags = 0;
	add(&a, e);
	/* a failed split does not recreate the boundary... */
	merge(&a, 12, 14, UNWR_MERGE, 100);
	split(&a, 12, 14, 100, -12);
	assert_int_equal(total_of(&a, 12).n[TOP_N_CHURN], 0);
	/* ...the next one does */
	split(&a, 12, 14, 100, 0);
	assert_int_equal(total_of(&a, 12).n[TOP_N_CHURN], 1);
	assert_int_equal(total_of(&a, 13).n[TOP_N_CHURN], 0);
	top_agg_free(&a);
}

/*
 * What report does not count as churn is not churn in top either (the
 * correlator says so for both): a merge of written extents, which cannot
 * take away the boundary of an unwritten piece, and a merge inside the
 * IO's own conversion, which is the IO finishing.
 */
static void test_not_churn_as_in_report(void **state)
{
	struct top_agg a;

	agg_new(&a, 0, 0);
	open_window(&a, 12);
	merge(&a, 12, 14, DS_MERGE_DONE, 100);
	split(&a, 12, 14, 100, 0);
	assert_int_equal(total_of(&a, 12).n[TOP_N_CHURN], 0);
	assert_int_equal(total_of(&a, 12).n[TOP_N_MERGES], 1);
	/* the conversion of the write (its task's call) merges at its end */
	merge(&a, 12, 14, UNWR_MERGE, 100);
	map_blocks(&a, 12, DS_GET_BLOCKS_CONVERT, 10);
	split(&a, 12, 14, 100, 0);
	assert_int_equal(total_of(&a, 12).n[TOP_N_CHURN], 0);
	assert_int_equal(total_of(&a, 12).n[TOP_N_MERGES], 2);
	/* the same merge outside the conversion is churn */
	merge(&a, 12, 14, UNWR_MERGE, 100);
	split(&a, 12, 14, 100, 0);
	assert_int_equal(total_of(&a, 12).n[TOP_N_CHURN], 1);
	top_agg_free(&a);
}

static void test_not_churn_outside_window(void **state)
{
	struct top_agg a;

	agg_new(&a, 0, 0);
	/* merged before any write needed the boundary */
	merge(&a, 12, 14, UNWR_MERGE, 100);
	open_window(&a, 12);
	split(&a, 12, 14, 100, 0);
	/* merged while needed, but split only after the write completed */
	merge(&a, 12, 14, UNWR_MERGE, 100);
	complete(&a, 12, 10 * 4096, 4 * 4096, DS_DIO_WRITE);
	split(&a, 12, 14, 100, 0);
	assert_int_equal(total_of(&a, 12).n[TOP_N_CHURN], 0);
	assert_int_equal(total_of(&a, 12).n[TOP_N_MERGES], 2);
	top_agg_free(&a);
}

static void test_overlapping_windows(void **state)
{
	struct top_agg a;

	agg_new(&a, 0, 0);
	/* two writes end at block 14; one completes, the other still needs it */
	open_window(&a, 12);
	submit(&a, 12, 12 * 4096, 2 * 4096, DS_DIO_WRITE);
	complete(&a, 12, 10 * 4096, 4 * 4096, DS_DIO_WRITE);
	merge(&a, 12, 14, UNWR_MERGE, 100);
	split(&a, 12, 14, 100, 0);
	assert_int_equal(total_of(&a, 12).n[TOP_N_CHURN], 1);
	top_agg_free(&a);
}

static void test_block_size(void **state)
{
	struct top_agg a;

	agg_new(&a, 0, 0);
	top_agg_set_blkbits(&a, DEV, 10);
	assert_true(top_agg_knows_dev(&a, DEV));
	assert_false(top_agg_knows_dev(&a, DEV + 1));
	/* 1 KiB blocks: bytes 4096..8191 are blocks 4..8 */
	submit(&a, 12, 4096, 4096, DS_DIO_WRITE);
	merge(&a, 12, 8, UNWR_MERGE, 100);
	split(&a, 12, 8, 100, 0);
	assert_int_equal(total_of(&a, 12).n[TOP_N_CHURN], 1);
	top_agg_free(&a);
}

static void test_windows_full(void **state)
{
	struct top_agg a;

	agg_new(&a, 0, 2);
	/* async: a task's next IO does not say the one before was lost */
	submit(&a, 12, 0, 4096, DS_DIO_WRITE | DS_DIO_AIO);	/* blocks 0..1 */
	submit(&a, 12, 40960, 4096, DS_DIO_WRITE | DS_DIO_AIO); /* 10..11 */
	submit(&a, 12, 81920, 4096, DS_DIO_WRITE | DS_DIO_AIO); /* 20..21 */
	assert_int_equal(top_agg_dropped(&a), 1);
	/* the oldest window's boundaries were let go with it */
	merge(&a, 12, 1, UNWR_MERGE, 100);
	split(&a, 12, 1, 100, 0);
	assert_int_equal(total_of(&a, 12).n[TOP_N_CHURN], 0);
	merge(&a, 12, 21, UNWR_MERGE, 100);
	split(&a, 12, 21, 100, 0);
	assert_int_equal(total_of(&a, 12).n[TOP_N_CHURN], 1);
	/* a completion of the dropped window is still a write */
	complete(&a, 12, 0, 4096, DS_DIO_WRITE);
	assert_int_equal(total_of(&a, 12).n[TOP_N_WRITES], 1);
	top_agg_free(&a);
}

static void test_windows_expire(void **state)
{
	struct top_row rows[4], all;
	struct top_agg a;

	agg_new(&a, 0, 0);
	/* a write that never completes (it failed before it could) */
	submit(&a, 12, 0, 4096, DS_DIO_WRITE);
	top_agg_tick(&a, clock_ns + 29000 * MS, rows, 4, &all);
	merge(&a, 12, 1, UNWR_MERGE, 100);
	split(&a, 12, 1, 100, 0);
	assert_int_equal(total_of(&a, 12).n[TOP_N_CHURN], 1);
	/* after 30 s it no longer holds its boundaries */
	top_agg_tick(&a, clock_ns + 31000 * MS, rows, 4, &all);
	assert_int_equal(a.windows_dropped, 1);
	merge(&a, 12, 1, UNWR_MERGE, 100);
	split(&a, 12, 1, 100, 0);
	assert_int_equal(total_of(&a, 12).n[TOP_N_CHURN], 1);
	top_agg_free(&a);
}

/* ---- what the plan lets us see ------------------------------------- */

static void plan_all(struct plan *p, enum ds_tier tier)
{
	int i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < DS_T_MAX; i++)
		p->t[i].tier = tier;
	p->t[DS_T_LEGACY_DIO].tier = DS_TIER_NONE;
	p->t[DS_T_LEGACY_END_IO].tier = DS_TIER_NONE;
}

static void test_caps(void **state)
{
	struct top_caps c;
	struct plan p;
	int i;

	plan_all(&p, DS_TIER_FENTRY);
	top_caps_from_plan(&p, &c);
	for (i = 0; i < TOP_C_MAX; i++)
		assert_true(c.col[i]);
	assert_string_equal(c.why, "");
	assert_int_equal(top_default_sort(&c), TOP_C_WASTE);
	assert_false(c.dio_at_submit);
	assert_true(c.unwritten_from_iomap);
	assert_true(c.convert_traced);

	/* this host: tracepoints, no merges or splits */
	plan_all(&p, DS_TIER_TRACEPOINT);
	p.t[DS_T_MERGE_RIGHT].tier = DS_TIER_NONE;
	p.t[DS_T_SPLIT].tier = DS_TIER_NONE;
	strcpy(p.t[DS_T_MERGE_RIGHT].detail, "kprobe: kprobes not built in");
	top_caps_from_plan(&p, &c);
	assert_false(c.col[TOP_C_MERGES]);
	assert_false(c.col[TOP_C_CHURN]);
	assert_false(c.col[TOP_C_WASTE]);
	assert_true(c.col[TOP_C_CONV]);
	assert_true(c.col[TOP_C_P99]);
	assert_true(c.col[TOP_C_WB]);
	assert_false(c.col[TOP_C_COMPL_SPLIT]);
	assert_non_null(strstr(c.why, "CSPLIT"));
	assert_non_null(strstr(c.why, "MERGE"));
	assert_non_null(strstr(c.why, "kprobes not built in"));
	assert_int_equal(top_default_sort(&c), TOP_C_CONV);

	/* the patched kernel's tracepoints: pairs, but no durations */
	plan_all(&p, DS_TIER_TRACEPOINT);
	top_caps_from_plan(&p, &c);
	assert_true(c.col[TOP_C_COMPL_SPLIT]);
	assert_null(strstr(c.why, "CSPLIT"));
	assert_true(c.col[TOP_C_CHURN]);
	assert_false(c.col[TOP_C_WASTE]);
	assert_non_null(strstr(c.why, "duration"));

	/* no completions: windows cannot close, DIO counted at submission */
	plan_all(&p, DS_TIER_KPROBE);
	p.t[DS_T_DIO_COMPLETE].tier = DS_TIER_NONE;
	top_caps_from_plan(&p, &c);
	assert_true(c.dio_at_submit);
	assert_true(c.col[TOP_C_WRITES]);
	assert_false(c.col[TOP_C_CHURN]);

	/* no conversion traced: its mapping calls end writeback IOs */
	plan_all(&p, DS_TIER_KPROBE);
	p.t[DS_T_CONVERT].tier = DS_TIER_NONE;
	top_caps_from_plan(&p, &c);
	assert_false(c.convert_traced);

	/* no ext4_iomap_begin: unwritten extents seen by map_blocks */
	plan_all(&p, DS_TIER_KPROBE);
	p.t[DS_T_IOMAP_BEGIN].tier = DS_TIER_NONE;
	top_caps_from_plan(&p, &c);
	assert_false(c.unwritten_from_iomap);
	assert_true(c.col[TOP_C_UNWRITTEN]);

	/* splits but no mapping calls: no call to be inside of */
	plan_all(&p, DS_TIER_KPROBE);
	p.t[DS_T_MAP_BLOCKS].tier = DS_TIER_NONE;
	p.t[DS_T_WB_MAP].tier = DS_TIER_NONE;
	top_caps_from_plan(&p, &c);
	assert_false(c.col[TOP_C_COMPL_SPLIT]);
	assert_false(c.col[TOP_C_WB]);
	assert_non_null(strstr(c.why, "PREIO/CONV/CSPLIT"));
	assert_non_null(strstr(c.why, "WB: writeback"));
}

static void test_unwritten_from_map_blocks(void **state)
{
	struct ds_event e;
	struct top_agg a;

	agg_new(&a, 0, 0);
	a.caps.unwritten_from_iomap = false;
	e = ev(DS_EV_MAP_BLOCKS, 12, 0, 1);
	e.flags = DS_GET_BLOCKS_PRE_IO | DS_GET_BLOCKS_CREATE;
	e.aux0 = DS_MAP_UNWRITTEN | DS_MAP_MAPPED;
	e.ret = 1;
	add(&a, e);
	/* the conversion finds it unwritten too: not a second sighting */
	e.flags = DS_GET_BLOCKS_CONVERT;
	add(&a, e);
	e.flags = 0;
	e.aux0 = DS_MAP_MAPPED;
	add(&a, e);
	assert_int_equal(total_of(&a, 12).unwritten_total, 1);
	top_agg_free(&a);
}

/* ---- sorting -------------------------------------------------------- */

static void test_sort(void **state)
{
	struct top_row r[4];

	memset(r, 0, sizeof(r));
	r[0].ino = 30; r[0].n[TOP_N_CONV] = 5; r[0].p99_ns = 100;
	r[1].ino = 10; r[1].n[TOP_N_CONV] = 9; r[1].p99_ns = 50;
	r[2].ino = 20; r[2].n[TOP_N_CONV] = 5; r[2].p99_ns = 900;
	r[3].ino = 5; r[3].dev = 1; r[3].n[TOP_N_CONV] = 5;
	top_sort(r, 4, TOP_C_CONV);
	assert_int_equal(r[0].ino, 10);
	/* ties: by device, then inode */
	assert_int_equal(r[1].ino, 20);
	assert_int_equal(r[2].ino, 30);
	assert_int_equal(r[3].ino, 5);
	top_sort(r, 4, TOP_C_P99);
	assert_int_equal(r[0].ino, 20);
	top_sort(r, 4, TOP_SORT_INODE);
	assert_int_equal(r[0].ino, 10);
	assert_int_equal(r[3].ino, 5);
	assert_int_equal(top_sort_by_key('c'), TOP_C_CONV);
	assert_int_equal(top_sort_by_key('i'), TOP_SORT_INODE);
	assert_int_equal(top_sort_by_key('Z'), -1);
	assert_string_equal(top_sort_name(TOP_C_CONV), "conversions/s");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_lat_buckets),
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_percentile_single_and_tail),
		cmocka_unit_test(test_interval_rates),
		cmocka_unit_test(test_unwritten_is_cumulative),
		cmocka_unit_test(test_write_inferred_from_mapping),
		cmocka_unit_test(test_dio_at_submit_without_completions),
		cmocka_unit_test(test_eviction_least_recent),
		cmocka_unit_test(test_many_inodes_stay_bounded),
		cmocka_unit_test(test_churn_pair),
		cmocka_unit_test(test_writeback_churn),
		cmocka_unit_test(test_writeback_ios),
		cmocka_unit_test(test_completion_splits),
		cmocka_unit_test(test_not_churn),
		cmocka_unit_test(test_not_churn_as_in_report),
		cmocka_unit_test(test_not_churn_outside_window),
		cmocka_unit_test(test_overlapping_windows),
		cmocka_unit_test(test_block_size),
		cmocka_unit_test(test_windows_full),
		cmocka_unit_test(test_windows_expire),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_unwritten_from_map_blocks),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_hold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
