/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The runs of a scenario, analysed and summed: what bench does after the
 * runs of a cell and report does for each scenario directory it finds.
 */
#ifndef DIOSCOPE_RUN_RUNS_H
#define DIOSCOPE_RUN_RUNS_H

#include <stdbool.h>
#include "run/analysis.h"
#include "run/summary.h"

/* At most this many runs of one scenario (bench --runs). */
#define RUNS_MAX 100

/*
 * Every run-<j>/ with a meta in dir is analysed (o; its perfetto, when
 * set, names the trace file in each run directory) and the runs are
 * summed into *s. A run whose analysis fails is said (ds_err) and left
 * out; *failed counts them. With warn, lost events, a torn events.bin
 * and an incomplete run are said too. 0, -ENOENT when no run could be
 * analysed, or the summary's -errno.
 */
int analyse_runs(const char *dir, const struct analysis_opts *o, bool warn,
		 struct summary *s, int *failed);
/*
 * One run directory analysed into *ra; a failure is said (ds_err), and
 * with warn so are lost events, a torn events.bin and an incomplete run.
 */
int analyse_run_said(const char *dir, const struct analysis_opts *o, bool warn,
		     struct run_analysis *ra);
/* One run directory, as analyse_runs takes each. */
int analyse_run(const char *dir, const struct analysis_opts *o, bool warn,
		struct summary *s);

#endif
