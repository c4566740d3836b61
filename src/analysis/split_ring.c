// SPDX-License-Identifier: GPL-2.0
#include "analysis/split_ring.h"

void split_ring_add(struct split_ring *r, const struct ds_event *split)
{
	r->e[r->next++ % SPLIT_RING_CAP] = (struct split_ring_entry){
		.ts = split->ts_ns, .dur = split->dur_ns, .ino = split->ino,
		.dev = split->dev, .tid = split->tid, .live = true,
	};
}

unsigned int split_ring_take(struct split_ring *r, const struct ds_event *call,
			     __u64 *ns)
{
	__u64 start = call->ts_ns - call->dur_ns;
	unsigned int i, n = 0;

	*ns = 0;
	for (i = 0; i < SPLIT_RING_CAP; i++) {
		struct split_ring_entry *sp = &r->e[i];

		if (!sp->live || sp->tid != call->tid || sp->ino != call->ino ||
		    sp->dev != call->dev || sp->ts < start || sp->ts > call->ts_ns)
			continue;
		sp->live = false;
		*ns += sp->dur;
		n++;
	}
	return n;
}
