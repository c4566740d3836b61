// SPDX-License-Identifier: GPL-2.0
/*
 * findings [--calibration FILE] [--csv FILE] DIR...
 *
 * The table of the churn findings (tests/perf/findings.sh table): DIR is
 * a bench's results (DIR/<kernel-release>/<scenario>/run-<j>/), as the
 * icount lab campaign leaves one per kernel. Per scenario and kernel
 * release, each metric's mean over the runs with its 95 % interval by
 * Student's t (the run is the unit, as in compare), from each run's
 * summary.csv and ios.csv:
 *
 *   ios        the run's IOs (writeback io_ends in a writeback scenario)
 *   pairs/1k   churn_pairs_per_1k_ios
 *   cpu/IO     wasted_cpu_ns_per_io: the churn pairs' time on the CPU,
 *              the tracer's programs on the calls nested in them out
 *   tracer/IO  wasted_tracer_ns_per_io: those programs, taken out above
 *   wait/IO    wasted_ns_per_io - cpu/IO - tracer/IO: the pairs' wall
 *              time with their task switched out
 *   share %    of the IOs' traced on-CPU kernel work, the waste's: the
 *              sum of ios.csv's wasted_cpu_ns over the sum of each IO's
 *              outermost traced calls on the CPU (a direct write:
 *              iomap_begin_cpu_ns + end_io_cpu_ns; a writeback IO:
 *              map_blocks_cpu_ns - convert_map_cpu_ns + convert_cpu_ns,
 *              its allocation and its conversion), both with the tracer's
 *              nested programs in (ios.csv does not count them per call)
 *   cpu/pair   cpu/IO over pairs/1k / 1000: a churn pair on the CPU
 *   est. ns    cpu/IO times the calibration's combined factor (an
 *              estimate for its CPU; interval: the ends multiplied out)
 *
 * A run without a value for a metric (no merge events seen, a call whose
 * time off the CPU was not measured, no pair to divide by) is left out of
 * that metric, and n says how many runs count. Times are what the runs'
 * clock counted: instructions under icount, ns otherwise (the unit line
 * says which). Exit status 1 when a DIR holds no run, 2 on bad usage.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compare/stats.h"
#include "run/calibration.h"
#include "run/tree.h"
#include "util/atomic_file.h"
#include "util/csv.h"
#include "util/stats.h"

#define MAX_RUNS 100
#define MAX_CELLS 128

enum metric {
	M_IOS, M_PAIRS, M_CPU, M_TRACER, M_WAIT, M_SHARE, M_PAIR_CPU,
	M_N,
};

static const char *const metric_names[M_N] = {
	"ios", "churn_pairs_per_1k_ios", "wasted_cpu_ns_per_io",
	"wasted_tracer_ns_per_io", "wasted_wait_ns_per_io",
	"wasted_share_of_cpu_pct", "wasted_cpu_ns_per_churn_pair",
};

struct cell {
	char scenario[128], kernel[128];
	bool icount, wall;
	double v[M_N][MAX_RUNS];
	size_t n[M_N];
	unsigned int runs;
	unsigned long long lost;
};

static struct cell cells[MAX_CELLS];
static int ncells;

static void add(struct cell *c, enum metric m, double v)
{
	if (isfinite(v) && c->n[m] < MAX_RUNS)
		c->v[m][c->n[m]++] = v;
}

/* the first row of a CSV file into names[]'s columns; 0 or -1 */
static int read_row(const char *path, const char *const *names, int n,
		    double *num, char (*str)[128])
{
	struct csv_reader r;
	int col[16], i, rc = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	csv_reader_init(&r, f);
	if (csv_read(&r) != 1)
		goto out;
	for (i = 0; i < n; i++)
		col[i] = csv_column(&r, names[i]);
	if (csv_read(&r) != 1)
		goto out;
	for (i = 0; i < n; i++) {
		const char *v = col[i] >= 0 && col[i] < r.nfields ?
				r.fields[col[i]] : "";

		num[i] = csv_number(v);
		if (str)
			snprintf(str[i], sizeof(str[i]), "%s", v);
	}
	rc = 0;
out:
	csv_reader_free(&r);
	fclose(f);
	return rc;
}

enum { IC_SOURCE, IC_IO, IC_WASTED, IC_IB, IC_EI, IC_MB, IC_CM, IC_CV,
       IC_N };
/* a time on the CPU and the count of calls it is of */
static const char *const ios_cols[IC_N][2] = {
	{ "source", "source" }, { "io", "io" },
	{ "wasted_cpu_ns", "churn_pairs" },
	{ "iomap_begin_cpu_ns", "iomap_begin_count" },
	{ "end_io_cpu_ns", "end_io_count" },
	{ "map_blocks_cpu_ns", "map_blocks_count" },
	{ "convert_map_cpu_ns", "convert_map_count" },
	{ "convert_cpu_ns", "convert_count" },
};

static const char *field(const struct csv_reader *r, int col)
{
	return col >= 0 && col < r->nfields ? r->fields[col] : "";
}

/*
 * Column k's time on the CPU: 0 where no call was counted (none made, or
 * not traced); false where calls were counted and their time is not known
 * (empty: off-CPU time not measured, or a tracepoint without duration).
 */
static bool cpu_of(const struct csv_reader *r, const int (*col)[2], int k,
		   double *out)
{
	double count = csv_number(field(r, col[k][1]));

	*out = 0;
	if (isnan(count) || count == 0)
		return true;
	*out = csv_number(field(r, col[k][0]));
	return !isnan(*out);
}

/* an IO's outermost traced calls on the CPU; false when one is unknown */
static bool outer_cpu(const struct csv_reader *r, const int (*col)[2],
		      double *out)
{
	double a, b, c;

	if (strcmp(field(r, col[IC_SOURCE][0]), "writeback")) {
		if (!cpu_of(r, col, IC_IB, &a) || !cpu_of(r, col, IC_EI, &b))
			return false;
		*out = a + b;
		return true;
	}
	if (!cpu_of(r, col, IC_MB, &a) || !cpu_of(r, col, IC_CM, &b) ||
	    !cpu_of(r, col, IC_CV, &c))
		return false;
	*out = a - b + c;
	return true;
}

/* the waste's share of the IOs' traced on-CPU work in %, or NAN */
static double share_of(const char *run)
{
	char path[4096];
	struct csv_reader r;
	double waste = 0, work = 0, w, o;
	int col[IC_N][2], i, j;
	bool known = true;
	FILE *f;

	if (tree_path(path, sizeof(path), run, "ios.csv") ||
	    !(f = fopen(path, "r")))
		return NAN;
	csv_reader_init(&r, f);
	if (csv_read(&r) != 1)
		known = false;
	for (i = 0; known && i < IC_N; i++)
		for (j = 0; j < 2; j++)
			if ((col[i][j] = csv_column(&r, ios_cols[i][j])) < 0)
				known = false;
	while (known && csv_read(&r) == 1) {
		if (!*field(&r, col[IC_IO][0]))
			continue;	/* fio's side of an IO the kernel missed */
		if (!outer_cpu(&r, col, &o) || !cpu_of(&r, col, IC_WASTED, &w))
			known = false;
		waste += w;
		work += o;
	}
	csv_reader_free(&r);
	fclose(f);
	return known && work > 0 ? 100 * waste / work : NAN;
}

enum { SC_IOS, SC_PAIRS, SC_WALL, SC_CPU, SC_TRACER, SC_LOST, SC_N };
static const char *const sum_cols[SC_N] = {
	"ios", "churn_pairs_per_1k_ios", "wasted_ns_per_io",
	"wasted_cpu_ns_per_io", "wasted_tracer_ns_per_io", "lost_events",
};
static const char *const sum_str_cols[] = { "clock", "kernel_release" };

static struct cell *cell_of(const char *scenario, const char *kernel)
{
	struct cell *c;
	int i;

	for (i = 0; i < ncells; i++)
		if (!strcmp(cells[i].scenario, scenario) &&
		    !strcmp(cells[i].kernel, kernel))
			return &cells[i];
	if (ncells == MAX_CELLS)
		return NULL;
	c = &cells[ncells++];
	snprintf(c->scenario, sizeof(c->scenario), "%s", scenario);
	snprintf(c->kernel, sizeof(c->kernel), "%s", kernel);
	return c;
}

static int read_run(const char *run, const char *scenario)
{
	char path[4096], str[2][128];
	double s[SC_N], ignored[2];
	struct cell *c;

	if (tree_path(path, sizeof(path), run, RUN_SUMMARY) ||
	    read_row(path, sum_cols, SC_N, s, NULL) ||
	    read_row(path, sum_str_cols, 2, ignored, str)) {
		fprintf(stderr, "findings: %s: no summary.csv row (dioscope report makes one): left out\n",
			run);
		return 0;
	}
	c = cell_of(scenario, str[1]);
	if (!c) {
		fprintf(stderr, "findings: more than %d scenario x kernel cells\n",
			MAX_CELLS);
		return -1;
	}
	if (!strcmp(str[0], "icount"))
		c->icount = true;
	else
		c->wall = true;
	c->runs++;
	if (!isnan(s[SC_LOST]))
		c->lost += s[SC_LOST];
	add(c, M_IOS, s[SC_IOS]);
	add(c, M_PAIRS, s[SC_PAIRS]);
	add(c, M_CPU, s[SC_CPU]);
	add(c, M_TRACER, s[SC_TRACER]);
	add(c, M_WAIT, s[SC_WALL] - s[SC_CPU] - s[SC_TRACER]);
	add(c, M_SHARE, share_of(run));
	if (s[SC_PAIRS] > 0)
		add(c, M_PAIR_CPU, s[SC_CPU] / (s[SC_PAIRS] / 1000));
	return 1;
}

/* every run under DIR/<release>/<scenario>/: how many, or -1 */
static int read_tree(const char *dir)
{
	struct tree_names rel = { 0 }, sc = { 0 }, runs = { 0 };
	int i, j, k, n = 0, rc;

	if (tree_list(dir, false, &rel) < 0) {
		fprintf(stderr, "findings: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < rel.n && n >= 0; i++) {
		if (tree_list(rel.v[i], false, &sc) < 0)
			continue;
		for (j = 0; j < sc.n && n >= 0; j++) {
			const char *name = strrchr(sc.v[j], '/') + 1;

			if (tree_list(sc.v[j], true, &runs) < 0)
				continue;
			for (k = 0; k < runs.n && n >= 0; k++) {
				rc = read_run(runs.v[k], name);
				n = rc < 0 ? -1 : n + rc;
			}
			tree_names_free(&runs);
		}
		tree_names_free(&sc);
	}
	tree_names_free(&rel);
	return n;
}

struct stat_of {
	struct mean_ci ci;
	size_t n;
};

static void stat(const struct cell *c, enum metric m, struct stat_of *s)
{
	s->n = c->n[m];
	if (mean_t_interval(c->v[m], s->n, STATS_CONFIDENCE, &s->ci))
		s->ci.mean = s->ci.lo = s->ci.hi = s->ci.sd = NAN;
}

/* v in fmt; a tiny negative that rounds to 0 prints as 0, not -0 */
static void num(char *buf, size_t len, const char *fmt, double v)
{
	snprintf(buf, len, fmt, v);
	if (buf[0] == '-' && strtod(buf + 1, NULL) == 0)
		memmove(buf, buf + 1, strlen(buf));
}

/* "mean [lo, hi]" in a field of width w, or "-" with no run */
static void print_ci(FILE *f, const struct stat_of *s, const char *fmt, int w,
		     unsigned int runs)
{
	char buf[128], a[32], b[32], m[32];
	size_t used;

	if (!s->n) {
		snprintf(buf, sizeof(buf), "-");
	} else {
		num(m, sizeof(m), fmt, s->ci.mean);
		if (isnan(s->ci.lo)) {
			snprintf(buf, sizeof(buf), "%s", m);
		} else {
			num(a, sizeof(a), fmt, s->ci.lo);
			num(b, sizeof(b), fmt, s->ci.hi);
			snprintf(buf, sizeof(buf), "%s [%s, %s]", m, a, b);
		}
	}
	/* fewer runs than the cell's: some had no value for it */
	used = strlen(buf);
	if (s->n && s->n < runs)
		snprintf(buf + used, sizeof(buf) - used, " n=%zu", s->n);
	fprintf(f, "  %-*s", w, buf);
}

static void csv_metric(struct csv_row *r, const struct cell *c,
		       const char *metric, const char *unit,
		       const struct stat_of *s, const double *v)
{
	char vals[MAX_RUNS * 24] = "";
	size_t i, used = 0;

	for (i = 0; v && i < s->n && used < sizeof(vals) - 24; i++)
		used += snprintf(vals + used, sizeof(vals) - used, "%s%.6g",
				 i ? " " : "", v[i]);
	csv_str(r, c->scenario);
	csv_str(r, c->kernel);
	csv_str(r, metric);
	csv_str(r, unit);
	csv_u64(r, s->n);
	csv_f64(r, s->ci.mean);
	csv_f64(r, s->ci.lo);
	csv_f64(r, s->ci.hi);
	csv_f64(r, s->ci.mean ? 100 * s->ci.sd / fabs(s->ci.mean) : NAN);
	csv_str(r, vals);
	csv_end(r);
}

static const char *unit_of(const struct cell *c, enum metric m)
{
	if (m == M_IOS || m == M_PAIRS || m == M_SHARE)
		return m == M_IOS ? "IOs" : m == M_PAIRS ? "per 1000 IOs" : "%";
	if (m == M_WAIT)
		return c->icount ? "guest ns (icount: other tasks' instructions and idle jumps)" : "ns";
	return c->icount ? "instructions" : "ns";
}

static void estimate_of(const struct calibration *cal, const struct stat_of *s,
			struct calib_estimate *e)
{
	e->ns = e->lo = e->hi = NAN;
	if (s->n)
		calib_apply(&cal->k[CALIB_COMBINED], s->ci.mean, s->ci.lo,
			    s->ci.hi, e);
}

/* one row per metric, scenario and kernel, its per-run values with it */
static void write_rows(FILE *f, const struct calibration *cal)
{
	struct calib_estimate e;
	struct stat_of s, es;
	char label[192];
	struct csv_row r;
	int i, m;

	csv_header(f, "scenario,kernel,metric,unit,runs,mean,ci_lo,ci_hi,sd_pct,values");
	for (i = 0; i < ncells; i++) {
		for (m = 0; m < M_N; m++) {
			stat(&cells[i], m, &s);
			csv_begin(&r, f);
			csv_metric(&r, &cells[i], metric_names[m],
				   unit_of(&cells[i], m), &s, cells[i].v[m]);
		}
		if (!cal || !cells[i].icount)
			continue;
		stat(&cells[i], M_CPU, &s);
		estimate_of(cal, &s, &e);
		es = s;
		es.ci.mean = e.ns;
		es.ci.lo = e.lo;
		es.ci.hi = e.hi;
		es.ci.sd = NAN;
		calib_label(cal, label, sizeof(label));
		csv_begin(&r, f);
		csv_metric(&r, &cells[i], "wasted_cpu_ns_per_io_estimated",
			   label, &es, NULL);
	}
}

static int write_csv(const char *path, const struct calibration *cal)
{
	struct atomic_file af;
	int err = atomic_open(&af, path);

	if (!err) {
		write_rows(af.f, cal);
		err = atomic_commit(&af, false);
	}
	if (err)
		fprintf(stderr, "findings: %s: %s\n", path, atomic_strerror(err));
	return err;
}

static int by_scenario(const void *a, const void *b)
{
	const struct cell *x = a, *y = b;
	int d = strcmp(x->scenario, y->scenario);

	return d ? d : strcmp(x->kernel, y->kernel);
}

static void print_table(FILE *f, const struct calibration *cal)
{
	static const struct {
		enum metric m;
		const char *head, *fmt;
		int w;
	} col[] = {
		{ M_IOS, "IOs/run", "%.0f", 18 },
		{ M_PAIRS, "pairs/1k IOs", "%.1f", 22 },
		{ M_CPU, "cpu/IO", "%.0f", 22 },
		{ M_TRACER, "tracer/IO", "%.0f", 18 },
		{ M_WAIT, "wait/IO", "%.0f", 22 },
		{ M_SHARE, "share %", "%.2f", 20 },
		{ M_PAIR_CPU, "cpu/pair", "%.0f", 22 },
	};
	struct stat_of s;
	unsigned int k;
	int i;

	fprintf(f, "%-36s %-26s %3s", "scenario", "kernel", "n");
	for (k = 0; k < sizeof(col) / sizeof(col[0]); k++)
		fprintf(f, "  %-*s", col[k].w, col[k].head);
	if (cal)
		fprintf(f, "  %s", "est. ns/IO");
	fprintf(f, "\n");
	for (i = 0; i < ncells; i++) {
		const struct cell *c = &cells[i];

		fprintf(f, "%-36s %-26s %3u", c->scenario, c->kernel, c->runs);
		for (k = 0; k < sizeof(col) / sizeof(col[0]); k++) {
			stat(c, col[k].m, &s);
			print_ci(f, &s, col[k].fmt, col[k].w, c->runs);
		}
		if (cal && c->icount) {
			struct calib_estimate e;

			stat(c, M_CPU, &s);
			estimate_of(cal, &s, &e);
			s.ci.mean = e.ns;
			s.ci.lo = e.lo;
			s.ci.hi = e.hi;
			print_ci(f, &s, "%.0f", 0, c->runs);
		}
		if (c->lost)
			fprintf(f, "  (%llu events lost)", c->lost);
		fprintf(f, "\n");
	}
}

static void print_notes(FILE *f, const struct calibration *cal)
{
	bool icount = false, wall = false;
	char text[512];
	int i;

	for (i = 0; i < ncells; i++) {
		icount |= cells[i].icount;
		wall |= cells[i].wall;
	}
	fprintf(f, "\nmean [95 %% t interval] over the runs; n runs a cell. ");
	if (icount && wall)
		fprintf(f, "Mixed clocks: some cells' times are instructions (icount), others wall ns.\n");
	else if (icount)
		fprintf(f, "Times: guest instructions (clock=icount); wait/IO: guest time switched out.\n");
	else
		fprintf(f, "Times: wall ns of the runs' clock.\n");
	fprintf(f, "cpu/IO: the churn pairs on the CPU, the tracer's nested programs (tracer/IO) out;\n"
		   "share %%: the waste's share of the IOs' outermost traced calls on the CPU.\n");
	if (cal) {
		calib_factor_text(cal, CALIB_COMBINED, text, sizeof(text));
		fprintf(f, "est. ns/IO: cpu/IO as estimated ns on %s, %s\n",
			cal->cpu_model, text);
	}
}

int main(int argc, char **argv)
{
	struct calibration cal, *calp = NULL;
	const char *csv = NULL;
	char why[512];
	int i, n;

	for (i = 1; i < argc && argv[i][0] == '-'; i += 2) {
		if (i + 1 >= argc)
			goto usage;
		if (!strcmp(argv[i], "--calibration")) {
			if (calibration_read(argv[i + 1], &cal, why, sizeof(why))) {
				fprintf(stderr, "findings: %s\n", why);
				return 2;
			}
			calp = &cal;
		} else if (!strcmp(argv[i], "--csv")) {
			csv = argv[i + 1];
		} else {
			goto usage;
		}
	}
	if (i == argc)
		goto usage;
	for (; i < argc; i++) {
		n = read_tree(argv[i]);
		if (n < 0)
			return 1;
		if (!n) {
			fprintf(stderr, "findings: %s: no run-<j>/summary.csv under <release>/<scenario>/\n",
				argv[i]);
			return 1;
		}
	}
	qsort(cells, ncells, sizeof(cells[0]), by_scenario);
	print_table(stdout, calp);
	print_notes(stdout, calp);
	if (csv && write_csv(csv, calp))
		return 1;
	return 0;
usage:
	fprintf(stderr, "usage: findings [--calibration FILE] [--csv FILE] DIR...\n");
	return 2;
}
