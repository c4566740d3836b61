// SPDX-License-Identifier: GPL-2.0
/*
 * dioscope bench: the scenario matrix of bench/ run under the tracer on a
 * scratch ext4, each run recorded, correlated with fio's per-IO logs and
 * summed up in results/<kernel-release>/.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "bench_matrix.h"
#include "cli.h"
#include "commands.h"
#include "export.h"
#include "fiemap.h"
#include "recorder.h"
#include "scratch_fs.h"
#include "summary.h"

#define MAX_SELECTED 64
#define MAX_RUNS 100

struct bench_opts {
	const char *out, *device, *bench_dir;
	const char *only[BM_MAX];
	int nonly;
	unsigned int runs, runtime;
	unsigned long long size;
	bool full, force;
	struct tracer_opts topts;
};

/* One cell of the matrix: a scenario with a block size and a variant. */
struct cell {
	const struct bm_scenario *sc;
	const char *bs;
	const struct bm_variant *var;
	char id[160];
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: dioscope bench [-s SCENARIO]... [--runs N] [--size S] [--runtime SEC]\n"
"                      [--full] [--device DEV [--force]] [-o DIR] [--tier T]\n"
"\n"
"Runs the O_SYNC|O_DIRECT fio scenarios of bench/ under the tracer on a\n"
"scratch ext4 (an image on a loop device unless --device), joins fio's\n"
"view of every IO with the kernel's, and writes, per run,\n"
"DIR/<kernel-release>/<scenario>/run-<j>/ (fio.json, fio's per-IO logs,\n"
"events.bin, meta, ios.csv, events.csv, summary.csv) and, per scenario,\n"
"a row of DIR/<kernel-release>/summary.csv.\n"
"\n"
"  -s, --scenario NAME  run only this scenario (repeatable); see bench/matrix\n"
"  --full               every block size and mount variant, not the defaults\n"
"  --runs N             runs per scenario (default 3)\n"
"  --size S             size of the file written (default 256M)\n"
"  --runtime SEC        seconds per run (default 5)\n"
"  --device DEV         use this block device; refused when it is mounted or\n"
"                       holds a filesystem, unless --force\n"
"  -o, --output DIR     results directory (default results)\n"
"  --bench-dir DIR      where the job files and the matrix are (default bench)\n"
"  --tier T             attach tier, as for record\n"
"  -v, --verbose        show libbpf's messages\n");
}

static int parse(int argc, char **argv, struct bench_opts *o)
{
	static const struct option longopts[] = {
		{ "scenario", required_argument, NULL, 's' },
		{ "runs", required_argument, NULL, 'r' },
		{ "size", required_argument, NULL, 'S' },
		{ "runtime", required_argument, NULL, 'T' },
		{ "device", required_argument, NULL, 'D' },
		{ "force", no_argument, NULL, 'f' },
		{ "full", no_argument, NULL, 'F' },
		{ "output", required_argument, NULL, 'o' },
		{ "bench-dir", required_argument, NULL, 'B' },
		{ "tier", required_argument, NULL, CLI_OPT_TIER },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "s:o:vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			if (o->nonly == BM_MAX)
				return -1;
			o->only[o->nonly++] = optarg;
			break;
		case 'r':
			o->runs = atoi(optarg);
			if (o->runs < 1 || o->runs > MAX_RUNS) {
				fprintf(stderr, "dioscope bench: --runs takes 1 to %d\n", MAX_RUNS);
				return -1;
			}
			break;
		case 'S':
			o->size = parse_size(optarg);
			if (o->size < (1 << 20)) {
				fprintf(stderr, "dioscope bench: --size needs a size of at least 1M, like 256M\n");
				return -1;
			}
			break;
		case 'T':
			o->runtime = atoi(optarg);
			if (o->runtime < 1 || o->runtime > 3600) {
				fprintf(stderr, "dioscope bench: --runtime takes 1 to 3600 seconds\n");
				return -1;
			}
			break;
		case 'D': o->device = optarg; break;
		case 'f': o->force = true; break;
		case 'F': o->full = true; break;
		case 'o': o->out = optarg; break;
		case 'B': o->bench_dir = optarg; break;
		case 'h': usage(stdout); exit(0);
		default:
			if (cli_trace_opt(opt, optarg, &o->topts) > 0)
				break;
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return -1;
	}
	return 0;
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

static int plan_cells(const struct bench_opts *o, const struct bench_matrix *m,
		      struct cell *cells)
{
	int v, b, s, n = 0;

	for (s = 0; s < o->nonly; s++) {
		if (!bench_scenario(m, o->only[s])) {
			fprintf(stderr, "dioscope bench: no scenario '%s'; there are:", o->only[s]);
			for (v = 0; v < m->nsc; v++)
				fprintf(stderr, " %s", m->sc[v].name);
			fprintf(stderr, "\n");
			return -1;
		}
	}
	/* variant outermost: one mkfs and mount per variant */
	for (v = 0; v < (o->full ? m->nvar : 1); v++)
		for (b = 0; b < (o->full ? m->nbs : 1); b++)
			for (s = 0; s < m->nsc; s++) {
				struct cell *c = &cells[n];

				if (!selected(o, m->sc[s].name) || n == MAX_SELECTED)
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
	int fd;

	unlink(path);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0)
		return -errno;
	if (setup == BM_FALLOCATE && posix_fallocate(fd, 0, size)) {
		close(fd);
		return -ENOSPC;
	}
	for (done = 0; setup == BM_PREWRITE && done < size; done += sizeof(buf)) {
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
			close(fd);
			return -EIO;
		}
	}
	if (fsync(fd)) {
		close(fd);
		return -errno;
	}
	return close(fd) ? -errno : 0;
}

static bool emulated(void)
{
	char v[64] = "";
	FILE *f;

	if (getenv("DIOSCOPE_EMULATED"))
		return !strcmp(getenv("DIOSCOPE_EMULATED"), "1");
	f = fopen("/sys/class/dmi/id/sys_vendor", "r");
	if (f) {
		if (!fgets(v, sizeof(v), f))
			v[0] = '\0';
		fclose(f);
	}
	return !strncmp(v, "QEMU", 4);
}

static void fio_version(char *out, size_t len)
{
	FILE *p = popen("fio --version 2>/dev/null", "r");

	out[0] = '\0';
	if (p) {
		if (fgets(out, len, p))
			out[strcspn(out, "\n")] = '\0';
		pclose(p);
	}
}

static void progress(int i, int n, unsigned int run, unsigned int runs,
		     const char *id, time_t start, unsigned int done,
		     unsigned int total)
{
	long el = time(NULL) - start;
	long eta = done ? el * (long)(total - done) / done : -1;

	fprintf(stderr, "\r[%d/%d] %-40s run %u/%u  elapsed %ld:%02ld  ETA ",
		i + 1, n, id, run, runs, el / 60, el % 60);
	if (eta < 0)
		fprintf(stderr, "-   ");
	else
		fprintf(stderr, "%ld:%02ld", eta / 60, eta % 60);
	fflush(stderr);
}

struct bench {
	struct bench_opts o;
	struct bench_matrix m;
	struct scratch fs;
	struct tracer t;
	char root[4096], fio_ver[64], release[65];
	struct summary rows[MAX_SELECTED];
	int nrows;
	bool failed;
};

static void run_meta(struct bench *b, const struct cell *c, unsigned int run,
		     struct meta *m)
{
	meta_set(m, "scenario", "%s", c->id);
	meta_set(m, "scenario_base", "%s", c->sc->name);
	meta_set(m, "variant", "%s", c->var->name);
	meta_set(m, "block_size_bytes", "%llu", parse_size(c->bs));
	meta_set(m, "size_bytes", "%llu", b->o.size);
	meta_set(m, "runtime_s", "%u", b->o.runtime);
	meta_set(m, "mount_options", "%s", c->var->mount[0] ? c->var->mount : "defaults");
	meta_set(m, "mkfs_options", "%s", c->var->mkfs[0] ? c->var->mkfs : "-");
	meta_set(m, "fio_version", "%s", b->fio_ver);
	meta_set(m, "run", "%u", run);
	meta_set(m, "runs", "%u", b->o.runs);
	meta_set(m, "fs_block_size", "%lu", scratch_block_size(&b->fs));
	meta_set(m, "device", "%s", b->fs.loop ? "loop" : b->fs.dev);
	meta_set(m, "emulated", "%s", emulated() ? "yes" : "no");
}

/* Analyse a run and write its CSVs; the analysis is kept for the summary. */
static int analyse_run(const char *dir, struct run_analysis *ra)
{
	int err = run_analyse(dir, ra);

	if (err) {
		fprintf(stderr, "\ndioscope bench: %s\n", ra->error);
		return err;
	}
	return export_run(ra);
}

static int one_run(struct bench *b, const struct cell *c, unsigned int run,
		   struct run_analysis *ra)
{
	char dir[4096], file[300], job[PATH_MAX], log[4200], json[4200];
	char size[32], runtime[16];
	char *argv[] = { "fio", "--eta=never", "--output-format=json", json,
			 job, NULL };
	static struct recording rec;
	struct extent_count ext;
	struct meta m = { 0 };
	int rc;

	snprintf(dir, sizeof(dir), "%s/%s/run-%u", b->root, c->id, run);
	snprintf(file, sizeof(file), "%s/dioscope.dat", b->fs.mnt);
	snprintf(job, sizeof(job), "%s/%s.fio", b->o.bench_dir, c->sc->name);
	snprintf(log, sizeof(log), "%s/fio", dir);
	snprintf(json, sizeof(json), "--output=%s/fio.json", dir);
	snprintf(size, sizeof(size), "%llu", b->o.size);
	snprintf(runtime, sizeof(runtime), "%u", b->o.runtime);
	if (mkdir_p(dir) || setup_file(file, c->sc->setup, b->o.size)) {
		fprintf(stderr, "\ndioscope bench: preparing %s failed\n", dir);
		return -1;
	}
	setenv("DS_FILE", file, 1);
	setenv("DS_BS", c->bs, 1);
	setenv("DS_SIZE", size, 1);
	setenv("DS_RUNTIME", runtime, 1);
	setenv("DS_LOG", log, 1);
	run_meta(b, c, run, &m);
	rc = recorder_run(&b->t, dir, argv, &m, &rec);
	/* FIEMAP's view of the file after the run, to check the events by */
	if (!fiemap_count(file, &ext)) {
		char path[4200];

		meta_set(&m, "extents_after", "%lu", ext.extents);
		meta_set(&m, "unwritten_extents_after", "%lu", ext.unwritten);
		snprintf(path, sizeof(path), "%s/meta", dir);
		meta_write(&m, path);
	}
	meta_free(&m);
	if (rec.res.signal)
		return -EINTR;
	if (rc) {
		fprintf(stderr, "\ndioscope bench: fio failed in %s (status %d); see %s/fio.json\n",
			c->id, rc, dir);
		return -1;
	}
	return analyse_run(dir, ra);
}

static int run_cell(struct bench *b, const struct cell *c, int i, int n,
		    time_t start, unsigned int *done, unsigned int total)
{
	struct run_analysis ra[MAX_RUNS];
	unsigned int r, ok = 0;
	int err = 0;

	for (r = 1; r <= b->o.runs && !err; r++) {
		progress(i, n, r, b->o.runs, c->id, start, *done, total);
		err = one_run(b, c, r, &ra[ok]);
		if (!err)
			ok++;
		(*done)++;
		if (event_loop_stop_signal())
			err = -EINTR;
	}
	if (ok && !summary_of_runs(ra, ok, &b->rows[b->nrows]))
		b->nrows++;
	for (r = 0; r < ok; r++)
		run_analysis_free(&ra[r]);
	return err;
}

static int run_all(struct bench *b, struct cell *cells, int n)
{
	const struct bm_variant *mounted = NULL;
	unsigned int done = 0, total = n * b->o.runs;
	time_t start = time(NULL);
	int i, err = 0;

	for (i = 0; i < n && !err; i++) {
		if (cells[i].var != mounted) {
			if (scratch_umount(&b->fs) ||
			    scratch_mkfs_mount(&b->fs, cells[i].var->mkfs,
					       cells[i].var->mount)) {
				fprintf(stderr, "\ndioscope bench: %s\n", b->fs.error);
				return -1;
			}
			mounted = cells[i].var;
			tracer_update_ext4_devs(&b->t);
		}
		err = run_cell(b, &cells[i], i, n, start, &done, total);
		if (err && err != -EINTR) {
			b->failed = true;
			err = 0;
		}
	}
	fprintf(stderr, "\n");
	return err;
}

static int write_summary(struct bench *b)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/summary.csv", b->root);
	summary_print(stdout, b->rows, b->nrows);
	if (summary_write_csv(b->rows, b->nrows, path))
		return -1;
	printf("\nresults in %s (summary.csv; per run: ios.csv, events.csv, fio.json, meta)\n",
	       b->root);
	return 0;
}

static int check_env(struct bench *b)
{
	const char *problem = tracer_env_problem();
	char path[4200];

	if (problem) {
		fprintf(stderr, "dioscope bench: %s\n", problem);
		return -1;
	}
	fio_version(b->fio_ver, sizeof(b->fio_ver));
	if (!b->fio_ver[0]) {
		fprintf(stderr, "dioscope bench: fio is not installed (make deps, or apt-get install fio)\n");
		return -1;
	}
	snprintf(path, sizeof(path), "%s/matrix", b->o.bench_dir);
	if (bench_matrix_read(path, &b->m)) {
		fprintf(stderr, "dioscope bench: %s (--bench-dir names the bench directory)\n",
			b->m.error);
		return -1;
	}
	return 0;
}

int cmd_bench(int argc, char **argv)
{
	static struct bench b;
	static struct cell cells[MAX_SELECTED];
	struct utsname u;
	int n, rc = 1;

	b.o = (struct bench_opts){ .out = "results", .bench_dir = "bench",
				   .runs = 3, .runtime = 5, .size = 256ULL << 20 };
	if (parse(argc, argv, &b.o))
		return 2;
	if (check_env(&b))
		return 1;
	n = plan_cells(&b.o, &b.m, cells);
	if (n <= 0)
		return n < 0 ? 2 : 1;
	uname(&u);
	snprintf(b.root, sizeof(b.root), "%s/%s", b.o.out, u.release);
	if (mkdir_p(b.root)) {
		fprintf(stderr, "dioscope bench: cannot create %s: %s\n", b.root,
			strerror(errno));
		return 1;
	}
	event_loop_install_signals();
	/* an image four times the file: room for the journal and appends */
	if (scratch_open(&b.fs, b.o.device, 4 * b.o.size + (256 << 20),
			 b.o.force)) {
		fprintf(stderr, "dioscope bench: %s\n", b.fs.error);
		return 1;
	}
	if (cli_tracer_open(&b.t, &b.o.topts))
		goto out;
	rc = run_all(&b, cells, n);
	tracer_close(&b.t);
	if (rc == -EINTR)
		fprintf(stderr, "dioscope bench: interrupted; the run in progress is marked incomplete\n");
	write_summary(&b);
	rc = rc || b.failed ? 1 : 0;
out:
	scratch_close(&b.fs);
	return rc;
}
