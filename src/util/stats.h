/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Percentiles and their distribution-free confidence intervals.
 *
 * Percentiles are nearest-rank: the p-th percentile of n sorted values is
 * the value of rank ceil(p/100 * n) (1-based, clamped to 1..n), always one
 * of the samples, never an interpolation. Everything that reports a
 * percentile (summary.csv, compare) uses this one definition.
 */
#ifndef DIOSCOPE_STATS_H
#define DIOSCOPE_STATS_H

#include <stddef.h>

/* The confidence of every interval dioscope states (summary, compare) */
#define STATS_CONFIDENCE 0.95

/*
 * Sort n doubles ascending, in place. A radix sort on the bit patterns:
 * tens of millions of latencies sort in well under a second. NaNs sort
 * after +inf. Returns 0, or -ENOMEM (v is then sorted by qsort instead).
 */
int stats_sort(double *v, size_t n);

/*
 * What stats_sort would leave at the given 1-based ranks (out of 1..n:
 * ignored), each put in its place, every other value moved to the side
 * of it a sort would: the percentiles and intervals of those ranks read
 * from v as from a sorted array, without sorting all of it. Ranks in any
 * order. Short of memory, v is sorted whole.
 */
void stats_select(double *v, size_t n, const size_t *ranks, size_t nranks);

/* The nearest rank of the p-th percentile of n values (1-based). */
size_t stats_percentile_rank(size_t n, double p);

/* The p-th percentile (0 < p <= 100) of sorted values; NAN when n is 0. */
double stats_percentile(const double *sorted, size_t n, double p);

/*
 * The 1-based ranks [*lo_rank, *hi_rank] of the order statistics that hold
 * the p-th percentile with probability >= conf, whatever the distribution:
 * the number of samples below the true percentile is binomial(n, p/100),
 * and each tail outside the interval has probability <= (1 - conf) / 2
 * (computed exactly, not by a normal approximation). A rank that would
 * fall outside 1..n is 0 (no lower bound) or n + 1 (no upper bound).
 * Returns 0, or -EINVAL for n == 0 or p, conf out of range.
 */
int stats_percentile_ci_ranks(size_t n, double p, double conf,
			      size_t *lo_rank, size_t *hi_rank);

/*
 * The same interval as values of the sorted samples. A side the samples
 * cannot bound (too few of them for that percentile and confidence) is
 * NAN, so it shows as unknown rather than as a made-up bound. Returns 0
 * when both sides are bounded, 1 when one or both are NAN, -EINVAL on
 * bad arguments (both NAN).
 */
int stats_percentile_ci(const double *sorted, size_t n, double p,
			double conf, double *lo, double *hi);

/* The arithmetic mean; NAN when n is 0. */
double stats_mean(const double *v, size_t n);

#endif
