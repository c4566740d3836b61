// SPDX-License-Identifier: GPL-2.0
/*
 * The rows of compare: a metric of a kernel against the first, with the
 * difference, its interval, the per-IO test and the provisional verdict,
 * or the note that says why something is missing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "compare/cmp.h"
#include "compare/verdict.h"
#include "util/csv.h"
#include "util/err.h"

/* The Mann-Whitney test of a column between kernel 0 and k, run once. */
static const struct mwu *test_of(struct cmp *c, int k, int col)
{
	struct cmp_kernel *kk = &c->k[k];
	double *x, *y;
	size_t nx, ny;
	int t = col + 1;

	if (kk->tested[t])
		return isnan(kk->test[t].p) ? NULL : &kk->test[t];
	kk->tested[t] = true;
	kk->test[t].p = NAN;
	x = samples_values(&c->k[0].smp, col, &nx);
	y = samples_values(&kk->smp, col, &ny);
	if (x && y && nx && ny)
		mann_whitney(x, nx, y, ny, &kk->test[t]);
	free(x);
	free(y);
	return isnan(kk->test[t].p) ? NULL : &kk->test[t];
}

size_t cmp_min_runs(const struct cmp *c, int k)
{
	size_t a = c->k[0].runs.n, b = c->k[k].runs.n;

	return a < b ? a : b;
}

/* The intervals of the differences found by the bootstrap, or why there are none. */
static void fill_interval(const struct cmp *c, int m, int k,
			  struct compare_row *row)
{
	const struct boot_diff *rd = &c->rd[m * c->nk + k];

	if (compare_metrics[m].test_col < 0 && cmp_min_runs(c, k) < 2) {
		row->note = COMPARE_NOTE_RUN_VALUE_SINGLE_RUN;
		return;
	}
	row->ci_lo_pct = rd->lo;
	row->ci_hi_pct = rd->hi;
	row->ci_lo_abs = rd->abs_lo;
	row->ci_hi_abs = rd->abs_hi;
	/* a relative difference where A is 0 says so already */
	if (row->note != COMPARE_NOTE_NONE)
		return;
	if (isnan(rd->lo))
		row->note = COMPARE_NOTE_ZERO_IN_RESAMPLES;
	else if (cmp_min_runs(c, k) < 2)
		row->note = COMPARE_NOTE_SINGLE_RUN;
}

/* The per-IO rank test: information only, it decides nothing. */
static void fill_test(struct cmp *c, int m, int k, struct compare_row *row)
{
	const struct mwu *t = test_of(c, k, compare_metrics[m].test_col);

	if (!t)
		return;
	row->p_ios = t->p;
	row->test = t->exact ? "mann-whitney exact" : "mann-whitney normal";
}

/* The metric's value in each run of a kernel, NAN where none; caller frees. */
static double *per_run(const struct cmp_kernel *kk,
		       const struct compare_metric *mt)
{
	const struct samples *s = &kk->smp;
	unsigned int *w = malloc((s->nrows ? s->nrows : 1) * sizeof(*w));
	unsigned int *rw = malloc((s->nruns ? s->nruns : 1) * sizeof(*rw));
	double *v = malloc((s->nruns ? s->nruns : 1) * sizeof(*v));

	if (w && rw && v) {
		estimate_runs(s, &mt->est, w, rw, v);
	} else {
		free(v);
		v = NULL;
	}
	free(w);
	free(rw);
	return v;
}

/* A difference of kind: against the most the zero arm could hide. */
static void fill_kind(const struct cmp_kernel *a, const struct cmp_kernel *b,
		      const struct compare_metric *mt, const double *va,
		      const double *vb, struct decision *d)
{
	bool a_zero = d->zero_arm == 'A';
	const struct cmp_kernel *zero = a_zero ? a : b, *other = a_zero ? b : a;

	verdict_kind(d, a_zero ? vb : va, other->smp.nruns,
		     kind_limit(&zero->smp, &other->smp, &mt->est,
				VERDICT_KIND_EVENTS),
		     nonzero_min_run(&other->smp, mt->est.col));
}

/* The provisional verdict; verdict_family() makes it final. */
static void fill_decision(const struct cmp_kernel *a,
			  const struct cmp_kernel *b,
			  const struct compare_metric *mt,
			  struct compare_row *row)
{
	double *va = per_run(a, mt), *vb = per_run(b, mt);
	const struct verdict_diff diff = {
		row->diff_pct, row->ci_lo_pct, row->ci_hi_pct,
		row->diff_abs, row->ci_lo_abs, row->ci_hi_abs,
	};

	if (va && vb) {
		verdict_prepare(va, a->smp.nruns, vb, b->smp.nruns, &diff,
				&row->dec);
		if (row->dec.zero_arm)
			fill_kind(a, b, mt, va, vb, &row->dec);
		if (row->dec.test == RUN_TEST_KIND)
			row->note = COMPARE_NOTE_KIND;
	} else {
		ds_err("out of memory for the per-run values");
	}
	free(va);
	free(vb);
}

/* One metric of kernel k against kernel 0: values, difference, interval, test. */
void cmp_fill_row(struct cmp *c, const char *scen, int m, int k,
		  struct compare_row *row)
{
	const struct compare_metric *mt = &compare_metrics[m];
	const struct cmp_kernel *a = &c->k[0], *b = &c->k[k];
	const struct boot_diff *rd = &c->rd[m * c->nk + k];
	static const struct verdict_diff none = { NAN, NAN, NAN, NAN, NAN, NAN };

	*row = (struct compare_row){
		.scenario = scen, .metric = mt->col, .unit = mt->unit,
		.kernel_a = a->res.release, .results_a = a->res.dir,
		.kernel_b = b->res.release, .results_b = b->res.dir,
		.emulated_a = a->res.emulated, .emulated_b = b->res.emulated,
		.icount_a = a->res.icount, .icount_b = b->res.icount,
		.value_a = csv_number(results_get(&a->res, scen, mt->col)),
		.value_b = csv_number(results_get(&b->res, scen, mt->col)),
		.diff_pct = NAN, .ci_lo_pct = NAN, .ci_hi_pct = NAN,
		.diff_abs = NAN, .ci_lo_abs = NAN, .ci_hi_abs = NAN,
		.p_ios = NAN, .test = "", .note = COMPARE_NOTE_NONE,
	};
	verdict_prepare(NULL, 0, NULL, 0, &none, &row->dec);
	if (row->icount_a && row->icount_b)
		row->unit = compare_metric_unit(mt, true);
	if (mt->needs_merges && !(a->observed && b->observed)) {
		row->value_a = a->observed ? row->value_a : NAN;
		row->value_b = b->observed ? row->value_b : NAN;
		row->note = COMPARE_NOTE_NOT_OBSERVED;
		c->unobserved = true;
		return;
	}
	/* runs recorded without time off the CPU: unknown, not 0 */
	if (mt->test_col == IOC_WASTED_CPU &&
	    (isnan(row->value_a) || isnan(row->value_b))) {
		row->note = COMPARE_NOTE_UNMEASURED;
		return;
	}
	if (!c->all_samples) {
		if (row->value_a)
			row->diff_pct = 100 * (row->value_b - row->value_a) / row->value_a;
		row->diff_abs = row->value_b - row->value_a;
		row->note = COMPARE_NOTE_NO_SAMPLES;
		return;
	}
	row->diff_pct = rd->diff;
	row->diff_abs = rd->abs;
	if (isnan(rd->diff))
		row->note = row->value_a || row->value_b ?
			    COMPARE_NOTE_ZERO_IN_A : COMPARE_NOTE_ZERO_IN_BOTH;
	if (isnan(rd->abs))
		return;
	fill_interval(c, m, k, row);
	fill_test(c, m, k, row);
	fill_decision(a, b, mt, row);
}
