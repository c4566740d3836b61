// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "event/stats.h"
#include "event/aux.h"

unsigned int log2_slot(__u64 us)
{
	unsigned int k = 0;

	while (us > 1 && k < DS_HIST_SLOTS - 1) {
		us >>= 1;
		k++;
	}
	return k;
}

void log2_hist_add(struct log2_hist *h, __u64 ns)
{
	h->slots[log2_slot(ns / 1000)]++;
	h->count++;
	h->sum_ns += ns;
}

void event_stats_add(struct event_stats *s, const struct ds_event *e)
{
	s->total++;
	if (e->type < DS_EV_TYPE_MAX)
		s->by_type[e->type]++;
	if (e->target >= DS_T_MAX)
		return;
	s->by_target[e->target]++;
	if (e->dur_ns)
		log2_hist_add(&s->hist[e->target], e->dur_ns);
	if (e->type == DS_EV_MAP_BLOCKS) {
		if (e->flags & DS_GET_BLOCKS_PRE_IO)
			s->pre_io++;
		if (e->flags & DS_GET_BLOCKS_CONVERT)
			s->convert++;
	}
	if (e->type == DS_EV_MERGE && (e->flags & DS_MERGE_DONE))
		s->merges_done += ds_merge_pairs_done(e);
}

static void stars(FILE *f, __u64 v, __u64 max, int width)
{
	int n = max ? (int)(v * width / max) : 0, i;

	for (i = 0; i < width; i++)
		fputc(i < n ? '*' : ' ', f);
}

void log2_hist_print(FILE *f, const struct log2_hist *h, const char *title)
{
	int first = -1, last = -1, k;
	__u64 max = 0;

	for (k = 0; k < DS_HIST_SLOTS; k++) {
		if (!h->slots[k])
			continue;
		if (first < 0)
			first = k;
		last = k;
		if (h->slots[k] > max)
			max = h->slots[k];
	}
	fprintf(f, "\n%s: %llu calls, avg %.1f us\n", title,
		(unsigned long long)h->count,
		h->count ? h->sum_ns / 1000.0 / h->count : 0.0);
	if (first < 0)
		return;
	fprintf(f, "%21s : %-9s %s\n", "usecs", "count", "distribution");
	for (k = first; k <= last; k++) {
		unsigned long long lo = k ? 1ULL << k : 0;
		unsigned long long hi = (2ULL << k) - 1;

		fprintf(f, "%10llu -> %-8llu : %-9llu |", lo, hi,
			(unsigned long long)h->slots[k]);
		stars(f, h->slots[k], max, 40);
		fprintf(f, "|\n");
	}
}
