/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The jobs of a bench, in the order that keeps its interleaving: round by
 * round (run j of everything before run j+1 of anything), in each round
 * kernel by kernel and cell by cell, the arms of a guard A/B or an A/A
 * test in the order of merge_guard_arm_at. Run one after the other, the
 * jobs are the bench; run side by side, each run's meta still holds its
 * number and start time, from which compare tells how they interleaved.
 */
#ifndef DIOSCOPE_BENCH_JOB_PLAN_H
#define DIOSCOPE_BENCH_JOB_PLAN_H

#include <stdbool.h>
#include "bench/cells.h"
#include "bench/job.h"

#define JOB_MAX_KERNELS 16

struct job_plan {
	const struct bench_cell *cells;
	int ncells;
	const char *const *kernels;	/* "host" or lab kernels */
	int nkernels;
	const int *modes;		/* the guard's arms, nguard of them */
	int nguard;
	bool aa;
	unsigned int first_run, runs, runtime;
	unsigned long long size;
};

/* The number of arms of a plan: 1, its guard modes, or 2 for --aa. */
int job_plan_arms(const struct job_plan *p);
/* Arm k of the plan (its guard mode and directory) into j. */
void job_plan_arm(const struct job_plan *p, int k, struct bench_job *j);
/*
 * fn on every job in order, with its 0-based place in the list; stops at
 * the first that returns non-zero and returns that, else 0.
 */
int job_plan_each(const struct job_plan *p,
		  int (*fn)(const struct bench_job *j, unsigned int at,
			    void *ctx), void *ctx);
/*
 * The cell of the matrix a job names, into *c: 0, or -ENOENT with err
 * naming what the matrix lacks.
 */
int job_cell(const struct bench_matrix *m, const struct bench_job *j,
	     struct bench_cell *c, char *err, size_t len);

#endif
