// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include "run/summary.h"

static double per_1k(__u64 count, __u64 ios)
{
	return ios ? count * 1000.0 / ios : NAN;
}

static double ratio(double a, double b)
{
	return b ? a / b : NAN;
}

/* What only merge and split events can tell: unknown without them. */
static double seen(const struct summary *s, double v)
{
	return s->merges_observed ? v : NAN;
}

static void derive_costs(const struct summary *s, struct summary_derived *d)
{
	d->kretprobe_missed = s->kret_counted ? s->kretprobe_missed : NAN;
	d->bpf_recursion_misses = s->bpf_misses_counted ?
				  s->bpf_recursion_misses : NAN;
	d->bpf_run_time_ns = s->bpf_timed ? s->bpf_run_time_ns : NAN;
	d->bpf_runs = s->bpf_timed ? s->bpf_runs : NAN;
	d->bpf_ns_per_io = ratio(d->bpf_run_time_ns, s->ios);
	d->bpf_share = s->lat_mean > 0 ? d->bpf_ns_per_io / s->lat_mean : NAN;
}

/*
 * A timed call's time holds the entry and exit programs of every traced
 * call nested in it (a split's insert, its map_blocks): taken out at the
 * run's mean cost of a traced call, two program runs. That is a mean
 * over all programs, not the nested ones' own, so it is shown beside.
 * NAN when the programs were not timed.
 */
static double nested_tracer_ns(const struct summary *s, __u64 nested)
{
	if (!nested)
		return 0;
	if (!s->bpf_timed || !s->bpf_runs)
		return NAN;
	return nested * 2.0 * s->bpf_run_time_ns / s->bpf_runs;
}

/*
 * Time on the CPU per IO, less the tracer's programs on the calls nested
 * in it, and those programs' share apart; NAN where either is unknown.
 */
static void on_cpu_per_io(const struct summary *s, bool unknown,
			  double cpu_ns, __u64 nested, double *cpu,
			  double *tracer)
{
	double t;

	*cpu = *tracer = NAN;
	if (!s->offcpu_measured || unknown)
		return;
	t = nested_tracer_ns(s, nested);
	if (isnan(t))
		return;
	*tracer = ratio(t, s->ios);
	*cpu = ratio(cpu_ns - t, s->ios);
}

static void derive_cpu(const struct summary *s, struct summary_derived *d)
{
	on_cpu_per_io(s, s->wasted_cpu_unknown, s->wasted_cpu_ns,
		      s->wasted_nested, &d->wasted_cpu_ns_per_io,
		      &d->wasted_tracer_ns_per_io);
	d->wasted_cpu_ns_per_io = seen(s, d->wasted_cpu_ns_per_io);
	d->wasted_tracer_ns_per_io = seen(s, d->wasted_tracer_ns_per_io);
}

/* The IO's own kernel work on the CPU, less the same. */
static void derive_work(const struct summary *s, struct summary_derived *d)
{
	on_cpu_per_io(s, s->work_cpu_unknown, s->work_cpu_ns, s->work_nested,
		      &d->work_cpu_ns_per_io, &d->work_tracer_ns_per_io);
}

void summary_derive(const struct summary *s, struct summary_derived *d)
{
	const __u64 *cc = s->comp_count;
	int k;

	d->iops = s->iops;
	d->complete = s->complete_runs == s->runs;
	d->wasted_ns = seen(s, s->wasted_ns);
	d->wasted_ns_per_io = seen(s, ratio(s->wasted_ns, s->ios));
	d->wasted_share = seen(s, ratio(s->wasted_joined_ns, s->lat_joined_ns));
	d->splits_per_1k = seen(s, per_1k(cc[DS_C_SPLIT], s->ios));
	d->merges_per_1k = seen(s, per_1k(cc[DS_C_MERGE], s->ios));
	d->churn_per_1k = seen(s, per_1k(cc[DS_C_WASTED], s->ios));
	d->unpaired_per_1k = seen(s, per_1k(s->unpaired_merges, s->ios));
	d->pre_io_per_1k = per_1k(cc[DS_C_PRE_IO], s->ios);
	d->conv_per_1k = per_1k(cc[DS_C_CONVERT_MAP], s->ios);
	d->join_rate = s->fio_entries ? (double)s->joined / s->fio_entries : NAN;
	d->splits_total = seen(s, s->splits);
	d->merges_total = seen(s, s->merges);
	d->churn_pairs_total = seen(s, s->churn_pairs);
	d->kernel_lat_mean_ns = ratio(s->kernel_lat_ns, s->completed);
	d->completion_splits_per_1k = seen(s, per_1k(s->completion_splits,
						     s->ios));
	for (k = 0; k < CORR_OP_MAX; k++)
		d->churn_by_op[k] = seen(s, s->churn_by_op[k]);
	derive_costs(s, d);
	derive_cpu(s, d);
	derive_work(s, d);
}
