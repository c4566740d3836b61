// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "compare/summary_check.h"
#include "run/results_dir.h"
#include "run/tree.h"

/*
 * How summary.csv holds each count: a total, per 1000 IOs, or (the
 * latency compare's values come from) a mean over the joined IOs.
 */
static const struct {
	const char *ios_col, *sum_col;
	bool per_1k, per_joined;
} items[TALLY_MAX] = {
	[TALLY_IOS] = { "io", "ios", false },
	[TALLY_JOINED] = { "joined", "joined", false },
	[TALLY_WRITEBACK] = { "source", "writeback_ios", false },
	[TALLY_LOST] = { "state", "lost_ios", false },
	[TALLY_PRE_IO] = { "pre_io_count", "pre_io_splits_per_1k_ios", true },
	[TALLY_CONV] = { "convert_map_count", "conversions_per_1k_ios", true },
	[TALLY_LAT] = { "lat_ns", "lat_mean_ns", false, true },
};

void ios_tally_begin(struct ios_tally *t, const struct csv_reader *header)
{
	int i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < TALLY_MAX; i++)
		t->col[i] = csv_column(header, items[i].ios_col);
	t->io = t->col[TALLY_IOS];
}

static const char *field(const struct csv_reader *row, int col)
{
	return col >= 0 && col < row->nfields ? row->fields[col] : NULL;
}

static bool is(const struct csv_reader *row, int col, const char *v)
{
	const char *f = field(row, col);

	return f && !strcmp(f, v);
}

void ios_tally_add(struct ios_tally *t, const struct csv_reader *row)
{
	const char *io = field(row, t->io);
	double v;
	int i;

	/* a row of fio's alone (an IO the kernel did not show) has no io */
	if (t->io >= 0 && (!io || !*io))
		return;
	t->n[TALLY_IOS]++;
	t->n[TALLY_JOINED] += is(row, t->col[TALLY_JOINED], "1");
	t->n[TALLY_WRITEBACK] += is(row, t->col[TALLY_WRITEBACK], "writeback");
	t->n[TALLY_LOST] += is(row, t->col[TALLY_LOST], "lost") ||
			    is(row, t->col[TALLY_LOST], "open");
	for (i = TALLY_PRE_IO; i <= TALLY_CONV; i++) {
		v = csv_number(field(row, t->col[i]));
		if (!isnan(v))
			t->n[i] += v;
	}
	v = csv_number(field(row, t->col[TALLY_LAT]));
	if (is(row, t->col[TALLY_JOINED], "1") && !isnan(v))
		t->n[TALLY_LAT] += v;
}

/* The tally as summary.csv writes it; NAN where it writes nothing. */
static double expected(const struct ios_tally *t, int i)
{
	if (items[i].per_joined)
		return t->n[TALLY_JOINED] ? t->n[i] / t->n[TALLY_JOINED] : NAN;
	if (!items[i].per_1k)
		return t->n[i];
	return t->n[TALLY_IOS] ? t->n[i] * 1000 / t->n[TALLY_IOS] : NAN;
}

/* summary.csv writes 3 decimals: equal when rounding them does */
static bool same(double sum, double want, bool rounded)
{
	return rounded ? fabs(sum - want) <= 0.0005 + 1e-9 * fabs(want) :
			 sum == want;
}

int summary_check(const char *run_dir, const struct ios_tally *t, char *err,
		  size_t len)
{
	char path[PATH_MAX + 16];
	struct csv_table sum;
	const char *cell;
	double v, want;
	int i, rc = 0;
	bool rounded;

	tree_path(path, sizeof(path), run_dir, RUN_SUMMARY);
	if (csv_table_read(path, &sum))
		return 0;	/* no summary: nothing to disagree with */
	for (i = 0; i < TALLY_MAX && !rc; i++) {
		cell = sum.nrows ? csv_table_get(&sum, 0, items[i].sum_col) : NULL;
		if (!cell || !*cell || t->col[i] < 0)
			continue;
		v = csv_number(cell);
		want = expected(t, i);
		rounded = items[i].per_1k || items[i].per_joined;
		/* a mean of ns, written whole by some: half a ns either way */
		if (isnan(want) || (!isnan(v) && (items[i].per_joined ?
			fabs(v - want) <= 0.5 + 1e-9 * fabs(want) :
			same(v, want, rounded))))
			continue;
		snprintf(err, len,
			 "%s: %s is %s, but %s/ios.csv has %.*f: the summary is not of these IOs (dioscope report rewrites both)",
			 path, items[i].sum_col, cell, run_dir, rounded ? 3 : 0,
			 want);
		rc = -EINVAL;
	}
	csv_table_free(&sum);
	return rc;
}
