/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compare.json: what compare.csv holds, as one JSON document: the kernels
 * compared, a row per scenario, metric and kernel against the first, and
 * the counts of the footer. Written beside compare.csv.
 */
#ifndef DIOSCOPE_COMPARE_JSON_H
#define DIOSCOPE_COMPARE_JSON_H

#include <stdbool.h>
#include "compare/csv.h"

#define COMPARE_JSON_FORMAT "dioscope-compare"
/*
 * 2: the verdict on per-run values; the per-IO test is p_ios.
 * 3: B - A with its interval (diff_abs, ci_lo_abs, ci_hi_abs), the test
 *    on the runs (runs.test: welch or kind) and the kind rule's limit;
 *    each kernel's and side's clock (wall, or icount: instructions).
 */
#define COMPARE_JSON_VERSION 3

struct json_object;

struct compare_json_totals {
	int compared, significant, noise, undecidable, refused, skipped;
	unsigned int reps;
	unsigned long long seed;
	double conf, alpha;
};

/* NULL when out of memory. */
struct json_object *compare_json_new(void);
void compare_json_kernel(struct json_object *doc, char letter,
			 const char *label, const char *results, bool emulated,
			 bool icount);
void compare_json_row(struct json_object *doc, const struct compare_row *r);
/* Adds the totals, writes path, frees doc; 0 or -errno. */
int compare_json_finish(struct json_object *doc,
			const struct compare_json_totals *t, const char *path);

#endif
