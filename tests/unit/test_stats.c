// SPDX-License-Identifier: GPL-2.0
/* Percentiles, their order-statistic intervals, the sort. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "util/stats.h"

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void test_percentiles(void **state)
{
	double v[100];
	int i;

	for (i = 0; i < 100; i++)
		v[i] = 100 - i;		/* 100..1, unsorted */
	assert_int_equal(stats_sort(v, 100), 0);
	assert_true(v[0] == 1 && v[99] == 100);
	/* nearest rank: ceil(p/100 * n) */
	assert_true(stats_percentile(v, 100, 50) == 50);
	assert_true(stats_percentile(v, 100, 99) == 99);
	assert_true(stats_percentile(v, 100, 99.9) == 100);
	assert_true(stats_percentile(v, 100, 1) == 1);
	assert_true(stats_percentile(v, 100, 0.001) == 1);
	assert_true(stats_percentile(v, 100, 100) == 100);
	assert_true(isnan(stats_percentile(v, 0, 50)));
	assert_true(stats_mean(v, 100) == 50.5);
	assert_true(isnan(stats_mean(v, 0)));
}

/*
 * Known intervals. The median of 100: ranks 40 and 61 (coverage 0.9648,
 * the classic table value); of 10: ranks 2 and 9 (0.9785). With exact
 * binomial tails these are the ranks whose each tail is <= 2.5 %.
 */
static void test_known_ranks(void **state)
{
	size_t lo, hi;

	assert_int_equal(stats_percentile_ci_ranks(100, 50, 0.95, &lo, &hi), 0);
	assert_int_equal(lo, 40);
	assert_int_equal(hi, 61);
	assert_int_equal(stats_percentile_ci_ranks(10, 50, 0.95, &lo, &hi), 0);
	assert_int_equal(lo, 2);
	assert_int_equal(hi, 9);
	/*
	 * p99 of 1000, B ~ binomial(1000, 0.99): P(B <= 982) = 0.0138,
	 * P(B <= 983) = 0.0264, P(B <= 995) = 0.9713, P(B <= 996) = 0.9899
	 */
	assert_int_equal(stats_percentile_ci_ranks(1000, 99, 0.95, &lo, &hi), 0);
	assert_int_equal(lo, 983);
	assert_int_equal(hi, 997);
	/*
	 * p99.9 of 1000: P(B <= 996) = 0.0189, but P(B <= 999) = 0.632:
	 * no upper bound is possible from 1000 samples
	 */
	assert_int_equal(stats_percentile_ci_ranks(1000, 99.9, 0.95, &lo, &hi), 0);
	assert_int_equal(lo, 997);
	assert_int_equal(hi, 1001);
	/* p100: the maximum, unbounded above */
	assert_int_equal(stats_percentile_ci_ranks(50, 100, 0.95, &lo, &hi), 0);
	assert_int_equal(lo, 50);
	assert_int_equal(hi, 51);
	assert_int_equal(stats_percentile_ci_ranks(0, 50, 0.95, &lo, &hi), -EINVAL);
	assert_int_equal(stats_percentile_ci_ranks(10, 0, 0.95, &lo, &hi), -EINVAL);
	assert_int_equal(stats_percentile_ci_ranks(10, 50, 1, &lo, &hi), -EINVAL);
}

/* Large n: the interval narrows like the normal approximation says. */
static void test_large_n(void **state)
{
	size_t n = 10000000, lo, hi;
	double half = 1.959964 * sqrt(n * 0.99 * 0.01);

	assert_int_equal(stats_percentile_ci_ranks(n, 99, 0.95, &lo, &hi), 0);
	assert_true(fabs((double)lo - (0.99 * n - half)) < 3);
	assert_true(fabs((double)hi - (0.99 * n + half)) < 3);
}

static void test_ci_values(void **state)
{
	double v[100], lo, hi;
	int i;

	for (i = 0; i < 100; i++)
		v[i] = i + 1;
	assert_int_equal(stats_percentile_ci(v, 100, 50, 0.95, &lo, &hi), 0);
	assert_true(lo == 40 && hi == 61);
	/* too few samples for p99.9: unknown above, not the maximum */
	assert_int_equal(stats_percentile_ci(v, 100, 99.9, 0.95, &lo, &hi), 1);
	assert_true(isnan(hi));
	assert_int_equal(stats_percentile_ci(v, 1, 50, 0.95, &lo, &hi), 1);
	assert_true(isnan(lo) && isnan(hi));
	assert_int_equal(stats_percentile_ci(v, 0, 50, 0.95, &lo, &hi), -EINVAL);
}

/* Over many samples, the 95 % interval holds the true quantile >= 95 %. */
static void test_coverage(void **state)
{
	double v[301], lo, hi;
	int trial, i, hit50 = 0, hit90 = 0;

	srand(7);
	for (trial = 0; trial < 2000; trial++) {
		for (i = 0; i < 301; i++)
			v[i] = (double)rand() / RAND_MAX;	/* uniform */
		stats_sort(v, 301);
		stats_percentile_ci(v, 301, 50, 0.95, &lo, &hi);
		hit50 += lo <= 0.5 && 0.5 <= hi;
		stats_percentile_ci(v, 301, 90, 0.95, &lo, &hi);
		hit90 += lo <= 0.9 && 0.9 <= hi;
	}
	/* conservative by construction, and not wildly so */
	assert_true(hit50 >= 1880 && hit50 <= 1990);
	assert_true(hit90 >= 1880 && hit90 <= 1990);
}

/* The radix sort agrees with qsort, negatives and duplicates included. */
static void test_sort(void **state)
{
	size_t n = 100000, i;
	double *a = malloc(n * sizeof(*a)), *b = malloc(n * sizeof(*b));

	srand(11);
	for (i = 0; i < n; i++) {
		double x = (rand() % 2000000) - 1000000.5;

		a[i] = b[i] = (i % 7) ? x * (rand() % 3 + 1) : (double)(i % 13);
	}
	a[5] = b[5] = -0.0;
	a[6] = b[6] = INFINITY;
	a[7] = b[7] = -INFINITY;
	assert_int_equal(stats_sort(a, n), 0);
	qsort(b, n, sizeof(*b), cmp);
	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			fail_msg("at %zu: %g, want %g", i, a[i], b[i]);
	/* latencies: large integers in ns */
	for (i = 0; i < n; i++)
		a[i] = b[i] = (double)((unsigned long long)rand() * 7919 % 50000000000ULL);
	stats_sort(a, n);
	qsort(b, n, sizeof(*b), cmp);
	assert_memory_equal(a, b, n * sizeof(*a));
	/* a NaN goes last */
	a[0] = NAN;
	stats_sort(a, n);
	assert_true(isnan(a[n - 1]));
	free(a);
	free(b);
}

/*
 * Each wanted rank holds, bit for bit, what the sort puts there, the
 * rest is on its sides, and nothing is lost or made up.
 */
static void check_select(const double *in, size_t n, const size_t *ranks,
			 size_t nranks)
{
	double *a = malloc((n ? n : 1) * sizeof(*a));
	double *b = malloc((n ? n : 1) * sizeof(*b));
	size_t i, j, r;
	uint64_t x, y;

	memcpy(a, in, n * sizeof(*a));
	memcpy(b, in, n * sizeof(*b));
	stats_sort(b, n);
	stats_select(a, n, ranks, nranks);
	for (j = 0; j < nranks; j++) {
		r = ranks[j];
		if (r < 1 || r > n)
			continue;
		memcpy(&x, &a[r - 1], sizeof(x));
		memcpy(&y, &b[r - 1], sizeof(y));
		if (x != y)
			fail_msg("rank %zu of %zu: %g, want %g", r, n, a[r - 1],
				 b[r - 1]);
		for (i = 0; i < r - 1; i++)
			assert_false(a[i] > a[r - 1]);
		for (i = r; i < n; i++)
			assert_false(a[i] < a[r - 1]);
	}
	stats_sort(a, n);
	assert_memory_equal(a, b, n * sizeof(*a));
	free(a);
	free(b);
}

/* What the summary's percentiles read, selected instead of sorted. */
static void test_select(void **state)
{
	const double pcts[] = { 50, 90, 99, 99.9 };
	size_t n = 200000, i, k, nr = 0, one;
	double *v = malloc(n * sizeof(*v));
	size_t ranks[3 * 4 + 4];

	srand(5);
	for (k = 0; k < 4; k++) {
		ranks[nr++] = stats_percentile_rank(n, pcts[k]);
		stats_percentile_ci_ranks(n, pcts[k], 0.95, &ranks[nr],
					  &ranks[nr + 1]);
		nr += 2;
	}
	ranks[nr++] = 1;
	ranks[nr++] = n;
	ranks[nr++] = 0;		/* out of range: ignored */
	ranks[nr++] = n + 1;
	/* latencies with a tail, many repeated */
	for (i = 0; i < n; i++)
		v[i] = 20000 + (i * 7919) % 30000 + ((i % 997) ? 0 : 900000);
	check_select(v, n, ranks, nr);
	/* all equal, sorted, reversed */
	for (i = 0; i < n; i++)
		v[i] = 7;
	check_select(v, n, ranks, nr);
	for (i = 0; i < n; i++)
		v[i] = i;
	check_select(v, n, ranks, nr);
	for (i = 0; i < n; i++)
		v[i] = n - i;
	check_select(v, n, ranks, nr);
	/* signs, both zeros, infinities and a NaN, as the sort orders them */
	for (i = 0; i < n; i++)
		v[i] = (rand() % 2000) - 1000.5;
	v[3] = -0.0;
	v[4] = 0.0;
	v[5] = INFINITY;
	v[6] = -INFINITY;
	v[7] = NAN;
	check_select(v, n, ranks, nr);
	/* small (qsort's order, where -0 and NaN have none: plain numbers) and empty */
	for (one = 1; one <= 11; one++)
		check_select(v + 10, 10, &one, 1);
	check_select(v, 0, ranks, nr);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_known_ranks),
		cmocka_unit_test(test_large_n),
		cmocka_unit_test(test_ci_values),
		cmocka_unit_test(test_coverage),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_select),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
