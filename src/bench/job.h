/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One job of a bench: one run of one cell, in one arm, on one kernel, as
 * a line that a job runner (GNU parallel, a Slurm array, a Kubernetes
 * Indexed Job) hands back to `dioscope bench --job LINE`:
 *
 *	kernel=host scenario=sparse-rand bs=4k variant=default guard=- arm=- run=1 size=268435456 runtime=5
 *
 * Every field, in this order, separated by one space:
 *   kernel    host (the running kernel) or a lab kernel (tests/lab/lab.sh)
 *   scenario  bs  variant   the cell, as bench/matrix names it
 *   guard     the merge guard mode set before the run: off, dio, all, or -
 *   arm       the subdirectory of -o the run goes under: - (none), A or
 *             B (bench --aa), guard-off, guard-dio, guard-all
 *   run       the run number j (run-<j>/), from 1
 *   size      bytes of the file the run writes; runtime: seconds at most
 * The line is the whole job: no option given beside --job changes what
 * is measured, only where and how it is written.
 */
#ifndef DIOSCOPE_BENCH_JOB_H
#define DIOSCOPE_BENCH_JOB_H

#include <stdbool.h>
#include <stddef.h>

#define JOB_NAME_LEN 48

struct bench_job {
	char kernel[JOB_NAME_LEN], scenario[JOB_NAME_LEN];
	char bs[16], variant[JOB_NAME_LEN], arm[16];
	int guard;		/* enum merge_guard_mode, or -1 */
	unsigned int run, runtime;
	unsigned long long size;
};

/* The job as its line, without a newline: 0, or -ENAMETOOLONG. */
int bench_job_format(const struct bench_job *j, char *buf, size_t len);
/*
 * A line into *j (a trailing newline is allowed): 0, or -EINVAL with err
 * saying which field is wrong and why.
 */
int bench_job_parse(const char *line, struct bench_job *j, char *err,
		    size_t elen);
/*
 * May the job run on this kernel (release, as uname says)? Its kernel is
 * host, the release itself, or the release's version: 6.1 for 6.1.0-31-
 * amd64, not for 6.12.
 */
bool bench_job_here(const struct bench_job *j, const char *release);
/*
 * "I/N", 0 <= I < N: shard I of N takes the jobs whose 0-based place in
 * the list is I modulo N. 0 or -EINVAL.
 */
int bench_shard_parse(const char *s, unsigned int *i, unsigned int *n);

#endif
