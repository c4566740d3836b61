// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "compare_stats.h"
#include "stats.h"

double stat_percentile(double *v, size_t n, double pct)
{
	stats_sort(v, n);
	return stats_percentile(v, n, pct);
}

double stat_mean(double *v, size_t n, double unused)
{
	return stats_mean(v, n);
}

/* xorshift64*: reproducible and fast; statistics, not secrets */
static unsigned long long rng_next(unsigned long long *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static size_t rng_below(unsigned long long *s, size_t n)
{
	return rng_next(s) % n;
}

static size_t total(const struct runs *r)
{
	return r->off[r->nruns];
}

/* One resample: runs with replacement, then IOs within each run. */
static size_t resample(const struct runs *r, double *out,
		       unsigned long long *s)
{
	size_t k, i, n = 0;

	for (k = 0; k < r->nruns; k++) {
		size_t run = rng_below(s, r->nruns);
		size_t base = r->off[run], len = r->off[run + 1] - base;

		for (i = 0; i < len; i++)
			out[n++] = r->v[base + rng_below(s, len)];
	}
	return n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int bootstrap_diff_pct(const struct runs *a, const struct runs *b,
		       stat_fn fn, double arg, unsigned int reps,
		       double conf, unsigned int seed, double *diff,
		       double *lo, double *hi)
{
	unsigned long long s = seed * 0x9E3779B97F4A7C15ULL + 1;
	size_t na = total(a), nb = total(b), max;
	double *bufa, *bufb, *d, sa, sb;
	unsigned int r, k = 0;

	*diff = *lo = *hi = NAN;
	if (!na || !nb || !a->nruns || !b->nruns)
		return -EINVAL;
	/* resamples of runs of unequal size can hold up to nruns * longest */
	max = 0;
	for (r = 0; r < a->nruns; r++)
		if (a->off[r + 1] - a->off[r] > max)
			max = a->off[r + 1] - a->off[r];
	for (r = 0; r < b->nruns; r++)
		if (b->off[r + 1] - b->off[r] > max)
			max = b->off[r + 1] - b->off[r];
	max *= a->nruns > b->nruns ? a->nruns : b->nruns;
	bufa = malloc(max * sizeof(*bufa));
	bufb = malloc(max * sizeof(*bufb));
	d = malloc(reps * sizeof(*d));
	if (!bufa || !bufb || !d) {
		free(bufa);
		free(bufb);
		free(d);
		return -ENOMEM;
	}
	memcpy(bufa, a->v, na * sizeof(*bufa));
	memcpy(bufb, b->v, nb * sizeof(*bufb));
	sa = fn(bufa, na, arg);
	sb = fn(bufb, nb, arg);
	*diff = sa ? 100.0 * (sb - sa) / sa : NAN;
	for (r = 0; r < reps; r++) {
		size_t ma = resample(a, bufa, &s), mb = resample(b, bufb, &s);
		double ra = fn(bufa, ma, arg), rb = fn(bufb, mb, arg);

		if (ra != 0 && isfinite(ra) && isfinite(rb))
			d[k++] = 100.0 * (rb - ra) / ra;
	}
	if (k >= 10) {
		qsort(d, k, sizeof(*d), cmp_double);
		*lo = d[(size_t)floor((1 - conf) / 2 * (k - 1))];
		*hi = d[(size_t)ceil((1 + conf) / 2 * (k - 1))];
	}
	free(bufa);
	free(bufb);
	free(d);
	return 0;
}

/* P(U <= u) for sizes m, n without ties: counts of rank arrangements. */
static double exact_cdf(int m, int n, int u)
{
	static double f[21][21][401];
	static int ready;
	double total_ways = 1;
	double acc = 0;
	int i, j, k;

	if (!ready) {
		for (i = 0; i <= 20; i++)
			for (j = 0; j <= 20; j++)
				for (k = 0; k <= 400; k++) {
					if (!i || !j) {
						f[i][j][k] = k == 0;
						continue;
					}
					f[i][j][k] = f[i][j - 1][k] +
						     (k >= j ? f[i - 1][j][k - j] : 0);
				}
		ready = 1;
	}
	/* C(m + n, m) arrangements in all */
	for (i = 1; i <= m; i++)
		total_ways = total_ways * (n + i) / i;
	for (k = 0; k <= u && k <= m * n; k++)
		acc += f[m][n][k];
	return acc / total_ways;
}

int mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
		 struct mwu *out)
{
	size_t n = nx + ny, i, j;
	struct item { double v; int from_x; } *all;
	double rank_x = 0, ties = 0, mu, sigma, u;
	bool any_tie = false;

	memset(out, 0, sizeof(*out));
	if (!nx || !ny)
		return -EINVAL;
	all = malloc(n * sizeof(*all));
	if (!all)
		return -ENOMEM;
	for (i = 0; i < nx; i++)
		all[i] = (struct item){ x[i], 1 };
	for (i = 0; i < ny; i++)
		all[nx + i] = (struct item){ y[i], 0 };
	qsort(all, n, sizeof(*all), cmp_double);	/* v is the first member */
	/* mid-ranks for ties */
	for (i = 0; i < n; i = j) {
		double r, t;
		size_t k;

		for (j = i + 1; j < n && all[j].v == all[i].v; j++)
			;
		r = (i + 1 + j) / 2.0;
		t = j - i;
		if (t > 1) {
			any_tie = true;
			ties += t * t * t - t;
		}
		for (k = i; k < j; k++)
			if (all[k].from_x)
				rank_x += r;
	}
	free(all);
	u = rank_x - nx * (nx + 1) / 2.0;
	out->u = u;
	if (nx <= 20 && ny <= 20 && !any_tie) {
		double lo = u < nx * ny / 2.0 ? u : nx * ny - u;

		out->exact = 1;
		out->p = 2 * exact_cdf(nx, ny, (int)lo);
		if (out->p > 1)
			out->p = 1;
		return 0;
	}
	mu = nx * ny / 2.0;
	sigma = sqrt(nx * ny / 12.0 * ((n + 1) - ties / ((double)n * (n - 1))));
	if (sigma == 0) {
		out->p = 1;
		return 0;
	}
	/* continuity correction toward the mean */
	out->z = (u - mu + (u < mu ? 0.5 : -0.5)) / sigma;
	if ((u - mu) * (u - mu) < 0.25)
		out->z = 0;
	out->p = erfc(fabs(out->z) / sqrt(2));
	return 0;
}
