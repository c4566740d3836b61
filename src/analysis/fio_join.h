/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Joining fio's per-IO log entries to the kernel's IOs, one kernel IO at
 * a time as the correlator finishes it: by offset, direction and length,
 * then by job (a fio job is one submitting task, whose tid the kernel
 * sees; which job a tid is, is learnt from the IOs only one job can have
 * done), then by order (each job's log is in order of completion, so the
 * earliest entry not yet joined is the one). What does not join is
 * handed back at the end.
 */
#ifndef DIOSCOPE_FIO_JOIN_H
#define DIOSCOPE_FIO_JOIN_H

#include <stdbool.h>
#include "util/hash.h"
#include "analysis/fio_log.h"

struct join_stats {
	size_t fio_entries, joined;
	size_t kernel_ios, kernel_unjoined;
	size_t by_other_job;	/* joined to an entry of another job than
				 * the one its task was found to be */
	double rate;		/* joined / fio entries */
};

/*
 * One job's entries as far as the join has read them: those it may
 * still join, [base, end) by their index in the job's log, in a ring,
 * and those left behind unjoined.
 */
struct join_job {
	struct fio_io *ios;
	size_t *next;		/* per entry: it, if not joined, else a later
				 * entry from where to look for one that is not */
	size_t mask;		/* ring size - 1 */
	size_t base, end;
	size_t pos;		/* one past the entry joined last */
	size_t low;		/* [base, low) are all joined: a search starts
				 * at low, not on the path from base to it */
	bool claimed;		/* a task was found to be this job */
	bool ended;		/* the log has no more */
	struct fio_io *left;	/* behind base and not joined, in log order */
	size_t nleft, left_cap;
};

struct fio_join {
	struct fio_log *log;
	struct join_job *jobs;
	unsigned int njobs;
	struct hash_map tids;	/* tid -> job */
	struct join_stats st;
	struct fio_io last;	/* the entry matched last */
};

/* Join the log's jobs, its files all added. 0 or -ENOMEM. */
int fio_join_init(struct fio_join *j, struct fio_log *log);
/*
 * The fio entry of one kernel IO, marked joined: 1 with *f the entry
 * (valid until the next call), 0 when none is left, or the log's -errno
 * (log->error says it) or -ENOMEM.
 */
int fio_join_match(struct fio_join *j, __u64 pos, __u64 len, bool write,
		   __u32 tid, const struct fio_io **f);
/* Called with each entry no kernel IO joined; 0 or -errno to stop. */
typedef int (*fio_join_left_fn)(void *ctx, const struct fio_io *f);
/*
 * No more kernel IOs: every log is read to its end and each entry not
 * joined is given to fn (may be NULL), job by job, each job's in log
 * order. 0, what fn returned, or the log's -errno.
 */
int fio_join_finish(struct fio_join *j, fio_join_left_fn fn, void *ctx);
/* The counts, with the rate; the entries are those read so far. */
void fio_join_stats(const struct fio_join *j, struct join_stats *st);
void fio_join_free(struct fio_join *j);

#endif
