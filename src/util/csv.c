// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "util/csv.h"

void csv_begin(struct csv_row *r, FILE *f)
{
	r->f = f;
	r->first = true;
}

static void sep(struct csv_row *r)
{
	if (!r->first)
		fputc(',', r->f);
	r->first = false;
}

void csv_str(struct csv_row *r, const char *s)
{
	const char *p;

	sep(r);
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, r->f);
		return;
	}
	fputc('"', r->f);
	for (p = s; *p; p++) {
		if (*p == '"')
			fputc('"', r->f);
		fputc(*p, r->f);
	}
	fputc('"', r->f);
}

void csv_u64(struct csv_row *r, unsigned long long v)
{
	sep(r);
	fprintf(r->f, "%llu", v);
}

void csv_i64(struct csv_row *r, long long v)
{
	sep(r);
	fprintf(r->f, "%lld", v);
}

/*
 * Six significant digits, but never an exponent on a number a reader
 * compares by eye or by awk: 1660233 is written whole, not 1.66023e+06.
 */
void csv_f64(struct csv_row *r, double v)
{
	sep(r);
	if (isnan(v))
		return;
	if (v == floor(v) && fabs(v) < 9e15)
		fprintf(r->f, "%.0f", v);
	else if (fabs(v) >= 1e6 && fabs(v) < 9e15)
		fprintf(r->f, "%.1f", v);
	else
		fprintf(r->f, "%.6g", v);
}

void csv_end(struct csv_row *r)
{
	fputs("\r\n", r->f);
}

void csv_header(FILE *f, const char *names)
{
	struct csv_row r;
	char *copy = strdup(names), *save = NULL, *tok;

	if (!copy)
		return;
	csv_begin(&r, f);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		csv_str(&r, tok);
	csv_end(&r);
	free(copy);
}

void csv_reader_init(struct csv_reader *r, FILE *f)
{
	memset(r, 0, sizeof(*r));
	r->f = f;
}

void csv_reader_free(struct csv_reader *r)
{
	free(r->buf);
	r->buf = NULL;
	r->cap = 0;
}

static int put(struct csv_reader *r, size_t *len, char c)
{
	if (*len + 1 >= r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		char *nb = realloc(r->buf, cap);

		if (!nb)
			return -1;
		/* fields point into the buffer: move them with it */
		for (int i = 0; i < r->nfields; i++)
			r->fields[i] = nb + (r->fields[i] - r->buf);
		r->buf = nb;
		r->cap = cap;
	}
	r->buf[(*len)++] = c;
	return 0;
}

/* Errors name the line the record starts on, where a reader looks. */
static int fail(struct csv_reader *r, unsigned long line, const char *why)
{
	snprintf(r->error, sizeof(r->error), "line %lu: %s", line, why);
	return -1;
}

int csv_read(struct csv_reader *r)
{
	size_t len = 0, start = 0;
	bool quoted = false, after_quote = false;
	unsigned long first;
	int c;

	r->nfields = 0;
	first = ++r->line;
	c = fgetc(r->f);
	if (c == EOF)
		return 0;
	for (;; c = fgetc(r->f)) {
		/* a field would end at it, and read as something else */
		if (c == '\0')
			return fail(r, first, "a NUL byte: not a CSV file");
		if (quoted) {
			if (c == EOF)
				return fail(r, first, "unterminated quoted field");
			if (c == '"') {
				int n = fgetc(r->f);

				if (n != '"') {
					quoted = false;
					after_quote = true;
					ungetc(n, r->f);
					continue;
				}
			}
			if (c == '\n')
				r->line++;
			if (put(r, &len, c))
				return fail(r, first, "out of memory");
			continue;
		}
		if (c == '"' && len == start && !after_quote) {
			quoted = true;
			continue;
		}
		if (c == ',' || c == '\n' || c == EOF) {
			if (len && c != ',' && r->buf[len - 1] == '\r' &&
			    !after_quote)
				len--;
			if (put(r, &len, '\0'))
				return fail(r, first, "out of memory");
			if (r->nfields >= CSV_MAX_FIELDS)
				return fail(r, first, "too many fields");
			r->fields[r->nfields++] = r->buf + start;
			start = len;
			after_quote = false;
			if (c != ',')
				return 1;
			continue;
		}
		if (after_quote && c != '\r')
			return fail(r, first, "text after a closing quote");
		if (after_quote)
			continue;
		if (put(r, &len, c))
			return fail(r, first, "out of memory");
	}
}

int csv_column(const struct csv_reader *header, const char *name)
{
	int i;

	for (i = 0; i < header->nfields; i++)
		if (!strcmp(header->fields[i], name))
			return i;
	return -1;
}

double csv_number(const char *field)
{
	char *end;
	double v;

	if (!field || !*field)
		return NAN;
	v = strtod(field, &end);
	return *end ? NAN : v;
}
