// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "export/async.h"

#define CHUNK (4u << 20)

/*
 * Two buffers: the caller fills one while the thread writes the other.
 * A buffer is the caller's while len[i] counts up, the thread's once
 * ready[i] is set, and the caller's again when the thread clears it.
 */
struct async {
	int fd;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *buf[2];
	size_t len[2];
	bool ready[2];
	int filling;
	bool closing;
	int err;
};

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		p += w;
		n -= w;
	}
	return 0;
}

static void *writer(void *arg)
{
	struct async *a = arg;
	int i = 0, err;

	pthread_mutex_lock(&a->mu);
	for (;;) {
		while (!a->ready[i] && !a->closing)
			pthread_cond_wait(&a->cv, &a->mu);
		if (!a->ready[i])
			break;
		pthread_mutex_unlock(&a->mu);
		err = write_all(a->fd, a->buf[i], a->len[i]);
		pthread_mutex_lock(&a->mu);
		if (err && !a->err)
			a->err = err;
		a->len[i] = 0;
		a->ready[i] = false;
		pthread_cond_broadcast(&a->cv);
		i ^= 1;
	}
	pthread_mutex_unlock(&a->mu);
	return NULL;
}

/* Hand the buffer being filled to the thread; wait for the other. */
static void hand_over(struct async *a)
{
	int i = a->filling;

	pthread_mutex_lock(&a->mu);
	a->ready[i] = true;
	pthread_cond_broadcast(&a->cv);
	a->filling ^= 1;
	while (a->ready[a->filling])
		pthread_cond_wait(&a->cv, &a->mu);
	pthread_mutex_unlock(&a->mu);
}

static ssize_t async_write(void *cookie, const char *data, size_t size)
{
	struct async *a = cookie;
	size_t done = 0, n;

	while (done < size) {
		int i = a->filling;

		n = CHUNK - a->len[i];
		if (n > size - done)
			n = size - done;
		memcpy(a->buf[i] + a->len[i], data + done, n);
		a->len[i] += n;
		done += n;
		if (a->len[i] == CHUNK)
			hand_over(a);
	}
	return size;
}

static void async_free(struct async *a)
{
	free(a->buf[0]);
	free(a->buf[1]);
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->cv);
	free(a);
}

static int async_close(void *cookie)
{
	struct async *a = cookie;
	int err;

	if (a->len[a->filling])
		hand_over(a);
	pthread_mutex_lock(&a->mu);
	a->closing = true;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	pthread_join(a->thread, NULL);
	err = a->err;
	if (close(a->fd) && !err)
		err = errno;
	async_free(a);
	if (err) {
		errno = err;
		return EOF;
	}
	return 0;
}

FILE *async_fdopen(int fd)
{
	cookie_io_functions_t io = { .write = async_write, .close = async_close };
	struct async *a = calloc(1, sizeof(*a));
	FILE *f;
	int err;

	if (!a) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	a->fd = fd;
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	a->buf[0] = malloc(CHUNK);
	a->buf[1] = malloc(CHUNK);
	if (!a->buf[0] || !a->buf[1]) {
		errno = ENOMEM;
		goto fail;
	}
	err = pthread_create(&a->thread, NULL, writer, a);
	if (err) {
		errno = err;
		goto fail;
	}
	/* so that top and perf tell the writer from the correlator */
	pthread_setname_np(a->thread, "dioscope-write");
	f = fopencookie(a, "w", io);
	if (f)
		return f;
	err = errno;
	pthread_mutex_lock(&a->mu);
	a->closing = true;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	pthread_join(a->thread, NULL);
	errno = err;
fail:
	err = errno;
	if (a->fd >= 0)
		close(a->fd);
	async_free(a);
	errno = err;
	return NULL;
}
