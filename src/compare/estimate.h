/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compare --calibration: beside a metric of on-CPU time counted in
 * instructions (icount on both sides), the same as ns estimated for the
 * calibration's CPU (run/calibration.h), labelled an estimate, the
 * factor's interval carried into every interval. Latencies are left
 * alone: under icount an idle guest's clock jumps to its next timer, so
 * they are no instruction counts.
 */
#ifndef DIOSCOPE_COMPARE_ESTIMATE_H
#define DIOSCOPE_COMPARE_ESTIMATE_H

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>
#include "compare/csv.h"
#include "compare/metrics.h"
#include "run/calibration.h"

/* the estimated row's metric is the metric's column with this suffix */
#define COMPARE_EST_SUFFIX "_estimated"

/* Is the metric on-CPU time, and are both sides instructions? */
bool compare_estimable(const struct compare_row *r,
		       const struct compare_metric *mt);

/*
 * in as estimated ns: values, the absolute difference and its interval
 * multiplied by the combined factor, intervals by the ends of both; the
 * relative difference and the verdict are in's (a factor common to both
 * arms changes neither). metric and unit are written into the buffers.
 */
void compare_estimate_row(const struct compare_row *in,
			  const struct calibration *c, struct compare_row *out,
			  char *metric, size_t mlen, char *unit, size_t ulen);
/* The table's line under in's */
void compare_estimate_print(const struct compare_row *in,
			    const struct calibration *c);
/* The footer's paragraph */
void compare_estimate_footer(const struct calibration *c);
/* compare.json's "calibration": the file, its CPU and factors */
void compare_estimate_json(struct json_object *doc,
			   const struct calibration *c);

#endif
