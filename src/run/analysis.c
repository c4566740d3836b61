// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <glob.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "analysis/corr_order.h"
#include "export/async.h"
#include "export/perfetto.h"
#include "run/order_feed.h"
#include "run/record_file.h"
#include "run/run_check.h"
#include "util/atomic_file.h"
#include "util/fileio.h"
#include "util/macros.h"
#include "util/path.h"
#include "util/worker.h"
#include "run/analysis.h"
#include "run/summary.h"
#include "trace/targets.h"
#include "run/tree.h"

/*
 * What the join alone touches while the events are read, moved into the
 * run_analysis at the end: in cache lines of its own, as the join may
 * run on another CPU (sharing lines with the correlator's counters cost
 * more than the thread saved).
 */
struct join_side {
	struct fio_log log;
	struct fio_join join;
	bool have_fio;
	double *lat;		/* becomes run_analysis.lat */
	size_t nlat, lat_cap;
	__u64 wasted_joined_ns, first_submit_ns, last_complete_ns;
} __attribute__((aligned(128)));

/*
 * What reading events.bin touches, in cache lines of its own for the
 * same reason: it may run on another CPU.
 */
struct read_side {
	struct record_reader r;
	__u64 events_read, invalid_events;
} __attribute__((aligned(128)));

/* Everything one pass over a run holds. */
struct pass {
	struct run_analysis *ra;
	struct correlator corr;
	struct corr_order order;
	struct atomic_file ios_out, events_out;
	FILE *ios, *events;	/* their streams, NULL when not written */
	struct perfetto *pf;	/* NULL: no trace asked for */
	/*
	 * the join, in a thread of its own where no ios.csv row waits for
	 * it: it alone touches join, log and ra's latencies until finished
	 */
	struct worker *joiner;
	char digest[RECORD_DIGEST_LEN];	/* of the events read */
	__u64 t0;
	bool have_t0;
	bool fed;		/* the events came through an order_feed */
	__u64 late;		/* ... which counted these late */
	struct join_side js;
	struct read_side rs;
};

static void fail(struct run_analysis *ra, const char *what, int err)
{
	snprintf(ra->error, sizeof(ra->error), "%s/%s: %s", ra->dir, what,
		 strerror(err < 0 ? -err : err));
}

/* A refused or failed output, named by its path. */
static void fail_path(struct run_analysis *ra, const char *path, int err)
{
	snprintf(ra->error, sizeof(ra->error), "%s: %s", path,
		 atomic_strerror(err < 0 ? err : -err));
}

static bool traced(const struct meta *m, enum ds_target t)
{
	char key[64];
	const char *v;

	if (t >= DS_T_MAX)
		return false;
	snprintf(key, sizeof(key), "tier.%s", ds_targets[t].name);
	v = meta_get(m, key);
	return v && strcmp(v, "-");
}

/* Every tier.* value is one this dioscope knows, or the run is refused. */
static int check_tiers(struct run_analysis *ra)
{
	char where[400];
	int i;

	for (i = 0; i < ra->meta.n; i++) {
		if (strncmp(ra->meta.key[i], "tier.", 5) ||
		    run_tier_known(ra->meta.val[i]))
			continue;
		meta_where(&ra->meta, ra->meta.key[i], where, sizeof(where));
		snprintf(ra->error, sizeof(ra->error),
			 "%s: unknown tier (fentry, kprobe, tracepoint or -)",
			 where);
		return -EINVAL;
	}
	return 0;
}

/* A number of meta the analysis needs; ra->error says what is wrong. */
static int need_u64(struct run_analysis *ra, const char *key, __u64 dflt,
		    __u64 *v)
{
	int err = meta_need_u64(&ra->meta, key, dflt, v);

	if (err)
		snprintf(ra->error, sizeof(ra->error), "%s", ra->meta.error);
	return err;
}

/*
 * Every number of meta is checked like an option before anything reads
 * it: a plain decimal in range, or "unknown" (not counted). Summaries read
 * these keys again, so -1, 1e3, NaN or 12abc must not get that far.
 */
static int check_numbers(struct run_analysis *ra)
{
	static const char *const counted[] = {
		"bpf_run_time_ns", "bpf_runs", "bpf_recursion_misses",
		"kretprobe_missed",
	};
	static const char *const plain[] = {
		"block_size_bytes", "size_bytes", "fs_block_size", "events",
		"lost_events",
	};
	const struct meta *m = &ra->meta;
	size_t i, k;
	__u64 v;
	int err = 0;

	for (i = 0; !err && i < (size_t)m->n; i++) {
		const char *key = m->key[i], *val = m->val[i];
		bool unknown_ok = false, num = false;

		for (k = 0; k < ARRAY_SIZE(counted); k++)
			if (!strncmp(key, counted[k], strlen(counted[k])))
				num = unknown_ok = true;
		for (k = 0; k < ARRAY_SIZE(plain); k++)
			num |= !strcmp(key, plain[k]);
		if (!num || (unknown_ok && !strcmp(val, "unknown")))
			continue;
		err = need_u64(ra, key, 0, &v);
	}
	return err;
}

static int read_meta(struct run_analysis *ra)
{
	char path[PATH_MAX];
	const char *v;
	__u64 bs;
	int err, c;

	err = tree_path(path, sizeof(path), ra->dir, RUN_META);
	if (err) {
		fail(ra, RUN_META, err);
		return err;
	}
	err = meta_read(&ra->meta, path);
	if (err) {
		snprintf(ra->error, sizeof(ra->error), "%s", ra->meta.error);
		return err;
	}
	err = check_tiers(ra);
	if (!err)
		err = check_numbers(ra);
	if (!err)
		err = need_u64(ra, "fs_block_size", 4096, &bs);
	if (!err)
		err = need_u64(ra, "lost_events", 0, &ra->lost_events);
	if (err)
		return err;
	for (ra->blkbits = 9; ra->blkbits < 16 && (1ull << ra->blkbits) < bs;
	     ra->blkbits++)
		;
	v = meta_get(&ra->meta, "complete");
	ra->complete = v && !strcmp(v, "yes");
	ra->merges_observed = traced(&ra->meta, DS_T_SPLIT) &&
			      traced(&ra->meta, DS_T_MERGE_RIGHT);
	for (c = 0; c < DS_C_MAX; c++)
		ra->seen.traced[c] = traced(&ra->meta, component_target(c));
	ra->seen.traced[DS_C_WASTED] = ra->merges_observed;
	ra->seen.churn = ra->merges_observed;
	return 0;
}

/*
 * What does not check out: refused when meta says the run is whole (its
 * numbers would be believed), else noted and the run stays incomplete.
 */
static int mismatch(struct run_analysis *ra, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int mismatch(struct run_analysis *ra, const char *fmt, ...)
{
	char why[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (ra->complete) {
		snprintf(ra->error, sizeof(ra->error),
			 "%s: %s; meta says the run is complete: refused (not summarised, CSVs left as they were)",
			 ra->dir, why);
		return -EBADMSG;
	}
	if (!ra->why_incomplete[0])
		snprintf(ra->why_incomplete, sizeof(ra->why_incomplete), "%s",
			 why);
	return 0;
}

/* fio.json: required where fio ran (its logs are there, or bench said so). */
static int read_fio_json(struct run_analysis *ra)
{
	char path[PATH_MAX];
	bool want = meta_get(&ra->meta, "fio_version") || ra->fio_logs;
	int err;

	err = tree_path(path, sizeof(path), ra->dir, "fio.json");
	if (err) {
		fail(ra, "fio.json", err);
		return err;
	}
	err = fio_json_read(path, &ra->fio);
	if (!err) {
		ra->have_fio = true;
		return 0;
	}
	if (err == -ENOENT && !want)
		return 0;
	if (err == -ENOENT && !ra->complete)
		return mismatch(ra, "fio.json: missing");
	snprintf(ra->error, sizeof(ra->error), "%s", ra->fio.error);
	return err;
}

/*
 * Every IO of a logging job has its line in the logs, and no more. A
 * fio.json that names no log option (written by hand, or by a tool) is
 * held to all its IOs. The logs must have been read to their end.
 */
static int check_fio(struct pass *p)
{
	struct run_analysis *ra = p->ra;
	__u64 want = ra->fio.logging_jobs ? ra->fio.logged_ios :
		     ra->fio.read.total_ios + ra->fio.write.total_ios;

	if (!ra->have_fio)
		return 0;
	/* a log deleted is not a run without logs: fio.json says they exist */
	if (ra->fio_logs < ra->fio.logging_jobs || (!ra->fio_logs && want))
		return mismatch(ra, "fio.json counts %llu IOs in %u latency logs, %zu found (a log deleted?)",
				(unsigned long long)want,
				ra->fio.logging_jobs ? ra->fio.logging_jobs : 1,
				ra->fio_logs);
	if (p->js.log.n == want)
		return 0;
	return mismatch(ra, "fio's latency logs hold %zu entries, fio.json counts %llu IOs (a log cut short or changed)",
			p->js.log.n, (unsigned long long)want);
}

/* meta's format, 0 when it does not say. */
static __u64 format_of(struct run_analysis *ra)
{
	__u64 v;

	return meta_get_u64(&ra->meta, "format", &v) ? 0 : v;
}

/* The events read against what the recorder wrote into meta. */
static int check_events(struct pass *p)
{
	struct run_analysis *ra = p->ra;
	const char *dv = meta_get(&ra->meta, "events_digest");
	__u64 want;
	int err;

	if (ra->invalid_events &&
	    (err = mismatch(ra, "events.bin: %llu invalid events (zeros or damage)",
			    (unsigned long long)ra->invalid_events)))
		return err;
	err = need_u64(ra, "events", ~0ULL, &want);
	if (err)
		return err;
	/* what this format always writes: gone, it was taken away */
	if (format_of(ra) >= 2 && (want == ~0ULL || !dv) &&
	    (err = mismatch(ra, "meta has no events= or events_digest=: events.bin cannot be checked")))
		return err;
	if (want != ~0ULL && want != ra->events_read &&
	    (err = mismatch(ra, "events.bin holds %llu events, meta says %llu were written",
			    (unsigned long long)ra->events_read,
			    (unsigned long long)want)))
		return err;
	if (dv && strcmp(dv, p->digest))
		return mismatch(ra, "events.bin's events do not match meta's events_digest (the file was changed)");
	return 0;
}

/*
 * fio's per-job latency logs: <prefix>_lat.<job>.log, jobs from 1. Only
 * opened here: the join reads them as it goes.
 */
static int open_fio_logs(struct pass *p)
{
	struct run_analysis *ra = p->ra;
	char pattern[PATH_MAX];
	glob_t g;
	size_t i;
	int err = 0;

	err = tree_path(pattern, sizeof(pattern), ra->dir, "*_lat.*.log");
	if (err) {
		fail(ra, "*_lat.*.log", err);
		return err;
	}
	if (glob(pattern, 0, NULL, &g))
		return 0;
	for (i = 0; i < g.gl_pathc && !err; i++) {
		const char *name = strrchr(g.gl_pathv[i], '_');
		unsigned int job;
		char end;

		if (!name || sscanf(name, "_lat.%u.lo%c", &job, &end) != 2 ||
		    end != 'g' || !job)
			continue;
		err = fio_log_add(&p->js.log, g.gl_pathv[i], job - 1);
		if (err)
			snprintf(ra->error, sizeof(ra->error), "%s",
				 p->js.log.error);
		ra->fio_logs++;
	}
	globfree(&g);
	return err;
}

/*
 * What went wrong with a log wins over all else found wrong, and the
 * first of it in the logs' order, as when the logs were read whole
 * before anything else.
 */
static int log_first(struct pass *p, int err)
{
	int lerr;

	if (!err || !p->ra->fio_logs)
		return err;
	lerr = fio_log_check(&p->js.log);
	if (!lerr)
		return err;
	snprintf(p->ra->error, sizeof(p->ra->error), "%s", p->js.log.error);
	return lerr;
}

/* A joined entry's latency, for the percentiles (in any order). */
static int keep_lat(struct join_side *js, __u64 lat_ns)
{
	size_t cap = js->lat_cap ? 2 * js->lat_cap : 4096;
	double *n;

	if (js->nlat == js->lat_cap) {
		n = realloc(js->lat, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		js->lat = n;
		js->lat_cap = cap;
	}
	js->lat[js->nlat++] = lat_ns;
	return 0;
}

/*
 * The large files are written by a thread of their own, unbuffered here:
 * rows go straight to its buffers.
 */
static FILE *open_out(struct run_analysis *ra, struct atomic_file *af,
		      const char *name, bool large)
{
	char path[PATH_MAX];
	int err = tree_path(path, sizeof(path), ra->dir, name);

	if (!err)
		err = large ? atomic_open_fd(af, path) : atomic_open(af, path);
	if (!err && large) {
		af->f = async_fdopen(af->fd);
		/* the stream's own from here on, even when it failed */
		af->fd = -1;
		if (!af->f) {
			err = -errno;
			atomic_abort(af);
		}
	}
	if (err) {
		fail_path(ra, path, err);
		af->f = NULL;
		errno = -err;
		return NULL;
	}
	if (large)
		setvbuf(af->f, NULL, _IOFBF, 1 << 20);
	return af->f;
}

/* Close a file written aside and put it in place. */
static int close_out(struct run_analysis *ra, struct atomic_file *af,
		     bool keep)
{
	int err;

	if (!af->f)
		return 0;
	if (!keep) {
		atomic_abort(af);
		return 0;
	}
	err = atomic_commit(af, false);
	if (err)
		fail_path(ra, af->path, err);
	return err;
}

/* What of a finished IO its fio entry decides, joined in order. */
struct join_key {
	__u64 pos, len;
	__u64 submit_ns, complete_ns;	/* complete_ns: if done */
	__u64 wasted_ns;
	__u32 tid;
	bool write, done;
};

/*
 * Without fio the kernel's view is all there is: each completed IO's time
 * from submission to completion, and the span that IOPS are taken over.
 */
static int kernel_view(struct join_side *js, const struct join_key *k)
{
	if (keep_lat(js, k->complete_ns - k->submit_ns))
		return -ENOMEM;
	js->wasted_joined_ns += k->wasted_ns;
	if (!js->first_submit_ns || k->submit_ns < js->first_submit_ns)
		js->first_submit_ns = k->submit_ns;
	if (k->complete_ns > js->last_complete_ns)
		js->last_complete_ns = k->complete_ns;
	return 0;
}

/*
 * One IO joined to its fio entry (*f, NULL if none): the latencies and
 * the waste of joined IOs are this alone's, so it can run in a thread of
 * its own, the IOs handed to it in order.
 */
static int join_one(struct join_side *js, const struct join_key *k,
		    const struct fio_io **f)
{
	int err;

	err = fio_join_match(&js->join, k->pos, k->len, k->write, k->tid, f);
	if (err < 0)
		return err;
	if (*f) {
		if (keep_lat(js, (*f)->lat_ns))
			return -ENOMEM;
		js->wasted_joined_ns += k->wasted_ns;
	} else if (!js->have_fio && k->done && kernel_view(js, k)) {
		return -ENOMEM;
	}
	return 0;
}

static int join_in_thread(void *ctx, const void *rec)
{
	const struct fio_io *f;

	return join_one(ctx, rec, &f);
}

static void add_work(struct run_analysis *ra, const struct corr_io *io)
{
	__u32 nested;
	__u64 cpu;

	/* untraced, iomap_begin would read as 0, as ios.csv leaves it */
	if (!ra->seen.traced[DS_C_IOMAP_BEGIN] ||
	    !corr_io_work(io, &cpu, &nested)) {
		ra->work_cpu_unknown++;
		return;
	}
	ra->work_cpu_ns += cpu;
	ra->work_nested += nested;
}

static int on_io(void *ctx, const struct corr_io *io)
{
	struct pass *p = ctx;
	struct run_analysis *ra = p->ra;
	struct join_key k = {
		.pos = io->pos, .len = io->len, .tid = io->tid,
		.write = io->flags & DS_DIO_WRITE,
		.done = io->state == CORR_IO_DONE,
		.submit_ns = io->submit_ns, .complete_ns = io->complete_ns,
		.wasted_ns = io->ns[DS_C_WASTED],
	};
	const struct fio_io *f;
	int c, err;

	for (c = 0; c < DS_C_MAX; c++) {
		ra->comp_count[c] += io->count[c];
		ra->comp_ns[c] += io->ns[c];
	}
	add_work(ra, io);
	if (k.done)
		ra->kernel_lat_ns += io->complete_ns - io->submit_ns;
	if (p->pf && perfetto_io(p->pf, io))
		return -ENOMEM;
	if (p->joiner)
		return worker_add(p->joiner, &k);
	err = join_one(&p->js, &k, &f);
	if (err)
		return err;
	if (p->ios)
		ios_csv_kernel_row(p->ios, &ra->seen, p->t0, io, f);
	return 0;
}

static int on_event(void *ctx, const struct ds_event *e)
{
	struct pass *p = ctx;

	if (!p->have_t0) {
		p->t0 = e->ts_ns;
		p->have_t0 = true;
	}
	if (p->events)
		events_csv_row(p->events, e, p->t0);
	if (p->pf && perfetto_event(p->pf, e))
		return -ENOMEM;
	return correlator_add(&p->corr, e);
}

/*
 * events.bin into the order, event by event (decoded straight into the
 * reorder window: no copy per event), in the caller's thread or, with f,
 * in the feed's; f is told of what each step passed on.
 */
static int read_events(struct read_side *rs, struct corr_order *o,
		       struct order_feed *f)
{
	struct ds_event *e;
	int rc = 0, err = 0;

	for (;;) {
		e = corr_order_slot(o, &err);
		if (!err && f)
			err = order_feed_pass(f);
		if (err || (rc = record_reader_next(&rs->r, e)) != 1)
			break;
		rs->events_read++;
		/* counted, not correlated: no tracer writes such an event */
		if (run_event_invalid(e))
			rs->invalid_events++;
		else
			corr_order_commit(o);
	}
	if (!err && rc < 0)
		err = -EIO;
	return err;
}

static int produce(void *ctx, struct order_feed *f, struct corr_order *o)
{
	struct pass *p = ctx;

	return read_events(&p->rs, o, f);
}

/*
 * Decoding and ordering in a thread of their own, the events correlated
 * here as it passes them on, in the same order.
 */
static int correlate_fed(struct pass *p)
{
	const struct ds_event *const *ev = NULL;
	struct order_feed *f;
	size_t i, n = 0;
	int r = 0, err = 0;

	f = order_feed_start(0, produce, p);
	if (!f) {
		snprintf(p->ra->error, sizeof(p->ra->error),
			 "%s: the decoding thread: %s", p->ra->dir,
			 strerror(errno));
		return -errno;
	}
	while (!err && (r = order_feed_next(f, &ev, &n)) > 0)
		for (i = 0; i < n && !err; i++)
			err = on_event(p, ev[i]);
	order_feed_stop(f, &p->late);
	return err ? err : r;
}

/*
 * events.bin, event by event: the reader maps the file where it can;
 * unless told not to, it reads its blocks in a thread of their own, and
 * another decodes and orders the events.
 */
static int stream_events(struct pass *p, bool one_thread)
{
	struct run_analysis *ra = p->ra;
	struct read_side *rs = &p->rs;
	char path[PATH_MAX];
	int err = 0, fd;

	err = tree_path(path, sizeof(path), ra->dir, RUN_EVENTS);
	if (err) {
		fail(ra, RUN_EVENTS, err);
		return err;
	}
	/* a run's events are a file: a FIFO there would block report */
	fd = open_regular(path, ra->error, sizeof(ra->error));
	if (fd < 0)
		return -errno;
	close(fd);
	if (record_reader_open(&rs->r, path)) {
		snprintf(ra->error, sizeof(ra->error), "%s", rs->r.error);
		return -EINVAL;
	}
	if (!one_thread && (err = record_reader_read_ahead(&rs->r))) {
		snprintf(ra->error, sizeof(ra->error), "%s: %s", path,
			 rs->r.error);
		record_reader_close(&rs->r);
		return err;
	}
	p->fed = !one_thread;
	if (p->fed)
		err = correlate_fed(p);
	else
		err = read_events(rs, &p->order, NULL);
	if (err == -EIO && rs->r.error[0])
		snprintf(ra->error, sizeof(ra->error), "%s: %s", path,
			 rs->r.error);
	ra->events_read = rs->events_read;
	ra->invalid_events = rs->invalid_events;
	record_reader_digest(&rs->r, p->digest);
	ra->truncated_bytes = rs->r.truncated_bytes;
	ra->truncated_events = rs->r.truncated_events;
	record_reader_close(&rs->r);
	return err;
}

static int open_outputs(struct pass *p, const struct analysis_opts *o)
{
	if (!o->csv)
		return 0;
	/* what a killed writer left would stay beside the new files forever */
	atomic_clean_dir(p->ra->dir);
	p->ios = open_out(p->ra, &p->ios_out, "ios.csv", true);
	if (!p->ios)
		return -errno;
	ios_csv_header(p->ios);
	if (!o->events_csv)
		return 0;
	p->events = open_out(p->ra, &p->events_out, "events.csv", true);
	if (!p->events)
		return -errno;
	events_csv_header(p->events);
	return 0;
}

static int open_perfetto(struct pass *p, const char *path)
{
	int err = atomic_check(path);

	if (!err && tree_run_file(path)) {
		snprintf(p->ra->error, sizeof(p->ra->error),
			 "--perfetto %s: a file of a run: not replaced", path);
		return -EEXIST;
	}
	if (err) {
		snprintf(p->ra->error, sizeof(p->ra->error), "--perfetto %s: %s",
			 path, atomic_strerror(err));
		return err;
	}
	p->pf = perfetto_open(path, p->ra->dir);
	if (!p->pf) {
		fail(p->ra, path, errno);
		return -errno;
	}
	p->corr.obs = perfetto_observer(p->pf);
	return 0;
}

/* The trace is written once the run is read, and only if it was whole. */
static int close_perfetto(struct pass *p, const char *path, bool keep)
{
	int err;

	if (!p->pf)
		return 0;
	err = perfetto_close(p->pf, keep);
	p->pf = NULL;
	if (err)
		snprintf(p->ra->error, sizeof(p->ra->error), "--perfetto %s: %s",
			 path, atomic_strerror(err));
	return err;
}

static int write_inodes(struct pass *p)
{
	struct atomic_file o;
	FILE *f = open_out(p->ra, &o, "inodes.csv", false);
	size_t i;

	if (!f)
		return -errno;
	inodes_csv_header(f);
	for (i = 0; i < p->corr.ninodes; i++)
		inodes_csv_row(f, &p->ra->seen, &p->corr.inodes[i]);
	return close_out(p->ra, &o, true);
}

static int fio_row(void *ctx, const struct fio_io *f)
{
	struct pass *p = ctx;

	if (p->ios)
		ios_csv_fio_row(p->ios, f);
	return 0;
}

/* The logs read to their end, the fio-only rows written on the way. */
static int finish_fio(struct pass *p)
{
	struct run_analysis *ra = p->ra;
	int err = fio_join_finish(&p->js.join, fio_row, p);

	fio_join_stats(&p->js.join, &ra->join);
	ra->fio_torn = p->js.log.torn;
	return err;
}

/* -c/-p of the recording, for the correlator to set others' work aside. */
static int task_filter(struct run_analysis *ra, struct correlator *c)
{
	const char *comm = meta_get(&ra->meta, "filter_comm");
	char where[400];
	__u64 tgid;
	int err = need_u64(ra, "filter_tgid", 0, &tgid);

	if (err)
		return err;
	if (tgid > UINT32_MAX) {
		meta_where(&ra->meta, "filter_tgid", where, sizeof(where));
		snprintf(ra->error, sizeof(ra->error),
			 "%s: not a process id", where);
		return -EINVAL;
	}
	correlator_want_tasks(c, tgid, comm);
	return 0;
}

/* What the join kept, the run's from here on. */
static void hand_back(struct pass *p)
{
	struct run_analysis *ra = p->ra;

	ra->lat = p->js.lat;
	ra->nlat = p->js.nlat;
	ra->lat_cap = p->js.lat_cap;
	ra->wasted_joined_ns = p->js.wasted_joined_ns;
	ra->first_submit_ns = p->js.first_submit_ns;
	ra->last_complete_ns = p->js.last_complete_ns;
	p->js.lat = NULL;
}

/* The join in a thread of its own, fed each IO as it finishes. */
static int start_joiner(struct pass *p)
{
	p->joiner = worker_start(sizeof(struct join_key), join_in_thread,
				 &p->js);
	if (p->joiner)
		return 0;
	snprintf(p->ra->error, sizeof(p->ra->error), "%s: the join's thread: %s",
		 p->ra->dir, strerror(errno));
	return -errno;
}

static int run_pass(struct pass *p, const struct analysis_opts *o)
{
	struct run_analysis *ra = p->ra;
	int err, jerr;

	err = open_fio_logs(p);
	if (!err && !o->one_thread && (err = fio_log_read_ahead(&p->js.log)))
		snprintf(ra->error, sizeof(ra->error), "%s", p->js.log.error);
	if (!err)
		err = read_fio_json(ra);
	p->js.have_fio = ra->have_fio;
	if (!err)
		err = fio_join_init(&p->js.join, &p->js.log);
	if (!err)
		err = correlator_init(&p->corr, ra->blkbits, 0, on_io, p);
	if (!err)
		p->corr.convert_traced = traced(&ra->meta, DS_T_CONVERT);
	if (!err)
		err = task_filter(ra, &p->corr);
	if (!err)
		err = corr_order_init(&p->order, 0, on_event, p);
	if (!err)
		err = open_outputs(p, o);
	if (!err && o->perfetto)
		err = open_perfetto(p, o->perfetto);
	if (!err && !o->one_thread && !p->ios)
		err = start_joiner(p);
	if (!err)
		err = stream_events(p, o->one_thread);
	if (!err)
		err = corr_order_flush(&p->order);
	if (!err)
		err = correlator_finish(&p->corr);
	/* every IO joined, whatever stopped the events */
	jerr = worker_finish(p->joiner);
	p->joiner = NULL;
	err = err ? err : jerr;
	hand_back(p);
	if (!err)
		err = finish_fio(p);
	/* in the order they were once made, for the first to be the one said */
	if (!err)
		err = check_fio(p);
	if (!err)
		err = check_events(p);
	err = log_first(p, err);
	ra->tot = p->corr.tot;
	ra->late_events = p->fed ? p->late : p->order.late;
	if (!err && o->csv)
		err = write_inodes(p);
	return err;
}

static int write_run_summary(struct run_analysis *ra)
{
	char path[PATH_MAX];
	struct summary s;
	int err;

	err = tree_path(path, sizeof(path), ra->dir, RUN_SUMMARY);
	if (!err)
		err = summary_of_runs(ra, 1, &s);
	if (!err)
		err = summary_write_csv(&s, 1, path);
	if (err)
		fail(ra, "summary.csv", err);
	return err;
}

int run_analyse(const char *dir, const struct analysis_opts *o,
		struct run_analysis *ra)
{
	struct pass p = { .ra = ra };
	int err, cerr;

	memset(ra, 0, sizeof(*ra));
	err = path_fmt(ra->dir, sizeof(ra->dir), "%s", dir);
	if (err) {
		snprintf(ra->error, sizeof(ra->error), "%s: %s", dir,
			 strerror(-err));
		return err;
	}
	err = read_meta(ra);
	if (err)
		return err;
	err = run_pass(&p, o);
	if (err && !ra->error[0])
		fail(ra, "analysis", err);
	cerr = close_out(ra, &p.ios_out, !err);
	err = err ? err : cerr;
	cerr = close_out(ra, &p.events_out, !err);
	err = err ? err : cerr;
	cerr = close_perfetto(&p, o->perfetto, !err);
	err = err ? err : cerr;
	corr_order_free(&p.order);
	correlator_free(&p.corr);
	fio_join_free(&p.js.join);
	fio_log_free(&p.js.log);
	if (!err && o->csv)
		err = write_run_summary(ra);
	return err;
}

void run_analysis_free(struct run_analysis *ra)
{
	meta_free(&ra->meta);
	free(ra->lat);
	ra->lat = NULL;
	ra->nlat = ra->lat_cap = 0;
}
