// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/correlator.h"

#define NONE CORR_MAP_NONE
#define DEFAULT_MAX_OPEN (1u << 14)

struct open_io {
	struct corr_io io;
	__u32 inode;			/* index into inodes */
	__u32 prev, next;		/* all IOs in flight, by submission */
	__u32 iprev, inext;		/* the inode's IOs in flight */
	__u64 b0, b1;			/* its blocks, [b0, b1) */
	bool wb_mapping;		/* writeback IO not mapped yet */
};

static const char *const names[DS_C_MAX] = {
	[DS_C_IOMAP_BEGIN] = "iomap_begin",
	[DS_C_MAP_BLOCKS] = "map_blocks",
	[DS_C_PRE_IO] = "pre_io",
	[DS_C_CONVERT_MAP] = "convert_map",
	[DS_C_CONVERT] = "convert",
	[DS_C_CONVERT_INIT] = "convert_init",
	[DS_C_END_IO] = "end_io",
	[DS_C_SPLIT] = "split",
	[DS_C_MERGE] = "merge",
	[DS_C_MERGE_CALL] = "merge_call",
	[DS_C_WASTED] = "wasted",
	[DS_C_COMPLETION_SPLIT] = "completion_split",
};

static const enum ds_target targets[DS_C_MAX] = {
	[DS_C_IOMAP_BEGIN] = DS_T_IOMAP_BEGIN,
	[DS_C_MAP_BLOCKS] = DS_T_MAP_BLOCKS,
	[DS_C_PRE_IO] = DS_T_MAP_BLOCKS,
	[DS_C_CONVERT_MAP] = DS_T_MAP_BLOCKS,
	[DS_C_CONVERT] = DS_T_CONVERT,
	[DS_C_CONVERT_INIT] = DS_T_CONVERT_INIT,
	[DS_C_END_IO] = DS_T_END_IO,
	[DS_C_SPLIT] = DS_T_SPLIT,
	[DS_C_MERGE] = DS_T_MERGE_RIGHT,
	[DS_C_MERGE_CALL] = DS_T_MERGE,
	[DS_C_WASTED] = DS_T_MAX,
	[DS_C_COMPLETION_SPLIT] = DS_T_SPLIT,
};

static const char *const source_names[] = {
	[CORR_SRC_DIO] = "dio",
	[CORR_SRC_WRITEBACK] = "writeback",
};

static const char *const op_names[CORR_OP_MAX] = {
	[CORR_OP_NONE] = "",
	[CORR_OP_DIO] = "dio",
	[CORR_OP_WRITEBACK] = "writeback",
	[CORR_OP_FALLOCATE] = "fallocate",
	[CORR_OP_ZERO_RANGE] = "zero-range",
	[CORR_OP_OTHER] = "other",
};

const char *corr_source_name(enum corr_source src)
{
	return src <= CORR_SRC_WRITEBACK ? source_names[src] : "?";
}

const char *corr_op_name(enum corr_op op)
{
	return op < CORR_OP_MAX ? op_names[op] : "?";
}

const char *component_name(enum ds_component c)
{
	return c < DS_C_MAX ? names[c] : "?";
}

enum ds_target component_target(enum ds_component c)
{
	return c < DS_C_MAX ? targets[c] : DS_T_MAX;
}

int correlator_init(struct correlator *c, unsigned int blkbits,
		    __u32 max_open, corr_emit_fn emit, void *ctx)
{
	__u32 i;

	memset(c, 0, sizeof(*c));
	c->blkbits = blkbits;
	c->emit = emit;
	c->ctx = ctx;
	c->max_open = max_open ? max_open : DEFAULT_MAX_OPEN;
	c->head = c->tail = NONE;
	c->last_inode = NONE;
	c->slot = calloc(c->max_open, sizeof(*c->slot));
	c->inode_cap = 64;
	c->inodes = calloc(c->inode_cap, sizeof(*c->inodes));
	c->splits = calloc(1, sizeof(*c->splits));
	if (!c->slot || !c->inodes || !c->splits ||
	    corr_map_init(&c->by_op, 64) ||
	    corr_map_init(&c->by_iocb, c->max_open) ||
	    corr_map_init(&c->by_tid, 1024) ||
	    corr_map_init(&c->by_inode, c->inode_cap)) {
		correlator_free(c);
		return -ENOMEM;
	}
	for (i = 0; i < c->max_open; i++)
		c->slot[i].next = i + 1 < c->max_open ? i + 1 : NONE;
	c->free_head = 0;
	return 0;
}

void correlator_free(struct correlator *c)
{
	free(c->slot);
	free(c->inodes);
	corr_map_free(&c->by_iocb);
	corr_map_free(&c->by_tid);
	corr_map_free(&c->by_inode);
	corr_map_free(&c->by_op);
	free(c->splits);
	c->splits = NULL;
	churn_free(&c->churn);
	c->slot = NULL;
	c->inodes = NULL;
}

/*
 * Every event looks its file up two or three times, and runs mostly go
 * to one file after another: the last answer is kept (inode indexes
 * never change, so it stays right).
 */
static __u32 find_inode(struct correlator *c, __u32 dev, __u64 ino)
{
	__u32 i;

	if (c->last_inode != NONE && c->last_dev == dev && c->last_ino == ino)
		return c->last_inode;
	i = corr_map_get(&c->by_inode, dev, ino);
	if (i != NONE) {
		c->last_inode = i;
		c->last_dev = dev;
		c->last_ino = ino;
	}
	return i;
}

static __u32 get_inode(struct correlator *c, __u32 dev, __u64 ino)
{
	__u32 i = find_inode(c, dev, ino);
	struct corr_inode *in;

	if (i != NONE)
		return i;
	if (c->ninodes == c->inode_cap) {
		size_t cap = c->inode_cap * 2;
		struct corr_inode *n = realloc(c->inodes, cap * sizeof(*n));

		if (!n)
			return NONE;
		c->inodes = n;
		c->inode_cap = cap;
	}
	i = c->ninodes;
	if (corr_map_put(&c->by_inode, dev, ino, i))
		return NONE;
	in = &c->inodes[c->ninodes++];
	memset(in, 0, sizeof(*in));
	in->dev = dev;
	in->ino = ino;
	in->open_head = in->open_tail = NONE;
	return i;
}

/* Block range of a span of bytes; an empty span is the point at pos. */
static void byte_blocks(const struct correlator *c, __u64 pos, __u64 len,
			__u64 *b0, __u64 *b1)
{
	__u64 mask = (1ULL << c->blkbits) - 1;

	*b0 = pos >> c->blkbits;
	*b1 = len ? (pos + len + mask) >> c->blkbits : *b0;
}

/* The blocks an event touches, [*b0, *b1); points have b0 == b1. */
static void event_blocks(const struct correlator *c, const struct ds_event *e,
			 __u64 *b0, __u64 *b1)
{
	switch (e->type) {
	case DS_EV_IOMAP_BEGIN:
	case DS_EV_END_IO:
	case DS_EV_CONVERT:
		byte_blocks(c, e->pos, e->len, b0, b1);
		break;
	case DS_EV_SPLIT:
	case DS_EV_MERGE:
		*b0 = *b1 = e->pos;
		break;
	default:
		*b0 = e->pos;
		*b1 = e->pos + e->len;
	}
}

static bool touches(const struct open_io *o, __u64 b0, __u64 b1)
{
	if (b0 == b1)
		return b0 >= o->b0 && b0 <= o->b1;
	return b0 < o->b1 && b1 > o->b0;
}

/* Take an IO out of every list and table; its slot goes back to the pool. */
static void unlink_io(struct correlator *c, __u32 s)
{
	struct open_io *o = &c->slot[s];
	struct corr_inode *in = &c->inodes[o->inode];

	if (o->prev != NONE)
		c->slot[o->prev].next = o->next;
	else
		c->head = o->next;
	if (o->next != NONE)
		c->slot[o->next].prev = o->prev;
	else
		c->tail = o->prev;
	if (o->iprev != NONE)
		c->slot[o->iprev].inext = o->inext;
	else
		in->open_head = o->inext;
	if (o->inext != NONE)
		c->slot[o->inext].iprev = o->iprev;
	else
		in->open_tail = o->iprev;
	if (o->io.iocb && corr_map_get(&c->by_iocb, o->io.iocb, 0) == s)
		corr_map_del(&c->by_iocb, o->io.iocb, 0);
	if (corr_map_get(&c->by_tid, o->io.tid, 0) == s)
		corr_map_del(&c->by_tid, o->io.tid, 0);
	o->next = c->free_head;
	c->free_head = s;
}

/* The IO is done with, one way or another: account for it, hand it on. */
static int close_io(struct correlator *c, __u32 s, enum corr_io_state state)
{
	struct open_io *o = &c->slot[s];
	struct corr_inode *in = &c->inodes[o->inode];
	size_t unpaired;

	o->io.state = state;
	unpaired = churn_forget_io(&c->churn, s);
	c->tot.unpaired_merges += unpaired;
	in->unpaired_merges += unpaired;
	switch (state) {
	case CORR_IO_DONE: c->tot.done++; break;
	case CORR_IO_SUPERSEDED: c->tot.superseded++; break;
	case CORR_IO_OPEN: c->tot.open_at_end++; break;
	}
	if (o->io.source == CORR_SRC_WRITEBACK)
		c->tot.wb_ios++;
	in->ios++;
	/* the rest was added per event; waste is only known per IO */
	in->count[DS_C_WASTED] += o->io.count[DS_C_WASTED];
	in->ns[DS_C_WASTED] += o->io.ns[DS_C_WASTED];
	unlink_io(c, s);
	return c->emit ? c->emit(c->ctx, &o->io) : 0;
}

static int take_slot(struct correlator *c, __u32 *s)
{
	int err;

	/* a full pool means completions were lost: the oldest is the suspect */
	if (c->free_head == NONE) {
		err = close_io(c, c->head, CORR_IO_SUPERSEDED);
		if (err)
			return err;
	}
	*s = c->free_head;
	c->free_head = c->slot[*s].next;
	return 0;
}

static void link_io(struct correlator *c, __u32 s)
{
	struct open_io *o = &c->slot[s];
	struct corr_inode *in = &c->inodes[o->inode];

	o->prev = c->tail;
	o->next = NONE;
	if (c->tail != NONE)
		c->slot[c->tail].next = s;
	else
		c->head = s;
	c->tail = s;
	o->iprev = in->open_tail;
	o->inext = NONE;
	if (in->open_tail != NONE)
		c->slot[in->open_tail].inext = s;
	else
		in->open_head = s;
	in->open_tail = s;
}

/*
 * A kiocb is not reused while its IO is in flight, and a task has one
 * synchronous IO in flight at most: an IO that finds its kiocb or its
 * synchronous task still busy says the completion of the older was lost.
 */
static int retire_stale(struct correlator *c, const struct ds_event *e)
{
	__u32 s;
	int err;

	if (e->aux0) {
		s = corr_map_get(&c->by_iocb, e->aux0, 0);
		if (s != NONE && (err = close_io(c, s, CORR_IO_SUPERSEDED)))
			return err;
	}
	if (!(e->flags & DS_DIO_AIO)) {
		s = corr_map_get(&c->by_tid, e->tid, 0);
		if (s != NONE && (err = close_io(c, s, CORR_IO_SUPERSEDED)))
			return err;
	}
	return 0;
}

/* A new IO in flight from e: a direct IO's submission or a writeback map. */
static int open_new(struct correlator *c, const struct ds_event *e,
		    enum corr_source src, __u32 *out)
{
	__u32 inode = get_inode(c, e->dev, e->ino), s;
	struct open_io *o;
	int err;

	if (inode == NONE)
		return -ENOMEM;
	err = src == CORR_SRC_DIO ? retire_stale(c, e) : 0;
	if (!err)
		err = take_slot(c, &s);
	if (err)
		return err;
	o = &c->slot[s];
	memset(&o->io, 0, sizeof(o->io));
	o->io.seq = c->next_seq++;
	o->io.submit_ns = e->ts_ns;
	o->io.ino = e->ino;
	o->io.dev = e->dev;
	o->io.pid = e->pid;
	o->io.tid = e->tid;
	o->io.iomap_type = 0xff;
	o->io.source = src;
	o->inode = inode;
	o->wb_mapping = false;
	link_io(c, s);
	c->tot.ios++;
	*out = s;
	return 0;
}

static int submit(struct correlator *c, const struct ds_event *e)
{
	struct open_io *o;
	__u32 s;
	int err = open_new(c, e, CORR_SRC_DIO, &s);

	if (err)
		return err;
	o = &c->slot[s];
	o->io.pos = e->pos;
	o->io.len = e->len;
	o->io.iocb = e->aux0;
	o->io.flags = e->flags;
	byte_blocks(c, e->pos, e->len, &o->b0, &o->b1);
	if (e->aux0 && corr_map_put(&c->by_iocb, e->aux0, 0, s))
		return -ENOMEM;
	if (!(e->flags & DS_DIO_AIO) && corr_map_put(&c->by_tid, e->tid, 0, s))
		return -ENOMEM;
	return 0;
}

static void set_blocks(struct correlator *c, struct open_io *o, __u64 b0,
		       __u64 n)
{
	o->b0 = b0;
	o->b1 = b0 + n;
	o->io.pos = b0 << c->blkbits;
	o->io.len = n << c->blkbits;
}

/* The task's writeback IO still being mapped on the file, if any. */
static __u32 wb_mapping(struct correlator *c, const struct ds_event *e)
{
	__u32 inode = find_inode(c, e->dev, e->ino), s;

	if (inode == NONE)
		return NONE;
	for (s = c->inodes[inode].open_head; s != NONE; s = c->slot[s].inext)
		if (c->slot[s].wb_mapping && c->slot[s].io.tid == e->tid)
			return s;
	return NONE;
}

static int close_done(struct correlator *c, __u32 s, __u64 ts)
{
	c->slot[s].io.complete_ns = ts;
	return close_io(c, s, CORR_IO_DONE);
}

/*
 * Writeback maps an extent of dirty pages: a writeback IO. The task's
 * previous one that no ext4_ext_map_blocks call mapped (the extent
 * status cache answered) has nothing to convert: it is done.
 */
static int wb_map(struct correlator *c, const struct ds_event *e)
{
	__u32 prev = wb_mapping(c, e), s;
	struct open_io *o;
	int err;

	if (prev != NONE && (err = close_done(c, prev, e->ts_ns)))
		return err;
	err = open_new(c, e, CORR_SRC_WRITEBACK, &s);
	if (err)
		return err;
	o = &c->slot[s];
	o->io.flags = DS_DIO_WRITE;
	o->wb_mapping = true;
	set_blocks(c, o, e->pos, e->len);
	return 0;
}

/*
 * Writeback's ext4_ext_map_blocks call for the IO returned: an unwritten
 * mapping stays in flight until its conversion; anything else is done.
 */
static int wb_mapped(struct correlator *c, const struct ds_event *e, __u32 s)
{
	struct open_io *o = &c->slot[s];

	if (!o->wb_mapping || o->io.tid != e->tid)
		return 0;
	o->wb_mapping = false;
	if (e->ret <= 0 || !(e->aux0 & DS_MAP_UNWRITTEN))
		return close_done(c, s, e->ts_ns);
	set_blocks(c, o, e->pos, e->ret);
	return 0;
}

/* A conversion ran for writeback IO s: done once it covered the IO. */
static int wb_converted(struct correlator *c, const struct ds_event *e,
			__u32 s)
{
	struct open_io *o = &c->slot[s];
	__u64 b0, b1;

	if (o->io.source != CORR_SRC_WRITEBACK || o->wb_mapping)
		return 0;
	if (e->type == DS_EV_CONVERT) {
		event_blocks(c, e, &b0, &b1);
		return b1 >= o->b1 ? close_done(c, s, e->ts_ns) : 0;
	}
	/* without ext4_convert_unwritten_extents traced, its calls show it */
	if (c->convert_traced || e->type != DS_EV_MAP_BLOCKS || e->ret <= 0)
		return 0;
	return e->pos + e->ret >= o->b1 ? close_done(c, s, e->ts_ns) : 0;
}

/* The IO a completion closes: same kiocb, else same file and offset. */
static __u32 completed_io(struct correlator *c, const struct ds_event *e)
{
	__u32 inode, s;

	if (e->aux0) {
		s = corr_map_get(&c->by_iocb, e->aux0, 0);
		if (s != NONE && c->slot[s].io.ino == e->ino &&
		    c->slot[s].io.dev == e->dev)
			return s;
	}
	inode = find_inode(c, e->dev, e->ino);
	if (inode == NONE)
		return NONE;
	for (s = c->inodes[inode].open_head; s != NONE; s = c->slot[s].inext) {
		const struct corr_io *io = &c->slot[s].io;

		/* with both kiocbs known, only the kiocb may pair them */
		if ((io->iocb && e->aux0) || io->source != CORR_SRC_DIO)
			continue;
		if (io->pos == e->pos)
			return s;
	}
	return NONE;
}

static int complete(struct correlator *c, const struct ds_event *e)
{
	__u32 s = completed_io(c, e);
	struct corr_io *io;

	if (s == NONE) {
		c->tot.unmatched_completions++;
		return 0;
	}
	io = &c->slot[s].io;
	io->complete_ns = e->ts_ns;
	io->ret = e->ret;
	return close_io(c, s, CORR_IO_DONE);
}

/*
 * The open IO an event belongs to: of the same file, the IO of the task
 * doing the work that the work touches (the latest, the one being
 * submitted), else that task's synchronous IO, else the earliest IO of
 * another task whose blocks the work touches (a workqueue working for it).
 */
static __u32 owner(struct correlator *c, const struct ds_event *e)
{
	__u32 inode = find_inode(c, e->dev, e->ino), s;
	__u32 mine = NONE, other = NONE, sync = NONE;
	__u64 b0, b1;

	if (inode == NONE)
		return NONE;
	event_blocks(c, e, &b0, &b1);
	for (s = c->inodes[inode].open_head; s != NONE; s = c->slot[s].inext) {
		const struct open_io *o = &c->slot[s];
		bool hit = touches(o, b0, b1);

		if (o->io.tid == e->tid) {
			if (hit)
				mine = s;
			else if (!(o->io.flags & DS_DIO_AIO) &&
				 o->io.source == CORR_SRC_DIO)
				sync = s;
		} else if (hit && other == NONE) {
			other = s;
		}
	}
	if (mine != NONE)
		return mine;
	return sync != NONE ? sync : other;
}

/*
 * Who did a merge: the fallocate operation its task is in, else the kind
 * of IO whose work it is.
 */
static enum corr_op merge_op(const struct correlator *c,
			     const struct ds_event *e, __u32 own)
{
	__u32 op = corr_map_get(&c->by_op, e->tid, 0);

	if (op != NONE)
		return op;
	if (own == NONE)
		return CORR_OP_OTHER;
	return c->slot[own].io.source == CORR_SRC_WRITEBACK ?
	       CORR_OP_WRITEBACK : CORR_OP_DIO;
}

/*
 * A merge done: wasted when IOs in flight need the boundary it removed
 * for their pending conversion. Only unwritten extents merge with an
 * unwritten piece; a try_to_merge of written extents cannot take one
 * away. The insert-time event does not say whether its extents were
 * unwritten, so it counts; a pair still needs the split that follows.
 */
static int note_merge(struct correlator *c, const struct ds_event *e,
		      __u32 own)
{
	__u32 inode = find_inode(c, e->dev, e->ino), s;
	__u32 need[2] = { CHURN_NO_IO, CHURN_NO_IO };
	int n = 0, err;

	if (inode == NONE ||
	    !(e->flags & (DS_MERGE_LEFT_UNWRITTEN | DS_MERGE_RIGHT_UNWRITTEN |
			  DS_MERGE_INSERT)))
		return 0;
	for (s = c->inodes[inode].open_head; s != NONE && n < 2;
	     s = c->slot[s].inext)
		if (churn_needs(c->slot[s].b0, c->slot[s].b1, e->pos))
			need[n++] = s;
	if (!n)
		return 0;
	err = churn_note_merge_pair(&c->churn, e->dev, e->ino, e->pos, need[0],
				    need[1], e->dur_ns, e->ts_ns);
	if (!err)
		churn_set_last_op(&c->churn, merge_op(c, e, own));
	return err;
}

static void note_split(struct correlator *c, const struct ds_event *e,
		       __u32 own)
{
	__u64 merge_ns;
	__u32 s;
	__u8 op;
	struct open_io *o;

	if (!churn_take_split_op(&c->churn, e->dev, e->ino, e->pos,
				 own == NONE ? CHURN_NO_IO : own, &s, &merge_ns,
				 &op))
		return;
	o = &c->slot[s];
	if (c->obs && c->obs->churn)
		c->obs->churn(c->obs->ctx, e, &o->io);
	o->io.count[DS_C_WASTED]++;
	o->io.ns[DS_C_WASTED] += merge_ns + e->dur_ns;
	if (o->io.merge_op == CORR_OP_NONE)
		o->io.merge_op = op;
	c->tot.churn_pairs++;
	c->tot.wasted_ns += merge_ns + e->dur_ns;
	c->tot.churn_by_op[op < CORR_OP_MAX ? op : CORR_OP_OTHER]++;
}

/*
 * An ext4_ext_map_blocks call of task e->tid ended: the splits it made
 * are completion splits when it converted, charged to the IO the
 * conversion is for.
 */
static void classify_splits(struct correlator *c, const struct ds_event *e,
			    __u32 own)
{
	__u32 inode = find_inode(c, e->dev, e->ino);
	unsigned int n;
	__u64 ns;

	n = split_ring_take(c->splits, e, &ns);
	if (!n || !(e->flags & DS_GET_BLOCKS_CONVERT))
		return;
	c->tot.completion_splits += n;
	if (inode != NONE) {
		c->inodes[inode].count[DS_C_COMPLETION_SPLIT] += n;
		c->inodes[inode].ns[DS_C_COMPLETION_SPLIT] += ns;
	}
	if (own != NONE) {
		c->slot[own].io.count[DS_C_COMPLETION_SPLIT] += n;
		c->slot[own].io.ns[DS_C_COMPLETION_SPLIT] += ns;
	}
}

/* A task enters or leaves a fallocate operation. */
static int note_op(struct correlator *c, const struct ds_event *e)
{
	static const __u32 ops[] = {
		[DS_OP_ALLOCATE] = CORR_OP_FALLOCATE,
		[DS_OP_ZERO_RANGE] = CORR_OP_ZERO_RANGE,
		[DS_OP_PUNCH] = CORR_OP_OTHER,
		[DS_OP_OTHER] = CORR_OP_OTHER,
	};
	__u32 op = e->aux0 <= DS_OP_OTHER && ops[e->aux0] ? ops[e->aux0] :
		   CORR_OP_OTHER;

	if (e->type == DS_EV_OP_END) {
		corr_map_del(&c->by_op, e->tid, 0);
		return 0;
	}
	corr_map_del(&c->by_op, e->tid, 0);
	return corr_map_put(&c->by_op, e->tid, 0, op) ? -ENOMEM : 0;
}

/* The components an event adds to, at most three; returns how many. */
static int components(const struct ds_event *e, enum ds_component *out)
{
	int n = 0;

	switch (e->type) {
	case DS_EV_IOMAP_BEGIN:
		out[n++] = DS_C_IOMAP_BEGIN;
		break;
	case DS_EV_MAP_BLOCKS:
		out[n++] = DS_C_MAP_BLOCKS;
		if (e->flags & DS_GET_BLOCKS_PRE_IO)
			out[n++] = DS_C_PRE_IO;
		if (e->flags & DS_GET_BLOCKS_CONVERT)
			out[n++] = DS_C_CONVERT_MAP;
		break;
	case DS_EV_CONVERT:
		out[n++] = DS_C_CONVERT;
		break;
	case DS_EV_CONVERT_INIT:
		out[n++] = DS_C_CONVERT_INIT;
		break;
	case DS_EV_END_IO:
		out[n++] = DS_C_END_IO;
		break;
	case DS_EV_SPLIT:
		out[n++] = DS_C_SPLIT;
		break;
	case DS_EV_MERGE:
		if (e->flags & DS_MERGE_DONE)
			out[n++] = DS_C_MERGE;
		break;
	case DS_EV_MERGE_CALL:
		out[n++] = DS_C_MERGE_CALL;
		break;
	}
	return n;
}

static bool is_conversion(const struct ds_event *e)
{
	return e->type == DS_EV_CONVERT || e->type == DS_EV_END_IO ||
	       (e->type == DS_EV_MAP_BLOCKS &&
		(e->flags & DS_GET_BLOCKS_CONVERT));
}

static void count_totals(struct correlator *c, const struct ds_event *e)
{
	if (e->type == DS_EV_SPLIT)
		c->tot.splits++;
	if (e->type == DS_EV_MERGE && (e->flags & DS_MERGE_DONE))
		c->tot.merges += e->aux2 ? e->aux2 : 1;
	if (e->type != DS_EV_MAP_BLOCKS)
		return;
	if (e->flags & DS_GET_BLOCKS_PRE_IO)
		c->tot.pre_io++;
	if (e->flags & DS_GET_BLOCKS_CONVERT) {
		c->tot.conversions++;
		if (e->ret > 0)
			c->tot.converted_blocks += e->ret;
	}
}

static int work(struct correlator *c, const struct ds_event *e)
{
	enum ds_component comp[3];
	struct corr_inode *in;
	__u32 inode, own;
	int i, n, err = 0;

	count_totals(c, e);
	own = owner(c, e);
	if (e->type == DS_EV_MERGE && (e->flags & DS_MERGE_DONE))
		err = note_merge(c, e, own);
	if (c->obs && c->obs->work)
		c->obs->work(c->obs->ctx, e, own == NONE ? NULL : &c->slot[own].io);
	/* the split may close a pair whose merge another IO's work did */
	if (e->type == DS_EV_SPLIT) {
		note_split(c, e, own);
		split_ring_add(c->splits, e);
	}
	if (e->type == DS_EV_MAP_BLOCKS)
		classify_splits(c, e, own);
	n = components(e, comp);
	inode = find_inode(c, e->dev, e->ino);
	if (inode == NONE)
		inode = get_inode(c, e->dev, e->ino);
	if (inode == NONE)
		return -ENOMEM;
	in = &c->inodes[inode];
	for (i = 0; i < n; i++) {
		in->count[comp[i]]++;
		in->ns[comp[i]] += e->dur_ns;
	}
	if (own == NONE) {
		c->tot.unattributed++;
		in->unattributed++;
		return err;
	}
	/* merges inside the IO's own conversion are its completion, not waste */
	if (is_conversion(e))
		churn_forget_since(&c->churn, own, e->ts_ns - e->dur_ns);
	if (e->type == DS_EV_IOMAP_BEGIN && c->slot[own].io.iomap_type == 0xff &&
	    !e->ret)
		c->slot[own].io.iomap_type = e->aux0;
	for (i = 0; i < n; i++) {
		c->slot[own].io.count[comp[i]]++;
		c->slot[own].io.ns[comp[i]] += e->dur_ns;
	}
	if (err)
		return err;
	/* writeback's conversion carries IO_SUBMIT too (6.18) */
	if (e->type == DS_EV_MAP_BLOCKS &&
	    (e->flags & DS_GET_BLOCKS_IO_SUBMIT) &&
	    !(e->flags & DS_GET_BLOCKS_CONVERT))
		return wb_mapped(c, e, own);
	return is_conversion(e) ? wb_converted(c, e, own) : 0;
}

int correlator_add(struct correlator *c, const struct ds_event *e)
{
	if (!c->tot.events++)
		c->tot.first_ts = e->ts_ns;
	c->tot.last_ts = e->ts_ns;
	switch (e->type) {
	case DS_EV_DIO_SUBMIT:
		return submit(c, e);
	case DS_EV_DIO_COMPLETE:
		return complete(c, e);
	case DS_EV_WB_MAP:
		return wb_map(c, e);
	case DS_EV_OP_BEGIN:
	case DS_EV_OP_END:
		return note_op(c, e);
	default:
		return work(c, e);
	}
}

int correlator_finish(struct correlator *c)
{
	int err = 0;

	while (c->head != NONE && !err)
		err = close_io(c, c->head, CORR_IO_OPEN);
	return err;
}
