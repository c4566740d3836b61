// SPDX-License-Identifier: GPL-2.0
/*
 * dioscope plot RESULTS... -o DIR: for each scenario in all the results,
 * the data gnuplot cannot derive well by itself (CDFs, histograms, time
 * bins) is written to DIR/data, and the scripts of plots/ render PNG and
 * SVG from it. gnuplot's warnings are reported; a run with any fails.
 */
#include <errno.h>
#include <getopt.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "commands.h"
#include "csv.h"
#include "csv_table.h"
#include "recorder.h"
#include "stats.h"

#define MAX_KERNELS 8
#define MAX_POINTS 2000
#define BIN_NS 100000000ULL	/* timeline bins: 100 ms */
#define MAX_BINS 36000

static const char *const scripts[] = {
	"cdf", "percentiles", "wasted", "timeline", "scatter",
};

struct plot_ctx {
	int nk;
	const char *dir[MAX_KERNELS];
	struct table t[MAX_KERNELS];
	char label[MAX_KERNELS][128];
	const char *out, *plots;
	char data[4200];
	int warnings, rendered;
};

/* Every value of two columns of the joined IOs in a scenario's ios.csv. */
static size_t read_ios(const char *dir, const char *scen, double **lat,
		       double **wasted)
{
	char pattern[4200];
	size_t n = 0, cap = 0, r;
	glob_t g;

	*lat = *wasted = NULL;
	snprintf(pattern, sizeof(pattern), "%s/%s/run-*/ios.csv", dir, scen);
	if (glob(pattern, 0, NULL, &g))
		return 0;
	for (r = 0; r < g.gl_pathc; r++) {
		FILE *f = fopen(g.gl_pathv[r], "r");
		struct csv_reader rd;
		int cl = -1, cw = -1, cj = -1;

		if (!f)
			continue;
		csv_reader_init(&rd, f);
		if (csv_read(&rd) > 0) {
			cl = csv_column(&rd, "lat_ns");
			cw = csv_column(&rd, "wasted_ns_total");
			cj = csv_column(&rd, "joined");
		}
		while (cl >= 0 && cw >= 0 && cj >= 0 && csv_read(&rd) > 0) {
			if (rd.nfields <= cl || rd.nfields <= cw || rd.nfields <= cj ||
			    strcmp(rd.fields[cj], "1"))
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 4096;
				*lat = realloc(*lat, cap * sizeof(**lat));
				*wasted = realloc(*wasted, cap * sizeof(**wasted));
				if (!*lat || !*wasted)
					break;
			}
			(*lat)[n] = atof(rd.fields[cl]);
			(*wasted)[n] = atof(rd.fields[cw]);
			n++;
		}
		csv_reader_free(&rd);
		fclose(f);
	}
	globfree(&g);
	return n;
}

static FILE *data_file(struct plot_ctx *c, const char *scen, int k,
		       const char *kind)
{
	char path[4400];

	if (k)
		snprintf(path, sizeof(path), "%s/%s.%d.%s.dat", c->data, scen, k, kind);
	else
		snprintf(path, sizeof(path), "%s/%s.%s.dat", c->data, scen, kind);
	return fopen(path, "w");
}

static void write_cdf(FILE *f, double *lat, size_t n)
{
	size_t i, step = n > MAX_POINTS ? n / MAX_POINTS : 1;

	stats_sort(lat, n);
	for (i = 0; i < n; i += step)
		fprintf(f, "%.3f %.6f\n", lat[i] / 1000, (double)(i + 1) / n);
	if (n)
		fprintf(f, "%.3f 1\n", lat[n - 1] / 1000);
}

/* log2 bins of us; "0" is the IOs without waste */
static void write_wasted(FILE *f, const double *w, size_t n)
{
	unsigned long long bins[40] = { 0 };
	int i, last = 0;
	size_t k;

	for (k = 0; k < n; k++) {
		double us = w[k] / 1000;

		i = us < 1 ? (w[k] > 0) : 1 + (int)log2(us);
		if (i > 39)
			i = 39;
		bins[i]++;
		if (i > last)
			last = i;
	}
	for (i = 0; i <= last; i++)
		fprintf(f, "%g %llu\n", i ? ldexp(1, i - 1) : 0.0, bins[i]);
}

static void write_scatter(FILE *f, const double *lat, const double *w,
			  size_t n)
{
	size_t i, step = n > 5000 ? n / 5000 : 1;

	for (i = 0; i < n; i += step)
		fprintf(f, "%.3f %.3f\n", lat[i] / 1000, w[i] / 1000);
}

/* Events per 100 ms bin of the first run, from its events.csv. */
static void write_timeline(FILE *f, const char *dir, const char *scen,
			   bool observed)
{
	static unsigned int b[MAX_BINS][5];
	struct csv_reader rd;
	char path[4200];
	int ct, cy, cf, last = -1, i;
	FILE *in;

	memset(b, 0, sizeof(b));
	snprintf(path, sizeof(path), "%s/%s/run-1/events.csv", dir, scen);
	in = fopen(path, "r");
	if (!in)
		return;
	csv_reader_init(&rd, in);
	if (csv_read(&rd) <= 0)
		goto out;
	ct = csv_column(&rd, "ts_ns");
	cy = csv_column(&rd, "type");
	cf = csv_column(&rd, "flags");
	while (ct >= 0 && cy >= 0 && cf >= 0 && csv_read(&rd) > 0) {
		unsigned long long ts = strtoull(rd.fields[ct], NULL, 10);
		unsigned long flags = strtoul(rd.fields[cf], NULL, 10);
		const char *type = rd.fields[cy];

		i = ts / BIN_NS;
		if (i >= MAX_BINS)
			break;
		if (i > last)
			last = i;
		if (!strcmp(type, "map_blocks") && (flags & 0x08))
			b[i][0]++;
		else if (!strcmp(type, "map_blocks") && (flags & 0x10))
			b[i][1]++;
		else if (!strcmp(type, "split"))
			b[i][2]++;
		else if (!strcmp(type, "merge") && (flags & 0x04))
			b[i][3]++;
	}
	for (i = 0; i <= last; i++) {
		if (observed)
			fprintf(f, "%.1f %u %u %u %u\n", i * 0.1, b[i][0],
				b[i][1], b[i][2], b[i][3]);
		else
			fprintf(f, "%.1f %u %u\n", i * 0.1, b[i][0], b[i][1]);
	}
out:
	csv_reader_free(&rd);
	fclose(in);
}

static void write_percentiles(struct plot_ctx *c, const char *scen)
{
	static const char *const p[] = { "p50", "p90", "p99", "p999" };
	static const char *const names[] = { "p50", "p90", "p99", "p99.9" };
	FILE *f = data_file(c, scen, 0, "pct");
	char col[32];
	int k, i;

	if (!f)
		return;
	for (i = 0; i < 4; i++) {
		fprintf(f, "%s", names[i]);
		for (k = 0; k < c->nk; k++) {
			int row = table_find_row(&c->t[k], scen);
			const char *sfx[] = { "", "_lo", "_hi" };

			for (int s = 0; s < 3; s++) {
				const char *v;

				snprintf(col, sizeof(col), "lat_%s%s_ns", p[i], sfx[s]);
				v = table_get(&c->t[k], row, col);
				fprintf(f, " %.3f", v && *v ? atof(v) / 1000 : NAN);
			}
		}
		fprintf(f, "\n");
	}
	fclose(f);
}

static void write_data(struct plot_ctx *c, const char *scen)
{
	double *lat, *w;
	int k;

	write_percentiles(c, scen);
	for (k = 0; k < c->nk; k++) {
		int row = table_find_row(&c->t[k], scen);
		const char *mo = table_get(&c->t[k], row, "merges_observed");
		size_t n = read_ios(c->dir[k], scen, &lat, &w);
		FILE *f;

		if ((f = data_file(c, scen, k + 1, "cdf"))) {
			write_cdf(f, lat, n);
			fclose(f);
		}
		if ((f = data_file(c, scen, k + 1, "wasted"))) {
			write_wasted(f, w, n);
			fclose(f);
		}
		if ((f = data_file(c, scen, k + 1, "scatter"))) {
			write_scatter(f, lat, w, n);
			fclose(f);
		}
		if ((f = data_file(c, scen, k + 1, "timeline"))) {
			write_timeline(f, c->dir[k], scen, mo && !strcmp(mo, "yes"));
			fclose(f);
		}
		free(lat);
		free(w);
	}
}

/* gnuplot prints warnings on stderr: any output there is a failure */
static int gnuplot(struct plot_ctx *c, const char *scen, const char *script,
		   const char *term, const char *ext, bool churn)
{
	char cmd[8192], vars[4096], errpath[4400], line[512];
	size_t used;
	FILE *err;
	int k, rc, lines = 0;

	used = snprintf(vars, sizeof(vars),
			"term='%s'; out='%s/%s-%s.%s'; data='%s'; scen='%s'; n=%d; churn=%d",
			term, c->out, scen, script, ext, c->data, scen, c->nk, churn);
	for (k = 0; k < c->nk && used < sizeof(vars); k++)
		used += snprintf(vars + used, sizeof(vars) - used,
				 "; label%d='%s'", k + 1, c->label[k]);
	snprintf(errpath, sizeof(errpath), "%s/gnuplot.err", c->data);
	snprintf(cmd, sizeof(cmd), "gnuplot -e \"%s\" %s/%s.gp 2> '%s'", vars,
		 c->plots, script, errpath);
	rc = system(cmd);
	err = fopen(errpath, "r");
	while (err && fgets(line, sizeof(line), err)) {
		if (!lines++)
			fprintf(stderr, "dioscope plot: gnuplot on %s/%s:\n", scen, script);
		fprintf(stderr, "  %s", line);
	}
	if (err)
		fclose(err);
	if (rc || lines) {
		c->warnings++;
		return -1;
	}
	c->rendered++;
	return 0;
}

static bool observed_everywhere(const struct plot_ctx *c, const char *scen)
{
	int k;

	for (k = 0; k < c->nk; k++) {
		const char *mo = table_get(&c->t[k], table_find_row(&c->t[k], scen),
					   "merges_observed");

		if (!mo || strcmp(mo, "yes"))
			return false;
	}
	return true;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: dioscope plot RESULTS... -o DIR [--plots-dir DIR]\n"
"\n"
"RESULTS are results/<kernel-release> directories written by bench. For\n"
"each scenario present in all of them: the latency CDF per kernel (log x),\n"
"percentile bars with 95 %% intervals, wasted merge/split time per IO,\n"
"extent work over time and latency against waste, as PNG and SVG in DIR\n"
"(their data in DIR/data). Needs gnuplot.\n");
}

static int label_kernels(struct plot_ctx *c)
{
	char path[4200];
	int k;

	for (k = 0; k < c->nk; k++) {
		const char *rel, *em;

		snprintf(path, sizeof(path), "%s/summary.csv", c->dir[k]);
		if (table_read(path, &c->t[k]) || !c->t[k].nrows) {
			fprintf(stderr, "dioscope plot: %s: not a readable summary.csv\n", path);
			return -1;
		}
		rel = table_get(&c->t[k], 0, "kernel_release");
		em = table_get(&c->t[k], 0, "emulated");
		snprintf(c->label[k], sizeof(c->label[k]), "%s%s",
			 rel && *rel ? rel : c->dir[k],
			 em && !strcmp(em, "yes") ? " (emulated)" : "");
	}
	return 0;
}

int cmd_plot(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "plots-dir", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct plot_ctx c;
	int opt, k, j;
	bool churn;
	size_t s;

	c.plots = "plots";
	while ((opt = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		if (opt == 'o')
			c.out = optarg;
		else if (opt == 'P')
			c.plots = optarg;
		else {
			usage(opt == 'h' ? stdout : stderr);
			return opt == 'h' ? 0 : 2;
		}
	}
	c.nk = argc - optind;
	if (!c.out || c.nk < 1 || c.nk > MAX_KERNELS) {
		usage(stderr);
		return 2;
	}
	if (system("gnuplot --version > /dev/null 2>&1")) {
		fprintf(stderr, "dioscope plot: gnuplot is not installed (make deps, or apt-get install gnuplot-nox)\n");
		return 1;
	}
	for (k = 0; k < c.nk; k++)
		c.dir[k] = argv[optind + k];
	if (label_kernels(&c))
		return 1;
	snprintf(c.data, sizeof(c.data), "%s/data", c.out);
	if (mkdir_p(c.data)) {
		fprintf(stderr, "dioscope plot: cannot create %s: %s\n", c.data,
			strerror(errno));
		return 1;
	}
	for (j = 0; j < c.t[0].nrows; j++) {
		const char *scen = table_get(&c.t[0], j, "scenario");
		bool all = true;

		for (k = 1; k < c.nk; k++)
			all &= table_find_row(&c.t[k], scen) >= 0;
		if (!all || strchr(scen, '\'') || strchr(scen, '"'))
			continue;
		write_data(&c, scen);
		churn = observed_everywhere(&c, scen);
		for (s = 0; s < sizeof(scripts) / sizeof(scripts[0]); s++) {
			/* waste plots of a tier that cannot see it would show zeros */
			if (!churn && (!strcmp(scripts[s], "wasted") ||
				       !strcmp(scripts[s], "scatter")))
				continue;
			gnuplot(&c, scen, scripts[s], "pngcairo", "png", churn);
			gnuplot(&c, scen, scripts[s], "svg", "svg", churn);
		}
		if (!churn)
			printf("%s: merges and splits not observed in every tier: no waste plots\n",
			       scen);
	}
	for (k = 0; k < c.nk; k++)
		table_free(&c.t[k]);
	printf("%d plots in %s%s\n", c.rendered, c.out,
	       c.warnings ? "; gnuplot complained about some (above)" : "");
	return c.warnings ? 1 : 0;
}
