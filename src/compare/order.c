// SPDX-License-Identifier: GPL-2.0
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include "compare/order.h"
#include "run/meta.h"

/* The first and last start of a list's runs; -1 when one is unknown. */
static int span(const struct run_list *l, unsigned long long *first,
		unsigned long long *last)
{
	char path[PATH_MAX + 8];
	size_t i;

	*first = ~0ULL;
	*last = 0;
	for (i = 0; i < l->n; i++) {
		struct meta m = { 0 };
		const char *v;
		unsigned long long t;
		char *end;

		snprintf(path, sizeof(path), "%s/meta", l->dir[i]);
		if (meta_read(&m, path))
			return -1;
		v = meta_get(&m, "run_start_ns");
		t = v ? strtoull(v, &end, 10) : 0;
		if (!v || *end || !t) {
			meta_free(&m);
			return -1;
		}
		meta_free(&m);
		*first = t < *first ? t : *first;
		*last = t > *last ? t : *last;
	}
	return l->n ? 0 : -1;
}

enum run_order run_order(const struct run_list *a, const struct run_list *b)
{
	unsigned long long fa, la, fb, lb;

	if (span(a, &fa, &la) || span(b, &fb, &lb))
		return ORDER_UNKNOWN;
	if (la < fb)
		return ORDER_A_FIRST;
	if (lb < fa)
		return ORDER_B_FIRST;
	return ORDER_INTERLEAVED;
}

const char *run_order_phrase(enum run_order o)
{
	switch (o) {
	case ORDER_UNKNOWN:
		return "order of the runs not known: no run_start_ns in their meta";
	case ORDER_A_FIRST:
	case ORDER_B_FIRST:
		return "one arm's runs all before the other's: drift of the machine between them\n"
		       "   counts as a difference (interleave the arms: bench --aa, make bench-kernels)";
	case ORDER_INTERLEAVED:
		return "runs of the arms interleaved in time: drift falls on both alike";
	}
	return "";
}
