// SPDX-License-Identifier: GPL-2.0
/*
 * compare's verdict on per-run values: Student's t against closed forms
 * and numerical integration, Welch's t on a worked example, Holm's
 * correction, the noise threshold and the minimum number of runs, and, on
 * simulated arms whose runs drift but whose kernels are the same, a rate
 * of false differences at most alpha where the per-IO rule of old called
 * several times as many significant. A difference of kind (0 in every
 * run of one arm) on per-run values measured in the lab, on sporadic
 * events, and on simulated same-kernel arms of rare events.
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

static void test_student_t_quantile(void **state)
{
	/* the 97.5 % quantiles of t: 12.706205 (1 df), 2.776445 (4 df) */
	assert_true(fabs(student_t_quantile(0.95, 1) - 12.706205) < 1e-5);
	assert_true(fabs(student_t_quantile(0.95, 4) - 2.776445) < 1e-5);
	/* many df: the normal's 1.959964 */
	assert_true(fabs(student_t_quantile(0.95, 1e7) - 1.959964) < 1e-5);
	/* fractional df, as Welch gives them: the inverse of student_t_p */
	assert_true(fabs(student_t_p(student_t_quantile(0.95, 2.4), 2.4) -
			 0.05) < 1e-9);
	assert_true(isnan(student_t_quantile(0.95, 0)));
	assert_true(isnan(student_t_quantile(1, 3)));
}

static void test_mean_t_interval(void **state)
{
	/* 1..5: mean 3, sd sqrt(2.5), half width 2.776445 sqrt(2.5 / 5) */
	const double v[] = { 1, 2, 3, 4, 5 }, one[] = { 7 }, flat[] = { 2, 2, 2 };
	double half = 2.776445 * sqrt(0.5);
	struct mean_ci ci;

	assert_int_equal(mean_t_interval(v, 5, 0.95, &ci), 0);
	assert_true(fabs(ci.mean - 3) < 1e-12);
	assert_true(fabs(ci.sd - sqrt(2.5)) < 1e-12);
	assert_true(fabs(ci.lo - (3 - half)) < 1e-5);
	assert_true(fabs(ci.hi - (3 + half)) < 1e-5);
	/* one run: a mean, no spread, no interval */
	assert_int_equal(mean_t_interval(one, 1, 0.95, &ci), 0);
	assert_true(ci.mean == 7 && isnan(ci.lo) && isnan(ci.hi) && isnan(ci.sd));
	/* runs that agree: the interval is the point */
	assert_int_equal(mean_t_interval(flat, 3, 0.95, &ci), 0);
	assert_true(ci.lo == 2 && ci.hi == 2 && ci.sd == 0);
	assert_int_equal(mean_t_interval(v, 0, 0.95, &ci), -EINVAL);
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

/* A relative difference and its interval, without B - A. */
static const struct verdict_diff *pct(double d, double lo, double hi)
{
	static struct verdict_diff v;

	v = (struct verdict_diff){ d, lo, hi, NAN, NAN, NAN };
	return &v;
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
	verdict_prepare(a, 30, b, 30, pct(8, 5, 11), &d);
	assert_true(d.a.n == 30 && d.b.n == 30);
	assert_true(fabs(d.a.spread_pct - 100 * sqrt(100 * 30 / 29.0) / 100) < 1e-9);
	verdict_family(f, 1, 0.05);
	assert_true(d.p_holm < 0.01);
	assert_int_equal(d.v, VERDICT_NOISE);
	/* the same with a 30 % shift is a difference */
	for (i = 0; i < 30; i++)
		b[i] = a[i] * 1.3;
	verdict_prepare(a, 30, b, 30, pct(30, 25, 35), &d);
	verdict_family(f, 1, 0.05);
	assert_int_equal(d.v, VERDICT_DIFFERENT);
}

static void test_min_runs(void **state)
{
	const double a[] = { 100, 101, NAN }, b[] = { 200, 201, 202 };
	struct decision d, *f[] = { &d };

	/* two runs with a value: not decidable, whatever the difference */
	verdict_prepare(a, 3, b, 3, pct(100, 90, 110), &d);
	verdict_family(f, 1, 0.05);
	assert_int_equal(d.v, VERDICT_UNDECIDABLE);
	assert_true(isnan(d.p));
	assert_true(d.a.n == 2);
	verdict_prepare(b, 3, a, 2, pct(-50, -55, -45), &d);
	assert_int_equal(d.v, VERDICT_UNDECIDABLE);
	verdict_prepare(b, 3, b, 3, pct(0, -1, 1), &d);
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
	struct boot_diff rd[NEST * 2];
	struct decision d[NEST], *f[NEST];
	unsigned int *w, *rw;
	double va[16], vb[16];
	struct rng g;
	struct mwu u;
	int e, old = 0;

	rng_seed(&g, seed, 77);
	make_arm(&a, &g, nruns, nios, 1, drift);
	make_arm(&b, &g, nruns, nios, scale_b, drift);
	assert_int_equal(bootstrap_diff(k, 2, est, NEST, &o, 1, rd), 0);
	w = malloc(a.nrows * sizeof(*w));
	rw = malloc(nruns * sizeof(*rw));
	assert_non_null(w);
	assert_non_null(rw);
	for (e = 0; e < NEST; e++) {
		const struct boot_diff *r = &rd[e * 2 + 1];

		estimate_runs(&a, &est[e], w, rw, va);
		estimate_runs(&b, &est[e], w, rw, vb);
		verdict_prepare(va, nruns, vb, nruns, &(struct verdict_diff){
					r->diff, r->lo, r->hi, r->abs, r->abs_lo, r->abs_hi },
				&d[e]);
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


/*
 * A family of n metrics: the one under test, and n - 1 that differ by
 * nothing (p 0.5), as a scenario of compare holds them.
 */
static void decide_in_family(struct decision *d, size_t n)
{
	struct decision rest[16], *f[16];
	size_t i;

	f[0] = d;
	for (i = 1; i < n; i++) {
		rest[i] = pending(0.5, 1, 5);
		f[i] = &rest[i];
	}
	verdict_family(f, n, VERDICT_ALPHA);
}

/* B - A of per-run values, its interval from their extremes */
static const struct verdict_diff *absd(const double *a, const double *b,
				       size_t n)
{
	static struct verdict_diff v;
	double ma = 0, mb = 0, lo = INFINITY, hi = -INFINITY;
	size_t i;

	for (i = 0; i < n; i++) {
		ma += a[i] / n;
		mb += b[i] / n;
		lo = fmin(lo, b[i] - a[i]);
		hi = fmax(hi, b[i] - a[i]);
	}
	v = (struct verdict_diff){ ma ? 100 * (mb - ma) / ma : NAN, NAN, NAN,
				   mb - ma, lo, hi };
	if (ma) {
		v.pct_lo = 100 * lo / ma;
		v.pct_hi = 100 * hi / ma;
	}
	return &v;
}

/* What a zero arm of runs of these many IOs could hide: 3 events of size */
static double limit(const double *ios, size_t n, double size, double factor)
{
	double all = 0;
	size_t i;

	for (i = 0; i < n; i++)
		all += ios[i];
	return factor * VERDICT_KIND_EVENTS * size / all;
}

/*
 * Measured in the lab (QEMU TCG, sparse-concurrent 4k, 3 runs of 3 s a
 * kernel): 6.12 counted no churn pair in runs of 369, 1126 and 431 IOs;
 * 7.3 counted 575.4, 636.0 and 517.1 per 1000 IOs, and wasted 266586,
 * 481352 and 180874 ns per IO, 540 us per IO with a pair.
 */
static const double ios_612[] = { 369, 1126, 431 };
static const double zero3[] = { 0, 0, 0 };
static const double churn_73[] = { 575.413, 636.0, 517.067 };
static const double wasted_73[] = { 266586.46, 481352.24, 180873.708 };

static void test_kind_measured(void **state)
{
	double lim = limit(ios_612, 3, 1, 1000), half[3];
	struct decision d;
	int i;

	/* churn: of kind, significant among 11 metrics */
	verdict_prepare(zero3, 3, churn_73, 3, absd(zero3, churn_73, 3), &d);
	assert_int_equal(d.zero_arm, 'A');
	assert_int_equal(d.test, RUN_TEST_WELCH);
	verdict_kind(&d, churn_73, 3, lim, 400);
	assert_int_equal(d.test, RUN_TEST_KIND);
	assert_true(fabs(d.limit - 3000 / 1926.0) < 1e-9);
	assert_true(d.t > 0);
	decide_in_family(&d, 11);
	assert_int_equal(d.v, VERDICT_DIFFERENT);
	/* the same at about 293 per 1000 IOs, as make bench-kernels saw it */
	for (i = 0; i < 3; i++)
		half[i] = churn_73[i] * 293 / 576.16;
	verdict_prepare(zero3, 3, half, 3, absd(zero3, half, 3), &d);
	verdict_kind(&d, half, 3, lim, 200);
	decide_in_family(&d, 11);
	assert_int_equal(d.v, VERDICT_DIFFERENT);
	assert_string_equal(verdict_name(d.v), "yes");

	/* wasted time, its runs 50 % apart: Welch's t on the values alone ... */
	verdict_prepare(zero3, 3, wasted_73, 3, absd(zero3, wasted_73, 3), &d);
	decide_in_family(&d, 11);
	print_message("# wasted ns: Welch on the values, p %.4f, Holm %.3f\n",
		      d.p, d.p_holm);
	assert_int_equal(d.v, VERDICT_SAME);
	/* ... cannot tell; against what the zero runs could hide, it is clear */
	verdict_prepare(zero3, 3, wasted_73, 3, absd(zero3, wasted_73, 3), &d);
	verdict_kind(&d, wasted_73, 3, limit(ios_612, 3, 540e3, 1), 400);
	decide_in_family(&d, 11);
	print_message("# wasted ns: of kind, p %.5f, Holm %.4f\n", d.p, d.p_holm);
	assert_int_equal(d.v, VERDICT_DIFFERENT);

	/* the other way round (7.3 against 6.12): B is the zero arm */
	verdict_prepare(churn_73, 3, zero3, 3, absd(churn_73, zero3, 3), &d);
	assert_int_equal(d.zero_arm, 'B');
	verdict_kind(&d, churn_73, 3, lim, 400);
	assert_true(d.t < 0);
	decide_in_family(&d, 11);
	assert_int_equal(d.v, VERDICT_DIFFERENT);
}

/*
 * What is no difference of kind: a zero arm against one with zeros in some
 * runs; an arm with 1 or 2 events a run, below what a zero run may hide;
 * too few runs.
 */
static void test_kind_not(void **state)
{
	const double some[] = { 0, 5, 0 }, sporadic[] = { 1, 2, 1 }, twos[] = { 2, 2, 2 };
	const double ios[] = { 1000, 1000, 1000 }, two[] = { 0, 0, NAN };
	struct decision d;

	verdict_prepare(zero3, 3, some, 3, absd(zero3, some, 3), &d);
	assert_int_equal(d.zero_arm, 0);
	decide_in_family(&d, 1);
	assert_int_equal(d.v, VERDICT_SAME);
	/* 1, 2, 1 per 1000 IOs: 3000 IOs of 0 could hide 3, 1 per 1000 */
	verdict_prepare(zero3, 3, sporadic, 3, absd(zero3, sporadic, 3), &d);
	assert_int_equal(d.zero_arm, 'A');
	verdict_kind(&d, sporadic, 3, limit(ios, 3, 1, 1000), 1);
	assert_true(d.p > 0.3);
	decide_in_family(&d, 1);
	assert_int_equal(d.v, VERDICT_SAME);
	/* 2, 2 and 2 events: runs alike, but only to 1 / sqrt(2) */
	verdict_prepare(zero3, 3, twos, 3, absd(zero3, twos, 3), &d);
	verdict_kind(&d, twos, 3, limit(ios, 3, 1, 1000), 2);
	assert_true(isfinite(d.t) && d.p > 0.05);
	decide_in_family(&d, 1);
	assert_int_equal(d.v, VERDICT_SAME);
	/* two zero runs with a value: not decidable */
	verdict_prepare(two, 3, churn_73, 3, absd(zero3, churn_73, 3), &d);
	assert_int_equal(d.v, VERDICT_UNDECIDABLE);
	assert_int_equal(d.zero_arm, 0);
	/* both 0: no difference, and said so */
	verdict_prepare(zero3, 3, zero3, 3, absd(zero3, zero3, 3), &d);
	decide_in_family(&d, 1);
	assert_int_equal(d.v, VERDICT_SAME);
	assert_true(d.p == 1);
}

/* The fewest events of 3 runs of 1000 IOs, given per 1000 IOs */
static size_t min_events(const double *v)
{
	return (size_t)fmin(v[0], fmin(v[1], v[2]));
}

/* Poisson counts; Knuth's method, fine for small means */
static unsigned int poisson(struct rng *g, double mean)
{
	double l = exp(-mean), p = 1;
	unsigned int k = 0;

	do {
		k++;
		p *= (rng_next(g) >> 11) * 0x1.0p-53;
	} while (p > l);
	return k - 1;
}

/*
 * Same-kernel arms of a rare event: 3 runs of 1000 IOs an arm, each run's
 * rate drawn around the mean with a spread of 30 % between runs, for means
 * of 0.3 to 30 events a run. Alone in its family (no Holm to help), the
 * kind rule calls at most alpha of them different.
 */
static void test_kind_same_kernel(void **state)
{
	const double means[] = { 0.3, 1, 2, 5, 30 };
	const double ios[] = { 1000, 1000, 1000 };
	int m, i, r, kind = 0, kind_wrong = 0, wrong = 0, n = 0;
	struct rng g;

	rng_seed(&g, 29, 3);
	for (m = 0; m < 5; m++)
		for (i = 0; i < 400; i++, n++) {
			double a[3], b[3];
			struct decision d;

			for (r = 0; r < 3; r++) {
				a[r] = poisson(&g, means[m] * exp(0.3 * normal(&g)));
				b[r] = poisson(&g, means[m] * exp(0.3 * normal(&g)));
			}
			verdict_prepare(a, 3, b, 3, absd(a, b, 3), &d);
			if (d.zero_arm) {
				kind++;
				verdict_kind(&d, d.zero_arm == 'A' ? b : a, 3,
					     limit(ios, 3, 1, 1000),
					     min_events(d.zero_arm == 'A' ? b : a));
			}
			decide_in_family(&d, 1);
			wrong += d.v == VERDICT_DIFFERENT;
			kind_wrong += d.zero_arm && d.v == VERDICT_DIFFERENT;
		}
	print_message("# %d same-kernel comparisons of rare events: %d called different, %d of %d of kind\n",
		      n, wrong, kind_wrong, kind);
	assert_true(kind > 0);
	assert_true(kind_wrong <= VERDICT_ALPHA * kind);
	assert_true(wrong <= VERDICT_ALPHA * n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_student_t),
		cmocka_unit_test(test_student_t_quantile),
		cmocka_unit_test(test_mean_t_interval),
		cmocka_unit_test(test_welch),
		cmocka_unit_test(test_holm),
		cmocka_unit_test(test_noise_threshold),
		cmocka_unit_test(test_min_runs),
		cmocka_unit_test(test_drift_no_effect),
		cmocka_unit_test(test_shift_found),
		cmocka_unit_test(test_kind_measured),
		cmocka_unit_test(test_kind_not),
		cmocka_unit_test(test_kind_same_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
