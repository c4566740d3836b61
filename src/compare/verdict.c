// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "compare/stats.h"
#include "compare/verdict.h"

void arm_spread(const double *v, size_t n, struct arm_spread *s)
{
	double sum = 0, ss = 0;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->mean = s->sd = s->spread_pct = NAN;
	for (i = 0; i < n; i++)
		if (isfinite(v[i])) {
			sum += v[i];
			s->n++;
		}
	if (!s->n)
		return;
	s->mean = sum / s->n;
	if (s->n < 2)
		return;
	for (i = 0; i < n; i++)
		if (isfinite(v[i]))
			ss += (v[i] - s->mean) * (v[i] - s->mean);
	s->sd = sqrt(ss / (s->n - 1));
	if (s->mean)
		s->spread_pct = 100 * s->sd / fabs(s->mean);
	else if (!s->sd)
		s->spread_pct = 0;
}

/* The finite values of v, packed; caller frees. */
static double *finite_of(const double *v, size_t n, size_t *out_n)
{
	double *o = malloc((n ? n : 1) * sizeof(*o));
	size_t i;

	*out_n = 0;
	if (!o)
		return NULL;
	for (i = 0; i < n; i++)
		if (isfinite(v[i]))
			o[(*out_n)++] = v[i];
	return o;
}

/* 0 in every run with a value, and enough of them */
static bool all_zero(const double *v, size_t n, const struct arm_spread *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (isfinite(v[i]) && v[i] != 0)
			return false;
	return s->n >= VERDICT_MIN_RUNS;
}

static bool all_above_zero(const double *v, size_t n,
			   const struct arm_spread *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (isfinite(v[i]) && !(v[i] > 0))
			return false;
	return s->n >= VERDICT_MIN_RUNS;
}

/* Welch's t of y against x into d: the provisional verdict, if any. */
static void welch_into(const double *x, size_t nx, const double *y, size_t ny,
		       struct decision *d)
{
	struct welch w;

	if (welch_test(x, nx, y, ny, &w))
		return;
	d->t = w.t;
	d->df = w.df;
	d->p = w.p;
	d->v = VERDICT_SAME;
}

void verdict_prepare(const double *a, size_t na, const double *b, size_t nb,
		     const struct verdict_diff *diff, struct decision *d)
{
	double *x, *y;
	size_t nx, ny;

	memset(d, 0, sizeof(*d));
	d->t = d->df = d->p = d->p_holm = d->noise_pct = d->noise_abs = NAN;
	d->limit = NAN;
	d->diff_pct = diff->pct;
	d->ci_lo_pct = diff->pct_lo;
	d->ci_hi_pct = diff->pct_hi;
	d->diff_abs = diff->abs;
	d->ci_lo_abs = diff->abs_lo;
	d->ci_hi_abs = diff->abs_hi;
	arm_spread(a, na, &d->a);
	arm_spread(b, nb, &d->b);
	d->v = VERDICT_UNTESTED;
	if (!d->a.n || !d->b.n || (isnan(diff->pct) && isnan(diff->abs)))
		return;
	d->noise_pct = fmax(d->a.spread_pct, d->b.spread_pct);
	d->noise_abs = fmax(d->a.sd, d->b.sd);
	if (d->a.n < VERDICT_MIN_RUNS || d->b.n < VERDICT_MIN_RUNS) {
		d->v = VERDICT_UNDECIDABLE;
		return;
	}
	if (all_zero(a, na, &d->a) && all_above_zero(b, nb, &d->b))
		d->zero_arm = 'A';
	else if (all_zero(b, nb, &d->b) && all_above_zero(a, na, &d->a))
		d->zero_arm = 'B';
	x = finite_of(a, na, &nx);
	y = finite_of(b, nb, &ny);
	if (x && y) {
		welch_into(x, nx, y, ny, d);
		d->test = RUN_TEST_WELCH;
	}
	free(x);
	free(y);
}

/* The logs of the values, in place; false if one is not above 0. */
static bool logs(double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(v[i] > 0))
			return false;
		v[i] = log(v[i]);
	}
	return true;
}

/*
 * The one-sample t of y against m into d, as Welch's would fill it; the
 * sd is at least sd_min.
 */
static void one_sample(const double *y, size_t n, double m, double sd_min,
		       struct decision *d)
{
	struct arm_spread s;
	double sd;

	arm_spread(y, n, &s);
	sd = fmax(s.sd, sd_min);
	d->df = n - 1;
	d->v = VERDICT_SAME;
	if (sd > 0)
		d->t = (s.mean - m) / (sd / sqrt(n));
	else
		d->t = s.mean > m ? INFINITY : s.mean < m ? -INFINITY : 0;
	/* the nonzero arm below what the zero arm may hide: nothing shown */
	d->p = d->t > 0 ? student_t_p(d->t, d->df) : 1;
}

/*
 * Why a difference of kind is judged this way. One arm counted 0 (churn
 * pairs, splits, wasted ns) in every run, hundreds or thousands of IOs
 * each; the other counted some in every run. Welch's t on the values
 * cannot weigh that: the zero arm has no spread, so t has n - 1 degrees
 * of freedom from the other arm alone, and with 3 runs and Holm over 11
 * metrics it needs that arm's runs within about 12 % of each other, which
 * timing-driven churn (10 % in the lab) and its wasted time (50 %) are not.
 *
 * What runs of 0 tell is an upper bound, not a value: an arm that did what
 * the other does at a rate of fewer than VERDICT_KIND_EVENTS such IOs in
 * all its IOs could have shown 0 (Poisson: P(0) < 5 % when 3 are
 * expected). So the zero arm is taken at the most it could have hidden,
 * limit: 3 IOs of the other arm's mean nonzero size over all of its own
 * IOs (kind_limit()). Taking it there can only shrink the difference.
 *
 * The test is then the one-sample t of the logs of the other arm's
 * per-run values against log(limit), with that arm's run-to-run spread
 * and n - 1 degrees of freedom: rates and times of runs vary by a factor,
 * not by a fixed amount, and a positive quantity has no normal spread
 * about 0. A run's value rests on its k events, known to a factor of
 * about 1 +- 1 / sqrt(k) (Poisson): the runs are never taken to agree
 * better than that, or 2, 2 and 2 events would be a certain difference
 * from 0 (the fewest events of a run, so the widest such spread). Its p goes into Holm's correction with every other metric of
 * the scenario, and the verdict still needs the bootstrap interval of
 * B - A to exclude 0 and |B - A| to exceed both arms' sd.
 *
 * What it assumes: the nonzero arm's per-run values spread log-normally
 * (every verdict of compare assumes a shape of the runs), and the zero
 * arm's runs are alike. An event one kernel shows in some runs and not at
 * all in others (a race a run either hits or misses) is not that: against
 * such a two-state kernel only more runs protect; a kind pattern then
 * arises by chance with probability at most 2 q^n (1 - q)^n <= 2 / 4^n
 * for n runs an arm (q: its share of zero runs), 1/32 with 3 runs, below
 * alpha / 11 only from 5 runs an arm. An event rate below the limit (1 or
 * 2 events in a run) cannot be told from a zero arm: no difference.
 */
void verdict_kind(struct decision *d, const double *v, size_t nv,
		  double limit, size_t events)
{
	double *y = finite_of(v, nv, &nv);

	if (!y || !d->zero_arm || nv < VERDICT_MIN_RUNS || !(limit > 0) ||
	    !isfinite(limit) || !events || !logs(y, nv))
		goto out;
	d->limit = limit;
	d->test = RUN_TEST_KIND;
	one_sample(y, nv, log(limit), 1 / sqrt(events), d);
	/* t is of B against A, as Welch's on the values */
	if (d->zero_arm == 'B')
		d->t = -d->t;
out:
	free(y);
}

static int cmp_p(const void *x, const void *y)
{
	double a = (*(struct decision *const *)x)->p;
	double b = (*(struct decision *const *)y)->p;

	return (a > b) - (a < b);
}

static bool excludes_zero(double lo, double hi)
{
	return !isnan(lo) && (lo > 0 || hi < 0);
}

static enum verdict judge(const struct decision *d, double alpha)
{
	/* relative where it is defined, B - A where A is 0 or the kind differs */
	bool rel = !isnan(d->diff_pct) && !d->zero_arm;
	bool rejects = d->p_holm < alpha &&
		       (rel ? excludes_zero(d->ci_lo_pct, d->ci_hi_pct) :
			      excludes_zero(d->ci_lo_abs, d->ci_hi_abs));

	if (!rejects)
		return VERDICT_SAME;
	/* Criterion's noise threshold, here measured: the runs' own wobble */
	if (rel)
		return fabs(d->diff_pct) > d->noise_pct ? VERDICT_DIFFERENT :
							 VERDICT_NOISE;
	return fabs(d->diff_abs) > d->noise_abs ? VERDICT_DIFFERENT : VERDICT_NOISE;
}

void verdict_family(struct decision *const *d, size_t n, double alpha)
{
	struct decision **t = malloc((n ? n : 1) * sizeof(*t));
	double run_max = 0;
	size_t i, m = 0;

	if (!t) {
		/* no correction possible: decide nothing rather than too much */
		for (i = 0; i < n; i++)
			if (d[i]->v == VERDICT_SAME)
				d[i]->p_holm = 1;
		return;
	}
	for (i = 0; i < n; i++)
		if (d[i]->v == VERDICT_SAME && !isnan(d[i]->p))
			t[m++] = d[i];
	qsort(t, m, sizeof(*t), cmp_p);
	/* Holm: the k-th smallest p times (m - k), kept monotone, at most 1 */
	for (i = 0; i < m; i++) {
		double adj = fmin(1, t[i]->p * (m - i));

		run_max = fmax(run_max, adj);
		t[i]->p_holm = run_max;
		t[i]->v = judge(t[i], alpha);
	}
	free(t);
}

const char *run_test_name(enum run_test t)
{
	switch (t) {
	case RUN_TEST_NONE: return "";
	case RUN_TEST_WELCH: return "welch";
	case RUN_TEST_KIND: return "kind";
	}
	return "";
}

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_UNTESTED: return "";
	case VERDICT_UNDECIDABLE: return "not decidable";
	case VERDICT_SAME: return "no";
	case VERDICT_NOISE: return "noise";
	case VERDICT_DIFFERENT: return "yes";
	}
	return "";
}

const char *verdict_phrase(enum verdict v)
{
	switch (v) {
	case VERDICT_UNTESTED: return "not tested";
	case VERDICT_UNDECIDABLE: return "not decidable: too few runs";
	case VERDICT_SAME: return "not significant";
	case VERDICT_NOISE: return "noise: within the spread between runs";
	case VERDICT_DIFFERENT: return "significant";
	}
	return "";
}
