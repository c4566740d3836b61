// SPDX-License-Identifier: GPL-2.0
/*
 * The merge guard's modes as bench takes them, and the order in which
 * bench alternates the arms of a guard A/B.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "bench/merge_guard.h"

static void test_parse(void **state)
{
	assert_int_equal(merge_guard_parse("off"), MERGE_GUARD_OFF);
	assert_int_equal(merge_guard_parse("dio"), MERGE_GUARD_DIO);
	assert_int_equal(merge_guard_parse("all"), MERGE_GUARD_ALL);
	assert_int_equal(merge_guard_parse("0"), 0);
	assert_int_equal(merge_guard_parse("1"), 1);
	assert_int_equal(merge_guard_parse("2"), 2);
	/* the one mode of the knob before there were modes */
	assert_int_equal(merge_guard_parse("on"), MERGE_GUARD_DIO);
	assert_int_equal(merge_guard_parse("3"), -1);
	assert_int_equal(merge_guard_parse("12"), -1);
	assert_int_equal(merge_guard_parse(""), -1);
	assert_int_equal(merge_guard_parse("Off"), -1);
	assert_int_equal(merge_guard_parse("writeback"), -1);
}

static void test_names(void **state)
{
	assert_string_equal(merge_guard_name(0), "off");
	assert_string_equal(merge_guard_name(1), "dio");
	assert_string_equal(merge_guard_name(2), "all");
	assert_null(merge_guard_name(-1));
	assert_null(merge_guard_name(3));
}

static void test_parse_list(void **state)
{
	int m[MERGE_GUARD_MODES];

	assert_int_equal(merge_guard_parse_list("dio", m), 1);
	assert_int_equal(m[0], MERGE_GUARD_DIO);
	assert_int_equal(merge_guard_parse_list("off,dio,all", m), 3);
	assert_int_equal(m[0], 0);
	assert_int_equal(m[1], 1);
	assert_int_equal(m[2], 2);
	assert_int_equal(merge_guard_parse_list("2,0", m), 2);
	assert_int_equal(m[0], 2);
	assert_int_equal(m[1], 0);
	/* each mode once: two arms of one mode are an A/A, not a guard A/B */
	assert_int_equal(merge_guard_parse_list("off,off", m), -1);
	assert_int_equal(merge_guard_parse_list("on,dio", m), -1);
	assert_int_equal(merge_guard_parse_list("off,", m), -1);
	assert_int_equal(merge_guard_parse_list(",off", m), -1);
	assert_int_equal(merge_guard_parse_list("", m), -1);
	assert_int_equal(merge_guard_parse_list("off,dio,maybe", m), -1);
	assert_int_equal(merge_guard_parse_list("off,dio,all,off", m), -1);
	assert_int_equal(merge_guard_parse_list("offoffoffoff", m), -1);
}

/* the arm of each of the first rounds' runs, in the order bench runs them */
static void order(int narms, int rounds, int *out)
{
	int r, i;

	for (r = 0; r < rounds; r++)
		for (i = 0; i < narms; i++)
			*out++ = merge_guard_arm_at(narms, r, i);
}

static void test_arm_order(void **state)
{
	static const int two[] = { 0, 1, 1, 0, 0, 1, 1, 0 };
	static const int three[] = { 0, 1, 2, 2, 1, 0, 0, 1, 2 };
	int got[9], i, sum[3] = { 0 };

	order(2, 4, got);
	for (i = 0; i < 8; i++)
		assert_int_equal(got[i], two[i]);
	order(3, 3, got);
	for (i = 0; i < 9; i++)
		assert_int_equal(got[i], three[i]);
	/*
	 * A drift that grows by one per run: over two rounds every arm's
	 * positions add up to the same, so the drift falls on each alike.
	 */
	order(3, 2, got);
	for (i = 0; i < 6; i++)
		sum[got[i]] += i;
	assert_int_equal(sum[0], sum[1]);
	assert_int_equal(sum[1], sum[2]);
	/* one arm: every run in it */
	assert_int_equal(merge_guard_arm_at(1, 0, 0), 0);
	assert_int_equal(merge_guard_arm_at(1, 1, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_parse_list),
		cmocka_unit_test(test_arm_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
