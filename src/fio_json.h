/* SPDX-License-Identifier: GPL-2.0 */
/* What dioscope takes from fio's JSON output (--output-format=json). */
#ifndef DIOSCOPE_FIO_JSON_H
#define DIOSCOPE_FIO_JSON_H

#include <linux/types.h>

struct fio_ddir_stats {
	__u64 total_ios;
	double iops;
	double lat_p50_ns, lat_p99_ns;	/* 0 when fio reported none */
};

struct fio_result {
	char version[32];
	unsigned int jobs;
	struct fio_ddir_stats read, write;	/* summed over jobs */
	char error[160];
};

/* 0, or -errno with res->error saying what is wrong. */
int fio_json_read(const char *path, struct fio_result *res);
int fio_json_parse(const char *text, struct fio_result *res);

#endif
