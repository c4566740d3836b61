/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A comparison under way (cmd/compare.c): the results trees compared,
 * what is loaded of the scenario at hand, the bootstrap's differences and
 * the counts the footer gives.
 */
#ifndef DIOSCOPE_COMPARE_CMP_H
#define DIOSCOPE_COMPARE_CMP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "compare/csv.h"
#include "compare/metrics.h"
#include "compare/params.h"
#include "compare/samples.h"
#include "compare/stats.h"
#include "run/calibration.h"
#include "run/results_dir.h"
#include "util/atomic_file.h"

#define CMP_MAX_KERNELS 8
#define CMP_NTESTS (IOC_MAX + 1)	/* a test per sample column, and per run */

struct cmp_kernel {
	struct results res;
	/* of the scenario being compared */
	struct run_list runs;
	struct scenario_params par;
	char hw[512];		/* the runs' hardware, "" when unknown */
	struct samples smp;
	bool have_samples, observed;
	struct mwu test[CMP_NTESTS];
	bool tested[CMP_NTESTS];
};

struct cmp {
	int nk;
	struct cmp_kernel k[CMP_MAX_KERNELS];
	struct boot_opts boot;
	char csv_path[PATH_MAX], json_path[PATH_MAX];
	struct atomic_file csv_out;
	FILE *csv;			/* csv_out's stream, NULL when closed */
	struct json_object *json;	/* compare.json, beside the CSV */
	int compared, significant, noise, undecidable, refused, skipped;
	int scenarios;			/* compared, not refused or left out */
	bool unobserved;
	bool mixed_hw;		/* pool runs from different hardware */
	bool all_samples;
	bool icount;			/* every tree's times are instructions */
	bool mix_clocks;		/* --mix-clocks */
	const struct calibration *calib;	/* --calibration, or NULL */
	struct boot_diff rd[COMPARE_NMETRICS * CMP_MAX_KERNELS];
	bool present[COMPARE_NMETRICS];
};

/* A results tree by its place on the command line: A, B, ... */
static inline char cmp_letter(int k)
{
	return 'A' + k;
}

/* rows.c: a metric of kernel k against kernel 0 */
size_t cmp_min_runs(const struct cmp *c, int k);
void cmp_fill_row(struct cmp *c, const char *scen, int m, int k,
		  struct compare_row *row);

/* table.c: the printed table */
void cmp_print_scenario(const struct cmp *c, const char *scen);
void cmp_print_head(int k);
void cmp_print_row(const struct compare_row *r,
		   const struct compare_metric *mt);
void cmp_note_runs(const struct cmp *c, int k);
void cmp_print_footer(const struct cmp *c);

#endif
