/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Joining fio's per-IO log entries to the kernel's IOs, one kernel IO at
 * a time as the correlator finishes it: by offset, direction and length,
 * then by job (a fio job is one submitting task, whose tid the kernel
 * sees; which job a tid is, is learnt from the IOs only one job can have
 * done), then by order (each job's log is in order of completion, so the
 * earliest entry not yet joined is the one). What does not join is
 * counted and kept by the caller.
 */
#ifndef DIOSCOPE_FIO_JOIN_H
#define DIOSCOPE_FIO_JOIN_H

#include <stdbool.h>
#include "analysis/corr_map.h"
#include "analysis/fio_log.h"

struct join_stats {
	size_t fio_entries, joined;
	size_t kernel_ios, kernel_unjoined;
	size_t by_other_job;	/* joined to an entry of another job than
				 * the one its task was found to be */
	double rate;		/* joined / fio entries */
};

/* One job's entries, log->ios[start, end), and where its join stands. */
struct join_job {
	size_t start, end;
	size_t pos;		/* one past the entry joined last */
	bool claimed;		/* a task was found to be this job */
};

struct fio_join {
	struct fio_log *log;
	__u32 *next;		/* per entry: it, if not joined, else a later
				 * entry from where to look for one that is not */
	struct join_job *jobs;
	unsigned int njobs;
	struct corr_map tids;	/* tid -> job */
	struct join_stats st;
};

/* Index the log. 0 or -ENOMEM. */
int fio_join_init(struct fio_join *j, struct fio_log *log);
/*
 * The fio entry of one kernel IO, marked joined: an index into
 * log->ios, or -1 when none is left.
 */
long fio_join_match(struct fio_join *j, __u64 pos, __u64 len, bool write,
		    __u32 tid);
/* The counts, with the rate. */
void fio_join_stats(const struct fio_join *j, struct join_stats *st);
void fio_join_free(struct fio_join *j);

#endif
