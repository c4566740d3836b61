// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include "util/json.h"
#include "run/summary_columns.h"
#include "run/summary_json.h"

/* A key of the document: a column's value or a group of keys. */
struct field {
	const char *key;
	const char *column;		/* summary_columns' name */
	const struct field *group;	/* a nested object */
};

#define COL(k) { k, k, NULL }
#define AS(k, c) { k, c, NULL }
#define GROUP(k, g) { k, NULL, g }
#define PCT(p) AS(p "_ns", "lat_" p "_ns"), \
	/* the distribution-free 95 % interval of that percentile */ \
	AS(p "_lo_ns", "lat_" p "_lo_ns"), AS(p "_hi_ns", "lat_" p "_hi_ns")

static const struct field latency[] = {
	PCT("p50"), PCT("p90"), PCT("p99"), PCT("p999"),
	AS("mean_ns", "lat_mean_ns"),
	AS("source", "latency_source"),
	{ NULL },
};

/* Who did the merge of each churn pair, by the names ios.csv uses. */
static const struct field churn_by_op[] = {
	AS("dio", "churn_pairs_by_dio"),
	AS("writeback", "churn_pairs_by_writeback"),
	AS("fallocate", "churn_pairs_by_fallocate"),
	AS("zero-range", "churn_pairs_by_zero_range"),
	AS("other", "churn_pairs_by_other"),
	{ NULL },
};

static const struct field extent_work[] = {
	COL("merges_observed"),
	COL("wasted_ns_total"),
	COL("wasted_ns_per_io"),
	AS("wasted_share_of_lat", "wasted_share"),
	COL("churn_pairs_total"),
	COL("churn_pairs_per_1k_ios"),
	COL("splits_total"),
	COL("splits_per_1k_ios"),
	COL("merges_total"),
	COL("merges_per_1k_ios"),
	COL("unpaired_merges_per_1k_ios"),
	COL("pre_io_splits_per_1k_ios"),
	COL("conversions_per_1k_ios"),
	COL("converted_blocks"),
	COL("completion_splits_per_1k_ios"),
	COL("writeback_ios"),
	GROUP("churn_pairs_by_op", churn_by_op),
	{ NULL },
};

/* What was seen, and how much of fio's view joined the kernel's. */
static const struct field coverage[] = {
	COL("tiers"),
	COL("merges_observed"),
	COL("fio_entries"),
	COL("joined"),
	COL("join_rate"),
	COL("kernel_ios_unjoined"),
	COL("runs"),
	COL("complete_runs"),
	{ NULL },
};

static const struct field losses[] = {
	COL("lost_events"),
	COL("kretprobe_missed"),
	COL("bpf_recursion_misses"),
	COL("late_events"),
	COL("unattributed_events"),
	COL("unmatched_completions"),
	COL("lost_ios"),
	{ NULL },
};

static const struct field tracer_cost[] = {
	COL("bpf_run_time_ns_total"),
	COL("bpf_runs_total"),
	COL("bpf_ns_per_io"),
	COL("bpf_share_of_mean_lat"),
	{ NULL },
};

static const struct field parameters[] = {
	COL("block_size_bytes"),
	COL("size_bytes"),
	COL("mount_options"),
	COL("mkfs_options"),
	COL("fio_version"),
	COL("emulated"),
	COL("clock"),
	COL("merge_guard"),
	{ NULL },
};

static const struct field scenario[] = {
	COL("scenario"),
	COL("kernel_release"),
	COL("complete"),
	COL("ios"),
	COL("iops"),
	GROUP("latency", latency),
	COL("kernel_lat_mean_ns"),
	GROUP("extent_work", extent_work),
	GROUP("coverage", coverage),
	GROUP("losses", losses),
	GROUP("tracer_cost", tracer_cost),
	GROUP("parameters", parameters),
	{ NULL },
};

static struct json_object *value(const struct summary_view *v,
				 const struct summary_column *c)
{
	union summary_value val = summary_value(v, c);

	switch (c->kind) {
	case SUMMARY_STR:
		return json_str(val.str);
	case SUMMARY_UINT:
	case SUMMARY_U64:
		return json_u64(val.u64);
	case SUMMARY_NUM:
		return json_num(val.num);
	case SUMMARY_FLAG:
		return json_object_new_boolean(val.flag);
	}
	return NULL;
}

/* The object of those fields; -EINVAL when one names no column. */
static int object_of(const struct field *fields, const struct summary_view *v,
		     struct json_object **out)
{
	struct json_object *o = json_object_new_object();
	const struct summary_column *c;
	struct json_object *val;
	int err = 0;

	if (!o)
		return -ENOMEM;
	for (; fields->key && !err; fields++) {
		if (fields->group) {
			err = object_of(fields->group, v, &val);
		} else {
			c = summary_column(fields->column);
			err = c ? 0 : -EINVAL;
			val = c ? value(v, c) : NULL;
		}
		if (!err)
			json_put(o, fields->key, val);
	}
	if (err) {
		json_object_put(o);
		return err;
	}
	*out = o;
	return 0;
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
			    summary_has(rows, n, json_object_get_string(name)))
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
	json_put(doc, "scenarios", list);
	for (i = 0; i < n; i++) {
		struct summary_view v;
		struct json_object *o;

		summary_view_of(&v, &rows[i]);
		err = object_of(scenario, &v, &o);
		if (err)
			goto out;
		json_object_array_add(list, o);
	}
	err = json_write_file(doc, path);
out:
	json_object_put(doc);
	return err;
}
