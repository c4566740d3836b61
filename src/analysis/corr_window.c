// SPDX-License-Identifier: GPL-2.0
/* The correlator's IOs in flight (analysis/corr_window.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/corr_window.h"
#include "event/aux.h"

#define NONE HASH_NONE

/*
 * Every event looks its file up two or three times, and runs mostly go
 * to one file after another: the last answer is kept (inode indexes
 * never change, so it stays right).
 */
__u32 corr_find_inode(struct correlator *c, __u32 dev, __u64 ino)
{
	__u32 i;

	if (c->last_inode != NONE && c->last_dev == dev && c->last_ino == ino)
		return c->last_inode;
	i = hash_get(&c->by_inode, dev, ino, 0);
	if (i != NONE) {
		c->last_inode = i;
		c->last_dev = dev;
		c->last_ino = ino;
	}
	return i;
}

__u32 corr_get_inode(struct correlator *c, __u32 dev, __u64 ino)
{
	__u32 i = corr_find_inode(c, dev, ino);
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
	if (hash_put(&c->by_inode, dev, ino, 0, i))
		return NONE;
	in = &c->inodes[c->ninodes++];
	memset(in, 0, sizeof(*in));
	in->dev = dev;
	in->ino = ino;
	in->open_head = in->open_tail = NONE;
	return i;
}

/* Block range of a span of bytes; an empty span is the point at pos. */
static void byte_blocks(const struct correlator *c, __u32 dev, __u64 pos,
			__u64 len, __u64 *b0, __u64 *b1)
{
	unsigned int bits = correlator_blkbits(c, dev);
	__u64 mask = (1ULL << bits) - 1;

	*b0 = pos >> bits;
	*b1 = len ? (pos + len + mask) >> bits : *b0;
}

/* The blocks an event touches, [*b0, *b1); points have b0 == b1. */
static void event_blocks(const struct correlator *c, const struct ds_event *e,
			 __u64 *b0, __u64 *b1)
{
	switch (e->type) {
	case DS_EV_IOMAP_BEGIN:
	case DS_EV_END_IO:
	case DS_EV_CONVERT:
		byte_blocks(c, e->dev, e->pos, e->len, b0, b1);
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
	if (o->io.iocb)
		hash_del_val(&c->by_iocb, o->io.iocb, 0, 0, s);
	hash_del_val(&c->by_tid, o->io.tid, 0, 0, s);
	o->next = c->free_head;
	c->free_head = s;
}

/* The IO is done with, one way or another: account for it, hand it on. */
int corr_close_io(struct correlator *c, __u32 s, enum corr_io_state state)
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
		err = corr_close_io(c, c->head, CORR_IO_SUPERSEDED);
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

	if (ds_dio_iocb(e)) {
		s = hash_get(&c->by_iocb, ds_dio_iocb(e), 0, 0);
		if (s != NONE && (err = corr_close_io(c, s, CORR_IO_SUPERSEDED)))
			return err;
	}
	if (!(e->flags & DS_DIO_AIO)) {
		s = hash_get(&c->by_tid, e->tid, 0, 0);
		if (s != NONE && (err = corr_close_io(c, s, CORR_IO_SUPERSEDED)))
			return err;
	}
	return 0;
}

/* A new IO in flight from e: a direct IO's submission or a writeback map. */
static int open_new(struct correlator *c, const struct ds_event *e,
		    enum corr_source src, __u32 *out)
{
	__u32 inode = corr_get_inode(c, e->dev, e->ino), s;
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

int corr_submit(struct correlator *c, const struct ds_event *e)
{
	struct open_io *o;
	__u32 s;
	int err = open_new(c, e, CORR_SRC_DIO, &s);

	if (err)
		return err;
	o = &c->slot[s];
	o->io.pos = e->pos;
	o->io.len = e->len;
	o->io.iocb = ds_dio_iocb(e);
	o->io.flags = e->flags;
	byte_blocks(c, e->dev, e->pos, e->len, &o->b0, &o->b1);
	if (ds_dio_iocb(e) &&
	    hash_put(&c->by_iocb, ds_dio_iocb(e), 0, 0, s))
		return -ENOMEM;
	if (!(e->flags & DS_DIO_AIO) && hash_put(&c->by_tid, e->tid, 0, 0, s))
		return -ENOMEM;
	return 0;
}

static void set_blocks(struct correlator *c, struct open_io *o, __u64 b0,
		       __u64 n)
{
	unsigned int bits = correlator_blkbits(c, o->io.dev);

	o->b0 = b0;
	o->b1 = b0 + n;
	o->io.pos = b0 << bits;
	o->io.len = n << bits;
}

/* The task's writeback IO still being mapped on the file, if any. */
static __u32 wb_mapping(struct correlator *c, const struct ds_event *e)
{
	__u32 inode = corr_find_inode(c, e->dev, e->ino), s;

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
	return corr_close_io(c, s, CORR_IO_DONE);
}

/*
 * Writeback maps an extent of dirty pages: a writeback IO. The task's
 * previous one that no ext4_ext_map_blocks call mapped (the extent
 * status cache answered) has nothing to convert: it is done.
 */
int corr_wb_map(struct correlator *c, const struct ds_event *e)
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
int corr_wb_mapped(struct correlator *c, const struct ds_event *e, __u32 s)
{
	struct open_io *o = &c->slot[s];

	if (!o->wb_mapping || o->io.tid != e->tid)
		return 0;
	o->wb_mapping = false;
	if (e->ret <= 0 || !(ds_map_mflags(e) & DS_MAP_UNWRITTEN))
		return close_done(c, s, e->ts_ns);
	set_blocks(c, o, e->pos, e->ret);
	return 0;
}

/* A conversion ran for writeback IO s: done once it covered the IO. */
int corr_wb_converted(struct correlator *c, const struct ds_event *e,
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

	if (ds_dio_iocb(e)) {
		s = hash_get(&c->by_iocb, ds_dio_iocb(e), 0, 0);
		if (s != NONE && c->slot[s].io.ino == e->ino &&
		    c->slot[s].io.dev == e->dev)
			return s;
	}
	inode = corr_find_inode(c, e->dev, e->ino);
	if (inode == NONE)
		return NONE;
	for (s = c->inodes[inode].open_head; s != NONE; s = c->slot[s].inext) {
		const struct corr_io *io = &c->slot[s].io;

		/* with both kiocbs known, only the kiocb may pair them */
		if ((io->iocb && ds_dio_iocb(e)) || io->source != CORR_SRC_DIO)
			continue;
		if (io->pos == e->pos)
			return s;
	}
	return NONE;
}

int corr_complete(struct correlator *c, const struct ds_event *e)
{
	__u32 s = completed_io(c, e);
	struct corr_io *io;

	corr_tell(c, e, s, false);
	if (s == NONE) {
		c->tot.unmatched_completions++;
		return 0;
	}
	io = &c->slot[s].io;
	io->complete_ns = e->ts_ns;
	io->ret = e->ret;
	return corr_close_io(c, s, CORR_IO_DONE);
}

/*
 * The open IO an event belongs to: of the same file, the IO of the task
 * doing the work that the work touches (the latest, the one being
 * submitted), else that task's synchronous IO, else the earliest IO of
 * another task whose blocks the work touches (a workqueue working for it).
 */
__u32 corr_owner(struct correlator *c, const struct ds_event *e)
{
	__u32 inode = corr_find_inode(c, e->dev, e->ino), s;
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

int correlator_prune(struct correlator *c)
{
	struct hash_map fresh;
	__u32 i, n = 0, s;

	/* room for all: the puts below never grow it, so never fail */
	if (hash_init(&fresh, c->ninodes))
		return -ENOMEM;
	for (i = 0; i < c->ninodes; i++) {
		struct corr_inode *in = &c->inodes[i];

		if (in->open_head == NONE)
			continue;
		for (s = in->open_head; s != NONE; s = c->slot[s].inext)
			c->slot[s].inode = n;
		hash_put(&fresh, in->dev, in->ino, 0, n);
		c->inodes[n++] = *in;
	}
	hash_free(&c->by_inode);
	c->by_inode = fresh;
	c->ninodes = n;
	c->last_inode = NONE;
	return 0;
}
