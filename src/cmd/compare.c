// SPDX-License-Identifier: GPL-2.0
/*
 * dioscope compare A B [C...]: the same scenarios on different kernels,
 * metric by metric: the value per kernel, the difference to the first in
 * %, its 95 % bootstrap interval (runs resampled, then IOs within runs),
 * the spread between the runs of each arm, and whether the difference is
 * significant, decided on one value per run (compare/verdict.h); the
 * per-IO Mann-Whitney p-value is kept as information only.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/err.h"
#include "util/opt.h"
#include "cmd/commands.h"
#include "compare/csv.h"
#include "util/csv.h"
#include "compare/guard.h"
#include "compare/json.h"
#include "util/json.h"
#include "compare/order.h"
#include "compare/params.h"
#include "compare/samples.h"
#include "compare/stats.h"
#include "compare/verdict.h"
#include "run/recorder.h"
#include "run/results_dir.h"
#include "util/fs.h"

#define MAX_KERNELS 8
#define CONF 0.95

struct metric {
	const char *col;	/* summary.csv column, also the CSV's name */
	const char *label;	/* printed, with its unit */
	const char *unit;	/* of the summary value */
	double show;		/* printed value = summary value * show */
	struct estimator est;	/* the same statistic from per-IO samples */
	int test_col;		/* sample column of the test; -1: per run */
	bool needs_merges;	/* n/a where the tier cannot see merges */
};

static const struct metric metrics[] = {
	{ "lat_p50_ns", "p50 latency (us)", "ns", 1e-3,
	  { EST_PERCENTILE, IOC_LAT, 50 }, IOC_LAT, false },
	{ "lat_p90_ns", "p90 latency (us)", "ns", 1e-3,
	  { EST_PERCENTILE, IOC_LAT, 90 }, IOC_LAT, false },
	{ "lat_p99_ns", "p99 latency (us)", "ns", 1e-3,
	  { EST_PERCENTILE, IOC_LAT, 99 }, IOC_LAT, false },
	{ "lat_p999_ns", "p99.9 latency (us)", "ns", 1e-3,
	  { EST_PERCENTILE, IOC_LAT, 99.9 }, IOC_LAT, false },
	{ "lat_mean_ns", "mean latency (us)", "ns", 1e-3,
	  { EST_MEAN, IOC_LAT, 1 }, IOC_LAT, false },
	{ "iops", "IOPS", "IO/s", 1,
	  { EST_RUN_MEAN, -1, 1 }, -1, false },
	{ "wasted_ns_per_io", "wasted time/IO (ns)", "ns", 1,
	  { EST_MEAN, IOC_WASTED, 1 }, IOC_WASTED, true },
	{ "churn_pairs_per_1k_ios", "churn pairs/1k IOs", "per 1k IOs", 1,
	  { EST_MEAN, IOC_CHURN, 1000 }, IOC_CHURN, true },
	{ "splits_per_1k_ios", "splits/1k IOs", "per 1k IOs", 1,
	  { EST_MEAN, IOC_SPLIT, 1000 }, IOC_SPLIT, true },
	{ "merges_per_1k_ios", "merges/1k IOs", "per 1k IOs", 1,
	  { EST_MEAN, IOC_MERGE, 1000 }, IOC_MERGE, true },
	{ "pre_io_splits_per_1k_ios", "PRE_IO splits/1k IOs", "per 1k IOs", 1,
	  { EST_MEAN, IOC_PRE_IO, 1000 }, IOC_PRE_IO, false },
};

#define NMETRICS ((int)(sizeof(metrics) / sizeof(metrics[0])))
#define NTESTS (IOC_MAX + 1)	/* a test per sample column, and per run */

struct kernel {
	struct results res;
	/* of the scenario being compared */
	struct run_list runs;
	struct scenario_params par;
	struct samples smp;
	bool have_samples, observed;
	struct mwu test[NTESTS];
	bool tested[NTESTS];
};

struct cmp {
	int nk;
	struct kernel k[MAX_KERNELS];
	struct boot_opts boot;
	char csv_path[PATH_MAX], json_path[PATH_MAX];
	FILE *csv;
	struct json_object *json;	/* compare.json, beside the CSV */
	int compared, significant, noise, undecidable, refused, skipped;
	int scenarios;			/* compared, not refused or left out */
	bool unobserved;
	bool all_samples;
	struct rel_diff rd[NMETRICS * MAX_KERNELS];
	bool present[NMETRICS];
};

#define STR(x) #x
#define XSTR(x) STR(x)

static int parse(int argc, char **argv, struct cmp *c, const char **out)
{
	const struct ds_opt opts[] = {
		OPT_STRING('o', "output", out, "DIR",
			   "write DIR/compare.csv and DIR/compare.json (default: the\n"
			   "current directory)"),
		OPT_UINT(0, "reps", &c->boot.reps, "N", 100, 100000,
			 "bootstrap resamples, default 1000"),
		/* uint64_t and unsigned long long are one type of 64 bits here */
		OPT_U64(0, "seed", (unsigned long long *)&c->boot.seed, "N", 0, ~0ULL,
			"bootstrap seed, default 1: same seed, same numbers"),
		OPT_END(),
	};
	const struct ds_cmd cmd = {
		.name = "compare", .opts = opts,
		.usage = "RESULTS_A RESULTS_B [RESULTS_C...] [-o DIR]\n"
			 "                        [--reps N] [--seed N]",
		.min_args = 2, .max_args = MAX_KERNELS,
		.args_error = "takes 2 to " XSTR(MAX_KERNELS) " results trees",
		.about =
"RESULTS_* are results/<kernel-release> trees written by bench (or a\n"
"directory holding exactly one). For each scenario in all of them and each\n"
"metric of summary.csv: the value per kernel, the difference to A in %, its\n"
"95 % bootstrap interval (runs resampled, then IOs within runs, from the\n"
"runs' ios.csv), the spread between the runs of each arm (sd / mean of the\n"
"metric's value in each run), and the verdict, decided on those per-run\n"
"values, for the run is what is repeated, not the IO:\n"
"  *  significant: Welch's t on the per-run values, Holm-corrected over the\n"
"     metrics of the scenario, p < " XSTR(VERDICT_ALPHA) "; the interval excludes 0; and the\n"
"     difference is larger than the spread between runs of either arm\n"
"  ~  noise: the test rejects, but the difference is within that spread\n"
"  ?  not decidable: fewer than " XSTR(VERDICT_MIN_RUNS) " runs in an arm (bench --runs)\n"
"compare.csv also holds the Mann-Whitney p on per-IO values (p_ios), as\n"
"information only: over thousands of IOs it rejects for any drift.\n"
"Whether the arms' runs were interleaved in time (bench --aa, make\n"
"bench-kernels) or one set ran after the other is said per scenario.\n"
"\n"
"Scenarios whose block size, file size, mount or mkfs options or fio\n"
"version differ are refused (exit status 3); differing attach tiers are\n"
"warned about. Metrics a tier cannot observe show n/a. Emulated (QEMU)\n"
"results are labelled. Results of one kernel with the merge guard of\n"
"patches/ off and in a mode (dio, all; bench --merge-guard off,dio,all) are\n"
"a guard A/B: per scenario and mode compare then also states the difference\n"
"guard off - guard in that mode in mean, p50 and p99 latency, splits, merges\n"
"and churn pairs, next to the waste the traces of the unguarded arm\n"
"attribute, and whether each estimate lies within the difference's interval.",
	};
	int first;

	c->boot = (struct boot_opts){ .reps = 1000, .conf = CONF, .seed = 1 };
	*out = ".";
	first = opt_parse(&cmd, argc, argv);
	if (first >= 1)
		c->nk = argc - first;
	return first;
}

static bool yes(const char *v)
{
	return v && !strcmp(v, "yes");
}

static char letter(int k)
{
	return 'A' + k;
}

/* A tree compared with itself differs by nothing: by construction. */
static void same_tree(const struct cmp *c)
{
	char a[PATH_MAX], b[PATH_MAX];
	int i, j;

	for (i = 0; i < c->nk; i++)
		for (j = i + 1; j < c->nk; j++) {
			if (!realpath(c->k[i].res.dir, a) ||
			    !realpath(c->k[j].res.dir, b) || strcmp(a, b))
				continue;
			/* flagged, not refused: it is also an A/A sanity check */
			ds_err("warning: %c and %c are the same results (%s): a tree compared with itself differs by nothing, by construction",
			       letter(i), letter(j), a);
		}
}

static int open_all(struct cmp *c, char **argv)
{
	char err[PATH_MAX + 256];
	int k;

	for (k = 0; k < c->nk; k++) {
		if (results_open(&c->k[k].res, argv[k], err, sizeof(err))) {
			ds_err("%s", err);
			return -1;
		}
	}
	same_tree(c);
	return 0;
}

static void print_kernels(const struct cmp *c)
{
	bool some = false, all = true;
	int k;

	for (k = 0; k < c->nk; k++) {
		const struct results *r = &c->k[k].res;

		printf("%c  %-40s %s\n", letter(k), r->label, r->dir);
		compare_json_kernel(c->json, letter(k), r->label, r->dir,
				    r->emulated);
		some |= r->emulated;
		all &= r->emulated;
	}
	if (some)
		printf("(emulated: run under QEMU without hardware virtualisation; their times\n"
		       " compare among themselves, not with those of real hardware)\n");
	if (some && !all)
		ds_err("warning: emulated and real kernels are compared: "
		       "their differences are mostly the emulation");
}

static void warn_state(const struct kernel *k, const char *scen)
{
	const char *complete = results_get(&k->res, scen, "complete");
	double lost = csv_number(results_get(&k->res, scen, "lost_events"));

	if (complete && !yes(complete))
		ds_err("warning: %s: %s holds incomplete runs",
			scen, k->res.dir);
	if (lost > 0)
		ds_err("warning: %s: %s lost %.0f events",
			scen, k->res.dir, lost);
}

/* Runs and parameters of a scenario on every kernel. */
static int load_params(struct cmp *c, const char *scen)
{
	char why[PATH_MAX + 512];
	int k;

	for (k = 0; k < c->nk; k++) {
		struct kernel *kk = &c->k[k];
		const char *mo = results_get(&kk->res, scen, "merges_observed");

		kk->observed = mo ? yes(mo) : true;
		kk->have_samples = false;
		memset(kk->tested, 0, sizeof(kk->tested));
		warn_state(kk, scen);
		if (results_runs(&kk->res, scen, &kk->runs) || !kk->runs.n)
			ds_err("%s: no run directories in %s: values only, no intervals or tests",
				scen, kk->res.dir);
		if (params_load(&kk->res, scen, &kk->runs, &kk->par, why, sizeof(why))) {
			ds_err("%s: refused: %s", scen, why);
			return -1;
		}
	}
	return 0;
}

/* The per-IO samples of a scenario on every kernel, where it has runs. */
/* Samples of every kernel; a malformed ios.csv refuses the scenario. */
static int load_samples(struct cmp *c, const char *scen)
{
	char why[PATH_MAX + 512];
	int k, err;

	c->all_samples = true;
	for (k = 0; k < c->nk; k++) {
		struct kernel *kk = &c->k[k];

		err = kk->runs.n ? samples_load(&kk->runs, kk->observed,
						&kk->smp, why, sizeof(why)) : -ENOENT;
		kk->have_samples = !err;
		if (err == -EINVAL) {
			ds_err("%s: %s: refused", scen, why);
			return err;
		}
		if (kk->runs.n && !kk->have_samples)
			ds_err("%s: %s: no intervals or tests",
				scen, why);
		c->all_samples &= kk->have_samples;
	}
	return 0;
}

static void unload_scenario(struct cmp *c)
{
	int k;

	for (k = 0; k < c->nk; k++) {
		run_list_free(&c->k[k].runs);
		if (c->k[k].have_samples)
			samples_free(&c->k[k].smp);
		c->k[k].have_samples = false;
	}
}

/* Refuses what differs; warns about what is unknown or traced otherwise. */
static int check_params(struct cmp *c, const char *scen)
{
	char why[1024], unknown[256], tiers[1024];
	int k;

	for (k = 1; k < c->nk; k++) {
		const struct kernel *a = &c->k[0], *b = &c->k[k];

		if (params_match(&a->par, a->res.dir, &b->par, b->res.dir, why,
				 sizeof(why), unknown, sizeof(unknown))) {
			ds_err("%s: refused: %s", scen, why);
			return -1;
		}
		if (unknown[0])
			ds_err("warning: %s: not known for %c or %c, so not checked: %s",
				scen, letter(0), letter(k), unknown);
		if (params_tier_diff(&a->par, &b->par, tiers, sizeof(tiers)))
			ds_err("warning: %s: attach tiers differ between %c and %c: %s",
				scen, letter(0), letter(k), tiers);
	}
	return 0;
}

/* Metrics with a difference to find: present, and observed by A where it must be. */
static bool wanted(const struct cmp *c, int m)
{
	return c->present[m] && (!metrics[m].needs_merges || c->k[0].observed);
}

static void bootstrap(struct cmp *c, const char *scen)
{
	const struct samples *s[MAX_KERNELS];
	struct estimator e[NMETRICS];
	struct rel_diff rd[NMETRICS * MAX_KERNELS];
	uint64_t stream = 1469598103934665603ULL;	/* FNV-1a of the name */
	int idx[NMETRICS], k, m, ne = 0;
	const char *p;

	for (k = 0; k < NMETRICS * MAX_KERNELS; k++)
		c->rd[k] = (struct rel_diff){ NAN, NAN, NAN, 0 };
	if (!c->all_samples)
		return;
	for (p = scen; *p; p++)
		stream = (stream ^ (unsigned char)*p) * 1099511628211ULL;
	for (k = 0; k < c->nk; k++)
		s[k] = &c->k[k].smp;
	for (m = 0; m < NMETRICS; m++)
		if (wanted(c, m)) {
			idx[ne] = m;
			e[ne++] = metrics[m].est;
		}
	if (bootstrap_rel_diff(s, c->nk, e, ne, &c->boot, stream, rd)) {
		ds_err("%s: out of memory for the bootstrap", scen);
		return;
	}
	for (m = 0; m < ne; m++)
		for (k = 1; k < c->nk; k++)
			c->rd[idx[m] * c->nk + k] = rd[m * c->nk + k];
}

/* The Mann-Whitney test of a column between kernel 0 and k, run once. */
static const struct mwu *test_of(struct cmp *c, int k, int col)
{
	struct kernel *kk = &c->k[k];
	double *x, *y;
	size_t nx, ny;
	int t = col + 1;

	if (kk->tested[t])
		return isnan(kk->test[t].p) ? NULL : &kk->test[t];
	kk->tested[t] = true;
	kk->test[t].p = NAN;
	x = samples_values(&c->k[0].smp, col, &nx);
	y = samples_values(&kk->smp, col, &ny);
	if (x && y && nx && ny)
		mann_whitney(x, nx, y, ny, &kk->test[t]);
	free(x);
	free(y);
	return isnan(kk->test[t].p) ? NULL : &kk->test[t];
}

static size_t min_runs(const struct cmp *c, int k)
{
	size_t a = c->k[0].runs.n, b = c->k[k].runs.n;

	return a < b ? a : b;
}

/* The interval of a difference found by the bootstrap, or why there is none. */
static void fill_interval(const struct cmp *c, int m, int k,
			  struct compare_row *row)
{
	const struct rel_diff *rd = &c->rd[m * c->nk + k];

	if (metrics[m].test_col < 0 && min_runs(c, k) < 2) {
		row->note = "a value per run and a single run: no interval";
		return;
	}
	row->ci_lo_pct = rd->lo;
	row->ci_hi_pct = rd->hi;
	if (isnan(rd->lo))
		row->note = "zero in A in some resamples: no interval";
	else if (min_runs(c, k) < 2)
		row->note = "a single run: the interval holds IO-to-IO variation only";
}

/* The per-IO rank test: information only, it decides nothing. */
static void fill_test(struct cmp *c, int m, int k, struct compare_row *row)
{
	const struct mwu *t = test_of(c, k, metrics[m].test_col);

	if (!t)
		return;
	row->p_ios = t->p;
	row->test = t->exact ? "mann-whitney exact" : "mann-whitney normal";
}

/* The metric's value in each run of a kernel, NAN where none; caller frees. */
static double *per_run(const struct kernel *kk, const struct metric *mt)
{
	const struct samples *s = &kk->smp;
	unsigned int *w = malloc((s->nrows ? s->nrows : 1) * sizeof(*w));
	unsigned int *rw = malloc((s->nruns ? s->nruns : 1) * sizeof(*rw));
	double *v = malloc((s->nruns ? s->nruns : 1) * sizeof(*v));

	if (w && rw && v) {
		estimate_runs(s, &mt->est, w, rw, v);
	} else {
		free(v);
		v = NULL;
	}
	free(w);
	free(rw);
	return v;
}

/* The provisional verdict; verdict_family() makes it final. */
static void fill_decision(const struct kernel *a, const struct kernel *b,
			  const struct metric *mt, struct compare_row *row)
{
	double *va = per_run(a, mt), *vb = per_run(b, mt);

	if (va && vb)
		verdict_prepare(va, a->smp.nruns, vb, b->smp.nruns,
				row->diff_pct, row->ci_lo_pct, row->ci_hi_pct,
				&row->dec);
	else
		fprintf(stderr, "dioscope compare: out of memory for the per-run values\n");
	free(va);
	free(vb);
}

/* One metric of kernel k against kernel 0: values, difference, interval, test. */
static void fill_row(struct cmp *c, const char *scen, int m, int k,
		     struct compare_row *row)
{
	const struct metric *mt = &metrics[m];
	const struct kernel *a = &c->k[0], *b = &c->k[k];
	double diff = c->rd[m * c->nk + k].diff;

	*row = (struct compare_row){
		.scenario = scen, .metric = mt->col, .unit = mt->unit,
		.kernel_a = a->res.release, .results_a = a->res.dir,
		.kernel_b = b->res.release, .results_b = b->res.dir,
		.emulated_a = a->res.emulated, .emulated_b = b->res.emulated,
		.value_a = csv_number(results_get(&a->res, scen, mt->col)),
		.value_b = csv_number(results_get(&b->res, scen, mt->col)),
		.diff_pct = NAN, .ci_lo_pct = NAN, .ci_hi_pct = NAN,
		.p_ios = NAN, .test = "", .note = "",
	};
	verdict_prepare(NULL, 0, NULL, 0, NAN, NAN, NAN, &row->dec);
	if (mt->needs_merges && !(a->observed && b->observed)) {
		row->value_a = a->observed ? row->value_a : NAN;
		row->value_b = b->observed ? row->value_b : NAN;
		row->note = "not observed: the tier sees no merges or splits";
		c->unobserved = true;
		return;
	}
	if (!c->all_samples) {
		if (row->value_a)
			row->diff_pct = 100 * (row->value_b - row->value_a) / row->value_a;
		row->note = "no per-IO data: no interval or test";
		return;
	}
	row->diff_pct = diff;
	if (isnan(diff)) {
		row->note = row->value_a || row->value_b ?
			    "zero in A: no relative difference" : "zero in both";
		return;
	}
	fill_interval(c, m, k, row);
	fill_test(c, m, k, row);
	fill_decision(a, b, mt, row);
}

static void fmt_value(char *buf, size_t len, double v, double show)
{
	if (isnan(v))
		snprintf(buf, len, "n/a");
	else
		snprintf(buf, len, "%.2f", v * show);
}

static char mark(enum verdict v)
{
	switch (v) {
	case VERDICT_DIFFERENT: return '*';
	case VERDICT_NOISE: return '~';
	case VERDICT_UNDECIDABLE: return '?';
	default: return ' ';
	}
}

static void fmt_pct(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f%%", v);
}

static void print_row(const struct compare_row *r, const struct metric *mt)
{
	char va[32], vb[32], diff[24] = "n/a", ci[48] = "", p[16] = "";
	char sa[16], sb[16];

	fmt_value(va, sizeof(va), r->value_a, mt->show);
	fmt_value(vb, sizeof(vb), r->value_b, mt->show);
	fmt_pct(sa, sizeof(sa), r->dec.a.spread_pct);
	fmt_pct(sb, sizeof(sb), r->dec.b.spread_pct);
	if (!isnan(r->diff_pct))
		snprintf(diff, sizeof(diff), "%+.2f%%", r->diff_pct);
	if (!isnan(r->ci_lo_pct))
		snprintf(ci, sizeof(ci), "[%+.2f, %+.2f]", r->ci_lo_pct, r->ci_hi_pct);
	if (r->dec.p_holm < 0.001)
		snprintf(p, sizeof(p), "<0.001");
	else if (!isnan(r->dec.p_holm))
		snprintf(p, sizeof(p), "%.3f", r->dec.p_holm);
	printf("  %-22s %12s %12s %9s %-20s %6s %6s %6s %c", mt->label, va, vb,
	       diff, ci, sa, sb, p, mark(r->dec.v));
	if (*r->note && strncmp(r->note, "a single run", 12))
		printf("  %s", r->note);
	printf("\n");
}

/* 67108864 -> "64 MiB": sizes as people write them */
static void fmt_bytes(char *buf, size_t len, const char *v)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double d = csv_number(v);
	int u = 0;

	if (isnan(d)) {
		snprintf(buf, len, "?");
		return;
	}
	while (d >= 1024 && d == floor(d / 1024) * 1024 && u < 4) {
		d /= 1024;
		u++;
	}
	snprintf(buf, len, "%.0f %s", d, units[u]);
}

static void print_scenario(const struct cmp *c, const char *scen)
{
	const struct scenario_params *p = &c->k[0].par;
	char bs[32], size[32];
	int k;

	fmt_bytes(bs, sizeof(bs), p->val[SP_BLOCK_SIZE]);
	fmt_bytes(size, sizeof(size), p->val[SP_SIZE]);
	printf("\n%s: %s IOs, %s file, mount %s, %s; runs %zu", scen, bs, size,
	       *p->val[SP_MOUNT] ? p->val[SP_MOUNT] : "?",
	       *p->val[SP_FIO] ? p->val[SP_FIO] : "fio ?", c->k[0].runs.n);
	for (k = 1; k < c->nk; k++)
		printf(" / %zu", c->k[k].runs.n);
	printf("\n");
}

static void print_head(int k)
{
	char vs[16], sa[8], sb[8];

	snprintf(vs, sizeof(vs), "%c vs %c", letter(k), letter(0));
	snprintf(sa, sizeof(sa), "sd %c", letter(0));
	snprintf(sb, sizeof(sb), "sd %c", letter(k));
	printf("  %-22s %12c %12c %9s %-20s %6s %6s %6s\n", vs, letter(0),
	       letter(k), "diff", "95% interval", sa, sb, "p runs");
}

/* What limits the verdicts of a scenario: too few runs, the order of runs. */
static void note_runs(const struct cmp *c, int k)
{
	const struct kernel *a = &c->k[0], *b = &c->k[k];

	if (a->runs.n < VERDICT_MIN_RUNS || b->runs.n < VERDICT_MIN_RUNS)
		printf("  (%zu and %zu runs: a verdict needs %d runs in each arm, bench --runs)\n",
		       a->runs.n, b->runs.n, VERDICT_MIN_RUNS);
	if (min_runs(c, k) == 1)
		printf("  (a single run: the intervals hold IO-to-IO variation only, not run-to-run)\n");
	if (a->runs.n && b->runs.n)
		printf("  (%s)\n", run_order_phrase(run_order(&a->runs, &b->runs)));
}

/* Two arms of one kernel, guard off and on: what the guard saved. */
static void guard_statement(const struct cmp *c, const char *scen, int k,
			    const struct compare_row *rows, size_t n)
{
	const struct kernel *a = &c->k[0], *b = &c->k[k];
	struct guard_arms g = {
		.guard_a = results_get(&a->res, scen, "merge_guard"),
		.guard_b = results_get(&b->res, scen, "merge_guard"),
		.release_a = a->res.release, .release_b = b->res.release,
		.letter_a = letter(0), .letter_b = letter(k),
	};

	if (compare_guard_is_ab(&g))
		compare_guard_print(&g, rows, n);
}

static void count(struct cmp *c, const struct compare_row *row)
{
	c->compared += row->dec.v != VERDICT_UNTESTED;
	c->significant += row->dec.v == VERDICT_DIFFERENT;
	c->noise += row->dec.v == VERDICT_NOISE;
	c->undecidable += row->dec.v == VERDICT_UNDECIDABLE;
}

/* Kernel k against A: every metric, decided together, then printed. */
static void compare_kernel(struct cmp *c, const char *scen, int k)
{
	struct compare_row rows[NMETRICS];
	struct decision *d[NMETRICS];
	int midx[NMETRICS], m;
	size_t n = 0, i;

	for (m = 0; m < NMETRICS; m++) {
		if (!c->present[m])
			continue;
		fill_row(c, scen, m, k, &rows[n]);
		d[n] = &rows[n].dec;
		midx[n++] = m;
	}
	verdict_family(d, n, VERDICT_ALPHA);
	print_head(k);
	for (i = 0; i < n; i++) {
		print_row(&rows[i], &metrics[midx[i]]);
		compare_csv_write(c->csv, &rows[i]);
		compare_json_row(c->json, &rows[i]);
		count(c, &rows[i]);
	}
	note_runs(c, k);
	guard_statement(c, scen, k, rows, n);
}

static int compare_scenario(struct cmp *c, const char *scen)
{
	int k, err = 0;

	if (load_params(c, scen) || check_params(c, scen)) {
		c->refused++;
		err = -1;
		goto out;
	}
	if (load_samples(c, scen)) {
		c->refused++;
		err = -1;
		goto out;
	}
	bootstrap(c, scen);
	print_scenario(c, scen);
	for (k = 1; k < c->nk; k++)
		compare_kernel(c, scen, k);
out:
	unload_scenario(c);
	return err;
}

/* Metrics every summary has a column for; others are left out. */
static void find_metrics(struct cmp *c)
{
	int k, m;

	for (m = 0; m < NMETRICS; m++) {
		c->present[m] = true;
		for (k = 0; k < c->nk; k++)
			c->present[m] &= c->k[k].res.sum.nrows &&
				csv_table_get(&c->k[k].res.sum, 0, metrics[m].col) != NULL;
	}
}

static void compare_all(struct cmp *c)
{
	const struct results *a = &c->k[0].res;
	int j, k;

	find_metrics(c);
	for (j = 0; j < a->sum.nrows; j++) {
		const char *scen = results_scenario(a, j);
		bool everywhere = true;

		for (k = 1; k < c->nk; k++)
			everywhere &= results_row(&c->k[k].res, scen) >= 0;
		if (!everywhere) {
			ds_err("%s: not in every results tree: left out", scen);
			c->skipped++;
			continue;
		}
		if (!compare_scenario(c, scen))
			c->scenarios++;
	}
}

static int open_csv(struct cmp *c, const char *dir)
{
	if (mkdir_p(dir)) {
		ds_err("cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(c->csv_path, sizeof(c->csv_path), "%s/compare.csv", dir);
	c->csv = fopen(c->csv_path, "w");
	if (!c->csv) {
		ds_err("%s: %s", c->csv_path, strerror(errno));
		return -1;
	}
	compare_csv_header(c->csv);
	snprintf(c->json_path, sizeof(c->json_path), "%s/compare.json", dir);
	c->json = compare_json_new();
	if (!c->json) {
		ds_err("out of memory");
		return -1;
	}
	return 0;
}

static void print_footer(const struct cmp *c)
{
	printf("\ndiff: (X - A) / A. Interval: bootstrap, %u resamples of the runs and then\n"
	       "of the IOs within each run (seed %llu). sd: the spread between the runs of\n"
	       "an arm, sd / mean of the metric's value in each run. p runs: Welch's t on\n"
	       "those per-run values, Holm-corrected over the metrics of the scenario.\n",
	       c->boot.reps, (unsigned long long)c->boot.seed);
	if (c->unobserved)
		printf("not observed: merges and splits need the fentry or kprobe tier, or the\n"
		       "tracepoints of patches/; n/a, not 0 (PRE_IO splits are seen everywhere).\n");
	printf("%d of %d differences significant (*: p runs < %.2f, the interval excludes 0\n"
	       "and |diff| exceeds both arms' sd)",
	       c->significant, c->compared, VERDICT_ALPHA);
	if (c->noise)
		printf("; %d noise (~: within the sd)", c->noise);
	if (c->undecidable)
		printf("; %d not decidable (?: fewer than %d runs)", c->undecidable,
		       VERDICT_MIN_RUNS);
	printf("\n");
	if (c->refused)
		printf("%d scenario(s) refused: their parameters differ (see above)\n", c->refused);
	if (c->skipped)
		printf("%d scenario(s) left out: not in every results tree\n", c->skipped);
	printf("written: %s, %s\n", c->csv_path, c->json_path);
}

static int write_json(struct cmp *c)
{
	struct compare_json_totals t = {
		.compared = c->compared, .significant = c->significant,
		.noise = c->noise, .undecidable = c->undecidable,
		.refused = c->refused, .skipped = c->skipped,
		.reps = c->boot.reps, .seed = c->boot.seed,
		.conf = c->boot.conf, .alpha = VERDICT_ALPHA,
	};
	int err = compare_json_finish(c->json, &t, c->json_path);

	c->json = NULL;
	if (err)
		ds_err("%s: %s", c->json_path,
			strerror(-err));
	return err;
}

int cmd_compare(int argc, char **argv)
{
	static struct cmp c;
	const char *out;
	int rc, k;

	memset(&c, 0, sizeof(c));
	rc = parse(argc, argv, &c, &out);
	if (rc < 1)
		return opt_exit(rc);
	rc = 1;
	if (open_all(&c, argv + optind) || open_csv(&c, out))
		goto out;
	print_kernels(&c);
	compare_all(&c);
	if (fclose(c.csv)) {
		c.csv = NULL;
		ds_err("%s: %s", c.csv_path, strerror(errno));
		goto out;
	}
	c.csv = NULL;
	if (write_json(&c))
		goto out;
	print_footer(&c);
	rc = c.refused ? 3 : 0;
	/* "0 plots" with status 0 read as a comparison that found nothing */
	if (!c.scenarios && !c.refused) {
		ds_err("no scenario is in every results tree: nothing was compared");
		rc = 1;
	}
out:
	if (c.csv)
		fclose(c.csv);
	if (c.json)
		json_object_put(c.json);
	for (k = 0; k < c.nk; k++)
		results_close(&c.k[k].res);
	return rc;
}
