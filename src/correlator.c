// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "churn.h"
#include "correlator.h"

struct state {
	struct correlation *out;
	size_t cap;
	__u32 *open;		/* indices of IOs in flight */
	size_t nopen, open_cap;
	unsigned int blkbits;
	struct churn churn;
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
};

const char *component_name(enum ds_component c)
{
	return c < DS_C_MAX ? names[c] : "?";
}

static int cmp_ts(const void *a, const void *b)
{
	const struct ds_event *x = a, *y = b;

	if (x->ts_ns != y->ts_ns)
		return x->ts_ns < y->ts_ns ? -1 : 1;
	/* a window opens before what happens at the same instant */
	return (x->type != DS_EV_DIO_SUBMIT) - (y->type != DS_EV_DIO_SUBMIT);
}

static int push_open(struct state *s, __u32 io)
{
	if (s->nopen == s->open_cap) {
		size_t cap = s->open_cap ? s->open_cap * 2 : 64;
		__u32 *n = realloc(s->open, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		s->open = n;
		s->open_cap = cap;
	}
	s->open[s->nopen++] = io;
	return 0;
}

static void close_open(struct state *s, size_t slot)
{
	/* keep submission order: attribution prefers the earliest */
	memmove(&s->open[slot], &s->open[slot + 1],
		(s->nopen - slot - 1) * sizeof(*s->open));
	s->nopen--;
}

static int submit(struct state *s, const struct ds_event *e)
{
	struct correlation *c = s->out;
	struct ds_io *io;

	if (c->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4096;
		struct ds_io *n = realloc(c->ios, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		c->ios = n;
		s->cap = cap;
	}
	io = &c->ios[c->n];
	memset(io, 0, sizeof(*io));
	io->submit_ns = e->ts_ns;
	io->pos = e->pos;
	io->len = e->len;
	io->ino = e->ino;
	io->iocb = e->aux0;
	io->dev = e->dev;
	io->pid = e->pid;
	io->tid = e->tid;
	io->flags = e->flags;
	io->fio = -1;
	io->iomap_type = 0xff;
	return push_open(s, c->n++);
}

/* The open IO a completion closes: same kiocb, else same file and offset. */
static void complete(struct state *s, const struct ds_event *e)
{
	struct ds_io *ios = s->out->ios;
	size_t i;

	for (i = 0; i < s->nopen; i++) {
		struct ds_io *io = &ios[s->open[i]];

		if (io->iocb && e->aux0) {
			if (io->iocb != e->aux0)
				continue;
		} else if (io->dev != e->dev || io->ino != e->ino ||
			   io->pos != e->pos ||
			   (io->flags & DS_DIO_WRITE) != (e->flags & DS_DIO_WRITE)) {
			continue;
		}
		io->complete = true;
		io->complete_ns = e->ts_ns;
		io->ret = e->ret;
		s->out->wasted_merges += churn_forget_io(&s->churn, s->open[i]);
		close_open(s, i);
		return;
	}
	s->out->unmatched_completions++;
}

/* The blocks an event touches, [*b0, *b1); points have b0 == b1. */
static void event_blocks(const struct state *s, const struct ds_event *e,
			 __u64 *b0, __u64 *b1)
{
	__u64 mask = (1ULL << s->blkbits) - 1;

	switch (e->type) {
	case DS_EV_IOMAP_BEGIN:
	case DS_EV_END_IO:
	case DS_EV_CONVERT:
		*b0 = e->pos >> s->blkbits;
		*b1 = (e->pos + e->len + mask) >> s->blkbits;
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

static void io_blocks(const struct state *s, const struct ds_io *io,
		      __u64 *b0, __u64 *b1)
{
	__u64 mask = (1ULL << s->blkbits) - 1;

	*b0 = io->pos >> s->blkbits;
	*b1 = (io->pos + io->len + mask) >> s->blkbits;
}

/*
 * The open IO an event belongs to: same file, touching blocks (a point
 * may sit on either edge); the submitting task's IO first, else the
 * earliest submitted. -1 when none.
 */
static long owner(const struct state *s, const struct ds_event *e)
{
	__u64 b0, b1, i0, i1;
	long first = -1;
	size_t i;

	event_blocks(s, e, &b0, &b1);
	for (i = 0; i < s->nopen; i++) {
		const struct ds_io *io = &s->out->ios[s->open[i]];

		if (io->dev != e->dev || io->ino != e->ino)
			continue;
		io_blocks(s, io, &i0, &i1);
		if (b0 == b1 ? (b0 < i0 || b0 > i1) : (b1 <= i0 || b0 >= i1))
			continue;
		if (io->tid == e->tid)
			return s->open[i];
		if (first < 0)
			first = s->open[i];
	}
	return first;
}

static void add(struct ds_io *io, enum ds_component c, __u64 ns)
{
	io->c[c].count++;
	io->c[c].ns += ns;
}

/* A merge done: wasted if an IO in flight needs the boundary it removed. */
static int note_merge(struct state *s, const struct ds_event *e)
{
	__u64 i0, i1;
	size_t i;

	for (i = 0; i < s->nopen; i++) {
		const struct ds_io *io = &s->out->ios[s->open[i]];

		if (io->dev != e->dev || io->ino != e->ino)
			continue;
		io_blocks(s, io, &i0, &i1);
		if (!churn_needs(i0, i1, e->pos))
			continue;
		return churn_note_merge(&s->churn, e->dev, e->ino, e->pos,
					s->open[i], e->dur_ns, e->ts_ns);
	}
	return 0;
}

static void note_split(struct state *s, const struct ds_event *e)
{
	__u64 merge_ns;
	__u32 io;

	if (!churn_take_split(&s->churn, e->dev, e->ino, e->pos, &io,
			      &merge_ns))
		return;
	s->out->churn_pairs++;
	s->out->wasted_merges++;
	add(&s->out->ios[io], DS_C_WASTED, merge_ns + e->dur_ns);
}

static void charge(struct ds_io *io, const struct ds_event *e)
{
	switch (e->type) {
	case DS_EV_IOMAP_BEGIN:
		if (io->iomap_type == 0xff && !e->ret)
			io->iomap_type = e->aux0;
		add(io, DS_C_IOMAP_BEGIN, e->dur_ns);
		break;
	case DS_EV_MAP_BLOCKS:
		add(io, DS_C_MAP_BLOCKS, e->dur_ns);
		if (e->flags & DS_GET_BLOCKS_PRE_IO)
			add(io, DS_C_PRE_IO, e->dur_ns);
		if (e->flags & DS_GET_BLOCKS_CONVERT)
			add(io, DS_C_CONVERT_MAP, e->dur_ns);
		break;
	case DS_EV_CONVERT:
		add(io, DS_C_CONVERT, e->dur_ns);
		break;
	case DS_EV_CONVERT_INIT:
		add(io, DS_C_CONVERT_INIT, e->dur_ns);
		break;
	case DS_EV_END_IO:
		add(io, DS_C_END_IO, e->dur_ns);
		break;
	case DS_EV_SPLIT:
		add(io, DS_C_SPLIT, e->dur_ns);
		break;
	case DS_EV_MERGE:
		if (e->flags & DS_MERGE_DONE)
			add(io, DS_C_MERGE, e->dur_ns);
		break;
	case DS_EV_MERGE_CALL:
		add(io, DS_C_MERGE_CALL, e->dur_ns);
		break;
	}
}

static bool is_conversion(const struct ds_event *e)
{
	return e->type == DS_EV_CONVERT || e->type == DS_EV_END_IO ||
	       (e->type == DS_EV_MAP_BLOCKS &&
		(e->flags & DS_GET_BLOCKS_CONVERT));
}

static int work(struct state *s, const struct ds_event *e)
{
	long io;
	int err = 0;

	if (e->type == DS_EV_SPLIT)
		s->out->splits++;
	if (e->type == DS_EV_MERGE && (e->flags & DS_MERGE_DONE)) {
		s->out->merges += e->aux2 ? e->aux2 : 1;
		err = note_merge(s, e);
	}
	/* the split may close a pair whose merge another IO's work did */
	if (e->type == DS_EV_SPLIT)
		note_split(s, e);
	io = owner(s, e);
	if (io < 0) {
		s->out->unattributed++;
		return err;
	}
	/* merges inside the IO's own conversion are its completion, not waste */
	if (is_conversion(e))
		churn_forget_since(&s->churn, io, e->ts_ns - e->dur_ns);
	charge(&s->out->ios[io], e);
	return err;
}

int correlate(struct ds_event *ev, size_t n, unsigned int blkbits,
	      struct correlation *out)
{
	struct state s = { .out = out, .blkbits = blkbits };
	int err = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	/* each CPU's events arrive in order, not the CPUs among each other */
	qsort(ev, n, sizeof(*ev), cmp_ts);
	out->events = n;
	if (n) {
		out->first_ts = ev[0].ts_ns;
		out->last_ts = ev[n - 1].ts_ns;
	}
	for (i = 0; i < n && !err; i++) {
		switch (ev[i].type) {
		case DS_EV_DIO_SUBMIT:
			err = submit(&s, &ev[i]);
			break;
		case DS_EV_DIO_COMPLETE:
			complete(&s, &ev[i]);
			break;
		default:
			err = work(&s, &ev[i]);
		}
	}
	free(s.open);
	churn_free(&s.churn);
	return err;
}

void correlation_free(struct correlation *c)
{
	free(c->ios);
	memset(c, 0, sizeof(*c));
}
