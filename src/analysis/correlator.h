/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The correlator: kernel events in, in time order, one record per direct
 * IO out, as soon as the IO completes, with the time each part of the
 * kernel took for it and the wasted merge/split work charged to it.
 *
 * An IO is the window from its submission (DS_EV_DIO_SUBMIT) to its
 * completion (DS_EV_DIO_COMPLETE), paired by the kiocb address when both
 * carry one, else by device, inode and offset, first in first out.
 * A writeback IO is one extent writeback maps (DS_EV_WB_MAP): when the
 * mapping leaves it unwritten (dioread_nolock), its window lasts until
 * its conversion covers it at completion, as a direct write's does; else
 * it ends with the mapping.
 * Work in a window is the IO's: work of the submitting task on the IO's
 * file (synchronous work), else work of another task on the IO's blocks
 * (work done in workqueues, such as the end_io conversion of async IO),
 * the earliest submitted IO first.
 *
 * Nothing is kept per event and nothing per finished IO: memory follows
 * the IOs in flight and the files touched, not the length of the run.
 *
 * It is the one interpreter of the events: report's per-IO rows (the
 * emitted IOs), top's per-inode counts and the Perfetto trace (the
 * observer's classified events and churn pairs) all come from it, so
 * that a merge, a split or an IO means the same in each.
 */
#ifndef DIOSCOPE_CORRELATOR_H
#define DIOSCOPE_CORRELATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "analysis/churn.h"
#include "util/hash.h"
#include "analysis/split_ring.h"
#include "dioscope.h"

/* What an IO's window holds, by component. */
enum ds_component {
	DS_C_IOMAP_BEGIN,
	DS_C_MAP_BLOCKS,	/* every ext4_ext_map_blocks call */
	DS_C_PRE_IO,		/* ... of them with PRE_IO: the split before IO */
	DS_C_CONVERT_MAP,	/* ... of them with CONVERT: the conversion */
	DS_C_CONVERT,		/* ext4_convert_unwritten_extents */
	DS_C_CONVERT_INIT,
	DS_C_END_IO,
	DS_C_SPLIT,
	DS_C_MERGE,		/* merges done */
	DS_C_MERGE_CALL,
	DS_C_WASTED,		/* churn pairs charged to this IO */
	DS_C_COMPLETION_SPLIT,	/* splits inside its conversion */
	DS_C_MAX,
};

/* Where an IO comes from. */
enum corr_source {
	CORR_SRC_DIO,
	CORR_SRC_WRITEBACK,
};

/* Which operation did a merge. */
enum corr_op {
	CORR_OP_NONE,
	CORR_OP_DIO,		/* a direct write: its allocation or completion */
	CORR_OP_WRITEBACK,	/* writeback: its allocation or conversion */
	CORR_OP_FALLOCATE,
	CORR_OP_ZERO_RANGE,
	CORR_OP_OTHER,		/* punch, collapse, anything else */
	CORR_OP_MAX,
};

enum corr_io_state {
	CORR_IO_DONE,		/* its completion was seen */
	CORR_IO_SUPERSEDED,	/* its kiocb or its task went on to another IO:
				 * the completion was lost */
	CORR_IO_OPEN,		/* still in flight when the events ended */
};

struct corr_io {
	__u64 seq;			/* order of submission, from 0 */
	__u64 submit_ns, complete_ns;	/* ktime; complete_ns 0 unless done */
	__u64 pos, len;			/* bytes */
	__u64 ino, iocb;
	__s64 ret;
	__u32 dev, pid, tid;
	__u32 flags;			/* DS_DIO_* */
	__u8 iomap_type;		/* of its first mapping; 0xff: none */
	__u8 state;			/* enum corr_io_state */
	__u8 source;			/* enum corr_source */
	__u8 merge_op;			/* of its first churn pair, corr_op */
	__u8 iomap_write;		/* ext4_iomap_begin mapped it to write:
					 * a write, whatever its submission said */
	__u32 count[DS_C_MAX];
	__u64 ns[DS_C_MAX];
	/*
	 * Of ns, the time its tasks were on the CPU (corr_cpu_ns), with
	 * the traced calls nested in them, whose programs it holds; a
	 * component's bit in cpu_unknown: a call of it was not measured.
	 */
	__u64 cpu_ns[DS_C_MAX];
	__u32 nested[DS_C_MAX];
	__u32 cpu_unknown;
};

/* All the work seen on one file, in IO windows or not. */
struct corr_inode {
	__u64 ino;
	__u32 dev;
	__u32 open_head, open_tail;	/* its IOs in flight, oldest first */
	__u64 ios, unpaired_merges, unattributed;
	__u64 count[DS_C_MAX], ns[DS_C_MAX];
	__u64 cpu_ns[DS_C_MAX];		/* as struct corr_io's */
	__u32 cpu_unknown;
};

struct corr_totals {
	__u64 events, ios;
	__u64 done, superseded, open_at_end;
	__u64 unmatched_completions;	/* completions of IOs not seen submitted */
	__u64 unattributed;		/* work in no open IO's window */
	__u64 splits, merges, pre_io, conversions;
	__u64 churn_pairs, wasted_ns;
	/* of wasted_ns: on the CPU, the traced calls nested in it, and the
	 * churn pairs of which a call was not measured */
	__u64 wasted_cpu_ns, wasted_nested, wasted_cpu_unknown;
	__u64 completion_splits;	/* splits inside a conversion */
	__u64 wb_ios;			/* of ios, writeback IOs */
	__u64 churn_by_op[CORR_OP_MAX];	/* churn pairs by who merged */
	__u64 unpaired_merges;		/* needed boundary merged, never re-split */
	__u64 converted_blocks;		/* mapped by CONVERT calls */
	__u64 first_ts, last_ts;
};

/*
 * The part of a timed call's wall time its task was on the CPU:
 * DS_OFFCPU_UNKNOWN when its time off the CPU was not measured. It holds
 * the run time of the tracer's programs on the calls nested in it
 * (e->nested of them).
 */
static inline __u64 corr_cpu_ns(const struct ds_event *e)
{
	if (e->offcpu_ns == DS_OFFCPU_UNKNOWN)
		return DS_OFFCPU_UNKNOWN;
	/* both clocks are the same ktime: only a torn record says more */
	return e->offcpu_ns < e->dur_ns ? e->dur_ns - e->offcpu_ns : 0;
}

/*
 * An IO's own kernel work on the CPU: the calls that hold the rest of it,
 * ext4_iomap_begin at submission (the mapping, an allocation or PRE_IO
 * split, merges at insertion) and the end_io at completion (the
 * conversion, its splits and merges), or the conversion alone where no
 * end_io holds it (writeback). *nested: the traced calls nested in them,
 * whose programs that time holds. False when a call of them was timed
 * without its time off the CPU.
 */
static inline bool corr_io_work(const struct corr_io *io, __u64 *cpu,
				__u32 *nested)
{
	enum ds_component done = io->count[DS_C_END_IO] ? DS_C_END_IO :
						       DS_C_CONVERT;

	*cpu = io->cpu_ns[DS_C_IOMAP_BEGIN] + io->cpu_ns[done];
	*nested = io->nested[DS_C_IOMAP_BEGIN] + io->nested[done];
	return !(io->cpu_unknown & (1u << DS_C_IOMAP_BEGIN | 1u << done));
}

/* Called once per IO, when it is done with; non-zero stops the run. */
typedef int (*corr_emit_fn)(void *ctx, const struct corr_io *io);

/* One event as the correlator classified it. */
struct corr_event {
	const struct ds_event *e;
	/* the IO submitted, completed or mapped, or the one its work is
	 * charged to; NULL: none */
	const struct corr_io *io;
	__u32 comps;			/* 1 << each enum ds_component it adds to */
	__u32 merges;			/* merge pairs it did */
	__u32 completion_splits;	/* splits it showed to be a conversion's */
	bool work;			/* not a submission, completion,
					 * writeback mapping or operation */
	bool wasted;			/* a merge IOs in flight needed undone */
	__u8 op;			/* a merge's: who merged, corr_op */
};

/* A churn pair, complete as its split recreates the boundary. */
struct corr_churn {
	const struct ds_event *split;
	const struct corr_io *io;	/* the IO it is charged to */
	__u64 merge_ts, merge_ns;	/* the merge's end and length */
	__u64 merge_cpu_ns;		/* on the CPU, or DS_OFFCPU_UNKNOWN */
	__u32 merge_pid, merge_tid;
	__u8 op;			/* who merged, corr_op */
};

/*
 * Who looks on as the correlator decides: every event, classified, with
 * its IO, and each churn pair as its split closes it (after that split's
 * event). Either may be NULL.
 */
struct corr_observer {
	void (*event)(void *ctx, const struct corr_event *ev);
	void (*churn)(void *ctx, const struct corr_churn *pair);
	void *ctx;
};

struct open_io;

#define CORR_DEVS 16

struct correlator {
	unsigned int blkbits;		/* of devices not set apart */
	struct { __u32 dev; __u8 bits; } dev_bits[CORR_DEVS];
	corr_emit_fn emit;
	void *ctx;
	struct open_io *slot;		/* pool of IOs in flight */
	__u32 max_open, free_head;
	__u32 head, tail;		/* IOs in flight, oldest first */
	struct hash_map by_iocb, by_tid, by_inode;
	struct corr_inode *inodes;
	size_t ninodes, inode_cap;
	__u64 last_ino;			/* the file looked up last */
	__u32 last_dev, last_inode;
	struct churn churn;
	struct hash_map by_op;		/* tid -> its fallocate op + 1 */
	struct split_ring *splits;	/* splits not yet known to be in a
					 * conversion */
	bool convert_traced;		/* DS_EV_CONVERT ends writeback IOs */
	/*
	 * Recorded with -c/-p: the tasks whose IOs were kept. Work that is
	 * in none of the IOs kept and was not done by such a task belongs to
	 * another's IO (its conversion in a workqueue, its allocation's
	 * merges) and is set aside, counted only as unattributed.
	 */
	struct corr_task_filter {
		bool on;
		__u32 tgid;		/* 0: any */
		char comm[DS_COMM_LEN];	/* "": any */
	} want;
	__u64 next_seq;
	struct corr_totals tot;
	const struct corr_observer *obs;	/* NULL: nobody */
};

/*
 * blkbits: the filesystem's block size as a shift (12 for 4 KiB);
 * max_open: IOs in flight at most (0: a default far above any queue
 * depth); past it the oldest is taken as lost. 0 or -ENOMEM.
 */
int correlator_init(struct correlator *c, unsigned int blkbits,
		    __u32 max_open, corr_emit_fn emit, void *ctx);
/* One event; events must come in time order. 0 or what emit returned. */
int correlator_add(struct correlator *c, const struct ds_event *e);
/* The events ended: IOs still in flight are emitted as CORR_IO_OPEN. */
int correlator_finish(struct correlator *c);
/*
 * The tasks a recording was filtered to (-p tgid, -c comm; 0 and ""
 * or NULL: any): work of no IO kept and by none of them is set aside.
 */
void correlator_want_tasks(struct correlator *c, __u32 tgid,
			   const char *comm);
/* The block size of one device, when it is not the default's. */
void correlator_set_blkbits(struct correlator *c, __u32 dev,
			    unsigned int bits);
/* Was a block size set for dev? */
bool correlator_knows_dev(const struct correlator *c, __u32 dev);
unsigned int correlator_blkbits(const struct correlator *c, __u32 dev);
/*
 * IOs submitted before before_ns are taken as lost (CORR_IO_SUPERSEDED):
 * one that failed before it could complete must not hold its boundaries
 * for ever. 0 or what emit returned.
 */
int correlator_expire(struct correlator *c, __u64 before_ns);
/*
 * Forget the files without an IO in flight (their per-file counts), for
 * a consumer that runs for ever and does not read them. 0 or -ENOMEM.
 */
int correlator_prune(struct correlator *c);
void correlator_free(struct correlator *c);
const char *component_name(enum ds_component c);
const char *corr_source_name(enum corr_source s);
/* "dio", "writeback", "fallocate", "zero-range", "other", "" for none */
const char *corr_op_name(enum corr_op op);
/* The target whose events make a component (DS_T_MAX: several). */
enum ds_target component_target(enum ds_component c);

#endif
