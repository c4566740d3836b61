/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-IO samples of one scenario on one kernel, read back from its
 * runs' ios.csv (and events.csv, summary.csv) for compare's statistics.
 */
#ifndef DIOSCOPE_COMPARE_SAMPLES_H
#define DIOSCOPE_COMPARE_SAMPLES_H

#include <stdbool.h>
#include <stddef.h>
#include "compare/stats.h"
#include "run/results_dir.h"

/* The columns of struct samples that compare fills. */
enum io_col {
	IOC_LAT,	/* fio's latency of a joined IO, ns */
	IOC_WASTED,	/* wasted merge + split time charged to the IO, ns */
	IOC_CHURN,	/* churn pairs charged to the IO */
	IOC_SPLIT,	/* extent splits, see below */
	IOC_MERGE,	/* extent merges done, see below */
	IOC_PRE_IO,	/* PRE_IO map_blocks calls */
	/*
	 * of IOC_WASTED, on the CPU, less the run's mean cost of a traced
	 * call for each call nested in it, as the summary takes it
	 */
	IOC_WASTED_CPU,
	/* the IO's own kernel work on the CPU (corr_io_work), less the same */
	IOC_WORK_CPU,
	IOC_MAX,
};

/*
 * Loads the runs of a scenario: one row per line of each ios.csv; run_v is
 * each run's IOPS from its summary.csv. With totals, the splits and merges
 * of a run that ios.csv does not charge to an IO (done inside no IO's
 * window, or the further pairs of a merge event that joined several; the
 * run's events.csv counts them all) are spread evenly over that run's IOs,
 * so that the per-IO mean is the run's count per IO, as summary.csv has
 * it. 0, or -errno with err saying what is wrong.
 */
int samples_load(const struct run_list *runs, bool totals,
		 struct samples *s, char *err, size_t len);

#endif
