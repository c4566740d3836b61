/* SPDX-License-Identifier: GPL-2.0 */
/* compare.csv: one row per scenario, metric and kernel compared to the first. */
#ifndef DIOSCOPE_COMPARE_CSV_H
#define DIOSCOPE_COMPARE_CSV_H

#include <stdbool.h>
#include <stdio.h>
#include "compare/notes.h"
#include "compare/verdict.h"

struct compare_row {
	const char *scenario, *metric, *unit;
	const char *kernel_a, *results_a, *kernel_b, *results_b;
	bool emulated_a, emulated_b;
	bool icount_a, icount_b;		/* clock=icount: instructions */
	double value_a, value_b;		/* NAN: not observed or not known */
	double diff_pct, ci_lo_pct, ci_hi_pct;	/* of b relative to a */
	double diff_abs, ci_lo_abs, ci_hi_abs;	/* b - a, in the unit */
	struct decision dec;			/* on the per-run values */
	double p_ios;				/* per IO: information only */
	const char *test;			/* how p_ios was found, or "" */
	enum compare_note note;			/* why something is missing */
};

void compare_csv_header(FILE *f);
void compare_csv_write(FILE *f, const struct compare_row *r);

#endif
