// SPDX-License-Identifier: GPL-2.0
/*
 * Events ordered in a thread and handed over in batches: the same events
 * in the same order, with the same late count, as the order passes them
 * on in one thread, out-of-order ones through the heap included; the
 * thread's error and a caller that stops early.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "run/order_feed.h"

#define WINDOW 64
#define EVENTS 20000

struct seen {
	__u64 *ts;
	__u32 *tid;
	size_t n;
};

/* A stream nearly in order, some events far out of it, a few late. */
static void make_event(size_t i, struct ds_event *e)
{
	memset(e, 0, sizeof(*e));
	e->ts_ns = 1000 + i * 10;
	if (i % 97 == 5)
		e->ts_ns -= 10 * 40;		/* back past the shift: the heap */
	if (i % 1013 == 7)
		e->ts_ns -= 10 * 500;		/* beyond the window: late */
	if (i % 3 == 1)
		e->ts_ns -= 15;			/* swapped with a neighbour */
	e->type = DS_EV_MAP_BLOCKS;
	e->tid = i;
}

static int keep(void *ctx, const struct ds_event *e)
{
	struct seen *s = ctx;

	s->ts[s->n] = e->ts_ns;
	s->tid[s->n++] = e->tid;
	return 0;
}

struct producer {
	size_t events;
	size_t fail_at;		/* 0: never */
};

static int produce(void *ctx, struct order_feed *f, struct corr_order *o)
{
	const struct producer *p = ctx;
	struct ds_event *e;
	size_t i;
	int err;

	for (i = 0; i < p->events; i++) {
		e = corr_order_slot(o, &err);
		if (!err)
			err = order_feed_pass(f);
		if (err)
			return err;
		if (p->fail_at && i == p->fail_at)
			return -EBADMSG;
		make_event(i, e);
		corr_order_commit(o);
	}
	return 0;
}

static void alloc_seen(struct seen *s)
{
	s->ts = calloc(EVENTS, sizeof(*s->ts));
	s->tid = calloc(EVENTS, sizeof(*s->tid));
	s->n = 0;
}

static void free_seen(struct seen *s)
{
	free(s->ts);
	free(s->tid);
}

static void test_same_as_in_place(void **state)
{
	struct producer p = { .events = EVENTS };
	const struct ds_event *const *ev;
	struct seen want, got;
	struct corr_order o;
	struct order_feed *f;
	struct ds_event e;
	__u64 late;
	size_t i, n;
	int r;

	alloc_seen(&want);
	alloc_seen(&got);
	assert_int_equal(corr_order_init(&o, WINDOW, keep, &want), 0);
	for (i = 0; i < EVENTS; i++) {
		make_event(i, &e);
		assert_int_equal(corr_order_add(&o, &e), 0);
	}
	assert_int_equal(corr_order_flush(&o), 0);
	assert_true(o.far > 0 && o.late > 0);
	f = order_feed_start(WINDOW, produce, &p);
	assert_non_null(f);
	while ((r = order_feed_next(f, &ev, &n)) > 0)
		for (i = 0; i < n; i++)
			keep(&got, ev[i]);
	assert_int_equal(r, 0);
	order_feed_stop(f, &late);
	assert_int_equal(got.n, EVENTS);
	assert_int_equal(want.n, EVENTS);
	assert_memory_equal(got.ts, want.ts, EVENTS * sizeof(*got.ts));
	assert_memory_equal(got.tid, want.tid, EVENTS * sizeof(*got.tid));
	assert_true(late == o.late);
	corr_order_free(&o);
	free_seen(&want);
	free_seen(&got);
}

/* The thread's error after the batches before it; a caller that stops. */
static void test_error_and_stop(void **state)
{
	struct producer p = { .events = EVENTS, .fail_at = 5000 };
	const struct ds_event *const *ev;
	struct order_feed *f;
	size_t n, total = 0;
	__u64 late;
	int r;

	f = order_feed_start(WINDOW, produce, &p);
	assert_non_null(f);
	while ((r = order_feed_next(f, &ev, &n)) > 0)
		total += n;
	assert_int_equal(r, -EBADMSG);
	assert_true(total > 0 && total < 5000);
	order_feed_stop(f, &late);
	p.fail_at = 0;
	f = order_feed_start(WINDOW, produce, &p);
	assert_non_null(f);
	assert_int_equal(order_feed_next(f, &ev, &n), 1);
	/* the thread waits for the batch back, and is told to stop */
	order_feed_stop(f, &late);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_in_place),
		cmocka_unit_test(test_error_and_stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
