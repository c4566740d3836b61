// SPDX-License-Identifier: GPL-2.0
/*
 * Instructions into estimated ns: the calibration file is read or refused
 * with its reason, its factor's interval is carried into every interval,
 * and what report and compare print says "estimated" and names the CPU.
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
#include "compare/estimate.h"
#include "compare/notes.h"
#include "run/calibration.h"
#include "run/summary.h"
#include "run/summary_estimate.h"

static const char good[] =
	"# ns per guest instruction\n"
	"format=dioscope-calibration 1\n"
	"from=icount\n"
	"to=ns\n"
	"cpu_model=Intel(R) Xeon(R) Processor\n"
	"host_kernel=6.18.44\n"
	"lab_kernel=6.18.15+deb13-cloud-amd64\n"
	"date=2026-12-07T04:00:00Z\n"
	"factor.pre_io=0.316\nlow.pre_io=0.304\nhigh.pre_io=0.327\n"
	"factor.convert=0.266\nlow.convert=0.238\nhigh.convert=0.297\n"
	"factor.combined=0.29\nlow.combined=0.238\nhigh.combined=0.327\n"
	"runs_host=3\n";

static char path[] = "/tmp/dioscope-calib.XXXXXX";

static void write_file(const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	unlink(path);
	return 0;
}

static void test_read_good(void **state)
{
	struct calibration c;
	char why[1024] = "";

	write_file(good);
	assert_int_equal(calibration_read(path, &c, why, sizeof(why)), 0);
	assert_string_equal(c.cpu_model, "Intel(R) Xeon(R) Processor");
	assert_string_equal(c.lab_kernel, "6.18.15+deb13-cloud-amd64");
	assert_true(c.k[CALIB_PRE_IO].f == 0.316);
	assert_true(c.k[CALIB_CONVERT].lo == 0.238);
	assert_true(c.k[CALIB_COMBINED].hi == 0.327);
	assert_string_equal(calib_kind_name(CALIB_COMBINED), "combined");
}

/* replace the line starting with key (up to '=') by line, or drop it */
static void with_line(char *out, size_t len, const char *key, const char *line)
{
	const char *at = strstr(good, key), *end;

	assert_non_null(at);
	end = strchr(at, '\n') + 1;
	snprintf(out, len, "%.*s%s%s", (int)(at - good), good, line, end);
}

static void refused(const char *key, const char *line, const char *says)
{
	char text[2048], why[1024] = "";
	struct calibration c;

	with_line(text, sizeof(text), key, line);
	write_file(text);
	assert_int_equal(calibration_read(path, &c, why, sizeof(why)), -EINVAL);
	if (!strstr(why, says))
		fail_msg("%s -> \"%s\", not \"%s\"", line, why, says);
	/* every reason names the file */
	assert_non_null(strstr(why, path));
}

static void test_refused(void **state)
{
	refused("from=", "from=wall\n", "made for another clock");
	refused("from=", "", "made for another clock");
	refused("to=", "to=us\n", "another unit");
	refused("format=", "format=dioscope-calibration 2\n", "not a calibration");
	refused("cpu_model=", "", "cpu_model: missing");
	refused("cpu_model=", "cpu_model=\n", "cpu_model=: missing");
	refused("factor.combined=", "", "factor.combined: missing");
	refused("low.convert=", "low.convert=-0.2\n", "not a positive number");
	refused("high.pre_io=", "high.pre_io=0x1p3\n", "not a positive number");
	refused("factor.pre_io=", "factor.pre_io=0\n", "not a positive number");
	refused("factor.pre_io=", "factor.pre_io=0.4\n", "outside its own interval");
	refused("runs_host=", "this is no key value line\n", "not a key=value line");
	refused("date=", "cpu_model=twice\n", "a key given twice");
}

static void test_missing_file(void **state)
{
	struct calibration c;
	char why[1024] = "";

	assert_true(calibration_read("/nonexistent/calibration", &c, why,
				     sizeof(why)) < 0);
	assert_non_null(strstr(why, "/nonexistent/calibration"));
}

static void close_to(double a, double b)
{
	if (fabs(a - b) > 1e-9 * fmax(1, fabs(b)))
		fail_msg("%.12g != %.12g", a, b);
}

/* The factor's interval is carried into the value's. */
static void test_apply(void **state)
{
	const struct calib_factor f = { 0.3, 0.25, 0.4 };
	struct calib_estimate e;

	/* a value alone: the factor's interval */
	calib_apply(&f, 1000, NAN, NAN, &e);
	close_to(e.ns, 300);
	close_to(e.lo, 250);
	close_to(e.hi, 400);
	/* a value with its own interval: the ends multiplied */
	calib_apply(&f, 1000, 800, 1200, &e);
	close_to(e.ns, 300);
	close_to(e.lo, 200);
	close_to(e.hi, 480);
	/* a difference whose interval spans 0: the wider factor both ways */
	calib_apply(&f, 100, -50, 300, &e);
	close_to(e.ns, 30);
	close_to(e.lo, -20);
	close_to(e.hi, 120);
	/* below 0 throughout: the ends swap */
	calib_apply(&f, -1000, -1200, -800, &e);
	close_to(e.ns, -300);
	close_to(e.lo, -480);
	close_to(e.hi, -200);
	/* unknown stays unknown */
	calib_apply(&f, NAN, NAN, NAN, &e);
	assert_true(isnan(e.ns) && isnan(e.lo) && isnan(e.hi));
}

static void test_labels(void **state)
{
	struct calibration c;
	char why[1024], buf[600];

	write_file(good);
	assert_int_equal(calibration_read(path, &c, why, sizeof(why)), 0);
	calib_label(&c, buf, sizeof(buf));
	assert_string_equal(buf, "estimated ns on Intel(R) Xeon(R) Processor");
	calib_factor_text(&c, CALIB_COMBINED, buf, sizeof(buf));
	assert_non_null(strstr(buf, "x 0.290 [0.238, 0.327] ns per instruction"));
	assert_non_null(strstr(buf, "combined"));
	assert_non_null(strstr(buf, "2026-12-07"));
}

static struct compare_row icount_row(const char *metric)
{
	return (struct compare_row){
		.scenario = "s", .metric = metric, .unit = "instructions",
		.icount_a = true, .icount_b = true,
		.value_a = 1000, .value_b = 3000,
		.diff_pct = 200, .ci_lo_pct = 150, .ci_hi_pct = 250,
		.diff_abs = 2000, .ci_lo_abs = 1500, .ci_hi_abs = 2500,
		.note = COMPARE_NOTE_NONE,
		.dec = { .v = VERDICT_DIFFERENT, .p_holm = 0.01 },
	};
}

static const struct compare_metric *metric(const char *col)
{
	int m;

	for (m = 0; m < COMPARE_NMETRICS; m++)
		if (!strcmp(compare_metrics[m].col, col))
			return &compare_metrics[m];
	fail_msg("no metric %s", col);
	return NULL;
}

/* Only on-CPU times, only where both sides count instructions. */
static void test_compare_estimable(void **state)
{
	struct compare_row r = icount_row("wasted_ns_per_io");

	assert_true(compare_estimable(&r, metric("wasted_ns_per_io")));
	assert_false(compare_estimable(&r, metric("lat_p50_ns")));
	assert_false(compare_estimable(&r, metric("churn_pairs_per_1k_ios")));
	r.icount_b = false;
	assert_false(compare_estimable(&r, metric("wasted_ns_per_io")));
}

static void test_compare_row(void **state)
{
	struct compare_row in = icount_row("wasted_ns_per_io"), out;
	char name[96], unit[200], why[1024];
	struct calibration c;

	write_file(good);
	assert_int_equal(calibration_read(path, &c, why, sizeof(why)), 0);
	compare_estimate_row(&in, &c, &out, name, sizeof(name), unit,
			     sizeof(unit));
	assert_string_equal(out.metric, "wasted_ns_per_io_estimated");
	assert_string_equal(out.unit, "estimated ns on Intel(R) Xeon(R) Processor");
	close_to(out.value_a, 290);
	close_to(out.value_b, 870);
	close_to(out.diff_abs, 580);
	close_to(out.ci_lo_abs, 1500 * 0.238);
	close_to(out.ci_hi_abs, 2500 * 0.327);
	/* a common factor changes neither the relative difference nor the verdict */
	close_to(out.diff_pct, 200);
	close_to(out.ci_lo_pct, 150);
	assert_int_equal(out.dec.v, VERDICT_DIFFERENT);
	assert_int_equal(out.note, COMPARE_NOTE_ESTIMATED);
	assert_non_null(strstr(compare_note_text(out.note), "estimate"));
	/* no interval stays none */
	in.ci_lo_abs = in.ci_hi_abs = NAN;
	in.note = COMPARE_NOTE_SINGLE_RUN;
	compare_estimate_row(&in, &c, &out, name, sizeof(name), unit,
			     sizeof(unit));
	assert_true(isnan(out.ci_lo_abs) && isnan(out.ci_hi_abs));
	assert_int_equal(out.note, COMPARE_NOTE_SINGLE_RUN);
}

/* report: icount rows estimated and labelled, wall clock left alone. */
static void test_report_estimates(void **state)
{
	struct summary rows[2];
	struct calibration c;
	char why[1024], *buf = NULL;
	size_t len = 0;
	FILE *f;

	write_file(good);
	assert_int_equal(calibration_read(path, &c, why, sizeof(why)), 0);
	memset(rows, 0, sizeof(rows));
	snprintf(rows[0].scenario, sizeof(rows[0].scenario), "sparse-concurrent");
	snprintf(rows[0].clock, sizeof(rows[0].clock), "icount");
	rows[0].ios = 1000;
	rows[0].wasted_ns = 100000000;	/* 100k instructions per IO */
	rows[0].merges_observed = true;
	rows[0].runs = rows[0].complete_runs = 1;
	rows[1] = rows[0];
	snprintf(rows[1].scenario, sizeof(rows[1].scenario), "host");
	snprintf(rows[1].clock, sizeof(rows[1].clock), "wall");
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(summary_print_estimates(f, rows, 2, &c), 0);
	fclose(f);
	assert_non_null(strstr(buf, "estimated ns on Intel(R) Xeon(R) Processor"));
	assert_non_null(strstr(buf, "ESTIMATES, not measurements"));
	assert_non_null(strstr(buf, "x 0.290 [0.238, 0.327]"));
	/* 100 kins x 0.29 = 29 us, [23.8, 32.7] */
	assert_non_null(strstr(buf, "waste/IO 100.00 kins = 29.000 us [23.800, 32.700] estimated"));
	assert_non_null(strstr(buf, "wall clock: measured, nothing to estimate"));
	free(buf);
	/* nothing in instructions: nothing printed, and said */
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_int_equal(summary_print_estimates(f, rows + 1, 1, &c), -EINVAL);
	fclose(f);
	assert_int_equal(len, 0);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_good),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_compare_estimable),
		cmocka_unit_test(test_compare_row),
		cmocka_unit_test(test_report_estimates),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
