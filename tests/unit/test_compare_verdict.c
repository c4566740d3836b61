// SPDX-License-Identifier: GPL-2.0
/*
 * compare's verdict on per-run values: Student's t against closed forms
 * and numerical integration, Welch's t on a worked example, Holm's
 * correction, the noise threshold and the minimum number of runs, and, on
 * simulated arms whose runs drift but whose kernels are the same, a rate
 * of false differences at most alpha where the per-IO rule of old called
 * several times as many significant.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "compare/stats.h"
#include "compare/verdict.h"

/* P(|T| >= t) by Simpson's rule on the density, independent of stats.c */
static double t_tail_numeric(double t, double df)
{
	double c = exp(lgamma((df + 1) / 2) - lgamma(df / 2)) / sqrt(df * M_PI);
	double h = t / 20000, sum = 0;
	int i;

	for (i = 0; i <= 20000; i++) {
		double x = i * h, f = c * pow(1 + x * x / df, -(df + 1) / 2);

		sum += f * (i == 0 || i == 20000 ? 1 : i % 2 ? 4 : 2);
	}
	return 1 - 2 * sum * h / 3;
}

static void test_student_t(void **state)
{
	/* df 1 is Cauchy: P(|T| >= 1) = 1/2 */
	assert_true(fabs(student_t_p(1, 1) - 0.5) < 1e-12);
	/* df 2: P(|T| >= t) = 1 - t / sqrt(2 + t^2) */
	assert_true(fabs(student_t_p(2, 2) - (1 - 2 / sqrt(6))) < 1e-12);
	assert_true(fabs(student_t_p(-2, 2) - (1 - 2 / sqrt(6))) < 1e-12);
	/* the 97.5 % quantile of t with 3 df is 3.182446 */
	assert_true(fabs(student_t_p(3.182446, 3) - 0.05) < 1e-6);
	/* many df: the normal, 1.959964 for 5 % */
	assert_true(fabs(student_t_p(1.959964, 1e7) - 0.05) < 1e-5);
	/* fractional df as Welch gives them */
	assert_true(fabs(student_t_p(1.897367, 5.882353) -
			 t_tail_numeric(1.897367, 5.882353)) < 1e-7);
	assert_true(fabs(student_t_p(7.5, 2.3) - t_tail_numeric(7.5, 2.3)) < 1e-7);
	assert_true(student_t_p(0, 4) == 1);
	assert_true(student_t_p(INFINITY, 4) == 0);
	assert_true(isnan(student_t_p(1, 0)));
}

/*
 * x = 1..5: mean 3, variance 2.5; y = 2, 4 .. 10: mean 6, variance 10.
 * se^2 = 2.5 / 5 + 10 / 5 = 2.5, t = 3 / sqrt(2.5) = 1.897367,
 * df = 2.5^2 / (0.5^2 / 4 + 2^2 / 4) = 5.882353.
 */
static void test_welch(void **state)
{
	const double x[] = { 1, 2, 3, 4, 5 }, y[] = { 2, 4, 6, 8, 10 };
	const double c[] = { 7, 7, 7 }, d[] = { 8, 8, 8 };
	struct welch w;

	assert_int_equal(welch_test(x, 5, y, 5, &w), 0);
	assert_true(fabs(w.t - 3 / sqrt(2.5)) < 1e-12);
	assert_true(fabs(w.df - 6.25 / 1.0625) < 1e-12);
	assert_true(fabs(w.p - t_tail_numeric(w.t, w.df)) < 1e-7);
	assert_true(w.p > 0.1 && w.p < 0.11);
	assert_int_equal(welch_test(y, 5, x, 5, &w), 0);
	assert_true(fabs(w.t + 3 / sqrt(2.5)) < 1e-12);
	/* no spread at all: equal is p 1, different is p 0 */
	assert_int_equal(welch_test(c, 3, c, 3, &w), 0);
	assert_true(w.p == 1);
	assert_int_equal(welch_test(c, 3, d, 3, &w), 0);
	assert_true(w.p == 0 && w.t > 0);
	assert_int_equal(welch_test(x, 1, y, 5, &w), -EINVAL);
}

/* A decision as verdict_prepare() leaves one, with p as given. */
static struct decision pending(double p, double diff, double noise)
{
	struct decision d;

	memset(&d, 0, sizeof(d));
	d.v = VERDICT_SAME;
	d.p = p;
	d.diff_pct = diff;
	d.ci_lo_pct = diff / 2;
	d.ci_hi_pct = diff * 1.5;
	d.noise_pct = noise;
	return d;
}

static void test_holm(void **state)
{
	struct decision a = pending(0.01, 10, 1), b = pending(0.04, 10, 1);
	struct decision c = pending(0.03, 10, 1), e = pending(0.001, 10, 20);
	struct decision u = pending(NAN, 10, 1);
	struct decision *f[] = { &a, &b, &c };
	struct decision *g[] = { &e, &u };

	/* 0.01 * 3 = 0.03; 0.03 * 2 = 0.06; max(0.04, 0.06) = 0.06 */
	verdict_family(f, 3, 0.05);
	assert_true(fabs(a.p_holm - 0.03) < 1e-12);
	assert_true(fabs(c.p_holm - 0.06) < 1e-12);
	assert_true(fabs(b.p_holm - 0.06) < 1e-12);
	assert_int_equal(a.v, VERDICT_DIFFERENT);
	assert_int_equal(b.v, VERDICT_SAME);
	assert_int_equal(c.v, VERDICT_SAME);
	/* rejected, but 10 % is within the runs' 20 %: noise; no p, no test */
	u.v = VERDICT_UNDECIDABLE;
	verdict_family(g, 2, 0.05);
	assert_true(fabs(e.p_holm - 0.001) < 1e-12);
	assert_int_equal(e.v, VERDICT_NOISE);
	assert_int_equal(u.v, VERDICT_UNDECIDABLE);
	assert_string_equal(verdict_name(VERDICT_NOISE), "noise");
	assert_string_equal(verdict_name(VERDICT_UNDECIDABLE), "not decidable");
}

/* Runs with an sd of 10 %: a shift of 8 % is found by the test, but noise. */
static void test_noise_threshold(void **state)
{
	double a[30], b[30];
	struct decision d, *f[] = { &d };
	int i;

	for (i = 0; i < 30; i++) {
		a[i] = 100 + (i % 2 ? 10 : -10);
		b[i] = 108 + (i % 2 ? 10 : -10);
	}
	verdict_prepare(a, 30, b, 30, 8, 5, 11, &d);
	assert_true(d.a.n == 30 && d.b.n == 30);
	assert_true(fabs(d.a.spread_pct - 100 * sqrt(100 * 30 / 29.0) / 100) < 1e-9);
	verdict_family(f, 1, 0.05);
	assert_true(d.p_holm < 0.01);
	assert_int_equal(d.v, VERDICT_NOISE);
	/* the same with a 30 % shift is a difference */
	for (i = 0; i < 30; i++)
		b[i] = a[i] * 1.3;
	verdict_prepare(a, 30, b, 30, 30, 25, 35, &d);
	verdict_family(f, 1, 0.05);
	assert_int_equal(d.v, VERDICT_DIFFERENT);
}

static void test_min_runs(void **state)
{
	const double a[] = { 100, 101, NAN }, b[] = { 200, 201, 202 };
	struct decision d, *f[] = { &d };

	/* two runs with a value: not decidable, whatever the difference */
	verdict_prepare(a, 3, b, 3, 100, 90, 110, &d);
	verdict_family(f, 1, 0.05);
	assert_int_equal(d.v, VERDICT_UNDECIDABLE);
	assert_true(isnan(d.p));
	assert_true(d.a.n == 2);
	verdict_prepare(b, 3, a, 2, -50, -55, -45, &d);
	assert_int_equal(d.v, VERDICT_UNDECIDABLE);
	verdict_prepare(b, 3, b, 3, 0, -1, 1, &d);
	verdict_family(f, 1, 0.05);
	assert_int_equal(d.v, VERDICT_SAME);
}

static double normal(struct rng *g)
{
	double u = (rng_next(g) >> 11) * 0x1.0p-53, v = (rng_next(g) >> 11) * 0x1.0p-53;

	return sqrt(-2 * log1p(-u)) * cos(2 * M_PI * v);
}

/*
 * An arm of nruns runs of nios lognormal latencies, each run scaled by its
 * own factor exp(drift * N(0, 1)): the machine's run-to-run variation.
 */
static void make_arm(struct samples *s, struct rng *g, size_t nruns,
		     size_t nios, double scale, double drift)
{
	size_t r, i;

	memset(s, 0, sizeof(*s));
	s->nrows = nruns * nios;
	s->nruns = nruns;
	s->ncols = 1;
	s->col[0] = malloc(s->nrows * sizeof(double));
	s->off = malloc((nruns + 1) * sizeof(size_t));
	s->run_v = malloc(nruns * sizeof(double));
	assert_non_null(s->col[0]);
	assert_non_null(s->off);
	assert_non_null(s->run_v);
	for (r = 0; r < nruns; r++) {
		double f = scale * exp(drift * normal(g)), sum = 0;

		s->off[r] = r * nios;
		for (i = 0; i < nios; i++) {
			s->col[0][r * nios + i] = f * 200e3 * exp(0.25 * normal(g));
			sum += s->col[0][r * nios + i];
		}
		s->run_v[r] = nios / (sum / 4 / 1e9);
	}
	s->off[nruns] = s->nrows;
	assert_int_equal(samples_index(s), 0);
}

static const struct estimator est[] = {
	{ EST_PERCENTILE, 0, 50 },
	{ EST_PERCENTILE, 0, 90 },
	{ EST_MEAN, 0, 1 },
	{ EST_RUN_MEAN, -1, 1 },
};
#define NEST 4

struct trial {
	int verdicts[VERDICT_DIFFERENT + 1];
	int old_rule;	/* families where a metric had per-IO Mann-Whitney p < 0.05
			   and an interval that excludes 0: the rule of old */
};

/* One comparison of two arms over the estimators, as compare makes it. */
static void one_trial(uint64_t seed, size_t nruns, size_t nios,
		      double scale_b, double drift, struct trial *t)
{
	struct boot_opts o = { .reps = 200, .conf = 0.95, .seed = seed };
	struct samples a, b;
	const struct samples *k[2] = { &a, &b };
	struct rel_diff rd[NEST * 2];
	struct decision d[NEST], *f[NEST];
	unsigned int *w, *rw;
	double va[16], vb[16];
	struct rng g;
	struct mwu u;
	int e, old = 0;

	rng_seed(&g, seed, 77);
	make_arm(&a, &g, nruns, nios, 1, drift);
	make_arm(&b, &g, nruns, nios, scale_b, drift);
	assert_int_equal(bootstrap_rel_diff(k, 2, est, NEST, &o, 1, rd), 0);
	w = malloc(a.nrows * sizeof(*w));
	rw = malloc(nruns * sizeof(*rw));
	assert_non_null(w);
	assert_non_null(rw);
	for (e = 0; e < NEST; e++) {
		const struct rel_diff *r = &rd[e * 2 + 1];

		estimate_runs(&a, &est[e], w, rw, va);
		estimate_runs(&b, &est[e], w, rw, vb);
		verdict_prepare(va, nruns, vb, nruns, r->diff, r->lo, r->hi, &d[e]);
		f[e] = &d[e];
		if (est[e].col < 0)
			mann_whitney(va, nruns, vb, nruns, &u);
		else
			mann_whitney(a.col[0], a.nrows, b.col[0], b.nrows, &u);
		old |= u.p < 0.05 && (r->lo > 0 || r->hi < 0);
	}
	t->old_rule += old;
	verdict_family(f, NEST, VERDICT_ALPHA);
	for (e = 0; e < NEST; e++) {
		t->verdicts[d[e].v]++;
		if (getenv("VERDICT_DEBUG"))
			print_message("# %d: diff %.2f [%.2f, %.2f] p %.4f holm %.4f noise %.2f -> %s\n",
				      e, d[e].diff_pct, d[e].ci_lo_pct, d[e].ci_hi_pct, d[e].p,
				      d[e].p_holm, d[e].noise_pct, verdict_name(d[e].v));
	}
	free(w);
	free(rw);
	samples_free(&a);
	samples_free(&b);
}

/*
 * Runs drift by 10 % (sd) between runs, the kernels are the same: the
 * family-wise rate of false differences stays at most alpha, where the
 * rule on IOs called several times as many comparisons different.
 */
static void test_drift_no_effect(void **state)
{
	struct trial t = { 0 };
	int i, n = 60;

	for (i = 0; i < n; i++) {
		int before = t.verdicts[VERDICT_DIFFERENT];

		one_trial(1000 + i, 3, 400, 1, 0.1, &t);
		/* a family with one false difference counts once */
		if (t.verdicts[VERDICT_DIFFERENT] > before)
			t.verdicts[VERDICT_DIFFERENT] = before + 1;
	}
	print_message("# %d of %d A/A comparisons with a false difference (old rule: %d)\n",
		      t.verdicts[VERDICT_DIFFERENT], n, t.old_rule);
	assert_true(t.verdicts[VERDICT_DIFFERENT] <= VERDICT_ALPHA * n);
	assert_true(t.old_rule > 4 * VERDICT_ALPHA * n);
}

/* +10 % with runs of 2000 IOs that vary by 1 %: found in every metric. */
static void test_shift_found(void **state)
{
	struct trial t = { 0 };
	int i;

	for (i = 0; i < 5; i++)
		one_trial(2000 + i, 3, 2000, 1.1, 0.01, &t);
	assert_int_equal(t.verdicts[VERDICT_DIFFERENT], 5 * NEST);
	/* the same with two runs a side: nothing is decided */
	memset(&t, 0, sizeof(t));
	one_trial(3000, 2, 2000, 1.1, 0.01, &t);
	assert_int_equal(t.verdicts[VERDICT_UNDECIDABLE], NEST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_student_t),
		cmocka_unit_test(test_welch),
		cmocka_unit_test(test_holm),
		cmocka_unit_test(test_noise_threshold),
		cmocka_unit_test(test_min_runs),
		cmocka_unit_test(test_drift_no_effect),
		cmocka_unit_test(test_shift_found),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
