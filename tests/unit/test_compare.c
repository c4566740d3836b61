// SPDX-License-Identifier: GPL-2.0
/*
 * compare's statistics: percentiles and weighted estimates against worked
 * values, Mann-Whitney U against a textbook example and against complete
 * enumeration, the two-level bootstrap on data with a known shift, its
 * absolute difference B - A (defined where A is 0), and the stand-in
 * values of runs that showed 0 for the kind rule.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "compare/stats.h"
#include "util/stats.h"

/* A single-column sample of runs of the given lengths. */
static void make_samples(struct samples *s, const double *v, size_t n,
			 const size_t *run_len, size_t nruns)
{
	size_t r;

	memset(s, 0, sizeof(*s));
	s->nrows = n;
	s->nruns = nruns;
	s->ncols = 1;
	s->col[0] = malloc(n * sizeof(double));
	s->off = malloc((nruns + 1) * sizeof(size_t));
	s->run_v = malloc(nruns * sizeof(double));
	assert_non_null(s->col[0]);
	assert_non_null(s->off);
	assert_non_null(s->run_v);
	memcpy(s->col[0], v, n * sizeof(double));
	s->off[0] = 0;
	for (r = 0; r < nruns; r++) {
		s->off[r + 1] = s->off[r] + run_len[r];
		s->run_v[r] = NAN;
	}
	assert_int_equal(s->off[nruns], n);
	assert_int_equal(samples_index(s), 0);
}

/* The nearest-rank worked example: 15, 20, 35, 40, 50. */
static void test_percentiles(void **state)
{
	const double v[] = { 50, 15, 40, 20, 35 };
	const size_t one_run[] = { 5 };
	struct estimator e = { EST_PERCENTILE, 0, 0 };
	unsigned int w[] = { 1, 0, 1, 0, 2 };	/* 50, 40, 35, 35 */
	unsigned int rw[] = { 1 };
	double sorted[] = { 15, 20, 35, 40, 50 };
	struct samples s;

	assert_true(stats_percentile(sorted, 5, 5) == 15);
	assert_true(stats_percentile(sorted, 5, 30) == 20);
	assert_true(stats_percentile(sorted, 5, 40) == 20);
	assert_true(stats_percentile(sorted, 5, 50) == 35);
	assert_true(stats_percentile(sorted, 5, 100) == 50);
	make_samples(&s, v, 5, one_run, 1);
	e.arg = 30;
	assert_true(estimate(&s, &e, NULL, NULL) == 20);
	e.arg = 50;
	assert_true(estimate(&s, &e, NULL, NULL) == 35);
	/* weighted: each row counted as often as it was drawn */
	assert_true(estimate(&s, &e, w, rw) == 35);
	e.arg = 75;
	assert_true(estimate(&s, &e, w, rw) == 40);
	e.arg = 100;
	assert_true(estimate(&s, &e, w, rw) == 50);
	e = (struct estimator){ EST_MEAN, 0, 1000 };
	assert_true(fabs(estimate(&s, &e, NULL, NULL) - 32000) < 1e-9);
	assert_true(fabs(estimate(&s, &e, w, rw) - 40000) < 1e-9);
	/* rows without a value do not count */
	s.col[0][0] = NAN;
	assert_true(fabs(estimate(&s, &e, NULL, NULL) - 27500) < 1e-9);
	s.run_v[0] = 7;
	e = (struct estimator){ EST_RUN_MEAN, -1, 1 };
	assert_true(estimate(&s, &e, NULL, NULL) == 7);
	samples_free(&s);
}

/*
 * Hollander & Wolfe (1973), p. 69: permeability constants of the human
 * chorioamnion at term (x) and at 12 to 26 weeks (y). W = U = 35; the
 * exact one-sided p is 0.1272, two-sided 0.2544 (764 of 3003 subsets).
 */
static const double hw_x[] = { 0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46 };
static const double hw_y[] = { 1.15, 0.88, 0.90, 0.74, 1.21 };

static void test_mwu_textbook(void **state)
{
	struct mwu u;

	assert_int_equal(mann_whitney(hw_x, 10, hw_y, 5, &u), 0);
	assert_true(u.exact);
	assert_true(u.u == 35);
	assert_true(fabs(u.p - 764.0 / 3003) < 1e-12);
	assert_true(fabs(u.p - 0.2544) < 5e-5);
	/* y against x: U' = 10 * 5 - 35, the same two-sided p */
	assert_int_equal(mann_whitney(hw_y, 5, hw_x, 10, &u), 0);
	assert_true(u.u == 15);
	assert_true(fabs(u.p - 764.0 / 3003) < 1e-12);
	/*
	 * The normal approximation of the same: mu = 25, sigma^2 = 10 * 5 * 16
	 * / 12, z = (35 - 25 - 0.5) / sigma = 1.16351, p = 0.24462.
	 */
	assert_int_equal(mann_whitney_method(hw_x, 10, hw_y, 5, false, &u), 0);
	assert_false(u.exact);
	assert_true(fabs(u.z - 1.1635076) < 1e-6);
	assert_true(fabs(u.p - 0.2446236) < 1e-6);
}

/*
 * With ties, counted by hand: x = 1 2 2 3 3 3 4 5, y = 2 3 4 4 5 5 6 6 7.
 * Mid-ranks: 1 -> 1, 2 -> 3, 3 -> 6.5, 4 -> 9.5, 5 -> 12, 6 -> 14.5,
 * 7 -> 16. R(x) = 1 + 3 + 3 + 6.5 * 3 + 9.5 + 12 = 49.5, U = 49.5 - 36 =
 * 13.5. Ties: groups of 3, 4, 3, 3, 2 -> sum(t^3 - t) = 138. sigma^2 = 8 * 9
 * / 12 * (18 - 138 / 272) = 104.9559, z = (13.5 - 36 + 0.5) / sigma =
 * -2.14743, p = 0.031759.
 */
static const double tie_x[] = { 1, 2, 2, 3, 3, 3, 4, 5 };
static const double tie_y[] = { 2, 3, 4, 4, 5, 5, 6, 6, 7 };

static void test_mwu_ties_normal(void **state)
{
	struct mwu u;

	assert_int_equal(mann_whitney_method(tie_x, 8, tie_y, 9, false, &u), 0);
	assert_true(u.u == 13.5);
	assert_true(fabs(u.z + 2.1474313) < 1e-6);
	assert_true(fabs(u.p - 0.0317590) < 1e-6);
}

/* The exact p with ties against counting every assignment of the ranks. */
static void test_mwu_ties_exact(void **state)
{
	double all[17], rank2[17], mean, obs, r2x = 0;
	unsigned int mask, hit = 0, total = 0;
	int i, j, bits;
	struct mwu u;

	memcpy(all, tie_x, sizeof(tie_x));
	memcpy(all + 8, tie_y, sizeof(tie_y));
	for (i = 0; i < 17; i++) {
		int below = 0, same = 0;

		for (j = 0; j < 17; j++) {
			below += all[j] < all[i];
			same += all[j] == all[i];
		}
		rank2[i] = 2 * below + same + 1;
		if (i < 8)
			r2x += rank2[i];
	}
	mean = 8 * 18;
	obs = fabs(r2x - mean);
	for (mask = 0; mask < 1u << 17; mask++) {
		double sum = 0;

		for (i = bits = 0; i < 17; i++)
			if (mask & (1u << i)) {
				sum += rank2[i];
				bits++;
			}
		if (bits != 8)
			continue;
		total++;
		hit += fabs(sum - mean) >= obs - 1e-9;
	}
	assert_int_equal(total, 24310);
	assert_int_equal(mann_whitney(tie_x, 8, tie_y, 9, &u), 0);
	assert_true(u.exact);
	assert_true(u.u == 13.5);
	assert_true(fabs(u.p - (double)hit / total) < 1e-12);
	/* and the normal approximation is near it */
	assert_true(fabs(u.p - 0.031759) < 0.01);
}

static void test_mwu_large(void **state)
{
	static double x[1000], y[1000];
	struct mwu u;
	int i;

	for (i = 0; i < 1000; i++) {
		x[i] = i;
		y[i] = i + 500;
	}
	assert_int_equal(mann_whitney(x, 1000, y, 1000, &u), 0);
	assert_false(u.exact);
	/* x = 500..999 beats x - 500 values of y and ties one: sum of (x - 500 + 1/2) */
	assert_true(fabs(u.u - 125000) < 1e-6);
	assert_true(u.z < -20);
	assert_true(u.p < 1e-50);
	/* a sample against itself: nothing */
	assert_int_equal(mann_whitney(x, 1000, x, 1000, &u), 0);
	assert_true(u.z == 0);
	assert_true(u.p == 1);
	/* every value the same: no test can tell */
	for (i = 0; i < 1000; i++)
		y[i] = 0;
	assert_int_equal(mann_whitney(y, 500, y + 500, 500, &u), 0);
	assert_true(u.p == 1);
	assert_int_not_equal(mann_whitney(x, 0, y, 3, &u), 0);
}

static double normal(void)
{
	double a = (rand() + 1.0) / (RAND_MAX + 2.0), b = rand() / (RAND_MAX + 1.0);

	return sqrt(-2 * log(a)) * cos(2 * M_PI * b);
}

#define RUNS 3
#define PER_RUN 300

/* Lognormal latencies around 200, times scale and a factor per run. */
static void draw(struct samples *s, double scale, const double *run_factor)
{
	static double v[RUNS * PER_RUN];
	const size_t len[RUNS] = { PER_RUN, PER_RUN, PER_RUN };
	size_t r, i;

	for (r = 0; r < RUNS; r++)
		for (i = 0; i < PER_RUN; i++)
			v[r * PER_RUN + i] = scale * run_factor[r] * 200 * exp(0.3 * normal());
	make_samples(s, v, RUNS * PER_RUN, len, RUNS);
}

/*
 * B is A's distribution 10 % slower: the interval of the difference of
 * the median and the mean holds +10 % in nearly every trial (at least 90 %
 * of 150), and 0 in nearly none.
 */
static void test_bootstrap_coverage(void **state)
{
	const struct estimator e[] = {
		{ EST_PERCENTILE, 0, 50 }, { EST_MEAN, 0, 1 },
	};
	const double same[RUNS] = { 1, 1, 1 };
	struct boot_opts o = { .reps = 300, .conf = 0.95, .seed = 3 };
	int trial, i, covered[2] = { 0 }, zero[2] = { 0 };
	const struct samples *k[2];
	struct samples a, b;
	struct boot_diff d[4];

	srand(11);
	for (trial = 0; trial < 150; trial++) {
		draw(&a, 1.0, same);
		draw(&b, 1.1, same);
		k[0] = &a;
		k[1] = &b;
		assert_int_equal(bootstrap_diff(k, 2, e, 2, &o, trial, d), 0);
		for (i = 0; i < 2; i++) {
			const struct boot_diff *x = &d[i * 2 + 1];
			double sa = estimate(&a, &e[i], NULL, NULL);

			/* B - A is the relative difference in A's unit */
			assert_true(fabs(x->abs - x->diff / 100 * sa) < 1e-9 * sa);
			assert_true(x->abs_lo < x->abs && x->abs < x->abs_hi);
			/* with A above 0 in every resample, both agree on 0 */
			assert_true((x->lo > 0) == (x->abs_lo > 0));
			covered[i] += d[i * 2 + 1].lo <= 10 && 10 <= d[i * 2 + 1].hi;
			zero[i] += d[i * 2 + 1].lo <= 0 && 0 <= d[i * 2 + 1].hi;
			assert_int_equal(d[i * 2 + 1].valid, 300);
		}
		samples_free(&a);
		samples_free(&b);
	}
	for (i = 0; i < 2; i++) {
		print_message("estimator %d: 10 %% inside %d of 150, 0 inside %d\n",
			      i, covered[i], zero[i]);
		assert_true(covered[i] >= 135);
		assert_true(zero[i] <= 3);
	}
}

/* The same data twice: no difference, 0 inside; the same seed, the same interval. */
static void test_bootstrap_self(void **state)
{
	const struct estimator e = { EST_PERCENTILE, 0, 99 };
	const double same[RUNS] = { 1, 1, 1 };
	struct boot_opts o = { .reps = 500, .conf = 0.95, .seed = 1 };
	const struct samples *k[2];
	struct boot_diff d[2], again[2];
	struct samples a;

	srand(5);
	draw(&a, 1.0, same);
	k[0] = k[1] = &a;
	assert_int_equal(bootstrap_diff(k, 2, &e, 1, &o, 9, d), 0);
	assert_true(d[1].diff == 0);
	assert_true(d[1].lo < 0 && d[1].hi > 0);
	assert_int_equal(bootstrap_diff(k, 2, &e, 1, &o, 9, again), 0);
	assert_true(again[1].lo == d[1].lo && again[1].hi == d[1].hi);
	o.seed = 2;
	assert_int_equal(bootstrap_diff(k, 2, &e, 1, &o, 9, again), 0);
	assert_true(again[1].lo != d[1].lo || again[1].hi != d[1].hi);
	samples_free(&a);
}

/*
 * Runs that differ from each other (factors 0.8, 1, 1.2) widen the
 * interval, because runs are resampled; the same IOs taken as one run do
 * not.
 */
static void test_bootstrap_runs(void **state)
{
	const struct estimator e = { EST_MEAN, 0, 1 };
	const double spread[RUNS] = { 0.8, 1.0, 1.2 };
	struct boot_opts o = { .reps = 500, .conf = 0.95, .seed = 1 };
	const size_t one[] = { RUNS * PER_RUN };
	const struct samples *k[2];
	struct samples a, b, a1, b1;
	struct boot_diff d[2], d1[2];

	srand(7);
	draw(&a, 1.0, spread);
	draw(&b, 1.0, spread);
	make_samples(&a1, a.col[0], a.nrows, one, 1);
	make_samples(&b1, b.col[0], b.nrows, one, 1);
	k[0] = &a;
	k[1] = &b;
	assert_int_equal(bootstrap_diff(k, 2, &e, 1, &o, 1, d), 0);
	k[0] = &a1;
	k[1] = &b1;
	assert_int_equal(bootstrap_diff(k, 2, &e, 1, &o, 1, d1), 0);
	print_message("interval over runs %.2f wide, over IOs only %.2f\n",
		      d[1].hi - d[1].lo, d1[1].hi - d1[1].lo);
	assert_true(d[1].diff == d1[1].diff);
	assert_true(d[1].hi - d[1].lo > 2 * (d1[1].hi - d1[1].lo));
	samples_free(&a);
	samples_free(&b);
	samples_free(&a1);
	samples_free(&b1);
}

/* A zero base has no relative difference; resamples with one give no interval. */
static void test_bootstrap_zero(void **state)
{
	const double zeros[4] = { 0, 0, 0, 0 }, ones[4] = { 1, 1, 1, 1 };
	const size_t len[] = { 4 };
	const struct estimator e = { EST_MEAN, 0, 1 };
	struct boot_opts o = { .reps = 200, .conf = 0.95, .seed = 1 };
	const struct samples *k[2];
	struct samples a, b;
	struct boot_diff d[2];

	make_samples(&a, zeros, 4, len, 1);
	make_samples(&b, ones, 4, len, 1);
	k[0] = &a;
	k[1] = &b;
	assert_int_equal(bootstrap_diff(k, 2, &e, 1, &o, 1, d), 0);
	assert_true(isnan(d[1].diff));
	assert_true(isnan(d[1].lo) && isnan(d[1].hi));
	assert_int_equal(d[1].valid, 0);
	/* but B - A is there, with its interval */
	assert_true(d[1].abs == 1);
	assert_true(d[1].abs_lo == 1 && d[1].abs_hi == 1);
	samples_free(&a);
	samples_free(&b);
}

/*
 * A: three runs of 2, 3 (one without a value) and 5 IOs, all 0; B's
 * nonzero IOs are 3, 3 and 4. A could have hidden 3 IOs of B's mean
 * nonzero size, 10/3, over its 9 IOs with a value.
 */
static void test_kind_limit(void **state)
{
	const double za[] = { 0, 0, 0, 0, NAN, 0, 0, 0, 0, 0 };
	const size_t la[] = { 2, 3, 5 };
	const double vb[] = { 0, 3, 0, 3, 4, 0 }, none[] = { 0, 0, 0 };
	const size_t lb[] = { 2, 2, 2 }, ln[] = { 1, 1, 1 };
	const struct estimator per_1k = { EST_MEAN, 0, 1000 };
	const struct estimator p50 = { EST_PERCENTILE, 0, 50 };
	struct samples a, b, n;

	make_samples(&a, za, 10, la, 3);
	make_samples(&b, vb, 6, lb, 3);
	make_samples(&n, none, 3, ln, 3);
	assert_true(fabs(kind_limit(&a, &b, &per_1k, 3) - 1000 * 3 * 10.0 / 3 / 9) < 1e-9);
	/* a percentile has no such bound; nor has an arm of zeros */
	assert_true(isnan(kind_limit(&a, &b, &p50, 3)));
	assert_true(isnan(kind_limit(&a, &n, &per_1k, 3)));
	samples_free(&a);
	samples_free(&b);
	samples_free(&n);
}

static void test_rng(void **state)
{
	unsigned int seen[10] = { 0 };
	struct rng g, h;
	int i;

	rng_seed(&g, 1, 0);
	rng_seed(&h, 1, 1);
	assert_true(rng_next(&g) != rng_next(&h));
	for (i = 0; i < 100000; i++) {
		size_t v = rng_below(&g, 10);

		assert_true(v < 10);
		seen[v]++;
	}
	for (i = 0; i < 10; i++)
		assert_true(seen[i] > 9500 && seen[i] < 10500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_mwu_textbook),
		cmocka_unit_test(test_mwu_ties_normal),
		cmocka_unit_test(test_mwu_ties_exact),
		cmocka_unit_test(test_mwu_large),
		cmocka_unit_test(test_bootstrap_coverage),
		cmocka_unit_test(test_bootstrap_self),
		cmocka_unit_test(test_bootstrap_runs),
		cmocka_unit_test(test_bootstrap_zero),
		cmocka_unit_test(test_kind_limit),
		cmocka_unit_test(test_rng),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
