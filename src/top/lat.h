/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DIOSCOPE_TOP_LAT_H
#define DIOSCOPE_TOP_LAT_H

#include <linux/types.h>

/* Log-linear latency histogram: 8 buckets per power of two (+-6%). */
#define TOP_LAT_SUB_BITS 3
#define TOP_LAT_MAX_EXP 36
#define TOP_LAT_BUCKETS ((TOP_LAT_MAX_EXP - TOP_LAT_SUB_BITS + 1) << TOP_LAT_SUB_BITS)

struct top_lat {
	__u32 b[TOP_LAT_BUCKETS];
	__u64 n;
	__u64 min_ns, max_ns;
	__u64 sum_ns;		/* a histogram's _sum (OpenMetrics) */
};

void top_lat_add(struct top_lat *h, __u64 ns);
/* The value at percentile pct (0-100, nearest rank), 0 when empty. */
__u64 top_lat_pct(const struct top_lat *h, double pct);
unsigned int top_lat_bucket(__u64 ns);

#endif
