/* SPDX-License-Identifier: GPL-2.0 */
/* Percentiles and their distribution-free confidence intervals. */
#ifndef DIOSCOPE_STATS_H
#define DIOSCOPE_STATS_H

#include <stddef.h>

/* Sort n doubles in place, ascending. */
void stats_sort(double *v, size_t n);
/* The p-th percentile (0 < p <= 100) of sorted values, nearest rank. */
double stats_percentile(const double *sorted, size_t n, double p);
/*
 * A confidence interval for the p-th percentile from order statistics:
 * the ranks a binomial(n, p) count falls between with probability conf
 * (normal approximation). Needs no assumption on the distribution.
 * Returns 0, or -1 when n is too small for any interval (lo = hi = NAN).
 */
int stats_percentile_ci(const double *sorted, size_t n, double p,
			double conf, double *lo, double *hi);
double stats_mean(const double *v, size_t n);
/* The two-sided standard normal quantile for a confidence level. */
double stats_z(double conf);

#endif
