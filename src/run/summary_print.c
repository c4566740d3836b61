// SPDX-License-Identifier: GPL-2.0
/* The summary as a person reads it: a line per scenario, then notes. */
#include <math.h>
#include <string.h>
#include "util/macros.h"
#include "run/summary.h"
#include "run/summary_columns.h"
#include "run/summary_cost.h"

enum unit {
	AS_IS,
	US,			/* nanoseconds shown in microseconds */
	PERCENT,		/* a share shown in % */
};

/* A column of the table: a column of summary.csv, shown so. */
struct shown {
	const char *title;
	const char *column;
	int width, prec;
	enum unit unit;
	const char *unknown;	/* an unknown value of a scenario with IOs */
};

static const struct shown shown[] = {
	{ "IOS", "ios", 8, 0, AS_IS, NULL },
	{ "p50 us", "lat_p50_ns", 9, 1, US, NULL },
	{ "p99 us", "lat_p99_ns", 9, 1, US, NULL },
	{ "p99.9 us", "lat_p999_ns", 9, 1, US, NULL },
	{ "waste/IO", "wasted_ns_per_io", 9, 2, US, "n/a" },
	{ "churn/1k", "churn_pairs_per_1k_ios", 9, 2, AS_IS, "n/a" },
	{ "PRE_IO/1k", "pre_io_splits_per_1k_ios", 9, 1, AS_IS, NULL },
	{ "join %", "join_rate", 7, 2, PERCENT, NULL },
	{ "lost", "lost_events", 6, 0, AS_IS, NULL },
	{ "TIERS", "tiers", 0, 0, AS_IS, NULL },
};

#define NSHOWN (ARRAY_SIZE(shown))

static double in_unit(double v, enum unit u)
{
	if (u == US)
		return v / 1000;
	if (u == PERCENT)
		return 100 * v;
	return v;
}

static void print_cell(FILE *f, const struct summary_view *v,
		       const struct shown *sh)
{
	const struct summary_column *c = summary_column(sh->column);
	union summary_value val;

	if (!c) {
		fprintf(f, " %*s", sh->width, "?");
		return;
	}
	val = summary_value(v, c);
	switch (c->kind) {
	case SUMMARY_STR:
		fprintf(f, " %*s", sh->width, val.str);
		break;
	case SUMMARY_UINT:
	case SUMMARY_U64:
		fprintf(f, " %*llu", sh->width, (unsigned long long)val.u64);
		break;
	case SUMMARY_NUM:
		if (!isnan(val.num))
			fprintf(f, " %*.*f", sh->width, sh->prec,
				in_unit(val.num, sh->unit));
		else
			fprintf(f, " %*s", sh->width,
				v->s->ios && sh->unknown ? sh->unknown : "-");
		break;
	case SUMMARY_FLAG:
		fprintf(f, " %*s", sh->width, val.flag ? "yes" : "no");
		break;
	}
}

static void print_header(FILE *f, int width)
{
	unsigned int k;

	fprintf(f, "%-*s %6s", width, "SCENARIO", "RUNS");
	for (k = 0; k < NSHOWN; k++)
		fprintf(f, " %*s", shown[k].width, shown[k].title);
	fputc('\n', f);
}

static void print_row(FILE *f, const struct summary *s, int width)
{
	struct summary_view v;
	unsigned int k;

	summary_view_of(&v, s);
	fprintf(f, "%-*s %3u/%-2u", width, s->scenario, s->complete_runs,
		s->runs);
	for (k = 0; k < NSHOWN; k++)
		print_cell(f, &v, &shown[k]);
	fputc('\n', f);
}

void summary_print(FILE *f, const struct summary *rows, unsigned int n)
{
	unsigned int i;
	bool blind = false, lost = false, incomplete = false;
	int width = 8;

	for (i = 0; i < n; i++)
		if ((int)strlen(rows[i].scenario) > width)
			width = strlen(rows[i].scenario);
	print_header(f, width);
	for (i = 0; i < n; i++) {
		print_row(f, &rows[i], width);
		blind |= !rows[i].merges_observed;
		lost |= rows[i].lost_events > 0;
		incomplete |= rows[i].complete_runs < rows[i].runs;
	}
	if (blind)
		fprintf(f, "\nmerges_observed=no: extent merges and splits are not observed on this\n"
			   "kernel's tier (they need fentry, kprobes or the tracepoints of patches/).\n"
			   "Waste and churn are n/a, NOT 0. PRE_IO splits and conversions are still\n"
			   "counted, with their durations, from ext4_ext_map_blocks.\n");
	if (lost)
		fprintf(f, "\nevents were lost (a full ring buffer, programs the kernel skipped as\n"
			   "recursion misses, or missed returns; meta lost_*): counts are lower\n"
			   "bounds, and IOs whose events were lost may not join.\n");
	summary_print_cost(f, rows, n, width);
	if (incomplete)
		fprintf(f, "\nsome runs are incomplete (interrupted): their numbers cover what was\n"
			   "recorded.\n");
}
