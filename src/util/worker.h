/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Records of one size handed, in order, to a function that runs in a
 * thread of its own: the caller fills a batch and hands it over whole
 * (one lock a batch, none a record), so that work which only consumes
 * what the caller produces leaves the caller's CPU. The function's
 * first error stops it and comes back from the next hand-over.
 */
#ifndef DIOSCOPE_UTIL_WORKER_H
#define DIOSCOPE_UTIL_WORKER_H

#include <stddef.h>

/* 0, or an error that stops the worker (the records after it are dropped) */
typedef int (*worker_fn)(void *ctx, const void *rec);

struct worker;

/* NULL with errno set if the thread cannot be started. */
struct worker *worker_start(size_t rec_size, worker_fn fn, void *ctx);
/* Copy one record in: 0, or the worker's error once it has seen one. */
int worker_add(struct worker *w, const void *rec);
/*
 * Hand over what is left, wait until every record is done, stop the
 * thread and free it (NULL: 0). 0 or the function's first error.
 */
int worker_finish(struct worker *w);

#endif
