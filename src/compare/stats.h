/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The statistics of a comparison between kernels: a two-level bootstrap
 * (runs, then IOs within runs) of the relative and absolute difference of statistics
 * of per-IO samples, the statistic of each run on its own, Welch's t on
 * those per-run values, and the Mann-Whitney U test.
 */
#ifndef DIOSCOPE_COMPARE_STATS_H
#define DIOSCOPE_COMPARE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* xorshift64*, seeded through splitmix64: reproducible, fast enough. */
struct rng {
	uint64_t s;
};

void rng_seed(struct rng *g, uint64_t seed, uint64_t stream);
uint64_t rng_next(struct rng *g);
/* Uniform in [0, n). */
size_t rng_below(struct rng *g, size_t n);

#define SAMPLE_MAX_COLS 8

/*
 * The IOs of one scenario on one kernel, grouped by run: run r holds rows
 * off[r] .. off[r + 1] - 1. Each column holds one value per row, NAN where
 * the row has none (an IO fio logged that the kernel side did not see, or
 * the reverse). run_v holds one value per run (NAN where unknown) for
 * what exists per run only, such as IOPS.
 */
struct samples {
	size_t nrows, nruns, ncols;
	size_t *off;
	double *col[SAMPLE_MAX_COLS];
	double *run_v;
	/* built by samples_index(): the rows with a value, by value */
	size_t *order[SAMPLE_MAX_COLS];
	size_t nord[SAMPLE_MAX_COLS];
};

/* Sorts the rows of each column for percentiles; 0 or -ENOMEM. */
int samples_index(struct samples *s);
void samples_free(struct samples *s);
/* The values of a column (or of run_v for col < 0) with a value; caller frees. */
double *samples_values(const struct samples *s, int col, size_t *n);

enum est_kind {
	EST_PERCENTILE,		/* arg: the percentile, nearest rank */
	EST_MEAN,		/* arg: a factor, e.g. 1000 for "per 1k IOs" */
	EST_RUN_MEAN,		/* mean of run_v over runs; arg: a factor */
};

struct estimator {
	enum est_kind kind;
	int col;
	double arg;
};

/*
 * An estimate of a resample: w[row] and rw[run] say how often each row and
 * run were drawn; NULL for the sample as it is.
 */
double estimate(const struct samples *s, const struct estimator *e,
		const unsigned int *w, const unsigned int *rw);
/*
 * The estimate of each run on its own into out[0 .. nruns - 1] (NAN where
 * a run has no value); how many are finite. w must hold nrows, rw nruns.
 */
size_t estimate_runs(const struct samples *s, const struct estimator *e,
		     unsigned int *w, unsigned int *rw, double *out);
/* One resample: nruns runs with replacement, then each drawn run's rows. */
void resample(const struct samples *s, struct rng *g, unsigned int *w,
	      unsigned int *rw);

/*
 * The bootstrap's stream for a scenario: FNV-1a of its name, so that
 * compare and plot draw the same resamples for it.
 */
uint64_t boot_stream(const char *name);

struct boot_opts {
	unsigned int reps;	/* resamples, e.g. 1000 */
	double conf;		/* e.g. 0.95 */
	uint64_t seed;
};

struct boot_diff {
	double diff;		/* 100 (stat_k - stat_0) / stat_0, in % */
	double lo, hi;		/* the percentile bootstrap interval; NAN if none */
	unsigned int valid;	/* resamples with a finite difference */
	/* stat_k - stat_0 in the estimator's unit: defined where stat_0 is 0 */
	double abs, abs_lo, abs_hi;
};

/*
 * For each estimator e and kernel k >= 1 of nk: out[e * nk + k], the
 * relative and the absolute difference of kernel k to kernel 0, each with
 * its interval. Each
 * kernel is resampled from its own stream of the seed, so the numbers
 * depend on the seed and the data only. 0 or -ENOMEM.
 */
int bootstrap_diff(const struct samples *const *k, int nk,
		       const struct estimator *e, int ne,
		       const struct boot_opts *o, uint64_t stream,
		       struct boot_diff *out);

/*
 * For a difference of kind (compare/verdict.h verdict_kind()): the most
 * the arm zero, which showed none in any run, could have hidden: events
 * IOs of other's mean nonzero size, spread over all of zero's IOs with a
 * value, times the estimator's factor. Only for a mean of per-IO values:
 * NAN when e is none, when zero has no IOs or other no nonzero value.
 */
double kind_limit(const struct samples *zero, const struct samples *other,
		  const struct estimator *e, double events);
/* The fewest IOs with a nonzero value in column col in a run of s. */
size_t nonzero_min_run(const struct samples *s, int col);

struct welch {
	double t;	/* (mean y - mean x) / its standard error */
	double df;	/* Welch-Satterthwaite degrees of freedom */
	double p;	/* two-sided, from Student's t with df */
};

/*
 * Welch's unequal-variance t-test of y against x; NAN-free inputs, at
 * least 2 a side. Both sides without any spread give t = 0 and p = 1 when
 * their means are equal, else t = +-inf and p = 0. 0 or -EINVAL.
 */
int welch_test(const double *x, size_t nx, const double *y, size_t ny,
	       struct welch *out);
/* Two-sided p of Student's t with df degrees of freedom. */
double student_t_p(double t, double df);
/*
 * The t whose two-sided p is 1 - conf at df degrees of freedom
 * (student_t_p inverted); NAN for df <= 0 or conf outside (0, 1).
 */
double student_t_quantile(double conf, double df);

/* A mean over runs and its interval. */
struct mean_ci {
	double mean;
	double lo, hi;	/* Student's t interval; NAN with fewer than 2 values */
	double sd;	/* the sample standard deviation; NAN below 2 values */
};

/*
 * The mean of n NAN-free values and its conf interval by Student's t with
 * n - 1 degrees of freedom: the interval for runs taken as independent
 * draws of one normal spread. 0, or -EINVAL for n == 0.
 */
int mean_t_interval(const double *v, size_t n, double conf,
		    struct mean_ci *out);

struct mwu {
	double u;	/* U of x: pairs where x is larger, ties counted half */
	double z;	/* normal approximation; 0 when exact */
	double p;	/* two-sided */
	bool exact;
};

/* Exact (the permutation distribution, ties kept) up to this many per side. */
#define MWU_EXACT_MAX 30

/*
 * Mann-Whitney U of x against y: exact when both sides are small, else the
 * normal approximation with tie and continuity correction. 0 or -errno.
 */
int mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
		 struct mwu *out);
/* The same, choosing the method: exact only when exact is true. */
int mann_whitney_method(const double *x, size_t nx, const double *y,
			size_t ny, bool exact, struct mwu *out);

#endif
