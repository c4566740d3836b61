// SPDX-License-Identifier: GPL-2.0
/* Churn pairs: wasted merges waiting for the split that redoes them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "analysis/churn.h"

static void test_needs(void **state)
{
	/* an IO over blocks [8, 12) needs the boundaries at 8 and at 12 */
	assert_true(churn_needs(8, 12, 8));
	assert_true(churn_needs(8, 12, 12));
	assert_false(churn_needs(8, 12, 10));
	assert_false(churn_needs(8, 12, 13));
}

static void test_pair(void **state)
{
	struct churn c = { 0 };
	__u64 ns;
	__u32 io;

	assert_int_equal(churn_note_merge(&c, 1, 12, 8, 3, 100, 1000), 0);
	/* another file, another block: no pair */
	assert_false(churn_take_split(&c, 1, 13, 8, &io, &ns));
	assert_false(churn_take_split(&c, 1, 12, 9, &io, &ns));
	assert_false(churn_take_split(&c, 2, 12, 8, &io, &ns));
	assert_true(churn_take_split(&c, 1, 12, 8, &io, &ns));
	assert_int_equal(io, 3);
	assert_int_equal(ns, 100);
	/* taken: a second split at the same place is not a pair */
	assert_false(churn_take_split(&c, 1, 12, 8, &io, &ns));
	churn_free(&c);
}

static void test_two_needers(void **state)
{
	struct churn c = { 0 };
	__u64 ns;
	__u32 io;

	assert_int_equal(churn_note_merge_pair(&c, 1, 12, 9, 4, 5, 50, 10), 0);
	assert_true(churn_take_split_for(&c, 1, 12, 9, 5, &io, &ns));
	assert_int_equal(io, 5);
	assert_int_equal(churn_note_merge_pair(&c, 1, 12, 9, 4, 5, 50, 20), 0);
	/* done for neither: the first */
	assert_true(churn_take_split_for(&c, 1, 12, 9, 7, &io, &ns));
	assert_int_equal(io, 4);
	/* one needer completing leaves the other's need */
	assert_int_equal(churn_note_merge_pair(&c, 1, 12, 9, 4, 5, 50, 30), 0);
	assert_int_equal(churn_forget_io(&c, 4), 0);
	assert_true(churn_take_split(&c, 1, 12, 9, &io, &ns));
	assert_int_equal(io, 5);
	churn_free(&c);
}

static void test_forget(void **state)
{
	struct churn c = { 0 };
	__u64 ns;
	__u32 io;
	int i;

	/* many, to go past the first allocation */
	for (i = 0; i < 100; i++)
		assert_int_equal(churn_note_merge(&c, 1, 12, i, i % 2, 1, 100 + i), 0);
	/* IO 0's own conversion from t=150 on: its merges since are its own */
	assert_int_equal(churn_forget_since(&c, 0, 150), 25);
	assert_true(churn_take_split(&c, 1, 12, 48, &io, &ns));
	assert_false(churn_take_split(&c, 1, 12, 50, &io, &ns));
	/* IO 1 completes: its 50 merges were never re-split */
	assert_int_equal(churn_forget_io(&c, 1), 50);
	assert_int_equal(churn_forget_io(&c, 0), 24);
	assert_int_equal(c.n, 0);
	churn_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_needs),
		cmocka_unit_test(test_pair),
		cmocka_unit_test(test_two_needers),
		cmocka_unit_test(test_forget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
