// SPDX-License-Identifier: GPL-2.0
/*
 * dioscope bench: the scenario matrix of bench/ run under the tracer on a
 * scratch ext4, each run recorded, correlated with fio's per-IO logs and
 * summed up in results/<kernel-release>/.
 *
 * The tracer is attached once for the whole bench, not once per run.
 * Attaching is cheap enough either way (about 0.1 s of BPF loading and
 * verification on the tracepoint tier, logged as tracer_attach_ms), but
 * once per bench every run of every scenario is traced by the same plan,
 * the same tier per function, which a comparison between runs needs; the
 * ring buffer is emptied before each run (recorder_run), so nothing of
 * one run leaks into the next.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "bench/bench.h"
#include "bench/env.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "export/perfetto.h"
#include "run/results_dir.h"
#include "run/runs.h"
#include "run/tree.h"
#include "trace/filters.h"
#include "util/clock.h"
#include "util/fs.h"

static int opt_scenario(const struct ds_opt *opt, const char *arg)
{
	struct bench_opts *o = opt->value;

	if (o->nonly == BM_MAX) {
		ds_err("at most %d scenarios", BM_MAX);
		return -1;
	}
	o->only[o->nonly++] = arg;
	return 0;
}

static int opt_merge_guard(const struct ds_opt *opt, const char *arg)
{
	struct bench_opts *o = opt->value;

	o->nguard = merge_guard_parse_list(arg, o->guard_modes);
	if (o->nguard < 0) {
		ds_err("--merge-guard takes modes off, dio or all (or 0, 1, 2), each at most once and comma-separated, not '%s'",
		       arg);
		return -1;
	}
	return 0;
}

static int parse(int argc, char **argv, struct bench_opts *o)
{
	const struct ds_opt opts[] = {
		OPT_CALLBACK('s', "scenario", o, "NAME",
			     "run only this scenario (repeatable); see bench/matrix",
			     opt_scenario),
		OPT_FLAG(0, "full", &o->full,
			 "every block size and mount variant, not only the\n"
			 "defaults (4k, the kernel's default mount options)"),
		OPT_UINT(0, "runs", &o->runs, "N", 1, RUNS_MAX,
			 "runs per scenario, default 3"),
		OPT_SIZE(0, "size", &o->size, "S", 1ULL << 20, 1ULL << 40,
			 "size of the file each run writes, default 256M"),
		OPT_UINT(0, "first-run", &o->first_run, "J", 1, RUNS_MAX,
			 "number the runs from J, keeping a cell's runs below J:\n"
			 "one bench of several taken in turn with other kernels\n"
			 "(make bench-kernels); dioscope report DIR then sums\n"
			 "them all up. Default 1"),
		OPT_UINT(0, "runtime", &o->runtime, "SEC", 1, 3600,
			 "seconds per run at most, default 5"),
		OPT_STRING(0, "device", &o->device, "DEV",
			   "use this block device; refused when it is mounted, and\n"
			   "when it holds a filesystem or partition table unless\n"
			   "--force"),
		OPT_FLAG(0, "force", &o->force,
			 "make a filesystem on DEV whatever it holds (never\n"
			 "when it is mounted)"),
		OPT_CALLBACK('o', "output", &o->out, "DIR",
			     "results directory (default results); refused\n"
			     "while another bench writes it", cli_opt_out_dir),
		OPT_FLAG('f', "overwrite", &o->overwrite,
			 "replace the runs an earlier bench left in DIR for\n"
			 "the same scenarios (refused without it)"),
		OPT_STRING(0, "bench-dir", &o->bench_dir, "DIR",
			   "where the job files and the matrix are (default:\n"
			   "bench/ here, else beside the dioscope binary)"),
		OPT_FLAG(0, "no-events", &o->no_events,
			 "do not write events.csv (events.bin is kept)"),
		OPT_FLAG(0, "perfetto", &o->perfetto,
			 "write each run's trace for ui.perfetto.dev and\n"
			 "chrome://tracing: run-<j>/" PERFETTO_RUN_FILE),
		OPT_CALLBACK(0, "merge-guard", o, "MODES",
			     "set /sys/fs/ext4/<disk>/dio_merge_guard (a kernel with\n"
			     "patches/<kernel>/0002 only) to each mode, comma-\n"
			     "separated: off (0), dio (1: no unwritten merge while\n"
			     "a direct write is in flight), all (2: nor while\n"
			     "writeback has unwritten extents to convert). One mode:\n"
			     "every run in it. Several: the arms of a guard A/B,\n"
			     "alternated run by run in an order that reverses every\n"
			     "round (off,dio: off dio dio off off dio ...), each in\n"
			     "DIR/guard-<mode>/; compare them with\n"
			     "dioscope compare DIR/guard-off DIR/guard-dio ...",
			     opt_merge_guard),
		OPT_FLAG(0, "aa", &o->aa,
			 "an A/A test: every run twice, as arms A and B alternated\n"
			 "run by run like the guard's (A B B A A B ...), into\n"
			 "DIR/A/<kernel-release>/ and DIR/B/<kernel-release>/;\n"
			 "dioscope compare DIR/A DIR/B then shows what a\n"
			 "comparison of a kernel with itself looks like"),
		OPT_TRACE_TIER(&o->topts),
		OPT_TRACE_VERBOSE(&o->topts),
		OPT_END(),
	};
	const struct ds_cmd cmd = {
		.name = "bench", .opts = opts,
		.usage =
"[-s SCENARIO]... [--runs N] [--size S] [--runtime SEC]\n"
"                      [--full] [--device DEV [--force]] [-o DIR] [--tier T]\n"
"                      [--merge-guard MODE[,MODE...]] [--no-events] [--aa] [--perfetto]\n"
"                      [-f]",
		.about =
"Runs the O_SYNC|O_DIRECT fio scenarios of bench/ under the tracer on a\n"
"scratch ext4 (an image on a loop device, removed afterwards, unless\n"
"--device), joins fio's view of every IO with the kernel's, and writes\n"
"DIR/<kernel-release>/<scenario>.<bs>.<variant>/run-<j>/ (fio.json, fio's\n"
"per-IO logs, events.bin, meta, ios.csv, events.csv, inodes.csv,\n"
"summary.csv) and DIR/<kernel-release>/summary.csv, a row per scenario.",
	};

	return opt_parse(&cmd, argc, argv);
}

/*
 * Without --bench-dir: bench/ here, else the one beside the dioscope
 * binary (a build tree run from elsewhere).
 */
static void find_bench_dir(struct bench *b)
{
	static char beside[PATH_MAX];
	char exe[PATH_MAX], matrix[PATH_MAX + 16], *slash;
	ssize_t n;

	if (b->o.bench_dir)
		return;
	b->o.bench_dir = "bench";
	if (!access("bench/matrix", R_OK))
		return;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return;
	*slash = '\0';
	snprintf(matrix, sizeof(matrix), "%s/bench/matrix", exe);
	if (access(matrix, R_OK))
		return;
	snprintf(beside, sizeof(beside), "%s/bench", exe);
	b->o.bench_dir = beside;
}

static int check_env(struct bench *b)
{
	const char *problem = tracer_env_problem();
	char path[PATH_MAX + 16];

	if (problem) {
		ds_err("%s", problem);
		return -1;
	}
	find_bench_dir(b);
	bench_tool_version("fio", b->fio_ver, sizeof(b->fio_ver));
	if (!b->fio_ver[0]) {
		ds_err("fio is not installed or does not run (make deps, or apt-get install fio)");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/matrix", b->o.bench_dir);
	if (bench_matrix_read(path, &b->m)) {
		ds_err("%s (--bench-dir names the bench directory)",
			b->m.error);
		return -1;
	}
	return 0;
}

/* Trace the scratch device only: other IO on the machine is not ours. */
static int attach(struct bench *b)
{
	unsigned long long t0;

	if (filter_parse_dev(b->fs.dev, &b->o.topts.filters.dev)) {
		ds_err("%s: not a block device", b->fs.dev);
		return -1;
	}
	t0 = mono_ns();
	if (cli_tracer_open(&b->t, &b->o.topts))
		return -1;
	b->tracing = true;
	b->tracer_ms = (mono_ns() - t0) / 1000000;
	ds_err("tracer attached in %ld ms, once for all runs",
		b->tracer_ms);
	return 0;
}

/* Runs an earlier bench left for the cells to run: kept unless -f. */
static int earlier_runs(const struct bench *b,
			const struct bench_cell *cells, int n)
{
	char dir[PATH_MAX + 200];
	struct dirent *d;
	unsigned int j;
	char end;
	DIR *dp;
	int i, k, found = 0;

	if (b->o.overwrite)
		return 0;
	for (k = 0; k < b->narms; k++)
		for (i = 0; i < n; i++) {
			snprintf(dir, sizeof(dir), "%s/%s", b->arm[k].root,
				 cells[i].id);
			dp = opendir(dir);
			if (!dp)
				continue;
			while ((d = readdir(dp)))
				if (sscanf(d->d_name, "run-%u%c", &j, &end) == 1 &&
				    j >= b->o.first_run) {
					if (!found++)
						ds_err("%s already holds runs of an earlier bench; refusing to replace them (-f does, or choose another -o)",
						       dir);
					break;
				}
			closedir(dp);
		}
	return found;
}

static void say(const char *what)
{
	ds_err("%s", what);
}

static int prepare(struct bench *b, struct bench_cell *cells, int *n)
{
	char lerr[PATH_MAX + 200];
	struct utsname u;
	int k;

	if (b->o.overwrite && b->o.first_run > 1) {
		ds_err("-f removes every run of a cell, --first-run keeps those below it: not both");
		return 2;
	}
	if (b->o.first_run + b->o.runs - 1 > RUNS_MAX) {
		ds_err("--first-run %u with --runs %u numbers runs past %d",
		       b->o.first_run, b->o.runs, RUNS_MAX);
		return 2;
	}
	if (check_env(b))
		return 1;
	*n = bench_plan_cells(&b->m, b->o.only, b->o.nonly, b->o.full,
			      cells);
	if (*n <= 0)
		return *n < 0 ? 2 : 1;
	uname(&u);
	if (b->o.aa && b->o.nguard > 1) {
		ds_err("--aa compares a setup with itself: give it one --merge-guard mode at most");
		return 2;
	}
	/* one arm in the knob's state, one per mode, or one per arm of an A/B */
	b->narms = b->o.nguard ? b->o.nguard : 1;
	if (b->o.aa)
		b->narms = 2;
	for (k = 0; k < b->narms; k++) {
		struct bench_arm *a = &b->arm[k];

		a->mode = b->o.nguard ? b->o.guard_modes[b->o.aa ? 0 : k] : -1;
		a->name = b->o.aa ? (k ? "B" : "A") : NULL;
		if (a->name)
			snprintf(a->root, sizeof(a->root), "%s/%s/%s",
				 b->o.out, a->name, u.release);
		else if (b->narms > 1)
			snprintf(a->root, sizeof(a->root), "%s/guard-%s/%s",
				 b->o.out, merge_guard_name(a->mode), u.release);
		else
			snprintf(a->root, sizeof(a->root), "%s/%s", b->o.out,
				 u.release);
		if (mkdir_p_made(a->root, a->made, sizeof(a->made))) {
			ds_err("cannot create %s: %s", a->root, strerror(errno));
			return 1;
		}
	}
	/* the whole -o: the arms of an A/B are written together */
	b->lock = results_lock(b->o.out, lerr, sizeof(lerr));
	if (b->lock < 0) {
		ds_err("%s", lerr);
		return 1;
	}
	return earlier_runs(b, cells, *n) ? 1 : 0;
}

/* A bench refused or stopped before it wrote: no empty tree of its own. */
static void unmake_roots(const struct bench *b)
{
	int k;

	for (k = 0; k < b->narms; k++)
		rmdir_made(b->arm[k].root, b->arm[k].made);
}

int cmd_bench(int argc, char **argv)
{
	static struct bench b;
	static struct bench_cell cells[BENCH_MAX_CELLS];
	int n = 0, rc, err = -1, sig, k;

	memset(&b, 0, sizeof(b));
	b.lock = -1;
	b.o = (struct bench_opts){ .out = "results", .runs = 3, .runtime = 5,
				   .first_run = 1,
				   .size = 256ULL << 20 };
	rc = parse(argc, argv, &b.o);
	if (rc < 1)
		return opt_exit(rc);
	if (b.o.force && !b.o.device) {
		ds_err("--force is for --device DEV: without one it has nothing to force");
		return 2;
	}
	b.perfetto = b.o.perfetto ? PERFETTO_RUN_FILE : NULL;
	/* from the start: a signal during set-up stops the bench too */
	event_loop_install_signals();
	rc = prepare(&b, cells, &n);
	if (rc) {
		unmake_roots(&b);
		results_unlock(b.lock);
		return rc;
	}
	if (!b.o.device)
		scratch_clean_leftovers(say);
	/* room for the file, the journal and the scenarios that grow it */
	if (scratch_open(&b.fs, b.o.device, 4 * b.o.size + (256 << 20),
			 b.o.force)) {
		ds_err("%s", b.fs.error);
		unmake_roots(&b);
		results_unlock(b.lock);
		return 1;
	}
	if (!attach(&b))
		err = bench_run_all(&b, cells, n);
	if (b.tracing)
		tracer_close(&b.t);
	scratch_close(&b.fs);
	unmake_roots(&b);
	results_unlock(b.lock);
	sig = event_loop_stop_signal();
	for (k = 0; k < b.narms; k++) {
		if (!b.arm[k].nrows)
			continue;
		if (b.arm[k].name)
			printf("\narm %s:", b.arm[k].name);
		else if (b.narms > 1)
			printf("\nguard %s:", merge_guard_name(b.arm[k].mode));
		printf("\n");
		summary_print(stdout, b.arm[k].rows, b.arm[k].nrows);
		printf("\nresults: %s/summary.csv (per run: <scenario>/run-<j>/)\n",
		       b.arm[k].root);
	}
	if (sig) {
		ds_err("stopped by %s: the run in progress is marked incomplete (meta complete=no)",
			strsignal(sig));
		return 128 + sig;
	}
	return err || b.failed ? 1 : 0;
}
