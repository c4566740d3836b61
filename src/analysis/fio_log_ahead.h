/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio's logs read and parsed in a thread of their own while the caller's
 * thread correlates events: each job's entries come in chunks, a few
 * chunks ahead of the join, handed over whole (one lock per chunk, none
 * per entry). A chunk ends where its job's files end or fail, and says
 * how: the caller meets a failure at the same entry as without the
 * thread. fio_log.h's fio_log_read_ahead() starts it.
 */
#ifndef DIOSCOPE_FIO_LOG_AHEAD_H
#define DIOSCOPE_FIO_LOG_AHEAD_H

#include <stddef.h>
#include "analysis/fio_log.h"

struct fio_log_ahead;

/* The thread reading log's jobs; NULL with errno set if it cannot be. */
struct fio_log_ahead *fio_log_ahead_start(struct fio_log *log);
/* fio_log_read(), from the thread's chunks. */
int fio_log_ahead_next(struct fio_log_ahead *a, unsigned int job,
		       struct fio_io *io, size_t *torn, char *error);
/* Stop the thread and free it (NULL: nothing). */
void fio_log_ahead_stop(struct fio_log_ahead *a);

#endif
