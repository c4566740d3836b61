/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Churn pairs. A boundary is (inode, logical block) where one extent ends
 * and the next begins; a split creates one, a merge removes one. A merge
 * that removes a boundary an in-flight direct IO still needs (its block
 * range starts or ends there) is a wasted merge; the split that later
 * recreates that boundary while the IO is still in flight is the wasted
 * split; the two are one churn pair, and their summed time is charged to
 * the IO that needed the boundary.
 *
 * This unit only keeps the wasted merges that wait for their split. It
 * holds as many as there are boundaries of IOs in flight, a handful, so
 * it is a plain array; IOs are the correlator's slot numbers.
 */
#ifndef DIOSCOPE_CHURN_H
#define DIOSCOPE_CHURN_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "dioscope.h"

#define CHURN_NO_IO 0xffffffffu

/* A wasted merge waiting for the split that will redo it. */
struct churn_pending {
	__u64 ino, lblk, merge_ns, ts;
	__u32 dev;
	__u32 io[2];		/* the IOs needing the boundary, or CHURN_NO_IO */
	__u32 pid, tid;		/* the task that merged */
	__u8 op;		/* who merged (the correlator's enum corr_op) */
	/* the merge's on-CPU ns (DS_OFFCPU_UNKNOWN: unknown), nested calls */
	__u64 merge_cpu_ns;
	__u32 merge_nested;
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

/*
 * A merge at ts removed (dev, ino, lblk), a boundary that IO io0 (and io1,
 * unless CHURN_NO_IO: one IO may end where the next begins) needs.
 * 0 or -ENOMEM.
 */
int churn_note_merge_pair(struct churn *c, __u32 dev, __u64 ino, __u64 lblk,
			  __u32 io0, __u32 io1, __u64 merge_ns, __u64 ts);
/* The same for a boundary one IO needs. */
int churn_note_merge(struct churn *c, __u32 dev, __u64 ino, __u64 lblk,
		     __u32 io, __u64 merge_ns, __u64 ts);
/*
 * A split recreated (dev, ino, lblk). If a wasted merge removed that
 * boundary, the pair is complete: true, with the IO it is charged to
 * (`owner`, the IO the split is done for, when it is one of those that
 * needed the boundary, else the first of them) and the merge's time.
 */
bool churn_take_split_for(struct churn *c, __u32 dev, __u64 ino, __u64 lblk,
			  __u32 owner, __u32 *io, __u64 *merge_ns);
/* The same, giving the whole merge noted (its time, task and op). */
bool churn_take_split_merge(struct churn *c, __u32 dev, __u64 ino,
			    __u64 lblk, __u32 owner, __u32 *io,
			    struct churn_pending *merge);
/* Who did the merge noted last: its op and task. */
void churn_set_last_who(struct churn *c, __u8 op, __u32 pid, __u32 tid);
/* The on-CPU time of the merge noted last, and its nested traced calls. */
void churn_set_last_cpu(struct churn *c, __u64 cpu_ns, __u32 nested);
/* The same when the split's own IO is not known. */
bool churn_take_split(struct churn *c, __u32 dev, __u64 ino, __u64 lblk,
		      __u32 *io, __u64 *merge_ns);
/*
 * IO io's own conversion ran from `since` on: merges at its boundaries in
 * that time are the IO finishing, not waste; it no longer needs them.
 * Returns how many pending merges nobody needs any more (dropped).
 */
size_t churn_forget_since(struct churn *c, __u32 io, __u64 since);
/*
 * IO io completed: it needs no boundary any more. Returns how many wasted
 * merges were left without their split (dropped, counted by the caller).
 */
size_t churn_forget_io(struct churn *c, __u32 io);
void churn_free(struct churn *c);

#endif
