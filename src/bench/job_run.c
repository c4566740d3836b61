// SPDX-License-Identifier: GPL-2.0
/*
 * bench --job and --shard: single runs of cells, each filed where the
 * whole bench would have filed it, so that the results of jobs run
 * anywhere merge into the tree the bench would have written.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "bench/bench.h"
#include "bench/env.h"
#include "bench/job_plan.h"
#include "run/runs.h"
#include "run/tree.h"
#include "util/err.h"
#include "util/fs.h"

/* Where the whole bench roots a job's arm: out[/arm]/release. */
static int job_root(const char *out, const struct bench_job *j,
		    const char *release, char *buf, size_t len)
{
	int n;

	if (strcmp(j->arm, "-"))
		n = snprintf(buf, len, "%s/%s/%s", out, j->arm, release);
	else
		n = snprintf(buf, len, "%s/%s", out, release);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int bench_job_run_dir(const char *out, const struct bench_job *j,
		      const char *release, const char *cell, char *buf,
		      size_t len)
{
	char root[PATH_MAX];

	if (job_root(out, j, release, root, sizeof(root)))
		return -ENAMETOOLONG;
	return tree_run_dir(buf, len, root, cell, j->run);
}

/* The arm a job runs in, rooted in -o as the whole bench roots it. */
static int job_arm(const struct bench *b, const struct bench_job *j,
		   const char *release, struct bench_arm *a)
{
	a->mode = j->guard;
	a->name = !strcmp(j->arm, "A") ? "A" : !strcmp(j->arm, "B") ? "B" :
		  NULL;
	if (job_root(b->o.out, j, release, a->root, sizeof(a->root))) {
		ds_err("%s: the path is too long", b->o.out);
		return -1;
	}
	if (mkdir_p(a->root)) {
		ds_err("cannot create %s: %s", a->root, strerror(errno));
		return -1;
	}
	return 0;
}

/* A run of the cell already there is a job run twice: refused, or -f. */
static int check_run_free(const struct bench *b, const struct bench_arm *a,
			  const struct bench_cell *c, unsigned int run)
{
	char dir[PATH_MAX];

	if (tree_run_dir(dir, sizeof(dir), a->root, c->id, run)) {
		ds_err("%s: the path is too long", a->root);
		return -1;
	}
	if (access(dir, F_OK))
		return 0;
	if (!b->o.overwrite) {
		ds_err("%s is there already: this job ran before (-f replaces it)",
		       dir);
		return -1;
	}
	if (bench_remove_run(dir)) {
		ds_err("cannot remove %s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* The run's own CSVs, as the bench writes them for each cell. */
static void analyse_job_run(struct bench *b, const struct bench_arm *a,
			    const struct bench_cell *c, unsigned int run)
{
	struct analysis_opts ao = { .csv = true,
				    .events_csv = !b->o.no_events,
				    .perfetto = NULL };
	char dir[PATH_MAX], trace[PATH_MAX + 64];
	struct summary row;

	tree_run_dir(dir, sizeof(dir), a->root, c->id, run);
	if (b->perfetto) {
		tree_path(trace, sizeof(trace), dir, b->perfetto);
		ao.perfetto = trace;
	}
	if (tree_has(dir, RUN_META) && analyse_run(dir, &ao, true, &row))
		b->failed = true;
}

static int run_job(struct bench *b, const struct bench_job *j,
		   const struct bm_variant **mounted, const char *release)
{
	struct bench_arm *a = &b->arm[0];
	struct bench_cell c;
	char why[256];
	int err;

	if (job_cell(&b->m, j, &c, why, sizeof(why))) {
		ds_err("job %s %s %s: %s", j->scenario, j->bs, j->variant, why);
		return -1;
	}
	if (job_arm(b, j, release, a) || check_run_free(b, a, &c, j->run))
		return -1;
	b->o.size = j->size;
	b->o.runtime = j->runtime;
	b->o.runs = 1;
	if (c.var != *mounted) {
		if (bench_mount_variant(b, c.var))
			return -1;
		*mounted = c.var;
	}
	if (bench_set_merge_guard(b, a->mode))
		return -1;
	ds_progress("[%u/%u] %s  run %u%s%s", b->done + 1, b->total, c.id,
		    j->run, strcmp(j->arm, "-") ? "  arm " : "",
		    strcmp(j->arm, "-") ? j->arm : "");
	err = bench_one_run(b, &c, j->run, a);
	b->done++;
	if (err == -EINTR)
		return err;
	if (err)
		b->failed = true;
	analyse_job_run(b, a, &c, j->run);
	return 0;
}

int bench_run_jobs(struct bench *b, const struct bench_job *jobs, int n)
{
	const struct bm_variant *mounted = NULL;
	struct utsname u;
	int i, err = 0;

	uname(&u);
	b->narms = 1;
	b->start = time(NULL);
	b->total = n;
	for (i = 0; i < n && !err; i++) {
		err = run_job(b, &jobs[i], &mounted, u.release);
		if (!err && event_loop_stop_signal())
			err = -EINTR;
	}
	ds_progress_end();
	return err;
}
