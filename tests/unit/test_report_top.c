// SPDX-License-Identifier: GPL-2.0
/*
 * report and top read the same events alike. Streams recorded in the
 * kernel lab (tests/data/streams/: Linux 7.3, kprobe tier, see its
 * README) are played through report's analysis (run_analyse, as
 * `dioscope report` runs it) and through top's aggregation (top_agg_add,
 * event by event in the order the ring buffer gave them, as `dioscope
 * top` gets them); both must count the same IOs, completion splits,
 * merges, churn pairs and wasted time. And the counts are right: the
 * splits are those ftrace counted over the same run, the known-churn
 * run's pairs are the pairs its driver held in flight together.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "run/analysis.h"
#include "run/record_file.h"
#include "top/agg.h"
#include "trace/targets.h"

/* the tests run from the top of the source tree */
#define STREAMS "tests/data/streams"
#define MAX_ROWS 64

static void path_of(char *buf, size_t len, const char *stream,
		    const char *file)
{
	snprintf(buf, len, "%s/%s/%s", STREAMS, stream, file);
}

/* calls.csv, ftrace's count of calls over the run: FUNCTION's calls. */
static long ftrace_calls(const char *stream, const char *function)
{
	char path[512], line[256];
	long calls = -1;
	size_t n = strlen(function);
	FILE *f;

	path_of(path, sizeof(path), stream, "calls.csv");
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: cannot be read", path);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, function, n) && line[n] == ',')
			calls = strtol(line + n + 1, NULL, 10);
	}
	fclose(f);
	if (calls < 0)
		fail_msg("%s: no count of %s", path, function);
	return calls;
}

/* What the tracer's plan was, from the run's meta. */
static bool traced(const struct run_analysis *ra, enum ds_target t)
{
	char key[64];
	const char *v;

	snprintf(key, sizeof(key), "tier.%s", ds_targets[t].name);
	v = meta_get(&ra->meta, key);
	return v && strcmp(v, "-") && strcmp(v, "none");
}

/* The stream as `dioscope top` would have counted it, all inodes' row. */
static struct top_row play_top(const char *stream,
			       const struct run_analysis *ra)
{
	static struct top_row rows[MAX_ROWS];
	struct record_reader r;
	struct top_caps caps;
	struct top_agg a;
	struct top_row all;
	struct ds_event e;
	char path[512];
	int i;

	memset(&caps, 0, sizeof(caps));
	for (i = 0; i < TOP_C_MAX; i++)
		caps.col[i] = true;
	caps.unwritten_from_iomap = traced(ra, DS_T_IOMAP_BEGIN);
	caps.convert_traced = traced(ra, DS_T_CONVERT);
	assert_int_equal(top_agg_init(&a, NULL, &caps, 0), 0);
	path_of(path, sizeof(path), stream, "events.bin");
	assert_int_equal(record_reader_open(&r, path), 0);
	while (record_reader_next(&r, &e) == 1) {
		if (!top_agg_knows_dev(&a, e.dev))
			top_agg_set_blkbits(&a, e.dev, ra->blkbits);
		top_agg_add(&a, &e);
	}
	record_reader_close(&r);
	top_agg_totals(&a, 1, rows, MAX_ROWS, &all);
	top_agg_free(&a);
	return all;
}

/* Report's and top's counts of one stream; returns report's totals. */
static struct corr_totals same_counts(const char *stream)
{
	struct analysis_opts o = { .csv = false };
	struct run_analysis ra;
	struct corr_totals t;
	struct top_row top;
	char dir[512];

	snprintf(dir, sizeof(dir), "%s/%s", STREAMS, stream);
	memset(&ra, 0, sizeof(ra));
	if (run_analyse(dir, &o, &ra))
		fail_msg("%s: %s", dir, ra.error);
	assert_int_equal(ra.invalid_events, 0);
	assert_int_equal(ra.lost_events, 0);
	t = ra.tot;
	top = play_top(stream, &ra);
	print_message("# %s: ios %llu (top %llu), completion splits %llu, merges %llu, churn pairs %llu\n",
		      stream, (unsigned long long)t.ios,
		      (unsigned long long)(top.n[TOP_N_WRITES] +
					   top.n[TOP_N_READS] +
					   top.n[TOP_N_WB_IOS]),
		      (unsigned long long)t.completion_splits,
		      (unsigned long long)t.merges,
		      (unsigned long long)t.churn_pairs);
	/* every IO completed or was written back: counted alike */
	assert_int_equal(t.open_at_end + t.superseded, 0);
	assert_int_equal(top.n[TOP_N_WRITES] + top.n[TOP_N_READS] +
			 top.n[TOP_N_WB_IOS], t.ios);
	assert_int_equal(top.n[TOP_N_WB_IOS], t.wb_ios);
	assert_int_equal(top.n[TOP_N_COMPL_SPLITS], t.completion_splits);
	assert_int_equal(top.n[TOP_N_MERGES], t.merges);
	assert_int_equal(top.n[TOP_N_CHURN], t.churn_pairs);
	assert_int_equal(top.n[TOP_N_WASTE_NS], t.wasted_ns);
	assert_int_equal(top.n[TOP_N_CONV], t.conversions);
	assert_int_equal(top.n[TOP_N_PRE_IO], t.pre_io);
	/* and the splits are the kernel's, call for call */
	assert_int_equal(t.splits,
			 ftrace_calls(stream, "ext4_split_extent_at"));
	run_analysis_free(&ra);
	return t;
}

/* From 7.x a sparse file's new extents merge with those in flight. */
static void test_sparse_concurrent(void **state)
{
	struct corr_totals t = same_counts("sparse-concurrent");

	assert_true(t.churn_pairs > 0);
	assert_int_equal(t.churn_by_op[CORR_OP_DIO], t.churn_pairs);
}

/* ZERO_RANGE merges into writeback IOs still in flight. */
static void test_writeback_zero_range(void **state)
{
	struct corr_totals t = same_counts("writeback-zero-range");

	assert_true(t.wb_ios > 0);
	assert_true(t.churn_pairs > 0);
	assert_int_equal(t.churn_by_op[CORR_OP_ZERO_RANGE], t.churn_pairs);
}

/* driver.txt: "pairs K overlapped N": N pairs were in flight together. */
static void test_known_churn(void **state)
{
	struct corr_totals t = same_counts("known-churn");
	unsigned int pairs = 0, overlapped = 0;
	char path[512];
	FILE *f;

	path_of(path, sizeof(path), "known-churn", "driver.txt");
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "pairs %u overlapped %u", &pairs,
				&overlapped), 2);
	fclose(f);
	assert_true(overlapped > 0);
	assert_int_equal(t.churn_pairs, overlapped);
	assert_int_equal(t.churn_by_op[CORR_OP_DIO], overlapped);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sparse_concurrent),
		cmocka_unit_test(test_writeback_zero_range),
		cmocka_unit_test(test_known_churn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
