/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fast CSV rows for the per-IO and per-event exports, which run to tens
 * of millions of rows: fields are formatted into a line buffer by hand
 * and the line is written at once. The output is what csv.h writes
 * (RFC 4180: quoting only where needed, CRLF line ends); headers are
 * written with csv_header().
 */
#ifndef DIOSCOPE_EXPORT_ROW_H
#define DIOSCOPE_EXPORT_ROW_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#define ROW_BUF 8192

struct row {
	FILE *f;
	size_t len;
	bool first;
	char buf[ROW_BUF];
};

void row_begin(struct row *r, FILE *f);
void row_u64(struct row *r, __u64 v);
void row_i64(struct row *r, __s64 v);
void row_str(struct row *r, const char *s);	/* quoted when needed */
void row_empty(struct row *r);			/* an unknown value */
void row_f64(struct row *r, double v);		/* empty when NaN */
void row_end(struct row *r);

#endif
