// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include "run/record_ahead.h"
#include "util/thread.h"

/* blocks read ahead: a few, so that a slow read now and then is hidden */
#define SLOTS 16
/*
 * The thread, once it has filled them all, is woken when half are free
 * again, not for each: a wakeup costs microseconds (an interrupt to the
 * other CPU, a trap in a VM).
 */
#define WAKE_AT (SLOTS / 2)

struct record_ahead {
	FILE *f;
	const struct record_format *fmt;
	__u64 blocks, offset;	/* the thread's place in the file */
	struct block_read slot[SLOTS];
	unsigned int head;	/* the block the caller holds, or will */
	unsigned int count;	/* read and not given back */
	bool held;		/* the caller holds slot[head] */
	bool stop;
	struct thread_sync sync;
	pthread_mutex_t lock;
	pthread_cond_t filled, room;
};

static void *run(void *arg)
{
	struct record_ahead *a = arg;
	struct block_read *s;

	for (;;) {
		pthread_mutex_lock(&a->lock);
		while (!a->stop && a->count == SLOTS)
			pthread_cond_wait(&a->room, &a->lock);
		if (a->stop) {
			pthread_mutex_unlock(&a->lock);
			return NULL;
		}
		s = &a->slot[(a->head + a->count) % SLOTS];
		pthread_mutex_unlock(&a->lock);
		/* a slot not counted yet is this thread's alone */
		record_block_fetch(a->f, a->fmt, a->blocks, a->offset, s);
		a->blocks++;
		a->offset += sizeof(s->b) + s->n;
		pthread_mutex_lock(&a->lock);
		a->count++;
		pthread_cond_signal(&a->filled);
		pthread_mutex_unlock(&a->lock);
		if (s->rc != 1)
			return NULL;
	}
}

static void free_ahead(struct record_ahead *a)
{
	unsigned int i;

	for (i = 0; i < SLOTS; i++)
		free(a->slot[i].buf);
	free(a);
}

struct record_ahead *record_ahead_start(FILE *f,
					const struct record_format *fmt,
					__u64 offset)
{
	struct record_ahead *a = calloc(1, sizeof(*a));
	int err;

	if (!a)
		return NULL;
	a->f = f;
	a->fmt = fmt;
	a->offset = offset;
	a->sync = (struct thread_sync){
		.lock = &a->lock, .cond = { &a->filled, &a->room },
	};
	err = thread_start(&a->sync, run, a);
	if (err) {
		free_ahead(a);
		errno = err;
		return NULL;
	}
	return a;
}

struct block_read *record_ahead_next(struct record_ahead *a)
{
	struct block_read *s;

	pthread_mutex_lock(&a->lock);
	if (a->held) {
		s = &a->slot[a->head];
		/* the last: nothing comes after it */
		if (s->rc != 1) {
			pthread_mutex_unlock(&a->lock);
			return s;
		}
		a->head = (a->head + 1) % SLOTS;
		a->count--;
		a->held = false;
		if (a->count == WAKE_AT)
			pthread_cond_signal(&a->room);
	}
	while (!a->count)
		pthread_cond_wait(&a->filled, &a->lock);
	a->held = true;
	s = &a->slot[a->head];
	pthread_mutex_unlock(&a->lock);
	return s;
}

void record_ahead_stop(struct record_ahead *a)
{
	if (!a)
		return;
	thread_stop(&a->sync, &a->stop, &a->room);
	free_ahead(a);
}
