/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What dioscope takes from fio's JSON output (--output-format=json): the
 * version, IO counts and IOPS summed over jobs, and fio's own latency
 * percentiles (lat_ns, present with lat_percentiles=1) to check ours by.
 */
#ifndef DIOSCOPE_FIO_JSON_H
#define DIOSCOPE_FIO_JSON_H

#include <limits.h>
#include <linux/types.h>

#define FIO_NPCT 4	/* 50, 90, 99, 99.9 */

struct fio_ddir_stats {
	__u64 total_ios;
	double iops;		/* NaN when fio gave none */
	/* of the first job that has them (fio's are per job); 0 if none */
	double lat_pct_ns[FIO_NPCT];
};

struct fio_result {
	char version[32];
	unsigned int jobs;
	unsigned int failed_jobs;	/* jobs whose "error" is not 0 */
	struct fio_ddir_stats read, write;	/* summed over jobs */
	/*
	 * IOs of the jobs whose options name a latency log (write_lat_log):
	 * the logs hold these and no more. A helper job (fio's falloc engine
	 * beside the writer) counts IOs that are in no log.
	 */
	__u64 logged_ios;
	unsigned int logging_jobs;
	char error[PATH_MAX + 256];	/* room for the path */
};

/* 0, or -errno with res->error saying what is wrong. */
int fio_json_read(const char *path, struct fio_result *res);
/* text must be NUL-terminated. */
int fio_json_parse(const char *text, struct fio_result *res);

#endif
