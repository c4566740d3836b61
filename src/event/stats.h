/* SPDX-License-Identifier: GPL-2.0 */
/* Counts per event type and target, log2 latency histograms per target. */
#ifndef DIOSCOPE_EVENT_STATS_H
#define DIOSCOPE_EVENT_STATS_H

#include <stdio.h>
#include <linux/types.h>
#include "dioscope.h"

#define DS_HIST_SLOTS 32

struct log2_hist {
	__u64 slots[DS_HIST_SLOTS];	/* slot k: [2^k, 2^(k+1)) us; slot 0: < 2 us */
	__u64 count;
	__u64 sum_ns;
};

struct event_stats {
	__u64 by_type[DS_EV_TYPE_MAX];
	__u64 by_target[DS_T_MAX];
	struct log2_hist hist[DS_T_MAX];
	__u64 pre_io;		/* map_blocks with PRE_IO */
	__u64 convert;		/* map_blocks with CONVERT */
	__u64 merges_done;
	__u64 total;
};

void log2_hist_add(struct log2_hist *h, __u64 ns);
/* Slot of a duration, as log2_hist_add files it. */
unsigned int log2_slot(__u64 us);
void event_stats_add(struct event_stats *s, const struct ds_event *e);
void log2_hist_print(FILE *f, const struct log2_hist *h, const char *title);

#endif
