/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Completion splits: a split made inside a conversion (an
 * ext4_ext_map_blocks call with CONVERT, by the same task, within its
 * time). A split comes before the call that made it ends, so recent
 * splits wait here until a mapping call of their task claims them; the
 * correlator and top count them alike from this one rule.
 *
 * A fixed ring: a split no call claimed in SPLIT_RING_CAP splits was
 * made outside any traced mapping call and is overwritten. Every mapping
 * call looks here, two per IO, and there is rarely a split waiting: the
 * count of live entries lets a call stop as soon as it has seen them all.
 */
#ifndef DIOSCOPE_SPLIT_RING_H
#define DIOSCOPE_SPLIT_RING_H

#include <stdbool.h>
#include <linux/types.h>
#include "dioscope.h"

#define SPLIT_RING_CAP 256

struct split_ring_entry {
	__u64 ts, dur, ino;
	__u32 dev, tid;
	bool live;
};

struct split_ring {
	struct split_ring_entry e[SPLIT_RING_CAP];
	__u32 next;
	__u32 live;		/* entries with live set */
};

/* A DS_EV_SPLIT, waiting for the mapping call it is part of. */
void split_ring_add(struct split_ring *r, const struct ds_event *split);
/*
 * A DS_EV_MAP_BLOCKS ended: its task's splits on its file within its
 * time are its own, each claimed once. Returns how many, their time in
 * *ns; whether they are completion splits is the call's CONVERT flag.
 */
unsigned int split_ring_take(struct split_ring *r, const struct ds_event *call,
			     __u64 *ns);

#endif
