// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/correlator.h"
#include "analysis/corr_window.h"
#include "event/aux.h"

#define NONE HASH_NONE
#define DEFAULT_MAX_OPEN (1u << 14)
/*
 * Without a bound given, the table of open IOs starts this small and
 * grows with them: sized for DEFAULT_MAX_OPEN (768 KiB) each lookup
 * missed the cache, for a few dozen IOs open at once.
 */
#define OPEN_START 64
#define IOMAP_WRITE_FLAG (1u << 0)	/* include/linux/iomap.h */


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
	    hash_init(&c->by_op, 64) ||
	    hash_init(&c->by_iocb, max_open ? max_open : OPEN_START) ||
	    hash_init(&c->by_tid, 1024) ||
	    hash_init(&c->by_inode, c->inode_cap)) {
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
	hash_free(&c->by_iocb);
	hash_free(&c->by_tid);
	hash_free(&c->by_inode);
	hash_free(&c->by_op);
	free(c->splits);
	c->splits = NULL;
	churn_free(&c->churn);
	c->slot = NULL;
	c->inodes = NULL;
}


/*
 * Who did a merge: the fallocate operation its task is in, else the kind
 * of IO whose work it is.
 */
static enum corr_op merge_op(const struct correlator *c,
			     const struct ds_event *e, __u32 own)
{
	__u32 op = hash_get(&c->by_op, e->tid, 0, 0);

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
		      __u32 own, struct corr_event *ev)
{
	__u32 inode = corr_find_inode(c, e->dev, e->ino), s;
	__u32 need[2] = { CHURN_NO_IO, CHURN_NO_IO };
	int n = 0, err;

	ev->op = merge_op(c, e, own);
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
	if (!err) {
		churn_set_last_who(&c->churn, ev->op, e->pid, e->tid);
		churn_set_last_cpu(&c->churn, corr_cpu_ns(e), e->nested);
	}
	ev->wasted = !err;
	return err;
}

/* A churn pair's time on the CPU: its merge's and its split's. */
static void note_pair_cpu(struct correlator *c, struct corr_io *io,
			  const struct churn_pending *m,
			  const struct ds_event *split)
{
	__u64 cpu = corr_cpu_ns(split);

	if (cpu == DS_OFFCPU_UNKNOWN || m->merge_cpu_ns == DS_OFFCPU_UNKNOWN) {
		io->cpu_unknown |= 1u << DS_C_WASTED;
		c->tot.wasted_cpu_unknown++;
		return;
	}
	io->cpu_ns[DS_C_WASTED] += m->merge_cpu_ns + cpu;
	io->nested[DS_C_WASTED] += m->merge_nested + split->nested;
	c->tot.wasted_cpu_ns += m->merge_cpu_ns + cpu;
	c->tot.wasted_nested += m->merge_nested + split->nested;
}

/* A failed split (ENOSPC, ENOMEM) did not recreate the boundary. */
static void note_split(struct correlator *c, const struct ds_event *e,
		       __u32 own)
{
	struct churn_pending m;
	__u64 merge_ns;
	__u32 s;
	__u8 op;
	struct open_io *o;

	if (e->ret < 0 ||
	    !churn_take_split_merge(&c->churn, e->dev, e->ino, e->pos,
				    own == NONE ? CHURN_NO_IO : own, &s, &m))
		return;
	merge_ns = m.merge_ns;
	op = m.op;
	o = &c->slot[s];
	if (c->obs && c->obs->churn)
		c->obs->churn(c->obs->ctx, &(struct corr_churn){
			.split = e, .io = &o->io, .merge_ts = m.ts,
			.merge_ns = m.merge_ns, .merge_cpu_ns = m.merge_cpu_ns,
			.merge_pid = m.pid, .merge_tid = m.tid, .op = op,
		});
	o->io.count[DS_C_WASTED]++;
	o->io.ns[DS_C_WASTED] += merge_ns + e->dur_ns;
	note_pair_cpu(c, &o->io, &m, e);
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
static unsigned int classify_splits(struct correlator *c,
				    const struct ds_event *e, __u32 own)
{
	__u32 inode = corr_find_inode(c, e->dev, e->ino);
	unsigned int n;
	__u64 ns;

	/* the call claims its splits whether it converted or not */
	n = split_ring_take(c->splits, e, &ns);
	if (!n || !(e->flags & DS_GET_BLOCKS_CONVERT))
		return 0;
	c->tot.completion_splits += n;
	if (inode != NONE) {
		c->inodes[inode].count[DS_C_COMPLETION_SPLIT] += n;
		c->inodes[inode].ns[DS_C_COMPLETION_SPLIT] += ns;
	}
	if (own != NONE) {
		c->slot[own].io.count[DS_C_COMPLETION_SPLIT] += n;
		c->slot[own].io.ns[DS_C_COMPLETION_SPLIT] += ns;
	}
	return n;
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
	__u64 kind = ds_op_kind(e);
	__u32 op = kind <= DS_OP_OTHER && ops[kind] ? ops[kind] : CORR_OP_OTHER;

	if (e->type == DS_EV_OP_END) {
		hash_del(&c->by_op, e->tid, 0, 0);
		return 0;
	}
	hash_del(&c->by_op, e->tid, 0, 0);
	return hash_put(&c->by_op, e->tid, 0, 0, op) ? -ENOMEM : 0;
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
		c->tot.merges += ds_merge_pairs_done(e);
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

void corr_tell(struct correlator *c, const struct ds_event *e,
	       __u32 s, bool work)
{
	if (!c->obs || !c->obs->event)
		return;
	c->obs->event(c->obs->ctx, &(struct corr_event){
		.e = e, .io = s == NONE ? NULL : &c->slot[s].io, .work = work,
	});
}

static void add_components(struct corr_event *ev, struct corr_inode *in,
			   struct corr_io *io)
{
	const struct ds_event *e = ev->e;
	__u64 cpu = corr_cpu_ns(e);
	unsigned int bits, k;

	/* the components set, not all of them: an event has one or two */
	for (bits = ev->comps; bits; bits &= bits - 1) {
		k = __builtin_ctz(bits);
		in->count[k]++;
		in->ns[k] += e->dur_ns;
		if (cpu == DS_OFFCPU_UNKNOWN)
			in->cpu_unknown |= 1u << k;
		else
			in->cpu_ns[k] += cpu;
		if (!io)
			continue;
		io->count[k]++;
		io->ns[k] += e->dur_ns;
		if (cpu == DS_OFFCPU_UNKNOWN) {
			io->cpu_unknown |= 1u << k;
		} else {
			io->cpu_ns[k] += cpu;
			io->nested[k] += e->nested;
		}
	}
}

/* What e is and what it does, told to the observer before a churn pair. */
static int classify(struct correlator *c, const struct ds_event *e,
		    __u32 own, struct corr_event *ev)
{
	enum ds_component comp[3];
	int i, n, err = 0;

	if (e->type == DS_EV_MERGE && (e->flags & DS_MERGE_DONE)) {
		ev->merges = ds_merge_pairs_done(e);
		err = note_merge(c, e, own, ev);
	}
	if (e->type == DS_EV_MAP_BLOCKS)
		ev->completion_splits = classify_splits(c, e, own);
	n = components(e, comp);
	for (i = 0; i < n; i++)
		ev->comps |= 1u << comp[i];
	if (c->obs && c->obs->event)
		c->obs->event(c->obs->ctx, ev);
	return err;
}

/* Was e done by a task the recording was filtered to (or is there none)? */
static bool wanted_task(const struct correlator *c, const struct ds_event *e)
{
	const struct corr_task_filter *w = &c->want;

	if (!w->on)
		return true;
	if (w->tgid && e->pid != w->tgid)
		return false;
	return !w->comm[0] || !strncmp(w->comm, e->comm, DS_COMM_LEN);
}

/* The file of e's work, made on its first: NONE when out of memory. */
static __u32 work_inode(struct correlator *c, const struct ds_event *e)
{
	__u32 inode = corr_find_inode(c, e->dev, e->ino);

	return inode != NONE ? inode : corr_get_inode(c, e->dev, e->ino);
}

/* Another task's IO's work, which -c/-p leave out: counted, not used. */
static int set_aside(struct correlator *c, const struct ds_event *e)
{
	__u32 inode = work_inode(c, e);

	if (inode == NONE)
		return -ENOMEM;
	c->tot.unattributed++;
	c->inodes[inode].unattributed++;
	return 0;
}

static int work(struct correlator *c, const struct ds_event *e)
{
	struct corr_event ev = { .e = e, .work = true };
	struct corr_io *io;
	__u32 inode, own;
	int err;

	own = corr_owner(c, e);
	if (own == NONE && !wanted_task(c, e))
		return set_aside(c, e);
	count_totals(c, e);
	io = own == NONE ? NULL : &c->slot[own].io;
	ev.io = io;
	err = classify(c, e, own, &ev);
	/* the split may close a pair whose merge another IO's work did */
	if (e->type == DS_EV_SPLIT) {
		note_split(c, e, own);
		split_ring_add(c->splits, e);
	}
	inode = work_inode(c, e);
	if (inode == NONE)
		return -ENOMEM;
	if (!io) {
		add_components(&ev, &c->inodes[inode], NULL);
		c->tot.unattributed++;
		c->inodes[inode].unattributed++;
		return err;
	}
	/* merges inside the IO's own conversion are its completion, not waste */
	if (is_conversion(e))
		churn_forget_since(&c->churn, own, e->ts_ns - e->dur_ns);
	if (e->type == DS_EV_IOMAP_BEGIN) {
		if (io->iomap_type == 0xff && !e->ret)
			io->iomap_type = ds_iomap_type(e);
		if (e->flags & IOMAP_WRITE_FLAG)
			io->iomap_write = 1;
	}
	add_components(&ev, &c->inodes[inode], io);
	if (err)
		return err;
	/* writeback's conversion carries IO_SUBMIT too (6.18) */
	if (e->type == DS_EV_MAP_BLOCKS &&
	    (e->flags & DS_GET_BLOCKS_IO_SUBMIT) &&
	    !(e->flags & DS_GET_BLOCKS_CONVERT))
		return corr_wb_mapped(c, e, own);
	return is_conversion(e) ? corr_wb_converted(c, e, own) : 0;
}

/* A new IO opened by e is the newest in flight: the tail. */
static int opened(struct correlator *c, const struct ds_event *e, int err)
{
	if (!err)
		corr_tell(c, e, c->tail, false);
	return err;
}

int correlator_add(struct correlator *c, const struct ds_event *e)
{
	if (!c->tot.events++)
		c->tot.first_ts = e->ts_ns;
	c->tot.last_ts = e->ts_ns;
	switch (e->type) {
	case DS_EV_DIO_SUBMIT:
		return opened(c, e, corr_submit(c, e));
	case DS_EV_DIO_COMPLETE:
		return corr_complete(c, e);
	case DS_EV_WB_MAP:
		return opened(c, e, corr_wb_map(c, e));
	case DS_EV_OP_BEGIN:
	case DS_EV_OP_END:
		corr_tell(c, e, NONE, false);
		return note_op(c, e);
	default:
		return work(c, e);
	}
}

int correlator_finish(struct correlator *c)
{
	int err = 0;

	while (c->head != NONE && !err)
		err = corr_close_io(c, c->head, CORR_IO_OPEN);
	return err;
}

void correlator_want_tasks(struct correlator *c, __u32 tgid,
			   const char *comm)
{
	c->want.tgid = tgid;
	snprintf(c->want.comm, sizeof(c->want.comm), "%s", comm ? comm : "");
	c->want.on = tgid || c->want.comm[0];
}

void correlator_set_blkbits(struct correlator *c, __u32 dev,
			    unsigned int bits)
{
	unsigned int i;

	for (i = 0; i < CORR_DEVS; i++) {
		if (c->dev_bits[i].dev == dev || !c->dev_bits[i].bits)
			break;
	}
	if (i == CORR_DEVS)
		i = dev % CORR_DEVS;	/* more devices than slots: share */
	c->dev_bits[i].dev = dev;
	c->dev_bits[i].bits = bits;
}

static int dev_slot(const struct correlator *c, __u32 dev)
{
	unsigned int i;

	for (i = 0; i < CORR_DEVS && c->dev_bits[i].bits; i++) {
		if (c->dev_bits[i].dev == dev)
			return i;
	}
	return -1;
}

bool correlator_knows_dev(const struct correlator *c, __u32 dev)
{
	return dev_slot(c, dev) >= 0;
}

unsigned int correlator_blkbits(const struct correlator *c, __u32 dev)
{
	int i = dev_slot(c, dev);

	return i < 0 ? c->blkbits : c->dev_bits[i].bits;
}

int correlator_expire(struct correlator *c, __u64 before_ns)
{
	int err = 0;

	while (c->head != NONE && c->slot[c->head].io.submit_ns < before_ns &&
	       !err)
		err = corr_close_io(c, c->head, CORR_IO_SUPERSEDED);
	return err;
}
