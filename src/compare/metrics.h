/* SPDX-License-Identifier: GPL-2.0 */
/* The metrics compare compares: summary.csv's columns and their estimators. */
#ifndef DIOSCOPE_COMPARE_METRICS_H
#define DIOSCOPE_COMPARE_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include "compare/stats.h"

#define COMPARE_NMETRICS 13

struct compare_metric {
	const char *col;	/* summary.csv column, also the CSV's name */
	const char *label;	/* printed, with its unit */
	const char *unit;	/* of the summary value */
	double show;		/* printed value = summary value * show */
	struct estimator est;	/* the same statistic from per-IO samples */
	int test_col;		/* sample column of the test; -1: per run */
	bool needs_merges;	/* n/a where the tier cannot see merges */
};

extern const struct compare_metric compare_metrics[COMPARE_NMETRICS];

/*
 * The unit and the printed label of a metric; with icount (QEMU counted
 * instructions for guest time: a guest ns is an instruction) its times
 * are said in instructions. label_of writes into buf when it must.
 */
const char *compare_metric_unit(const struct compare_metric *mt, bool icount);
const char *compare_metric_label(const struct compare_metric *mt, bool icount,
				 char *buf, size_t len);

#endif
