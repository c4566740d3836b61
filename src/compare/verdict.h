/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whether a difference between two arms is one: decided on one value per
 * run (the run is the unit of replication, not the IO), by Welch's t on
 * those values with Holm's correction over the metrics of a scenario,
 * only with enough runs, only where the bootstrap interval excludes 0,
 * and only where the difference is larger than the spread between runs of
 * one arm (below it, it is called noise).
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

struct decision {
	enum verdict v;
	struct arm_spread a, b;
	double noise_pct;	/* the larger of the two spreads, in % */
	double t, df, p;	/* Welch on the per-run values; NAN: none */
	double p_holm;		/* p adjusted over the family; NAN: none */
	double diff_pct, ci_lo_pct, ci_hi_pct;
};

/* The spread of n per-run values (NANs skipped). */
void arm_spread(const double *v, size_t n, struct arm_spread *s);

/*
 * Fills d from the per-run values of A and B (NAN where a run has none)
 * and the bootstrap's difference and interval, in % of A. The verdict is
 * provisional (VERDICT_SAME where a test was made) until
 * verdict_family() has seen every test of the family.
 */
void verdict_prepare(const double *a, size_t na, const double *b, size_t nb,
		     double diff_pct, double ci_lo_pct, double ci_hi_pct,
		     struct decision *d);

/*
 * Holm's step-down correction over the n decisions of a family (the
 * metrics of one scenario, B against A), then the verdict of each:
 * different when the adjusted p < alpha, the interval excludes 0 and
 * |diff| exceeds the noise; noise when only the last fails.
 */
void verdict_family(struct decision *const *d, size_t n, double alpha);

/* What compare.csv's significant column says: "yes", "no", "noise",
 * "not decidable", or "" untested. */
const char *verdict_name(enum verdict v);
/* Said in a sentence, for the guard statement and the notes. */
const char *verdict_phrase(enum verdict v);

#endif
