/* SPDX-License-Identifier: GPL-2.0 */
/* The per-scenario summary: latency with confidence, waste, churn, joins. */
#ifndef DIOSCOPE_SUMMARY_H
#define DIOSCOPE_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>
#include "run_analysis.h"

#define SUMMARY_NPCT 4
extern const double summary_pcts[SUMMARY_NPCT];	/* 50 90 99 99.9 */

struct summary {
	char scenario[128], kernel_release[80], mount_options[128];
	char fio_version[32], tiers[32], emulated[8];
	unsigned int runs, complete_runs;
	__u64 ios, fio_entries, joined;
	double iops;
	double lat[SUMMARY_NPCT], lat_lo[SUMMARY_NPCT], lat_hi[SUMMARY_NPCT];
	double lat_mean;
	__u64 wasted_ns, lat_total_ns, splits, merges, churn_pairs, pre_io,
	      conversions, wasted_merges;
	__u64 lost_events, block_size, size;
	bool merges_observed;
};

/* Sum up the runs of one scenario; 0 or -ENOMEM. */
int summary_of_runs(struct run_analysis *runs, unsigned int n,
		    struct summary *s);
int summary_write_csv(const struct summary *rows, unsigned int n,
		      const char *path);
void summary_print(FILE *f, const struct summary *rows, unsigned int n);

#endif
