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
#include <sys/statvfs.h>
#include <unistd.h>
#include "util/atomic_file.h"
#include "util/err.h"
#include "util/opt.h"
#include "util/path.h"
#include "cmd/commands.h"
#include "run/runs.h"
#include "run/synth.h"
#include "run/summary.h"
#include "run/summary_estimate.h"
#include "run/results_dir.h"
#include "run/tree.h"
#include "run/union.h"
#include "cmd/cli.h"

#define REPORT_MAX_TREES 256
#include "util/escape.h"

struct report_opts {
	struct analysis_opts a;
	const char *calib_path;	/* --calibration */
	struct calibration calib;
	const char *merged;	/* -o: the union of the trees given */
	unsigned long long synthetic;
	bool force;
};

/* A synthetic run costs about 600 bytes per IO on disk. */
#define SYNTH_MAX 1000000000ULL
#define SYNTH_BYTES_PER_IO 600ULL

/* The summary a person reads, and beside it what --calibration estimates. */
static void show(const struct summary *rows, unsigned int n,
		 const struct analysis_opts *o)
{
	summary_print(stdout, rows, n);
	if (o->calib && summary_print_estimates(stdout, rows, n, o->calib))
		ds_err("warning: --calibration: these results are wall clock (no clock=icount), measured: nothing to estimate");
}

/*
 * The runs of one scenario directory, summed into *s. A run that is
 * refused fails the scenario: a summary without it would look whole.
 */
static int report_scenario(const char *dir, const struct analysis_opts *o,
			   struct summary *s)
{
	struct run_analysis *ra;
	struct tree_names runs;
	int n, i, ok = 0, err = 0;

	n = tree_list(dir, true, &runs);
	if (n <= 0)
		return n ? n : -ENOENT;
	ra = calloc(n, sizeof(*ra));
	if (!ra) {
		tree_names_free(&runs);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		if (!tree_has(runs.v[i], RUN_META))
			continue;
		if (analyse_run_said(runs.v[i], o, true, &ra[ok]))
			err = -EBADMSG;
		else
			ok++;
	}
	tree_names_free(&runs);
	if (!err && !ok)
		err = -ENOENT;
	if (!err)
		err = summary_of_runs(ra, ok, s);
	else if (err == -EBADMSG)
		ds_err("%s: not summarised (a run was refused)",
			dir);
	for (i = 0; i < ok; i++)
		run_analysis_free(&ra[i]);
	free(ra);
	return err;
}

/*
 * A results directory: a summary row per scenario, its summary.csv,
 * rewritten only when every scenario was read.
 */
static int report_results(const char *dir, const struct analysis_opts *o)
{
	static char shown[PATH_MAX * 4];
	struct summary *rows;
	struct tree_names scen;
	char path[PATH_MAX], lerr[512];
	int n = 0, i, ns, err = 0, lock;

	ns = tree_list(dir, false, &scen);
	if (ns <= 0)
		return -ENOENT;
	rows = calloc(ns, sizeof(*rows));
	if (!rows) {
		tree_names_free(&scen);
		return -ENOMEM;
	}
	lock = results_lock(dir, lerr, sizeof(lerr));
	if (lock < 0) {
		ds_err("%s", lerr);
		err = -EBUSY;
	}
	for (i = 0; !err && i < ns; i++) {
		int e;

		if (!tree_has_runs(scen.v[i]))
			continue;
		e = report_scenario(scen.v[i], o, &rows[n]);
		if (!e)
			n++;
		else if (e != -ENOENT)
			err = e;
	}
	tree_names_free(&scen);
	if (!err && !n)
		err = -ENOENT;
	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	if (!err && o->csv) {
		err = summary_write_csv(rows, n, path);
		if (err)
			ds_err("%s: %s", path, strerror(-err));
	} else if (err && err != -ENOENT && err != -EBUSY) {
		ds_err("%s: left as it was", path);
	}
	if (n) {
		term_escape(dir, ~(size_t)0, shown, sizeof(shown));
		printf("== %s\n", shown);
		show(rows, n, o);
	}
	results_unlock(lock);
	free(rows);
	return err;
}

/*
 * A tree of results directories, one per kernel release, or a tree of
 * those (per arm, per machine, per lab kernel) down to TREE_DEPTH.
 */
#define TREE_DEPTH 3

static int report_tree(const char *dir, const struct analysis_opts *o,
		       int depth)
{
	struct tree_names rel;
	int n, i, done = 0, failed = 0;

	n = tree_list(dir, false, &rel);
	for (i = 0; i < n; i++) {
		int err = report_results(rel.v[i], o);

		if (err == -ENOENT && depth < TREE_DEPTH)
			err = report_tree(rel.v[i], o, depth + 1);
		if (!err)
			done++;
		else if (err != -ENOENT)
			failed++;
	}
	tree_names_free(&rel);
	return failed ? -EIO : !done ? -ENOENT : 0;
}

static int report(const char *dir, const struct analysis_opts *o)
{
	static struct run_analysis one;
	struct summary row;
	char lerr[PATH_MAX * 2 + 128];
	int err;

	/* a run a bench still writes has an empty fio.json, half a log */
	if (results_busy(dir, lerr, sizeof(lerr))) {
		ds_err("%s", lerr);
		return 1;
	}
	if (tree_has(dir, RUN_META)) {
		if (analyse_run_said(dir, o, true, &one))
			return 1;
		err = summary_of_runs(&one, 1, &row);
		run_analysis_free(&one);
		if (err)
			return 1;
		show(&row, 1, o);
		if (o->perfetto)
			ds_err("trace written to %s (open it in ui.perfetto.dev)",
				o->perfetto);
		return 0;
	}
	if (o->perfetto) {
		ds_err("--perfetto takes one run directory (with meta); %s is not one",
			dir);
		return 2;
	}
	if (tree_has_runs(dir)) {
		if (report_scenario(dir, o, &row))
			return 1;
		show(&row, 1, o);
		return 0;
	}
	err = report_results(dir, o);
	if (err == -ENOENT)
		err = report_tree(dir, o, 1);
	if (err == -ENOENT)
		ds_err("%s holds no run (no meta, run-*/, <scenario>/run-*/ or <release>/<scenario>/run-*/)",
			dir);
	return err ? 1 : 0;
}

/* A directory that holds anything: not written into without -f. */
static bool holds_files(const char *dir)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	bool any = false;

	if (!dp)
		return errno != ENOENT;
	while (!any && (d = readdir(dp)))
		any = strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
	closedir(dp);
	return any;
}

static int synthetic(const char *dir, const struct report_opts *o)
{
	unsigned long long need = o->synthetic * SYNTH_BYTES_PER_IO;
	char parent[PATH_MAX], *slash;
	struct statvfs v;

	if (!*dir) {
		ds_err("an empty DIR is no directory");
		return 2;
	}
	if (!o->force && holds_files(dir)) {
		ds_err("%s is not empty: refusing to write a synthetic run over it (-f overrides)",
			dir);
		return 1;
	}
	if (path_fmt(parent, sizeof(parent), "%s", dir)) {
		ds_err("%s: %s", dir, strerror(ENAMETOOLONG));
		return 2;
	}
	while (access(parent, F_OK) && (slash = strrchr(parent, '/')) &&
	       slash != parent)
		*slash = '\0';
	if (access(parent, F_OK))
		snprintf(parent, sizeof(parent), ".");
	/* refused before the disk is full, not after */
	if (!statvfs(parent, &v) &&
	    need > (unsigned long long)v.f_bavail * v.f_frsize) {
		ds_err("%llu synthetic IOs need about %llu MiB, %s has %llu MiB free",
			o->synthetic, need >> 20, parent,
			((unsigned long long)v.f_bavail * v.f_frsize) >> 20);
		return 1;
	}
	return synth_run(dir, o->synthetic) ? 1 : 0;
}

static int parse(int argc, char **argv, struct report_opts *o)
{
	bool no_events = false, no_csv = false;
	const struct ds_opt opts[] = {
		OPT_FLAG(0, "no-events", &no_events,
			 "do not write events.csv (one row per kernel event)"),
		OPT_FLAG(0, "no-csv", &no_csv,
			 "write no CSV: check, correlate and print the\n"
			 "summary only (a long soak's ios.csv is GBs)"),
		OPT_FLAG(0, "one-thread", &o->a.one_thread,
			 "read events.bin and fio's logs in the thread that\n"
			 "correlates (slower on 2 CPUs or more; the same\n"
			 "output)"),
		OPT_STRING(0, "perfetto", &o->a.perfetto, "FILE",
			   "also write the run as a trace for ui.perfetto.dev\n"
			   "and chrome://tracing (trace-event JSON): a track\n"
			   "per task, a slice per IO with its calls nested,\n"
			   "split and merge instants, an arrow per churn pair;\n"
			   "DIR must be one run (bench --perfetto writes one\n"
			   "per run)"),
		OPT_U64(0, "synthetic", &o->synthetic, "N", 1, SYNTH_MAX,
			"write a synthetic run of N IOs into DIR (to time\n"
			"report); DIR must be new or empty. With --perfetto,\n"
			"then report it as a run"),
		OPT_FLAG('f', "force", &o->force,
			 "with --synthetic: write into a DIR that holds files"),
		OPT_STRING(0, "calibration", &o->calib_path, "FILE",
			   "for results whose times are instructions\n"
			   "(clock=icount): also give their waste per IO as ns\n"
			   "estimated for the CPU FILE was measured on\n"
			   "(tests/perf/calibrate.sh), with the factor's interval"),
		OPT_CALLBACK('o', "output", &o->merged, "UNION",
			     "make UNION (new or empty) the union of the trees\n"
			     "DIR... (links to their runs) and report it",
			     cli_opt_out_dir),
		OPT_END(),
	};
	const struct ds_cmd cmd = {
		.name = "report", .opts = opts, .min_args = 1,
		.max_args = REPORT_MAX_TREES,
		.args_error = "takes one directory, or with -o up to 256 trees",
		.usage = "[--no-events | --no-csv] [--perfetto FILE]\n"
			 "       [--calibration FILE] DIR\n"
			 "       dioscope report -o UNION [--no-events | --no-csv] DIR...\n"
			 "       dioscope report --synthetic N [-f] [--perfetto FILE] DIR",
		.about =
"DIR is a run directory (with meta and events.bin, as record and bench\n"
"write them), a scenario directory (with run-*/), a results directory\n"
"(with <scenario>/run-*/) or a tree of those per kernel release. Each run's\n"
"events are correlated into one record per IO and joined with fio's per-IO\n"
"logs; ios.csv, events.csv, inodes.csv and summary.csv are (re)written, and\n"
"the summary is printed per scenario (with --no-csv only that: no file is\n"
"written). Each run is first checked against its meta (the number and\n"
"digest of its events, fio's IO count against its logs): a run that meta\n"
"calls complete and that does not check out is refused, and then no\n"
"summary above it is rewritten (exit status 1).\n"
"Incomplete runs are read as far as they go, and say why.\n"
"\n"
"With -o UNION, the DIRs are trees written apart (bench --job and --shard,\n"
"on other machines, in lab guests) and UNION becomes their union: every\n"
"run directory of each, as a symbolic link at the path it has in its own\n"
"tree, then reported as one tree (summary.csv per kernel release, which\n"
"compare and plot read). The same run of a cell in two trees is refused,\n"
"not overwritten, and then nothing is made.\n"
"\n"
"With --calibration FILE, results made in the lab's icount mode (their\n"
"times are guest instructions) also get their waste per IO in ns estimated\n"
"for the CPU FILE names: instructions times FILE's factor for extent-tree\n"
"work, always labelled an estimate, with the factor's 95 % interval. A FILE\n"
"that is malformed, or made for another clock or unit, or naming no CPU, is\n"
"refused (exit status 2).",
	};
	int first = opt_parse(&cmd, argc, argv);

	/* --no-csv already keeps events.csv: both is one of them misread */
	if (first > 0 && no_events && no_csv) {
		ds_err("--no-events and --no-csv: give one (--no-csv writes no CSV at all)");
		return -1;
	}
	if (first > 0 && o->calib_path) {
		char why[1024];

		if (calibration_read(o->calib_path, &o->calib, why, sizeof(why))) {
			ds_err("--calibration: refused: %s", why);
			return -1;
		}
		o->a.calib = &o->calib;
	}
	if (no_events || no_csv)
		o->a.events_csv = false;
	if (no_csv)
		o->a.csv = false;
	return first;
}

static int report_union(const char *const *trees, int n,
			const struct report_opts *o)
{
	char err[PATH_MAX * 2 + 256];
	int i, linked;

	for (i = 0; i < n; i++)
		if (access(trees[i], R_OK)) {
			ds_err("%s: %s", trees[i], strerror(errno));
			return 1;
		}
	linked = tree_union(trees, n, o->merged, err, sizeof(err));
	if (linked < 0) {
		ds_err("%s", err);
		return 1;
	}
	ds_err("%s: the union of %d tree%s, %d runs", o->merged, n,
	       n == 1 ? "" : "s", linked);
	return report(o->merged, &o->a);
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
	if (argc - rc > 1 && !o.merged) {
		ds_err("several trees are reported as their union: -o UNION names where it is made");
		return 2;
	}
	if (o.merged && (o.synthetic || o.a.perfetto)) {
		ds_err("-o makes a union of trees: not with --synthetic or --perfetto");
		return 2;
	}
	if (o.merged)
		return report_union((const char *const *)argv + rc, argc - rc,
				    &o);
	if (o.synthetic && !o.a.csv) {
		ds_err("--no-csv goes with reading a run, not with --synthetic");
		return 2;
	}
	if (o.synthetic && o.a.perfetto) {
		/* refused before the run is written, not after */
		rc = atomic_check(o.a.perfetto);
		if (rc) {
			ds_err("%s: %s", o.a.perfetto, atomic_strerror(rc));
			return 1;
		}
	}
	/* with --perfetto, the run written is then read as report does */
	if (o.synthetic) {
		rc = synthetic(dir, &o);
		return rc || !o.a.perfetto ? rc : report(dir, &o.a);
	}
	if (o.force) {
		ds_err("-f goes with --synthetic");
		return 2;
	}
	if (access(dir, R_OK)) {
		ds_err("%s: %s", dir, strerror(errno));
		return 1;
	}
	return report(dir, &o.a);
}
