/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One run directory read back and analysed: its meta, its events, fio's
 * JSON and per-IO logs, correlated and joined, summed up.
 */
#ifndef DIOSCOPE_RUN_ANALYSIS_H
#define DIOSCOPE_RUN_ANALYSIS_H

#include <stdbool.h>
#include "correlator.h"
#include "fio_join.h"
#include "fio_json.h"
#include "fio_log.h"
#include "meta.h"

struct run_analysis {
	char dir[4096];
	struct meta meta;
	struct ds_event *ev;
	size_t nev;
	__u64 truncated_bytes;
	struct correlation corr;
	struct fio_log log;
	bool have_fio;
	struct fio_result fio;
	struct join_stats join;
	unsigned int blkbits;
	bool merges_observed;	/* merge/split events in this run's tiers */
	char error[256];
};

/* 0, or -errno with ra->error saying what is wrong. */
int run_analyse(const char *dir, struct run_analysis *ra);
void run_analysis_free(struct run_analysis *ra);
/* fio's total latency of each joined IO, in ns; caller frees. */
double *run_latencies(const struct run_analysis *ra, size_t *n);

#endif
