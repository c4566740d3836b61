/* SPDX-License-Identifier: GPL-2.0 */
/* The per-run CSV files: ios.csv (one row per IO), events.csv. */
#ifndef DIOSCOPE_EXPORT_H
#define DIOSCOPE_EXPORT_H

#include "run_analysis.h"

/*
 * Every kernel IO, joined or not, and every fio entry that did not join
 * (joined=0, kernel columns empty): nothing is dropped.
 */
int export_ios(const struct run_analysis *ra, const char *path);
int export_events(const struct run_analysis *ra, const char *path);
/*
 * A run's ios.csv, events.csv and one-row summary.csv in its directory;
 * frees the raw events, which nothing after the export needs.
 */
int export_run(struct run_analysis *ra);

#endif
