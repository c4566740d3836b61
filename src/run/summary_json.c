// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include "util/json.h"
#include "run/summary_json.h"

static const char *const pct_names[SUMMARY_NPCT] = {
	"p50", "p90", "p99", "p999",
};

static struct json_object *latency(const struct summary *s)
{
	struct json_object *o = json_object_new_object();
	char key[32];
	int k;

	for (k = 0; k < SUMMARY_NPCT; k++) {
		snprintf(key, sizeof(key), "%s_ns", pct_names[k]);
		json_put(o, key, json_num(s->lat[k]));
		/* the distribution-free 95 % interval of that percentile */
		snprintf(key, sizeof(key), "%s_lo_ns", pct_names[k]);
		json_put(o, key, json_num(s->lat_lo[k]));
		snprintf(key, sizeof(key), "%s_hi_ns", pct_names[k]);
		json_put(o, key, json_num(s->lat_hi[k]));
	}
	json_put(o, "mean_ns", json_num(s->lat_mean));
	json_put(o, "source", json_str(s->kernel_view ? SUMMARY_LAT_KERNEL :
				       SUMMARY_LAT_FIO));
	return o;
}

/* Who did the merge of each churn pair, by the names ios.csv uses. */
static struct json_object *churn_by_op(const struct summary_derived *d)
{
	struct json_object *o = json_object_new_object();
	int k;

	for (k = CORR_OP_DIO; k < CORR_OP_MAX; k++)
		json_put(o, corr_op_name(k), json_num(d->churn_by_op[k]));
	return o;
}

static struct json_object *extent_work(const struct summary *s,
				       const struct summary_derived *d)
{
	struct json_object *o = json_object_new_object();

	json_put(o, "merges_observed", json_object_new_boolean(s->merges_observed));
	json_put(o, "wasted_ns_total", json_num(d->wasted_ns));
	json_put(o, "wasted_ns_per_io", json_num(d->wasted_ns_per_io));
	json_put(o, "wasted_share_of_lat", json_num(d->wasted_share));
	json_put(o, "churn_pairs_total", json_num(d->churn_pairs_total));
	json_put(o, "churn_pairs_per_1k_ios", json_num(d->churn_per_1k));
	json_put(o, "splits_total", json_num(d->splits_total));
	json_put(o, "splits_per_1k_ios", json_num(d->splits_per_1k));
	json_put(o, "merges_total", json_num(d->merges_total));
	json_put(o, "merges_per_1k_ios", json_num(d->merges_per_1k));
	json_put(o, "unpaired_merges_per_1k_ios", json_num(d->unpaired_per_1k));
	json_put(o, "pre_io_splits_per_1k_ios", json_num(d->pre_io_per_1k));
	json_put(o, "conversions_per_1k_ios", json_num(d->conv_per_1k));
	json_put(o, "converted_blocks", json_u64(s->converted_blocks));
	json_put(o, "completion_splits_per_1k_ios",
		 json_num(d->completion_splits_per_1k));
	json_put(o, "writeback_ios", json_u64(s->wb_ios));
	json_put(o, "churn_pairs_by_op", churn_by_op(d));
	return o;
}

/* What was seen, and how much of fio's view joined the kernel's. */
static struct json_object *coverage(const struct summary *s,
				    const struct summary_derived *d)
{
	struct json_object *o = json_object_new_object();

	json_put(o, "tiers", json_str(s->tiers));
	json_put(o, "merges_observed", json_object_new_boolean(s->merges_observed));
	json_put(o, "fio_entries", json_u64(s->fio_entries));
	json_put(o, "joined", json_u64(s->joined));
	json_put(o, "join_rate", json_num(d->join_rate));
	json_put(o, "kernel_ios_unjoined", json_u64(s->kernel_unjoined));
	json_put(o, "runs", json_u64(s->runs));
	json_put(o, "complete_runs", json_u64(s->complete_runs));
	return o;
}

static struct json_object *losses(const struct summary *s,
				  const struct summary_derived *d)
{
	struct json_object *o = json_object_new_object();

	json_put(o, "lost_events", json_u64(s->lost_events));
	json_put(o, "kretprobe_missed", json_num(d->kretprobe_missed));
	json_put(o, "bpf_recursion_misses", json_num(d->bpf_recursion_misses));
	json_put(o, "late_events", json_u64(s->late_events));
	json_put(o, "unattributed_events", json_u64(s->unattributed));
	json_put(o, "unmatched_completions", json_u64(s->unmatched));
	json_put(o, "lost_ios", json_u64(s->lost_ios));
	return o;
}

static struct json_object *tracer_cost(const struct summary_derived *d)
{
	struct json_object *o = json_object_new_object();

	json_put(o, "bpf_run_time_ns_total", json_num(d->bpf_run_time_ns));
	json_put(o, "bpf_runs_total", json_num(d->bpf_runs));
	json_put(o, "bpf_ns_per_io", json_num(d->bpf_ns_per_io));
	json_put(o, "bpf_share_of_mean_lat", json_num(d->bpf_share));
	return o;
}

static struct json_object *parameters(const struct summary *s)
{
	struct json_object *o = json_object_new_object();

	json_put(o, "block_size_bytes", json_u64(s->block_size));
	json_put(o, "size_bytes", json_u64(s->size));
	json_put(o, "mount_options", json_str(s->mount_options));
	json_put(o, "mkfs_options", json_str(s->mkfs_options));
	json_put(o, "fio_version", json_str(s->fio_version));
	json_put(o, "emulated", json_str(s->emulated));
	json_put(o, "clock", json_str(s->clock));
	json_put(o, "merge_guard", json_str(s->merge_guard));
	return o;
}

static struct json_object *scenario(const struct summary *s)
{
	struct json_object *o = json_object_new_object();
	struct summary_derived d;

	summary_derive(s, &d);
	json_put(o, "scenario", json_str(s->scenario));
	json_put(o, "kernel_release", json_str(s->kernel_release));
	json_put(o, "complete", json_object_new_boolean(s->complete_runs == s->runs));
	json_put(o, "ios", json_u64(s->ios));
	json_put(o, "iops", json_num(d.iops));
	json_put(o, "latency", latency(s));
	json_put(o, "kernel_lat_mean_ns", json_num(d.kernel_lat_mean_ns));
	json_put(o, "extent_work", extent_work(s, &d));
	json_put(o, "coverage", coverage(s, &d));
	json_put(o, "losses", losses(s, &d));
	json_put(o, "tracer_cost", tracer_cost(&d));
	json_put(o, "parameters", parameters(s));
	return o;
}

static bool replaced(const char *name, const struct summary *rows,
		     unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(rows[i].scenario, name))
			return true;
	return false;
}

/* The scenarios of the document at path that rows do not replace. */
static void keep_others(const char *path, struct json_object *list,
			const struct summary *rows, unsigned int n)
{
	struct json_object *old = json_object_from_file(path);
	struct json_object *fmt, *scen, *name;
	size_t i;

	if (!old)
		return;
	if (json_object_object_get_ex(old, "format", &fmt) &&
	    !strcmp(json_object_get_string(fmt), SUMMARY_JSON_FORMAT) &&
	    json_object_object_get_ex(old, "scenarios", &scen) &&
	    json_object_is_type(scen, json_type_array)) {
		for (i = 0; i < json_object_array_length(scen); i++) {
			struct json_object *e = json_object_array_get_idx(scen, i);

			if (!json_object_object_get_ex(e, "scenario", &name) ||
			    replaced(json_object_get_string(name), rows, n))
				continue;
			json_object_array_add(list, json_object_get(e));
		}
	}
	json_object_put(old);
}

int summary_write_json(const struct summary *rows, unsigned int n,
		       const char *path, bool keep)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *list = json_object_new_array();
	unsigned int i;
	int err;

	if (!doc || !list)
		return -ENOMEM;
	json_put(doc, "format", json_str(SUMMARY_JSON_FORMAT));
	json_put(doc, "format_version", json_u64(SUMMARY_JSON_VERSION));
	if (keep)
		keep_others(path, list, rows, n);
	for (i = 0; i < n; i++)
		json_object_array_add(list, scenario(&rows[i]));
	json_put(doc, "scenarios", list);
	err = json_write_file(doc, path);
	json_object_put(doc);
	return err;
}
