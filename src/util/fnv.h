/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FNV-1a, 64 bits: a cheap identity of a text (a kernel's configuration,
 * a scenario's name), not a checksum and not for hash tables.
 */
#ifndef DIOSCOPE_FNV_H
#define DIOSCOPE_FNV_H

#include <stddef.h>
#include <stdint.h>

#define FNV1A64_BASIS 14695981039346656037ULL
#define FNV1A64_PRIME 1099511628211ULL

/* h continued over n bytes of buf; start from FNV1A64_BASIS. */
static inline uint64_t fnv1a64(uint64_t h, const void *buf, size_t n)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * FNV1A64_PRIME;
	return h;
}

#endif
