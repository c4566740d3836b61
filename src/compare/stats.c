// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "compare/stats.h"
#include "util/fnv.h"
#include "util/stats.h"

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

void rng_seed(struct rng *g, uint64_t seed, uint64_t stream)
{
	g->s = splitmix64(seed ^ splitmix64(stream));
	/* xorshift must never hold 0 */
	if (!g->s)
		g->s = 0x9E3779B97F4A7C15ULL;
}

uint64_t rng_next(struct rng *g)
{
	g->s ^= g->s >> 12;
	g->s ^= g->s << 25;
	g->s ^= g->s >> 27;
	return g->s * 2685821657736338717ULL;
}

size_t rng_below(struct rng *g, size_t n)
{
	/* the high half of a 64x64 product: no division, no modulo pattern */
	return (size_t)(((unsigned __int128)rng_next(g) * n) >> 64);
}

/* Row indices ordered by their value in the column passed as arg. */
static int cmp_row(const void *a, const void *b, void *arg)
{
	const double *v = arg;
	double x = v[*(const size_t *)a], y = v[*(const size_t *)b];

	return (x > y) - (x < y);
}

int samples_index(struct samples *s)
{
	size_t c, i, n;

	for (c = 0; c < s->ncols; c++) {
		free(s->order[c]);
		s->order[c] = malloc((s->nrows ? s->nrows : 1) * sizeof(size_t));
		if (!s->order[c])
			return -ENOMEM;
		for (i = n = 0; i < s->nrows; i++)
			if (!isnan(s->col[c][i]))
				s->order[c][n++] = i;
		qsort_r(s->order[c], n, sizeof(size_t), cmp_row, s->col[c]);
		s->nord[c] = n;
	}
	return 0;
}

void samples_free(struct samples *s)
{
	size_t c;

	for (c = 0; c < SAMPLE_MAX_COLS; c++) {
		free(s->col[c]);
		free(s->order[c]);
	}
	free(s->off);
	free(s->run_v);
	memset(s, 0, sizeof(*s));
}

double *samples_values(const struct samples *s, int col, size_t *n)
{
	const double *v = col < 0 ? s->run_v : s->col[col];
	size_t len = col < 0 ? s->nruns : s->nrows, i;
	double *out = malloc((len ? len : 1) * sizeof(*out));

	*n = 0;
	if (!out || !v)
		return out;
	for (i = 0; i < len; i++)
		if (!isnan(v[i]))
			out[(*n)++] = v[i];
	return out;
}

/* Nearest rank over the rows with a value, each counted w[row] times. */
static double weighted_percentile(const struct samples *s, int col,
				  double pct, const unsigned int *w)
{
	const size_t *ord = s->order[col];
	size_t n = s->nord[col], i;
	unsigned long long total = 0, rank, seen = 0;

	if (!ord || !n)
		return NAN;
	for (i = 0; i < n; i++)
		total += w ? w[ord[i]] : 1;
	if (!total)
		return NAN;
	/* the rank stats_percentile() takes, so the estimates agree with it */
	rank = (unsigned long long)ceil(pct / 100.0 * total);
	rank = rank < 1 ? 1 : rank > total ? total : rank;
	for (i = 0; i < n; i++) {
		seen += w ? w[ord[i]] : 1;
		if (seen >= rank)
			break;
	}
	return s->col[col][ord[i < n ? i : n - 1]];
}

static double weighted_mean(const double *v, size_t n, const unsigned int *w)
{
	double sum = 0, cnt = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		double k = w ? w[i] : 1;

		if (isnan(v[i]) || !k)
			continue;
		sum += k * v[i];
		cnt += k;
	}
	return cnt ? sum / cnt : NAN;
}

double estimate(const struct samples *s, const struct estimator *e,
		const unsigned int *w, const unsigned int *rw)
{
	switch (e->kind) {
	case EST_PERCENTILE:
		return weighted_percentile(s, e->col, e->arg, w);
	case EST_MEAN:
		return e->arg * weighted_mean(s->col[e->col], s->nrows, w);
	case EST_RUN_MEAN:
		return s->run_v ? e->arg * weighted_mean(s->run_v, s->nruns, rw) : NAN;
	}
	return NAN;
}

size_t estimate_runs(const struct samples *s, const struct estimator *e,
		     unsigned int *w, unsigned int *rw, double *out)
{
	size_t r, n = 0;

	memset(w, 0, s->nrows * sizeof(*w));
	memset(rw, 0, s->nruns * sizeof(*rw));
	for (r = 0; r < s->nruns; r++) {
		size_t i;

		for (i = s->off[r]; i < s->off[r + 1]; i++)
			w[i] = 1;
		rw[r] = 1;
		out[r] = estimate(s, e, w, rw);
		n += isfinite(out[r]);
		for (i = s->off[r]; i < s->off[r + 1]; i++)
			w[i] = 0;
		rw[r] = 0;
	}
	return n;
}

void resample(const struct samples *s, struct rng *g, unsigned int *w,
	      unsigned int *rw)
{
	size_t k, i, r;

	memset(w, 0, s->nrows * sizeof(*w));
	memset(rw, 0, s->nruns * sizeof(*rw));
	for (k = 0; k < s->nruns; k++)
		rw[rng_below(g, s->nruns)]++;
	for (r = 0; r < s->nruns; r++) {
		size_t base = s->off[r], len = s->off[r + 1] - base;

		for (k = 0; len && k < rw[r]; k++)
			for (i = 0; i < len; i++)
				w[base + rng_below(g, len)]++;
	}
}

/*
 * Each scenario's bootstrap draws its own stream: FNV-1a of its name,
 * from this basis rather than FNV's (a digit short of it), which every
 * earlier comparison used: the same trees give the same intervals.
 */
#define BOOT_STREAM_BASIS 1469598103934665603ULL

uint64_t boot_stream(const char *name)
{
	return fnv1a64(BOOT_STREAM_BASIS, name, strlen(name));
}

static double rel(double base, double v)
{
	return base && isfinite(base) && isfinite(v) ? 100.0 * (v - base) / base : NAN;
}

static double sub(double base, double v)
{
	return isfinite(base) && isfinite(v) ? v - base : NAN;
}

/*
 * Difference k of estimator e in resample rep, kept as
 * d[(e * nk + k) * reps + rep], relative; the absolute one likewise in ad.
 */
struct boot_state {
	const struct samples *const *k;
	int nk, ne;
	unsigned int reps;
	unsigned int *w, *rw;
	double *stat;		/* nk * ne of the current resample */
	double *d, *ad;
	struct rng *g;
};

static void one_rep(struct boot_state *b, const struct estimator *e,
		    unsigned int rep)
{
	int k, i;

	for (k = 0; k < b->nk; k++) {
		resample(b->k[k], &b->g[k], b->w, b->rw);
		for (i = 0; i < b->ne; i++)
			b->stat[k * b->ne + i] = estimate(b->k[k], &e[i], b->w, b->rw);
	}
	for (i = 0; i < b->ne; i++)
		for (k = 1; k < b->nk; k++) {
			size_t at = ((size_t)i * b->nk + k) * b->reps + rep;

			b->d[at] = rel(b->stat[i], b->stat[k * b->ne + i]);
			b->ad[at] = sub(b->stat[i], b->stat[k * b->ne + i]);
		}
}

/*
 * The interval from the finite differences into lo, hi (NAN when too many
 * were not); how many were finite.
 */
static unsigned int interval(double *d, unsigned int reps, double conf,
			     double *lo, double *hi)
{
	unsigned int i, n = 0;

	for (i = 0; i < reps; i++)
		if (isfinite(d[i]))
			d[n++] = d[i];
	*lo = *hi = NAN;
	/* resamples with a zero base would bias what is left: 1 % at most */
	if (n < 20 || n < reps - reps / 100)
		return n;
	stats_sort(d, n);
	*lo = stats_percentile(d, n, 100 * (1 - conf) / 2);
	*hi = stats_percentile(d, n, 100 * (1 + conf) / 2);
	return n;
}

static int boot_alloc(struct boot_state *b)
{
	size_t rows = 1, runs = 1;
	int k;

	for (k = 0; k < b->nk; k++) {
		if (b->k[k]->nrows > rows)
			rows = b->k[k]->nrows;
		if (b->k[k]->nruns > runs)
			runs = b->k[k]->nruns;
	}
	b->w = malloc(rows * sizeof(*b->w));
	b->rw = malloc(runs * sizeof(*b->rw));
	b->stat = malloc((size_t)b->nk * b->ne * sizeof(*b->stat));
	b->d = malloc((size_t)b->ne * b->nk * b->reps * sizeof(*b->d));
	b->ad = malloc((size_t)b->ne * b->nk * b->reps * sizeof(*b->ad));
	b->g = malloc(b->nk * sizeof(*b->g));
	return b->w && b->rw && b->stat && b->d && b->ad && b->g ? 0 : -ENOMEM;
}

static void boot_free(struct boot_state *b)
{
	free(b->w);
	free(b->rw);
	free(b->stat);
	free(b->d);
	free(b->ad);
	free(b->g);
}

int bootstrap_diff(const struct samples *const *k, int nk,
		       const struct estimator *e, int ne,
		       const struct boot_opts *o, uint64_t stream,
		       struct boot_diff *out)
{
	struct boot_state b = { .k = k, .nk = nk, .ne = ne, .reps = o->reps };
	unsigned int rep;
	int i, j, err;

	err = boot_alloc(&b);
	if (err)
		goto out;
	for (j = 0; j < nk; j++)
		rng_seed(&b.g[j], o->seed, stream * 131 + j);
	for (i = 0; i < ne; i++) {
		double base = estimate(k[0], &e[i], NULL, NULL);

		for (j = 1; j < nk; j++) {
			double v = estimate(k[j], &e[i], NULL, NULL);

			out[i * nk + j].diff = rel(base, v);
			out[i * nk + j].abs = sub(base, v);
		}
	}
	for (rep = 0; rep < o->reps; rep++)
		one_rep(&b, e, rep);
	for (i = 0; i < ne; i++)
		for (j = 1; j < nk; j++) {
			struct boot_diff *r = &out[i * nk + j];
			size_t at = ((size_t)i * nk + j) * o->reps;

			r->valid = interval(b.d + at, o->reps, o->conf, &r->lo, &r->hi);
			interval(b.ad + at, o->reps, o->conf, &r->abs_lo, &r->abs_hi);
		}
out:
	boot_free(&b);
	return err;
}

/* The mean of the nonzero values of a column; NAN if none. */
static double mean_nonzero(const struct samples *s, int col)
{
	double sum = 0;
	size_t i, n = 0;

	for (i = 0; i < s->nrows; i++) {
		double v = s->col[col][i];

		if (isnan(v) || !v)
			continue;
		sum += fabs(v);
		n++;
	}
	return n ? sum / n : NAN;
}

double kind_limit(const struct samples *zero, const struct samples *other,
		  const struct estimator *e, double events)
{
	size_t i, ios = 0;
	double size;

	if (e->kind != EST_MEAN || e->col < 0 || (size_t)e->col >= other->ncols ||
	    (size_t)e->col >= zero->ncols)
		return NAN;
	size = mean_nonzero(other, e->col);
	for (i = 0; i < zero->nrows; i++)
		ios += !isnan(zero->col[e->col][i]);
	return ios && !isnan(size) ? e->arg * events * size / ios : NAN;
}

size_t nonzero_min_run(const struct samples *s, int col)
{
	size_t r, i, min = SIZE_MAX;

	if (col < 0 || (size_t)col >= s->ncols || !s->nruns)
		return 0;
	for (r = 0; r < s->nruns; r++) {
		size_t n = 0;

		for (i = s->off[r]; i < s->off[r + 1]; i++)
			n += !isnan(s->col[col][i]) && s->col[col][i] != 0;
		if (n < min)
			min = n;
	}
	return min;
}

/*
 * The continued fraction of the regularized incomplete beta function
 * I_x(a, b), evaluated by the modified Lentz method; it converges fast
 * for x < (a + 1) / (a + b + 2), and the caller uses the symmetry
 * I_x(a, b) = 1 - I_(1-x)(b, a) elsewhere.
 */
static double beta_cf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1, d = 1 - (a + b) * x / (a + 1), f;
	int m;

	d = 1 / (fabs(d) < tiny ? tiny : d);
	f = d;
	for (m = 1; m <= 300; m++) {
		double num, delta;
		int step;

		for (step = 0; step < 2; step++) {
			num = step ? -(a + m) * (a + b + m) * x /
				     ((a + 2 * m) * (a + 2 * m + 1)) :
				     m * (b - m) * x /
				     ((a + 2 * m - 1) * (a + 2 * m));
			d = 1 + num * d;
			d = 1 / (fabs(d) < tiny ? tiny : d);
			c = 1 + num / c;
			c = fabs(c) < tiny ? tiny : c;
			delta = c * d;
			f *= delta;
		}
		if (fabs(delta - 1) < 1e-15)
			break;
	}
	return f;
}

static double inc_beta(double a, double b, double x)
{
	double front;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) +
		    a * log(x) + b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return front * beta_cf(a, b, x) / a;
	return 1 - front * beta_cf(b, a, 1 - x) / b;
}

double student_t_p(double t, double df)
{
	if (isnan(t) || isnan(df) || df <= 0)
		return NAN;
	if (isinf(t))
		return 0;
	/* P(|T| >= |t|) = I_(df / (df + t^2))(df / 2, 1 / 2) */
	return inc_beta(df / 2, 0.5, df / (df + t * t));
}

double student_t_quantile(double conf, double df)
{
	double lo = 0, hi = 1e6, mid;
	int i;

	if (isnan(df) || df <= 0 || !(conf > 0 && conf < 1))
		return NAN;
	/* bisection: p falls as t grows; 1e6 is beyond any df >= 0.5 */
	for (i = 0; i < 200; i++) {
		mid = (lo + hi) / 2;
		if (student_t_p(mid, df) > 1 - conf)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

static void mean_var(const double *v, size_t n, double *mean, double *var)
{
	double s = 0, ss = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += v[i];
	*mean = s / n;
	for (i = 0; i < n; i++)
		ss += (v[i] - *mean) * (v[i] - *mean);
	*var = ss / (n - 1);
}

int welch_test(const double *x, size_t nx, const double *y, size_t ny,
	       struct welch *out)
{
	double mx, vx, my, vy, se2, qx, qy;

	out->t = out->df = out->p = NAN;
	if (nx < 2 || ny < 2)
		return -EINVAL;
	mean_var(x, nx, &mx, &vx);
	mean_var(y, ny, &my, &vy);
	qx = vx / nx;
	qy = vy / ny;
	se2 = qx + qy;
	out->df = (double)nx + ny - 2;
	if (se2 <= 0) {
		out->t = my == mx ? 0 : my > mx ? INFINITY : -INFINITY;
		out->p = my == mx ? 1 : 0;
		return 0;
	}
	out->t = (my - mx) / sqrt(se2);
	out->df = se2 * se2 / (qx * qx / (nx - 1) + qy * qy / (ny - 1));
	out->p = student_t_p(out->t, out->df);
	return 0;
}

int mean_t_interval(const double *v, size_t n, double conf,
		    struct mean_ci *out)
{
	double var, half;

	out->mean = out->lo = out->hi = out->sd = NAN;
	if (!n)
		return -EINVAL;
	if (n == 1) {
		out->mean = v[0];
		return 0;
	}
	mean_var(v, n, &out->mean, &var);
	out->sd = sqrt(var);
	half = student_t_quantile(conf, n - 1) * out->sd / sqrt(n);
	out->lo = out->mean - half;
	out->hi = out->mean + half;
	return 0;
}

struct ranked {
	double v;
	int from_x;
};

static int cmp_ranked(const void *a, const void *b)
{
	double x = ((const struct ranked *)a)->v, y = ((const struct ranked *)b)->v;

	return (x > y) - (x < y);
}

/*
 * Twice the mid-rank of each value (integers even with ties), their sum over
 * x, and the tie term sum(t^3 - t) over groups of t equal values.
 */
static int rank_all(const double *x, size_t nx, const double *y, size_t ny,
		    unsigned int **rank2, unsigned long long *r2x, double *ties)
{
	size_t n = nx + ny, i, j, k;
	struct ranked *all = malloc(n * sizeof(*all));

	*rank2 = malloc(n * sizeof(**rank2));
	if (!all || !*rank2) {
		free(all);
		free(*rank2);
		return -ENOMEM;
	}
	for (i = 0; i < nx; i++)
		all[i] = (struct ranked){ x[i], 1 };
	for (i = 0; i < ny; i++)
		all[nx + i] = (struct ranked){ y[i], 0 };
	qsort(all, n, sizeof(*all), cmp_ranked);
	*r2x = 0;
	*ties = 0;
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && all[j].v == all[i].v; j++)
			;
		*ties += (double)(j - i) * (j - i) * (j - i) - (j - i);
		for (k = i; k < j; k++) {
			(*rank2)[k] = i + 1 + j;	/* 2 * mean of ranks i+1 .. j */
			if (all[k].from_x)
				*r2x += i + 1 + j;
		}
	}
	free(all);
	return 0;
}

/*
 * The permutation distribution of the sum of doubled ranks over nx of the
 * n values: ways[s] counts the subsets of size nx summing to s. Two-sided:
 * the share of subsets at least as far from the mean as the observed one.
 */
static int exact_p(const unsigned int *rank2, size_t n, size_t nx,
		   unsigned long long r2x, double *p)
{
	size_t smax = (size_t)n * (n + 1), i, j, s;
	double *ways = calloc((nx + 1) * (smax + 1), sizeof(*ways));
	double mean = (double)nx * (n + 1), dist, hit = 0, all = 0;

	if (!ways)
		return -ENOMEM;
	ways[0] = 1;
	for (i = 0; i < n; i++)
		for (j = (i + 1 < nx ? i + 1 : nx); j >= 1; j--)
			for (s = smax; s >= rank2[i]; s--)
				ways[j * (smax + 1) + s] +=
					ways[(j - 1) * (smax + 1) + s - rank2[i]];
	dist = fabs((double)r2x - mean);
	for (s = 0; s <= smax; s++) {
		double c = ways[nx * (smax + 1) + s];

		all += c;
		if (fabs((double)s - mean) >= dist - 1e-9)
			hit += c;
	}
	free(ways);
	*p = hit / all;
	return 0;
}

static void normal_p(double u, size_t nx, size_t ny, double ties,
		     struct mwu *out)
{
	double n = (double)nx + ny, mu = (double)nx * ny / 2, d = u - mu;
	double var = (double)nx * ny / 12 * ((n + 1) - ties / (n * (n - 1)));

	out->z = 0;
	out->p = 1;
	/* all values equal, or U within the continuity correction of its mean */
	if (var <= 0 || fabs(d) <= 0.5)
		return;
	out->z = (d - (d > 0 ? 0.5 : -0.5)) / sqrt(var);
	out->p = erfc(fabs(out->z) / sqrt(2));
}

int mann_whitney_method(const double *x, size_t nx, const double *y,
			size_t ny, bool exact, struct mwu *out)
{
	unsigned long long r2x;
	unsigned int *rank2;
	double ties;
	int err;

	memset(out, 0, sizeof(*out));
	out->p = NAN;
	if (!nx || !ny)
		return -EINVAL;
	err = rank_all(x, nx, y, ny, &rank2, &r2x, &ties);
	if (err)
		return err;
	out->u = r2x / 2.0 - (double)nx * (nx + 1) / 2;
	out->exact = exact;
	if (exact)
		err = exact_p(rank2, nx + ny, nx, r2x, &out->p);
	else
		normal_p(out->u, nx, ny, ties, out);
	free(rank2);
	if (out->p > 1)
		out->p = 1;
	return err;
}

int mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
		 struct mwu *out)
{
	return mann_whitney_method(x, nx, y, ny,
				   nx <= MWU_EXACT_MAX && ny <= MWU_EXACT_MAX,
				   out);
}
