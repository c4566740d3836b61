// SPDX-License-Identifier: GPL-2.0
/*
 * The tracer's cost accounting: deltas and sums of bpf_prog_info
 * counters, the sysctl fallback that must give the machine back as it
 * was, the meta keys and the summary columns made from them.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "trace/prog_stats.h"
#include "run/meta.h"
#include "run/summary.h"

static void add_prog(struct prog_stats *s, const char *name, __u32 id,
		     int target, __u64 ns, __u64 runs, __u64 misses)
{
	struct prog_stat *p = &s->p[s->n++];

	snprintf(p->name, sizeof(p->name), "%s", name);
	p->id = id;
	p->target = target;
	p->tier = DS_TIER_TRACEPOINT;
	p->c.run_time_ns = ns;
	p->c.runs = runs;
	p->c.recursion_misses = misses;
}

static void test_sum_by_target(void **state)
{
	struct prog_stats s = { 0 };

	add_prog(&s, "fentry_map_blocks", 1, DS_T_MAP_BLOCKS, 100, 2, 1);
	add_prog(&s, "fexit_map_blocks", 2, DS_T_MAP_BLOCKS, 50, 2, 0);
	add_prog(&s, "fentry_dio_rw", 3, DS_T_DIO_RW, 7, 1, 3);
	add_prog(&s, "orphan", 4, -1, 1000, 10, 0);
	prog_stats_sum(&s);
	assert_int_equal(s.target[DS_T_MAP_BLOCKS].run_time_ns, 150);
	assert_int_equal(s.target[DS_T_MAP_BLOCKS].runs, 4);
	assert_int_equal(s.target[DS_T_MAP_BLOCKS].recursion_misses, 1);
	assert_int_equal(s.target[DS_T_DIO_RW].recursion_misses, 3);
	/* a program of no target still costs: it is in the total */
	assert_int_equal(s.total.run_time_ns, 1157);
	assert_int_equal(s.total.runs, 15);
	assert_int_equal(s.total.recursion_misses, 4);
}

static void test_sub_matches_by_id(void **state)
{
	struct prog_stats before = { 0 }, after = { 0 };

	add_prog(&before, "b", 2, DS_T_DIO_RW, 40, 4, 1);
	add_prog(&before, "a", 1, DS_T_DIO_RW, 10, 1, 0);
	add_prog(&after, "a", 1, DS_T_DIO_RW, 110, 11, 2);
	add_prog(&after, "b", 2, DS_T_DIO_RW, 45, 5, 1);
	/* loaded after the first snapshot: all of it is this run's */
	add_prog(&after, "c", 3, DS_T_MAP_BLOCKS, 9, 3, 0);
	/* the sched_switch program: its own delta, not in the sums */
	before.offcpu = (struct prog_cost){ 1000, 50, 0 };
	after.offcpu = (struct prog_cost){ 4000, 80, 1 };
	/* and the batches' flush and the exit reaper, the same way */
	before.batch = (struct prog_cost){ 200, 2, 0 };
	after.batch = (struct prog_cost){ 700, 7, 0 };
	before.reaper = (struct prog_cost){ 30, 1, 0 };
	after.reaper = (struct prog_cost){ 90, 4, 2 };
	prog_stats_sub(&after, &before);
	assert_int_equal(after.offcpu.run_time_ns, 3000);
	assert_int_equal(after.offcpu.runs, 30);
	assert_int_equal(after.offcpu.recursion_misses, 1);
	assert_int_equal(after.batch.run_time_ns, 500);
	assert_int_equal(after.batch.runs, 5);
	assert_int_equal(after.reaper.run_time_ns, 60);
	assert_int_equal(after.reaper.runs, 3);
	assert_int_equal(after.reaper.recursion_misses, 2);
	/* none of them in the sums over the plan's programs */
	assert_int_equal(after.total.run_time_ns, 100 + 5 + 9);
	assert_int_equal(after.p[0].c.run_time_ns, 100);
	assert_int_equal(after.p[0].c.runs, 10);
	assert_int_equal(after.p[0].c.recursion_misses, 2);
	assert_int_equal(after.p[1].c.run_time_ns, 5);
	assert_int_equal(after.p[2].c.runs, 3);
	assert_int_equal(after.target[DS_T_DIO_RW].run_time_ns, 105);
	assert_int_equal(after.total.runs, 14);
}

static char *tmp_sysctl(const char *val)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/test_prog_stats.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, val, strlen(val)), (ssize_t)strlen(val));
	close(fd);
	return path;
}

static char *slurp(const char *path)
{
	static char buf[32];
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	memset(buf, 0, sizeof(buf));
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	return buf;
}

static void test_sysctl_fallback_restores(void **state)
{
	struct prog_stats_switch sw;
	char *path = tmp_sysctl("0\n");

	assert_int_equal(prog_stats_on_at(&sw, path, false), PROG_STATS_SYSCTL);
	assert_string_equal(slurp(path), "1\n");
	/* the reason is told, with what will be put back */
	assert_non_null(strstr(sw.why, "back to 0"));
	assert_int_equal(prog_stats_off(&sw), 0);
	assert_string_equal(slurp(path), "0\n");
	unlink(path);
}

static void test_sysctl_already_on_stays_on(void **state)
{
	struct prog_stats_switch sw;
	char *path = tmp_sysctl("1\n");

	assert_int_equal(prog_stats_on_at(&sw, path, false), PROG_STATS_SYSCTL);
	assert_int_equal(prog_stats_off(&sw), 0);
	/* someone else had turned them on: not ours to turn off */
	assert_string_equal(slurp(path), "1\n");
	unlink(path);
}

static void test_sysctl_missing_is_off(void **state)
{
	struct prog_stats_switch sw;

	assert_int_equal(prog_stats_on_at(&sw, "/nonexistent/bpf_stats", false),
			 PROG_STATS_OFF);
	assert_non_null(strstr(sw.why, "/nonexistent/bpf_stats"));
	assert_string_equal(prog_stats_mode_name(sw.mode), "off");
	assert_int_equal(prog_stats_off(&sw), 0);
}

static void test_meta_keys(void **state)
{
	struct prog_stats s = { 0 };
	struct prog_stats_switch sw = { .mode = PROG_STATS_FD };
	struct meta m = { 0 };

	add_prog(&s, "tp_map_blocks_enter", 1, DS_T_MAP_BLOCKS, 100, 4, 0);
	add_prog(&s, "tp_dio_rw_begin", 2, DS_T_DIO_RW, 30, 2, 0);
	s.misses_counted = true;
	prog_stats_sum(&s);
	meta_add_prog_stats(&m, &s, &sw);
	assert_string_equal(meta_get(&m, "bpf_stats"), "fd");
	assert_string_equal(meta_get(&m, "bpf_run_time_ns"), "130");
	assert_string_equal(meta_get(&m, "bpf_runs"), "6");
	assert_string_equal(meta_get(&m, "bpf_recursion_misses"), "0");
	assert_string_equal(meta_get(&m, "bpf_run_time_ns.map_blocks"), "100");
	assert_string_equal(meta_get(&m, "bpf_runs.dio_submit"), "2");
	/* a target with no program gets no keys */
	assert_null(meta_get(&m, "bpf_runs.split"));
	meta_free(&m);

	/* statistics off: run time unknown, not 0; misses not counted */
	memset(&m, 0, sizeof(m));
	sw.mode = PROG_STATS_OFF;
	s.misses_counted = false;
	meta_add_prog_stats(&m, &s, &sw);
	assert_string_equal(meta_get(&m, "bpf_run_time_ns"), "unknown");
	assert_string_equal(meta_get(&m, "bpf_runs.map_blocks"), "unknown");
	assert_string_equal(meta_get(&m, "bpf_recursion_misses"), "unknown");
	meta_free(&m);
}

static void one_run(struct run_analysis *ra, const char *ns, const char *runs,
		    const char *misses, __u64 ios)
{
	memset(ra, 0, sizeof(*ra));
	snprintf(ra->dir, sizeof(ra->dir), "x/run-1");
	meta_set(&ra->meta, "bpf_run_time_ns", "%s", ns);
	meta_set(&ra->meta, "bpf_runs", "%s", runs);
	meta_set(&ra->meta, "bpf_recursion_misses", "%s", misses);
	ra->tot.ios = ios;
}

static void test_summary_cost(void **state)
{
	static double lat[] = { 100000, 300000 };	/* mean 200 us */
	struct run_analysis ra[2];
	struct summary_derived d;
	struct summary s;

	one_run(&ra[0], "300000", "60", "2", 100);
	one_run(&ra[1], "100000", "20", "1", 100);
	ra[0].lat = lat;
	ra[0].nlat = 2;
	assert_int_equal(summary_of_runs(ra, 2, &s), 0);
	assert_int_equal(s.bpf_run_time_ns, 400000);
	assert_int_equal(s.bpf_runs, 80);
	assert_int_equal(s.bpf_recursion_misses, 3);
	summary_derive(&s, &d);
	assert_float_equal(d.bpf_ns_per_io, 2000, 1e-9);
	assert_float_equal(d.bpf_share, 0.01, 1e-12);
	meta_free(&ra[0].meta);
	meta_free(&ra[1].meta);

	/* one run without statistics makes the sum unknown */
	one_run(&ra[0], "300000", "60", "2", 100);
	one_run(&ra[1], "unknown", "unknown", "unknown", 100);
	assert_int_equal(summary_of_runs(ra, 2, &s), 0);
	assert_false(s.bpf_timed);
	assert_false(s.bpf_misses_counted);
	summary_derive(&s, &d);
	assert_true(isnan(d.bpf_ns_per_io));
	assert_true(isnan(d.bpf_share));
	meta_free(&ra[0].meta);
	meta_free(&ra[1].meta);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sum_by_target),
		cmocka_unit_test(test_sub_matches_by_id),
		cmocka_unit_test(test_sysctl_fallback_restores),
		cmocka_unit_test(test_sysctl_already_on_stays_on),
		cmocka_unit_test(test_sysctl_missing_is_off),
		cmocka_unit_test(test_meta_keys),
		cmocka_unit_test(test_summary_cost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
