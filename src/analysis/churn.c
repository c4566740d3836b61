// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include "analysis/churn.h"

int churn_note_merge_pair(struct churn *c, __u32 dev, __u64 ino, __u64 lblk,
			  __u32 io0, __u32 io1, __u64 merge_ns, __u64 ts)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct churn_pending *p = realloc(c->p, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		c->p = p;
		c->cap = cap;
	}
	c->p[c->n++] = (struct churn_pending){
		.ino = ino, .lblk = lblk, .merge_ns = merge_ns, .ts = ts,
		.dev = dev, .io = { io0, io1 }, .merge_cpu_ns = DS_OFFCPU_UNKNOWN,
	};
	return 0;
}

int churn_note_merge(struct churn *c, __u32 dev, __u64 ino, __u64 lblk,
		     __u32 io, __u64 merge_ns, __u64 ts)
{
	return churn_note_merge_pair(c, dev, ino, lblk, io, CHURN_NO_IO,
				     merge_ns, ts);
}

static void drop(struct churn *c, size_t i)
{
	c->p[i] = c->p[--c->n];
}

bool churn_take_split_merge(struct churn *c, __u32 dev, __u64 ino,
			    __u64 lblk, __u32 owner, __u32 *io,
			    struct churn_pending *merge)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		struct churn_pending *p = &c->p[i];

		if (p->dev != dev || p->ino != ino || p->lblk != lblk)
			continue;
		*io = owner != CHURN_NO_IO && p->io[1] == owner ? owner : p->io[0];
		*merge = *p;
		drop(c, i);
		return true;
	}
	return false;
}

bool churn_take_split_for(struct churn *c, __u32 dev, __u64 ino, __u64 lblk,
			  __u32 owner, __u32 *io, __u64 *merge_ns)
{
	struct churn_pending p;

	if (!churn_take_split_merge(c, dev, ino, lblk, owner, io, &p))
		return false;
	*merge_ns = p.merge_ns;
	return true;
}

void churn_set_last_who(struct churn *c, __u8 op, __u32 pid, __u32 tid)
{
	if (!c->n)
		return;
	c->p[c->n - 1].op = op;
	c->p[c->n - 1].pid = pid;
	c->p[c->n - 1].tid = tid;
}

void churn_set_last_cpu(struct churn *c, __u64 cpu_ns, __u32 nested)
{
	if (!c->n)
		return;
	c->p[c->n - 1].merge_cpu_ns = cpu_ns;
	c->p[c->n - 1].merge_nested = nested;
}

bool churn_take_split(struct churn *c, __u32 dev, __u64 ino, __u64 lblk,
		      __u32 *io, __u64 *merge_ns)
{
	return churn_take_split_for(c, dev, ino, lblk, CHURN_NO_IO, io,
				    merge_ns);
}

/* Take io off the needers of p; true when nobody needs p any more. */
static bool unneed(struct churn_pending *p, __u32 io)
{
	if (p->io[1] == io)
		p->io[1] = CHURN_NO_IO;
	if (p->io[0] == io) {
		p->io[0] = p->io[1];
		p->io[1] = CHURN_NO_IO;
	}
	return p->io[0] == CHURN_NO_IO;
}

size_t churn_forget_since(struct churn *c, __u32 io, __u64 since)
{
	size_t i = 0, n = 0;

	while (i < c->n) {
		struct churn_pending *p = &c->p[i];

		if (p->ts >= since && (p->io[0] == io || p->io[1] == io) &&
		    unneed(p, io)) {
			drop(c, i);
			n++;
		} else {
			i++;
		}
	}
	return n;
}

size_t churn_forget_io(struct churn *c, __u32 io)
{
	return churn_forget_since(c, io, 0);
}

void churn_free(struct churn *c)
{
	free(c->p);
	c->p = NULL;
	c->n = c->cap = 0;
}
