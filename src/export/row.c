// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <string.h>
#include "export/row.h"

void row_begin(struct row *r, FILE *f)
{
	r->f = f;
	r->len = 0;
	r->first = true;
}

/* Room for need more bytes, writing out what the line holds if it must. */
static inline void room(struct row *r, size_t need)
{
	if (r->len + need <= ROW_BUF)
		return;
	fwrite_unlocked(r->buf, 1, r->len, r->f);
	r->len = 0;
}

static void sep(struct row *r)
{
	room(r, 1);
	if (!r->first)
		r->buf[r->len++] = ',';
	r->first = false;
}

/* "00" .. "99": two digits per division halves the divisions */
static const char pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

static unsigned int digits(__u64 v)
{
	unsigned int n = 1;

	while (v >= 10000) {
		v /= 10000;
		n += 4;
	}
	return n + (v >= 10) + (v >= 100) + (v >= 1000);
}

void row_u64(struct row *r, __u64 v)
{
	unsigned int n = digits(v);
	char *p;

	room(r, 21);
	if (!r->first)
		r->buf[r->len++] = ',';
	r->first = false;
	/* from the last digit back, two at a time, straight into the line */
	p = r->buf + r->len + n;
	r->len += n;
	while (v >= 100) {
		unsigned int d = (v % 100) * 2;

		v /= 100;
		*--p = pairs[d + 1];
		*--p = pairs[d];
	}
	if (v >= 10) {
		*--p = pairs[v * 2 + 1];
		*--p = pairs[v * 2];
	} else {
		*--p = '0' + v;
	}
}

void row_i64(struct row *r, __s64 v)
{
	if (v >= 0) {
		row_u64(r, v);
		return;
	}
	sep(r);
	r->first = true;	/* the digits follow the sign, no comma */
	room(r, 1);
	r->buf[r->len++] = '-';
	row_u64(r, -(__u64)v);
}

void row_str(struct row *r, const char *s)
{
	size_t n = strlen(s), i;

	sep(r);
	if (!strpbrk(s, ",\"\r\n")) {
		if (n > ROW_BUF) {
			room(r, ROW_BUF);
			fwrite_unlocked(s, 1, n, r->f);
			return;
		}
		room(r, n);
		memcpy(r->buf + r->len, s, n);
		r->len += n;
		return;
	}
	room(r, 1);
	r->buf[r->len++] = '"';
	for (i = 0; i < n; i++) {
		room(r, 2);
		if (s[i] == '"')
			r->buf[r->len++] = '"';
		r->buf[r->len++] = s[i];
	}
	room(r, 1);
	r->buf[r->len++] = '"';
}

void row_empty(struct row *r)
{
	sep(r);
}

void row_f64(struct row *r, double v)
{
	int n;

	sep(r);
	if (isnan(v))
		return;
	room(r, 32);
	n = snprintf(r->buf + r->len, 32, "%.6g", v);
	if (n > 0)
		r->len += n < 32 ? n : 31;
}

void row_end(struct row *r)
{
	room(r, 2);
	r->buf[r->len++] = '\r';
	r->buf[r->len++] = '\n';
	fwrite_unlocked(r->buf, 1, r->len, r->f);
	r->len = 0;
}
