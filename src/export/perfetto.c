// SPDX-License-Identifier: GPL-2.0
/* Collecting a run for its Perfetto trace; perfetto_write.c writes it. */
#include <limits.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "export/perfetto_int.h"
#include "util/atomic_file.h"
#include "util/path.h"

struct pf_item *pf_add(struct perfetto *pf, enum pf_kind kind)
{
	struct pf_item *it;

	if (pf->n == pf->cap) {
		size_t cap = pf->cap ? pf->cap * 2 : 4096;
		struct pf_item *p = realloc(pf->it, cap * sizeof(*p));

		if (!p) {
			pf->err = -ENOMEM;
			return NULL;
		}
		pf->it = p;
		pf->cap = cap;
	}
	it = &pf->it[pf->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	return it;
}

static void fill_call(struct pf_item *it, const struct ds_event *e,
		      const struct corr_io *io)
{
	it->begin = e->ts_ns - e->dur_ns;
	it->end = e->ts_ns;
	it->pos = e->pos;
	it->len = e->len;
	it->ino = e->ino;
	it->pid = e->pid;
	it->tid = e->tid;
	it->dev = e->dev;
	it->flags = e->flags;
	it->ret = e->ret;
	it->type = e->type;
	it->target = e->target;
	it->io = io ? io->seq + 1 : 0;
	it->cpu_ns = e->dur_ns ? corr_cpu_ns(e) : DS_OFFCPU_UNKNOWN;
	it->nested = e->nested;
}

static bool is_point(const struct ds_event *e)
{
	return e->type == DS_EV_SPLIT ||
	       (e->type == DS_EV_MERGE && (e->flags & DS_MERGE_DONE));
}

/*
 * IOs whose windows overlap on their task: async DIO, and writeback,
 * whose IOs a flusher submits by the batch and others complete.
 */
static bool overlapping(const struct corr_io *io)
{
	return (io->flags & DS_DIO_AIO) || io->source == CORR_SRC_WRITEBACK;
}

static void on_event(void *ctx, const struct corr_event *ev)
{
	const struct ds_event *e = ev->e;
	const struct corr_io *io = ev->io;
	struct perfetto *pf = ctx;
	struct pf_item *it;

	/* IOs are drawn whole when they close (perfetto_io) */
	if (!ev->work)
		return;
	it = pf_add(pf, PF_CALL);
	if (!it)
		return;
	fill_call(it, e, io);
	/* async IOs overlap on their task: their work nests in the IO itself */
	if (io && overlapping(io) && e->dur_ns) {
		it = pf_add(pf, PF_CHILD);
		if (!it)
			return;
		fill_call(it, e, io);
		it->id = io->seq;
		it->pid = io->pid;
		it->tid = io->tid;
	}
	if (!is_point(e))
		return;
	it = pf_add(pf, PF_POINT);
	if (!it)
		return;
	fill_call(it, e, io);
	it->end = it->begin;
}

/* A churn pair closed by this split: an arrow from its merge to it. */
static void on_churn(void *ctx, const struct corr_churn *pair)
{
	const struct ds_event *split = pair->split;
	struct perfetto *pf = ctx;
	struct pf_item *s, *f;

	s = pf_add(pf, PF_FLOW_S);
	f = s ? pf_add(pf, PF_FLOW_F) : NULL;
	if (!f)
		return;
	s->begin = s->end = pair->merge_ts - pair->merge_ns;
	s->pid = pair->merge_pid;
	s->tid = pair->merge_tid;
	f->begin = f->end = split->ts_ns - split->dur_ns;
	f->pid = split->pid;
	f->tid = split->tid;
	s->id = f->id = pf->flows++;
	s->ino = f->ino = split->ino;
	s->pos = f->pos = split->pos;
	s->io = f->io = pair->io->seq + 1;
}

struct perfetto *perfetto_open(const char *path, const char *label)
{
	struct perfetto *pf = calloc(1, sizeof(*pf));

	if (!pf)
		return NULL;
	if (path_fmt(pf->path, sizeof(pf->path), "%s", path)) {
		free(pf);
		errno = ENAMETOOLONG;
		return NULL;
	}
	snprintf(pf->label, sizeof(pf->label), "%s", label ? label : "");
	pf->obs = (struct corr_observer){
		.event = on_event, .churn = on_churn, .ctx = pf,
	};
	return pf;
}

const struct corr_observer *perfetto_observer(struct perfetto *pf)
{
	return &pf->obs;
}

static struct pf_task *find_task(struct perfetto *pf, __u32 pid, __u32 tid)
{
	size_t i;

	if (pf->last_task < pf->ntask && pf->task[pf->last_task].tid == tid &&
	    pf->task[pf->last_task].pid == pid)
		return &pf->task[pf->last_task];
	for (i = 0; i < pf->ntask; i++)
		if (pf->task[i].tid == tid && pf->task[i].pid == pid) {
			pf->last_task = i;
			return &pf->task[i];
		}
	return NULL;
}

int perfetto_event(struct perfetto *pf, const struct ds_event *e)
{
	struct pf_task *t;

	pf->last_ts = e->ts_ns > pf->last_ts ? e->ts_ns : pf->last_ts;
	if (find_task(pf, e->pid, e->tid))
		return pf->err;
	if (pf->ntask == pf->task_cap) {
		size_t cap = pf->task_cap ? pf->task_cap * 2 : 64;
		struct pf_task *p = realloc(pf->task, cap * sizeof(*p));

		if (!p)
			return pf->err = -ENOMEM;
		pf->task = p;
		pf->task_cap = cap;
	}
	t = &pf->task[pf->ntask++];
	t->pid = e->pid;
	t->tid = e->tid;
	snprintf(t->comm, sizeof(t->comm), "%.*s", DS_COMM_LEN, e->comm);
	return pf->err;
}

int perfetto_io(struct perfetto *pf, const struct corr_io *io)
{
	struct pf_item *it = pf_add(pf, PF_IO);

	if (!it)
		return pf->err;
	it->begin = io->submit_ns;
	/* lost or still open: it lasted at least until now */
	it->end = io->state == CORR_IO_DONE ? io->complete_ns :
		  (pf->last_ts > io->submit_ns ? pf->last_ts : io->submit_ns);
	it->pos = io->pos;
	it->len = io->len;
	it->ino = io->ino;
	it->id = io->seq;
	it->pid = io->pid;
	it->tid = io->tid;
	it->dev = io->dev;
	it->flags = io->flags;
	it->ret = io->ret;
	it->state = io->state;
	it->async = overlapping(io);
	it->type = io->source;
	if (io->state == CORR_IO_DONE)
		it->lat = io->complete_ns - io->submit_ns;
	/* the wasted work charged to it, for the slice's arguments */
	it->io = io->count[DS_C_WASTED];
	return pf->err;
}

int perfetto_close(struct perfetto *pf, bool keep)
{
	struct atomic_file af;
	int err = pf->err;

	if (!err && keep)
		err = atomic_open(&af, pf->path);
	if (!err && keep) {
		setvbuf(af.f, NULL, _IOFBF, 1 << 20);
		err = pf_write(pf, af.f);
		/* a write that failed: the commit names how (ENOSPC) */
		if (!err || err == -EIO)
			err = atomic_commit(&af, false) ?: err;
		else
			atomic_abort(&af);
	}
	free(pf->it);
	free(pf->task);
	free(pf);
	return err;
}
