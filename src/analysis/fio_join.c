// SPDX-License-Identifier: GPL-2.0
/*
 * A job's log and its task's kernel IOs are two lists of the same IOs in
 * nearly the same order (fio reaps async completions in batches, so they
 * may swap within a queue depth). The join walks both: each kernel IO is
 * looked for around where the last one of its job joined, a window wide
 * enough for any reordering fio does, and searched for further ahead only
 * when events were lost. Memory: one word per fio entry.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/fio_join.h"

#define WINDOW 512		/* entries either side of a job's position */
#define SCAN_AHEAD (1u << 20)	/* past the window, after lost events */

/* The first entry at or after i that is not joined yet (n: none). */
static size_t find(struct fio_join *j, size_t i)
{
	size_t root = i, next;

	while (root < j->log->n && j->next[root] != root)
		root = j->next[root];
	/* point everything on the way straight at it */
	while (i != root) {
		next = j->next[i];
		j->next[i] = root;
		i = next;
	}
	return root;
}

/*
 * Each job's entries in one run already, as one log file per job gives
 * them: the runs are the jobs' ranges, and nothing is copied (a copy of
 * 10 million entries is 320 MB more at once).
 */
static bool grouped(const struct fio_log *log, struct join_job *jobs,
		    unsigned int njobs)
{
	size_t i, start = 0;
	unsigned int k;

	for (k = 0; k < njobs; k++)
		jobs[k].end = 0;
	for (i = 0; i <= log->n; i++) {
		if (i < log->n && i > start &&
		    log->ios[i].job == log->ios[start].job)
			continue;
		if (i > start) {
			k = log->ios[start].job;
			if (k >= njobs || jobs[k].end)
				return false;	/* a job in two runs */
			jobs[k].start = jobs[k].pos = start;
			jobs[k].end = i;
		}
		start = i;
	}
	return true;
}

/* Group the entries by job, keeping each job's order (a counting sort). */
static int group_by_job(struct fio_log *log, struct join_job *jobs,
			unsigned int njobs)
{
	struct fio_io *sorted;
	size_t i, *at;
	unsigned int k;

	if (grouped(log, jobs, njobs))
		return 0;
	memset(jobs, 0, njobs * sizeof(*jobs));

	at = calloc(njobs + 1, sizeof(*at));
	sorted = malloc((log->n ? log->n : 1) * sizeof(*sorted));
	if (!at || !sorted) {
		free(at);
		free(sorted);
		return -ENOMEM;
	}
	for (i = 0; i < log->n; i++)
		at[log->ios[i].job + 1]++;
	for (k = 0; k < njobs; k++) {
		at[k + 1] += at[k];
		jobs[k].start = jobs[k].pos = at[k];
		jobs[k].end = at[k + 1];
	}
	for (i = 0; i < log->n; i++)
		sorted[at[log->ios[i].job]++] = log->ios[i];
	free(at);
	free(log->ios);
	log->ios = sorted;
	log->cap = log->n ? log->n : 1;
	return 0;
}

int fio_join_init(struct fio_join *j, struct fio_log *log)
{
	size_t i;
	int err;

	memset(j, 0, sizeof(*j));
	j->log = log;
	j->njobs = log->jobs;
	j->jobs = calloc(j->njobs ? j->njobs : 1, sizeof(*j->jobs));
	j->next = malloc((log->n + 1) * sizeof(*j->next));
	if (!j->jobs || !j->next || corr_map_init(&j->tids, 64)) {
		fio_join_free(j);
		return -ENOMEM;
	}
	err = group_by_job(log, j->jobs, j->njobs);
	if (err) {
		fio_join_free(j);
		return err;
	}
	for (i = 0; i <= log->n; i++)
		j->next[i] = i;
	for (i = 0; i < log->n; i++)
		log->ios[i].joined = 0;
	j->st.fio_entries = log->n;
	return 0;
}

void fio_join_free(struct fio_join *j)
{
	free(j->next);
	free(j->jobs);
	corr_map_free(&j->tids);
	j->next = NULL;
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

/* The earliest entry not joined of job jb in [from, to) that fits k. */
static long search(struct fio_join *j, const struct join_job *jb,
		   const struct key *k, size_t from, size_t to)
{
	size_t i;

	if (from < jb->start)
		from = jb->start;
	if (to > jb->end)
		to = jb->end;
	for (i = find(j, from); i < to; i = find(j, i + 1))
		if (same(&j->log->ios[i], k))
			return i;
	return -1;
}

static long near(struct fio_join *j, const struct join_job *jb,
		 const struct key *k)
{
	size_t from = jb->pos > WINDOW ? jb->pos - WINDOW : 0;

	return search(j, jb, k, from, jb->pos + WINDOW);
}

static void take(struct fio_join *j, unsigned int job, long i)
{
	j->log->ios[i].joined = 1;
	j->next[i] = i + 1;
	if ((size_t)i + 1 > j->jobs[job].pos)
		j->jobs[job].pos = i + 1;
	j->st.joined++;
}

static size_t distance(const struct join_job *jb, long i)
{
	return (size_t)i >= jb->pos ? (size_t)i - jb->pos : jb->pos - (size_t)i;
}

/*
 * A task not seen yet: the job whose log has its IO nearest to where that
 * job stands, a job no other task was found to be first.
 */
static long first_of_task(struct fio_join *j, const struct key *k,
			  unsigned int *job)
{
	long best = -1, i;
	bool best_free = false;
	unsigned int jb;

	for (jb = 0; jb < j->njobs; jb++) {
		bool free_job = !j->jobs[jb].claimed;

		i = near(j, &j->jobs[jb], k);
		if (i < 0)
			continue;
		if (best < 0 || (free_job && !best_free) ||
		    (free_job == best_free &&
		     distance(&j->jobs[jb], i) < distance(&j->jobs[*job], best))) {
			best = i;
			best_free = free_job;
			*job = jb;
		}
	}
	return best;
}

/* A known task's IO that its job's log does not have near its position. */
static long elsewhere(struct fio_join *j, const struct key *k,
		      unsigned int mine, unsigned int *job)
{
	const struct join_job *jb = &j->jobs[mine];
	unsigned int o;
	long i;

	/* events were lost: the log went on without us */
	i = search(j, jb, k, jb->pos + WINDOW, jb->pos + WINDOW + SCAN_AHEAD);
	if (i >= 0) {
		*job = mine;
		return i;
	}
	for (o = 0; o < j->njobs; o++) {
		if (o == mine)
			continue;
		i = near(j, &j->jobs[o], k);
		if (i >= 0) {
			*job = o;
			j->st.by_other_job++;
			return i;
		}
	}
	return -1;
}

long fio_join_match(struct fio_join *j, __u64 pos, __u64 len, bool write,
		    __u32 tid)
{
	struct key k = { .pos = pos, .len = len, .ddir = write };
	__u32 known = corr_map_get(&j->tids, tid, 0);
	unsigned int job = 0;
	long i;

	j->st.kernel_ios++;
	if (known != CORR_MAP_NONE) {
		job = known;
		i = near(j, &j->jobs[job], &k);
		if (i < 0)
			i = elsewhere(j, &k, known, &job);
	} else {
		i = first_of_task(j, &k, &job);
		if (i >= 0 && !j->jobs[job].claimed) {
			j->jobs[job].claimed = true;
			corr_map_put(&j->tids, tid, 0, job);
		}
	}
	if (i < 0) {
		j->st.kernel_unjoined++;
		return -1;
	}
	take(j, job, i);
	return i;
}

void fio_join_stats(const struct fio_join *j, struct join_stats *st)
{
	*st = j->st;
	st->rate = st->fio_entries ? (double)st->joined / st->fio_entries : 0;
}
