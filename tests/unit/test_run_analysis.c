// SPDX-License-Identifier: GPL-2.0
/*
 * A run directory analysed end to end: events.bin, meta and fio's logs
 * in; ios.csv, events.csv, inodes.csv and summary.csv out. Unjoined IOs
 * on either side are kept, lost events are reported, what the tier could
 * not see is empty, not 0.
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
#include "util/csv.h"
#include "run/record_file.h"
#include "run/analysis.h"
#include "run/summary.h"
#include "trace/targets.h"

#define BS 4096
#define TID 100

static char dir[] = "/tmp/dioscope-run.XXXXXX";
static struct record_writer w;

static void path_of(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static void write_text(const char *name, const char *text)
{
	char p[256];
	FILE *f;

	path_of(p, sizeof(p), name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void write_meta(bool churn, const char *lost)
{
	char text[2048] = "format=1\nkernel_release=6.1.0-test\nfs_block_size=4096\n"
			  "complete=yes\nscenario=unit.4k.default\n"
			  "block_size_bytes=4096\nsize_bytes=1048576\n";
	int t;

	for (t = 0; t < DS_T_MAX; t++) {
		bool on = t == DS_T_DIO_RW || t == DS_T_DIO_COMPLETE ||
			  t == DS_T_MAP_BLOCKS ||
			  (churn && (t == DS_T_SPLIT || t == DS_T_MERGE_RIGHT));
		size_t used = strlen(text);

		snprintf(text + used, sizeof(text) - used, "tier.%s=%s\n",
			 ds_targets[t].name, on ? (churn ? "fentry" : "tracepoint") : "-");
	}
	strcat(text, "lost_events=");
	strcat(text, lost);
	strcat(text, "\n");
	write_text("meta", text);
}

static void ev(__u16 type, __u64 ts, __u64 pos, __u64 len, __u32 flags,
	       __u64 dur)
{
	struct ds_event e = {
		.ts_ns = ts, .dur_ns = dur, .ino = 12, .pos = pos, .len = len,
		.dev = 7, .pid = TID, .tid = TID, .flags = flags, .type = type,
		.tier = DS_TIER_TRACEPOINT, .ret = type == DS_EV_MAP_BLOCKS ? 1 : BS,
	};

	strcpy(e.comm, "fio");
	assert_int_equal(record_writer_add(&w, &e), 0);
}

static void sync_write(__u64 ts, __u64 blk, __u64 lat)
{
	ev(DS_EV_DIO_SUBMIT, ts, blk * BS, BS, DS_DIO_WRITE, 0);
	ev(DS_EV_MAP_BLOCKS, ts + 10, blk, 1, DS_GET_BLOCKS_PRE_IO, 7);
	ev(DS_EV_DIO_COMPLETE, ts + lat, blk * BS, BS, 0, 0);
}

/* Three writes; fio logged the first two and one the kernel never saw. */
static void make_run(bool churn, bool torn)
{
	char p[256];
	FILE *f;

	write_meta(churn, "3");
	path_of(p, sizeof(p), "events.bin");
	assert_int_equal(record_writer_open(&w, p), 0);
	sync_write(1000, 0, 500);
	sync_write(2000, 1, 600);
	if (churn) {
		ev(DS_EV_DIO_SUBMIT, 3000, 2 * BS, BS, DS_DIO_WRITE, 0);
		ev(DS_EV_MERGE, 3050, 2, 1, DS_MERGE_DONE |
		   DS_MERGE_LEFT_UNWRITTEN | DS_MERGE_RIGHT_UNWRITTEN, 11);
		ev(DS_EV_SPLIT, 3100, 2, 1, 0, 13);
		ev(DS_EV_DIO_COMPLETE, 3700, 2 * BS, BS, 0, 0);
	} else {
		sync_write(3000, 2, 700);
	}
	assert_int_equal(record_writer_close(&w), 0);
	if (torn) {
		f = fopen(p, "a");
		fwrite("partial", 1, 7, f);
		fclose(f);
	}
	write_text("fio_lat.1.log", "0, 510, 1, 4096, 0, 0\n0, 610, 1, 4096, 4096, 0\n"
		   "0, 999, 1, 4096, 65536, 0\n");
	write_text("fio.json", "{\"fio version\": \"fio-3.33\", \"jobs\": "
		   "[{\"write\": {\"total_ios\": 3, \"iops\": 1500}}]}");
}

static int setup(void **state)
{
	strcpy(dir, "/tmp/dioscope-run.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

/* The rows of a CSV (header first), fields as strings. */
struct table {
	int rows, cols;
	char *cell[16][64];
};

static void read_table(const char *name, struct table *t)
{
	struct csv_reader rd;
	char p[256];
	FILE *f;
	int i;

	path_of(p, sizeof(p), name);
	f = fopen(p, "r");
	assert_non_null(f);
	memset(t, 0, sizeof(*t));
	csv_reader_init(&rd, f);
	while (csv_read(&rd) > 0 && t->rows < 16) {
		t->cols = rd.nfields;
		for (i = 0; i < rd.nfields && i < 64; i++)
			t->cell[t->rows][i] = strdup(rd.fields[i]);
		t->rows++;
	}
	csv_reader_free(&rd);
	fclose(f);
}

static const char *cell(const struct table *t, int row, const char *col)
{
	int i;

	for (i = 0; i < t->cols; i++)
		if (!strcmp(t->cell[0][i], col))
			return t->cell[row][i];
	fail_msg("no column %s", col);
	return NULL;
}

static void free_table(struct table *t)
{
	int r, c;

	for (r = 0; r < t->rows; r++)
		for (c = 0; c < 64; c++)
			free(t->cell[r][c]);
}

static void test_tracepoint_run(void **state)
{
	struct analysis_opts o = { .csv = true, .events_csv = true };
	struct run_analysis ra;
	struct table t;

	make_run(false, true);
	assert_int_equal(run_analyse(dir, &o, &ra), 0);
	assert_int_equal(ra.tot.ios, 3);
	assert_int_equal(ra.join.fio_entries, 3);
	assert_int_equal(ra.join.joined, 2);
	assert_int_equal(ra.join.kernel_unjoined, 1);
	assert_int_equal(ra.lost_events, 3);
	assert_int_equal(ra.truncated_bytes, 7);
	assert_false(ra.merges_observed);
	assert_int_equal(ra.nlat, 2);
	run_analysis_free(&ra);

	read_table("ios.csv", &t);
	assert_int_equal(t.rows, 5);	/* header, 3 kernel IOs, 1 fio-only */
	assert_string_equal(cell(&t, 1, "lat_ns"), "510");
	assert_string_equal(cell(&t, 1, "kernel_lat_ns"), "500");
	assert_string_equal(cell(&t, 1, "joined"), "1");
	assert_string_equal(cell(&t, 1, "pre_io_count"), "1");
	assert_string_equal(cell(&t, 1, "pre_io_ns"), "7");
	/* not traced on this tier: unknown, not 0 */
	assert_string_equal(cell(&t, 1, "split_count"), "");
	assert_string_equal(cell(&t, 1, "wasted_ns"), "");
	assert_string_equal(cell(&t, 1, "churn_pairs"), "");
	assert_string_equal(cell(&t, 1, "iomap_begin_count"), "");
	/* the kernel IO fio did not log, and the fio entry the kernel did not see */
	assert_string_equal(cell(&t, 3, "joined"), "0");
	assert_string_equal(cell(&t, 3, "offset_bytes"), "8192");
	assert_string_equal(cell(&t, 3, "lat_ns"), "");
	assert_string_equal(cell(&t, 4, "joined"), "0");
	assert_string_equal(cell(&t, 4, "io"), "");
	assert_string_equal(cell(&t, 4, "offset_bytes"), "65536");
	assert_string_equal(cell(&t, 4, "lat_ns"), "999");
	free_table(&t);

	read_table("summary.csv", &t);
	assert_int_equal(t.rows, 2);
	assert_string_equal(cell(&t, 1, "merges_observed"), "no");
	assert_string_equal(cell(&t, 1, "wasted_ns_total"), "");
	assert_string_equal(cell(&t, 1, "churn_pairs_per_1k_ios"), "");
	assert_string_equal(cell(&t, 1, "lost_events"), "3");
	assert_string_equal(cell(&t, 1, "join_rate"), "0.667");
	assert_string_equal(cell(&t, 1, "lat_p50_ns"), "510");
	assert_string_equal(cell(&t, 1, "pre_io_splits_per_1k_ios"), "1000");
	assert_string_equal(cell(&t, 1, "scenario"), "unit.4k.default");
	assert_string_equal(cell(&t, 1, "fio_version"), "fio-3.33");
	assert_string_equal(cell(&t, 1, "iops"), "1500");
	free_table(&t);

	read_table("events.csv", &t);
	assert_int_equal(t.rows, 10);
	assert_string_equal(cell(&t, 1, "ts_ns"), "0");
	assert_string_equal(cell(&t, 1, "type"), "dio_submit");
	assert_string_equal(cell(&t, 2, "ts_ns"), "10");
	assert_string_equal(cell(&t, 2, "tier"), "tracepoint");
	free_table(&t);
}

/* Where merges and splits are seen, waste is a number, 0 included. */
static void test_churn_run(void **state)
{
	struct analysis_opts o = { .csv = true, .events_csv = false };
	struct run_analysis ra;
	struct table t;
	char p[256];

	make_run(true, false);
	assert_int_equal(run_analyse(dir, &o, &ra), 0);
	assert_true(ra.merges_observed);
	assert_int_equal(ra.tot.churn_pairs, 1);
	assert_int_equal(ra.truncated_bytes, 0);
	run_analysis_free(&ra);
	read_table("ios.csv", &t);
	assert_string_equal(cell(&t, 1, "churn_pairs"), "0");
	assert_string_equal(cell(&t, 1, "wasted_ns"), "0");
	assert_string_equal(cell(&t, 3, "churn_pairs"), "1");
	assert_string_equal(cell(&t, 3, "wasted_ns"), "24");
	free_table(&t);
	read_table("summary.csv", &t);
	assert_string_equal(cell(&t, 1, "merges_observed"), "yes");
	assert_string_equal(cell(&t, 1, "wasted_ns_total"), "24");
	assert_string_equal(cell(&t, 1, "wasted_ns_per_io"), "8");
	free_table(&t);
	read_table("inodes.csv", &t);
	assert_string_equal(cell(&t, 1, "churn_pairs"), "1");
	assert_string_equal(cell(&t, 1, "ios"), "3");
	free_table(&t);
	path_of(p, sizeof(p), "events.csv");
	assert_int_not_equal(access(p, F_OK), 0);
}

static void test_errors(void **state)
{
	struct analysis_opts o = { .csv = true, .events_csv = true };
	struct run_analysis ra;

	assert_true(run_analyse(dir, &o, &ra) < 0);	/* no meta */
	assert_non_null(strstr(ra.error, "meta"));
	run_analysis_free(&ra);
	write_text("meta", "this is not a meta file\n");
	assert_true(run_analyse(dir, &o, &ra) < 0);
	assert_non_null(strstr(ra.error, "meta:1: not a key=value line"));
	run_analysis_free(&ra);
	make_run(false, false);
	write_text("fio_lat.2.log", "0, 1, 1, 4096, 0, 0\ngarbage\n0, 1, 1, 4096, 0, 0\n");
	assert_int_equal(run_analyse(dir, &o, &ra), -EINVAL);
	assert_non_null(strstr(ra.error, "fio_lat.2.log:2"));
	run_analysis_free(&ra);
	write_text("fio_lat.2.log", "");
	write_text("events.bin", "not events");
	assert_int_equal(run_analyse(dir, &o, &ra), -EINVAL);
	assert_non_null(strstr(ra.error, "not a dioscope record file"));
	run_analysis_free(&ra);
}

/* Summing runs: percentiles over all their IOs, runs counted. */
static void test_summary_of_runs(void **state)
{
	struct analysis_opts o = { .csv = true };
	struct run_analysis ra[2];
	struct summary s;

	make_run(false, false);
	assert_int_equal(run_analyse(dir, &o, &ra[0]), 0);
	assert_int_equal(run_analyse(dir, &o, &ra[1]), 0);
	assert_int_equal(summary_of_runs(ra, 2, &s), 0);
	assert_int_equal(s.runs, 2);
	assert_int_equal(s.complete_runs, 2);
	assert_int_equal(s.ios, 6);
	assert_int_equal(s.joined, 4);
	assert_int_equal(s.lost_events, 6);
	assert_true(s.lat[0] == 510);
	assert_true(s.lat[3] == 610);
	assert_true(s.lat_mean == 560);
	assert_false(s.merges_observed);
	run_analysis_free(&ra[0]);
	run_analysis_free(&ra[1]);
}

/*
 * One run: its own latencies are sorted in place, and what comes out is
 * what a copy gave, above 64 values too (the radix sort's threshold).
 */
static void test_summary_of_one_run(void **state)
{
	struct run_analysis ra;
	struct summary s;
	double sum = 0, sum2 = 0;
	size_t i;

	memset(&ra, 0, sizeof(ra));
	ra.nlat = 1000;
	ra.lat = malloc(ra.nlat * sizeof(*ra.lat));
	assert_non_null(ra.lat);
	/* 1000 .. 1999 ns, shuffled: 7 is prime to 1000 */
	for (i = 0; i < ra.nlat; i++) {
		ra.lat[i] = 1000 + (i * 7) % 1000;
		sum += ra.lat[i];
	}
	assert_int_equal(summary_of_runs(&ra, 1, &s), 0);
	assert_true(s.lat_joined_ns == sum);
	assert_true(s.lat_mean == sum / 1000);
	/* nearest rank: p50 of 1000 values is the 500th */
	assert_true(s.lat[0] == 1499);
	/* selected where they are: the rank read in place, none lost */
	assert_true(ra.lat[499] == 1499);
	for (i = 0; i < ra.nlat; i++)
		sum2 += ra.lat[i];
	assert_true(sum2 == sum);
	/* the run is still the caller's: a second summary gives the same */
	assert_int_equal(summary_of_runs(&ra, 1, &s), 0);
	assert_true(s.lat[0] == 1499);
	assert_true(s.lat_joined_ns == sum);
	free(ra.lat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tracepoint_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_churn_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_summary_of_runs, setup, teardown),
		cmocka_unit_test(test_summary_of_one_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
