/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one parser of numbers and sizes given by users, on the command line
 * and in bench/matrix. Decimal only, so "010" is ten, not eight; a sign,
 * a space, trailing junk or a value that does not fit is refused rather
 * than wrapped or cut.
 */
#ifndef DIOSCOPE_UTIL_PARSE_H
#define DIOSCOPE_UTIL_PARSE_H

/* 0; -EINVAL when s is not a decimal number; -ERANGE when it does not fit. */
int parse_u64(const char *s, unsigned long long *out);
/*
 * A size in bytes: a decimal number and an optional binary unit K, M, G
 * or T (upper or lower case, "KiB", "KB" alike). Errors as parse_u64.
 */
int parse_size(const char *s, unsigned long long *out);
/* A finite decimal fraction ("0.5", "2"); no hex, no exponent tricks. */
int parse_double(const char *s, double *out);
/* "256M", "1T", "4096": the largest unit that is exact. */
void size_str(unsigned long long v, char *buf, unsigned long len);

#endif
