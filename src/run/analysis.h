/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One run directory read back and analysed in one pass: its meta, fio's
 * JSON and per-IO logs, then its events streamed in time order through
 * the correlator, each IO joined to its fio entry as it completes and
 * written to ios.csv; events.csv, inodes.csv and the run's one-row
 * summary.csv are written on the way. What is kept afterwards is what a
 * summary over runs needs: totals and fio's latency of every joined IO.
 */
#ifndef DIOSCOPE_RUN_ANALYSIS_H
#define DIOSCOPE_RUN_ANALYSIS_H

#include <limits.h>
#include <stdbool.h>
#include "analysis/correlator.h"
#include "export/export.h"
#include "analysis/fio_join.h"
#include "analysis/fio_json.h"
#include "run/meta.h"

struct calibration;

struct analysis_opts {
	bool csv;		/* write ios.csv, inodes.csv, summary.csv */
	bool events_csv;	/* ... and events.csv */
	const char *perfetto;	/* write the run's Perfetto trace here */
	/* read events.bin and fio's logs in the caller's thread too */
	bool one_thread;
	/* report --calibration: icount times also as estimated ns */
	const struct calibration *calib;
};

struct run_analysis {
	char dir[PATH_MAX];
	struct meta meta;
	bool complete;			/* meta says complete=yes */
	bool have_fio;			/* fio.json read */
	struct fio_result fio;
	size_t fio_logs, fio_torn;	/* log files read, lines cut short */
	struct join_stats join;
	struct corr_totals tot;
	struct export_seen seen;
	bool merges_observed;		/* merge and split events traced */
	unsigned int blkbits;
	__u64 lost_events;		/* the ring buffer's, from meta */
	__u64 late_events;		/* beyond the reorder window */
	__u64 truncated_bytes;		/* a partial last event or block */
	__u64 truncated_events;		/* ... and the events it lost */
	__u64 events_read;		/* events in events.bin */
	__u64 invalid_events;		/* out of range: zeros or damage */
	char why_incomplete[PATH_MAX + 512];	/* what the checks found, "" if none */
	__u64 comp_count[DS_C_MAX], comp_ns[DS_C_MAX];	/* over all IOs */
	/* the IOs' own kernel work on the CPU (corr_io_work), the traced
	 * calls nested in it, and the IOs of which a call was not measured */
	__u64 work_cpu_ns, work_nested, work_cpu_unknown;
	__u64 kernel_lat_ns;		/* summed over completed IOs */
	__u64 wasted_joined_ns;		/* waste of the IOs in lat */
	/*
	 * fio's latency of each joined IO, ns; without fio (a recording of
	 * any other program) the kernel's of each completed IO, from
	 * submission to completion
	 */
	double *lat;
	size_t nlat, lat_cap;
	/* without fio: the first submission and the last completion */
	__u64 first_submit_ns, last_complete_ns;
	char error[PATH_MAX + 512];	/* room for a path and why */
};

/* 0, or -errno with ra->error saying what is wrong. */
int run_analyse(const char *dir, const struct analysis_opts *o,
		struct run_analysis *ra);
void run_analysis_free(struct run_analysis *ra);

#endif
