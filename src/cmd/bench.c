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
#include "bench/job_plan.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "export/perfetto.h"
#include "run/results_dir.h"
#include "run/runs.h"
#include "run/tree.h"
#include "trace/filters.h"
#include "util/clock.h"
#include "util/data_dir.h"
#include "util/fs.h"
#include "util/path.h"

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

static int opt_kernel(const struct ds_opt *opt, const char *arg)
{
	struct bench_opts *o = opt->value;

	if (o->nkernels == JOB_MAX_KERNELS) {
		ds_err("at most %d kernels", JOB_MAX_KERNELS);
		return -1;
	}
	if (!bench_name_ok(arg)) {
		ds_err("--kernel %s: host or a lab kernel (tests/lab/lab.sh kernels)",
		       arg);
		return -1;
	}
	o->kernels[o->nkernels++] = arg;
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
			   "use this block device; refused when it is in use (it\n"
			   "or a partition of it mounted, dm, md or a loop device\n"
			   "on top), and when it holds a filesystem or partition\n"
			   "table unless --force"),
		OPT_FLAG(0, "force", &o->force,
			 "make a filesystem on DEV whatever it holds (never\n"
			 "when it is in use)"),
		OPT_CALLBACK('o', "output", &o->out, "DIR",
			     "results directory (default results); refused\n"
			     "while another bench writes it", cli_opt_out_dir),
		OPT_FLAG('f', "overwrite", &o->overwrite,
			 "replace the runs an earlier bench left in DIR for\n"
			 "the same scenarios (refused without it)"),
		OPT_STRING(0, "bench-dir", &o->bench_dir, "DIR",
			   "where the job files and the matrix are (default:\n"
			   "bench/ of the data directory: $DIOSCOPE_DATA_DIR,\n"
			   "else the checkout, else the installed one)"),
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
		OPT_FLAG(0, "list-jobs", &o->list_jobs,
			 "print the jobs of this bench, one line each, and run\n"
			 "nothing: for a job runner (README, \"The bench as jobs\")"),
		OPT_CALLBACK(0, "kernel", o, "K",
			     "with --list-jobs or --shard: the jobs of kernel K,\n"
			     "host (this one, the default) or a lab kernel;\n"
			     "repeatable", opt_kernel),
		OPT_STRING(0, "job", &o->job, "LINE",
			   "run the one job LINE of --list-jobs into DIR; the\n"
			   "line says the cell, arm, run, size and runtime"),
		OPT_STRING(0, "shard", &o->shard, "I/N",
			   "run the jobs of this bench whose place in the list\n"
			   "(from 0) is I modulo N, one after the other"),
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
"                      [-f]\n"
"       dioscope bench --list-jobs [--kernel K]... [same options]\n"
"       dioscope bench --job LINE | --shard I/N [same options] [-o DIR] [-f]",
		.about =
"Runs the O_SYNC|O_DIRECT fio scenarios of bench/ under the tracer on a\n"
"scratch ext4 (an image on a loop device, removed afterwards, unless\n"
"--device), joins fio's view of every IO with the kernel's, and writes\n"
"DIR/<kernel-release>/<scenario>.<bs>.<variant>/run-<j>/ (fio.json, fio's\n"
"per-IO logs, events.bin, meta, ios.csv, events.csv, inodes.csv,\n"
"summary.csv) and DIR/<kernel-release>/summary.csv, a row per scenario.\n"
"\n"
"--list-jobs prints the same bench as jobs, one run of one cell in one arm\n"
"each, round by round in the order the bench interleaves them:\n"
"  kernel=host scenario=S bs=4k variant=V guard=- arm=- run=1 size=B runtime=T\n"
"--job LINE runs one into DIR as the bench would have filed it (a job of a\n"
"lab kernel runs in its guest: plots/bench-job.sh), without summary.csv:\n"
"dioscope report sums up the runs of many jobs, from any number of DIRs.",
	};

	return opt_parse(&cmd, argc, argv);
}

/* Without --bench-dir: bench/ of the data directory (util/data_dir.h). */
static void find_bench_dir(struct bench *b)
{
	static char dir[PATH_MAX + 8];

	if (b->o.bench_dir)
		return;
	data_dir_sub(data_dir(), "bench", dir, sizeof(dir));
	b->o.bench_dir = dir;
}

/* The matrix alone: what listing jobs needs, neither fio nor the tracer. */
static int read_matrix(struct bench *b)
{
	char path[PATH_MAX];

	find_bench_dir(b);
	if (path_fmt(path, sizeof(path), "%s/matrix", b->o.bench_dir)) {
		ds_err("%s/matrix: path too long", b->o.bench_dir);
		return -1;
	}
	if (bench_matrix_read(path, &b->m)) {
		ds_err("%s (--bench-dir names the bench directory, $" DATA_DIR_ENV " the data directory)",
		       b->m.error);
		return -1;
	}
	return 0;
}

static int check_env(struct bench *b)
{
	const char *problem = tracer_env_problem();

	if (problem) {
		ds_err("%s", problem);
		return -1;
	}
	if (read_matrix(b))
		return -1;
	if (machine_read(&b->machine)) {
		ds_err("DIOSCOPE_MACHINE is not \"CPU MODEL|CORES|MEM BYTES|HOST ID\"");
		return -1;
	}
	bench_tool_version("fio", b->fio_ver, sizeof(b->fio_ver));
	if (!b->fio_ver[0]) {
		ds_err("fio is not installed or does not run (make deps, or apt-get install fio)");
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

/* What only the whole bench or its list takes: the line says it for a job. */
static int job_conflicts(const struct bench_opts *o)
{
	if (o->list_jobs + !!o->job + !!o->shard > 1) {
		ds_err("--list-jobs, --job and --shard: one of them");
		return -1;
	}
	if (o->nkernels && !o->list_jobs && !o->shard) {
		ds_err("--kernel goes with --list-jobs or --shard");
		return -1;
	}
	if (o->job && (o->nonly || o->full || o->runs || o->first_run ||
		       o->size || o->runtime || o->nguard || o->aa)) {
		ds_err("--job LINE: the line says the cell, arm, run, size and runtime; -s, --full, --runs, --first-run, --size, --runtime, --merge-guard and --aa are not taken with it");
		return -1;
	}
	return 0;
}

static void default_opts(struct bench_opts *o)
{
	o->runs = o->runs ? o->runs : 3;
	o->runtime = o->runtime ? o->runtime : 5;
	o->first_run = o->first_run ? o->first_run : 1;
	o->size = o->size ? o->size : 256ULL << 20;
	if (!o->nkernels)
		o->kernels[o->nkernels++] = "host";
}

/* The plan of the bench the options describe, over the cells given. */
static int job_plan_of(const struct bench_opts *o,
		       const struct bench_cell *cells, int n,
		       struct job_plan *p)
{
	if (o->aa && o->nguard > 1) {
		ds_err("--aa compares a setup with itself: give it one --merge-guard mode at most");
		return -1;
	}
	if (o->first_run + o->runs - 1 > RUNS_MAX) {
		ds_err("--first-run %u with --runs %u numbers runs past %d",
		       o->first_run, o->runs, RUNS_MAX);
		return -1;
	}
	*p = (struct job_plan){
		.cells = cells, .ncells = n, .kernels = o->kernels,
		.nkernels = o->nkernels, .modes = o->guard_modes,
		.nguard = o->nguard, .aa = o->aa, .first_run = o->first_run,
		.runs = o->runs, .runtime = o->runtime, .size = o->size,
	};
	return 0;
}

static int print_job(const struct bench_job *j, unsigned int at, void *ctx)
{
	char line[512];

	if (bench_job_format(j, line, sizeof(line)))
		return -1;
	printf("%s\n", line);
	return 0;
}

static int list_jobs(struct bench *b, struct bench_cell *cells)
{
	struct job_plan p;
	int n;

	if (read_matrix(b))
		return 1;
	n = bench_plan_cells(&b->m, b->o.only, b->o.nonly, b->o.full, cells);
	if (n <= 0)
		return n < 0 ? 2 : 1;
	if (job_plan_of(&b->o, cells, n, &p))
		return 2;
	return job_plan_each(&p, print_job, NULL) ? 1 : 0;
}

struct shard {
	unsigned int i, n;
	struct bench_job *jobs;
	int njobs;
};

static int take_job(const struct bench_job *j, unsigned int at, void *ctx)
{
	struct shard *s = ctx;
	struct bench_job *v;

	if (at % s->n != s->i)
		return 0;
	v = realloc(s->jobs, (s->njobs + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->jobs = v;
	s->jobs[s->njobs++] = *j;
	return 0;
}

/* The jobs to run here: the one of --job, or the shard's. */
static int jobs_to_run(struct bench *b, struct bench_cell *cells,
		       struct shard *s)
{
	struct job_plan p;
	char why[256];
	int n;

	memset(s, 0, sizeof(*s));
	if (b->o.job) {
		s->jobs = calloc(1, sizeof(*s->jobs));
		if (!s->jobs)
			return 1;
		if (bench_job_parse(b->o.job, s->jobs, why, sizeof(why))) {
			ds_err("--job '%s': %s", b->o.job, why);
			return 2;
		}
		s->njobs = 1;
		return 0;
	}
	if (bench_shard_parse(b->o.shard, &s->i, &s->n)) {
		ds_err("--shard takes I/N with 0 <= I < N, not '%s'",
		       b->o.shard);
		return 2;
	}
	n = bench_plan_cells(&b->m, b->o.only, b->o.nonly, b->o.full, cells);
	if (n <= 0)
		return n < 0 ? 2 : 1;
	if (job_plan_of(&b->o, cells, n, &p))
		return 2;
	return job_plan_each(&p, take_job, s) ? 1 : 0;
}

/* Every job here, each in the matrix: checked before anything is set up. */
static int jobs_runnable(const struct bench *b, const struct shard *s)
{
	char why[256], dir[PATH_MAX];
	struct bench_cell c;
	struct utsname u;
	int i;

	uname(&u);
	for (i = 0; i < s->njobs; i++) {
		const struct bench_job *j = &s->jobs[i];

		if (!bench_job_here(j, u.release)) {
			ds_err("a job of kernel %s, and this is %s: plots/bench-job.sh boots a lab kernel for its jobs",
			       j->kernel, u.release);
			return -1;
		}
		if (job_cell(&b->m, j, &c, why, sizeof(why))) {
			ds_err("%s (%s/matrix)", why, b->o.bench_dir);
			return -1;
		}
		/* said before the scratch disk and the tracer, not after */
		if (!b->o.overwrite &&
		    !bench_job_run_dir(b->o.out, j, u.release, c.id, dir,
				       sizeof(dir)) && !access(dir, F_OK)) {
			ds_err("%s is there already: this job ran before (-f replaces it)",
			       dir);
			return -1;
		}
	}
	return 0;
}

static unsigned long long largest_size(const struct shard *s)
{
	unsigned long long max = 0;
	int i;

	for (i = 0; i < s->njobs; i++)
		max = s->jobs[i].size > max ? s->jobs[i].size : max;
	return max;
}

static int run_jobs_set_up(struct bench *b, struct shard *s)
{
	char lerr[PATH_MAX + 200];

	if (jobs_runnable(b, s))
		return 1;
	if (mkdir_p(b->o.out)) {
		ds_err("cannot create %s: %s", b->o.out, strerror(errno));
		return 1;
	}
	b->lock = results_lock_wait(b->o.out, lerr, sizeof(lerr));
	if (b->lock < 0) {
		ds_err("%s", lerr);
		return 1;
	}
	return 0;
}

static int open_scratch(struct bench *b, const struct shard *s)
{
	if (!b->o.device)
		scratch_clean_leftovers(say);
	if (scratch_open(&b->fs, b->o.device, 4 * largest_size(s) + (256 << 20),
			 b->o.force)) {
		ds_err("%s", b->fs.error);
		return 1;
	}
	return 0;
}

static int run_jobs(struct bench *b, struct bench_cell *cells)
{
	bool opened = false;
	struct shard s;
	int rc, err = -1, sig;

	if (check_env(b))
		return 1;
	rc = jobs_to_run(b, cells, &s);
	if (!rc && !s.njobs) {
		ds_err("shard %s holds no job: the bench has fewer jobs than that",
		       b->o.shard);
		rc = 1;
	}
	if (!rc)
		rc = run_jobs_set_up(b, &s);
	if (!rc) {
		rc = open_scratch(b, &s);
		opened = !rc;
	}
	if (!rc && !attach(b))
		err = bench_run_jobs(b, s.jobs, s.njobs);
	if (b->tracing)
		tracer_close(&b->t);
	if (opened)
		scratch_close(&b->fs);
	results_unlock(b->lock);
	if (!rc && !err)
		printf("%d job%s run into %s; dioscope report sums the runs up\n",
		       s.njobs, s.njobs == 1 ? "" : "s", b->o.out);
	free(s.jobs);
	sig = event_loop_stop_signal();
	if (sig)
		return 128 + sig;
	if (rc)
		return rc;
	return err || b->failed ? 1 : 0;
}

int cmd_bench(int argc, char **argv)
{
	static struct bench b;
	static struct bench_cell cells[BENCH_MAX_CELLS];
	int n = 0, rc, err = -1, sig, k;

	memset(&b, 0, sizeof(b));
	b.lock = -1;
	/* 0 until given: --job refuses what its line says */
	b.o = (struct bench_opts){ .out = "results" };
	rc = parse(argc, argv, &b.o);
	if (rc < 1)
		return opt_exit(rc);
	if (b.o.force && !b.o.device) {
		ds_err("--force is for --device DEV: without one it has nothing to force");
		return 2;
	}
	if (job_conflicts(&b.o))
		return 2;
	default_opts(&b.o);
	b.perfetto = b.o.perfetto ? PERFETTO_RUN_FILE : NULL;
	if (b.o.list_jobs)
		return list_jobs(&b, cells);
	/* from the start: a signal during set-up stops the bench too */
	event_loop_install_signals();
	if (b.o.job || b.o.shard)
		return run_jobs(&b, cells);
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
