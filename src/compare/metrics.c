// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "compare/metrics.h"
#include "compare/samples.h"
#include "util/macros.h"

/* a count other than COMPARE_NMETRICS conflicts with the header's */
const struct compare_metric compare_metrics[] = {
	{ "lat_p50_ns", "p50 latency (us)", "ns", 1e-3,
	  { EST_PERCENTILE, IOC_LAT, 50 }, IOC_LAT, false },
	{ "lat_p90_ns", "p90 latency (us)", "ns", 1e-3,
	  { EST_PERCENTILE, IOC_LAT, 90 }, IOC_LAT, false },
	{ "lat_p99_ns", "p99 latency (us)", "ns", 1e-3,
	  { EST_PERCENTILE, IOC_LAT, 99 }, IOC_LAT, false },
	{ "lat_p999_ns", "p99.9 latency (us)", "ns", 1e-3,
	  { EST_PERCENTILE, IOC_LAT, 99.9 }, IOC_LAT, false },
	{ "lat_mean_ns", "mean latency (us)", "ns", 1e-3,
	  { EST_MEAN, IOC_LAT, 1 }, IOC_LAT, false },
	{ "iops", "IOPS", "IO/s", 1,
	  { EST_RUN_MEAN, -1, 1 }, -1, false },
	{ "wasted_ns_per_io", "wasted time/IO (ns)", "ns", 1,
	  { EST_MEAN, IOC_WASTED, 1 }, IOC_WASTED, true },
	{ "churn_pairs_per_1k_ios", "churn pairs/1k IOs", "per 1k IOs", 1,
	  { EST_MEAN, IOC_CHURN, 1000 }, IOC_CHURN, true },
	{ "splits_per_1k_ios", "splits/1k IOs", "per 1k IOs", 1,
	  { EST_MEAN, IOC_SPLIT, 1000 }, IOC_SPLIT, true },
	{ "merges_per_1k_ios", "merges/1k IOs", "per 1k IOs", 1,
	  { EST_MEAN, IOC_MERGE, 1000 }, IOC_MERGE, true },
	{ "pre_io_splits_per_1k_ios", "PRE_IO splits/1k IOs", "per 1k IOs", 1,
	  { EST_MEAN, IOC_PRE_IO, 1000 }, IOC_PRE_IO, false },
	/* the part of the waste on the CPU: the cost a CPU pays */
	{ "wasted_cpu_ns_per_io", "wasted CPU/IO (ns)", "ns", 1,
	  { EST_MEAN, IOC_WASTED_CPU, 1 }, IOC_WASTED_CPU, true },
	/* all of the IO's own extent work on the CPU, wasted or not */
	{ "work_cpu_ns_per_io", "IO work CPU/IO (ns)", "ns", 1,
	  { EST_MEAN, IOC_WORK_CPU, 1 }, IOC_WORK_CPU, false },
};

const char *compare_metric_unit(const struct compare_metric *mt, bool icount)
{
	if (!icount)
		return mt->unit;
	if (!strcmp(mt->unit, "ns"))
		return "instructions";
	if (!strcmp(mt->unit, "IO/s"))
		return "IO per 1e9 instructions";
	return mt->unit;
}

const char *compare_metric_label(const struct compare_metric *mt, bool icount,
				 char *buf, size_t len)
{
	static const char *const swap[][2] = {
		{ " (us)", " (kins)" }, { " (ns)", " (ins)" },
		{ "IOPS", "IO per 1e9 ins" },
	};
	const char *at;
	size_t i;

	if (!icount)
		return mt->label;
	for (i = 0; i < ARRAY_SIZE(swap); i++) {
		at = strstr(mt->label, swap[i][0]);
		if (!at)
			continue;
		snprintf(buf, len, "%.*s%s%s", (int)(at - mt->label), mt->label,
			 swap[i][1], at + strlen(swap[i][0]));
		return buf;
	}
	return mt->label;
}
