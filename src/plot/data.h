/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data files the gnuplot scripts of plots/ read, derived from the
 * results where gnuplot cannot do it well itself: CDFs of many IOs,
 * histograms on log2 bins shared by kernels, event rates over time. Each
 * is a CSV with a header row. 0, or -errno.
 */
#ifndef DIOSCOPE_PLOT_DATA_H
#define DIOSCOPE_PLOT_DATA_H

#include <stdbool.h>
#include "compare/stats.h"
#include "run/results_dir.h"

/* latency_us,fraction: the CDF of fio's latency of the joined IOs. */
int plot_write_cdf(const char *path, const struct samples *s);
/*
 * percentile, then per kernel <k>_us,<k>_lo_us,<k>_hi_us: summary.csv's
 * percentiles and their intervals.
 */
int plot_write_percentiles(const char *path, const struct results *const *r,
			   int nk, const char *scenario);
/* What the waste histogram holds, for its axes. */
struct wasted_bins {
	int rows;		/* bins written */
	double min_share;	/* the smallest share above 0, % */
	bool icount;		/* in: times are instructions, labelled so */
};

/*
 * bin_ns,bin, then the share of IOs (%) of each kernel: wasted time per
 * IO on log2 bins common to all kernels; the first bin is "no waste".
 */
int plot_write_wasted(const char *path, const struct samples *const *s,
		      int n, struct wasted_bins *wb);
/*
 * wasted_us,latency_us of the joined IOs, at most max of them, evenly
 * picked; *wasted says whether any of them was charged wasted time.
 */
int plot_write_scatter(const char *path, const struct samples *s, size_t max,
		       bool *wasted);

/*
 * t_s,pre_io_per_s,conversions_per_s,splits_per_s,merges_per_s,
 * churn_pairs_per_s of one run, from its events.csv and ios.csv, in bins
 * of about a hundredth of the run (at least 1 ms); bin_s says how wide,
 * max_rate the highest rate. The last three are left empty where merges
 * are not observed.
 */
int plot_write_timeline(const char *path, const char *run_dir, bool observed,
			double *bin_s, double *max_rate);

#endif
