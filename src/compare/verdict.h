/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whether a difference between two arms is one: decided on one value per
 * run (the run is the unit of replication, not the IO), by Welch's t on
 * those values with Holm's correction over the metrics of a scenario,
 * only with enough runs, only where the bootstrap interval excludes 0,
 * and only where the difference is larger than the spread between runs of
 * one arm (below it, it is called noise). A difference of kind (one arm 0
 * in every run, the other above 0 in every run) is tested on the log
 * scale against what the zero arm could have hidden: verdict_kind().
 */
#ifndef DIOSCOPE_COMPARE_VERDICT_H
#define DIOSCOPE_COMPARE_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

/* Runs per arm below which nothing is decided: the spread of two runs
 * is one number, and Welch's t with one degree of freedom tells little. */
#define VERDICT_MIN_RUNS 3
/* The family-wise error rate of a scenario's metrics. */
#define VERDICT_ALPHA 0.05
/*
 * A run that counted none of some event may still hide up to this many:
 * -ln(0.05) = 2.996, the one-sided 95 % Poisson bound of a count of 0.
 */
#define VERDICT_KIND_EVENTS 3.0

enum verdict {
	VERDICT_UNTESTED,	/* no per-run values to decide on */
	VERDICT_UNDECIDABLE,	/* fewer than VERDICT_MIN_RUNS runs in an arm */
	VERDICT_SAME,		/* the test does not reject */
	VERDICT_NOISE,		/* it rejects, but within the runs' spread */
	VERDICT_DIFFERENT,	/* significant */
};

/* The spread between the runs of one arm. */
struct arm_spread {
	size_t n;		/* runs with a value */
	double mean, sd;	/* of the per-run values */
	double spread_pct;	/* sd / mean, in % */
};

/* How the per-run values were tested. */
enum run_test {
	RUN_TEST_NONE,
	RUN_TEST_WELCH,		/* Welch's t on the per-run values */
	RUN_TEST_KIND,		/* t of the logs against the zero arm's limit */
};

/* The bootstrap's differences of B to A: in % of A, and B - A. */
struct verdict_diff {
	double pct, pct_lo, pct_hi;	/* NAN where A is 0 */
	double abs, abs_lo, abs_hi;	/* in the metric's unit */
};

struct decision {
	enum verdict v;
	enum run_test test;
	struct arm_spread a, b;
	double noise_pct;	/* the larger of the two spreads, in % */
	double noise_abs;	/* the larger of the two sd, in the metric's unit */
	double t, df, p;	/* the test on the per-run values; NAN: none */
	double p_holm;		/* p adjusted over the family; NAN: none */
	double diff_pct, ci_lo_pct, ci_hi_pct;
	double diff_abs, ci_lo_abs, ci_hi_abs;
	/* a difference of kind: which arm is 0 in every run ('A', 'B' or 0) */
	char zero_arm;
	double limit;		/* the most it could have hidden; NAN: none */
};

/* The spread of n per-run values (NANs skipped). */
void arm_spread(const double *v, size_t n, struct arm_spread *s);

/*
 * Fills d from the per-run values of A and B (NAN where a run has none)
 * and the bootstrap's differences with their intervals. The verdict is
 * provisional (VERDICT_SAME where a test was made) until
 * verdict_family() has seen every test of the family. Where one arm is 0
 * in every run and the other above 0 in every run, it names the zero arm
 * in zero_arm: verdict_kind() then decides.
 */
void verdict_prepare(const double *a, size_t na, const double *b, size_t nb,
		     const struct verdict_diff *diff, struct decision *d);

/*
 * A difference of kind: the one-sample t of the logs of the nonzero arm's
 * per-run values v against the log of limit, the most the zero arm could
 * have hidden (VERDICT_KIND_EVENTS IOs of the size the other arm shows;
 * stats.h kind_limit()); events: the fewest IOs with a nonzero value in
 * a run of that arm, which bounds how alike its runs can be shown to be.
 * Without a limit, d keeps Welch's t on the values.
 */
void verdict_kind(struct decision *d, const double *v, size_t nv,
		  double limit, size_t events);

/*
 * Holm's step-down correction over the n decisions of a family (the
 * metrics of one scenario, B against A), then the verdict of each:
 * different when the adjusted p < alpha, the interval excludes 0 and the
 * difference exceeds the noise (in % of A, or as B - A where A is 0 or
 * the difference is of kind); noise when only the last fails.
 */
void verdict_family(struct decision *const *d, size_t n, double alpha);

/* What compare.csv's test_runs column says: "welch", "kind", or "". */
const char *run_test_name(enum run_test t);

/* What compare.csv's significant column says: "yes", "no", "noise",
 * "not decidable", or "" untested. */
const char *verdict_name(enum verdict v);
/* Said in a sentence, for the guard statement and the notes. */
const char *verdict_phrase(enum verdict v);

#endif
