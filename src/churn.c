// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include "churn.h"

int churn_note_merge(struct churn *c, __u32 dev, __u64 ino, __u64 lblk,
		     __u32 io, __u64 merge_ns, __u64 ts)
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
		.dev = dev, .io = io,
	};
	return 0;
}

static void drop(struct churn *c, size_t i)
{
	c->p[i] = c->p[--c->n];
}

bool churn_take_split(struct churn *c, __u32 dev, __u64 ino, __u64 lblk,
		      __u32 *io, __u64 *merge_ns)
{
	size_t i;

	/* pending merges are few: as many as boundaries of IOs in flight */
	for (i = 0; i < c->n; i++) {
		struct churn_pending *p = &c->p[i];

		if (p->dev != dev || p->ino != ino || p->lblk != lblk)
			continue;
		*io = p->io;
		*merge_ns = p->merge_ns;
		drop(c, i);
		return true;
	}
	return false;
}

size_t churn_forget_since(struct churn *c, __u32 io, __u64 since)
{
	size_t i = 0, n = 0;

	while (i < c->n) {
		if (c->p[i].io == io && c->p[i].ts >= since) {
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
