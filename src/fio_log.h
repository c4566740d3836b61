/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fio's per-IO latency logs (write_lat_log with log_offset=1): one line
 * per completed IO, "msec, nsec, ddir, bs, offset[, prio]", in order of
 * completion, one file per job with per_job_logs=1.
 */
#ifndef DIOSCOPE_FIO_LOG_H
#define DIOSCOPE_FIO_LOG_H

#include <stddef.h>
#include <linux/types.h>

struct fio_io {
	__u64 offset;
	__u64 lat_ns;
	__u32 time_ms;
	__u32 bs;
	__u16 job;		/* index of the log file, from 0 */
	__u8 ddir;		/* 0 read, 1 write, 2 trim */
	__u8 joined;
	__u32 io;		/* index of the kernel IO it joined, if joined */
};

struct fio_log {
	struct fio_io *ios;
	size_t n, cap;
	unsigned int jobs;
	char error[160];
};

/*
 * Append the entries of one log file as job `job`. Returns 0, or -errno
 * with log->error naming the file and line of the first bad entry.
 */
int fio_log_read(struct fio_log *log, const char *path, unsigned int job);
/* Parse one line; 0 on success, -EINVAL if it is not a log entry. */
int fio_log_parse_line(const char *line, struct fio_io *io);
void fio_log_free(struct fio_log *log);

#endif
