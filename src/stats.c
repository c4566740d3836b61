// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include "stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void stats_sort(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
}

double stats_percentile(const double *sorted, size_t n, double p)
{
	size_t rank;

	if (!n)
		return NAN;
	rank = (size_t)ceil(p / 100.0 * n);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

/* Inverse of the standard normal CDF (Acklam's rational approximation). */
static double norm_inv(double q)
{
	static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02,
		-3.066479806614716e+01, 2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02,
		-1.556989798598866e+02, 6.680131188771972e+01,
		-1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00,
		4.374664141464968e+00, 2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01,
		2.445134137142996e+00, 3.754408661907416e+00 };
	double r, t;

	if (q <= 0 || q >= 1)
		return q <= 0 ? -INFINITY : INFINITY;
	if (q < 0.02425) {
		t = sqrt(-2 * log(q));
		return (((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5]) /
		       ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1);
	}
	if (q > 1 - 0.02425)
		return -norm_inv(1 - q);
	t = q - 0.5;
	r = t * t;
	return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * t /
	       (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

double stats_z(double conf)
{
	return norm_inv(0.5 + conf / 2);
}

int stats_percentile_ci(const double *sorted, size_t n, double p,
			double conf, double *lo, double *hi)
{
	double q = p / 100.0, half, mid;
	long l, h;

	*lo = *hi = NAN;
	if (n < 2)
		return -1;
	mid = n * q;
	half = stats_z(conf) * sqrt(n * q * (1 - q));
	l = (long)floor(mid - half);
	h = (long)ceil(mid + half) + 1;
	if (l < 1)
		l = 1;
	if (h > (long)n)
		h = n;
	*lo = sorted[l - 1];
	*hi = sorted[h - 1];
	return 0;
}

double stats_mean(const double *v, size_t n)
{
	double s = 0;
	size_t i;

	if (!n)
		return NAN;
	for (i = 0; i < n; i++)
		s += v[i];
	return s / n;
}
