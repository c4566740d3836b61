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

/*
 * Every way an event went missing, as record's meta counts them: the
 * ring buffer had no room, the kernel skipped a program (recursion
 * misses), a return probe missed a return. "known" false: not counted
 * on this kernel, and said so.
 */
struct top_losses {
	unsigned long long ringbuf;
	unsigned long long recursion;
	unsigned long long kretprobe;
	bool recursion_known, kretprobe_known;
	/*
	 * Not a loss: events that came after later ones had gone on (a
	 * per-IO record arrives at its IO's end), counted, out of order.
	 */
	unsigned long long late;
};

unsigned long long top_losses_total(const struct top_losses *l);

void top_batch_intro(const struct top_batch *b, const char *kernel,
		     const char *tiers, double interval_s);
/* One interval; rows sorted as the caller wants. Returns -1 on a write error. */
int top_batch_interval(const struct top_batch *b, time_t when,
		       const struct top_row *rows, int n,
		       const struct top_row *all, unsigned long long lost);
/*
 * Counts since the start (not rates), after a line of every loss.
 * Returns -1 on a write error.
 */
int top_batch_totals(const struct top_batch *b, const struct top_row *rows,
		     int n, const struct top_row *all,
		     const struct top_losses *lost);
/* One field of a row, as printed: rates when per_s, else counts. */
void top_batch_field(const struct top_caps *caps, const struct top_row *r,
		     int col, bool per_s, char *buf, size_t len);

#endif
