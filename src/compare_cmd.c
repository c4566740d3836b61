// SPDX-License-Identifier: GPL-2.0
/*
 * dioscope compare A B [C...]: the same scenarios on different kernels,
 * metric by metric: value per kernel, difference to the first in %, a 95 %
 * bootstrap interval of that difference, a Mann-Whitney p-value, and a
 * mark where the difference is significant.
 */
#include <errno.h>
#include <getopt.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "compare_stats.h"
#include "csv.h"
#include "csv_table.h"

#define MAX_KERNELS 8
#define REPS 400
#define CONF 0.95
#define ALPHA 0.05

struct metric {
	const char *col, *label, *unit;
	double pct;		/* per-IO percentile; 0: per-run value */
};

static const struct metric metrics[] = {
	{ "lat_p50_ns", "p50 latency", "us", 50 },
	{ "lat_p90_ns", "p90 latency", "us", 90 },
	{ "lat_p99_ns", "p99 latency", "us", 99 },
	{ "lat_p999_ns", "p99.9 latency", "us", 99.9 },
	{ "iops", "IOPS", "", 0 },
	{ "pre_io_splits_per_1k_ios", "PRE_IO splits/1k IOs", "", 0 },
	{ "wasted_ns_per_io", "wasted ns/IO", "ns", 0 },
	{ "churn_pairs_per_1k_ios", "churn pairs/1k IOs", "", 0 },
	{ "splits_per_1k_ios", "splits/1k IOs", "", 0 },
	{ "merges_per_1k_ios", "merges/1k IOs", "", 0 },
};

#define NMETRICS (sizeof(metrics) / sizeof(metrics[0]))

/* Parameters that must be equal for a comparison to mean anything. */
static const char *const same_params[] = {
	"block_size_bytes", "size_bytes", "mount_options", "fio_version",
};

/*
 * The samples of a metric for one scenario of one results directory:
 * per-IO latencies from each run's ios.csv, or one value per run from
 * each run's summary.csv.
 */
static int load_samples(const char *dir, const char *scenario,
			const struct metric *m, struct runs *out)
{
	char pattern[4200];
	size_t cap = 0, n = 0, r;
	glob_t g;

	memset(out, 0, sizeof(*out));
	snprintf(pattern, sizeof(pattern), "%s/%s/run-*/%s", dir, scenario,
		 m->pct ? "ios.csv" : "summary.csv");
	if (glob(pattern, 0, NULL, &g))
		return -ENOENT;
	out->off = calloc(g.gl_pathc + 1, sizeof(*out->off));
	for (r = 0; r < g.gl_pathc && out->off; r++) {
		struct csv_reader rd;
		FILE *f = fopen(g.gl_pathv[r], "r");
		int col = -1, joined = -1;

		out->off[out->nruns] = n;
		if (!f)
			continue;
		csv_reader_init(&rd, f);
		if (csv_read(&rd) > 0) {
			col = csv_column(&rd, m->pct ? "lat_ns" : m->col);
			joined = csv_column(&rd, "joined");
		}
		while (col >= 0 && csv_read(&rd) > 0) {
			char *end;
			double v;

			if (col >= rd.nfields || !rd.fields[col][0] ||
			    (m->pct && joined >= 0 && strcmp(rd.fields[joined], "1")))
				continue;
			v = strtod(rd.fields[col], &end);
			if (*end)
				continue;
			if (n == cap) {
				double *nv = realloc(out->v, (cap = cap ? cap * 2 : 4096) *
						     sizeof(*nv));

				if (!nv)
					break;
				out->v = nv;
			}
			out->v[n++] = v;
		}
		csv_reader_free(&rd);
		fclose(f);
		if (n > out->off[out->nruns])
			out->nruns++;
	}
	if (out->off)
		out->off[out->nruns] = n;
	globfree(&g);
	return out->nruns ? 0 : -ENOENT;
}

static void runs_free(struct runs *r)
{
	free(r->v);
	free(r->off);
	memset(r, 0, sizeof(*r));
}

struct cmp_ctx {
	int nk;
	const char *dir[MAX_KERNELS];
	struct table t[MAX_KERNELS];
	FILE *csv;
	int significant, compared;
};

static bool check_params(struct cmp_ctx *c, const char *scenario)
{
	int k, row0 = table_find_row(&c->t[0], scenario);
	size_t p;

	for (k = 1; k < c->nk; k++) {
		int row = table_find_row(&c->t[k], scenario);

		for (p = 0; p < sizeof(same_params) / sizeof(same_params[0]); p++) {
			const char *a = table_get(&c->t[0], row0, same_params[p]);
			const char *b = table_get(&c->t[k], row, same_params[p]);

			if (a && b && strcmp(a, b)) {
				fprintf(stderr, "dioscope compare: %s: %s differs (%s in %s, %s in %s): refusing to compare\n",
					scenario, same_params[p], a, c->dir[0], b, c->dir[k]);
				return false;
			}
		}
		if (strcmp(table_get(&c->t[0], row0, "tiers") ?: "", table_get(&c->t[k], row, "tiers") ?: ""))
			fprintf(stderr, "dioscope compare: warning: %s: attach tiers differ (%s vs %s)\n",
				scenario, table_get(&c->t[0], row0, "tiers"),
				table_get(&c->t[k], row, "tiers"));
	}
	return true;
}

static void print_value(const char *v, const struct metric *m)
{
	double d;

	if (!v || !*v) {
		printf(" %12s", "n/a");
		return;
	}
	d = atof(v);
	printf(" %12.2f", !strcmp(m->unit, "us") ? d / 1000 : d);
}

static void compare_metric(struct cmp_ctx *c, const char *scenario,
			   const struct metric *m)
{
	struct runs a, b;
	double diff, lo, hi;
	struct mwu u;
	int k, row;

	printf("  %-22s", m->label);
	for (k = 0; k < c->nk; k++) {
		row = table_find_row(&c->t[k], scenario);
		print_value(table_get(&c->t[k], row, m->col), m);
	}
	if (load_samples(c->dir[0], scenario, m, &a)) {
		printf("   (no per-run data)\n");
		return;
	}
	for (k = 1; k < c->nk; k++) {
		const char *va = table_get(&c->t[0], table_find_row(&c->t[0], scenario), m->col);
		const char *vb = table_get(&c->t[k], table_find_row(&c->t[k], scenario), m->col);
		bool sig;

		if (!va || !*va || !vb || !*vb || load_samples(c->dir[k], scenario, m, &b)) {
			printf("   %-30s", "n/a");
			continue;
		}
		bootstrap_diff_pct(&a, &b, m->pct ? stat_percentile : stat_mean,
				   m->pct, REPS, CONF, 1, &diff, &lo, &hi);
		if (isnan(diff)) {	/* a zero base has no relative difference */
			printf("   %-30s", "n/a (base is 0)");
			runs_free(&b);
			continue;
		}
		mann_whitney(a.v, a.off[a.nruns], b.v, b.off[b.nruns], &u);
		sig = u.p < ALPHA && !isnan(lo) && (lo > 0 || hi < 0);
		c->compared++;
		c->significant += sig;
		printf("  %+7.2f%% [%+.2f, %+.2f] p=%.3g%s", diff, lo, hi, u.p,
		       sig ? " *" : "");
		fprintf(c->csv, "%s,%s,%s,%s,%s,%s,%.4f,%.4f,%.4f,%.4g,%s\r\n",
			scenario, m->col, c->dir[0], va, c->dir[k], vb, diff, lo,
			hi, u.p, sig ? "yes" : "no");
		runs_free(&b);
	}
	printf("\n");
	runs_free(&a);
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: dioscope compare RESULTS_A RESULTS_B [RESULTS_C...] [-o FILE]\n"
"\n"
"RESULTS_* are results/<kernel-release> directories written by bench.\n"
"For each scenario in all of them and each metric of summary.csv: the\n"
"value per kernel, the difference to the first in %%, its 95 %% bootstrap\n"
"interval (runs resampled, then IOs within runs), the Mann-Whitney\n"
"p-value, and '*' where p < 0.05 and the interval excludes 0. Refuses\n"
"scenarios whose block size, size, mount options or fio version differ;\n"
"warns when the attach tiers differ. Metrics a tier cannot observe show\n"
"n/a. Writes FILE (default compare.csv).\n");
}

int cmd_compare(int argc, char **argv)
{
	static struct cmp_ctx c;
	const char *out = "compare.csv";
	char path[4200];
	int opt, k, j, rc = 0;
	size_t m;

	while ((opt = getopt(argc, argv, "o:h")) != -1) {
		if (opt == 'o') {
			out = optarg;
		} else {
			usage(opt == 'h' ? stdout : stderr);
			return opt == 'h' ? 0 : 2;
		}
	}
	c.nk = argc - optind;
	if (c.nk < 2 || c.nk > MAX_KERNELS) {
		usage(stderr);
		return 2;
	}
	for (k = 0; k < c.nk; k++) {
		c.dir[k] = argv[optind + k];
		snprintf(path, sizeof(path), "%s/summary.csv", c.dir[k]);
		if (table_read(path, &c.t[k])) {
			fprintf(stderr, "dioscope compare: %s: not a readable summary.csv (run bench or report first)\n",
				path);
			return 1;
		}
	}
	c.csv = fopen(out, "w");
	if (!c.csv) {
		fprintf(stderr, "dioscope compare: %s: %s\n", out, strerror(errno));
		return 1;
	}
	csv_header(c.csv, "scenario,metric,results_a,value_a,results_b,value_b,"
		   "diff_pct,ci_lo_pct,ci_hi_pct,p_value,significant");
	for (k = 0; k < c.nk; k++) {
		const char *em = c.t[k].nrows ? table_get(&c.t[k], 0, "emulated") : NULL;

		printf("%c: %s (%s)%s\n", 'A' + k, c.dir[k],
		       c.t[k].nrows ? table_get(&c.t[k], 0, "kernel_release") : "?",
		       em && !strcmp(em, "yes") ? " emulated: times not comparable with real hardware" : "");
	}
	for (j = 0; j < c.t[0].nrows; j++) {
		const char *sc = table_get(&c.t[0], j, "scenario");
		bool everywhere = true;

		for (k = 1; k < c.nk; k++)
			everywhere &= table_find_row(&c.t[k], sc) >= 0;
		if (!everywhere)
			continue;
		if (!check_params(&c, sc)) {
			rc = 2;
			continue;
		}
		printf("\n%s\n", sc);
		for (m = 0; m < NMETRICS; m++)
			compare_metric(&c, sc, &metrics[m]);
	}
	fclose(c.csv);
	printf("\n%d of %d differences significant (p < %.2f, 95 %% interval excludes 0); written to %s\n",
	       c.significant, c.compared, ALPHA, out);
	for (k = 0; k < c.nk; k++)
		table_free(&c.t[k]);
	return rc;
}
