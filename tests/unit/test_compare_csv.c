// SPDX-License-Identifier: GPL-2.0
/*
 * compare's CSV files round trip through src/csv.h: compare.csv rows read
 * back field by field, and summary tables read whole.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "compare/csv.h"
#include "compare/metrics.h"
#include "util/csv.h"
#include "run/results_dir.h"

/* The header's names, copied: the reader reuses its buffer per record. */
struct header {
	int n;
	char *name[40];
};

static const char *field(const struct header *h, const struct csv_reader *rd,
			 const char *name)
{
	int c;

	for (c = 0; c < h->n; c++)
		if (!strcmp(h->name[c], name))
			return rd->fields[c];
	fail_msg("no column %s", name);
	return NULL;
}

static void test_compare_row(void **state)
{
	const struct compare_row in = {
		.scenario = "seq, \"quoted\"", .metric = "lat_p50_ns", .unit = "ns",
		.kernel_a = "6.1.0-13-cloud-amd64", .results_a = "res/a,b",
		.kernel_b = "6.12.0", .results_b = "line\nbreak",
		.emulated_a = true, .emulated_b = false,
		.icount_a = true, .icount_b = false,
		.value_a = 150174, .value_b = 165191.5,
		.diff_pct = 10.0001, .ci_lo_pct = -0.25, .ci_hi_pct = 12.5,
		.diff_abs = 15017.5, .ci_lo_abs = -375.5, .ci_hi_abs = 18772,
		.p_ios = 3.2e-30, .test = "mann-whitney normal",
		.note = COMPARE_NOTE_NONE,
		.dec = { .v = VERDICT_DIFFERENT, .a = { .n = 3, .spread_pct = 1.5 },
			 .b = { .n = 4, .spread_pct = 2.5 }, .noise_pct = 2.5,
			 .t = 6.25, .df = 4.5, .p = 0.002, .p_holm = 0.02,
			 .test = RUN_TEST_KIND, .limit = 0.125 },
	};
	struct compare_row na = in;
	struct csv_reader rd;
	struct header h;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i;

	na.value_b = NAN;
	na.diff_pct = na.ci_lo_pct = na.ci_hi_pct = na.p_ios = NAN;
	na.diff_abs = na.ci_lo_abs = na.ci_hi_abs = NAN;
	verdict_prepare(NULL, 0, NULL, 0,
			&(struct verdict_diff){ NAN, NAN, NAN, NAN, NAN, NAN }, &na.dec);
	na.note = COMPARE_NOTE_NOT_OBSERVED;
	compare_csv_header(f);
	compare_csv_write(f, &in);
	compare_csv_write(f, &na);
	fclose(f);
	f = fmemopen(buf, len, "r");
	csv_reader_init(&rd, f);
	assert_int_equal(csv_read(&rd), 1);
	assert_int_equal(rd.nfields, 34);
	h.n = rd.nfields;
	for (i = 0; i < h.n; i++)
		h.name[i] = strdup(rd.fields[i]);
	assert_int_equal(csv_read(&rd), 1);
	assert_int_equal(rd.nfields, 34);
	assert_string_equal(field(&h, &rd, "scenario"), "seq, \"quoted\"");
	assert_string_equal(field(&h, &rd, "results_a"), "res/a,b");
	assert_string_equal(field(&h, &rd, "results_b"), "line\nbreak");
	assert_string_equal(field(&h, &rd, "emulated_a"), "yes");
	assert_string_equal(field(&h, &rd, "emulated_b"), "no");
	assert_string_equal(field(&h, &rd, "clock_a"), "icount");
	assert_string_equal(field(&h, &rd, "clock_b"), "wall");
	assert_true(strtod(field(&h, &rd, "value_a"), NULL) == 150174);
	assert_true(fabs(strtod(field(&h, &rd, "value_b"), NULL) - 165192) < 1);
	assert_true(fabs(strtod(field(&h, &rd, "diff_pct"), NULL) - 10.0001) < 1e-9);
	assert_true(strtod(field(&h, &rd, "ci_lo_pct"), NULL) == -0.25);
	assert_true(strtod(field(&h, &rd, "diff_abs"), NULL) == 15017.5);
	assert_true(strtod(field(&h, &rd, "ci_lo_abs"), NULL) == -375.5);
	assert_true(strtod(field(&h, &rd, "ci_hi_abs"), NULL) == 18772);
	assert_string_equal(field(&h, &rd, "test_runs"), "kind");
	assert_true(strtod(field(&h, &rd, "kind_limit"), NULL) == 0.125);
	assert_true(fabs(strtod(field(&h, &rd, "p_ios"), NULL) / 3.2e-30 - 1) < 1e-6);
	assert_string_equal(field(&h, &rd, "test_ios"), "mann-whitney normal");
	assert_string_equal(field(&h, &rd, "significant"), "yes");
	assert_string_equal(field(&h, &rd, "runs_a"), "3");
	assert_string_equal(field(&h, &rd, "runs_b"), "4");
	assert_true(strtod(field(&h, &rd, "run_spread_a_pct"), NULL) == 1.5);
	assert_true(strtod(field(&h, &rd, "run_spread_b_pct"), NULL) == 2.5);
	assert_true(strtod(field(&h, &rd, "noise_pct"), NULL) == 2.5);
	assert_true(strtod(field(&h, &rd, "t_runs"), NULL) == 6.25);
	assert_true(strtod(field(&h, &rd, "df_runs"), NULL) == 4.5);
	assert_true(strtod(field(&h, &rd, "p_runs"), NULL) == 0.002);
	assert_true(strtod(field(&h, &rd, "p_runs_holm"), NULL) == 0.02);
	/* what is not known is empty, never a number */
	assert_int_equal(csv_read(&rd), 1);
	assert_string_equal(field(&h, &rd, "value_b"), "");
	assert_string_equal(field(&h, &rd, "diff_pct"), "");
	assert_string_equal(field(&h, &rd, "diff_abs"), "");
	assert_string_equal(field(&h, &rd, "ci_lo_abs"), "");
	assert_string_equal(field(&h, &rd, "test_runs"), "");
	assert_string_equal(field(&h, &rd, "kind_limit"), "");
	assert_string_equal(field(&h, &rd, "p_ios"), "");
	assert_string_equal(field(&h, &rd, "p_runs"), "");
	assert_string_equal(field(&h, &rd, "runs_a"), "0");
	assert_string_equal(field(&h, &rd, "significant"), "");
	assert_string_equal(field(&h, &rd, "note"),
			    "not observed: the tier sees no merges or splits");
	assert_int_equal(csv_read(&rd), 0);
	for (i = 0; i < h.n; i++)
		free(h.name[i]);
	csv_reader_free(&rd);
	fclose(f);
	free(buf);
}

/* Under icount times are instructions: units and labels say so. */
static void test_icount_labels(void **state)
{
	char buf[48];
	int m, lat = 0;

	for (m = 0; m < COMPARE_NMETRICS; m++) {
		const struct compare_metric *mt = &compare_metrics[m];
		const char *l = compare_metric_label(mt, true, buf, sizeof(buf));

		assert_ptr_equal(compare_metric_label(mt, false, buf, sizeof(buf)),
				 mt->label);
		assert_null(strstr(l, "(us)"));
		assert_null(strstr(l, "(ns)"));
		if (!strcmp(mt->unit, "ns")) {
			assert_string_equal(compare_metric_unit(mt, true), "instructions");
			assert_true(strstr(l, "(kins)") || strstr(l, "(ins)"));
			lat++;
		}
		assert_string_equal(compare_metric_unit(mt, false), mt->unit);
	}
	assert_int_equal(lat, 8);
	assert_string_equal(compare_metric_label(&compare_metrics[0], true, buf,
						 sizeof(buf)), "p50 latency (kins)");
}

/* Every note says something, and no two say the same. */
static void test_notes(void **state)
{
	int i, j;

	assert_string_equal(compare_note_text(COMPARE_NOTE_NONE), "");
	for (i = COMPARE_NOTE_NONE + 1; i <= COMPARE_NOTE_ESTIMATED; i++) {
		assert_true(*compare_note_text(i));
		for (j = COMPARE_NOTE_NONE + 1; j < i; j++)
			assert_string_not_equal(compare_note_text(i),
						compare_note_text(j));
	}
}

static void test_table(void **state)
{
	struct csv_table t;
	struct csv_row r;
	char path[256];
	int fd;
	FILE *f;

	snprintf(path, sizeof(path), "%s/dioscope-test-table.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");

	assert_non_null(f);
	csv_header(f, "scenario,mount_options,iops");
	csv_begin(&r, f);
	csv_str(&r, "seq");
	csv_str(&r, "data=ordered,dioread_nolock");
	csv_f64(&r, 6117.18);
	csv_end(&r);
	csv_begin(&r, f);
	csv_str(&r, "two\r\nlines");
	csv_str(&r, "");
	csv_f64(&r, NAN);
	csv_end(&r);
	fclose(f);
	assert_int_equal(csv_table_read(path, &t), 0);
	assert_int_equal(t.ncols, 3);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(csv_table_get(&t, 0, "mount_options"), "data=ordered,dioread_nolock");
	assert_string_equal(csv_table_get(&t, 0, "iops"), "6117.18");
	assert_string_equal(csv_table_get(&t, 1, "scenario"), "two\r\nlines");
	assert_string_equal(csv_table_get(&t, 1, "iops"), "");
	assert_null(csv_table_get(&t, 0, "nope"));
	assert_null(csv_table_get(&t, 2, "iops"));
	csv_table_free(&t);
	/* rows wider than the header: not a table */
	f = fopen(path, "w");
	fputs("a,b\r\n1,2,3\r\n", f);
	fclose(f);
	assert_int_equal(csv_table_read(path, &t), -EINVAL);
	/* an unterminated quote: not a table either */
	f = fopen(path, "w");
	fputs("a,b\r\n\"1,2\r\n", f);
	fclose(f);
	assert_int_equal(csv_table_read(path, &t), -EINVAL);
	unlink(path);
	assert_int_equal(csv_table_read(path, &t), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_row),
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_icount_labels),
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
