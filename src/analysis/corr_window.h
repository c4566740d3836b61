/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The correlator's IOs in flight: the pool of their slots, the lists of
 * them (all, and per file), the lookups by kiocb, task and file, and the
 * windows they open and close (a submission or writeback's mapping opens
 * one; a completion, a conversion that covers it or a lost completion
 * closes it). Only the correlator (analysis/correlator.c) uses this.
 */
#ifndef DIOSCOPE_CORR_WINDOW_H
#define DIOSCOPE_CORR_WINDOW_H

#include <stdbool.h>
#include <linux/types.h>
#include "analysis/correlator.h"
#include "dioscope.h"

struct open_io {
	struct corr_io io;
	__u32 inode;			/* index into inodes */
	__u32 prev, next;		/* all IOs in flight, by submission */
	__u32 iprev, inext;		/* the inode's IOs in flight */
	__u64 b0, b1;			/* its blocks, [b0, b1) */
	bool wb_mapping;		/* writeback IO not mapped yet */
};

/* The index of a file in c->inodes, HASH_NONE: not seen yet. */
__u32 corr_find_inode(struct correlator *c, __u32 dev, __u64 ino);
/* ... added when not seen yet; HASH_NONE when out of memory. */
__u32 corr_get_inode(struct correlator *c, __u32 dev, __u64 ino);
/* The slot of the IO in flight that e's work is for, or HASH_NONE. */
__u32 corr_owner(struct correlator *c, const struct ds_event *e);

/* Tell the observer of e, which is not work, and of IO s (or NONE). */
void corr_tell(struct correlator *c, const struct ds_event *e, __u32 s,
	       bool work);
/* The IO in slot s is done with: accounted for and emitted. */
int corr_close_io(struct correlator *c, __u32 s, enum corr_io_state state);
int corr_submit(struct correlator *c, const struct ds_event *e);
int corr_complete(struct correlator *c, const struct ds_event *e);
int corr_wb_map(struct correlator *c, const struct ds_event *e);
/* e, an ext4_ext_map_blocks call of writeback, mapped IO s. */
int corr_wb_mapped(struct correlator *c, const struct ds_event *e, __u32 s);
/* e, a conversion, ran for IO s. */
int corr_wb_converted(struct correlator *c, const struct ds_event *e,
		      __u32 s);

#endif
