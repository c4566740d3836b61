/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The statistics of a comparison: a bootstrap confidence interval of the
 * relative difference of a statistic, resampling runs and then IOs within
 * runs, and the Mann-Whitney U test on per-IO samples.
 */
#ifndef DIOSCOPE_COMPARE_STATS_H
#define DIOSCOPE_COMPARE_STATS_H

#include <stddef.h>

/* Samples grouped by run: run r holds v[off[r]] .. v[off[r + 1] - 1]. */
struct runs {
	double *v;
	size_t *off;
	size_t nruns;
};

/* A statistic of a sample: e.g. a percentile. */
typedef double (*stat_fn)(double *v, size_t n, double arg);

double stat_percentile(double *v, size_t n, double pct);	/* sorts v */
double stat_mean(double *v, size_t n, double unused);

/*
 * 100 * (stat(b) - stat(a)) / stat(a) and its two-sided `conf` bootstrap
 * interval from `reps` resamples (runs, then IOs within each run), with a
 * fixed seed so a comparison always gives the same numbers.
 */
int bootstrap_diff_pct(const struct runs *a, const struct runs *b,
		       stat_fn fn, double arg, unsigned int reps,
		       double conf, unsigned int seed, double *diff,
		       double *lo, double *hi);

struct mwu {
	double u;	/* U of the first sample */
	double z;	/* normal approximation, tie corrected; 0 if exact */
	double p;	/* two-sided */
	int exact;
};

/*
 * Mann-Whitney U of x against y: exact distribution when both are small
 * (no more than 20 each, no ties), else the normal approximation with
 * tie and continuity correction. Sorts copies, not the inputs.
 */
int mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
		 struct mwu *out);

#endif
