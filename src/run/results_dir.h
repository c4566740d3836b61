/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A results tree written by bench: DIR/summary.csv with one row per
 * scenario, DIR/<scenario>/run-<j>/ with each run's files. compare and
 * plot find scenarios, runs and summary cells through this.
 */
#ifndef DIOSCOPE_RESULTS_DIR_H
#define DIOSCOPE_RESULTS_DIR_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/* A CSV file read whole: a header and rows of strings. */
struct csv_table {
	int ncols, nrows;
	char **cols;
	char ***rows;		/* rows[row][col] */
};

/* 0, -errno, or -EINVAL for a file that is not a rectangular CSV. */
int csv_table_read(const char *path, struct csv_table *t);
void csv_table_free(struct csv_table *t);
/* A cell by column name: NULL when there is no such column. */
const char *csv_table_get(const struct csv_table *t, int row, const char *col);

struct results {
	char dir[PATH_MAX];
	struct csv_table sum;	/* DIR/summary.csv */
	char release[128];	/* kernel_release of its rows */
	bool emulated;		/* any row says emulated=yes */
	/* any row says clock=icount: times are guest instructions */
	bool icount;
	char label[160];	/* release, "(emulated)", "(icount)" where so */
};

/*
 * Opens the results named by path: a directory holding summary.csv, or one
 * holding exactly one such directory (as bench -o DIR leaves DIR). 0, or
 * -errno with err saying what is wrong.
 */
int results_open(struct results *r, const char *path, char *err, size_t len);
void results_close(struct results *r);
/* The summary row of a scenario, or -1. */
int results_row(const struct results *r, const char *scenario);
const char *results_scenario(const struct results *r, int row);
/* A summary cell of a scenario; NULL without that column or scenario. */
const char *results_get(const struct results *r, const char *scenario,
			const char *col);
/*
 * Did the scenario's tiers observe merges and splits? Only a "yes" says
 * so: a summary without the column vouches for nothing, and what was not
 * observed is unknown, never 0.
 */
bool results_merges_observed(const struct results *r, const char *scenario);

/* The run directories of a scenario, ordered by run number. */
struct run_list {
	size_t n;
	char **dir;
};

int results_runs(const struct results *r, const char *scenario,
		 struct run_list *runs);
void run_list_free(struct run_list *runs);

/*
 * Take the lock of a results directory while writing it: a descriptor to
 * give results_unlock(), or -1 with err saying who holds it.
 */
int results_lock(const char *dir, char *err, size_t len);
/*
 * The same, waiting while another holds it: the jobs of a bench that a
 * job runner starts side by side take their turns on one -o.
 */
int results_lock_wait(const char *dir, char *err, size_t len);
void results_unlock(int fd);
/*
 * Is dir, or one of the levels above it a bench's -o can be (a run's
 * scenario, release, results), locked by a writer? 1 with err naming it,
 * else 0. Taken before a reader takes a lock of its own.
 */
int results_busy(const char *dir, char *err, size_t len);

#endif
