/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A thread that works beside its caller, and the lock and conditions
 * (one or two) the two hand work over with: set up with the thread in
 * one call, torn down with it in another, so that every such pair
 * starts and stops the same way.
 */
#ifndef DIOSCOPE_UTIL_THREAD_H
#define DIOSCOPE_UTIL_THREAD_H

#include <pthread.h>
#include <stdbool.h>

struct thread_sync {
	pthread_t thread;
	pthread_mutex_t *lock;
	pthread_cond_t *cond[2];	/* cond[1] may be NULL */
};

/*
 * Initialise s's lock and conditions and start fn(arg): 0, or the
 * error of pthread_create(), with everything it set up undone.
 */
int thread_start(struct thread_sync *s, void *(*fn)(void *), void *arg);
/*
 * Set *stop under the lock, wake every waiter on wake, wait for the
 * thread to end, and destroy the lock and the conditions.
 */
void thread_stop(struct thread_sync *s, bool *stop, pthread_cond_t *wake);

#endif
