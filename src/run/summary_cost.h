/* SPDX-License-Identifier: GPL-2.0 */
/* The tracer's in-kernel cost per scenario, as summary_print shows it. */
#ifndef DIOSCOPE_SUMMARY_COST_H
#define DIOSCOPE_SUMMARY_COST_H

#include <stdio.h>
#include "run/summary.h"

/*
 * width: the scenario column's, as the table above it has it; unit: what
 * a guest ns is ("ns", or "instructions" under QEMU's icount)
 */
void summary_print_cost(FILE *f, const struct summary *rows, unsigned int n,
			int width, const char *unit);

#endif
