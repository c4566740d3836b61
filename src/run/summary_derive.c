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

static void derive_cpu(const struct summary *s, struct summary_derived *d)
{
	double tracer;

	d->wasted_cpu_ns_per_io = d->wasted_tracer_ns_per_io = NAN;
	if (!s->offcpu_measured || s->wasted_cpu_unknown)
		return;
	tracer = nested_tracer_ns(s, s->wasted_nested);
	if (isnan(tracer))
		return;
	d->wasted_tracer_ns_per_io = seen(s, ratio(tracer, s->ios));
	d->wasted_cpu_ns_per_io = seen(s, ratio(s->wasted_cpu_ns - tracer,
						s->ios));
}

/* The IO's own kernel work on the CPU, less the same. */
static void derive_work(const struct summary *s, struct summary_derived *d)
{
	double tracer;

	d->work_cpu_ns_per_io = d->work_tracer_ns_per_io = NAN;
	if (!s->offcpu_measured || s->work_cpu_unknown)
		return;
	tracer = nested_tracer_ns(s, s->work_nested);
	if (isnan(tracer))
		return;
	d->work_tracer_ns_per_io = ratio(tracer, s->ios);
	d->work_cpu_ns_per_io = ratio(s->work_cpu_ns - tracer, s->ios);
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
