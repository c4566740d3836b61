// SPDX-License-Identifier: GPL-2.0
#include "analysis/split_ring.h"

void split_ring_add(struct split_ring *r, const struct ds_event *split)
{
	struct split_ring_entry *sp = &r->e[r->next++ % SPLIT_RING_CAP];

	if (!sp->live)
		r->live++;
	*sp = (struct split_ring_entry){
		.ts = split->ts_ns, .dur = split->dur_ns, .ino = split->ino,
		.dev = split->dev, .tid = split->tid, .live = true,
	};
}

unsigned int split_ring_take(struct split_ring *r, const struct ds_event *call,
			     __u64 *ns)
{
	__u64 start = call->ts_ns - call->dur_ns;
	unsigned int i, n = 0, seen = 0, live = r->live;

	*ns = 0;
	for (i = 0; i < SPLIT_RING_CAP && seen < live; i++) {
		struct split_ring_entry *sp = &r->e[i];

		if (!sp->live)
			continue;
		seen++;
		if (sp->tid != call->tid || sp->ino != call->ino ||
		    sp->dev != call->dev || sp->ts < start || sp->ts > call->ts_ns)
			continue;
		sp->live = false;
		r->live--;
		*ns += sp->dur;
		n++;
	}
	return n;
}
