/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report --calibration: the waste per IO of icount rows (instructions)
 * as ns estimated for the calibration's CPU, labelled an estimate, with
 * the factor's interval. Latencies are not estimated: under icount an
 * idle guest's clock jumps to its next timer, so they are not
 * instruction counts.
 */
#ifndef DIOSCOPE_RUN_SUMMARY_ESTIMATE_H
#define DIOSCOPE_RUN_SUMMARY_ESTIMATE_H

#include <errno.h>
#include <stdio.h>
#include "run/calibration.h"
#include "run/summary.h"

/* 0, or -EINVAL (printing nothing) when no row counts instructions */
int summary_print_estimates(FILE *f, const struct summary *rows,
			    unsigned int n, const struct calibration *c);

#endif
