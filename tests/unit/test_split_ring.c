// SPDX-License-Identifier: GPL-2.0
/* Completion splits waiting for the mapping call that made them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>
#include "analysis/split_ring.h"

static struct ds_event split_at(__u64 ts, __u32 tid, __u64 ino, __u64 dur)
{
	struct ds_event e = {
		.type = DS_EV_SPLIT, .ts_ns = ts, .dur_ns = dur,
		.tid = tid, .ino = ino, .dev = 7,
	};
	return e;
}

static struct ds_event call_of(__u64 start, __u64 end, __u32 tid, __u64 ino)
{
	struct ds_event e = {
		.type = DS_EV_MAP_BLOCKS, .ts_ns = end, .dur_ns = end - start,
		.tid = tid, .ino = ino, .dev = 7,
	};
	return e;
}

static void test_claims_own_splits_once(void **state)
{
	struct split_ring *r = calloc(1, sizeof(*r));
	struct ds_event s, c;
	__u64 ns;

	assert_non_null(r);
	s = split_at(150, 1, 12, 10);
	split_ring_add(r, &s);
	s = split_at(160, 2, 12, 20);	/* another task */
	split_ring_add(r, &s);
	s = split_at(170, 1, 13, 30);	/* another file */
	split_ring_add(r, &s);
	s = split_at(900, 1, 12, 40);	/* after the call */
	split_ring_add(r, &s);
	s = split_at(180, 1, 12, 5);
	split_ring_add(r, &s);
	assert_int_equal(r->live, 5);

	c = call_of(100, 200, 1, 12);
	assert_int_equal(split_ring_take(r, &c, &ns), 2);
	assert_int_equal(ns, 15);
	assert_int_equal(r->live, 3);
	/* claimed: the same call again finds none */
	assert_int_equal(split_ring_take(r, &c, &ns), 0);
	assert_int_equal(ns, 0);

	/* the others are still there for their own calls */
	c = call_of(100, 200, 2, 12);
	assert_int_equal(split_ring_take(r, &c, &ns), 1);
	assert_int_equal(ns, 20);
	c = call_of(800, 1000, 1, 12);
	assert_int_equal(split_ring_take(r, &c, &ns), 1);
	assert_int_equal(ns, 40);
	assert_int_equal(r->live, 1);
	free(r);
}

/*
 * Overwritten entries leave the live count right, and a split in the
 * last slot is found once all live entries before it were passed.
 */
static void test_wraps_and_counts(void **state)
{
	struct split_ring *r = calloc(1, sizeof(*r));
	struct ds_event s, c;
	unsigned int i;
	__u64 ns;

	assert_non_null(r);
	/* splits no call claims, three times round the ring */
	for (i = 0; i < 3 * SPLIT_RING_CAP; i++) {
		s = split_at(1000 + i, 9, 99, 1);
		split_ring_add(r, &s);
	}
	assert_int_equal(r->live, SPLIT_RING_CAP);
	c = call_of(0, 100000, 9, 99);
	assert_int_equal(split_ring_take(r, &c, &ns), SPLIT_RING_CAP);
	assert_int_equal(r->live, 0);

	/* one live entry, in the last slot */
	r->next = SPLIT_RING_CAP - 1;
	s = split_at(500, 3, 4, 7);
	split_ring_add(r, &s);
	assert_int_equal(r->live, 1);
	c = call_of(400, 600, 3, 4);
	assert_int_equal(split_ring_take(r, &c, &ns), 1);
	assert_int_equal(ns, 7);
	assert_int_equal(r->live, 0);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_claims_own_splits_once),
		cmocka_unit_test(test_wraps_and_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
