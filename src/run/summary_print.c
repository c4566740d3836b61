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
	/* the title where guest time counted instructions (clock=icount) */
	const char *icount_title;
};

static const struct shown shown[] = {
	{ "IOS", "ios", 8, 0, AS_IS, NULL, NULL },
	{ "p50 us", "lat_p50_ns", 9, 1, US, NULL, "p50 kins" },
	{ "p99 us", "lat_p99_ns", 9, 1, US, NULL, "p99 kins" },
	{ "p99.9 us", "lat_p999_ns", 9, 1, US, NULL, "p999 kins" },
	{ "waste/IO", "wasted_ns_per_io", 9, 2, US, "n/a", NULL },
	/* of it on the CPU, the tracer's nested programs out; "-": unmeasured */
	{ "cpu/IO", "wasted_cpu_ns_per_io", 9, 2, US, "-", NULL },
	{ "churn/1k", "churn_pairs_per_1k_ios", 9, 2, AS_IS, "n/a", NULL },
	{ "PRE_IO/1k", "pre_io_splits_per_1k_ios", 9, 1, AS_IS, NULL, NULL },
	{ "join %", "join_rate", 7, 2, PERCENT, NULL, NULL },
	{ "lost", "lost_events", 6, 0, AS_IS, NULL, NULL },
	{ "TIERS", "tiers", 0, 0, AS_IS, NULL, NULL },
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

static void print_header(FILE *f, int width, bool icount)
{
	unsigned int k;

	fprintf(f, "%-*s %6s", width, "SCENARIO", "RUNS");
	for (k = 0; k < NSHOWN; k++)
		fprintf(f, " %*s", shown[k].width,
			icount && shown[k].icount_title ?
			shown[k].icount_title : shown[k].title);
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

/*
 * Rows of recordings without fio: their percentiles are the kernel's, and
 * their IOPS (not in the table) are over the recording.
 */
static void print_kernel_view(FILE *f, const struct summary *rows,
			      unsigned int n)
{
	unsigned int i;
	bool any = false;

	for (i = 0; i < n; i++) {
		if (!rows[i].kernel_view || !rows[i].ios)
			continue;
		if (!any)
			fprintf(f, "\nno fio in these recordings: p50, p99 and p99.9 are the kernel's\n"
				   "latency (submission to completion of each IO), not fio's; IOPS are\n"
				   "the IOs completed from the first submission to the last completion:\n");
		any = true;
		fprintf(f, "  %s: kernel p50 %.1f us, p99 %.1f us, p99.9 %.1f us, %.0f IOPS\n",
			rows[i].scenario, rows[i].lat[0] / 1000,
			rows[i].lat[2] / 1000, rows[i].lat[3] / 1000,
			rows[i].iops);
	}
}

void summary_print(FILE *f, const struct summary *rows, unsigned int n)
{
	unsigned int i, icount = 0;
	bool blind = false, lost = false, incomplete = false;
	int width = 8;

	for (i = 0; i < n; i++) {
		if ((int)strlen(rows[i].scenario) > width)
			width = strlen(rows[i].scenario);
		icount += !strcmp(rows[i].clock, "icount");
	}
	/* under QEMU's instruction counter a guest ns is an instruction */
	print_header(f, width, icount > 0);
	for (i = 0; i < n; i++) {
		print_row(f, &rows[i], width);
		blind |= !rows[i].merges_observed;
		lost |= rows[i].lost_events > 0;
		incomplete |= rows[i].complete_runs < rows[i].runs;
	}
	print_kernel_view(f, rows, n);
	if (blind)
		fprintf(f, "\nmerges_observed=no: extent merges and splits are not observed on this\n"
			   "kernel's tier (they need fentry, kprobes or the tracepoints of patches/).\n"
			   "Waste and churn are n/a, NOT 0. PRE_IO splits and conversions are still\n"
			   "counted, with their durations, from ext4_ext_map_blocks.\n");
	if (lost)
		fprintf(f, "\nevents were lost (a full ring buffer, programs the kernel skipped as\n"
			   "recursion misses, or missed returns; meta lost_*): counts are lower\n"
			   "bounds, and IOs whose events were lost may not join.\n");
	if (icount)
		fprintf(f, "\nclock=icount: guest time counted executed instructions (QEMU -icount\n"
			   "shift=0), so times read as instructions: kins = thousands of them,\n"
			   "waste/IO in kins too. They compare with icount results of any machine,\n"
			   "not with wall-clock ones.\n");
	if (icount && icount < n)
		fprintf(f, "warning: %u of %u rows are icount, the others wall clock: their times\n"
			   "do not compare\n", icount, n);
	summary_print_cost(f, rows, n, width, icount == n ? "instructions" : "ns");
	if (incomplete)
		fprintf(f, "\nsome runs are incomplete (interrupted): their numbers cover what was\n"
			   "recorded.\n");
}
