/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-run CSV files, written row by row while a run is analysed:
 *
 *  ios.csv     one row per IO: every kernel IO (joined to its fio entry or
 *              not) as it completes, then every fio entry that joined no
 *              kernel IO (joined=0, kernel columns empty): nothing dropped.
 *  events.csv  one row per kernel event, in time order.
 *  inodes.csv  one row per file: its IOs and the work seen on it.
 *
 * A value that was not measured (a function not traced on this kernel, a
 * duration a tracepoint cannot give) is an empty cell, never a 0.
 */
#ifndef DIOSCOPE_EXPORT_H
#define DIOSCOPE_EXPORT_H

#include <stdbool.h>
#include <stdio.h>
#include "analysis/correlator.h"
#include "analysis/fio_log.h"

/* What the run's tiers could see, per component. */
struct export_seen {
	bool traced[DS_C_MAX];	/* its function was traced at all */
	bool churn;		/* merges and splits were observed */
};

struct row;

/*
 * Append ",<component>_count,<component>_ns,<component>_cpu_ns" for each
 * component to h.
 */
void export_component_header(char *h, size_t len);
/*
 * A component's count, time and time on the CPU; all empty where it was
 * not traced, the last where it was not measured (cpu_unknown).
 */
void export_component_cost(struct row *r, bool traced, __u64 count, __u64 ns,
			   __u64 cpu_ns, bool cpu_unknown);

void ios_csv_header(FILE *f);
/* t0: the time of the first event, which times in the file count from. */
void ios_csv_kernel_row(FILE *f, const struct export_seen *seen, __u64 t0,
			const struct corr_io *io, const struct fio_io *fio);
void ios_csv_fio_row(FILE *f, const struct fio_io *fio);

void events_csv_header(FILE *f);
void events_csv_row(FILE *f, const struct ds_event *e, __u64 t0);

void inodes_csv_header(FILE *f);
void inodes_csv_row(FILE *f, const struct export_seen *seen,
		    const struct corr_inode *in);

const char *ddir_name(unsigned int ddir);

#endif
