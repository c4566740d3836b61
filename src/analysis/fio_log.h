/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio's per-IO latency logs (write_lat_log with log_offset=1). fio 3.33
 * writes one line per completed IO, in the order fio saw completions:
 *
 *	time_ms, value, ddir, bs, offset[, prio]
 *
 * time since the job started in ms; value the latency in ns (the _lat
 * log: submission to completion, what fio's lat_ns percentiles count);
 * ddir 0 read, 1 write, 2 trim; bs the IO's size in bytes; prio only
 * from fio 3.2x on. per_job_logs=1 gives one file per job,
 * <prefix>_lat.<job>.log with jobs counted from 1.
 *
 * A long bench logs tens of millions of IOs, 32 bytes each once parsed:
 * the logs are read job by job as the join asks for entries, a buffer at
 * a time, never whole.
 */
#ifndef DIOSCOPE_FIO_LOG_H
#define DIOSCOPE_FIO_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

#define FIO_LOG_ERROR_LEN 256

struct fio_io {
	__u64 offset;
	__u64 lat_ns;
	__u32 time_ms;
	__u32 bs;
	__u16 job;		/* index of the job, from 0 */
	__u8 ddir;		/* 0 read, 1 write, 2 trim */
	__u8 joined;		/* set by the join */
};

struct fio_log_file {
	char *path;
	unsigned int job;
	bool has_entries;	/* its first line is an entry */
};

/* Where the reading of one job's files stands. */
struct fio_log_job {
	unsigned int *files;	/* into fio_log.file, in the order added */
	unsigned int nfiles;
	unsigned int next_file;	/* the one to open when fd is closed */
	int fd;			/* -1: none open */
	const char *path;	/* of the file open */
	off_t size, done;	/* its size when opened, bytes read of it */
	unsigned long lineno;
	char *buf;
	size_t cap, start, len;	/* bytes [start, len) not parsed yet */
	size_t n;		/* entries read */
};

struct fio_log {
	struct fio_log_file *file;	/* in the order added */
	unsigned int nfiles;
	struct fio_log_job *job;
	unsigned int jobs;	/* highest job index added + 1 */
	size_t n;		/* entries read so far, of all jobs */
	size_t torn;		/* last lines cut short (fio was stopped) */
	int err;		/* the first failure: every read returns it */
	char error[FIO_LOG_ERROR_LEN];
	/* the files read in a thread of their own (fio_log_read_ahead) */
	struct fio_log_ahead *ahead;
};

/*
 * Add a log file as the next part of job `job` (a job's files are read
 * one after the other, in the order added). It is opened to see that it
 * is a regular file and whether it holds an entry. 0, or -errno with
 * log->error naming the file.
 */
int fio_log_add(struct fio_log *log, const char *path, unsigned int job);
/*
 * The next entry of a job: 1, 0 at the end of its last file, or -errno
 * with log->error naming the file and the line of the first bad entry.
 * A last line without its newline that does not parse is what a stopped
 * fio leaves: it is counted in log->torn, not an error.
 */
int fio_log_next(struct fio_log *log, unsigned int job, struct fio_io *io);
/*
 * From here on, every job's files are read and parsed by a thread of its
 * own, a few thousand entries ahead of fio_log_next, which returns the
 * same entries and errors, in the same order, as without it. Call it
 * once every file is added. 0 (also when there is nothing to read
 * ahead), or -errno.
 */
int fio_log_read_ahead(struct fio_log *log);
/*
 * What fio_log_next is built on: the next entry of a job read from its
 * files, lines cut short added to *torn and a failure said in error
 * (FIO_LOG_ERROR_LEN bytes), with no count and no failure kept in log.
 */
int fio_log_read(struct fio_log *log, unsigned int job, struct fio_io *io,
		 size_t *torn, char *error);
/*
 * The jobs in the order their entries come when the files are read in
 * the order added: by where each job's entries are when every job's are
 * all together, else by job. order holds log->jobs. 0 or -ENOMEM.
 */
int fio_log_order(const struct fio_log *log, unsigned int *order);
/*
 * Read every file again from its start, in the order added, and return
 * the first failure (0 if none) with log->error saying it: what a reader
 * of whole files one after the other would have stopped at first.
 */
int fio_log_check(struct fio_log *log);
/*
 * Parse one entry from s (up to end, or the first newline): 0, or -EINVAL
 * if it is not a log entry. Also the unit the reader is built on.
 */
int fio_log_parse(const char *s, const char *end, struct fio_io *io);
/* The same for a NUL-terminated line. */
int fio_log_parse_line(const char *line, struct fio_io *io);
void fio_log_free(struct fio_log *log);

#endif
