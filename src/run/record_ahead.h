/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A record file's blocks read, checked and handed over by a thread of
 * their own while the caller decodes: the read() of the file and each
 * block's check leave the decoding thread, and a block (64 KiB, 13
 * bytes an event) is the only thing that crosses CPUs, once, not each
 * decoded event. The caller meets the end, a block cut short or a
 * failure where it would have without the thread.
 */
#ifndef DIOSCOPE_RECORD_AHEAD_H
#define DIOSCOPE_RECORD_AHEAD_H

#include <stdio.h>
#include "run/record_file.h"

struct record_ahead;

/* The thread reading f from where it stands; NULL with errno set. */
struct record_ahead *record_ahead_start(FILE *f,
					const struct record_format *fmt,
					__u64 offset);
/*
 * The next block, valid until the next call; after the end or a
 * failure, that again.
 */
struct block_read *record_ahead_next(struct record_ahead *a);
/* Stop the thread and free it (NULL: nothing). */
void record_ahead_stop(struct record_ahead *a);

#endif
