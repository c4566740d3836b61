// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding and ordering were a third of report's time and the
 * correlation most of the rest: on two CPUs each has one. Handing over
 * decoded events as copies was tried and cost more than it saved (the
 * correlator then read each event from the other CPU's cache); here the
 * correlator reads them where it read them before, in the order's ring.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "run/order_feed.h"
#include "util/thread.h"

#define DEFAULT_WINDOW (1u << 16)

struct batch {
	const struct ds_event **ev;	/* 2 * window: a flush passes that many */
	struct ds_event *far;	/* copies of events from the order's heap */
	size_t n, nfar;
};

/*
 * Two batches may be the caller's (the one it reads and the next) while
 * the thread fills a third: the ring's two releases more hold them all.
 */
#define IN_FLIGHT 2
#define BATCHES (IN_FLIGHT + 1)

struct order_feed {
	struct corr_order order;
	order_produce_fn fn;
	void *ctx;
	struct batch b[BATCHES];
	unsigned int head;	/* the oldest batch handed over */
	unsigned int count;	/* handed over, not given back */
	unsigned int filling;	/* the batch the thread fills */
	bool taken;		/* the caller reads b[head] */
	bool ended;		/* the thread handed over its last */
	bool stop;
	int err;		/* the thread's */
	struct thread_sync sync;
	pthread_mutex_t lock;
	pthread_cond_t change;
};

/* The order's callback: one event passed on, into the batch filled. */
static int collect(void *ctx, const struct ds_event *e)
{
	struct order_feed *f = ctx;
	struct batch *b = &f->b[f->filling];

	if (!corr_order_in_ring(&f->order, e)) {
		b->far[b->nfar] = *e;
		e = &b->far[b->nfar++];
	}
	b->ev[b->n++] = e;
	return 0;
}

/*
 * The batch filled to the caller, once it holds fewer than IN_FLIGHT
 * (the ring's slots of the oldest are among the next the thread writes).
 */
static int hand_over(struct order_feed *f, bool last)
{
	int err = 0;

	pthread_mutex_lock(&f->lock);
	while (f->count == IN_FLIGHT && !f->stop)
		pthread_cond_wait(&f->change, &f->lock);
	if (f->stop) {
		err = -ECANCELED;
	} else {
		f->count++;
		f->ended = last;
		f->filling = (f->head + f->count) % BATCHES;
		f->b[f->filling].n = f->b[f->filling].nfar = 0;
		pthread_cond_broadcast(&f->change);
	}
	pthread_mutex_unlock(&f->lock);
	return err;
}

int order_feed_pass(struct order_feed *f)
{
	return f->b[f->filling].n ? hand_over(f, false) : 0;
}

static void *run(void *arg)
{
	struct order_feed *f = arg;
	int err = f->fn(f->ctx, f, &f->order);

	if (!err)
		err = corr_order_flush(&f->order);
	if (!err)
		err = hand_over(f, true);
	pthread_mutex_lock(&f->lock);
	if (err) {
		f->err = err;
		f->ended = true;
		pthread_cond_broadcast(&f->change);
	}
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

static void free_feed(struct order_feed *f)
{
	unsigned int i;

	for (i = 0; i < BATCHES; i++) {
		free(f->b[i].ev);
		free(f->b[i].far);
	}
	corr_order_free(&f->order);
	free(f);
}

struct order_feed *order_feed_start(size_t window, order_produce_fn fn,
				    void *ctx)
{
	struct order_feed *f = calloc(1, sizeof(*f));
	unsigned int i;
	int err;

	if (!f)
		return NULL;
	window = window ? window : DEFAULT_WINDOW;
	f->fn = fn;
	f->ctx = ctx;
	err = corr_order_init_kept(&f->order, window, 2 * window, collect, f);
	/* untouched pages cost no memory: far is used rarely */
	for (i = 0; !err && i < BATCHES; i++) {
		f->b[i].ev = malloc(2 * window * sizeof(*f->b[i].ev));
		f->b[i].far = malloc(2 * window * sizeof(*f->b[i].far));
		if (!f->b[i].ev || !f->b[i].far)
			err = -ENOMEM;
	}
	if (err) {
		free_feed(f);
		errno = -err;
		return NULL;
	}
	f->sync = (struct thread_sync){
		.lock = &f->lock, .cond = { &f->change, NULL },
	};
	err = thread_start(&f->sync, run, f);
	if (err) {
		free_feed(f);
		errno = err;
		return NULL;
	}
	return f;
}

int order_feed_next(struct order_feed *f, const struct ds_event *const **ev,
		    size_t *n)
{
	struct batch *b;
	int r;

	pthread_mutex_lock(&f->lock);
	if (f->taken) {
		/* done with it: its slots may be written again */
		f->head = (f->head + 1) % BATCHES;
		f->count--;
		f->taken = false;
		pthread_cond_broadcast(&f->change);
	}
	while (!f->count && !f->ended)
		pthread_cond_wait(&f->change, &f->lock);
	if (f->count) {
		b = &f->b[f->head];
		f->taken = true;
		*ev = b->ev;
		*n = b->n;
		r = 1;
	} else {
		r = f->err;
	}
	pthread_mutex_unlock(&f->lock);
	return r;
}

void order_feed_stop(struct order_feed *f, __u64 *late)
{
	if (!f)
		return;
	thread_stop(&f->sync, &f->stop, &f->change);
	*late = f->order.late;
	free_feed(f);
}
