// SPDX-License-Identifier: GPL-2.0
/*
 * A job's log and its task's kernel IOs are two lists of the same IOs in
 * nearly the same order (fio reaps async completions in batches, so they
 * may swap within a queue depth). The join walks both: each kernel IO is
 * looked for around where the last one of its job joined, a window wide
 * enough for any reordering fio does, and searched for further ahead only
 * when events were lost. So each job's log is read only as far as a
 * search reaches, and an entry a window behind the job's position is let
 * go: no search comes back to it. Memory: the windows, and the entries
 * let go unjoined.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/fio_join.h"

#define WINDOW 512		/* entries either side of a job's position */
#define SCAN_AHEAD (1u << 20)	/* past the window, after lost events */
#define RING_MIN (4 * WINDOW)	/* a window either side, with room */
#define READ_AHEAD 256		/* entries parsed at once, room allowing */

#define SLOT(jb, i) ((i) & (jb)->mask)

/* The first entry at or after i that is not joined yet (end: none read). */
static size_t find(struct join_job *jb, size_t i)
{
	/* copies: a store to next[] could be one to jb's own words */
	size_t *next = jb->next, mask = jb->mask, end = jb->end;
	size_t root = i, n;

	while (root < end && next[root & mask] != root)
		root = next[root & mask];
	/* point everything on the way straight at it */
	while (i != root) {
		n = next[i & mask];
		next[i & mask] = root;
		i = n;
	}
	return root;
}

static int grow_ring(struct join_job *jb)
{
	size_t cap = jb->ios ? 2 * (jb->mask + 1) : RING_MIN, i;
	struct fio_io *ios = malloc(cap * sizeof(*ios));
	size_t *next = malloc(cap * sizeof(*next));

	if (!ios || !next) {
		free(ios);
		free(next);
		return -ENOMEM;
	}
	for (i = jb->base; i < jb->end; i++) {
		ios[i & (cap - 1)] = jb->ios[SLOT(jb, i)];
		next[i & (cap - 1)] = jb->next[SLOT(jb, i)];
	}
	free(jb->ios);
	free(jb->next);
	jb->ios = ios;
	jb->next = next;
	jb->mask = cap - 1;
	return 0;
}

/*
 * Read the job's log on to entry i and a little past it, as far as the
 * ring has room: parsing in runs costs less than a line at a time.
 */
static int read_on(struct fio_join *j, unsigned int job, size_t i)
{
	struct join_job *jb = &j->jobs[job];
	struct fio_io io;
	int r;

	while (jb->end < i + READ_AHEAD && !jb->ended) {
		bool full = !jb->ios || jb->end - jb->base > jb->mask;

		if (full && jb->end > i)
			break;
		r = fio_log_next(j->log, job, &io);
		/* past i, a bad line is for the search that needs it */
		if (r < 0)
			return i < jb->end ? 1 : r;
		if (!r) {
			jb->ended = true;
			break;
		}
		if (full && grow_ring(jb))
			return -ENOMEM;
		io.joined = 0;
		jb->ios[SLOT(jb, jb->end)] = io;
		jb->next[SLOT(jb, jb->end)] = jb->end;
		jb->end++;
	}
	return i < jb->end;
}

/* Entry i of the job read: 1, 0 when the log ends before it, or -errno. */
static inline int have(struct fio_join *j, unsigned int job, size_t i)
{
	return i < j->jobs[job].end ? 1 : read_on(j, job, i);
}

static int keep_left(struct join_job *jb, const struct fio_io *f)
{
	size_t cap = jb->left_cap ? 2 * jb->left_cap : 256;
	struct fio_io *n;

	if (jb->nleft == jb->left_cap) {
		n = realloc(jb->left, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		jb->left = n;
		jb->left_cap = cap;
	}
	jb->left[jb->nleft++] = *f;
	return 0;
}

/* Let go of the entries before upto: no search reaches back to them. */
static int retire(struct join_job *jb, size_t upto)
{
	const struct fio_io *f;

	for (; jb->base < upto; jb->base++) {
		f = &jb->ios[SLOT(jb, jb->base)];
		if (!f->joined && keep_left(jb, f))
			return -ENOMEM;
	}
	return 0;
}

int fio_join_init(struct fio_join *j, struct fio_log *log)
{
	memset(j, 0, sizeof(*j));
	j->log = log;
	j->njobs = log->jobs;
	j->jobs = calloc(j->njobs ? j->njobs : 1, sizeof(*j->jobs));
	if (!j->jobs || hash_init(&j->tids, 64)) {
		fio_join_free(j);
		return -ENOMEM;
	}
	return 0;
}

static void free_job(struct join_job *jb)
{
	free(jb->ios);
	free(jb->next);
	free(jb->left);
	jb->ios = jb->left = NULL;
	jb->next = NULL;
	jb->nleft = jb->left_cap = 0;
	jb->base = jb->end;
}

void fio_join_free(struct fio_join *j)
{
	unsigned int k;

	for (k = 0; j->jobs && k < j->njobs; k++)
		free_job(&j->jobs[k]);
	free(j->jobs);
	hash_free(&j->tids);
	j->jobs = NULL;
}

struct key {
	__u64 pos, len;
	__u8 ddir;
};

static bool same(const struct fio_io *f, const struct key *k)
{
	return f->offset == k->pos && f->bs == k->len && f->ddir == k->ddir;
}

/*
 * The earliest entry not joined of the job in [from, to) that fits k:
 * 1 with *at, 0 if none, or -errno.
 */
static int search(struct fio_join *j, unsigned int job, const struct key *k,
		  size_t from, size_t to, size_t *at)
{
	struct join_job *jb = &j->jobs[job];
	size_t i;
	int r;

	if (from < jb->base)
		from = jb->base;
	if (from < jb->low)
		from = jb->low;
	for (i = find(jb, from); i < to; i = find(jb, i + 1)) {
		r = have(j, job, i);
		if (r <= 0)
			return r;
		if (same(&jb->ios[SLOT(jb, i)], k)) {
			*at = i;
			return 1;
		}
	}
	return 0;
}

static int near(struct fio_join *j, unsigned int job, const struct key *k,
		size_t *at)
{
	size_t pos = j->jobs[job].pos;

	return search(j, job, k, pos > WINDOW ? pos - WINDOW : 0,
		      pos + WINDOW, at);
}

static int take(struct fio_join *j, unsigned int job, size_t i)
{
	struct join_job *jb = &j->jobs[job];
	struct fio_io *f = &jb->ios[SLOT(jb, i)];
	int err;

	f->joined = 1;
	jb->next[SLOT(jb, i)] = i + 1;
	j->last = *f;
	if (i + 1 > jb->pos)
		jb->pos = i + 1;
	if (i == jb->low)
		jb->low = i + 1;
	j->st.joined++;
	err = retire(jb, jb->pos > WINDOW ? jb->pos - WINDOW : 0);
	if (jb->low < jb->base)
		jb->low = jb->base;
	return err;
}

static size_t distance(const struct join_job *jb, size_t i)
{
	return i >= jb->pos ? i - jb->pos : jb->pos - i;
}

/*
 * A task not seen yet: the job whose log has its IO nearest to where that
 * job stands, a job no other task was found to be first.
 */
static int first_of_task(struct fio_join *j, const struct key *k,
			 unsigned int *job, size_t *at)
{
	bool found = false, best_free = false;
	unsigned int jb;
	size_t i;
	int r;

	for (jb = 0; jb < j->njobs; jb++) {
		bool free_job = !j->jobs[jb].claimed;

		r = near(j, jb, k, &i);
		if (r < 0)
			return r;
		if (!r)
			continue;
		if (!found || (free_job && !best_free) ||
		    (free_job == best_free &&
		     distance(&j->jobs[jb], i) < distance(&j->jobs[*job], *at))) {
			found = true;
			*at = i;
			best_free = free_job;
			*job = jb;
		}
	}
	return found;
}

/* A known task's IO that its job's log does not have near its position. */
static int elsewhere(struct fio_join *j, const struct key *k,
		     unsigned int mine, unsigned int *job, size_t *at)
{
	size_t ahead = j->jobs[mine].pos + WINDOW;
	unsigned int o;
	int r;

	/* events were lost: the log went on without us */
	r = search(j, mine, k, ahead, ahead + SCAN_AHEAD, at);
	if (r) {
		*job = mine;
		return r;
	}
	for (o = 0; o < j->njobs; o++) {
		if (o == mine)
			continue;
		r = near(j, o, k, at);
		if (r < 0)
			return r;
		if (r) {
			*job = o;
			j->st.by_other_job++;
			return 1;
		}
	}
	return 0;
}

int fio_join_match(struct fio_join *j, __u64 pos, __u64 len, bool write,
		   __u32 tid, const struct fio_io **f)
{
	struct key k = { .pos = pos, .len = len, .ddir = write };
	__u32 known = hash_get(&j->tids, tid, 0, 0);
	unsigned int job = 0;
	size_t i = 0;
	int r;

	*f = NULL;
	j->st.kernel_ios++;
	if (known != HASH_NONE) {
		job = known;
		r = near(j, job, &k, &i);
		if (!r)
			r = elsewhere(j, &k, known, &job, &i);
	} else {
		r = first_of_task(j, &k, &job, &i);
		if (r > 0 && !j->jobs[job].claimed) {
			j->jobs[job].claimed = true;
			hash_put(&j->tids, tid, 0, 0, job);
		}
	}
	if (r < 0)
		return r;
	if (!r) {
		j->st.kernel_unjoined++;
		return 0;
	}
	r = take(j, job, i);
	if (r)
		return r;
	*f = &j->last;
	return 1;
}

static int give(fio_join_left_fn fn, void *ctx, const struct fio_io *f)
{
	return fn ? fn(ctx, f) : 0;
}

/* A job's entries not joined: those let go, the window's, the rest. */
static int finish_job(struct fio_join *j, unsigned int job,
		      fio_join_left_fn fn, void *ctx)
{
	struct join_job *jb = &j->jobs[job];
	struct fio_io io;
	size_t i;
	int r = 0;

	for (i = 0; !r && i < jb->nleft; i++)
		r = give(fn, ctx, &jb->left[i]);
	for (i = jb->base; !r && i < jb->end; i++)
		if (!jb->ios[SLOT(jb, i)].joined)
			r = give(fn, ctx, &jb->ios[SLOT(jb, i)]);
	free_job(jb);
	while (!r && (r = fio_log_next(j->log, job, &io)) > 0)
		r = give(fn, ctx, &io);
	return r;
}

int fio_join_finish(struct fio_join *j, fio_join_left_fn fn, void *ctx)
{
	unsigned int *order = malloc((j->njobs ? j->njobs : 1) *
				     sizeof(*order));
	unsigned int o;
	int err;

	if (!order)
		return -ENOMEM;
	err = fio_log_order(j->log, order);
	for (o = 0; !err && o < j->njobs; o++)
		err = finish_job(j, order[o], fn, ctx);
	free(order);
	return err;
}

void fio_join_stats(const struct fio_join *j, struct join_stats *st)
{
	*st = j->st;
	st->fio_entries = j->log ? j->log->n : 0;
	st->rate = st->fio_entries ? (double)st->joined / st->fio_entries : 0;
}
