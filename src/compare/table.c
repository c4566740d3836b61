// SPDX-License-Identifier: GPL-2.0
/* The table compare prints: per scenario, a line per metric and kernel. */
#include <math.h>
#include <stdio.h>
#include "compare/cmp.h"
#include "compare/estimate.h"
#include "compare/order.h"
#include "compare/verdict.h"
#include "util/csv.h"
#include "util/escape.h"

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

/* B - A and its interval, in the unit the values are printed in */
static void fmt_abs(char *d, size_t dlen, char *ci, size_t cilen,
		    const struct compare_row *r, double show)
{
	if (isnan(r->diff_abs))
		snprintf(d, dlen, "n/a");
	else
		snprintf(d, dlen, "%+.2f", r->diff_abs * show);
	if (!isnan(r->ci_lo_abs))
		snprintf(ci, cilen, "[%+.2f, %+.2f]", r->ci_lo_abs * show,
			 r->ci_hi_abs * show);
}

void cmp_print_row(const struct compare_row *r,
		   const struct compare_metric *mt)
{
	char va[32], vb[32], diff[24] = "n/a", ci[48] = "", p[16] = "";
	char da[32], cia[80] = "", sa[16], sb[16], lab[48];
	const char *label = compare_metric_label(mt, r->icount_a && r->icount_b,
						 lab, sizeof(lab));

	fmt_value(va, sizeof(va), r->value_a, mt->show);
	fmt_value(vb, sizeof(vb), r->value_b, mt->show);
	fmt_abs(da, sizeof(da), cia, sizeof(cia), r, mt->show);
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
	printf("  %-22s %12s %12s %12s %-26s %9s %-20s %6s %6s %6s %c",
	       label, va, vb, da, cia, diff, ci, sa, sb, p, mark(r->dec.v));
	/* a single run is said once for the scenario (cmp_note_runs) */
	if (r->note != COMPARE_NOTE_NONE && r->note != COMPARE_NOTE_SINGLE_RUN)
		printf("  %s", compare_note_text(r->note));
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

void cmp_print_scenario(const struct cmp *c, const char *scen)
{
	const struct scenario_params *p = &c->k[0].par;
	char bs[32], size[32], e_scen[1024], e_mount[1024], e_fio[512];
	int k;

	fmt_bytes(bs, sizeof(bs), p->val[SP_BLOCK_SIZE]);
	fmt_bytes(size, sizeof(size), p->val[SP_SIZE]);
	/* names from directories and summary.csv: escaped for the terminal */
	term_escape(scen, ~(size_t)0, e_scen, sizeof(e_scen));
	term_escape(*p->val[SP_MOUNT] ? p->val[SP_MOUNT] : "?", ~(size_t)0,
		    e_mount, sizeof(e_mount));
	term_escape(*p->val[SP_FIO] ? p->val[SP_FIO] : "fio ?", ~(size_t)0,
		    e_fio, sizeof(e_fio));
	printf("\n%s: %s IOs, %s file, mount %s, %s; runs %zu", e_scen, bs,
	       size, e_mount, e_fio, c->k[0].runs.n);
	for (k = 1; k < c->nk; k++)
		printf(" / %zu", c->k[k].runs.n);
	printf("\n");
}

void cmp_print_head(int k)
{
	char vs[16], d[16], sa[8], sb[8];

	snprintf(vs, sizeof(vs), "%c vs %c", cmp_letter(k), cmp_letter(0));
	snprintf(sa, sizeof(sa), "sd %c", cmp_letter(0));
	snprintf(sb, sizeof(sb), "sd %c", cmp_letter(k));
	snprintf(d, sizeof(d), "%c - %c", cmp_letter(k), cmp_letter(0));
	printf("  %-22s %12c %12c %12s %-26s %9s %-20s %6s %6s %6s\n", vs,
	       cmp_letter(0), cmp_letter(k), d, "95% interval", "diff %",
	       "95% interval", sa, sb, "p runs");
}

/* What limits the verdicts of a scenario: too few runs, the order of runs. */
void cmp_note_runs(const struct cmp *c, int k)
{
	const struct cmp_kernel *a = &c->k[0], *b = &c->k[k];

	if (a->runs.n < VERDICT_MIN_RUNS || b->runs.n < VERDICT_MIN_RUNS)
		printf("  (%zu and %zu runs: a verdict needs %d runs in each arm, bench --runs)\n",
		       a->runs.n, b->runs.n, VERDICT_MIN_RUNS);
	if (cmp_min_runs(c, k) == 1)
		printf("  (a single run: the intervals hold IO-to-IO variation only, not run-to-run)\n");
	if (a->runs.n && b->runs.n)
		printf("  (%s)\n", run_order_phrase(run_order(&a->runs, &b->runs)));
}

void cmp_print_footer(const struct cmp *c)
{
	printf("\nX - A: the difference in the metric's unit; diff %%: (X - A) / A, where A\n"
	       "is not 0. Intervals: bootstrap, %u resamples of the runs and then of\n"
	       "the IOs within each run (seed %llu). sd: the spread between the runs of\n"
	       "an arm, sd / mean of the metric's value in each run. p runs: Welch's t on\n"
	       "those per-run values, Holm-corrected over the metrics of the scenario;\n"
	       "for a difference of kind (0 in every run of one arm, above 0 in every\n"
	       "run of the other) on their logs, each zero run taken at the value %.0f\n"
	       "IOs of the other arm's would have given it.\n",
	       c->boot.reps, (unsigned long long)c->boot.seed, VERDICT_KIND_EVENTS);
	if (c->icount)
		printf("icount: QEMU counted guest instructions for time (clock=icount), so\n"
		       "times are instructions: ins, kins = thousands; IOPS is IOs per 1e9.\n");
	if (c->calib)
		compare_estimate_footer(c->calib);
	if (c->unobserved)
		printf("not observed: merges and splits need the fentry or kprobe tier, or the\n"
		       "tracepoints of patches/; n/a, not 0 (PRE_IO splits are seen everywhere).\n");
	printf("%d of %d differences significant (*: p runs < %.2f, the interval excludes 0\n"
	       "and the difference exceeds both arms' sd)",
	       c->significant, c->compared, VERDICT_ALPHA);
	if (c->noise)
		printf("; %d noise (~: within the sd)", c->noise);
	if (c->undecidable)
		printf("; %d not decidable (?: fewer than %d runs)", c->undecidable,
		       VERDICT_MIN_RUNS);
	printf("\n");
	if (c->refused)
		printf("%d scenario(s) refused (see above why)\n", c->refused);
	if (c->skipped)
		printf("%d scenario(s) left out: not in every results tree\n", c->skipped);
	printf("written: %s, %s\n", c->csv_path, c->json_path);
}
