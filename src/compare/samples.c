// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include "compare/samples.h"
#include "compare/summary_check.h"
#include "util/csv.h"
#include "util/fileio.h"
#include "dioscope.h"
#include "run/summary.h"
#include "run/tree.h"

/* struct samples holds SAMPLE_MAX_COLS columns: every io_col needs one */
_Static_assert(IOC_MAX <= SAMPLE_MAX_COLS, "struct samples is too narrow");

/* The ios.csv columns of each sample column; the second name is older. */
static const char *const io_names[IOC_MAX][2] = {
	[IOC_LAT] = { "lat_ns" },
	[IOC_WASTED] = { "wasted_ns", "wasted_ns_total" },
	[IOC_CHURN] = { "churn_pairs" },
	[IOC_SPLIT] = { "split_count" },
	[IOC_MERGE] = { "merge_count" },
	[IOC_PRE_IO] = { "pre_io_count" },
	[IOC_WASTED_CPU] = { "wasted_cpu_ns" },
	[IOC_WORK_CPU] = { "work_cpu_ns" },
};

/* the message of a refused cell, for read_ios() */
static char s_error[PATH_MAX + 160];

struct ios_cols {
	int io, joined, state, c[IOC_MAX];
	/* a run without fio: its latency is the kernel's of each IO done */
	bool kernel_lat;
	int nested;		/* wasted_nested_calls */
	int work_nested;	/* work_nested_calls */
	double call_ns;		/* the run's mean cost of a traced call */
};

/*
 * A cell as summary and ios.csv write numbers: decimal digits, maybe a
 * fraction; empty is unknown (NAN). 0, or -EINVAL for anything else: a
 * sign, a base prefix, an exponent, inf or nan would be taken by strtod.
 */
static int number(const struct csv_reader *rd, int col, double *v)
{
	const char *s, *p;
	bool frac = false;

	*v = NAN;
	if (col < 0 || col >= rd->nfields || !*(s = rd->fields[col]))
		return 0;
	for (p = s; *p; p++) {
		if (*p == '.' && !frac && p != s && p[1]) {
			frac = true;
			continue;
		}
		if (*p < '0' || *p > '9')
			return -EINVAL;
	}
	*v = strtod(s, NULL);
	return isfinite(*v) ? 0 : -EINVAL;
}

static void find_cols(const struct csv_reader *rd, struct ios_cols *c)
{
	int i;

	c->io = csv_column(rd, "io");
	c->joined = csv_column(rd, "joined");
	c->state = csv_column(rd, "state");
	for (i = 0; i < IOC_MAX; i++) {
		c->c[i] = csv_column(rd, io_names[i][0]);
		if (c->c[i] < 0 && io_names[i][1])
			c->c[i] = csv_column(rd, io_names[i][1]);
	}
	if (c->kernel_lat)
		c->c[IOC_LAT] = csv_column(rd, "kernel_lat_ns");
	c->nested = csv_column(rd, "wasted_nested_calls");
	c->work_nested = csv_column(rd, "work_nested_calls");
}

/*
 * A run's mean cost of a traced call, two program runs, from its
 * summary.csv: what the summary takes out of the waste on the CPU for
 * each call nested in it. NAN when its BPF statistics were off.
 */
static double run_call_ns(const char *dir)
{
	char path[PATH_MAX + 16];
	struct csv_table t;
	double ns, runs;

	tree_path(path, sizeof(path), dir, RUN_SUMMARY);
	if (csv_table_read(path, &t))
		return NAN;
	ns = csv_number(csv_table_get(&t, 0, "bpf_run_time_ns_total"));
	runs = csv_number(csv_table_get(&t, 0, "bpf_runs_total"));
	csv_table_free(&t);
	return runs > 0 ? 2 * ns / runs : NAN;
}

/*
 * An on-CPU time of the IO without the tracer's programs on the calls
 * nested in it, whose count is in column col.
 */
static double cpu_less_tracer(const struct csv_reader *rd,
			      const struct ios_cols *c, int col, double cpu)
{
	double nested;

	if (isnan(cpu) || number(rd, col, &nested) || isnan(nested))
		return NAN;
	if (!nested)
		return cpu;
	return cpu - nested * c->call_ns;
}

/* Whose latency a run's summary.csv holds: the kernel's without fio. */
static bool run_kernel_lat(const char *dir)
{
	char path[PATH_MAX + 16];
	struct csv_table t;
	const char *v;
	bool kernel;

	tree_path(path, sizeof(path), dir, RUN_SUMMARY);
	if (csv_table_read(path, &t))
		return false;
	v = csv_table_get(&t, 0, "latency_source");
	kernel = v && !strcmp(v, SUMMARY_LAT_KERNEL);
	csv_table_free(&t);
	return kernel;
}

static int grow(struct samples *s, size_t *cap)
{
	size_t n = *cap ? *cap * 2 : 4096;
	int i;

	for (i = 0; i < IOC_MAX; i++) {
		double *v = realloc(s->col[i], n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->col[i] = v;
	}
	*cap = n;
	return 0;
}

/*
 * One line: latency where fio's IO joined a kernel IO (as summary.csv
 * counts it); kernel columns where the kernel saw the IO.
 */
static int add_line(struct samples *s, const struct csv_reader *rd,
		    const struct ios_cols *c, const char *path)
{
	bool kernel = c->io < 0 || (c->io < rd->nfields && rd->fields[c->io][0]);
	bool joined = c->joined < 0 ||
		      (c->joined < rd->nfields && !strcmp(rd->fields[c->joined], "1"));

	/* as the summary counts it: each IO the kernel saw done */
	if (c->kernel_lat)
		joined = c->state >= 0 && c->state < rd->nfields &&
			 !strcmp(rd->fields[c->state], "done");
	size_t row = s->nrows;
	double v;
	int i;

	for (i = 0; i < IOC_MAX; i++) {
		if (number(rd, c->c[i], &v)) {
			snprintf(s_error, sizeof(s_error),
				 "%s:%lu: %s '%s' is not a number of ns or events",
				 path, rd->line, io_names[i][0], rd->fields[c->c[i]]);
			return -EINVAL;
		}
		if (i == IOC_WASTED_CPU)
			v = cpu_less_tracer(rd, c, c->nested, v);
		if (i == IOC_WORK_CPU)
			v = cpu_less_tracer(rd, c, c->work_nested, v);
		if (i == IOC_LAT)
			s->col[i][row] = joined ? v : NAN;
		else
			s->col[i][row] = kernel ? v : NAN;
	}
	s->nrows++;
	return 0;
}

static int read_ios(const char *dir, struct samples *s, size_t *cap,
		    char *err, size_t len)
{
	char path[PATH_MAX + 16];
	struct ios_tally tally;
	struct csv_reader rd;
	struct ios_cols c = { .kernel_lat = run_kernel_lat(dir),
			      .call_ns = run_call_ns(dir) };
	int rc = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/ios.csv", dir);
	/* a FIFO in its place is refused, not waited on */
	f = fopen_regular(path, err, len);
	if (!f)
		return -errno;
	csv_reader_init(&rd, f);
	if (csv_read(&rd) <= 0) {
		snprintf(err, len, "%s: no header", path);
		rc = -EINVAL;
		goto out;
	}
	find_cols(&rd, &c);
	/* a table without the IOs' latency is no ios.csv, not one of no IO */
	if (c.c[IOC_LAT] < 0 || c.io < 0) {
		snprintf(err, len, "%s: no %s or io column: not a dioscope ios.csv",
			 path, c.kernel_lat ? "kernel_lat_ns" : "lat_ns");
		rc = -EINVAL;
		goto out;
	}
	ios_tally_begin(&tally, &rd);
	while (!rc && (rc = csv_read(&rd)) > 0) {
		rc = s->nrows == *cap ? grow(s, cap) : 0;
		if (!rc)
			rc = add_line(s, &rd, &c, path);
		if (rc == -EINVAL) {
			snprintf(err, len, "%s", s_error);
			goto out;
		}
		ios_tally_add(&tally, &rd);
	}
	if (rc < 0)
		snprintf(err, len, "%s: %s", path, rc == -1 ? rd.error : strerror(-rc));
	else
		rc = summary_check(dir, &tally, err, len);
out:
	csv_reader_free(&rd);
	fclose(f);
	return rc < 0 ? (rc == -1 ? -EINVAL : rc) : 0;
}

/* A run's IOPS, from its one-row summary.csv. */
static double run_iops(const char *dir)
{
	char path[PATH_MAX + 16];
	struct csv_table t;
	double iops;

	tree_path(path, sizeof(path), dir, RUN_SUMMARY);
	if (csv_table_read(path, &t))
		return NAN;
	iops = csv_number(csv_table_get(&t, 0, "iops"));
	csv_table_free(&t);
	return iops;
}

/* A merge event may join several pairs of extents: aux2 says how many. */
static double merged_pairs(const struct csv_reader *rd, int cf, int ca)
{
	unsigned long n;

	if (!(strtoul(rd->fields[cf], NULL, 0) & DS_MERGE_DONE))
		return 0;
	n = ca >= 0 && ca < rd->nfields ? strtoul(rd->fields[ca], NULL, 0) : 0;
	return n ? n : 1;
}

/* Splits and merges done in a run, every one events.csv holds. */
static int count_events(const char *dir, double *splits, double *merges)
{
	char path[PATH_MAX + 16], why[PATH_MAX + 64];
	struct csv_reader rd;
	int ct, cf, ca, rc;
	FILE *f;

	*splits = *merges = 0;
	snprintf(path, sizeof(path), "%s/events.csv", dir);
	f = fopen_regular(path, why, sizeof(why));
	if (!f)
		return -errno;
	csv_reader_init(&rd, f);
	rc = csv_read(&rd);
	ct = rc > 0 ? csv_column(&rd, "type") : -1;
	cf = rc > 0 ? csv_column(&rd, "flags") : -1;
	ca = rc > 0 ? csv_column(&rd, "aux2") : -1;
	while (ct >= 0 && cf >= 0 && (rc = csv_read(&rd)) > 0) {
		if (ct >= rd.nfields || cf >= rd.nfields)
			continue;
		if (!strcmp(rd.fields[ct], "split"))
			*splits += 1;
		else if (!strcmp(rd.fields[ct], "merge"))
			*merges += merged_pairs(&rd, cf, ca);
	}
	csv_reader_free(&rd);
	fclose(f);
	return ct < 0 || cf < 0 || rc < 0 ? -EINVAL : 0;
}

/* Adds total - (what the rows of a run hold) evenly to those rows. */
static void spread(struct samples *s, int col, size_t r, double total)
{
	size_t i, n = 0;
	double held = 0, share;

	for (i = s->off[r]; i < s->off[r + 1]; i++) {
		if (isnan(s->col[col][i]))
			continue;
		held += s->col[col][i];
		n++;
	}
	if (!n || total <= held)
		return;
	share = (total - held) / n;
	for (i = s->off[r]; i < s->off[r + 1]; i++)
		if (!isnan(s->col[col][i]))
			s->col[col][i] += share;
}

static int spread_unattributed(struct samples *s, const struct run_list *runs,
			       char *err, size_t len)
{
	double splits, merges;
	size_t r;
	int rc;

	for (r = 0; r < runs->n; r++) {
		rc = count_events(runs->dir[r], &splits, &merges);
		if (rc) {
			snprintf(err, len, "%s/events.csv: %s", runs->dir[r],
				 rc == -EINVAL ? "not an events table" : strerror(-rc));
			return rc;
		}
		spread(s, IOC_SPLIT, r, splits);
		spread(s, IOC_MERGE, r, merges);
	}
	return 0;
}

/* Are runs r and q row for row the same? */
static bool same_rows(const struct samples *s, size_t r, size_t q)
{
	size_t n = s->off[r + 1] - s->off[r];
	int i;

	if (!n || n != s->off[q + 1] - s->off[q])
		return false;
	for (i = 0; i < IOC_MAX; i++)
		if (memcmp(s->col[i] + s->off[r], s->col[i] + s->off[q],
			   n * sizeof(double)))
			return false;
	return true;
}

/*
 * A copy of a run is not a second run: counted twice it would shrink the
 * spread between runs and make a difference look significant. Two runs
 * of one arm whose IOs are the same, value for value, are refused.
 */
static int check_distinct(const struct samples *s, const struct run_list *runs,
			  char *err, size_t len)
{
	size_t r, q;

	for (r = 1; r < runs->n; r++)
		for (q = 0; q < r; q++)
			if (same_rows(s, r, q)) {
				snprintf(err, len,
					 "%s and %s hold the same IOs, value for value: one run copied, not two runs",
					 runs->dir[q], runs->dir[r]);
				return -EINVAL;
			}
	return 0;
}

int samples_load(const struct run_list *runs, bool totals,
		 struct samples *s, char *err, size_t len)
{
	size_t cap = 0, r;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	s->ncols = IOC_MAX;
	s->off = calloc(runs->n + 1, sizeof(*s->off));
	s->run_v = calloc(runs->n ? runs->n : 1, sizeof(*s->run_v));
	if (!s->off || !s->run_v || grow(s, &cap)) {
		snprintf(err, len, "out of memory");
		rc = -ENOMEM;
		goto fail;
	}
	for (r = 0; r < runs->n; r++) {
		s->off[r] = s->nrows;
		rc = read_ios(runs->dir[r], s, &cap, err, len);
		if (rc)
			goto fail;
		s->run_v[r] = run_iops(runs->dir[r]);
	}
	s->nruns = runs->n;
	s->off[r] = s->nrows;
	rc = check_distinct(s, runs, err, len);
	if (!rc && totals)
		rc = spread_unattributed(s, runs, err, len);
	if (!rc)
		rc = samples_index(s);
	if (!rc)
		return 0;
fail:
	samples_free(s);
	return rc;
}
