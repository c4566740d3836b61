// SPDX-License-Identifier: GPL-2.0
#include "compare/metrics.h"
#include "compare/samples.h"

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
};
