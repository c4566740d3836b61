// SPDX-License-Identifier: GPL-2.0
#include <limits.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "run/runs.h"
#include "run/tree.h"
#include "util/err.h"

int analyse_run_said(const char *dir, const struct analysis_opts *o, bool warn,
		     struct run_analysis *ra)
{
	int err = run_analyse(dir, o, ra);

	if (err) {
		ds_err("%s", ra->error);
		run_analysis_free(ra);
		return err;
	}
	if (!warn)
		return 0;
	if (ra->lost_events)
		ds_err("%s: %llu events were lost while recording (meta lost_events)",
		       dir, (unsigned long long)ra->lost_events);
	if (ra->truncated_bytes)
		ds_err("%s: events.bin ends in %llu bytes of a partial event or block (interrupted run), %llu events lost there",
		       dir, (unsigned long long)ra->truncated_bytes,
		       (unsigned long long)ra->truncated_events);
	if (ra->why_incomplete[0])
		ds_err("%s: %s", dir, ra->why_incomplete);
	if (!ra->complete)
		ds_err("%s: incomplete run (interrupted or failed): read as far as it goes",
		       dir);
	return 0;
}

int analyse_runs(const char *dir, const struct analysis_opts *o, bool warn,
		 struct summary *s, int *failed)
{
	static struct run_analysis ra[RUNS_MAX];
	static char *runs[RUNS_MAX];
	struct analysis_opts ro = *o;
	char trace[PATH_MAX];
	int n, i, ok = 0, err;

	*failed = 0;
	n = tree_subdirs(dir, true, runs, RUNS_MAX);
	for (i = 0; i < n; i++) {
		/* a trace per run, named alike in each */
		if (o->perfetto &&
		    tree_path(trace, sizeof(trace), runs[i], o->perfetto)) {
			ds_err("%s/%s: %s", runs[i], o->perfetto,
			       strerror(ENAMETOOLONG));
			(*failed)++;
		} else if (tree_has(runs[i], RUN_META)) {
			ro.perfetto = o->perfetto ? trace : NULL;
			if (!analyse_run_said(runs[i], &ro, warn, &ra[ok]))
				ok++;
			else
				(*failed)++;
		}
		free(runs[i]);
	}
	if (!ok)
		return -ENOENT;
	err = summary_of_runs(ra, ok, s);
	for (i = 0; i < ok; i++)
		run_analysis_free(&ra[i]);
	return err;
}

int analyse_run(const char *dir, const struct analysis_opts *o, bool warn,
		struct summary *s)
{
	static struct run_analysis one;
	int err;

	err = analyse_run_said(dir, o, warn, &one);
	if (err)
		return err;
	err = summary_of_runs(&one, 1, s);
	run_analysis_free(&one);
	return err;
}
