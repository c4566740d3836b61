/* SPDX-License-Identifier: GPL-2.0 */
/* RFC 4180 CSV: quoting on write, a record-at-a-time reader. */
#ifndef DIOSCOPE_CSV_H
#define DIOSCOPE_CSV_H

#include <stdbool.h>
#include <stdio.h>

/* A row is written field by field; csv_end() closes it with CRLF. */
struct csv_row {
	FILE *f;
	bool first;
};

void csv_begin(struct csv_row *r, FILE *f);
void csv_str(struct csv_row *r, const char *s);
void csv_u64(struct csv_row *r, unsigned long long v);
void csv_i64(struct csv_row *r, long long v);
void csv_f64(struct csv_row *r, double v);	/* empty when NaN */
void csv_end(struct csv_row *r);
/* A whole header row from a comma-separated list of names. */
void csv_header(FILE *f, const char *names);

#define CSV_MAX_FIELDS 128

struct csv_reader {
	FILE *f;
	char *buf;		/* the current record's fields, NUL separated */
	size_t cap;
	char *fields[CSV_MAX_FIELDS];
	int nfields;
	unsigned long line;
	char error[96];
};

void csv_reader_init(struct csv_reader *r, FILE *f);
/* 1: a record; 0: end of input; -1: malformed (r->error says why). */
int csv_read(struct csv_reader *r);
void csv_reader_free(struct csv_reader *r);
/* Index of a column by header name, or -1. */
int csv_column(const struct csv_reader *header, const char *name);
/* A field as a number; NAN when it is missing, empty or not a number. */
double csv_number(const char *field);

#endif
