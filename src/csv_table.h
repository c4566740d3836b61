/* SPDX-License-Identifier: GPL-2.0 */
/* A small CSV file (a summary) read whole, cells looked up by column name. */
#ifndef DIOSCOPE_CSV_TABLE_H
#define DIOSCOPE_CSV_TABLE_H

#define MAX_ROWS 256
#define MAX_COLS 64

struct table {
	int ncols, nrows;
	char *cols[MAX_COLS];
	char *cell[MAX_ROWS][MAX_COLS];
};

/* 0, or -errno; -EINVAL for a file that is not a rectangular CSV. */
int table_read(const char *path, struct table *t);
void table_free(struct table *t);
/* The cell of a row by column name, NULL when there is no such column. */
const char *table_get(const struct table *t, int row, const char *col);
/* The row whose "scenario" is scenario, or -1. */
int table_find_row(const struct table *t, const char *scenario);

#endif
