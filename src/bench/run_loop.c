// SPDX-License-Identifier: GPL-2.0
/*
 * The runs of a bench: per cell, the scratch filesystem of its variant,
 * then each run's file laid out, fio recorded under the tracer and the
 * run's meta written; the cell's runs analysed and summed up.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bench/bench.h"
#include "bench/env.h"
#include "bench/run_meta.h"
#include "run/runs.h"
#include "run/tree.h"
#include "util/err.h"
#include "util/fs.h"
#include "util/path.h"

#define FILE_NAME "dioscope.dat"

/* The file a run writes, as its scenario needs it to be beforehand. */
static int setup_file(const char *path, enum bm_setup setup,
		      unsigned long long size)
{
	static char buf[1 << 20];
	unsigned long long done;
	int fd, err = 0;

	unlink(path);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0)
		return -errno;
	if (setup == BM_FALLOCATE)
		err = -posix_fallocate(fd, 0, size);
	if (setup == BM_SPARSE && ftruncate(fd, size))
		err = -errno;
	memset(buf, 0x5a, sizeof(buf));
	for (done = 0; !err && setup == BM_PREWRITE && done < size;
	     done += sizeof(buf)) {
		size_t n = size - done < sizeof(buf) ? size - done : sizeof(buf);

		if (write(fd, buf, n) != (ssize_t)n)
			err = errno ? -errno : -EIO;
	}
	/* on disk before the run: the run must not pay for it */
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

static void fmt_time(char *buf, size_t len, long secs)
{
	if (secs < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%ld:%02ld", secs / 60, secs % 60);
}

static void progress(const struct bench *b, int i, int n, unsigned int run,
		     const char *id, const struct bench_arm *a)
{
	const char *mode = merge_guard_name(a->mode);

	long el = time(NULL) - b->start;
	long eta = b->done ? el * (long)(b->total - b->done) / b->done : -1;
	char e[32], t[32];

	fmt_time(e, sizeof(e), el);
	fmt_time(t, sizeof(t), eta);
	if (a->name)
		mode = a->name;
	ds_progress("[%d/%d] %s  run %u/%u%s%s  elapsed %s  ETA %s", i + 1, n,
		    id, run, b->o.runs,
		    b->narms > 1 ? (a->name ? "  arm " : "  guard ") : "",
		    b->narms > 1 ? mode : "", e, t);
}

static int set_env(const struct bench *b, const struct bench_cell *c,
		   const char *file, const char *dir)
{
	char v[PATH_MAX + 8];

	setenv("DS_FILE", file, 1);
	setenv("DS_BS", c->bs, 1);
	snprintf(v, sizeof(v), "%llu", b->o.size);
	setenv("DS_SIZE", v, 1);
	snprintf(v, sizeof(v), "%u", b->o.runtime);
	setenv("DS_RUNTIME", v, 1);
	if (path_fmt(v, sizeof(v), "%s/fio", dir))
		return -ENAMETOOLONG;
	setenv("DS_LOG", v, 1);
	return 0;
}

/*
 * fio stopped before its first job: fio.json is missing, or holds no
 * "jobs" (a job file it refused leaves its option help there).
 */
static bool fio_wrote_nothing(const char *dir)
{
	char path[PATH_MAX + 200], buf[64 * 1024];
	size_t n;
	FILE *f;

	if (path_fmt(path, sizeof(path), "%s/fio.json", dir))
		return false;
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return n < sizeof(buf) - 1 && !strstr(buf, "\"jobs\"");
}

/*
 * Record one run of fio; 0, -EINTR when stopped by a signal, -ENODATA
 * when fio ran no job, or -1.
 */
static int record_run(struct bench *b, const struct bench_cell *c,
		      const struct bench_arm *a, unsigned int run,
		      const char *dir)
{
	char file[PATH_MAX], job[PATH_MAX], json[PATH_MAX + 16];
	char prog[PATH_MAX], ver[64];
	/* the zero-range driver takes fio's command line */
	char *argv[] = { prog, "--eta=never", "--output-format=json", json,
			 job, NULL };
	static struct recording rec;
	char meta_path[PATH_MAX + 8];
	struct meta m = { 0 };
	int rc;

	rc = bench_job(b->o.bench_dir, c->sc->name, job, sizeof(job), prog,
		       sizeof(prog));
	if (rc) {
		ds_err(rc == -ENOEXEC ? "%s: %s is not built (make)" :
		       "%s: no job file %s", c->sc->name,
		       rc == -ENOEXEC ? prog : job);
		return -1;
	}
	if (path_fmt(json, sizeof(json), "--output=%s/fio.json", dir) ||
	    path_fmt(file, sizeof(file), "%s/%s", b->fs.mnt, FILE_NAME)) {
		ds_err("%s: %s", dir, strerror(ENAMETOOLONG));
		return -1;
	}
	rc = setup_file(file, c->sc->setup, b->o.size);
	if (rc) {
		ds_err("preparing %s: %s", file,
			strerror(-rc));
		return -1;
	}
	if (event_loop_stop_signal())
		return -EINTR;
	if (set_env(b, c, file, dir)) {
		ds_err("%s: %s", dir, strerror(ENAMETOOLONG));
		return -1;
	}
	bench_run_meta(b, c, a, run, &m);
	/* the tool that runs the job names itself in fio.json: meta too */
	if (strcmp(prog, "fio")) {
		bench_tool_version(prog, ver, sizeof(ver));
		meta_set(&m, "fio_version", "%s", ver[0] ? ver : "-");
	}
	bench_extent_meta(&m, "before", file);
	bench_start_meta(&m);
	rc = recorder_run(&b->t, dir, argv, &m, &rec);
	if (rc < 0) {
		ds_err("cannot record into %s: %s",
			dir, strerror(-rc));
		meta_free(&m);
		return -1;
	}
	bench_extent_meta(&m, "after", file);
	if (rc && !rec.res.signal) {
		/* fio failed: what it did is kept, but not as a whole run */
		meta_set(&m, "complete", "no");
		meta_set(&m, "fio_exit_status", "%d", rc);
	}
	tree_path(meta_path, sizeof(meta_path), dir, RUN_META);
	meta_write(&m, meta_path);
	meta_free(&m);
	if (rec.res.signal)
		return -EINTR;
	if (rc && fio_wrote_nothing(dir)) {
		ds_err("fio failed in %s (exit status %d) before it ran a job: its words are above; the run is not kept",
			c->id, rc);
		return -ENODATA;
	}
	if (rc) {
		ds_err("fio failed in %s (exit status %d); see %s/fio.json",
			c->id, rc, dir);
		return -1;
	}
	return 0;
}

/*
 * One run recorded; its directory goes when nothing was recorded, and
 * with what it holds when fio refused its job (an invalid job file): a
 * run that never ran is no run, and directories it alone made go too.
 */
int bench_one_run(struct bench *b, const struct bench_cell *c,
		  unsigned int run, const struct bench_arm *a)
{
	char dir[PATH_MAX + 200], made[PATH_MAX + 200];
	int rc;

	if (tree_run_dir(dir, sizeof(dir), a->root, c->id, run) ||
	    mkdir_p_made(dir, made, sizeof(made))) {
		ds_err("cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	rc = record_run(b, c, a, run, dir);
	/* its files only: the directory goes below with those it made */
	if (rc == -ENODATA && *made && bench_clear_files(dir))
		ds_err("cannot remove the files of %s: %s", dir, strerror(errno));
	if (!tree_has(dir, RUN_META))
		rmdir_made(dir, made);	/* stopped before anything was recorded */
	return rc == -ENODATA ? -1 : rc;
}

/*
 * The runs of a cell, every arm's alternated run by run, then each arm's
 * runs analysed (also one that was interrupted, so that what was
 * recorded is there in CSV too) and summarised into a row of its own.
 */
static int run_cell(struct bench *b, const struct bench_cell *c, int i, int n)
{
	struct analysis_opts ao = { .csv = true, .events_csv = !b->o.no_events,
				    .perfetto = b->perfetto };
	char dir[PATH_MAX + 200];
	int err = 0, k, failed;
	struct bench_arm *a;
	unsigned int r;

	/* runs of an earlier bench of this cell would mix with these */
	for (k = 0; k < b->narms; k++) {
		snprintf(dir, sizeof(dir), "%s/%s", b->arm[k].root, c->id);
		/* only with -f: earlier_runs() refused them otherwise */
		if (b->o.overwrite && bench_clear_runs(dir)) {
			ds_err("cannot remove the earlier runs in %s", dir);
			b->failed = true;
			return 0;
		}
	}
	for (r = b->o.first_run; r < b->o.first_run + b->o.runs && err != -EINTR; r++) {
		for (k = 0; k < b->narms && err != -EINTR; k++) {
			a = &b->arm[merge_guard_arm_at(b->narms, r - 1, k)];
			/* a knob that stops taking a mode ends the cell */
			if (bench_set_merge_guard(b, a->mode)) {
				b->failed = true;
				goto out;
			}
			progress(b, i, n, r, c->id, a);
			err = bench_one_run(b, c, r, a);
			b->done++;
			if (err && err != -EINTR)
				b->failed = true;
			if (event_loop_stop_signal())
				err = -EINTR;
		}
	}
out:
	for (k = 0; k < b->narms; k++) {
		a = &b->arm[k];
		snprintf(dir, sizeof(dir), "%s/%s", a->root, c->id);
		if (!analyse_runs(dir, &ao, false, &a->rows[a->nrows], &failed))
			a->nrows++;
		if (failed)
			b->failed = true;
	}
	return err == -EINTR ? -EINTR : 0;
}

static int write_summary(struct bench *b)
{
	char path[PATH_MAX + 16];
	int err = 0, k, e;

	for (k = 0; k < b->narms; k++) {
		/* no run summed up: no summary of nothing, header alone */
		if (!b->arm[k].nrows)
			continue;
		tree_path(path, sizeof(path), b->arm[k].root, RUN_SUMMARY);
		e = summary_update_csv(b->arm[k].rows, b->arm[k].nrows, path);
		if (e)
			ds_err("%s: %s", path, strerror(-e));
		err = err ? err : e;
	}
	return err;
}

/* The knob is per filesystem: it is set before every run. */
int bench_set_merge_guard(const struct bench *b, int mode)
{
	int err;

	if (mode < 0)
		return 0;
	err = merge_guard_set(b->fs.dev, mode);
	if (err == -ENOENT) {
		ds_err("--merge-guard: this kernel has no /sys/fs/ext4/<disk>/dio_merge_guard; "
		       "it needs patches/<kernel>/0002 (make -C patches kernel)");
		return -1;
	}
	if (err == -EINVAL) {
		ds_err("--merge-guard: this kernel's dio_merge_guard has no mode %s (%d); "
		       "it needs the newer patches/<kernel>/0002",
		       merge_guard_name(mode), mode);
		return -1;
	}
	if (err) {
		ds_err("--merge-guard: %s", strerror(-err));
		return -1;
	}
	return 0;
}

int bench_mount_variant(struct bench *b, const struct bm_variant *v)
{
	int k;

	if (scratch_umount(&b->fs) ||
	    scratch_mkfs_mount(&b->fs, v->mkfs, v->mount)) {
		ds_err("%s", b->fs.error);
		return -1;
	}
	tracer_update_ext4_devs(&b->t);
	/* every mode now, so that a mode the kernel lacks fails before a run */
	for (k = b->narms - 1; k >= 0; k--)
		if (bench_set_merge_guard(b, b->arm[k].mode))
			return -1;
	return 0;
}

int bench_run_all(struct bench *b, struct bench_cell *cells, int n)
{
	const struct bm_variant *mounted = NULL;
	int i, err = 0;

	b->start = time(NULL);
	b->total = n * b->o.runs * b->narms;
	for (i = 0; i < n && !err; i++) {
		if (cells[i].var != mounted) {
			if (bench_mount_variant(b, cells[i].var))
				return -1;
			mounted = cells[i].var;
		}
		err = run_cell(b, &cells[i], i, n);
		/* after every cell: results so far survive a crash */
		write_summary(b);
		if (!err && event_loop_stop_signal())
			err = -EINTR;
	}
	ds_progress_end();
	return err;
}
