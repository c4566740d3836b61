// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/corr_order.h"

#define DEFAULT_WINDOW (1u << 16)

int corr_order_cmp(const struct ds_event *a, const struct ds_event *b)
{
	if (a->ts_ns != b->ts_ns)
		return a->ts_ns < b->ts_ns ? -1 : 1;
	return (a->type != DS_EV_DIO_SUBMIT) - (b->type != DS_EV_DIO_SUBMIT);
}

int corr_order_init(struct corr_order *o, size_t window, order_fn fn,
		    void *ctx)
{
	return corr_order_init_kept(o, window, 0, fn, ctx);
}

int corr_order_init_kept(struct corr_order *o, size_t window, size_t kept,
			 order_fn fn, void *ctx)
{
	size_t cap = 1;

	memset(o, 0, sizeof(*o));
	o->window = window ? window : DEFAULT_WINDOW;
	while (cap < 2 * o->window + kept)
		cap <<= 1;
	o->mask = cap - 1;
	o->fn = fn;
	o->ctx = ctx;
	/* untouched pages cost no memory: the heap is used rarely */
	o->ring = malloc(cap * sizeof(*o->ring));
	o->heap = malloc(2 * o->window * sizeof(*o->heap));
	if (!o->ring || !o->heap) {
		corr_order_free(o);
		return -ENOMEM;
	}
	return 0;
}

void corr_order_free(struct corr_order *o)
{
	free(o->ring);
	free(o->heap);
	o->ring = o->heap = NULL;
}

static struct ds_event *at(struct corr_order *o, size_t i)
{
	return &o->ring[(o->head + i) & o->mask];
}

static void heap_push(struct corr_order *o, const struct ds_event *e)
{
	size_t i = o->nheap++, parent;

	while (i > 0) {
		parent = (i - 1) / 2;
		if (corr_order_cmp(&o->heap[parent], e) <= 0)
			break;
		o->heap[i] = o->heap[parent];
		i = parent;
	}
	o->heap[i] = *e;
}

static void heap_pop(struct corr_order *o, struct ds_event *out)
{
	struct ds_event last = o->heap[--o->nheap];
	size_t i = 0, c;

	*out = o->heap[0];
	while ((c = 2 * i + 1) < o->nheap) {
		if (c + 1 < o->nheap &&
		    corr_order_cmp(&o->heap[c + 1], &o->heap[c]) < 0)
			c++;
		if (corr_order_cmp(&last, &o->heap[c]) <= 0)
			break;
		o->heap[i] = o->heap[c];
		i = c;
	}
	if (o->nheap)
		o->heap[i] = last;
}

/*
 * The oldest event held, out of the ring or the heap: from the heap a
 * copy into *spare, from the ring the event where it is (its slot is
 * not reused before the next event is added).
 */
static const struct ds_event *take_oldest(struct corr_order *o,
					  struct ds_event *spare)
{
	const struct ds_event *e;

	if (o->nheap && (!o->n || corr_order_cmp(&o->heap[0], at(o, 0)) < 0)) {
		heap_pop(o, spare);
		return spare;
	}
	e = at(o, 0);
	o->head = (o->head + 1) & o->mask;
	o->n--;
	return e;
}

/*
 * The time of the last event passed on is read once it is passed on, not
 * for each: an event leaving the window was written a window ago and is
 * no longer in this CPU's cache (where fn runs on another CPU, nothing
 * else here reads it).
 */
static int release(struct corr_order *o, size_t count)
{
	const struct ds_event *e, *last = NULL;
	struct ds_event spare;
	int err = 0;

	while (count-- && (o->n || o->nheap) && !err) {
		e = take_oldest(o, &spare);
		o->released_any = 1;
		/* a copy from the heap is gone with the next one */
		if (e == &spare) {
			o->released_ts = e->ts_ns;
			last = NULL;
		} else {
			last = e;
		}
		err = o->fn(o->ctx, e);
	}
	/* its slot is not reused before the next event is added */
	if (last)
		o->released_ts = last->ts_ns;
	return err;
}

struct ds_event *corr_order_slot(struct corr_order *o, int *err)
{
	*err = 0;
	if (o->n + o->nheap >= 2 * o->window)
		*err = release(o, o->window);
	return at(o, o->n);
}

void corr_order_commit(struct corr_order *o)
{
	const struct ds_event *e = at(o, o->n);
	struct ds_event moved;
	size_t i, back = 0;

	if (o->released_any && e->ts_ns < o->released_ts)
		o->late++;
	/* insertion from the end, a few places at most */
	i = o->n;
	while (i > 0 && back < CORR_ORDER_SHIFT &&
	       corr_order_cmp(at(o, i - 1), e) > 0) {
		i--;
		back++;
	}
	if (i > 0 && back == CORR_ORDER_SHIFT &&
	    corr_order_cmp(at(o, i - 1), e) > 0) {
		o->far++;
		heap_push(o, e);
		return;
	}
	o->n++;
	if (i == o->n - 1)
		return;
	/* its slot is the first the others move into */
	moved = *e;
	for (back = o->n - 1; back > i; back--)
		*at(o, back) = *at(o, back - 1);
	*at(o, i) = moved;
}

int corr_order_add(struct corr_order *o, const struct ds_event *e)
{
	int err;
	struct ds_event *slot = corr_order_slot(o, &err);

	*slot = *e;
	corr_order_commit(o);
	return err;
}

int corr_order_flush(struct corr_order *o)
{
	return release(o, o->n + o->nheap);
}

/* The time of the oldest event held; none held: ~0. */
static __u64 oldest_ts(struct corr_order *o)
{
	__u64 ts = o->n ? at(o, 0)->ts_ns : ~0ULL;

	return o->nheap && o->heap[0].ts_ns < ts ? o->heap[0].ts_ns : ts;
}

int corr_order_release_before(struct corr_order *o, __u64 ts)
{
	int err = 0;

	while (!err && oldest_ts(o) < ts)
		err = release(o, 1);
	return err;
}
