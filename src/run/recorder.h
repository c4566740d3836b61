/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A recording: one command run with the tracer attached, its events in
 * DIR/events.bin, the calls per function in DIR/counts.csv, the count of
 * each event in DIR/event_counts.csv, and DIR/meta. Used by `record` and,
 * once per run, by `bench`.
 */
#ifndef DIOSCOPE_RECORDER_H
#define DIOSCOPE_RECORDER_H

#include "trace/event_loop.h"
#include "event/stats.h"
#include "run/meta.h"
#include "run/record_file.h"
#include "trace/prog_stats.h"
#include "trace/tracer.h"

struct recording {
	struct record_writer w;
	struct event_stats stats;
	struct event_loop_result res;
	unsigned long long lost;	/* during this recording */
	unsigned long long recursion_missed;	/* program runs the kernel skipped */
	unsigned long long kret_missed;	/* returns the kretprobes missed */
	bool kret_uncounted;		/* a kretprobe whose misses are unknown */
	int write_err;			/* the first, events or meta: -errno */
	int exec_err;			/* the command could not be run: errno */
	__u64 written;			/* events in events.bin */
	char digest[RECORD_DIGEST_LEN];	/* of them, for the reader's check */
	struct prog_stats progs;	/* the programs' cost in this run */
	int progs_err;			/* reading it failed: -errno */
	struct prog_stats_switch bpf_stats; /* how their statistics were on */
};

/*
 * Run argv with tracing on, recording into dir (which must exist). The
 * caller's keys in m are kept; the recorder adds the kernel, the tiers,
 * the command, the counts, the programs' in-kernel cost (their BPF
 * statistics are on during the run; dir/prog_stats.csv has it per
 * program) and whether the run is complete, and writes m to dir/meta
 * before the run (complete=no) and after it. Returns the
 * command's exit status (128 + signal if it died of one), or -errno when
 * the recording could not start. A write error (ENOSPC, ...) is kept in
 * rec->write_err and makes the run incomplete.
 */
int recorder_run(struct tracer *t, const char *dir, char **argv,
		 struct meta *m, struct recording *rec);
/* Drop what the ring buffer holds: events from between recordings. */
void recorder_discard(struct tracer *t);

#endif
