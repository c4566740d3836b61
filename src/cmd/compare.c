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
#include "compare/cmp.h"
#include "compare/csv.h"
#include "util/csv.h"
#include "util/escape.h"
#include "compare/estimate.h"
#include "compare/guard.h"
#include "compare/json.h"
#include "util/json.h"
#include "compare/order.h"
#include "compare/params.h"
#include "compare/samples.h"
#include "compare/stats.h"
#include "compare/verdict.h"
#include "run/recorder.h"
#include "compare/machine.h"
#include "run/results_dir.h"
#include "util/fs.h"
#include "util/macros.h"
#include "util/stats.h"

static int parse(int argc, char **argv, struct cmp *c, const char **out,
		 const char **calib)
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
		OPT_FLAG(0, "mixed-hardware", &c->mixed_hw,
			 "pool the runs of a kernel even when their meta says\n"
			 "they ran on different hardware (CPU model, cores,\n"
			 "memory); refused without it"),
		OPT_FLAG(0, "mix-clocks", &c->mix_clocks,
			 "compare results whose times are instructions (clock=icount)\n"
			 "with wall-clock ones, which is refused otherwise"),
		OPT_STRING(0, "calibration", calib, "FILE",
			   "for results whose times are instructions\n"
			   "(clock=icount): also give on-CPU times as ns\n"
			   "estimated for the CPU FILE was measured on\n"
			   "(tests/perf/calibrate.sh), with the factor's interval"),
		OPT_END(),
	};
	const struct ds_cmd cmd = {
		.name = "compare", .opts = opts,
		.usage = "RESULTS_A RESULTS_B [RESULTS_C...] [-o DIR]\n"
			 "                        [--reps N] [--seed N] [--mix-clocks]\n"
			 "                        [--calibration FILE]",
		.min_args = 2, .max_args = CMP_MAX_KERNELS,
		.args_error = "takes 2 to " XSTR(CMP_MAX_KERNELS) " results trees",
		.about =
"RESULTS_* are results/<kernel-release> trees written by bench (or a\n"
"directory holding exactly one). For each scenario in all of them and each\n"
"metric of summary.csv: the value per kernel, the difference to A in the\n"
"metric's unit (X - A, also where A is 0) and in % (where A is not 0), their\n"
"95 % bootstrap intervals (runs resampled, then IOs within runs, from the\n"
"runs' ios.csv), the spread between the runs of each arm (sd / mean of the\n"
"metric's value in each run), and the verdict, decided on those per-run\n"
"values, for the run is what is repeated, not the IO:\n"
"  *  significant: Welch's t on the per-run values, Holm-corrected over the\n"
"     metrics of the scenario, p < " XSTR(VERDICT_ALPHA) "; the interval excludes 0; and the\n"
"     difference is larger than the spread between runs of either arm\n"
"  ~  noise: the test rejects, but the difference is within that spread\n"
"  ?  not decidable: fewer than " XSTR(VERDICT_MIN_RUNS) " runs in an arm (bench --runs)\n""A difference of kind (0 in every run of one arm, above 0 in every run of\n"
"the other) is tested by the t of the logs of the nonzero arm's per-run\n"
"values against the most the zero arm could hide (3 IOs of the other's\n"
"mean size over all its IOs; test_runs kind, kind_limit), in the same Holm\n"
"family (README, \"Is a difference real?\").\n"
"compare.csv also holds the Mann-Whitney p on per-IO values (p_ios), as\n"
"information only: over thousands of IOs it rejects for any drift.\n"
"Whether the arms' runs were interleaved in time (bench --aa, make\n"
"bench-kernels) or one set ran after the other is said per scenario.\n"
"\n"
"Scenarios whose block size, file size, mount or mkfs options or fio\n"
"version differ are refused (exit status 3); differing attach tiers are\n"
"warned about. Metrics a tier cannot observe show n/a. Emulated (QEMU)\n"
"results are labelled; results whose guest clock counted instructions\n"
"(lab.sh --icount: clock=icount) give their times in instructions, and are\n"
"not compared with wall-clock ones unless --mix-clocks (exit status 3). Results of one kernel with the merge guard of\n"
"patches/ off and in a mode (dio, all; bench --merge-guard off,dio,all) are\n"
"a guard A/B: per scenario and mode compare then also states the difference\n"
"guard off - guard in that mode in mean, p50 and p99 latency, splits, merges\n"
"and churn pairs, next to the waste the traces of the unguarded arm\n"
"attribute, and whether each estimate lies within the difference's interval.\n"
"\n"
"With --calibration FILE (icount results only), on-CPU times (wasted time\n"
"per IO) also get a row in ns estimated for the CPU FILE names: the\n"
"instructions times FILE's factor for extent-tree work, every interval\n"
"carrying the factor's; always labelled an estimate (metric\n"
"<column>" COMPARE_EST_SUFFIX ", unit \"estimated ns on CPU\"). A FILE that is\n"
"malformed, made for another clock or unit, or naming no CPU is refused,\n"
"and so are wall-clock results with it (exit status 2).",
	};
	int first;

	c->boot = (struct boot_opts){ .reps = 1000, .conf = STATS_CONFIDENCE, .seed = 1 };
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
			       cmp_letter(i), cmp_letter(j), a);
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

/* Instructions and nanoseconds are no common unit: refused unless told. */
static int check_clocks(struct cmp *c)
{
	int k, icount = 0;

	for (k = 0; k < c->nk; k++)
		icount += c->k[k].res.icount;
	c->icount = icount == c->nk;
	if (c->calib && !c->icount) {
		ds_err("refused: --calibration turns instruction counts into estimated ns, and %d of %d results are wall clock (no clock=icount): their times are measured",
		       c->nk - icount, c->nk);
		return -2;
	}
	if (!icount || c->icount)
		return 0;
	if (c->mix_clocks) {
		ds_err("warning: %d of %d results count instructions (clock=icount), the others wall time: their times do not compare",
		       icount, c->nk);
		return 0;
	}
	for (k = 0; k < c->nk; k++)
		ds_err("%c: %s: %s", cmp_letter(k), c->k[k].res.dir,
		       c->k[k].res.icount ? "clock=icount (instructions)" :
					    "wall clock");
	ds_err("refused: instruction counts and wall times do not compare (--mix-clocks to compare anyway)");
	return -1;
}

static void print_kernels(const struct cmp *c)
{
	char label[1024], dir[PATH_MAX * 4];
	bool some = false, all = true;
	int k;

	for (k = 0; k < c->nk; k++) {
		const struct results *r = &c->k[k].res;

		/* a release or a directory named with an escape sequence */
		term_escape(r->label, ~(size_t)0, label, sizeof(label));
		term_escape(r->dir, ~(size_t)0, dir, sizeof(dir));
		printf("%c  %-40s %s\n", cmp_letter(k), label, dir);
		compare_json_kernel(c->json, cmp_letter(k), r->label, r->dir,
				    r->emulated, r->icount);
		some |= r->emulated;
		all &= r->emulated;
	}
	if (c->icount)
		printf("(icount: QEMU counted guest instructions for time, clock=icount; their\n"
		       " times are instructions, which compare with icount results of any machine)\n");
	else if (some)
		printf("(emulated: run under QEMU without hardware virtualisation; their times\n"
		       " compare among themselves, not with those of real hardware)\n");
	if (some && !all)
		ds_err("warning: emulated and real kernels are compared: "
		       "their differences are mostly the emulation");
}

static void warn_state(const struct cmp_kernel *k, const char *scen)
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

/*
 * Runs merged from several machines: pooled only from the same hardware
 * unless --mixed-hardware; kernels measured on different hardware are
 * compared, with a warning.
 */
static int check_machine(struct cmp *c, int k, const char *scen)
{
	struct cmp_kernel *kk = &c->k[k];
	char why[2 * PATH_MAX + 1024];
	int hosts;

	if (machine_of_runs(&kk->runs, kk->hw, sizeof(kk->hw), why,
			    sizeof(why))) {
		if (!c->mixed_hw) {
			ds_err("%s: refused: runs from different hardware are not pooled: %s (--mixed-hardware pools them)",
			       scen, why);
			return -1;
		}
		ds_err("warning: %s: pooled from different hardware (--mixed-hardware): %s",
		       scen, why);
	}
	hosts = machine_hosts(&kk->runs);
	if (hosts > 1)
		ds_err("%s: %c pools runs of %d hosts", scen, cmp_letter(k),
		       hosts);
	if (k && kk->hw[0] && c->k[0].hw[0] && strcmp(kk->hw, c->k[0].hw))
		ds_err("warning: %s: A ran on %s, %c on %s: the difference is partly the machines'",
		       scen, c->k[0].hw, cmp_letter(k), kk->hw);
	return 0;
}

/* Runs and parameters of a scenario on every kernel. */
static int load_params(struct cmp *c, const char *scen)
{
	char why[PATH_MAX + 512];
	int k;

	for (k = 0; k < c->nk; k++) {
		struct cmp_kernel *kk = &c->k[k];
		kk->observed = results_merges_observed(&kk->res, scen);
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
		if (check_machine(c, k, scen))
			return -1;
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
		struct cmp_kernel *kk = &c->k[k];

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
		const struct cmp_kernel *a = &c->k[0], *b = &c->k[k];

		if (params_match(&a->par, a->res.dir, &b->par, b->res.dir, why,
				 sizeof(why), unknown, sizeof(unknown))) {
			ds_err("%s: refused: %s", scen, why);
			return -1;
		}
		if (unknown[0])
			ds_err("warning: %s: not known for %c or %c, so not checked: %s",
				scen, cmp_letter(0), cmp_letter(k), unknown);
		if (params_tier_diff(&a->par, &b->par, tiers, sizeof(tiers)))
			ds_err("warning: %s: attach tiers differ between %c and %c: %s",
				scen, cmp_letter(0), cmp_letter(k), tiers);
	}
	return 0;
}

/* Metrics with a difference to find: present, and observed by A where it must be. */
static bool wanted(const struct cmp *c, int m)
{
	return c->present[m] &&
	       (!compare_metrics[m].needs_merges || c->k[0].observed);
}

static void bootstrap(struct cmp *c, const char *scen)
{
	const struct samples *s[CMP_MAX_KERNELS];
	struct estimator e[COMPARE_NMETRICS];
	struct boot_diff rd[COMPARE_NMETRICS * CMP_MAX_KERNELS];
	int idx[COMPARE_NMETRICS], k, m, ne = 0;

	for (k = 0; k < COMPARE_NMETRICS * CMP_MAX_KERNELS; k++)
		c->rd[k] = (struct boot_diff){ NAN, NAN, NAN, 0, NAN, NAN, NAN };
	if (!c->all_samples)
		return;
	for (k = 0; k < c->nk; k++)
		s[k] = &c->k[k].smp;
	for (m = 0; m < COMPARE_NMETRICS; m++)
		if (wanted(c, m)) {
			idx[ne] = m;
			e[ne++] = compare_metrics[m].est;
		}
	if (bootstrap_diff(s, c->nk, e, ne, &c->boot, boot_stream(scen), rd)) {
		ds_err("%s: out of memory for the bootstrap", scen);
		return;
	}
	for (m = 0; m < ne; m++)
		for (k = 1; k < c->nk; k++)
			c->rd[idx[m] * c->nk + k] = rd[m * c->nk + k];
}

/* Two arms of one kernel, guard off and on: what the guard saved. */
static void guard_statement(const struct cmp *c, const char *scen, int k,
			    const struct compare_row *rows, size_t n)
{
	const struct cmp_kernel *a = &c->k[0], *b = &c->k[k];
	struct guard_arms g = {
		.guard_a = results_get(&a->res, scen, "merge_guard"),
		.guard_b = results_get(&b->res, scen, "merge_guard"),
		.release_a = a->res.release, .release_b = b->res.release,
		.letter_a = cmp_letter(0), .letter_b = cmp_letter(k),
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

/* compare --calibration: the estimated row under an on-CPU time */
static void estimated_row(struct cmp *c, const struct compare_row *r, int m)
{
	char metric[96], unit[200];
	struct compare_row est;

	if (!c->calib || !compare_estimable(r, &compare_metrics[m]))
		return;
	compare_estimate_print(r, c->calib);
	compare_estimate_row(r, c->calib, &est, metric, sizeof(metric), unit,
			     sizeof(unit));
	compare_csv_write(c->csv, &est);
	compare_json_row(c->json, &est);
}

/* Kernel k against A: every metric, decided together, then printed. */
static void compare_kernel(struct cmp *c, const char *scen, int k)
{
	struct compare_row rows[COMPARE_NMETRICS];
	struct decision *d[COMPARE_NMETRICS];
	int midx[COMPARE_NMETRICS], m;
	size_t n = 0, i;

	for (m = 0; m < COMPARE_NMETRICS; m++) {
		if (!c->present[m])
			continue;
		cmp_fill_row(c, scen, m, k, &rows[n]);
		d[n] = &rows[n].dec;
		midx[n++] = m;
	}
	verdict_family(d, n, VERDICT_ALPHA);
	cmp_print_head(k);
	for (i = 0; i < n; i++) {
		cmp_print_row(&rows[i], &compare_metrics[midx[i]]);
		compare_csv_write(c->csv, &rows[i]);
		compare_json_row(c->json, &rows[i]);
		count(c, &rows[i]);
		estimated_row(c, &rows[i], midx[i]);
	}
	cmp_note_runs(c, k);
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
	cmp_print_scenario(c, scen);
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

	for (m = 0; m < COMPARE_NMETRICS; m++) {
		c->present[m] = true;
		for (k = 0; k < c->nk; k++)
			c->present[m] &= c->k[k].res.sum.nrows &&
				csv_table_get(&c->k[k].res.sum, 0,
					      compare_metrics[m].col) != NULL;
	}
}

/* The letters of the trees other than A that have scen (or lack it). */
static size_t letters(const struct cmp *c, const char *scen, bool have,
		      char *out, size_t len)
{
	size_t n = 0;
	int k;

	out[0] = '\0';
	for (k = 1; k < c->nk; k++)
		if ((results_row(&c->k[k].res, scen) >= 0) == have &&
		    n + 3 < len)
			n += snprintf(out + n, len - n, "%s%c", n ? "," : "",
				      cmp_letter(k));
	return n;
}

/* In every tree? If not, says which lack it. */
static bool in_all(const struct cmp *c, const char *scen)
{
	char lack[2 * CMP_MAX_KERNELS + 1];

	if (!letters(c, scen, false, lack, sizeof(lack)))
		return true;
	ds_err("%s: in A, not in %s: left out", scen, lack);
	return false;
}

/* Has a tree before k (not A) the scenario: said for that one already. */
static bool seen_before(const struct cmp *c, const char *scen, int k)
{
	int q;

	for (q = 1; q < k; q++)
		if (results_row(&c->k[q].res, scen) >= 0)
			return true;
	return false;
}

static void compare_all(struct cmp *c)
{
	const struct results *a = &c->k[0].res;
	char have[2 * CMP_MAX_KERNELS + 1];
	int j, k;

	find_metrics(c);
	for (j = 0; j < a->sum.nrows; j++) {
		const char *scen = results_scenario(a, j);

		if (!in_all(c, scen)) {
			c->skipped++;
			continue;
		}
		if (!compare_scenario(c, scen))
			c->scenarios++;
	}
	/* what A lacks is left out as well, said once, naming who has it */
	for (k = 1; k < c->nk; k++)
		for (j = 0; j < c->k[k].res.sum.nrows; j++) {
			const char *scen = results_scenario(&c->k[k].res, j);

			if (results_row(a, scen) >= 0 || seen_before(c, scen, k))
				continue;
			letters(c, scen, true, have, sizeof(have));
			ds_err("%s: in %s, not in A: left out", scen, have);
			c->skipped++;
		}
}

static int open_csv(struct cmp *c, const char *dir)
{
	int err;

	if (mkdir_p(dir)) {
		ds_err("cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(c->csv_path, sizeof(c->csv_path), "%s/compare.csv", dir);
	atomic_clean_dir(dir);
	err = atomic_open(&c->csv_out, c->csv_path);
	if (err) {
		ds_err("%s: %s", c->csv_path, atomic_strerror(err));
		return -1;
	}
	c->csv = c->csv_out.f;
	compare_csv_header(c->csv);
	snprintf(c->json_path, sizeof(c->json_path), "%s/compare.json", dir);
	c->json = compare_json_new();
	if (!c->json) {
		ds_err("out of memory");
		return -1;
	}
	return 0;
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

/* --calibration FILE, refused with the reason when it cannot be used */
static int load_calibration(struct cmp *c, const char *path,
			    struct calibration *calib)
{
	char why[1024];

	if (!path)
		return 0;
	if (calibration_read(path, calib, why, sizeof(why))) {
		ds_err("--calibration: refused: %s", why);
		return -1;
	}
	c->calib = calib;
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	static struct cmp c;
	static struct calibration calib;
	const char *out, *calib_path = NULL;
	int rc, k, err;

	memset(&c, 0, sizeof(c));
	rc = parse(argc, argv, &c, &out, &calib_path);
	if (rc < 1)
		return opt_exit(rc);
	if (load_calibration(&c, calib_path, &calib))
		return 2;
	rc = 1;
	if (open_all(&c, argv + optind))
		goto out;
	err = check_clocks(&c);
	if (err) {
		rc = err == -2 ? 2 : 3;
		goto out;
	}
	if (open_csv(&c, out))
		goto out;
	if (c.calib)
		compare_estimate_json(c.json, c.calib);
	print_kernels(&c);
	compare_all(&c);
	c.csv = NULL;
	err = atomic_commit(&c.csv_out, false);
	if (err) {
		ds_err("%s: %s", c.csv_path, atomic_strerror(err));
		goto out;
	}
	if (write_json(&c))
		goto out;
	cmp_print_footer(&c);
	rc = c.refused ? 3 : 0;
	/* "0 plots" with status 0 read as a comparison that found nothing */
	if (!c.scenarios && !c.refused) {
		ds_err("no scenario is in every results tree: nothing was compared");
		rc = 1;
	}
out:
	if (c.csv)
		atomic_abort(&c.csv_out);
	if (c.json)
		json_object_put(c.json);
	for (k = 0; k < c.nk; k++)
		results_close(&c.k[k].res);
	return rc;
}
