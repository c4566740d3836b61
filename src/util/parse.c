// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/parse.h"

/* The number at *sp, which moves past its digits. */
static int digits(const char **sp, unsigned long long *out)
{
	const char *s = *sp;
	unsigned long long v = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned int d = *s - '0';

		if (v > (~0ULL - d) / 10) {
			while (s[1] >= '0' && s[1] <= '9')
				s++;
			*sp = s + 1;
			return -ERANGE;
		}
		v = v * 10 + d;
	}
	*sp = s;
	*out = v;
	return 0;
}

int parse_u64(const char *s, unsigned long long *out)
{
	unsigned long long v;
	int err;

	if (!s)
		return -EINVAL;
	err = digits(&s, &v);
	if (err == -ERANGE)
		return *s ? -EINVAL : -ERANGE;
	if (err || *s)
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_size(const char *s, unsigned long long *out)
{
	static const char units[] = "kmgt";
	unsigned long long v;
	const char *u;
	int err, shift = 0;

	if (!s)
		return -EINVAL;
	err = digits(&s, &v);
	if (err && err != -ERANGE)
		return err;
	if (*s && (u = strchr(units, *s | 0x20))) {
		shift = 10 * (u - units + 1);
		s++;
		if (*s == 'i' || *s == 'I')
			s++;
		if (*s == 'b' || *s == 'B')
			s++;
	}
	if (*s)
		return -EINVAL;
	if (err || (shift && v > (~0ULL >> shift)))
		return -ERANGE;
	*out = v << shift;
	return 0;
}

int parse_double(const char *s, double *out)
{
	const char *p = s;
	char *end;
	double v;

	if (!s)
		return -EINVAL;
	/* digits with at most one point: strtod alone takes "0x1p3", "inf" */
	if (*p == '.')
		p++;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	p += strspn(p, "0123456789");
	if (*p == '.' && p[-1] != '.' && s[0] != '.')
		p++;
	p += strspn(p, "0123456789");
	if (*p)
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v))
		return errno == ERANGE ? -ERANGE : -EINVAL;
	*out = v;
	return 0;
}

void size_str(unsigned long long v, char *buf, unsigned long len)
{
	static const char units[] = "KMGT";
	int i;

	for (i = 3; i >= 0; i--) {
		unsigned long long unit = 1ULL << (10 * (i + 1));

		if (v && v % unit == 0) {
			snprintf(buf, len, "%llu%c", v / unit, units[i]);
			return;
		}
	}
	snprintf(buf, len, "%llu", v);
}
