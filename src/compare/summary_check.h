/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A run's summary.csv comes from the same analysis as its ios.csv: what
 * the summary counts of the run's IOs, ios.csv shows row by row. compare
 * takes its per-run values from the one and its per-IO samples from the
 * other; a summary that disagrees (edited, or left by another analysis
 * of other events) would have it mix two runs, so such a run is refused.
 */
#ifndef DIOSCOPE_COMPARE_SUMMARY_CHECK_H
#define DIOSCOPE_COMPARE_SUMMARY_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include "util/csv.h"

enum tally_item {
	TALLY_IOS,		/* rows of a kernel IO */
	TALLY_JOINED,		/* ... joined to one of fio's */
	TALLY_WRITEBACK,	/* ... of writeback */
	TALLY_LOST,		/* ... whose completion was lost or never came */
	TALLY_PRE_IO,		/* their PRE_IO calls */
	TALLY_CONV,		/* their CONVERT calls */
	TALLY_LAT,		/* fio's latency of the joined ones, summed */
	TALLY_MAX,
};

/* What ios.csv says of a run, as its rows are read. */
struct ios_tally {
	int col[TALLY_MAX];	/* the column counted, -1: not in this file */
	int io;			/* the column that marks a kernel IO's row */
	double n[TALLY_MAX];
};

/* Finds the columns in ios.csv's header and starts counting. */
void ios_tally_begin(struct ios_tally *t, const struct csv_reader *header);
void ios_tally_add(struct ios_tally *t, const struct csv_reader *row);
/*
 * Checks RUN/summary.csv against the tally of RUN/ios.csv: 0, also when
 * there is no summary or a column is on one side only; -EINVAL with err
 * naming the file, the column and both numbers when they differ.
 */
int summary_check(const char *run_dir, const struct ios_tally *t, char *err,
		  size_t len);

#endif
