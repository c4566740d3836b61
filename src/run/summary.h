/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-scenario summary: latency percentiles with distribution-free
 * 95 % intervals over the IOs of all its runs, waste, churn, joins. What
 * the tiers could not see is written as unknown (an empty cell, "n/a"),
 * never as 0. summary.csv's first columns are read by compare and plot.
 */
#ifndef DIOSCOPE_SUMMARY_H
#define DIOSCOPE_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>
#include "run/analysis.h"

#define SUMMARY_NPCT 4
/* summary.csv's latency_source: whose latency and IOPS a row holds */
#define SUMMARY_LAT_FIO "fio"
#define SUMMARY_LAT_KERNEL "kernel"
extern const double summary_pcts[SUMMARY_NPCT];	/* 50 90 99 99.9 */

struct summary {
	char scenario[160], kernel_release[80], mount_options[128];
	char mkfs_options[64], fio_version[32], tiers[32], emulated[8];
	char merge_guard[8];		/* on, off, absent */
	char clock[8];			/* wall, or icount: times are instructions */
	unsigned int runs, complete_runs;
	unsigned int fio_runs;		/* runs with fio.json: iops over them */
	__u64 ios, fio_entries, joined, kernel_unjoined;
	double iops;			/* fio's; without fio the kernel's */
	/* no run had fio: latency and IOPS are the kernel's, not fio's */
	bool kernel_view;
	char latency_source[8];		/* SUMMARY_LAT_FIO or _KERNEL */
	unsigned int kernel_runs;	/* runs without fio with IOs done */
	double kernel_iops;		/* summed over those runs */
	double lat[SUMMARY_NPCT], lat_lo[SUMMARY_NPCT], lat_hi[SUMMARY_NPCT];
	double lat_mean;
	__u64 wasted_ns, wasted_joined_ns, lat_joined_ns;
	/* of wasted_ns: on the CPU, traced calls nested in that, and the
	 * churn pairs of which a call was not measured */
	__u64 wasted_cpu_ns, wasted_nested, wasted_cpu_unknown;
	/* the IOs' own kernel work on the CPU, as run_analysis's */
	__u64 work_cpu_ns, work_nested, work_cpu_unknown;
	bool offcpu_measured;		/* every run's meta says offcpu=sched_switch */
	__u64 comp_count[DS_C_MAX];
	__u64 splits, merges, churn_pairs, unpaired_merges;
	__u64 completion_splits, wb_ios;	/* wb_ios: of ios, writeback */
	__u64 churn_by_op[CORR_OP_MAX];	/* churn pairs by who merged */
	__u64 lost_events, late_events, unattributed, unmatched, lost_ios;
	__u64 kernel_lat_ns, completed, converted_blocks;
	__u64 block_size, size;
	bool merges_observed;
	/* the tracer's in-kernel cost, summed over runs (meta's bpf_*) */
	__u64 bpf_run_time_ns, bpf_runs, bpf_recursion_misses;
	bool bpf_timed;			/* every run had statistics on */
	bool bpf_misses_counted;	/* every run's kernel counted misses */
	__u64 kretprobe_missed;		/* returns the kretprobes missed */
	bool kret_counted;		/* every run could count them */
};

/*
 * What the outputs show beside the sums: rates, shares, and NAN for what
 * is unknown (merges not observed, statistics off, nothing to divide by).
 * summary.csv and summary.json are written from the same values.
 */
struct summary_derived {
	double iops, wasted_ns, wasted_ns_per_io, wasted_share;
	/*
	 * The waste on the CPU less the tracer's programs on the calls
	 * nested in it, and those programs' estimated time beside: the
	 * nested calls times the run's mean cost of a traced call.
	 */
	double wasted_cpu_ns_per_io, wasted_tracer_ns_per_io;
	/* the same for the IO's own kernel work (corr_io_work) */
	double work_cpu_ns_per_io, work_tracer_ns_per_io;
	double splits_per_1k, merges_per_1k, churn_per_1k, unpaired_per_1k;
	double pre_io_per_1k, conv_per_1k, join_rate;
	double splits_total, merges_total, churn_pairs_total;
	double kernel_lat_mean_ns;
	double kretprobe_missed, bpf_recursion_misses;
	double bpf_run_time_ns, bpf_runs, bpf_ns_per_io;
	double bpf_share;		/* of fio's mean latency */
	double completion_splits_per_1k;
	double churn_by_op[CORR_OP_MAX];	/* churn pairs by who merged */
	bool complete;			/* every run complete */
};

/*
 * Sum up the runs of one scenario; 0, -ENOMEM, or -ENAMETOOLONG for a
 * scenario name longer than struct summary holds. One run's latencies are
 * sorted where they are (their order means nothing): a copy of 10 million
 * would be 80 MB more at the peak.
 */
int summary_of_runs(struct run_analysis *runs, unsigned int n,
		    struct summary *s);
/* Is there a row of that scenario among rows? */
bool summary_has(const struct summary *rows, unsigned int n,
		 const char *scenario);
/* summary_csv.c: 0 or -errno. Both write summary.json beside the CSV too. */
int summary_write_csv(const struct summary *rows, unsigned int n,
		      const char *path);
/*
 * The same, keeping the rows of other scenarios that path already holds
 * (an earlier bench of other scenarios into the same results), when it
 * has the same columns. 0 or -errno.
 */
int summary_update_csv(const struct summary *rows, unsigned int n,
		       const char *path);
/* summary_print.c: the table a person reads, with its notes */
void summary_print(FILE *f, const struct summary *rows, unsigned int n);
/* summary_derive.c */
void summary_derive(const struct summary *s, struct summary_derived *d);

#endif
