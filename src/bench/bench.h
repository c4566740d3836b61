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

#endif
