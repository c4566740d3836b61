/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The numbers behind `dioscope top`: per-inode counts over the current
 * interval and since the start, conversion latency percentiles, and live
 * churn pairs (a merge that removes a boundary an in-flight direct IO
 * still needs, then the split that puts it back).
 *
 * What an event means (its IO, its components, a wasted merge, a churn
 * pair, a completion split) is the correlator's (analysis/correlator.h),
 * the interpreter report uses too, fed as report feeds it: in time order
 * (analysis/corr_order.h; what is held back goes on at each tick and
 * before the totals). This unit only counts what it is told,
 * per inode, in a fixed table that evicts its least recently used inode
 * when full. The correlator's IOs in flight are bounded (conf.windows,
 * the oldest taken as lost past it, and none older than 30 s); the files
 * it knows are forgotten at each tick unless an IO of theirs is in flight.
 */
#ifndef DIOSCOPE_TOP_AGG_H
#define DIOSCOPE_TOP_AGG_H

#include <stdbool.h>
#include <linux/types.h>
#include "analysis/corr_order.h"
#include "analysis/correlator.h"
#include "top/lat.h"
#include "dioscope.h"

struct plan;

/* What is counted per inode. */
enum top_count {
	TOP_N_WRITES,		/* direct writes completed */
	TOP_N_READS,		/* direct reads completed */
	TOP_N_PRE_IO,		/* ext4_ext_map_blocks with PRE_IO */
	TOP_N_CONV,		/* ext4_ext_map_blocks with CONVERT */
	TOP_N_MERGES,		/* extent merges done */
	TOP_N_CHURN,		/* churn pairs */
	TOP_N_WASTE_NS,		/* time of the churn pairs' merges and splits */
	TOP_N_UNWRITTEN,	/* mappings that found an unwritten extent */
	TOP_N_WB_IOS,		/* writeback IOs: extents writeback mapped */
	TOP_N_COMPL_SPLITS,	/* splits inside a conversion */
	/* of TOP_N_WASTE_NS, on the CPU (with the tracer's nested programs) */
	TOP_N_WASTE_CPU_NS,
	TOP_N_MAX,
};

/* The columns of the view and of the batch lines, in display order. */
enum top_col {
	TOP_C_WRITES,
	TOP_C_READS,
	TOP_C_WB,
	TOP_C_PRE_IO,
	TOP_C_CONV,
	TOP_C_COMPL_SPLIT,
	TOP_C_MERGES,
	TOP_C_CHURN,
	TOP_C_WASTE,
	TOP_C_WASTE_CPU,
	TOP_C_P50,
	TOP_C_P99,
	TOP_C_UNWRITTEN,
	TOP_C_MAX,
};

/* The sort orders: every column, and the inode number. */
#define TOP_SORT_INODE TOP_C_MAX
#define TOP_SORT_MAX (TOP_C_MAX + 1)

struct top_col_def {
	const char *title;	/* view header */
	const char *batch;	/* batch header, rates */
	const char *total;	/* batch header, totals at exit */
	const char *what;	/* for the sort status and the help */
	int key;		/* the key that sorts by this column */
};

extern const struct top_col_def top_cols[TOP_C_MAX];
/* The count (enum top_count) a column shows, -1 for the latencies. */
int top_col_count(int col);

/* Events per second from a count over span_ns. */
double top_rate(__u64 count, __u64 span_ns);

/* What the current plan lets us see, and why not the rest. */
struct top_caps {
	bool col[TOP_C_MAX];
	bool dio_at_submit;	/* completions not traced: count submissions */
	bool unwritten_from_iomap; /* ext4_iomap_begin says "unwritten" */
	bool convert_traced;	/* writeback IOs end with their conversion */
	char why[1024];		/* empty when every column is observable */
};

void top_caps_from_plan(const struct plan *plan, struct top_caps *caps);
/* The sched_switch program did not run: no on-CPU column, and why. */
void top_caps_no_offcpu(struct top_caps *caps, const char *why);

/* One inode's numbers over a span: an interval or the whole run. */
struct top_row {
	__u32 dev;
	__u64 ino;		/* 0 for the row of all inodes */
	__u64 n[TOP_N_MAX];
	__u64 unwritten_total;	/* since the start, whatever the span */
	__u64 p50_ns, p99_ns;	/* conversion latency, 0 without any */
	__u64 span_ns;
	__u64 last_ns;		/* last event, kernel clock */
	__u64 events;		/* row of all inodes: events received */
};

/* The table sizes; 0 takes the default. */
struct top_agg_conf {
	unsigned int inodes;	/* 4096 */
	unsigned int windows;	/* 4096: IOs in flight */
	/*
	 * An interval's end or the totals pass on the events stamped up to
	 * hold_ns before it and hold the rest back, for older ones that may
	 * still come (a CPU's batch not yet written out); 0: pass all on.
	 */
	__u64 hold_ns;
};

struct top_table;
struct top_inode;

struct top_agg {
	struct top_caps caps;
	struct top_table *inodes;
	struct corr_order order;	/* the events into time order */
	struct correlator corr;		/* the events' meaning */
	struct corr_observer obs;
	struct top_inode *all;		/* every inode, evicted ones too */
	struct top_inode *cur;		/* the inode of the event being added,
					 * NULL: evicted while held back */
	bool counting;			/* ... and it is of a file */
	__u64 events, events_total;
	__u64 tick_ns, start_ns;	/* monotonic, from the caller */
	__u64 hold_ns;			/* top_agg_conf's */
	__u64 evicted;
	__u64 windows_dropped;		/* IOs whose completion never came */
};

int top_agg_init(struct top_agg *a, const struct top_agg_conf *conf,
		 const struct top_caps *caps, __u64 now_ns);
/* Every event is in: from now on nothing is held back (hold_ns 0). */
void top_agg_all_in(struct top_agg *a);
void top_agg_free(struct top_agg *a);
/* Block size of a device; 4 KiB until told otherwise. */
void top_agg_set_blkbits(struct top_agg *a, __u32 dev, unsigned int bits);
bool top_agg_knows_dev(const struct top_agg *a, __u32 dev);
void top_agg_add(struct top_agg *a, const struct ds_event *e);

/*
 * End the interval at now_ns: rows of the inodes active in it (at most
 * max), the row of all inodes in *all, then a fresh interval. Returns the
 * row count.
 */
int top_agg_tick(struct top_agg *a, __u64 now_ns, struct top_row *rows,
		 int max, struct top_row *all);
/* The same since the start, for the totals at exit; resets nothing. */
int top_agg_totals(struct top_agg *a, __u64 now_ns,
		   struct top_row *rows, int max, struct top_row *all);
unsigned int top_agg_tracked(const struct top_agg *a);
/* IOs whose completion never came (the events held back counted). */
__u64 top_agg_dropped(struct top_agg *a);
/* Conversion latency over every inode since the start. */
const struct top_lat *top_agg_lat_total(const struct top_agg *a);

/* Largest first; ties by device and inode, so the order is stable. */
void top_sort(struct top_row *rows, int n, int sort);
/* The sort order that shows what this kernel lets us see best. */
int top_default_sort(const struct top_caps *caps);
/* The sort order of a key, or -1. */
int top_sort_by_key(int key);
const char *top_sort_name(int sort);

#endif
