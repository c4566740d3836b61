/* SPDX-License-Identifier: GPL-2.0 */
/* The cells of the matrix a bench runs (bench/matrix.h). */
#ifndef DIOSCOPE_BENCH_CELLS_H
#define DIOSCOPE_BENCH_CELLS_H

#include <stdbool.h>
#include "bench/matrix.h"

#define BENCH_MAX_CELLS 256

/* One cell of the matrix: a scenario with a block size and a variant. */
struct bench_cell {
	const struct bm_scenario *sc;
	const char *bs;
	const struct bm_variant *var;
	char id[160];
};

/*
 * The cells to run, variant outermost: one mkfs and mount per variant.
 * only: the nonly scenarios chosen (none: all); full: every block size
 * and variant, else the first of each. The number of cells, or -1 with
 * the error said when a scenario chosen is not in the matrix.
 */
int bench_plan_cells(const struct bench_matrix *m, const char *const *only,
		     int nonly, bool full, struct bench_cell *cells);

#endif
