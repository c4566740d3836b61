/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The order in time of the runs of two arms, from the start time bench
 * writes into each run's meta (run_start_ns): were they interleaved, so
 * that drift of the machine fell on both alike, or did all of one come
 * before all of the other, so that drift counts as a difference?
 */
#ifndef DIOSCOPE_COMPARE_ORDER_H
#define DIOSCOPE_COMPARE_ORDER_H

#include "run/results_dir.h"

enum run_order {
	ORDER_UNKNOWN,		/* a run without a start time */
	ORDER_A_FIRST,		/* every run of A started before any of B */
	ORDER_B_FIRST,
	ORDER_INTERLEAVED,	/* neither: their times overlap */
};

enum run_order run_order(const struct run_list *a, const struct run_list *b);
/* A line saying what the order means for the comparison. */
const char *run_order_phrase(enum run_order o);

#endif
