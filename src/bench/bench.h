/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bench under way: its options, its matrix, its scratch filesystem and
 * tracer, and the arms whose runs it records (cmd/bench.c sets it up,
 * bench/run_loop.c runs it).
 */
#ifndef DIOSCOPE_BENCH_BENCH_H
#define DIOSCOPE_BENCH_BENCH_H

#include <limits.h>
#include <stdbool.h>
#include <time.h>
#include "bench/cells.h"
#include "bench/job_plan.h"
#include "bench/machine.h"
#include "bench/matrix.h"
#include "bench/merge_guard.h"
#include "bench/scratch_fs.h"
#include "run/recorder.h"
#include "run/summary.h"

struct bench_opts {
	const char *out, *device, *bench_dir;
	const char *only[BM_MAX];
	int nonly;
	unsigned int runs, runtime, first_run;
	unsigned long long size;
	bool full, force, no_events, perfetto, aa;
	bool overwrite;		/* -f: replace the runs of an earlier bench */
	/* the guard modes of the arms, alternated run by run; none: the
	 * knob is left as it is */
	int guard_modes[MERGE_GUARD_MODES];
	int nguard;
	struct tracer_opts topts;
	/* the jobs of a bench (bench/job.h) */
	bool list_jobs;
	const char *job, *shard;
	const char *kernels[JOB_MAX_KERNELS];
	int nkernels;
};

/*
 * One arm of the bench: a guard mode (-1: the knob as it is) and its
 * results; a name for the arms of an A/A test, which differ in nothing.
 */
struct bench_arm {
	const char *name;	/* meta's arm=; NULL but in an A/A test */
	int mode;
	char root[PATH_MAX];
	char made[PATH_MAX];	/* the first directory of root bench made */
	struct summary rows[BENCH_MAX_CELLS];
	int nrows;
};

struct bench {
	struct bench_opts o;
	struct bench_matrix m;
	struct scratch fs;
	struct tracer t;
	bool tracing;
	const char *perfetto;	/* the trace file of each run, NULL: none */
	char fio_ver[64];
	struct machine machine;
	struct bench_arm arm[MERGE_GUARD_MODES];
	int narms;
	bool failed;
	time_t start;
	unsigned int done, total;
	long tracer_ms;
	int lock;		/* of -o, while we write it */
};

/*
 * Every cell's runs, every arm's alternated run by run, the summaries
 * rewritten after each cell. 0, -EINTR when stopped by a signal, or -1.
 */
int bench_run_all(struct bench *b, struct bench_cell *cells, int n);
/*
 * Run `run` of cell c in arm a, into a->root/<cell>/run-<run>/: 0,
 * -EINTR when stopped by a signal, or -1 (said).
 */
int bench_one_run(struct bench *b, const struct bench_cell *c,
		  unsigned int run, const struct bench_arm *a);
/* The merge guard of the scratch filesystem to mode (-1: left as it
 * is); 0 or -1 (said). */
int bench_set_merge_guard(const struct bench *b, int mode);
/* A new filesystem of variant v on the scratch device, every arm's guard
 * mode tried on it; 0 or -1 (said). */
int bench_mount_variant(struct bench *b, const struct bm_variant *v);
/*
 * The jobs of bench --job and --shard, one after the other, each into
 * b->o.out; a job whose run is already there is refused unless -f.
 * 0, -EINTR when stopped by a signal, or -1.
 */
int bench_run_jobs(struct bench *b, const struct bench_job *jobs, int n);
/*
 * The run directory of job j of cell on kernel release, in out as the
 * whole bench files it: 0 or -ENAMETOOLONG.
 */
int bench_job_run_dir(const char *out, const struct bench_job *j,
		      const char *release, const char *cell, char *buf,
		      size_t len);

#endif
