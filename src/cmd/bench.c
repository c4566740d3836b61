// SPDX-License-Identifier: GPL-2.0
/*
 * dioscope bench: the scenario matrix of bench/ run under the tracer on a
 * scratch ext4, each run recorded, correlated with fio's per-IO logs and
 * summed up in results/<kernel-release>/.
 *
 * The tracer is attached once for the whole bench, not once per run.
 * Attaching is cheap enough either way (about 0.1 s of BPF loading and
 * verification on the tracepoint tier, logged as tracer_attach_ms), but
 * once per bench every run of every scenario is traced by the same plan,
 * the same tier per function, which a comparison between runs needs; the
 * ring buffer is emptied before each run (recorder_run), so nothing of
 * one run leaks into the next.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "bench/env.h"
#include "bench/matrix.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "bench/fiemap.h"
#include "bench/merge_guard.h"
#include "trace/filters.h"
#include "run/recorder.h"
#include "bench/scratch_fs.h"
#include "run/runs.h"
#include "run/summary.h"
#include "run/tree.h"
#include "util/fs.h"
#include "export/perfetto.h"
#include "run/results_dir.h"
#include "util/parse.h"
#include "util/clock.h"

#define MAX_CELLS 256
#define FILE_NAME "dioscope.dat"

struct bench_opts {
	const char *out, *device, *bench_dir;
	const char *only[BM_MAX];
	int nonly;
	unsigned int runs, runtime, first_run;
	unsigned long long size;
	bool full, force, no_events, perfetto, aa;
	bool overwrite;		/* -f: replace the runs of an earlier bench */
	/* the guard modes of the arms, alternated run by run; none: the
	 * knob is left as it is */
	int guard_modes[MERGE_GUARD_MODES];
	int nguard;
	struct tracer_opts topts;
};

/* One cell of the matrix: a scenario with a block size and a variant. */
struct cell {
	const struct bm_scenario *sc;
	const char *bs;
	const struct bm_variant *var;
	char id[160];
};

/*
 * One arm of the bench: a guard mode (-1: the knob as it is) and its
 * results; a name for the arms of an A/A test, which differ in nothing.
 */
struct arm {
	const char *name;	/* meta's arm=; NULL but in an A/A test */
	int mode;
	char root[PATH_MAX];
	char made[PATH_MAX];	/* the first directory of root bench made */
	struct summary rows[MAX_CELLS];
	int nrows;
};

struct bench {
	struct bench_opts o;
	struct bench_matrix m;
	struct scratch fs;
	struct tracer t;
	bool tracing;
	char fio_ver[64];
	struct arm arm[MERGE_GUARD_MODES];
	int narms;
	bool failed;
	time_t start;
	unsigned int done, total;
	long tracer_ms;
	int lock;		/* of -o, while we write it */
};

static int opt_scenario(const struct ds_opt *opt, const char *arg)
{
	struct bench_opts *o = opt->value;

	if (o->nonly == BM_MAX) {
		ds_err("at most %d scenarios", BM_MAX);
		return -1;
	}
	o->only[o->nonly++] = arg;
	return 0;
}

static int opt_merge_guard(const struct ds_opt *opt, const char *arg)
{
	struct bench_opts *o = opt->value;

	o->nguard = merge_guard_parse_list(arg, o->guard_modes);
	if (o->nguard < 0) {
		ds_err("--merge-guard takes modes off, dio or all (or 0, 1, 2), each at most once and comma-separated, not '%s'",
		       arg);
		return -1;
	}
	return 0;
}

static int parse(int argc, char **argv, struct bench_opts *o)
{
	const struct ds_opt opts[] = {
		OPT_CALLBACK('s', "scenario", o, "NAME",
			     "run only this scenario (repeatable); see bench/matrix",
			     opt_scenario),
		OPT_FLAG(0, "full", &o->full,
			 "every block size and mount variant, not only the\n"
			 "defaults (4k, the kernel's default mount options)"),
		OPT_UINT(0, "runs", &o->runs, "N", 1, RUNS_MAX,
			 "runs per scenario, default 3"),
		OPT_SIZE(0, "size", &o->size, "S", 1ULL << 20, 1ULL << 40,
			 "size of the file each run writes, default 256M"),
		OPT_UINT(0, "first-run", &o->first_run, "J", 1, RUNS_MAX,
			 "number the runs from J, keeping a cell's runs below J:\n"
			 "one bench of several taken in turn with other kernels\n"
			 "(make bench-kernels); dioscope report DIR then sums\n"
			 "them all up. Default 1"),
		OPT_UINT(0, "runtime", &o->runtime, "SEC", 1, 3600,
			 "seconds per run at most, default 5"),
		OPT_STRING(0, "device", &o->device, "DEV",
			   "use this block device; refused when it is mounted or\n"
			   "holds a filesystem or partition table, unless --force"),
		OPT_FLAG(0, "force", &o->force,
			 "make a filesystem on DEV whatever it holds"),
		OPT_CALLBACK('o', "output", &o->out, "DIR",
			     "results directory (default results); refused\n"
			     "while another bench writes it", cli_opt_out_dir),
		OPT_FLAG('f', "overwrite", &o->overwrite,
			 "replace the runs an earlier bench left in DIR for\n"
			 "the same scenarios (refused without it)"),
		OPT_STRING(0, "bench-dir", &o->bench_dir, "DIR",
			   "where the job files and the matrix are (default:\n"
			   "bench/ here, else beside the dioscope binary)"),
		OPT_FLAG(0, "no-events", &o->no_events,
			 "do not write events.csv (events.bin is kept)"),
		OPT_FLAG(0, "perfetto", &o->perfetto,
			 "write each run's trace for ui.perfetto.dev and\n"
			 "chrome://tracing: run-<j>/" PERFETTO_RUN_FILE),
		OPT_CALLBACK(0, "merge-guard", o, "MODES",
			     "set /sys/fs/ext4/<disk>/dio_merge_guard (a kernel with\n"
			     "patches/<kernel>/0002 only) to each mode, comma-\n"
			     "separated: off (0), dio (1: no unwritten merge while\n"
			     "a direct write is in flight), all (2: nor while\n"
			     "writeback has unwritten extents to convert). One mode:\n"
			     "every run in it. Several: the arms of a guard A/B,\n"
			     "alternated run by run in an order that reverses every\n"
			     "round (off,dio: off dio dio off off dio ...), each in\n"
			     "DIR/guard-<mode>/; compare them with\n"
			     "dioscope compare DIR/guard-off DIR/guard-dio ...",
			     opt_merge_guard),
		OPT_FLAG(0, "aa", &o->aa,
			 "an A/A test: every run twice, as arms A and B alternated\n"
			 "run by run like the guard's (A B B A A B ...), into\n"
			 "DIR/A/<kernel-release>/ and DIR/B/<kernel-release>/;\n"
			 "dioscope compare DIR/A DIR/B then shows what a\n"
			 "comparison of a kernel with itself looks like"),
		OPT_TRACE_TIER(&o->topts),
		OPT_TRACE_VERBOSE(&o->topts),
		OPT_END(),
	};
	const struct ds_cmd cmd = {
		.name = "bench", .opts = opts,
		.usage =
"[-s SCENARIO]... [--runs N] [--size S] [--runtime SEC]\n"
"                      [--full] [--device DEV [--force]] [-o DIR] [--tier T]\n"
"                      [--merge-guard MODE[,MODE...]] [--no-events] [--aa] [--perfetto]\n"
"                      [-f]",
		.about =
"Runs the O_SYNC|O_DIRECT fio scenarios of bench/ under the tracer on a\n"
"scratch ext4 (an image on a loop device, removed afterwards, unless\n"
"--device), joins fio's view of every IO with the kernel's, and writes\n"
"DIR/<kernel-release>/<scenario>.<bs>.<variant>/run-<j>/ (fio.json, fio's\n"
"per-IO logs, events.bin, meta, ios.csv, events.csv, inodes.csv,\n"
"summary.csv) and DIR/<kernel-release>/summary.csv, a row per scenario.",
	};

	return opt_parse(&cmd, argc, argv);
}

static bool selected(const struct bench_opts *o, const char *name)
{
	int i;

	if (!o->nonly)
		return true;
	for (i = 0; i < o->nonly; i++)
		if (!strcmp(o->only[i], name))
			return true;
	return false;
}

static int check_names(const struct bench_opts *o, const struct bench_matrix *m)
{
	char names[BM_MAX * 64];
	size_t used;
	int s, v;

	for (s = 0; s < o->nonly; s++) {
		if (bench_scenario(m, o->only[s]))
			continue;
		for (v = 0, used = 0; v < m->nsc && used < sizeof(names); v++)
			used += snprintf(names + used, sizeof(names) - used, " %s",
					 m->sc[v].name);
		ds_err("no scenario '%s'; the scenarios are:%s", o->only[s],
		       m->nsc ? names : "");
		return -1;
	}
	return 0;
}

/* The cells to run, variant outermost: one mkfs and mount per variant. */
static int plan_cells(const struct bench_opts *o, const struct bench_matrix *m,
		      struct cell *cells)
{
	int v, b, s, n = 0;

	if (check_names(o, m))
		return -1;
	for (v = 0; v < (o->full ? m->nvar : 1); v++)
		for (b = 0; b < (o->full ? m->nbs : 1); b++)
			for (s = 0; s < m->nsc && n < MAX_CELLS; s++) {
				struct cell *c = &cells[n];

				if (!selected(o, m->sc[s].name))
					continue;
				c->sc = &m->sc[s];
				c->bs = m->bs[b];
				c->var = &m->var[v];
				snprintf(c->id, sizeof(c->id), "%s.%s.%s",
					 c->sc->name, c->bs, c->var->name);
				n++;
			}
	return n;
}

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
		     const char *id, const struct arm *a)
{
	const char *mode = merge_guard_name(a->mode);

	long el = time(NULL) - b->start;
	long eta = b->done ? el * (long)(b->total - b->done) / b->done : -1;
	char e[16], t[16];

	fmt_time(e, sizeof(e), el);
	fmt_time(t, sizeof(t), eta);
	if (a->name)
		mode = a->name;
	ds_progress("[%d/%d] %s  run %u/%u%s%s  elapsed %s  ETA %s", i + 1, n,
		    id, run, b->o.runs,
		    b->narms > 1 ? (a->name ? "  arm " : "  guard ") : "",
		    b->narms > 1 ? mode : "", e, t);
}

/* the matrix refuses a block size that does not parse */
static unsigned long long bs_bytes(const char *bs)
{
	unsigned long long v = 0;

	parse_size(bs, &v);
	return v;
}

static void run_meta(const struct bench *b, const struct cell *c,
		     const struct arm *a, unsigned int run, struct meta *m)
{
	char opts[256];

	meta_set(m, "scenario", "%s", c->id);
	meta_set(m, "scenario_base", "%s", c->sc->name);
	meta_set(m, "variant", "%s", c->var->name);
	meta_set(m, "block_size_bytes", "%llu", bs_bytes(c->bs));
	meta_set(m, "size_bytes", "%llu", b->o.size);
	meta_set(m, "runtime_s", "%u", b->o.runtime);
	meta_set(m, "mount_options", "%s", c->var->mount[0] ? c->var->mount : "defaults");
	bench_mount_options(b->fs.mnt, opts, sizeof(opts));
	meta_set(m, "mount_effective", "%s", opts);
	meta_set(m, "mkfs_options", "%s", c->var->mkfs[0] ? c->var->mkfs : "-");
	meta_set(m, "fio_version", "%s", b->fio_ver);
	meta_set(m, "run", "%u", run);
	meta_set(m, "runs", "%u", b->o.runs);
	meta_set(m, "fs_block_size", "%lu", scratch_block_size(&b->fs));
	meta_set(m, "device", "%s", b->fs.loop ? "loop" : b->fs.dev);
	meta_set(m, "emulated", "%s", bench_emulated() ? "yes" : "no");
	meta_set(m, "virtualized", "%s", bench_virtualized() ? "yes" : "no");
	meta_set(m, "tracer_attach_ms", "%ld", b->tracer_ms);
	meta_set(m, "merge_guard", "%s", merge_guard_state(b->fs.dev));
	if (a->name)
		meta_set(m, "arm", "%s", a->name);
}

/*
 * When the run started, by the wall clock: compare reads from it whether
 * the runs of two arms were interleaved or one set ran after the other.
 */
static void start_meta(struct meta *m)
{
	struct timespec ts;
	struct tm tm;
	char iso[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	meta_set(m, "run_start_ns", "%llu",
		 (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec);
	meta_set(m, "run_start", "%s", iso);
}

static void extent_meta(struct meta *m, const char *when, const char *file)
{
	struct extent_count ext;
	char key[64];

	if (fiemap_count(file, &ext))
		return;
	snprintf(key, sizeof(key), "extents_%s", when);
	meta_set(m, key, "%lu", ext.extents);
	snprintf(key, sizeof(key), "unwritten_extents_%s", when);
	meta_set(m, key, "%lu", ext.unwritten);
	snprintf(key, sizeof(key), "unwritten_bytes_%s", when);
	meta_set(m, key, "%llu", ext.unwritten_bytes);
	snprintf(key, sizeof(key), "mapped_bytes_%s", when);
	meta_set(m, key, "%llu", ext.bytes);
}

static void set_env(const struct bench *b, const struct cell *c,
		    const char *file, const char *dir)
{
	char v[PATH_MAX + 8];

	setenv("DS_FILE", file, 1);
	setenv("DS_BS", c->bs, 1);
	snprintf(v, sizeof(v), "%llu", b->o.size);
	setenv("DS_SIZE", v, 1);
	snprintf(v, sizeof(v), "%u", b->o.runtime);
	setenv("DS_RUNTIME", v, 1);
	snprintf(v, sizeof(v), "%s/fio", dir);
	setenv("DS_LOG", v, 1);
}

/* Record one run of fio; 0, -EINTR when stopped by a signal, or -1. */
static int record_run(struct bench *b, const struct cell *c,
		      const struct arm *a, unsigned int run,
		      const char *dir)
{
	char file[PATH_MAX], job[PATH_MAX], json[PATH_MAX + 16];
	char prog[PATH_MAX];
	/* the zero-range driver takes fio's command line */
	char *argv[] = { prog, "--eta=never", "--output-format=json", json,
			 job, NULL };
	static struct recording rec;
	char meta_path[PATH_MAX + 8];
	struct meta m = { 0 };
	int rc;

	snprintf(file, sizeof(file), "%s/%s", b->fs.mnt, FILE_NAME);
	rc = bench_job(b->o.bench_dir, c->sc->name, job, sizeof(job), prog,
		       sizeof(prog));
	if (rc) {
		ds_err(rc == -ENOEXEC ? "%s: %s is not built (make)" :
		       "%s: no job file %s", c->sc->name,
		       rc == -ENOEXEC ? prog : job);
		return -1;
	}
	snprintf(json, sizeof(json), "--output=%s/fio.json", dir);
	rc = setup_file(file, c->sc->setup, b->o.size);
	if (rc) {
		ds_err("preparing %s: %s", file,
			strerror(-rc));
		return -1;
	}
	if (event_loop_stop_signal())
		return -EINTR;
	set_env(b, c, file, dir);
	run_meta(b, c, a, run, &m);
	extent_meta(&m, "before", file);
	start_meta(&m);
	rc = recorder_run(&b->t, dir, argv, &m, &rec);
	if (rc < 0) {
		ds_err("cannot record into %s: %s",
			dir, strerror(-rc));
		meta_free(&m);
		return -1;
	}
	extent_meta(&m, "after", file);
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
	if (rc) {
		ds_err("fio failed in %s (exit status %d); see %s/fio.json",
			c->id, rc, dir);
		return -1;
	}
	return 0;
}

/* One run recorded; its directory goes when nothing was recorded. */
static int one_run(struct bench *b, const struct cell *c, unsigned int run,
		   const struct arm *a)
{
	char dir[PATH_MAX + 200];
	int rc;

	if (tree_run_dir(dir, sizeof(dir), a->root, c->id, run) ||
	    mkdir_p(dir)) {
		ds_err("cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	rc = record_run(b, c, a, run, dir);
	if (!tree_has(dir, RUN_META))
		rmdir(dir);	/* stopped before anything was recorded */
	return rc;
}

static int set_merge_guard(const struct bench *b, int mode);

/*
 * The runs of a cell, every arm's alternated run by run, then each arm's
 * runs analysed (also one that was interrupted, so that what was
 * recorded is there in CSV too) and summarised into a row of its own.
 */
static int run_cell(struct bench *b, const struct cell *c, int i, int n)
{
	struct analysis_opts ao = { .csv = true, .events_csv = !b->o.no_events,
				    .perfetto = b->o.perfetto ? PERFETTO_RUN_FILE : NULL };
	char dir[PATH_MAX + 200];
	int err = 0, k, failed;
	struct arm *a;
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
			if (set_merge_guard(b, a->mode)) {
				b->failed = true;
				goto out;
			}
			progress(b, i, n, r, c->id, a);
			err = one_run(b, c, r, a);
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
		tree_path(path, sizeof(path), b->arm[k].root, RUN_SUMMARY);
		e = summary_update_csv(b->arm[k].rows, b->arm[k].nrows, path);
		if (e)
			ds_err("%s: %s", path, strerror(-e));
		err = err ? err : e;
	}
	return err;
}

/* The knob is per filesystem: it is set before every run. */
static int set_merge_guard(const struct bench *b, int mode)
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

static int mount_variant(struct bench *b, const struct bm_variant *v)
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
		if (set_merge_guard(b, b->arm[k].mode))
			return -1;
	return 0;
}

static int run_all(struct bench *b, struct cell *cells, int n)
{
	const struct bm_variant *mounted = NULL;
	int i, err = 0;

	b->start = time(NULL);
	b->total = n * b->o.runs * b->narms;
	for (i = 0; i < n && !err; i++) {
		if (cells[i].var != mounted) {
			if (mount_variant(b, cells[i].var))
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

/*
 * Without --bench-dir: bench/ here, else the one beside the dioscope
 * binary (a build tree run from elsewhere).
 */
static void find_bench_dir(struct bench *b)
{
	static char beside[PATH_MAX];
	char exe[PATH_MAX], matrix[PATH_MAX + 16], *slash;
	ssize_t n;

	if (b->o.bench_dir)
		return;
	b->o.bench_dir = "bench";
	if (!access("bench/matrix", R_OK))
		return;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return;
	*slash = '\0';
	snprintf(matrix, sizeof(matrix), "%s/bench/matrix", exe);
	if (access(matrix, R_OK))
		return;
	snprintf(beside, sizeof(beside), "%s/bench", exe);
	b->o.bench_dir = beside;
}

static int check_env(struct bench *b)
{
	const char *problem = tracer_env_problem();
	char path[PATH_MAX + 16];

	if (problem) {
		ds_err("%s", problem);
		return -1;
	}
	find_bench_dir(b);
	bench_fio_version(b->fio_ver, sizeof(b->fio_ver));
	if (!b->fio_ver[0]) {
		ds_err("fio is not installed or does not run (make deps, or apt-get install fio)");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/matrix", b->o.bench_dir);
	if (bench_matrix_read(path, &b->m)) {
		ds_err("%s (--bench-dir names the bench directory)",
			b->m.error);
		return -1;
	}
	return 0;
}

/* Trace the scratch device only: other IO on the machine is not ours. */
static int attach(struct bench *b)
{
	unsigned long long t0;

	if (filter_parse_dev(b->fs.dev, &b->o.topts.filters.dev)) {
		ds_err("%s: not a block device", b->fs.dev);
		return -1;
	}
	t0 = mono_ns();
	if (cli_tracer_open(&b->t, &b->o.topts))
		return -1;
	b->tracing = true;
	b->tracer_ms = (mono_ns() - t0) / 1000000;
	ds_err("tracer attached in %ld ms, once for all runs",
		b->tracer_ms);
	return 0;
}

/* Runs an earlier bench left for the cells to run: kept unless -f. */
static int earlier_runs(const struct bench *b, const struct cell *cells, int n)
{
	char dir[PATH_MAX + 200];
	struct dirent *d;
	unsigned int j;
	char end;
	DIR *dp;
	int i, k, found = 0;

	if (b->o.overwrite)
		return 0;
	for (k = 0; k < b->narms; k++)
		for (i = 0; i < n; i++) {
			snprintf(dir, sizeof(dir), "%s/%s", b->arm[k].root,
				 cells[i].id);
			dp = opendir(dir);
			if (!dp)
				continue;
			while ((d = readdir(dp)))
				if (sscanf(d->d_name, "run-%u%c", &j, &end) == 1 &&
				    j >= b->o.first_run) {
					if (!found++)
						ds_err("%s already holds runs of an earlier bench; refusing to replace them (-f does, or choose another -o)",
						       dir);
					break;
				}
			closedir(dp);
		}
	return found;
}

static void say(const char *what)
{
	ds_err("%s", what);
}

static int prepare(struct bench *b, struct cell *cells, int *n)
{
	char lerr[PATH_MAX + 200];
	struct utsname u;
	int k;

	if (b->o.overwrite && b->o.first_run > 1) {
		ds_err("-f removes every run of a cell, --first-run keeps those below it: not both");
		return 2;
	}
	if (b->o.first_run + b->o.runs - 1 > RUNS_MAX) {
		ds_err("--first-run %u with --runs %u numbers runs past %d",
		       b->o.first_run, b->o.runs, RUNS_MAX);
		return 2;
	}
	if (check_env(b))
		return 1;
	*n = plan_cells(&b->o, &b->m, cells);
	if (*n <= 0)
		return *n < 0 ? 2 : 1;
	uname(&u);
	if (b->o.aa && b->o.nguard > 1) {
		ds_err("--aa compares a setup with itself: give it one --merge-guard mode at most");
		return 2;
	}
	/* one arm in the knob's state, one per mode, or one per arm of an A/B */
	b->narms = b->o.nguard ? b->o.nguard : 1;
	if (b->o.aa)
		b->narms = 2;
	for (k = 0; k < b->narms; k++) {
		struct arm *a = &b->arm[k];

		a->mode = b->o.nguard ? b->o.guard_modes[b->o.aa ? 0 : k] : -1;
		a->name = b->o.aa ? (k ? "B" : "A") : NULL;
		if (a->name)
			snprintf(a->root, sizeof(a->root), "%s/%s/%s",
				 b->o.out, a->name, u.release);
		else if (b->narms > 1)
			snprintf(a->root, sizeof(a->root), "%s/guard-%s/%s",
				 b->o.out, merge_guard_name(a->mode), u.release);
		else
			snprintf(a->root, sizeof(a->root), "%s/%s", b->o.out,
				 u.release);
		if (mkdir_p_made(a->root, a->made, sizeof(a->made))) {
			ds_err("cannot create %s: %s", a->root, strerror(errno));
			return 1;
		}
	}
	/* the whole -o: the arms of an A/B are written together */
	b->lock = results_lock(b->o.out, lerr, sizeof(lerr));
	if (b->lock < 0) {
		ds_err("%s", lerr);
		return 1;
	}
	return earlier_runs(b, cells, *n) ? 1 : 0;
}

/* A bench refused or stopped before it wrote: no empty tree of its own. */
static void unmake_roots(const struct bench *b)
{
	int k;

	for (k = 0; k < b->narms; k++)
		rmdir_made(b->arm[k].root, b->arm[k].made);
}

int cmd_bench(int argc, char **argv)
{
	static struct bench b;
	static struct cell cells[MAX_CELLS];
	int n = 0, rc, err = -1, sig, k;

	memset(&b, 0, sizeof(b));
	b.lock = -1;
	b.o = (struct bench_opts){ .out = "results", .runs = 3, .runtime = 5,
				   .first_run = 1,
				   .size = 256ULL << 20 };
	rc = parse(argc, argv, &b.o);
	if (rc < 1)
		return opt_exit(rc);
	/* from the start: a signal during set-up stops the bench too */
	event_loop_install_signals();
	rc = prepare(&b, cells, &n);
	if (rc) {
		unmake_roots(&b);
		results_unlock(b.lock);
		return rc;
	}
	if (!b.o.device)
		scratch_clean_leftovers(say);
	/* room for the file, the journal and the scenarios that grow it */
	if (scratch_open(&b.fs, b.o.device, 4 * b.o.size + (256 << 20),
			 b.o.force)) {
		ds_err("%s", b.fs.error);
		unmake_roots(&b);
		results_unlock(b.lock);
		return 1;
	}
	if (!attach(&b))
		err = run_all(&b, cells, n);
	if (b.tracing)
		tracer_close(&b.t);
	scratch_close(&b.fs);
	unmake_roots(&b);
	results_unlock(b.lock);
	sig = event_loop_stop_signal();
	for (k = 0; k < b.narms; k++) {
		if (!b.arm[k].nrows)
			continue;
		if (b.arm[k].name)
			printf("\narm %s:", b.arm[k].name);
		else if (b.narms > 1)
			printf("\nguard %s:", merge_guard_name(b.arm[k].mode));
		printf("\n");
		summary_print(stdout, b.arm[k].rows, b.arm[k].nrows);
		printf("\nresults: %s/summary.csv (per run: <scenario>/run-<j>/)\n",
		       b.arm[k].root);
	}
	if (sig) {
		ds_err("stopped by %s: the run in progress is marked incomplete (meta complete=no)",
			strsignal(sig));
		return 128 + sig;
	}
	return err || b.failed ? 1 : 0;
}
