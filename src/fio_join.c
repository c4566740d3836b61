// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "fio_join.h"

/*
 * Kernel IOs sorted by (offset, direction, length, completion): the IOs a
 * fio entry may be are one contiguous run of this order.
 */
struct key_ref {
	__u64 pos, len, done;
	__u32 io, tid;
	__u8 write;
};

static int cmp_key(const void *a, const void *b)
{
	const struct key_ref *x = a, *y = b;

	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	if (x->write != y->write)
		return x->write - y->write;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if (x->done != y->done)
		return x->done < y->done ? -1 : 1;
	return 0;
}

static size_t lower_bound(const struct key_ref *k, size_t n, __u64 pos,
			  __u8 write, __u64 len)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct key_ref *m = &k[mid];
		int less = m->pos != pos ? m->pos < pos :
			   m->write != write ? m->write < write : m->len < len;

		if (less)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool same_key(const struct key_ref *k, __u64 pos, __u8 write,
		     __u64 len)
{
	return k->pos == pos && k->write == write && k->len == len;
}

/*
 * The first not yet joined IO of this key, from the job's task when
 * tid != 0. Returns an index into keys, or -1.
 */
static long pick(const struct key_ref *keys, size_t n, const bool *used,
		 const struct fio_io *f, __u32 tid)
{
	__u8 w = f->ddir == 1;
	size_t i = lower_bound(keys, n, f->offset, w, f->bs);

	for (; i < n && same_key(&keys[i], f->offset, w, f->bs); i++) {
		if (used[i] || (tid && keys[i].tid != tid))
			continue;
		return i;
	}
	return -1;
}

/* The task that submitted most of a job's first IOs is the job's. */
static __u32 job_tid(const struct key_ref *keys, size_t n, const bool *used,
		     const struct fio_log *log, unsigned int job)
{
	__u32 best = 0, tids[64];
	unsigned int counts[64] = { 0 }, ntids = 0, best_n = 0, k;
	size_t i, seen = 0;

	for (i = 0; i < log->n && seen < 256; i++) {
		const struct fio_io *f = &log->ios[i];
		long r;

		if (f->job != job)
			continue;
		seen++;
		r = pick(keys, n, used, f, 0);
		if (r < 0)
			continue;
		for (k = 0; k < ntids && tids[k] != keys[r].tid; k++)
			;
		if (k == ntids) {
			if (ntids == 64)
				continue;
			tids[ntids++] = keys[r].tid;
		}
		if (++counts[k] > best_n) {
			best_n = counts[k];
			best = tids[k];
		}
	}
	return best;
}

int fio_join(struct fio_log *log, struct correlation *c,
	     struct join_stats *st)
{
	struct key_ref *keys;
	bool *used;
	size_t i, nk = 0;
	unsigned int j;

	memset(st, 0, sizeof(*st));
	keys = calloc(c->n ? c->n : 1, sizeof(*keys));
	used = calloc(c->n ? c->n : 1, sizeof(*used));
	if (!keys || !used) {
		free(keys);
		free(used);
		return -ENOMEM;
	}
	for (i = 0; i < c->n; i++) {
		const struct ds_io *io = &c->ios[i];

		if (!io->complete)
			continue;
		keys[nk++] = (struct key_ref){
			.pos = io->pos, .len = io->len, .done = io->complete_ns,
			.io = i, .tid = io->tid,
			.write = !!(io->flags & DS_DIO_WRITE),
		};
	}
	qsort(keys, nk, sizeof(*keys), cmp_key);
	for (j = 0; j < log->jobs; j++) {
		__u32 tid = job_tid(keys, nk, used, log, j);

		for (i = 0; i < log->n; i++) {
			struct fio_io *f = &log->ios[i];
			long r;

			if (f->job != j)
				continue;
			r = pick(keys, nk, used, f, tid);
			/* a job whose task changed (fio threads) joins by key */
			if (r < 0)
				r = pick(keys, nk, used, f, 0);
			if (r < 0)
				continue;
			used[r] = true;
			f->joined = 1;
			f->io = keys[r].io;
			c->ios[keys[r].io].fio = i;
			st->joined++;
		}
	}
	st->fio_entries = log->n;
	st->kernel_ios = c->n;
	st->kernel_unjoined = c->n - st->joined;
	st->rate = log->n ? (double)st->joined / log->n : 0;
	free(keys);
	free(used);
	return 0;
}
