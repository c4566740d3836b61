// SPDX-License-Identifier: GPL-2.0
/*
 * summary.json: one valid document beside summary.csv, units in the key
 * names, null (not 0) for what was not observed, and the scenarios of an
 * earlier bench kept when a later one updates the same results.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "run/summary.h"
#include "run/summary_json.h"

static char dir[64];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/test_summary_json.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static void row(struct summary *s, const char *name, bool observed)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->scenario, sizeof(s->scenario), "%s", name);
	snprintf(s->tiers, sizeof(s->tiers), "tracepoint");
	s->runs = s->complete_runs = 2;
	s->ios = 1000;
	s->lat[0] = 350000;
	s->lat_mean = 400000;
	s->merges_observed = observed;
	s->wasted_ns = 5000;
	s->comp_count[DS_C_PRE_IO] = 1000;
	s->lost_events = 3;
	s->bpf_timed = s->bpf_misses_counted = s->kret_counted = true;
	s->bpf_run_time_ns = 2000000;
	s->bpf_recursion_misses = 4;
}

static struct json_object *get(struct json_object *o, const char *path)
{
	char buf[128], *key, *save = NULL;
	struct json_object *cur = o;

	snprintf(buf, sizeof(buf), "%s", path);
	for (key = strtok_r(buf, ".", &save); key;
	     key = strtok_r(NULL, ".", &save))
		if (!json_object_object_get_ex(cur, key, &cur))
			fail_msg("no key %s in %s", key, path);
	return cur;
}

static struct json_object *scenario(struct json_object *doc, int i)
{
	return json_object_array_get_idx(get(doc, "scenarios"), i);
}

static void test_document(void **state)
{
	char csv[128], json[128];
	struct json_object *doc, *s;
	struct summary rows[1];

	row(&rows[0], "unwritten-seq", false);
	snprintf(csv, sizeof(csv), "%s/summary.csv", dir);
	snprintf(json, sizeof(json), "%s/summary.json", dir);
	assert_int_equal(summary_write_csv(rows, 1, csv), 0);
	doc = json_object_from_file(json);
	assert_non_null(doc);
	assert_string_equal(json_object_get_string(get(doc, "format")),
			    SUMMARY_JSON_FORMAT);
	s = scenario(doc, 0);
	assert_int_equal(json_object_get_int64(get(s, "latency.p50_ns")), 350000);
	assert_int_equal(json_object_get_int64(get(s, "ios")), 1000);
	/* merges not observed: waste is unknown, null, not 0 */
	assert_true(json_object_is_type(get(s, "extent_work.wasted_ns_total"),
					json_type_null));
	assert_int_equal(json_object_get_int64(get(s, "extent_work.pre_io_splits_per_1k_ios")),
			 1000);
	assert_int_equal(json_object_get_int64(get(s, "losses.lost_events")), 3);
	assert_int_equal(json_object_get_int64(get(s, "losses.bpf_recursion_misses")), 4);
	assert_int_equal(json_object_get_int64(get(s, "tracer_cost.bpf_ns_per_io")), 2000);
	assert_float_equal(json_object_get_double(get(s, "tracer_cost.bpf_share_of_mean_lat")),
			   0.005, 1e-12);
	assert_false(json_object_get_boolean(get(s, "coverage.merges_observed")));
	assert_string_equal(json_object_get_string(get(s, "coverage.tiers")),
			    "tracepoint");
	json_object_put(doc);
}

static void test_update_keeps_others(void **state)
{
	char csv[128], json[128];
	struct json_object *doc;
	struct summary a[2], b[1];

	row(&a[0], "append", true);
	row(&a[1], "read", true);
	row(&b[0], "read", true);
	b[0].ios = 7;
	snprintf(csv, sizeof(csv), "%s/summary.csv", dir);
	snprintf(json, sizeof(json), "%s/summary.json", dir);
	assert_int_equal(summary_write_csv(a, 2, csv), 0);
	assert_int_equal(summary_update_csv(b, 1, csv), 0);
	doc = json_object_from_file(json);
	assert_non_null(doc);
	assert_int_equal(json_object_array_length(get(doc, "scenarios")), 2);
	assert_string_equal(json_object_get_string(get(scenario(doc, 0), "scenario")),
			    "append");
	assert_int_equal(json_object_get_int64(get(scenario(doc, 1), "ios")), 7);
	/* observed: waste is a number */
	assert_int_equal(json_object_get_int64(get(scenario(doc, 0),
				"extent_work.wasted_ns_total")), 5000);
	json_object_put(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_document, setup, teardown),
		cmocka_unit_test_setup_teardown(test_update_keeps_others, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
