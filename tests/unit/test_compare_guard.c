// SPDX-License-Identifier: GPL-2.0
/*
 * The merge-guard A/B statement: which pairs of results are one, the
 * off - on difference and its interval, whichever side the guard was off,
 * and whether the traced estimate agrees with it.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "compare/guard.h"

static void test_modes(void **state)
{
	assert_int_equal(compare_guard_mode("off"), 0);
	assert_int_equal(compare_guard_mode("dio"), 1);
	assert_int_equal(compare_guard_mode("all"), 2);
	/* summaries of before the modes say on for dio */
	assert_int_equal(compare_guard_mode("on"), 1);
	assert_int_equal(compare_guard_mode("absent"), -1);
	assert_int_equal(compare_guard_mode(""), -1);
	assert_int_equal(compare_guard_mode(NULL), -1);
}

static void test_is_ab(void **state)
{
	struct guard_arms g = {
		.guard_a = "off", .guard_b = "on",
		.release_a = "6.1.0", .release_b = "6.1.0",
	};

	assert_true(compare_guard_is_ab(&g));
	g.guard_a = "on";
	g.guard_b = "off";
	assert_true(compare_guard_is_ab(&g));
	g.guard_a = "all";
	assert_true(compare_guard_is_ab(&g));
	g.guard_b = "dio";
	/* two guarded modes: neither is the unguarded arm the traces need */
	assert_false(compare_guard_is_ab(&g));
	g.guard_a = "off";
	g.guard_b = "dio";
	assert_true(compare_guard_is_ab(&g));
	/* two kernels: the difference is not the guard's alone */
	g.release_b = "5.10.0";
	assert_false(compare_guard_is_ab(&g));
	g.release_b = "6.1.0";
	g.guard_b = "off";
	assert_false(compare_guard_is_ab(&g));
	g.guard_b = "on";
	g.guard_a = "dio";
	assert_false(compare_guard_is_ab(&g));
	g.guard_a = "absent";
	g.guard_b = "off";
	assert_false(compare_guard_is_ab(&g));
	g.guard_a = NULL;
	assert_false(compare_guard_is_ab(&g));
}

static void test_agree(void **state)
{
	struct guard_diff d = { .diff = 10, .lo = 8, .hi = 12 };

	assert_int_equal(compare_guard_agree(9, &d), GUARD_AGREE);
	assert_int_equal(compare_guard_agree(8, &d), GUARD_AGREE);
	assert_int_equal(compare_guard_agree(12, &d), GUARD_AGREE);
	assert_int_equal(compare_guard_agree(7.9, &d), GUARD_DISAGREE);
	assert_int_equal(compare_guard_agree(30, &d), GUARD_DISAGREE);
	/* the traces attribute waste the guard did not remove, or the reverse */
	assert_int_equal(compare_guard_agree(-1, &d), GUARD_DISAGREE);
	assert_int_equal(compare_guard_agree(NAN, &d), GUARD_CANNOT_TELL);
	d.lo = d.hi = NAN;
	assert_int_equal(compare_guard_agree(10, &d), GUARD_CANNOT_TELL);
}

/* B is 10 % below A, interval [-12 %, -8 %] of A = 100 */
static const struct compare_row row = {
	.metric = "lat_mean_ns", .value_a = 100, .value_b = 90,
	.diff_pct = -10, .ci_lo_pct = -12, .ci_hi_pct = -8, .p_ios = 0.01,
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

/* Under icount on both sides the statement's times are instructions. */
static void test_time_unit(void **state)
{
	struct compare_row r[2] = { row, row };

	r[0].metric = "splits_per_1k_ios";
	r[0].icount_a = r[0].icount_b = true;
	assert_string_equal(compare_guard_time_unit(r, 2, true), "ns/IO");
	assert_string_equal(compare_guard_time_unit(r, 2, false), "ns");
	r[1].icount_a = r[1].icount_b = true;
	assert_string_equal(compare_guard_time_unit(r, 2, true), "ins/IO");
	assert_string_equal(compare_guard_time_unit(r, 2, false), "ins");
	/* mixed (compare --mix-clocks): not instructions alone */
	r[1].icount_b = false;
	assert_string_equal(compare_guard_time_unit(r, 2, true), "ns/IO");
	/* no latency row: nothing says instructions */
	assert_string_equal(compare_guard_time_unit(r, 1, false), "ns");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_is_ab),
		cmocka_unit_test(test_agree),
		cmocka_unit_test(test_diff_a_off),
		cmocka_unit_test(test_diff_b_off),
		cmocka_unit_test(test_diff_unknown),
		cmocka_unit_test(test_time_unit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
