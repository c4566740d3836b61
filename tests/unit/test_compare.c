// SPDX-License-Identifier: GPL-2.0
/* Mann-Whitney U against worked examples; the bootstrap on known shifts. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>
#include "compare_stats.h"

static void test_mwu_exact(void **state)
{
	const double a[] = { 1, 2, 3 }, b[] = { 4, 5, 6 };
	const double c[] = { 1, 3, 5 }, d[] = { 2, 4, 6 };
	struct mwu u;

	/* U = 0: the one arrangement of 20 in each tail */
	assert_int_equal(mann_whitney(a, 3, b, 3, &u), 0);
	assert_true(u.exact);
	assert_true(u.u == 0);
	assert_true(fabs(u.p - 0.1) < 1e-12);
	/* ranks 1, 3, 5: R = 9, U = 3; P(U <= 3) = 7/20 */
	assert_int_equal(mann_whitney(c, 3, d, 3, &u), 0);
	assert_true(u.u == 3);
	assert_true(fabs(u.p - 0.7) < 1e-12);
}

static void test_mwu_normal(void **state)
{
	double x[100], y[100];
	struct mwu u;
	int i;

	for (i = 0; i < 100; i++) {
		x[i] = i;
		y[i] = i + 50;
	}
	assert_int_equal(mann_whitney(x, 100, y, 100, &u), 0);
	assert_false(u.exact);
	/* pairs where x beats y, ties halved: sum of (x - 50) + 1/2, x = 50..99 */
	assert_true(fabs(u.u - 1250) < 1e-9);
	assert_true(u.z < -7);
	assert_true(u.p < 1e-10);
	/* a sample against itself: no difference at all */
	assert_int_equal(mann_whitney(x, 100, x, 100, &u), 0);
	assert_true(fabs(u.z) < 1e-9);
	assert_true(u.p > 0.99);
	assert_int_not_equal(mann_whitney(x, 0, y, 3, &u), 0);
}

static double unif(void)
{
	return (double)rand() / RAND_MAX;
}

/* Three runs of 400 IOs each, B 10 % slower than A. */
static void fill(struct runs *r, double *v, size_t *off, double scale)
{
	size_t i, k;

	for (k = 0; k < 3; k++) {
		off[k] = k * 400;
		for (i = 0; i < 400; i++)
			v[k * 400 + i] = scale * (100 + 50 * unif());
	}
	off[3] = 1200;
	r->v = v;
	r->off = off;
	r->nruns = 3;
}

static void test_bootstrap_shift(void **state)
{
	static double va[1200], vb[1200];
	size_t oa[4], ob[4];
	struct runs a, b;
	double diff, lo, hi;
	int hits = 0, trial, zero_in = 0;

	srand(11);
	for (trial = 0; trial < 40; trial++) {
		fill(&a, va, oa, 1.0);
		fill(&b, vb, ob, 1.1);
		assert_int_equal(bootstrap_diff_pct(&a, &b, stat_percentile, 50,
						    200, 0.95, trial, &diff, &lo, &hi), 0);
		hits += lo <= 10 && 10 <= hi;
		zero_in += lo <= 0 && 0 <= hi;
	}
	/* the true shift is inside nearly always, no-difference never */
	assert_true(hits >= 34);
	assert_int_equal(zero_in, 0);
	/* the same data against itself: 0 inside */
	fill(&a, va, oa, 1.0);
	bootstrap_diff_pct(&a, &a, stat_mean, 0, 200, 0.95, 1, &diff, &lo, &hi);
	assert_true(diff == 0 && lo <= 0 && hi >= 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mwu_exact),
		cmocka_unit_test(test_mwu_normal),
		cmocka_unit_test(test_bootstrap_shift),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
