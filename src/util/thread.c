// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>
#include "util/thread.h"

static void sync_destroy(struct thread_sync *s)
{
	int i;

	for (i = 1; i >= 0; i--)
		if (s->cond[i])
			pthread_cond_destroy(s->cond[i]);
	pthread_mutex_destroy(s->lock);
}

int thread_start(struct thread_sync *s, void *(*fn)(void *), void *arg)
{
	int i, err;

	pthread_mutex_init(s->lock, NULL);
	for (i = 0; i < 2; i++)
		if (s->cond[i])
			pthread_cond_init(s->cond[i], NULL);
	err = pthread_create(&s->thread, NULL, fn, arg);
	if (err)
		sync_destroy(s);
	return err;
}

void thread_stop(struct thread_sync *s, bool *stop, pthread_cond_t *wake)
{
	pthread_mutex_lock(s->lock);
	*stop = true;
	pthread_cond_broadcast(wake);
	pthread_mutex_unlock(s->lock);
	pthread_join(s->thread, NULL);
	sync_destroy(s);
}
