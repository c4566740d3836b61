/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `dioscope top` as lines, for logs and pipes: comment lines (#) saying
 * what is traced and what cannot be seen, a header, then one line per
 * active inode per interval and one for all inodes; totals at the end.
 * Numbers are plain (rates per second, latencies in microseconds) and
 * "-" marks what this kernel does not let us see.
 */
#ifndef DIOSCOPE_TOP_BATCH_H
#define DIOSCOPE_TOP_BATCH_H

#include <stdio.h>
#include <time.h>
#include "top/inode_path.h"
#include "top/agg.h"

struct top_batch {
	FILE *f;
	const struct top_caps *caps;
	struct inode_path *paths;	/* NULL: no path column lookups */
};

void top_batch_intro(const struct top_batch *b, const char *kernel,
		     const char *tiers, double interval_s);
/* One interval; rows sorted as the caller wants. Returns -1 on a write error. */
int top_batch_interval(const struct top_batch *b, time_t when,
		       const struct top_row *rows, int n,
		       const struct top_row *all, unsigned long long lost);
/* Counts since the start (not rates). Returns -1 on a write error. */
int top_batch_totals(const struct top_batch *b, const struct top_row *rows,
		     int n, const struct top_row *all,
		     unsigned long long lost);
/* One field of a row, as printed: rates when per_s, else counts. */
void top_batch_field(const struct top_caps *caps, const struct top_row *r,
		     int col, bool per_s, char *buf, size_t len);

#endif
