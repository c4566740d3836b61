/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The summary's values, declared once: a name, a kind (how it is
 * written) and where it lives in struct summary or struct
 * summary_derived. summary.csv's header and rows, summary.json and the
 * printed table are all made from this table.
 */
#ifndef DIOSCOPE_SUMMARY_COLUMNS_H
#define DIOSCOPE_SUMMARY_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include "run/summary.h"

enum summary_kind {
	SUMMARY_STR,		/* text */
	SUMMARY_UINT,		/* unsigned int */
	SUMMARY_U64,		/* a count */
	SUMMARY_NUM,		/* a double; NAN is unknown */
	SUMMARY_FLAG,		/* yes/no in CSV, a boolean in JSON */
};

enum summary_src {
	SUMMARY_SUMS,		/* struct summary */
	SUMMARY_DERIVED,	/* struct summary_derived */
};

struct summary_column {
	const char *name;	/* summary.csv's header */
	enum summary_kind kind;
	enum summary_src src;
	size_t offset;
	bool csv;		/* false: summary.json only */
};

extern const struct summary_column summary_columns[];
extern const unsigned int summary_ncolumns;

/* A summary with its derived values: what a column is read from. */
struct summary_view {
	const struct summary *s;
	struct summary_derived d;
};

union summary_value {
	const char *str;
	__u64 u64;
	double num;
	bool flag;
};

void summary_view_of(struct summary_view *v, const struct summary *s);
/* The column of that name, or NULL. */
const struct summary_column *summary_column(const char *name);
union summary_value summary_value(const struct summary_view *v,
				  const struct summary_column *c);

#endif
