// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "util/atomic_file.h"
#include "util/csv.h"
#include "run/recorder.h"
#include "run/clock_kind.h"
#include "trace/tier_misses.h"
#include "util/err.h"
#include "util/path.h"
#include "run/workload.h"
#include "run/tree.h"

static int on_event(void *ctx, const struct ds_event *e)
{
	struct recording *rec = ctx;

	event_stats_add(&rec->stats, e);
	if (!rec->write_err)
		rec->write_err = record_writer_add(&rec->w, e);
	/* keep reading: a full disk must not leave the kernel side stuck */
	return 0;
}

static int discard(void *ctx, void *data, size_t size)
{
	return 0;
}

void recorder_discard(struct tracer *t)
{
	struct ring_buffer *rb = ring_buffer__new(t->events_fd, discard, NULL,
						  NULL);

	if (!rb)
		return;
	tracer_flush_batches(t);
	while (ring_buffer__consume(rb) > 0)
		;
	ring_buffer__free(rb);
}

static void join_args(char *buf, size_t len, char **argv)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; argv[i] && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? " " : "",
				 argv[i]);
}

/* DIR/NAME, written aside: 0 or -errno. */
static int open_aside(struct atomic_file *af, const char *dir,
		      const char *name)
{
	char path[PATH_MAX];
	int err = tree_path(path, sizeof(path), dir, name);

	return err ? err : atomic_open(af, path);
}

static int write_counts(const char *dir, const struct tracer *t,
			const struct event_stats *s)
{
	struct atomic_file af;
	struct csv_row r;
	int i, err;
	FILE *f;

	err = open_aside(&af, dir, "counts.csv");
	if (err)
		return err;
	f = af.f;
	csv_header(f, "target,symbol,tier,calls");
	for (i = 0; i < DS_T_MAX; i++) {
		csv_begin(&r, f);
		csv_str(&r, ds_targets[i].name);
		csv_str(&r, ds_targets[i].symbol);
		csv_str(&r, tier_name(t->plan.t[i].tier));
		if (t->plan.t[i].tier)
			csv_u64(&r, s->by_target[i]);
		else
			csv_str(&r, "");	/* not traced: no count, not 0 */
		csv_end(&r);
	}
	return atomic_commit(&af, false);
}

/* Per program: what the kernel counted for it during the run. */
static int write_prog_stats(const char *dir, const struct recording *rec)
{
	const struct prog_stats *s = &rec->progs;
	bool timed = rec->bpf_stats.mode != PROG_STATS_OFF;
	struct atomic_file af;
	struct csv_row r;
	int i, err;
	FILE *f;

	err = open_aside(&af, dir, "prog_stats.csv");
	if (err)
		return err;
	f = af.f;
	csv_header(f, "program,target,tier,prog_id,run_time_ns,runs,recursion_misses");
	for (i = 0; i < s->n; i++) {
		const struct prog_stat *p = &s->p[i];

		csv_begin(&r, f);
		csv_str(&r, p->name);
		csv_str(&r, p->target >= 0 ? ds_targets[p->target].name : "");
		csv_str(&r, tier_name(p->tier));
		csv_u64(&r, p->id);
		/* unknown, not 0, when the kernel was not counting */
		if (timed) {
			csv_u64(&r, p->c.run_time_ns);
			csv_u64(&r, p->c.runs);
		} else {
			csv_str(&r, "");
			csv_str(&r, "");
		}
		if (s->misses_counted)
			csv_u64(&r, p->c.recursion_misses);
		else
			csv_str(&r, "");
		csv_end(&r);
	}
	return atomic_commit(&af, false);
}

static void count_row(FILE *f, const char *name, __u64 n)
{
	struct csv_row r;

	csv_begin(&r, f);
	csv_str(&r, name);
	csv_u64(&r, n);
	csv_end(&r);
}

/* Counts per event type, and the PRE_IO / CONVERT share of map_blocks. */
static int write_event_counts(const char *dir, const struct event_stats *s)
{
	struct atomic_file af;
	int i, err;
	FILE *f;

	err = open_aside(&af, dir, "event_counts.csv");
	if (err)
		return err;
	f = af.f;
	csv_header(f, "event,count");
	for (i = 1; i < DS_EV_TYPE_MAX; i++)
		count_row(f, event_type_name(i), s->by_type[i]);
	count_row(f, "pre_io_split", s->pre_io);
	count_row(f, "conversion", s->convert);
	count_row(f, "merge_done", s->merges_done);
	return atomic_commit(&af, false);
}

static int exit_code(const struct event_loop_result *res)
{
	if (!res->child_exited)
		return 1;
	if (WIFEXITED(res->child_status))
		return WEXITSTATUS(res->child_status);
	if (WIFSIGNALED(res->child_status))
		return 128 + WTERMSIG(res->child_status);
	return 1;
}

static void meta_start(struct meta *m, const struct tracer *t, char **argv)
{
	char when[64], cmdline[2048];
	time_t now = time(NULL);
	struct timespec mono;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S%z", localtime(&now));
	join_args(cmdline, sizeof(cmdline), argv);
	meta_set(m, "format", "%d", DS_RECORD_VERSION);
	meta_add_kernel(m, t);
	meta_set(m, "start_time", "%s", when);
	meta_set(m, "start_monotonic_ns", "%llu",
		 mono.tv_sec * 1000000000ULL + mono.tv_nsec);
	meta_set(m, "command", "%s", cmdline);
	/* a recording in the lab's icount mode is timed in instructions */
	meta_set(m, "emulated", "%s", run_emulated() ? "yes" : "no");
	meta_set(m, "clock", "%s", run_clock());
	meta_set(m, "complete", "no");
}

static void meta_finish(struct meta *m, const struct recording *rec)
{
	const struct event_loop_result *res = &rec->res;
	/* a command killed by a signal, or never run, did not complete */
	bool whole = res->child_exited && !res->signal && !rec->write_err &&
		     !rec->exec_err && WIFEXITED(res->child_status) &&
		     !res->left_behind;

	unsigned long long lost = rec->lost + rec->recursion_missed +
				  rec->kret_missed;

	meta_set(m, "events", "%llu", (unsigned long long)rec->written);
	/* how many IOs came as one record, expanded into the events above */
	meta_set(m, "io_records_received", "%llu", res->records);
	meta_set(m, "events_digest", "%s", rec->digest);
	/*
	 * Every way an event can go missing is a loss: a full ring buffer, a
	 * program the kernel did not run because it was already running on
	 * that CPU (recursion_misses: on lazy-preemption kernels a second
	 * task enters the same trampoline program), a missed return.
	 */
	meta_set(m, "lost_events", "%llu", lost);
	meta_set(m, "lost_ringbuf", "%llu", rec->lost);
	if (rec->progs.misses_counted)
		meta_set(m, "lost_recursion", "%llu", rec->recursion_missed);
	else
		meta_set(m, "lost_recursion", "unknown");
	meta_set(m, "losses", "%s", lost ? "yes" : "no");
	/* a missed return loses an exit event, and the time of that call */
	if (rec->kret_uncounted)
		meta_set(m, "kretprobe_missed", "unknown");
	else
		meta_set(m, "kretprobe_missed", "%llu", rec->kret_missed);
	meta_add_prog_stats(m, &rec->progs, &rec->bpf_stats);
	if (rec->progs_err)
		meta_set(m, "bpf_stats_error", "%s", strerror(-rec->progs_err));
	meta_set(m, "exit_status", "%d", exit_code(res));
	if (res->signal)
		meta_set(m, "interrupted_by", "%s", strsignal(res->signal));
	else if (res->child_exited && WIFSIGNALED(res->child_status))
		meta_set(m, "killed_by", "%s", strsignal(WTERMSIG(res->child_status)));
	if (res->left_behind)
		meta_set(m, "left_running", "%d processes the command started, killed when it exited",
			 res->left_behind);
	if (rec->exec_err)
		meta_set(m, "exec_error", "%s", strerror(rec->exec_err));
	if (rec->write_err)
		meta_set(m, "write_error", "%s", strerror(-rec->write_err));
	meta_set(m, "complete", "%s", whole ? "yes" : "no");
}

/* The programs' cost since before, and their statistics off again. */
static void bpf_cost(const struct tracer *t, const struct prog_stats *before,
		     struct recording *rec)
{
	int restore = rec->bpf_stats.restore;
	char path[PATH_MAX];

	if (!rec->progs_err)
		rec->progs_err = prog_stats_read(t, &rec->progs);
	if (!rec->progs_err)
		prog_stats_sub(&rec->progs, before);
	else
		memset(&rec->progs, 0, sizeof(rec->progs));
	rec->recursion_missed = rec->progs.misses_counted ?
				rec->progs.total.recursion_misses : 0;
	/* so that the next plan on this kernel prefers a tier that does not */
	if (rec->recursion_missed &&
	    tier_misses_save(tier_misses_path(path, sizeof(path)),
			     t->kf.release, &rec->progs))
		ds_err("could not keep the recursion misses in %s: %m", path);
	if (prog_stats_off(&rec->bpf_stats))
		ds_err("could not put kernel.bpf_stats_enabled back to %d",
			restore);
}

/*
 * After a write error the writer's count is what it was handed, not what
 * reached the disk: meta then says what the file holds, read back.
 */
static void count_written(const char *path, struct recording *rec)
{
	struct record_reader r;
	struct ds_event e;

	rec->written = rec->w.count;
	snprintf(rec->digest, sizeof(rec->digest), "%s", rec->w.digest_value);
	if (!rec->write_err)
		return;
	rec->written = 0;
	snprintf(rec->digest, sizeof(rec->digest), "-");
	if (record_reader_open(&r, path))
		return;
	while (record_reader_next(&r, &e) == 1)
		rec->written++;
	record_reader_digest(&r, rec->digest);
	record_reader_close(&r);
}

/* Meta last: 0 or the write error, which is also kept in rec. */
static int finish(const char *dir, const char *meta_path,
		  const struct tracer *t, struct meta *m, struct recording *rec)
{
	int err;

	meta_finish(m, rec);
	err = meta_write(m, meta_path);
	if (!err)
		err = write_counts(dir, t, &rec->stats);
	if (!err)
		err = write_event_counts(dir, &rec->stats);
	if (!err)
		err = write_prog_stats(dir, rec);
	if (err && !rec->write_err)
		rec->write_err = err;
	return err;
}

int recorder_run(struct tracer *t, const char *dir, char **argv,
		 struct meta *m, struct recording *rec)
{
	char path[PATH_MAX], meta_path[PATH_MAX];
	unsigned long long lost0, missed0;
	struct prog_stats before;
	struct workload wl;
	int err;

	memset(rec, 0, sizeof(*rec));
	tree_path(path, sizeof(path), dir, RUN_EVENTS);
	tree_path(meta_path, sizeof(meta_path), dir, RUN_META);
	err = record_writer_open(&rec->w, path);
	if (err)
		return err;
	meta_start(m, t, argv);
	err = meta_write(m, meta_path);
	if (err) {
		record_writer_close(&rec->w);
		return err;
	}
	recorder_discard(t);
	if (prog_stats_on(&rec->bpf_stats) == PROG_STATS_OFF)
		ds_err("BPF run-time statistics are off, the tracer's cost is unknown: %s",
			rec->bpf_stats.why);
	rec->progs_err = prog_stats_read(t, &before);
	lost0 = tracer_lost(t);
	missed0 = tracer_kretprobe_missed(t);
	/* orphans of the workload come to us, to be stopped on a signal */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	err = workload_spawn(&wl, argv);
	if (err) {
		prog_stats_off(&rec->bpf_stats);
		record_writer_close(&rec->w);
		return err;
	}
	workload_go(&wl);
	err = event_loop_run(t, on_event, rec, wl.pid, &rec->res);
	rec->exec_err = workload_exec_error(&wl);
	rec->lost = tracer_lost(t) - lost0;
	rec->kret_missed = tracer_kretprobe_missed(t) - missed0;
	rec->kret_uncounted = t->kretprobe_pmu;
	bpf_cost(t, &before, rec);
	err = err ? err : record_writer_close(&rec->w);
	if (err && !rec->write_err)
		rec->write_err = err;
	record_writer_close(&rec->w);
	count_written(path, rec);
	finish(dir, meta_path, t, m, rec);
	return exit_code(&rec->res);
}
