/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Joining fio's per-IO log entries to the kernel's IO records: by job
 * (a fio job is one submitting task), offset, direction and length, and
 * order of completion. What does not join is counted and kept.
 */
#ifndef DIOSCOPE_FIO_JOIN_H
#define DIOSCOPE_FIO_JOIN_H

#include "correlator.h"
#include "fio_log.h"

struct join_stats {
	size_t fio_entries, joined;
	size_t kernel_ios, kernel_unjoined;
	double rate;		/* joined / fio entries */
};

/* Sets fio_io.joined/.io and ds_io.fio; returns 0 or -ENOMEM. */
int fio_join(struct fio_log *log, struct correlation *c,
	     struct join_stats *st);

#endif
