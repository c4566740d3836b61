/* SPDX-License-Identifier: GPL-2.0 */
/*
 * summary.json: the rows of summary.csv as one JSON document, grouped
 * (latency, extent work, coverage, losses, the tracer's cost), units in
 * the key names, null for what was not observed or not counted.
 */
#ifndef DIOSCOPE_SUMMARY_JSON_H
#define DIOSCOPE_SUMMARY_JSON_H

#include <stdbool.h>
#include "run/summary.h"

#define SUMMARY_JSON_FORMAT "dioscope-summary"
#define SUMMARY_JSON_VERSION 1

/*
 * Write rows to path; with keep, the scenarios of an existing document
 * at path that rows do not replace stay. 0 or -errno.
 */
int summary_write_json(const struct summary *rows, unsigned int n,
		       const char *path, bool keep);

#endif
