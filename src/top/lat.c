// SPDX-License-Identifier: GPL-2.0
/* The one latency histogram of top: log-linear, fixed size, no allocation. */
#include "top/lat.h"

#define SUB_MASK ((1u << TOP_LAT_SUB_BITS) - 1)

unsigned int top_lat_bucket(__u64 ns)
{
	unsigned int exp;

	if (ns <= SUB_MASK)
		return ns;
	exp = 63 - __builtin_clzll(ns);
	if (exp >= TOP_LAT_MAX_EXP)
		return TOP_LAT_BUCKETS - 1;
	return ((exp - TOP_LAT_SUB_BITS + 1) << TOP_LAT_SUB_BITS) +
	       ((ns >> (exp - TOP_LAT_SUB_BITS)) & SUB_MASK);
}

/* The middle of a bucket: within half a bucket (1/16) of any value in it. */
static __u64 bucket_mid(unsigned int i)
{
	unsigned int exp;

	if (i <= SUB_MASK)
		return i;
	exp = (i >> TOP_LAT_SUB_BITS) + TOP_LAT_SUB_BITS - 1;
	return ((__u64)((1u << TOP_LAT_SUB_BITS) | (i & SUB_MASK))
		<< (exp - TOP_LAT_SUB_BITS)) +
	       ((1ULL << (exp - TOP_LAT_SUB_BITS)) >> 1);
}

void top_lat_add(struct top_lat *h, __u64 ns)
{
	h->b[top_lat_bucket(ns)]++;
	if (!h->n || ns < h->min_ns)
		h->min_ns = ns;
	if (ns > h->max_ns)
		h->max_ns = ns;
	h->n++;
	h->sum_ns += ns;
}

__u64 top_lat_pct(const struct top_lat *h, double pct)
{
	__u64 rank, seen = 0, v;
	unsigned int i;

	if (!h->n)
		return 0;
	rank = (__u64)(pct / 100.0 * h->n);
	if ((double)rank < pct / 100.0 * h->n)
		rank++;
	/* the smallest and the largest value are known exactly */
	if (rank <= 1)
		return h->min_ns;
	if (rank >= h->n)
		return h->max_ns;
	for (i = 0; i < TOP_LAT_BUCKETS; i++) {
		seen += h->b[i];
		if (seen >= rank)
			break;
	}
	v = bucket_mid(i < TOP_LAT_BUCKETS ? i : TOP_LAT_BUCKETS - 1);
	/* the exact extremes beat the bucket's middle */
	if (v < h->min_ns)
		v = h->min_ns;
	if (v > h->max_ns)
		v = h->max_ns;
	return v;
}
