// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "util/worker.h"
#include "util/thread.h"

/* a batch small enough to stay in a cache, a few of them in flight */
#define BATCH_BYTES (96u << 10)
#define BATCHES 8
/*
 * The thread is woken once this many wait, not for each: a wakeup costs
 * microseconds (an interrupt to the other CPU, a trap in a VM).
 */
#define WAKE_AT (BATCHES / 2)

struct worker {
	size_t size, per_batch;
	worker_fn fn;
	void *ctx;
	unsigned char *batch[BATCHES];
	size_t fill[BATCHES];	/* records in each batch handed over */
	unsigned int head;	/* the oldest batch not done */
	unsigned int count;	/* batches handed over, not done */
	size_t n;		/* records in the caller's batch */
	unsigned char *cur;	/* the caller's batch, batch[(head + count) % BATCHES] */
	bool closing;
	bool idle;		/* the thread waits for WAKE_AT batches */
	int err;		/* the function's first error */
	int seen_err;		/* the caller's copy of it */
	struct thread_sync sync;
	pthread_mutex_t lock;
	pthread_cond_t filled, room;
};

static void *run(void *arg)
{
	struct worker *w = arg;
	const unsigned char *b;
	size_t i, n;
	int err = 0;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while ((!w->count || (w->idle && w->count < WAKE_AT)) &&
		       !w->closing) {
			w->idle = true;
			pthread_cond_wait(&w->filled, &w->lock);
		}
		w->idle = false;
		if (!w->count)
			break;
		b = w->batch[w->head];
		n = w->fill[w->head];
		pthread_mutex_unlock(&w->lock);
		/* after an error the rest is only given back */
		for (i = 0; i < n && !err; i++)
			err = w->fn(w->ctx, b + i * w->size);
		pthread_mutex_lock(&w->lock);
		if (err && !w->err)
			w->err = err;
		w->head = (w->head + 1) % BATCHES;
		w->count--;
		pthread_cond_signal(&w->room);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static void free_worker(struct worker *w)
{
	unsigned int i;

	for (i = 0; i < BATCHES; i++)
		free(w->batch[i]);
	free(w);
}

struct worker *worker_start(size_t rec_size, worker_fn fn, void *ctx)
{
	struct worker *w = calloc(1, sizeof(*w));
	unsigned int i;
	int err;

	if (!w)
		return NULL;
	w->size = rec_size;
	w->per_batch = BATCH_BYTES / rec_size ? BATCH_BYTES / rec_size : 1;
	w->fn = fn;
	w->ctx = ctx;
	for (i = 0; i < BATCHES; i++) {
		w->batch[i] = malloc(w->per_batch * rec_size);
		if (!w->batch[i]) {
			free_worker(w);
			errno = ENOMEM;
			return NULL;
		}
	}
	w->cur = w->batch[0];
	w->sync = (struct thread_sync){
		.lock = &w->lock, .cond = { &w->filled, &w->room },
	};
	err = thread_start(&w->sync, run, w);
	if (err) {
		free_worker(w);
		errno = err;
		return NULL;
	}
	return w;
}

/* The caller's batch to the thread, and the next one to fill. */
static void hand_over(struct worker *w)
{
	unsigned int i;

	pthread_mutex_lock(&w->lock);
	i = (w->head + w->count) % BATCHES;
	w->fill[i] = w->n;
	w->count++;
	if (w->count >= WAKE_AT)
		pthread_cond_signal(&w->filled);
	while (w->count == BATCHES)
		pthread_cond_wait(&w->room, &w->lock);
	w->cur = w->batch[(w->head + w->count) % BATCHES];
	w->seen_err = w->err;
	pthread_mutex_unlock(&w->lock);
	w->n = 0;
}

int worker_add(struct worker *w, const void *rec)
{
	if (w->n == w->per_batch)
		hand_over(w);
	memcpy(w->cur + w->n * w->size, rec, w->size);
	w->n++;
	return w->seen_err;
}

int worker_finish(struct worker *w)
{
	int err;

	if (!w)
		return 0;
	if (w->n)
		hand_over(w);
	thread_stop(&w->sync, &w->closing, &w->filled);
	err = w->err;
	free_worker(w);
	return err;
}
