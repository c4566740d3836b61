// SPDX-License-Identifier: GPL-2.0
/*
 * The tree's hash table: three-word keys, growth, deletion that keeps
 * every other key findable, checked against a plain array.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "util/hash.h"

static void test_three_words(void **state)
{
	struct hash_map m;

	assert_int_equal(hash_init(&m, 4), 0);
	assert_int_equal(hash_put(&m, 1, 2, 3, 10), 0);
	assert_int_equal(hash_put(&m, 1, 2, 4, 11), 0);
	assert_int_equal(hash_put(&m, 1, 3, 3, 12), 0);
	assert_int_equal(hash_put(&m, 2, 2, 3, 13), 0);
	assert_int_equal(hash_get(&m, 1, 2, 3), 10);
	assert_int_equal(hash_get(&m, 1, 2, 4), 11);
	assert_int_equal(hash_get(&m, 1, 3, 3), 12);
	assert_int_equal(hash_get(&m, 2, 2, 3), 13);
	assert_int_equal(hash_get(&m, 3, 2, 1), HASH_NONE);
	/* a put replaces */
	assert_int_equal(hash_put(&m, 1, 2, 3, 20), 0);
	assert_int_equal(hash_get(&m, 1, 2, 3), 20);
	assert_int_equal(m.n, 4);
	assert_true(hash_del(&m, 1, 2, 3));
	assert_false(hash_del(&m, 1, 2, 3));
	assert_int_equal(hash_get(&m, 1, 2, 3), HASH_NONE);
	assert_int_equal(hash_get(&m, 1, 2, 4), 11);
	assert_int_equal(m.n, 3);
	/* removed only where it maps to the value given */
	assert_false(hash_del_val(&m, 1, 2, 4, 12));
	assert_false(hash_del_val(&m, 9, 9, 9, 11));
	assert_int_equal(hash_get(&m, 1, 2, 4), 11);
	assert_true(hash_del_val(&m, 1, 2, 4, 11));
	assert_int_equal(hash_get(&m, 1, 2, 4), HASH_NONE);
	assert_int_equal(hash_get(&m, 1, 3, 3), 12);
	assert_int_equal(m.n, 2);
	hash_free(&m);
}

/* Sized for all it holds, it never grows: top counts on that. */
static void test_sized_never_grows(void **state)
{
	struct hash_map m;
	size_t slots;
	__u32 i;

	assert_int_equal(hash_init(&m, 1000), 0);
	slots = m.mask + 1;
	for (i = 0; i < 1000; i++)
		assert_int_equal(hash_put(&m, i, 0, 7, i), 0);
	assert_int_equal(m.mask + 1, slots);
	for (i = 0; i < 1000; i++)
		assert_int_equal(hash_get(&m, i, 0, 7), i);
	hash_free(&m);
}

#define KEYS 3000

/* Random puts and deletes, small keys that crowd into runs. */
static void test_against_array(void **state)
{
	static __u32 want[KEYS];
	struct hash_map m;
	unsigned int seed = 7, step, k;

	for (k = 0; k < KEYS; k++)
		want[k] = HASH_NONE;
	assert_int_equal(hash_init(&m, 0), 0);
	for (step = 0; step < 200000; step++) {
		k = rand_r(&seed) % KEYS;
		if (rand_r(&seed) % 3) {
			assert_int_equal(hash_put(&m, k / 64, k % 64, k % 3, step), 0);
			want[k] = step;
		} else {
			assert_int_equal(hash_del(&m, k / 64, k % 64, k % 3),
					 want[k] != HASH_NONE);
			want[k] = HASH_NONE;
		}
		if (step % 9973)
			continue;
		for (k = 0; k < KEYS; k++)
			assert_int_equal(hash_get(&m, k / 64, k % 64, k % 3),
					 want[k]);
	}
	for (k = 0; k < KEYS; k++)
		assert_int_equal(hash_get(&m, k / 64, k % 64, k % 3), want[k]);
	hash_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_three_words),
		cmocka_unit_test(test_sized_never_grows),
		cmocka_unit_test(test_against_array),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
