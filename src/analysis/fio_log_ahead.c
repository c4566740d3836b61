// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing fio's logs was a tenth of report's time, and it depends on
 * nothing the events say: on a second CPU it costs the correlation
 * nothing. The chunks are small enough to stay in a cache and few per
 * job, so memory does not grow with the logs.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/fio_log_ahead.h"
#include "util/thread.h"

#define CHUNK_IOS 1024
#define CHUNKS 8		/* per job: one being read, the rest ahead */
/*
 * The thread, once every job's chunks are filled, is woken when half of
 * a job's are free again, not for each: a wakeup costs microseconds (an
 * interrupt to the other CPU, a trap in a VM).
 */
#define WAKE_AT (CHUNKS / 2)

struct chunk {
	struct fio_io io[CHUNK_IOS];
	size_t n;
	size_t torn;		/* lines cut short met while filling it */
	int end;		/* 0: more follow; 1: the job's files end; or -errno */
	char error[FIO_LOG_ERROR_LEN];
};

struct job {
	struct chunk *chunk;	/* a ring of CHUNKS */
	unsigned int head;	/* the chunk being read */
	unsigned int count;	/* filled and not given back */
	bool done;		/* its last chunk is filled */
	bool reading;		/* the reader has taken chunk[head] */
	size_t at;		/* the reader's place in it */
};

struct fio_log_ahead {
	struct fio_log *log;
	struct job *jobs;
	unsigned int njobs;
	struct thread_sync sync;
	pthread_mutex_t lock;
	pthread_cond_t filled, room;
	bool stop;
};

/* A job whose next chunk can be filled; under the lock. */
static bool has_room(const struct job *j)
{
	return !j->done && j->count < CHUNKS;
}

static void fill(struct fio_log_ahead *a, unsigned int k, struct chunk *c)
{
	int r;

	c->n = c->torn = 0;
	c->end = 0;
	while (c->n < CHUNK_IOS) {
		r = fio_log_read(a->log, k, &c->io[c->n], &c->torn, c->error);
		if (r <= 0) {
			c->end = r ? r : 1;
			return;
		}
		c->n++;
	}
}

/* One chunk more for job k if it has room: whether it had. */
static bool fill_next(struct fio_log_ahead *a, unsigned int k)
{
	struct job *j = &a->jobs[k];
	struct chunk *c;

	pthread_mutex_lock(&a->lock);
	if (a->stop || !has_room(j)) {
		pthread_mutex_unlock(&a->lock);
		return false;
	}
	c = &j->chunk[(j->head + j->count) % CHUNKS];
	pthread_mutex_unlock(&a->lock);
	/* no one else touches a chunk not counted yet */
	fill(a, k, c);
	pthread_mutex_lock(&a->lock);
	j->count++;
	j->done = c->end != 0;
	pthread_cond_signal(&a->filled);
	pthread_mutex_unlock(&a->lock);
	return true;
}

static void *run(void *arg)
{
	struct fio_log_ahead *a = arg;
	unsigned int k;
	bool any;

	for (;;) {
		any = false;
		for (k = 0; k < a->njobs; k++)
			any |= fill_next(a, k);
		if (any)
			continue;
		pthread_mutex_lock(&a->lock);
		for (;;) {
			for (k = 0; k < a->njobs && !has_room(&a->jobs[k]); k++)
				;
			if (a->stop || k < a->njobs)
				break;
			pthread_cond_wait(&a->room, &a->lock);
		}
		any = a->stop;
		pthread_mutex_unlock(&a->lock);
		if (any)
			return NULL;
	}
}

static void free_ahead(struct fio_log_ahead *a)
{
	unsigned int k;

	for (k = 0; k < a->njobs; k++)
		free(a->jobs[k].chunk);
	free(a->jobs);
	free(a);
}

struct fio_log_ahead *fio_log_ahead_start(struct fio_log *log)
{
	struct fio_log_ahead *a = calloc(1, sizeof(*a));
	unsigned int k;
	int err;

	if (!a)
		return NULL;
	a->log = log;
	a->njobs = log->jobs;
	a->jobs = calloc(a->njobs ? a->njobs : 1, sizeof(*a->jobs));
	for (k = 0; a->jobs && k < a->njobs; k++) {
		a->jobs[k].chunk = malloc(CHUNKS * sizeof(struct chunk));
		if (!a->jobs[k].chunk)
			break;
	}
	if (!a->jobs || k < a->njobs) {
		free_ahead(a);
		errno = ENOMEM;
		return NULL;
	}
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

/* Give the chunk read back to the thread, and wait for the next. */
static void next_chunk(struct fio_log_ahead *a, struct job *j)
{
	pthread_mutex_lock(&a->lock);
	if (j->reading) {
		j->head = (j->head + 1) % CHUNKS;
		j->count--;
		if (j->count == WAKE_AT)
			pthread_cond_signal(&a->room);
	}
	while (!j->count)
		pthread_cond_wait(&a->filled, &a->lock);
	pthread_mutex_unlock(&a->lock);
	j->reading = true;
	j->at = 0;
}

int fio_log_ahead_next(struct fio_log_ahead *a, unsigned int job,
		       struct fio_io *io, size_t *torn, char *error)
{
	struct job *j = &a->jobs[job];
	struct chunk *c;

	for (;;) {
		if (j->reading) {
			c = &j->chunk[j->head];
			if (j->at < c->n) {
				*io = c->io[j->at++];
				return 1;
			}
			/* the last chunk is kept: its end is said again */
			if (c->end < 0)
				memcpy(error, c->error, FIO_LOG_ERROR_LEN);
			if (c->end)
				return c->end < 0 ? c->end : 0;
		}
		next_chunk(a, j);
		*torn += j->chunk[j->head].torn;
	}
}

void fio_log_ahead_stop(struct fio_log_ahead *a)
{
	if (!a)
		return;
	thread_stop(&a->sync, &a->stop, &a->room);
	free_ahead(a);
}
