// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "compare/guard.h"

static bool is(const char *v, const char *what)
{
	return v && !strcmp(v, what);
}

bool compare_guard_is_ab(const struct guard_arms *g)
{
	if (!g->release_a || !g->release_b ||
	    strcmp(g->release_a, g->release_b))
		return false;
	return (is(g->guard_a, "off") && is(g->guard_b, "on")) ||
	       (is(g->guard_a, "on") && is(g->guard_b, "off"));
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

/* what rounds to 0.00 is printed +0.00, not -0.00 */
static double zero(double v)
{
	return fabs(v) < 0.005 ? 0 : v;
}

static void print_diff(const char *label, const struct compare_row *r,
		       bool a_off, const char *unit)
{
	struct guard_diff d;

	if (!r) {
		printf("    %-26s not in both summaries\n", label);
		return;
	}
	if (compare_guard_diff(r, a_off, &d)) {
		printf("    %-26s n/a (%s)\n", label, *r->note ? r->note : "not known");
		return;
	}
	printf("    %-26s %+10.2f %s", label, zero(d.diff), unit);
	if (!isnan(d.lo))
		printf("  95%% [%+.2f, %+.2f]", zero(d.lo), zero(d.hi));
	if (!isnan(r->p_value))
		printf("  p %s%.3f", r->p_value < 0.001 ? "<" : "",
		       r->p_value < 0.001 ? 0.001 : r->p_value);
	/* compare's own rule: the test rejects and the interval excludes 0 */
	if (*r->significant)
		printf("  %s", strcmp(r->significant, "yes") ?
		       "not significant" : "significant");
	printf("\n");
}

static void print_traced(const char *label, const struct compare_row *r,
			 bool a_off, const char *unit)
{
	double v;

	if (!r) {
		printf("    %-26s not in the summary\n", label);
		return;
	}
	v = a_off ? r->value_a : r->value_b;
	if (isnan(v))
		printf("    %-26s n/a (the tier sees no merges or splits)\n", label);
	else
		printf("    %-26s %10.2f %s\n", label, v, unit);
}

void compare_guard_print(const struct guard_arms *g,
			 const struct compare_row *rows, size_t n)
{
	bool a_off = is(g->guard_a, "off");

	printf("  merge guard A/B on %s (guard off: %c, on: %c)\n",
	       g->release_a, a_off ? 'A' : 'B', a_off ? 'B' : 'A');
	printf("   measured as the difference, guard off - guard on:\n");
	print_diff("mean latency", find(rows, n, "lat_mean_ns"), a_off,
		   "ns/IO");
	print_diff("p50 latency", find(rows, n, "lat_p50_ns"), a_off, "ns");
	print_diff("splits", find(rows, n, "splits_per_1k_ios"), a_off,
		   "per 1k IOs");
	print_diff("merges", find(rows, n, "merges_per_1k_ios"), a_off,
		   "per 1k IOs");
	printf("   estimated from the traces, guard off:\n");
	print_traced("wasted merge/split time", find(rows, n, "wasted_ns_per_io"),
		     a_off, "ns/IO");
	print_traced("churn pairs", find(rows, n, "churn_pairs_per_1k_ios"),
		     a_off, "per 1k IOs");
}
