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
 */
#ifndef DIOSCOPE_FIO_LOG_H
#define DIOSCOPE_FIO_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct fio_io {
	__u64 offset;
	__u64 lat_ns;
	__u32 time_ms;
	__u32 bs;
	__u16 job;		/* index of the log file, from 0 */
	__u8 ddir;		/* 0 read, 1 write, 2 trim */
	__u8 joined;		/* set by the join */
};

struct fio_log {
	struct fio_io *ios;
	size_t n, cap;
	unsigned int jobs;	/* highest job index seen + 1 */
	size_t torn;		/* last lines cut short (fio was stopped) */
	char error[256];
};

/*
 * Append the entries of one log file as job `job`. Returns 0, or -errno
 * with log->error naming the file and the line of the first bad entry
 * (entries before it are kept). A last line without its newline that does
 * not parse is what a stopped fio leaves: it is counted in log->torn, not
 * an error.
 */
int fio_log_read(struct fio_log *log, const char *path, unsigned int job);
/*
 * Parse one entry from s (up to end, or the first newline): 0, or -EINVAL
 * if it is not a log entry. Also the unit the reader is built on.
 */
int fio_log_parse(const char *s, const char *end, struct fio_io *io);
/* The same for a NUL-terminated line. */
int fio_log_parse_line(const char *line, struct fio_io *io);
void fio_log_free(struct fio_log *log);

#endif
