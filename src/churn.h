/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Churn pairs. A boundary is (inode, logical block) where one extent ends
 * and the next begins; a split creates one, a merge removes one. A merge
 * that removes a boundary an in-flight direct IO still needs (its range
 * starts or ends there) is a wasted merge; the split that later recreates
 * that boundary is the wasted split; the two are one churn pair, whose
 * summed time is charged to the IO that needed the boundary.
 */
#ifndef DIOSCOPE_CHURN_H
#define DIOSCOPE_CHURN_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct churn_pending {
	__u64 ino, lblk, merge_ns, ts;
	__u32 dev, io;
};

struct churn {
	struct churn_pending *p;
	size_t n, cap;
};

/* Does an IO over blocks [b0, b1) need a boundary at lblk? */
static inline bool churn_needs(__u64 b0, __u64 b1, __u64 lblk)
{
	return lblk == b0 || lblk == b1;
}

/* A merge at ts removed a boundary IO `io` needs. 0 or -ENOMEM. */
int churn_note_merge(struct churn *c, __u32 dev, __u64 ino, __u64 lblk,
		     __u32 io, __u64 merge_ns, __u64 ts);
/*
 * A split recreated (dev, ino, lblk): if a wasted merge removed it, take
 * it back; true with the IO and the merge's time.
 */
bool churn_take_split(struct churn *c, __u32 dev, __u64 ino, __u64 lblk,
		      __u32 *io, __u64 *merge_ns);
/*
 * The IO's own conversion ran from `since` on: merges in it are the IO
 * finishing, not waste. Returns how many were dropped.
 */
size_t churn_forget_since(struct churn *c, __u32 io, __u64 since);
/*
 * The IO completed: merges still waiting for its split were wasted but
 * never paired. Returns how many.
 */
size_t churn_forget_io(struct churn *c, __u32 io);
void churn_free(struct churn *c);

#endif
