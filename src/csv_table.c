// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csv.h"
#include "csv_table.h"

int table_read(const char *path, struct table *t)
{
	struct csv_reader r;
	FILE *f = fopen(path, "r");
	int rc, i;

	memset(t, 0, sizeof(*t));
	if (!f)
		return -errno;
	csv_reader_init(&r, f);
	while ((rc = csv_read(&r)) > 0) {
		char **dst = t->ncols ? t->cell[t->nrows] : t->cols;

		if (t->ncols && (t->nrows == MAX_ROWS || r.nfields != t->ncols)) {
			rc = -1;
			break;
		}
		for (i = 0; i < r.nfields && i < MAX_COLS; i++)
			dst[i] = strdup(r.fields[i]);
		if (!t->ncols)
			t->ncols = r.nfields < MAX_COLS ? r.nfields : MAX_COLS;
		else
			t->nrows++;
	}
	csv_reader_free(&r);
	fclose(f);
	return rc < 0 || !t->ncols ? -EINVAL : 0;
}

void table_free(struct table *t)
{
	int i, j;

	for (i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	for (j = 0; j < t->nrows; j++)
		for (i = 0; i < t->ncols; i++)
			free(t->cell[j][i]);
}

const char *table_get(const struct table *t, int row, const char *col)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i], col))
			return t->cell[row][i] ? t->cell[row][i] : "";
	return NULL;
}

int table_find_row(const struct table *t, const char *scenario)
{
	int j;

	for (j = 0; j < t->nrows; j++)
		if (!strcmp(table_get(t, j, "scenario"), scenario))
			return j;
	return -1;
}

