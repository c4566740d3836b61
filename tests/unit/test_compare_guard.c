// SPDX-License-Identifier: GPL-2.0
/*
 * The merge-guard A/B statement: which pairs of results are one, and the
 * off - on difference and its interval, whichever side the guard was off.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "compare/guard.h"

static void test_is_ab(void **state)
{
	struct guard_arms g = { "off", "on", "6.1.0", "6.1.0" };

	assert_true(compare_guard_is_ab(&g));
	g.guard_a = "on";
	g.guard_b = "off";
	assert_true(compare_guard_is_ab(&g));
	/* two kernels: the difference is not the guard's alone */
	g.release_b = "5.10.0";
	assert_false(compare_guard_is_ab(&g));
	g.release_b = "6.1.0";
	g.guard_b = "on";
	assert_false(compare_guard_is_ab(&g));
	g.guard_a = "absent";
	g.guard_b = "off";
	assert_false(compare_guard_is_ab(&g));
	g.guard_a = NULL;
	assert_false(compare_guard_is_ab(&g));
}

/* B is 10 % below A, interval [-12 %, -8 %] of A = 100 */
static const struct compare_row row = {
	.metric = "lat_mean_ns", .value_a = 100, .value_b = 90,
	.diff_pct = -10, .ci_lo_pct = -12, .ci_hi_pct = -8, .p_value = 0.01,
};

static void test_diff_a_off(void **state)
{
	struct guard_diff d;

	/* A off, B on: off - on = 100 - 90, interval [8, 12] */
	assert_int_equal(compare_guard_diff(&row, true, &d), 0);
	assert_float_equal(d.diff, 10, 1e-9);
	assert_float_equal(d.lo, 8, 1e-9);
	assert_float_equal(d.hi, 12, 1e-9);
}

static void test_diff_b_off(void **state)
{
	struct guard_diff d;

	/* B off, A on: off - on = 90 - 100, interval [-12, -8] */
	assert_int_equal(compare_guard_diff(&row, false, &d), 0);
	assert_float_equal(d.diff, -10, 1e-9);
	assert_float_equal(d.lo, -12, 1e-9);
	assert_float_equal(d.hi, -8, 1e-9);
}

static void test_diff_unknown(void **state)
{
	struct compare_row r = row;
	struct guard_diff d;

	r.value_b = NAN;
	assert_int_equal(compare_guard_diff(&r, true, &d), -1);
	r = row;
	r.ci_lo_pct = r.ci_hi_pct = NAN;
	assert_int_equal(compare_guard_diff(&r, true, &d), 0);
	assert_float_equal(d.diff, 10, 1e-9);
	assert_true(isnan(d.lo) && isnan(d.hi));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_ab),
		cmocka_unit_test(test_diff_a_off),
		cmocka_unit_test(test_diff_b_off),
		cmocka_unit_test(test_diff_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
