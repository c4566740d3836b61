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

void verdict_prepare(const double *a, size_t na, const double *b, size_t nb,
		     double diff_pct, double ci_lo_pct, double ci_hi_pct,
		     struct decision *d)
{
	struct welch w;
	double *x, *y;
	size_t nx, ny;

	memset(d, 0, sizeof(*d));
	d->t = d->df = d->p = d->p_holm = d->noise_pct = NAN;
	d->diff_pct = diff_pct;
	d->ci_lo_pct = ci_lo_pct;
	d->ci_hi_pct = ci_hi_pct;
	arm_spread(a, na, &d->a);
	arm_spread(b, nb, &d->b);
	d->v = VERDICT_UNTESTED;
	if (!d->a.n || !d->b.n || isnan(diff_pct))
		return;
	d->noise_pct = fmax(d->a.spread_pct, d->b.spread_pct);
	if (d->a.n < VERDICT_MIN_RUNS || d->b.n < VERDICT_MIN_RUNS) {
		d->v = VERDICT_UNDECIDABLE;
		return;
	}
	x = finite_of(a, na, &nx);
	y = finite_of(b, nb, &ny);
	if (x && y && !welch_test(x, nx, y, ny, &w)) {
		d->t = w.t;
		d->df = w.df;
		d->p = w.p;
		d->v = VERDICT_SAME;
	}
	free(x);
	free(y);
}

static int cmp_p(const void *x, const void *y)
{
	double a = (*(struct decision *const *)x)->p;
	double b = (*(struct decision *const *)y)->p;

	return (a > b) - (a < b);
}

static enum verdict judge(const struct decision *d, double alpha)
{
	bool rejects = d->p_holm < alpha && !isnan(d->ci_lo_pct) &&
		       (d->ci_lo_pct > 0 || d->ci_hi_pct < 0);

	if (!rejects)
		return VERDICT_SAME;
	/* Criterion's noise threshold, here measured: the runs' own wobble */
	return fabs(d->diff_pct) > d->noise_pct ? VERDICT_DIFFERENT : VERDICT_NOISE;
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
