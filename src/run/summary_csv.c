// SPDX-License-Identifier: GPL-2.0
/* summary.csv, its columns and rows from the column table. */
#include <limits.h>
#include <errno.h>
#include <math.h>
#include <string.h>
#include "util/atomic_file.h"
#include "util/csv.h"
#include "util/json.h"
#include "run/summary.h"
#include "run/summary_columns.h"
#include "run/summary_json.h"

/* Integers as integers (sample values, totals), the rest with 3 decimals. */
static void num(struct csv_row *r, double v)
{
	char buf[64];

	if (isnan(v)) {
		csv_str(r, "");
		return;
	}
	if (v == floor(v) && fabs(v) < 9e15)
		snprintf(buf, sizeof(buf), "%.0f", v);
	else
		snprintf(buf, sizeof(buf), "%.3f", v);
	csv_str(r, buf);
}

static void cell(struct csv_row *r, const struct summary_view *v,
		 const struct summary_column *c)
{
	union summary_value val = summary_value(v, c);

	switch (c->kind) {
	case SUMMARY_STR:
		csv_str(r, val.str);
		break;
	case SUMMARY_UINT:
	case SUMMARY_U64:
		csv_u64(r, val.u64);
		break;
	case SUMMARY_NUM:
		num(r, val.num);
		break;
	case SUMMARY_FLAG:
		csv_str(r, val.flag ? "yes" : "no");
		break;
	}
}

static void write_header(FILE *f)
{
	struct csv_row r;
	unsigned int i;

	csv_begin(&r, f);
	for (i = 0; i < summary_ncolumns; i++)
		if (summary_columns[i].csv)
			csv_str(&r, summary_columns[i].name);
	csv_end(&r);
}

static void write_row(FILE *f, const struct summary *s)
{
	struct summary_view v;
	struct csv_row r;
	unsigned int i;

	summary_view_of(&v, s);
	csv_begin(&r, f);
	for (i = 0; i < summary_ncolumns; i++)
		if (summary_columns[i].csv)
			cell(&r, &v, &summary_columns[i]);
	csv_end(&r);
}
/* Is this header row ours, column for column? */
static bool our_header(const struct csv_reader *rd)
{
	unsigned int i;
	int k = 0;

	for (i = 0; i < summary_ncolumns; i++) {
		if (!summary_columns[i].csv)
			continue;
		if (k >= rd->nfields ||
		    strcmp(rd->fields[k], summary_columns[i].name))
			return false;
		k++;
	}
	return k == rd->nfields;
}

/* The rows of path that rows do not replace, copied to f as they are. */
static void keep_others(const char *path, FILE *f,
			const struct summary *rows, unsigned int n)
{
	struct csv_reader rd;
	struct csv_row r;
	FILE *in = fopen(path, "r");
	int i;

	if (!in)
		return;
	csv_reader_init(&rd, in);
	if (csv_read(&rd) > 0 && our_header(&rd)) {
		while (csv_read(&rd) > 0) {
			if (!rd.nfields || summary_has(rows, n, rd.fields[0]))
				continue;
			csv_begin(&r, f);
			for (i = 0; i < rd.nfields; i++)
				csv_str(&r, rd.fields[i]);
			csv_end(&r);
		}
	}
	csv_reader_free(&rd);
	fclose(in);
}

static int write_csv(const struct summary *rows, unsigned int n,
		     const char *path, bool keep)
{
	struct atomic_file af;
	unsigned int i;
	int err = atomic_open(&af, path);

	if (err)
		return err;
	write_header(af.f);
	if (keep)
		keep_others(path, af.f, rows, n);
	for (i = 0; i < n; i++)
		write_row(af.f, &rows[i]);
	return atomic_commit(&af, false);
}

/* summary.json beside every summary.csv, from the same rows */
static int write_both(const struct summary *rows, unsigned int n,
		      const char *path, bool keep)
{
	char json[PATH_MAX];
	int err;

	/* the next writer of a directory clears what a killed one left */
	atomic_clean_beside(path);
	err = write_csv(rows, n, path, keep);
	if (err)
		return err;
	err = json_path_beside(path, json, sizeof(json));
	if (err)
		return err;
	return summary_write_json(rows, n, json, keep);
}

int summary_write_csv(const struct summary *rows, unsigned int n,
		      const char *path)
{
	return write_both(rows, n, path, false);
}

int summary_update_csv(const struct summary *rows, unsigned int n,
		       const char *path)
{
	return write_both(rows, n, path, true);
}
