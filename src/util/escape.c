// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "util/escape.h"

/* How many continuation bytes follow lead byte c in UTF-8; -1: not a lead. */
static int utf8_tail(unsigned char c)
{
	if (c >= 0xc2 && c <= 0xdf)
		return 1;
	if (c >= 0xe0 && c <= 0xef)
		return 2;
	if (c >= 0xf0 && c <= 0xf4)
		return 3;
	return -1;
}

/* A whole UTF-8 sequence at s (n bytes left): its length, or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	int tail = utf8_tail(s[0]), i;

	if (tail < 0 || (size_t)tail >= n)
		return 0;
	for (i = 1; i <= tail; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* U+0080..U+009F are the C1 controls (CSI is U+009B) */
	if (s[0] == 0xc2 && s[1] < 0xa0)
		return 0;
	return tail + 1;
}

char *term_escape(const char *in, size_t max, char *out, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t n = strnlen(in, max), i = 0, o = 0, u;

	if (!len)
		return out;
	while (i < n) {
		char esc[8];
		size_t k;

		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\') {
			if (o + 1 >= len)
				break;
			out[o++] = s[i++];
			continue;
		}
		u = s[i] >= 0x80 ? utf8_len(s + i, n - i) : 0;
		if (u) {
			if (o + u >= len)
				break;
			memcpy(out + o, s + i, u);
			o += u;
			i += u;
			continue;
		}
		if (s[i] == '\\')
			snprintf(esc, sizeof(esc), "\\\\");
		else
			snprintf(esc, sizeof(esc), "\\x%02x", s[i]);
		k = strlen(esc);
		if (o + k >= len)
			break;
		memcpy(out + o, esc, k);
		o += k;
		i++;
	}
	out[o] = '\0';
	return out;
}
