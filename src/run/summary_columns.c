// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "util/macros.h"
#include "run/summary_columns.h"

/*
 * Where a field is, refused at build time when it is not of the kind the
 * column says: the table cannot read a count as a double.
 */
#define FIELD(type, f) (((type *)0)->f)
#define IS(x, t) __builtin_types_compatible_p(typeof(x), t)
#define AT(type, f, ok) (offsetof(type, f) + 0 * sizeof(char[(ok) ? 1 : -1]))

#define SUMS(f, t) SUMMARY_SUMS, AT(struct summary, f, IS(FIELD(struct summary, f), t))
#define DERIVED(f, t) SUMMARY_DERIVED, \
	AT(struct summary_derived, f, IS(FIELD(struct summary_derived, f), t))

#define S_STR(n, f) { n, SUMMARY_STR, SUMMARY_SUMS, \
	AT(struct summary, f, IS(FIELD(struct summary, f)[0], char)), true }
#define S_UINT(n, f) { n, SUMMARY_UINT, SUMS(f, unsigned int), true }
#define S_U64(n, f) { n, SUMMARY_U64, SUMS(f, __u64), true }
#define S_NUM(n, f) { n, SUMMARY_NUM, SUMS(f, double), true }
#define S_FLAG(n, f) { n, SUMMARY_FLAG, SUMS(f, bool), true }
#define D_NUM(n, f) { n, SUMMARY_NUM, DERIVED(f, double), true }
#define D_FLAG(n, f) { n, SUMMARY_FLAG, DERIVED(f, bool), true }
/* in summary.json only: summary.csv's columns are fixed */
#define D_NUM_JSON(n, f) { n, SUMMARY_NUM, DERIVED(f, double), false }

#define PCT(p, k) \
	S_NUM("lat_" p "_ns", lat[k]), \
	S_NUM("lat_" p "_lo_ns", lat_lo[k]), \
	S_NUM("lat_" p "_hi_ns", lat_hi[k])

/*
 * summary.csv's columns in order. compare and plot read the first ones
 * by these names: changing them breaks them; add at the end.
 */
const struct summary_column summary_columns[] = {
	S_STR("scenario", scenario),
	S_STR("kernel_release", kernel_release),
	S_UINT("runs", runs),
	S_U64("ios", ios),
	D_NUM("iops", iops),
	PCT("p50", 0),
	PCT("p90", 1),
	PCT("p99", 2),
	PCT("p999", 3),
	S_NUM("lat_mean_ns", lat_mean),
	D_NUM("wasted_ns_total", wasted_ns),
	D_NUM("wasted_ns_per_io", wasted_ns_per_io),
	D_NUM("wasted_share", wasted_share),
	D_NUM("splits_per_1k_ios", splits_per_1k),
	D_NUM("merges_per_1k_ios", merges_per_1k),
	D_NUM("churn_pairs_per_1k_ios", churn_per_1k),
	S_FLAG("merges_observed", merges_observed),
	D_NUM("join_rate", join_rate),
	S_U64("lost_events", lost_events),
	S_U64("block_size_bytes", block_size),
	S_U64("size_bytes", size),
	S_STR("mount_options", mount_options),
	S_STR("fio_version", fio_version),
	S_STR("tiers", tiers),
	S_STR("emulated", emulated),
	D_FLAG("complete", complete),
	D_NUM("pre_io_splits_per_1k_ios", pre_io_per_1k),
	D_NUM("conversions_per_1k_ios", conv_per_1k),
	S_U64("fio_entries", fio_entries),
	S_U64("joined", joined),
	S_U64("kernel_ios_unjoined", kernel_unjoined),
	D_NUM("unpaired_merges_per_1k_ios", unpaired_per_1k),
	D_NUM("splits_total", splits_total),
	D_NUM("merges_total", merges_total),
	D_NUM("kernel_lat_mean_ns", kernel_lat_mean_ns),
	S_U64("late_events", late_events),
	S_U64("unattributed_events", unattributed),
	S_U64("unmatched_completions", unmatched),
	S_U64("lost_ios", lost_ios),
	S_STR("mkfs_options", mkfs_options),
	S_UINT("complete_runs", complete_runs),
	S_U64("converted_blocks", converted_blocks),
	S_STR("merge_guard", merge_guard),
	D_NUM("bpf_run_time_ns_total", bpf_run_time_ns),
	D_NUM("bpf_runs_total", bpf_runs),
	D_NUM("bpf_recursion_misses", bpf_recursion_misses),
	D_NUM("bpf_ns_per_io", bpf_ns_per_io),
	D_NUM("bpf_share_of_mean_lat", bpf_share),
	D_NUM("kretprobe_missed", kretprobe_missed),
	D_NUM("completion_splits_per_1k_ios", completion_splits_per_1k),
	S_U64("writeback_ios", wb_ios),
	D_NUM("churn_pairs_by_dio", churn_by_op[CORR_OP_DIO]),
	D_NUM("churn_pairs_by_writeback", churn_by_op[CORR_OP_WRITEBACK]),
	D_NUM("churn_pairs_by_fallocate", churn_by_op[CORR_OP_FALLOCATE]),
	D_NUM("churn_pairs_by_zero_range", churn_by_op[CORR_OP_ZERO_RANGE]),
	D_NUM("churn_pairs_by_other", churn_by_op[CORR_OP_OTHER]),
	S_STR("latency_source", latency_source),
	S_STR("clock", clock),
	D_NUM("wasted_cpu_ns_per_io", wasted_cpu_ns_per_io),
	D_NUM("wasted_tracer_ns_per_io", wasted_tracer_ns_per_io),
	D_NUM("work_cpu_ns_per_io", work_cpu_ns_per_io),
	D_NUM("work_tracer_ns_per_io", work_tracer_ns_per_io),
	D_NUM_JSON("churn_pairs_total", churn_pairs_total),
};

const unsigned int summary_ncolumns =
	ARRAY_SIZE(summary_columns);

void summary_view_of(struct summary_view *v, const struct summary *s)
{
	v->s = s;
	summary_derive(s, &v->d);
}

const struct summary_column *summary_column(const char *name)
{
	unsigned int i;

	for (i = 0; i < summary_ncolumns; i++)
		if (!strcmp(summary_columns[i].name, name))
			return &summary_columns[i];
	return NULL;
}

union summary_value summary_value(const struct summary_view *v,
				  const struct summary_column *c)
{
	const char *base = c->src == SUMMARY_SUMS ? (const char *)v->s :
			   (const char *)&v->d;
	const void *p = base + c->offset;
	union summary_value val;

	switch (c->kind) {
	case SUMMARY_STR:
		val.str = p;
		break;
	case SUMMARY_UINT:
		val.u64 = *(const unsigned int *)p;
		break;
	case SUMMARY_U64:
		val.u64 = *(const __u64 *)p;
		break;
	case SUMMARY_NUM:
		val.num = *(const double *)p;
		break;
	case SUMMARY_FLAG:
		val.flag = *(const bool *)p;
		break;
	}
	return val;
}
