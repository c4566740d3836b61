// SPDX-License-Identifier: GPL-2.0
/* Records handed to a thread in batches: all of them, in order, errors back. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "util/worker.h"

struct rec {
	uint64_t seq;
	uint32_t tag;
};

struct sink {
	uint64_t next;		/* the seq expected */
	uint64_t sum;
	uint64_t fail_at;	/* 0: never */
	int out_of_order;
};

static int take(void *ctx, const void *p)
{
	struct sink *s = ctx;
	const struct rec *r = p;

	if (r->seq != s->next || r->tag != (uint32_t)(r->seq * 2654435761u))
		s->out_of_order++;
	s->next = r->seq + 1;
	s->sum += r->seq;
	if (s->fail_at && r->seq == s->fail_at)
		return -EIO;
	return 0;
}

static void feed(struct worker *w, uint64_t n, int *err)
{
	struct rec r;
	uint64_t i;

	*err = 0;
	for (i = 0; i < n && !*err; i++) {
		r.seq = i;
		r.tag = (uint32_t)(i * 2654435761u);
		*err = worker_add(w, &r);
	}
}

/* Many batches, more than are in flight at once, and a part batch at the end. */
static void test_all_in_order(void **state)
{
	uint64_t n = 1000003;
	struct sink s = { 0 };
	struct worker *w = worker_start(sizeof(struct rec), take, &s);
	int err;

	assert_non_null(w);
	feed(w, n, &err);
	assert_int_equal(err, 0);
	assert_int_equal(worker_finish(w), 0);
	assert_int_equal(s.out_of_order, 0);
	assert_true(s.next == n);
	assert_true(s.sum == n * (n - 1) / 2);
}

/* Nothing handed over, and fewer records than a batch. */
static void test_empty_and_few(void **state)
{
	struct sink s = { 0 };
	struct worker *w = worker_start(sizeof(struct rec), take, &s);
	int err;

	assert_non_null(w);
	assert_int_equal(worker_finish(w), 0);
	assert_true(s.next == 0);
	w = worker_start(sizeof(struct rec), take, &s);
	feed(w, 3, &err);
	assert_int_equal(worker_finish(w), 0);
	assert_true(s.next == 3 && s.sum == 3);
	assert_int_equal(worker_finish(NULL), 0);
}

/* The first error stops the function and comes back, from add or finish. */
static void test_error(void **state)
{
	struct sink s = { .fail_at = 12345 };
	struct worker *w = worker_start(sizeof(struct rec), take, &s);
	int err;

	assert_non_null(w);
	feed(w, 2000000, &err);
	/* seen at a later hand-over: the caller stops early */
	assert_int_equal(err, -EIO);
	assert_int_equal(worker_finish(w), -EIO);
	assert_true(s.next == 12346);
	/* an error in the last part batch: from finish */
	s = (struct sink){ .fail_at = 2 };
	w = worker_start(sizeof(struct rec), take, &s);
	feed(w, 5, &err);
	assert_int_equal(err, 0);
	assert_int_equal(worker_finish(w), -EIO);
	assert_true(s.next == 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_in_order),
		cmocka_unit_test(test_empty_and_few),
		cmocka_unit_test(test_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
