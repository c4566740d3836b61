// SPDX-License-Identifier: GPL-2.0
/*
 * dioscope report DIR: reads back a run (DIR/meta), a scenario (DIR/run-*),
 * a bench's results (DIR/<scenario>/run-*) or a tree of them per kernel
 * (DIR/<release>/<scenario>/run-*), rewrites the CSVs and prints the
 * summary per scenario.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util/err.h"
#include "util/opt.h"
#include "cmd/commands.h"
#include "run/synth.h"
#include "run/summary.h"

#define MAX_SCENARIOS 512
#define MAX_RUNS 100

struct report_opts {
	struct analysis_opts a;
	unsigned long long synthetic;
};

static bool has(const char *dir, const char *name)
{
	char p[4200];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return access(p, F_OK) == 0;
}

/* run-2 before run-10: by the number after the prefix, then by name */
static int cmp_runs(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	const char *dx = strrchr(x, '-'), *dy = strrchr(y, '-');
	long nx = dx ? strtol(dx + 1, NULL, 10) : 0;
	long ny = dy ? strtol(dy + 1, NULL, 10) : 0;

	if (nx != ny)
		return nx < ny ? -1 : 1;
	return strcmp(x, y);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Subdirectories of dir whose name starts with prefix ("" for any). */
static int subdirs(const char *dir, const char *prefix, char **out, int max)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	int n = 0;

	if (!dp)
		return -errno;
	while ((d = readdir(dp)) && n < max) {
		char p[4200];

		if (d->d_name[0] == '.' ||
		    strncmp(d->d_name, prefix, strlen(prefix)))
			continue;
		if (d->d_type != DT_DIR && d->d_type != DT_UNKNOWN)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, d->d_name);
		out[n] = strdup(p);
		if (out[n])
			n++;
	}
	closedir(dp);
	qsort(out, n, sizeof(*out), *prefix ? cmp_runs : cmp_str);
	return n;
}

static bool has_runs(const char *dir)
{
	char *runs[MAX_RUNS];
	int n = subdirs(dir, "run-", runs, MAX_RUNS), i;

	for (i = 0; i < n; i++)
		free(runs[i]);
	return n > 0;
}

static int report_run(const char *dir, const struct analysis_opts *o,
		      struct run_analysis *ra)
{
	int err = run_analyse(dir, o, ra);

	if (err) {
		ds_err("%s", ra->error);
		run_analysis_free(ra);
		return err;
	}
	if (ra->lost_events)
		ds_err("%s: %llu events were lost while recording (meta lost_events)",
			dir, (unsigned long long)ra->lost_events);
	if (ra->truncated_bytes)
		ds_err("%s: events.bin ends in %llu bytes of a partial event or block (interrupted run), %llu events lost there",
		       dir, (unsigned long long)ra->truncated_bytes,
		       (unsigned long long)ra->truncated_events);
	if (!ra->complete)
		ds_err("%s: incomplete run (interrupted or failed): read as far as it goes",
			dir);
	return 0;
}

/* The runs of one scenario directory, summed into *s. */
static int report_scenario(const char *dir, const struct analysis_opts *o,
			   struct summary *s)
{
	static struct run_analysis ra[MAX_RUNS];
	static char *runs[MAX_RUNS];
	int n, i, ok = 0, err;

	n = subdirs(dir, "run-", runs, MAX_RUNS);
	for (i = 0; i < n; i++) {
		if (has(runs[i], "meta") && !report_run(runs[i], o, &ra[ok]))
			ok++;
		free(runs[i]);
	}
	if (!ok)
		return -ENOENT;
	err = summary_of_runs(ra, ok, s);
	for (i = 0; i < ok; i++)
		run_analysis_free(&ra[i]);
	return err;
}

/* A results directory: a summary row per scenario, its summary.csv. */
static int report_results(const char *dir, const struct analysis_opts *o)
{
	static struct summary rows[MAX_SCENARIOS];
	static char *scen[MAX_SCENARIOS];
	char path[4200];
	int n = 0, i, ns, err;

	ns = subdirs(dir, "", scen, MAX_SCENARIOS);
	for (i = 0; i < ns; i++) {
		if (has_runs(scen[i]) && !report_scenario(scen[i], o, &rows[n]))
			n++;
		free(scen[i]);
	}
	if (!n)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	err = summary_write_csv(rows, n, path);
	if (err)
		ds_err("%s: %s", path, strerror(-err));
	printf("== %s\n", dir);
	summary_print(stdout, rows, n);
	return err;
}

/* A tree of results directories, one per kernel release. */
static int report_tree(const char *dir, const struct analysis_opts *o)
{
	static char *rel[MAX_SCENARIOS];
	int n, i, done = 0, failed = 0;

	n = subdirs(dir, "", rel, MAX_SCENARIOS);
	for (i = 0; i < n; i++) {
		int err = report_results(rel[i], o);

		if (!err)
			done++;
		else if (err != -ENOENT)
			failed++;
		free(rel[i]);
	}
	return !done ? -ENOENT : failed ? -EIO : 0;
}

static int report(const char *dir, const struct analysis_opts *o)
{
	static struct run_analysis one;
	struct summary row;
	int err;

	if (has(dir, "meta")) {
		if (report_run(dir, o, &one))
			return 1;
		err = summary_of_runs(&one, 1, &row);
		run_analysis_free(&one);
		if (err)
			return 1;
		summary_print(stdout, &row, 1);
		if (o->perfetto)
			fprintf(stderr, "dioscope report: trace written to %s (open it in ui.perfetto.dev)\n",
				o->perfetto);
		return 0;
	}
	if (o->perfetto) {
		fprintf(stderr, "dioscope report: --perfetto takes one run directory (with meta); %s is not one\n",
			dir);
		return 2;
	}
	if (has_runs(dir)) {
		if (report_scenario(dir, o, &row))
			return 1;
		summary_print(stdout, &row, 1);
		return 0;
	}
	err = report_results(dir, o);
	if (err == -ENOENT)
		err = report_tree(dir, o);
	if (err == -ENOENT)
		ds_err("%s holds no run (no meta, run-*/, <scenario>/run-*/ or <release>/<scenario>/run-*/)",
			dir);
	return err ? 1 : 0;
}

static int parse(int argc, char **argv, struct report_opts *o)
{
	bool no_events = false;
	const struct ds_opt opts[] = {
		OPT_FLAG(0, "no-events", &no_events,
			 "do not write events.csv (one row per kernel event)"),
		OPT_STRING(0, "perfetto", &o->a.perfetto, "FILE",
			   "also write the run as a trace for ui.perfetto.dev\n"
			   "and chrome://tracing (trace-event JSON): a track\n"
			   "per task, a slice per IO with its calls nested,\n"
			   "split and merge instants, an arrow per churn pair;\n"
			   "DIR must be one run (bench --perfetto writes one\n"
			   "per run)"),
		OPT_U64(0, "synthetic", &o->synthetic, "N", 1, ~0ULL,
			"write a synthetic run of N IOs into DIR (to time report)"),
		OPT_END(),
	};
	const struct ds_cmd cmd = {
		.name = "report", .opts = opts, .min_args = 1, .max_args = 1,
		.args_error = "takes one directory",
		.usage = "[--no-events] [--perfetto FILE] DIR\n"
			 "       dioscope report --synthetic N DIR",
		.about =
"DIR is a run directory (with meta and events.bin, as record and bench\n"
"write them), a scenario directory (with run-*/), a results directory\n"
"(with <scenario>/run-*/) or a tree of those per kernel release. Each run's\n"
"events are correlated into one record per IO and joined with fio's per-IO\n"
"logs; ios.csv, events.csv, inodes.csv and summary.csv are (re)written, and\n"
"the summary is printed per scenario. Incomplete runs are read as far as\n"
"they go.",
	};
	int first = opt_parse(&cmd, argc, argv);

	if (no_events)
		o->a.events_csv = false;
	return first;
}

int cmd_report(int argc, char **argv)
{
	struct report_opts o = { .a = { .csv = true, .events_csv = true } };
	const char *dir;
	int rc;

	rc = parse(argc, argv, &o);
	if (rc < 1)
		return opt_exit(rc);
	dir = argv[rc];
	if (o.synthetic)
		return synth_run(dir, o.synthetic) ? 1 : 0;
	if (access(dir, R_OK)) {
		ds_err("%s: %s", dir, strerror(errno));
		return 1;
	}
	return report(dir, &o.a);
}
