// SPDX-License-Identifier: GPL-2.0
/*
 * The summary's column table: summary.csv's header is the one compare and
 * plot read, every column is written once in summary.csv and found in
 * summary.json, and the printed table shows the derived values.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "run/summary.h"
#include "run/summary_columns.h"

static char dir[64];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/test_summary_table.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static void row(struct summary *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->scenario, sizeof(s->scenario), "unwritten-seq");
	snprintf(s->tiers, sizeof(s->tiers), "fentry");
	s->runs = 3;
	s->complete_runs = 2;
	s->ios = 2000;
	s->lat[0] = 350000;
	s->lat[2] = 1200000;
	s->lat_mean = 400000;
	s->merges_observed = true;
	s->wasted_ns = 9000000;
	s->comp_count[DS_C_WASTED] = 50;
	s->comp_count[DS_C_PRE_IO] = 2000;
	s->fio_entries = 2000;
	s->joined = 1990;
	s->lost_events = 7;
}

/* What compare and plot read by name, in the order they were written. */
static const char *const header =
	"scenario,kernel_release,runs,ios,iops,"
	"lat_p50_ns,lat_p50_lo_ns,lat_p50_hi_ns,"
	"lat_p90_ns,lat_p90_lo_ns,lat_p90_hi_ns,"
	"lat_p99_ns,lat_p99_lo_ns,lat_p99_hi_ns,"
	"lat_p999_ns,lat_p999_lo_ns,lat_p999_hi_ns,"
	"lat_mean_ns,wasted_ns_total,wasted_ns_per_io,wasted_share,"
	"splits_per_1k_ios,merges_per_1k_ios,churn_pairs_per_1k_ios,"
	"merges_observed,join_rate,lost_events,block_size_bytes,size_bytes,"
	"mount_options,fio_version,tiers,emulated,complete,"
	"pre_io_splits_per_1k_ios,conversions_per_1k_ios,fio_entries,joined,"
	"kernel_ios_unjoined,unpaired_merges_per_1k_ios,splits_total,"
	"merges_total,kernel_lat_mean_ns,late_events,unattributed_events,"
	"unmatched_completions,lost_ios,mkfs_options,complete_runs,"
	"converted_blocks,merge_guard,bpf_run_time_ns_total,bpf_runs_total,"
	"bpf_recursion_misses,bpf_ns_per_io,bpf_share_of_mean_lat,"
	"kretprobe_missed,"
	"completion_splits_per_1k_ios,writeback_ios,churn_pairs_by_dio,"
	"churn_pairs_by_writeback,churn_pairs_by_fallocate,"
	"churn_pairs_by_zero_range,churn_pairs_by_other,latency_source,clock,"
	"wasted_cpu_ns_per_io,wasted_tracer_ns_per_io,"
	"work_cpu_ns_per_io,work_tracer_ns_per_io\r\n";

static void test_csv_header(void **state)
{
	char path[128], line[4096];
	struct summary s;
	FILE *f;

	row(&s);
	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	assert_int_equal(summary_write_csv(&s, 1, path), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, header);
	/* the row: as many cells as the header names */
	assert_non_null(fgets(line, sizeof(line), f));
	assert_int_equal(strncmp(line, "unwritten-seq,,3,2000,0,350000,", 31), 0);
	fclose(f);
}

/*
 * The waste on the CPU: wall time less time off the CPU (summed by the
 * correlator), less the nested calls at the run's mean cost of a traced
 * call (two program runs), that cost beside; unknown, not 0, when a run
 * did not measure time off the CPU or a pair's call was not measured.
 */
static void test_wasted_cpu(void **state)
{
	struct summary_derived d;
	struct summary s;

	row(&s);
	s.offcpu_measured = true;
	s.wasted_cpu_ns = 6000000;
	s.wasted_nested = 100;
	s.bpf_timed = true;
	s.bpf_run_time_ns = 500000;	/* 1000 runs of 500 ns */
	s.bpf_runs = 1000;
	summary_derive(&s, &d);
	/* 100 nested calls of 2 x 500 ns: 100000 ns over 2000 IOs */
	assert_float_equal(d.wasted_tracer_ns_per_io, 50, 1e-9);
	assert_float_equal(d.wasted_cpu_ns_per_io, (6000000 - 100000) / 2000.0,
			   1e-9);

	/* nothing nested: no statistics needed */
	s.wasted_nested = 0;
	s.bpf_timed = false;
	summary_derive(&s, &d);
	assert_float_equal(d.wasted_cpu_ns_per_io, 3000, 1e-9);
	assert_float_equal(d.wasted_tracer_ns_per_io, 0, 1e-9);

	s.wasted_nested = 100;
	summary_derive(&s, &d);
	assert_true(isnan(d.wasted_cpu_ns_per_io));

	s.bpf_timed = true;
	s.wasted_cpu_unknown = 1;
	summary_derive(&s, &d);
	assert_true(isnan(d.wasted_cpu_ns_per_io));

	s.wasted_cpu_unknown = 0;
	s.offcpu_measured = false;
	summary_derive(&s, &d);
	assert_true(isnan(d.wasted_cpu_ns_per_io));
	assert_true(isnan(d.wasted_tracer_ns_per_io));
	/* the wall time stays known */
	assert_float_equal(d.wasted_ns_per_io, 4500, 1e-9);
}

/*
 * The IO's own kernel work on the CPU, less its nested calls as the
 * waste is; unknown where an IO's calls were not timed (the analysis
 * counts those IOs) or time off the CPU was not measured. Merges need
 * not be observed: the work is there on every tier that times its calls.
 */
static void test_work_cpu(void **state)
{
	struct summary_derived d;
	struct summary s;

	row(&s);
	s.offcpu_measured = true;
	s.merges_observed = false;
	s.work_cpu_ns = 500000000;
	s.work_nested = 20000;
	s.bpf_timed = true;
	s.bpf_run_time_ns = 500000;	/* 1000 runs of 500 ns */
	s.bpf_runs = 1000;
	summary_derive(&s, &d);
	/* 20000 nested calls of 2 x 500 ns over 2000 IOs */
	assert_float_equal(d.work_tracer_ns_per_io, 10000, 1e-9);
	assert_float_equal(d.work_cpu_ns_per_io, 250000 - 10000, 1e-9);
	assert_true(isnan(d.wasted_cpu_ns_per_io));

	s.work_cpu_unknown = 1;
	summary_derive(&s, &d);
	assert_true(isnan(d.work_cpu_ns_per_io));

	s.work_cpu_unknown = 0;
	s.offcpu_measured = false;
	summary_derive(&s, &d);
	assert_true(isnan(d.work_cpu_ns_per_io));

	s.offcpu_measured = true;
	s.bpf_timed = false;
	summary_derive(&s, &d);
	assert_true(isnan(d.work_cpu_ns_per_io));
	assert_true(isnan(d.work_tracer_ns_per_io));
}

static void test_names_unique(void **state)
{
	unsigned int i, j;

	for (i = 0; i < summary_ncolumns; i++) {
		assert_ptr_equal(summary_column(summary_columns[i].name),
				 &summary_columns[i]);
		for (j = i + 1; j < summary_ncolumns; j++)
			assert_string_not_equal(summary_columns[i].name,
						summary_columns[j].name);
	}
	assert_null(summary_column("no_such_column"));
}

static bool holds_number(struct json_object *o, double v)
{
	struct json_object_iterator it, end;

	if (json_object_is_type(o, json_type_double) ||
	    json_object_is_type(o, json_type_int))
		return json_object_get_double(o) == v;
	if (!json_object_is_type(o, json_type_object))
		return false;
	it = json_object_iter_begin(o);
	end = json_object_iter_end(o);
	for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it))
		if (holds_number(json_object_iter_peek_value(&it), v))
			return true;
	return false;
}

/* s written as summary.csv beside summary.json: that document, its scenario */
static struct json_object *written(const struct summary *s,
				   struct json_object **scen)
{
	char csv[128], json[128];
	struct json_object *doc, *list;

	snprintf(csv, sizeof(csv), "%s/summary.csv", dir);
	snprintf(json, sizeof(json), "%s/summary.json", dir);
	assert_int_equal(summary_write_csv(s, 1, csv), 0);
	doc = json_object_from_file(json);
	assert_non_null(doc);
	assert_true(json_object_object_get_ex(doc, "scenarios", &list));
	*scen = json_object_array_get_idx(list, 0);
	return doc;
}

/* Every numeric column, given a value no other has, shows in summary.json. */
static void test_json_has_every_column(void **state)
{
	struct json_object *doc, *scen;
	struct summary_view v;
	struct summary s;
	unsigned int i;

	row(&s);
	doc = written(&s, &scen);
	summary_view_of(&v, &s);
	for (i = 0; i < summary_ncolumns; i++) {
		const struct summary_column *c = &summary_columns[i];
		union summary_value val = summary_value(&v, c);
		double x;

		if (c->kind == SUMMARY_NUM && isnan(val.num))
			continue;
		if (c->kind == SUMMARY_NUM)
			x = val.num;
		else if (c->kind == SUMMARY_U64 || c->kind == SUMMARY_UINT)
			x = val.u64;
		else
			continue;
		if (!holds_number(scen, x))
			fail_msg("%s = %g is not in summary.json", c->name, x);
	}
	json_object_put(doc);
}

/* summary.json names who merged as ios.csv does: corr_op_name() */
static void test_json_op_names(void **state)
{
	struct json_object *doc, *scen, *ops, *v;
	struct summary s;
	int k;

	row(&s);
	doc = written(&s, &scen);
	assert_true(json_object_object_get_ex(scen, "extent_work", &v));
	assert_true(json_object_object_get_ex(v, "churn_pairs_by_op", &ops));
	assert_int_equal(json_object_object_length(ops), CORR_OP_MAX - CORR_OP_DIO);
	for (k = CORR_OP_DIO; k < CORR_OP_MAX; k++)
		if (!json_object_object_get_ex(ops, corr_op_name(k), &v))
			fail_msg("no churn_pairs_by_op.%s", corr_op_name(k));
	json_object_put(doc);
}

static void test_printed_row(void **state)
{
	char *buf = NULL, *line;
	size_t len = 0;
	struct summary s;
	FILE *f = open_memstream(&buf, &len);

	row(&s);
	summary_print(f, &s, 1);
	fclose(f);
	line = strchr(buf, '\n');
	assert_non_null(line);
	/*
	 * waste 9 ms over 2000 IOs: 4.50 us per IO, 25 churn pairs per 1k;
	 * its time on the CPU not measured: "-"
	 */
	line = strndup(line + 1, strcspn(line + 1, "\n") + 1);
	free(buf);
	assert_string_equal(line,
			    "unwritten-seq   2/3      2000     350.0    1200.0"
			    "       0.0      4.50         -     25.00    1000.0"
			    "   99.50"
			    "      7 fentry\n");
	free(line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_csv_header, setup, teardown),
		cmocka_unit_test(test_names_unique),
		cmocka_unit_test(test_wasted_cpu),
		cmocka_unit_test(test_work_cpu),
		cmocka_unit_test_setup_teardown(test_json_has_every_column,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_op_names, setup, teardown),
		cmocka_unit_test(test_printed_row),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
