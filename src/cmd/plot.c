// SPDX-License-Identifier: GPL-2.0
/*
 * dioscope plot RESULTS... -o DIR: for each scenario in all the results,
 * the data gnuplot cannot derive well itself goes to DIR/data, and the
 * scripts of plots/ render PNG and SVG from it. Anything gnuplot says on
 * stderr is shown and fails the command: a warning is a plot gone wrong.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "util/atomic_file.h"
#include "util/err.h"
#include "util/opt.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "compare/samples.h"
#include "plot/caption.h"
#include "plot/data.h"
#include "plot/gnuplot.h"
#include "run/recorder.h"
#include "run/results_dir.h"
#include "util/data_dir.h"
#include "util/fs.h"
#include "util/macros.h"
#include "util/path.h"

#define MAX_KERNELS 8
#define SCATTER_POINTS 5000

enum script { PL_CDF, PL_PERCENTILES, PL_WASTED, PL_TIMELINE, PL_SCATTER, PL_MAX };

static const char *const script_names[PL_MAX] = {
	"cdf", "percentiles", "wasted", "timeline", "scatter",
};

struct kernel {
	struct results res;
	/* of the scenario being plotted */
	struct run_list runs;
	struct samples smp;
	bool have_samples, observed;
	double bin_s, max_rate;
	char run_name[32];
};

struct plot {
	int nk;
	struct kernel k[MAX_KERNELS];
	const char *out;
	char plots[PATH_MAX], data[PATH_MAX];
	const char *png;
	/* which kernels each script shows, as gnuplot's "1 3" */
	char ks[PL_MAX][3 * MAX_KERNELS];
	char cis[3 * MAX_KERNELS];	/* kernels with percentile intervals */
	const char *why[PL_MAX];	/* why a script shows no kernel */
	struct wasted_bins wb;		/* the waste histogram's extent */
	struct captions cap[MAX_KERNELS];	/* each kernel against the first */
	bool icount;		/* every kernel's times are instructions */
	int rendered, failed;
};

static int opt_png(const struct ds_opt *opt, const char *arg)
{
	if (strcmp(arg, "png") && strcmp(arg, "pngcairo")) {
		ds_err("--png-terminal takes pngcairo or png, not '%s'", arg);
		return -1;
	}
	*(const char **)opt->value = arg;
	return 0;
}

static bool has_scripts(const char *dir)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/common.gp", dir);
	return !access(path, R_OK);
}

/* The scripts: named, else plots/ of the data directory (util/data_dir.h). */
static int find_scripts(struct plot *p, const char *named)
{
	if (named)
		snprintf(p->plots, sizeof(p->plots), "%s", named);
	else
		data_dir_sub(data_dir(), "plots", p->plots, sizeof(p->plots));
	return has_scripts(p->plots) ? 0 : -1;
}

static int parse(int argc, char **argv, struct plot *p)
{
	const char *named = NULL;
	const struct ds_opt opts[] = {
		OPT_CALLBACK('o', "output", &p->out, "DIR", "where the plots go",
			     cli_opt_out_dir),
		OPT_STRING(0, "plots-dir", &named, "DIR",
			   "the gnuplot scripts (default: plots/ of the data\n"
			   "directory: $DIOSCOPE_DATA_DIR, else the checkout,\n"
			   "else the installed one)"),
		OPT_CALLBACK(0, "png-terminal", &p->png, "T",
			     "pngcairo or png (default: pngcairo where gnuplot has it)",
			     opt_png),
		OPT_END(),
	};
	const struct ds_cmd cmd = {
		.name = "plot", .usage = "RESULTS... -o DIR [--plots-dir DIR]",
		.opts = opts, .min_args = 1, .max_args = MAX_KERNELS,
		.args_error = "takes 1 to " XSTR(MAX_KERNELS) " results trees",
		.about =
"RESULTS are results/<kernel-release> trees written by bench (or a directory\n"
"holding exactly one), up to " XSTR(MAX_KERNELS) ". For each scenario present in all of them,\n"
"PNG and SVG in DIR: <scenario>-cdf (latency CDF per kernel, log x),\n"
"-percentiles (p50 to p99.9 with 95 % intervals), -wasted (histogram of\n"
"wasted merge/split time per IO), -timeline (PRE_IO splits, conversions,\n"
"splits, merges and churn pairs over the first run), -scatter (per-IO latency\n"
"against wasted time). Their data is in DIR/data. Plots of what a tier cannot\n"
"observe leave that kernel out, or are not drawn. Needs gnuplot; any warning\n"
"of gnuplot fails the command. The percentile and waste plots' captions\n"
"state each kernel's difference to the first (B - A of p50, p99 and wasted\n"
"time per IO) with its 95 % bootstrap interval, as compare computes it.",
	};
	int first = opt_parse(&cmd, argc, argv);

	if (first < 1)
		return first;
	if (!p->out) {
		ds_err("-o DIR is required");
		return -1;
	}
	p->nk = argc - first;
	if (find_scripts(p, named)) {
		ds_err("no gnuplot scripts (common.gp) in %s: name them with --plots-dir or $" DATA_DIR_ENV,
		       p->plots);
		return -1;
	}
	return first;
}

static int open_all(struct plot *p, char **argv)
{
	char err[PATH_MAX + 256];
	int k, icount = 0;

	for (k = 0; k < p->nk; k++) {
		if (results_open(&p->k[k].res, argv[k], err, sizeof(err))) {
			ds_err("%s", err);
			return -1;
		}
		icount += p->k[k].res.icount;
	}
	p->icount = icount == p->nk;
	if (icount && !p->icount)
		ds_err("warning: %d of %d results count instructions (clock=icount), the others wall time: one axis shows both",
		       icount, p->nk);
	return 0;
}

static void add_k(char *list, size_t len, int k)
{
	size_t used = strlen(list);

	snprintf(list + used, len - used, "%s%d", used ? " " : "", k + 1);
}

/* 0, or -ENAMETOOLONG */
static int data_path(const struct plot *p, char *buf, size_t len,
		     const char *scen, const char *kind, int k)
{
	if (k < 0)
		return path_fmt(buf, len, "%s/%s.%s.csv", p->data, scen, kind);
	return path_fmt(buf, len, "%s/%s.%s.%d.csv", p->data, scen, kind,
			k + 1);
}

/* false when the runs are there but cannot be read: a failure */
static bool load_kernel(struct kernel *k, const char *scen)
{
	char err[PATH_MAX + 256];

	k->observed = results_merges_observed(&k->res, scen);
	k->have_samples = false;
	if (results_runs(&k->res, scen, &k->runs) || !k->runs.n) {
		ds_err("%s: no runs in %s: only its summary is plotted",
			scen, k->res.dir);
		return true;
	}
	if (samples_load(&k->runs, false, &k->smp, err, sizeof(err))) {
		ds_err("%s: %s", scen, err);
		return false;
	}
	k->have_samples = true;
	snprintf(k->run_name, sizeof(k->run_name), "%s",
		 strrchr(k->runs.dir[0], '/') + 1);
	return true;
}

static void unload_kernel(struct kernel *k)
{
	if (k->have_samples)
		samples_free(&k->smp);
	k->have_samples = false;
	run_list_free(&k->runs);
}

static int write_per_kernel(struct plot *p, const char *scen, int k)
{
	struct kernel *kk = &p->k[k];
	char path[PATH_MAX];
	bool wasted;
	int err;

	if (!kk->have_samples)
		return 0;
	err = data_path(p, path, sizeof(path), scen, "cdf", k);
	if (!err)
		err = plot_write_cdf(path, &kk->smp);
	if (!err && kk->smp.nord[IOC_LAT])
		add_k(p->ks[PL_CDF], sizeof(p->ks[PL_CDF]), k);
	if (!err)
		err = data_path(p, path, sizeof(path), scen, "timeline", k);
	if (!err && !plot_write_timeline(path, kk->runs.dir[0], kk->observed,
					 &kk->bin_s, &kk->max_rate))
		add_k(p->ks[PL_TIMELINE], sizeof(p->ks[PL_TIMELINE]), k);
	if (err || !kk->observed)
		return err;
	err = data_path(p, path, sizeof(path), scen, "scatter", k);
	if (!err)
		err = plot_write_scatter(path, &kk->smp, SCATTER_POINTS, &wasted);
	if (!err && wasted)
		add_k(p->ks[PL_SCATTER], sizeof(p->ks[PL_SCATTER]), k);
	else if (!err)
		p->why[PL_SCATTER] = "no IO was charged wasted time";
	return err;
}

/* The histogram's columns are the kernels that observe waste, in order. */
static int write_wasted(struct plot *p, const char *scen)
{
	const struct samples *s[MAX_KERNELS];
	char path[PATH_MAX];
	int k, n = 0;

	for (k = 0; k < p->nk; k++) {
		if (!p->k[k].observed || !p->k[k].have_samples ||
		    !p->k[k].smp.nord[IOC_WASTED])
			continue;
		s[n++] = &p->k[k].smp;
		add_k(p->ks[PL_WASTED], sizeof(p->ks[PL_WASTED]), k);
	}
	if (!n)
		return 0;
	if (data_path(p, path, sizeof(path), scen, "wasted", -1))
		return -ENAMETOOLONG;
	return plot_write_wasted(path, s, n, &p->wb);
}

static int write_data(struct plot *p, const char *scen)
{
	const struct results *r[MAX_KERNELS];
	char path[PATH_MAX];
	int k, err = 0;

	memset(p->ks, 0, sizeof(p->ks));
	p->cis[0] = '\0';
	p->why[PL_CDF] = p->why[PL_TIMELINE] = "no per-IO data";
	p->why[PL_PERCENTILES] = "no percentiles in summary.csv";
	p->why[PL_WASTED] = p->why[PL_SCATTER] =
		"no kernel's tier observes merges and splits";
	p->wb = (struct wasted_bins){ .rows = 1, .min_share = 100,
				      .icount = p->icount };
	for (k = 0; k < p->nk; k++) {
		const char *v = results_get(&p->k[k].res, scen, "lat_p50_ns");

		r[k] = &p->k[k].res;
		/* too few IOs for a percentile, or for its interval: not drawn */
		if (v && *v)
			add_k(p->ks[PL_PERCENTILES], sizeof(p->ks[PL_PERCENTILES]), k);
		v = results_get(&p->k[k].res, scen, "lat_p50_lo_ns");
		if (v && *v)
			add_k(p->cis, sizeof(p->cis), k);
	}
	err = data_path(p, path, sizeof(path), scen, "pct", -1);
	if (!err)
		err = plot_write_percentiles(path, r, p->nk, scen);
	for (k = 0; !err && k < p->nk; k++)
		err = write_per_kernel(p, scen, k);
	if (!err)
		err = write_wasted(p, scen);
	if (err)
		ds_err("%s: writing data to %s: %s",
			scen, p->data, atomic_strerror(err));
	return err;
}

static void common_vars(const struct plot *p, struct gp_vars *v,
			const char *scen)
{
	char name[32], base[PATH_MAX];
	int k;

	gp_var_str(v, "plots", p->plots);
	gp_var_str(v, "scen", scen);
	/* write_data made longer names with this base: it fits */
	path_fmt(base, sizeof(base), "%s/%s", p->data, scen);
	gp_var_str(v, "base", base);
	gp_var_int(v, "n", p->nk);
	for (k = 0; k < p->nk; k++) {
		const struct kernel *kk = &p->k[k];

		snprintf(name, sizeof(name), "label%d", k + 1);
		gp_var_str(v, name, kk->res.label);
		snprintf(name, sizeof(name), "obs%d", k + 1);
		gp_var_int(v, name, kk->observed);
		snprintf(name, sizeof(name), "run%d", k + 1);
		gp_var_str(v, name, kk->run_name);
		snprintf(name, sizeof(name), "bin_ms%d", k + 1);
		gp_var_num(v, name, kk->bin_s * 1000);
		snprintf(name, sizeof(name), "tlmax%d", k + 1);
		gp_var_num(v, name, kk->max_rate);
	}
	gp_var_num(v, "min_share", p->wb.min_share);
	/* the unit of times: a guest ns is an instruction under icount */
	gp_var_str(v, "tunit", p->icount ? "thousand instructions" : "µs");
	gp_var_int(v, "bins", p->wb.rows);
}

/* B - A with its interval, for the captions: where every kernel has IOs. */
static void find_captions(struct plot *p, const char *scen)
{
	const struct samples *s[MAX_KERNELS];
	const char *label[MAX_KERNELS];
	bool observed[MAX_KERNELS];
	int k;

	memset(p->cap, 0, sizeof(p->cap));
	for (k = 0; k < p->nk; k++) {
		if (!p->k[k].have_samples)
			return;
		s[k] = &p->k[k].smp;
		label[k] = p->k[k].res.release;
		observed[k] = p->k[k].observed;
	}
	if (plot_captions(s, label, observed, p->nk, scen, p->icount, p->cap))
		ds_err("%s: out of memory for the captions' intervals", scen);
}

/* capI: what kernel I differs from the first, in this plot's terms */
static void caption_vars(const struct plot *p, enum script s,
			 struct gp_vars *v)
{
	char name[16];
	int k;

	for (k = 1; k < p->nk; k++) {
		const char *c = s == PL_PERCENTILES ? p->cap[k].lat :
				s == PL_WASTED ? p->cap[k].wasted : "";

		if (!*c)
			continue;
		snprintf(name, sizeof(name), "cap%d", k + 1);
		gp_var_str(v, name, c);
	}
}

/*
 * gnuplot wrote the plot aside when it left a file there that is not
 * empty: only then is it renamed over out and counted.
 */
static int keep_plot(const char *tmp, const char *out)
{
	struct stat st;
	int err;

	if (lstat(tmp, &st) || !S_ISREG(st.st_mode) || !st.st_size) {
		unlink(tmp);
		ds_err("gnuplot wrote no %s, and said nothing of why", out);
		return -1;
	}
	err = atomic_rename(tmp, out);
	if (err) {
		ds_err("%s: %s", out, atomic_strerror(err));
		return -1;
	}
	return 0;
}

static int render(struct plot *p, const char *scen, enum script s,
		  const char *term, const char *ext)
{
	char out[PATH_MAX], tmp[PATH_MAX + 32], script[PATH_MAX + 32], err[4096];
	struct gp_vars v = { .used = 0 };
	int rc;

	snprintf(out, sizeof(out), "%s/%s-%s.%s", p->out, scen, script_names[s], ext);
	snprintf(script, sizeof(script), "%s/%s.gp", p->plots, script_names[s]);
	if (atomic_tmp_name(tmp, sizeof(tmp), out)) {
		ds_err("%s: %s", out, strerror(ENAMETOOLONG));
		p->failed++;
		return -1;
	}
	unlink(tmp);	/* ours by its name: gnuplot must not follow a link */
	common_vars(p, &v, scen);
	gp_var_str(&v, "term", term);
	gp_var_str(&v, "out", tmp);
	gp_var_str(&v, "ks", p->ks[s]);
	gp_var_str(&v, "cis", p->cis);
	caption_vars(p, s, &v);
	rc = gnuplot_run(&v, script, err, sizeof(err));
	if (rc || err[0]) {
		size_t n = strlen(err);

		if (n && err[n - 1] == '\n')
			err[n - 1] = '\0';
		ds_err("gnuplot on %s (status %d):\n%s", out, rc,
		       err[0] ? err : rc == -ENOENT ? "gnuplot not found" : "");
		unlink(tmp);
		p->failed++;
		return -1;
	}
	if (keep_plot(tmp, out)) {
		p->failed++;
		return -1;
	}
	p->rendered++;
	return 0;
}

static void plot_scenario(struct plot *p, const char *scen)
{
	enum script s;
	int k;

	for (k = 0; k < p->nk; k++)
		if (!load_kernel(&p->k[k], scen))
			p->failed++;
	if (write_data(p, scen)) {
		p->failed++;
		goto out;
	}
	find_captions(p, scen);
	for (s = 0; s < PL_MAX; s++) {
		if (!p->ks[s][0]) {
			printf("%s: no %s plot: %s\n", scen, script_names[s], p->why[s]);
			continue;
		}
		render(p, scen, s, p->png, "png");
		render(p, scen, s, "svg", "svg");
	}
out:
	for (k = 0; k < p->nk; k++)
		unload_kernel(&p->k[k]);
}

/*
 * Scenario names become file names, gnuplot strings and lines on the
 * terminal: plain ones only, no control character among them.
 */
static bool plain_name(const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	return *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

static void plot_all(struct plot *p)
{
	const struct results *a = &p->k[0].res;
	int j, k;

	for (j = 0; j < a->sum.nrows; j++) {
		const char *scen = results_scenario(a, j);
		bool everywhere = true;

		if (!plain_name(scen)) {
			ds_err("%s: not a plain name for a file: left out", scen);
			p->failed++;
			continue;
		}
		for (k = 1; k < p->nk; k++)
			everywhere &= results_row(&p->k[k].res, scen) >= 0;
		if (everywhere)
			plot_scenario(p, scen);
		else
			ds_err("%s: not in every results tree: left out", scen);
	}
}

int cmd_plot(int argc, char **argv)
{
	static struct plot p;
	const char *term;
	int rc, k;

	memset(&p, 0, sizeof(p));
	rc = parse(argc, argv, &p);
	if (rc < 1)
		return opt_exit(rc);
	rc = 1;
	term = gnuplot_png_terminal();
	if (!term) {
		ds_err("gnuplot is not installed (make deps, or apt-get install gnuplot-nox)");
		return 1;
	}
	if (!p.png)
		p.png = term;
	if (open_all(&p, argv + optind))
		goto out;
	snprintf(p.data, sizeof(p.data), "%s/data", p.out);
	if (mkdir_p(p.data)) {
		ds_err("cannot create %s: %s", p.data, strerror(errno));
		goto out;
	}
	atomic_clean_dir(p.out);
	plot_all(&p);
	printf("%d plots (PNG: %s, and SVG) in %s%s\n", p.rendered, p.png, p.out,
	       p.failed ? "; some failed (above)" : "");
	rc = p.failed ? 1 : 0;
out:
	for (k = 0; k < p.nk; k++)
		results_close(&p.k[k].res);
	return rc;
}
