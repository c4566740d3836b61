// SPDX-License-Identifier: GPL-2.0
/*
 * Two numbers say what the waste costs, and the guard statement puts them
 * side by side: the traces of the unguarded arm attribute time to merges
 * that a split had to undo (wasted ns per IO, churn pairs), and the A/B
 * measures what the mode changed. Each churn pair is a merge and a split
 * that the guard exists to avoid, so where the traces are right the
 * splits and merges fall by the churn pairs, and the mean latency by the
 * wasted time; the statement says whether each estimate lies within the
 * measured difference's interval.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "compare/guard.h"

static const char *const modes[] = { "off", "dio", "all" };

int compare_guard_mode(const char *v)
{
	int m;

	if (!v)
		return -1;
	for (m = 0; m < 3; m++)
		if (!strcmp(v, modes[m]))
			return m;
	/* the one mode of the knob before there were modes */
	return strcmp(v, "on") ? -1 : 1;
}

bool compare_guard_is_ab(const struct guard_arms *g)
{
	int a = compare_guard_mode(g->guard_a);
	int b = compare_guard_mode(g->guard_b);

	if (!g->release_a || !g->release_b ||
	    strcmp(g->release_a, g->release_b))
		return false;
	return a >= 0 && b >= 0 && a != b && (a == 0 || b == 0);
}

static const struct compare_row *find(const struct compare_row *rows,
				      size_t n, const char *metric)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rows[i].metric && !strcmp(rows[i].metric, metric))
			return &rows[i];
	return NULL;
}

/*
 * off - on of a row, and its interval: compare keeps B - A relative to A,
 * in %, so the absolute interval is that times A, negated when A is off.
 */
int compare_guard_diff(const struct compare_row *r, bool a_off,
		       struct guard_diff *d)
{
	double sign = a_off ? -1 : 1, lo, hi;
	double off = a_off ? r->value_a : r->value_b;
	double on = a_off ? r->value_b : r->value_a;

	d->diff = d->lo = d->hi = NAN;
	if (isnan(off) || isnan(on))
		return -1;
	d->diff = off - on;
	if (!isnan(r->ci_lo_pct) && r->value_a) {
		lo = sign * r->ci_lo_pct / 100 * r->value_a;
		hi = sign * r->ci_hi_pct / 100 * r->value_a;
		d->lo = fmin(lo, hi);
		d->hi = fmax(lo, hi);
	}
	return 0;
}

enum guard_agreement compare_guard_agree(double traced,
					 const struct guard_diff *d)
{
	if (isnan(traced) || isnan(d->lo) || isnan(d->hi))
		return GUARD_CANNOT_TELL;
	return traced >= d->lo && traced <= d->hi ? GUARD_AGREE :
						    GUARD_DISAGREE;
}

/* what rounds to 0.00 is printed +0.00, not -0.00 */
static double zero(double v)
{
	return fabs(v) < 0.005 ? 0 : v;
}

/* compare's own decision on the row, not a second rule */
static const char *significance(const struct compare_row *r)
{
	if (r->dec.v == VERDICT_UNTESTED)
		return NULL;
	return verdict_phrase(r->dec.v);
}

/* the p that decides: Welch's on the runs, Holm-corrected */
static double p_of(const struct compare_row *r)
{
	return r->dec.p_holm;
}

/* The measured difference of one metric; 0, or -1 when it is not known. */
static int print_diff(const char *label, const struct compare_row *r,
		      bool a_off, const char *unit, struct guard_diff *d)
{
	const char *sig;
	double p;

	d->diff = d->lo = d->hi = NAN;
	if (!r) {
		printf("    %-24s not in both summaries\n", label);
		return -1;
	}
	if (compare_guard_diff(r, a_off, d)) {
		printf("    %-24s n/a (%s)\n", label, r->note != COMPARE_NOTE_NONE ?
		       compare_note_text(r->note) : "not known");
		return -1;
	}
	printf("    %-24s %+10.2f %-10s", label, zero(d->diff), unit);
	if (!isnan(d->lo))
		printf("  95%% [%+.2f, %+.2f]", zero(d->lo), zero(d->hi));
	p = p_of(r);
	if (!isnan(p))
		printf("  p runs %s%.3f", p < 0.001 ? "<" : "", p < 0.001 ? 0.001 : p);
	sig = significance(r);
	if (sig)
		printf("  %s", sig);
	printf("\n");
	return 0;
}

/* The unguarded arm's value of a row; NAN when it is not known. */
static double off_value(const struct compare_row *r, bool a_off)
{
	if (!r)
		return NAN;
	return a_off ? r->value_a : r->value_b;
}

static void print_traced(const char *label, double v, const char *unit,
			 const char *share)
{
	if (isnan(v))
		printf("    %-24s n/a (the tier sees no merges or splits)\n", label);
	else
		printf("    %-24s %10.2f %-10s%s\n", label, v, unit, share);
}

static void print_agreement(const char *what, double traced,
			    const char *measured, const struct guard_diff *d)
{
	switch (compare_guard_agree(traced, d)) {
	case GUARD_AGREE:
		printf("    %s: agree (%.2f lies within %s's interval [%+.2f, %+.2f])\n",
		       what, traced, measured, zero(d->lo), zero(d->hi));
		break;
	case GUARD_DISAGREE:
		printf("    %s: disagree (%.2f lies outside %s's interval [%+.2f, %+.2f])\n",
		       what, traced, measured, zero(d->lo), zero(d->hi));
		break;
	default:
		printf("    %s: cannot tell (%s)\n", what, isnan(traced) ?
		       "no traced estimate" : "no interval of the difference");
	}
}

const char *compare_guard_time_unit(const struct compare_row *rows, size_t n,
				    bool per_io)
{
	const struct compare_row *r = find(rows, n, "lat_mean_ns");
	bool icount = r && r->icount_a && r->icount_b;

	if (icount)
		return per_io ? "ins/IO" : "ins";
	return per_io ? "ns/IO" : "ns";
}

void compare_guard_print(const struct guard_arms *g,
			 const struct compare_row *rows, size_t n)
{
	bool a_off = compare_guard_mode(g->guard_a) == 0;
	const char *mode = modes[compare_guard_mode(a_off ? g->guard_b : g->guard_a)];
	struct guard_diff mean, p50, p99, splits, merges, churn;
	double wasted, pairs, v50, v99;
	char share[96] = "";
	const char *t_io = compare_guard_time_unit(rows, n, true);
	const char *t = compare_guard_time_unit(rows, n, false);
	char la = g->letter_a ? g->letter_a : 'A';
	char lb = g->letter_b ? g->letter_b : 'B';

	printf("  merge guard A/B on %s (guard off: %c, %s: %c)\n",
	       g->release_a, a_off ? la : lb, mode, a_off ? lb : la);
	printf("   measured as the difference, guard off - guard %s:\n", mode);
	print_diff("mean latency", find(rows, n, "lat_mean_ns"), a_off,
		   t_io, &mean);
	print_diff("p50 latency", find(rows, n, "lat_p50_ns"), a_off, t, &p50);
	print_diff("p99 latency", find(rows, n, "lat_p99_ns"), a_off, t, &p99);
	print_diff("splits", find(rows, n, "splits_per_1k_ios"), a_off,
		   "per 1k IOs", &splits);
	print_diff("merges", find(rows, n, "merges_per_1k_ios"), a_off,
		   "per 1k IOs", &merges);
	print_diff("churn pairs", find(rows, n, "churn_pairs_per_1k_ios"),
		   a_off, "per 1k IOs", &churn);

	wasted = off_value(find(rows, n, "wasted_ns_per_io"), a_off);
	pairs = off_value(find(rows, n, "churn_pairs_per_1k_ios"), a_off);
	v50 = off_value(find(rows, n, "lat_p50_ns"), a_off);
	v99 = off_value(find(rows, n, "lat_p99_ns"), a_off);
	if (!isnan(wasted) && v50 > 0 && v99 > 0)
		snprintf(share, sizeof(share), "  (%.2f %% of p50, %.2f %% of p99)",
			 100 * wasted / v50, 100 * wasted / v99);
	printf("   estimated from the traces, guard off:\n");
	print_traced("wasted merge/split time", wasted, t_io, share);
	print_traced("churn pairs", pairs, "per 1k IOs", "");
	printf("   do they agree (the estimate within the measured interval)?\n");
	print_agreement("wasted time vs mean latency", wasted, "mean latency",
			&mean);
	print_agreement("churn pairs vs splits", pairs, "splits", &splits);
	print_agreement("churn pairs vs merges", pairs, "merges", &merges);
}
