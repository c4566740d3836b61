/* SPDX-License-Identifier: GPL-2.0 */
/* What a bench run's meta says beyond what the recorder writes. */
#ifndef DIOSCOPE_BENCH_RUN_META_H
#define DIOSCOPE_BENCH_RUN_META_H

#include "bench/bench.h"
#include "run/meta.h"

/* The cell, arm and machine of run `run`. */
void bench_run_meta(const struct bench *b, const struct bench_cell *c,
		    const struct bench_arm *a, unsigned int run, struct meta *m);
/*
 * When the run started, by the wall clock: compare reads from it whether
 * the runs of two arms were interleaved or one set ran after the other.
 */
void bench_start_meta(struct meta *m);
/* The extents of file, `when` being "before" or "after" the run. */
void bench_extent_meta(struct meta *m, const char *when, const char *file);

#endif
