// SPDX-License-Identifier: GPL-2.0
/* The job line of bench --list-jobs / --job, and --shard's I/N. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "bench/job.h"
#include "bench/job_plan.h"
#include "bench/merge_guard.h"

#define LINE "kernel=host scenario=sparse-rand bs=4k variant=default guard=- arm=- run=1 size=268435456 runtime=5"

static void test_round_trip(void **state)
{
	const char *lines[] = {
		LINE,
		"kernel=6.12 scenario=sparse-concurrent bs=64k variant=nojournal guard=dio arm=guard-dio run=12 size=67108864 runtime=3",
		"kernel=7.3 scenario=fallocated bs=1m variant=default guard=off arm=B run=2 size=1048576 runtime=3600",
		"kernel=host scenario=x bs=4k variant=v guard=all arm=- run=100000 size=18446744073709551615 runtime=1",
	};
	struct bench_job j, k;
	char buf[512], err[256];
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		assert_int_equal(bench_job_parse(lines[i], &j, err, sizeof(err)), 0);
		assert_int_equal(bench_job_format(&j, buf, sizeof(buf)), 0);
		assert_string_equal(buf, lines[i]);
		assert_int_equal(bench_job_parse(buf, &k, err, sizeof(err)), 0);
		assert_memory_equal(&j, &k, sizeof(j));
	}
	assert_int_equal(bench_job_parse(LINE "\n", &j, err, sizeof(err)), 0);
	assert_string_equal(j.kernel, "host");
	assert_string_equal(j.scenario, "sparse-rand");
	assert_string_equal(j.bs, "4k");
	assert_int_equal(j.guard, -1);
	assert_int_equal(j.run, 1);
	assert_int_equal(j.runtime, 5);
	assert_true(j.size == 268435456ULL);
	assert_int_equal(bench_job_format(&j, buf, 20), -ENAMETOOLONG);
}

static void test_bad_lines(void **state)
{
	const char *bad[] = {
		"",
		"kernel=host",
		/* fields out of order */
		"scenario=s kernel=host bs=4k variant=default guard=- arm=- run=1 size=1 runtime=5",
		LINE " extra=1",
		LINE " ",
		" " LINE,
		"kernel=host  scenario=s bs=4k variant=default guard=- arm=- run=1 size=1 runtime=5",
		"kernel=host\tscenario=s bs=4k variant=default guard=- arm=- run=1 size=1 runtime=5",
		"kernel=../x scenario=s bs=4k variant=default guard=- arm=- run=1 size=1 runtime=5",
		"kernel=host scenario=a/b bs=4k variant=default guard=- arm=- run=1 size=1 runtime=5",
		"kernel=host scenario=.hidden bs=4k variant=default guard=- arm=- run=1 size=1 runtime=5",
		"kernel=host scenario=s bs=4k variant=default guard=on arm=- run=1 size=1 runtime=5",
		"kernel=host scenario=s bs=4k variant=default guard=1 arm=- run=1 size=1 runtime=5",
		"kernel=host scenario=s bs=4k variant=default guard=- arm=guard-off run=1 size=1 runtime=5",
		"kernel=host scenario=s bs=4k variant=default guard=dio arm=guard-off run=1 size=1 runtime=5",
		"kernel=host scenario=s bs=4k variant=default guard=- arm=C run=1 size=1 runtime=5",
		"kernel=host scenario=s bs=4k variant=default guard=- arm=- run=0 size=1 runtime=5",
		"kernel=host scenario=s bs=4k variant=default guard=- arm=- run=-1 size=1 runtime=5",
		"kernel=host scenario=s bs=4k variant=default guard=- arm=- run=1x size=1 runtime=5",
		"kernel=host scenario=s bs=4k variant=default guard=- arm=- run=1 size=0 runtime=5",
		"kernel=host scenario=s bs=4k variant=default guard=- arm=- run=1 size=1 runtime=3601",
		"kernel=host scenario=s bs=4k variant=default guard=- arm=- run=1 size=1 runtime=",
		"kernel=host scenario=s bs=4k variant=default guard=- arm=- run=1 size=1",
		"kernel=host scenario=s bs=4k variant=default guard=- arm=- run=1 size=1 runtimes=5",
	};
	struct bench_job j;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (bench_job_parse(bad[i], &j, err, sizeof(err)) != -EINVAL)
			fail_msg("accepted: '%s'", bad[i]);
		assert_true(err[0] != '\0');
	}
}

static void test_shard(void **state)
{
	const char *bad[] = { "", "1", "2/2", "3/2", "0/0", "-1/2", "+0/2",
			      "0/ 2", " 0/2", "0/2x", "0//2", "a/b" };
	unsigned int i, n;
	size_t k;

	assert_int_equal(bench_shard_parse("0/1", &i, &n), 0);
	assert_int_equal(i, 0);
	assert_int_equal(n, 1);
	assert_int_equal(bench_shard_parse("3/4", &i, &n), 0);
	assert_int_equal(i, 3);
	assert_int_equal(n, 4);
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
		if (bench_shard_parse(bad[k], &i, &n) != -EINVAL)
			fail_msg("accepted: '%s'", bad[k]);
}

static int collect(const struct bench_job *j, unsigned int at, void *ctx)
{
	char (*lines)[160] = ctx;

	snprintf(lines[at], sizeof(lines[at]), "%s %s %s %s %u", j->kernel,
		 j->scenario, j->arm, j->guard < 0 ? "-" :
		 merge_guard_name(j->guard), j->run);
	return 0;
}

/* Round by round, kernel by kernel, cell by cell, arms reversed each round. */
static void test_plan_order(void **state)
{
	struct bench_matrix m = { 0 };
	char l1[] = "scenario a fallocate", l2[] = "scenario b sparse";
	char l3[] = "bs 4k", l4[] = "variant default - -";
	const char *kernels[] = { "host", "6.1" };
	const int modes[] = { MERGE_GUARD_OFF, MERGE_GUARD_DIO };
	struct bench_cell cells[4], c;
	static char lines[32][160];
	struct job_plan p;
	struct bench_job j;
	char err[128];
	int n;

	assert_int_equal(bench_matrix_parse_line(&m, l1), 0);
	assert_int_equal(bench_matrix_parse_line(&m, l2), 0);
	assert_int_equal(bench_matrix_parse_line(&m, l3), 0);
	assert_int_equal(bench_matrix_parse_line(&m, l4), 0);
	n = bench_plan_cells(&m, NULL, 0, false, cells);
	assert_int_equal(n, 2);
	p = (struct job_plan){ .cells = cells, .ncells = n, .kernels = kernels,
			       .nkernels = 2, .modes = modes, .nguard = 2,
			       .first_run = 1, .runs = 2, .runtime = 1,
			       .size = 1 << 20 };
	assert_int_equal(job_plan_each(&p, collect, lines), 0);
	assert_string_equal(lines[0], "host a guard-off off 1");
	assert_string_equal(lines[1], "host a guard-dio dio 1");
	assert_string_equal(lines[2], "host b guard-off off 1");
	assert_string_equal(lines[4], "6.1 a guard-off off 1");
	/* the second round runs the arms the other way round */
	assert_string_equal(lines[8], "host a guard-dio dio 2");
	assert_string_equal(lines[9], "host a guard-off off 2");
	assert_string_equal(lines[15], "6.1 b guard-off off 2");
	p.aa = true;
	p.nguard = 1;
	memset(lines, 0, sizeof(lines));
	assert_int_equal(job_plan_each(&p, collect, lines), 0);
	assert_string_equal(lines[0], "host a A off 1");
	assert_string_equal(lines[1], "host a B off 1");
	assert_string_equal(lines[8], "host a B off 2");
	p.aa = false;
	p.nguard = 0;
	p.nkernels = 1;
	memset(lines, 0, sizeof(lines));
	assert_int_equal(job_plan_each(&p, collect, lines), 0);
	assert_string_equal(lines[3], "host b - - 2");
	assert_string_equal(lines[4], "");
	/* a job's cell is looked up in the matrix, or refused */
	assert_int_equal(bench_job_parse("kernel=host scenario=b bs=4k variant=default guard=- arm=- run=1 size=1 runtime=1",
					 &j, err, sizeof(err)), 0);
	assert_int_equal(job_cell(&m, &j, &c, err, sizeof(err)), 0);
	assert_string_equal(c.id, "b.4k.default");
	strcpy(j.bs, "64k");
	assert_int_equal(job_cell(&m, &j, &c, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "block size 64k"));
}

static void test_here(void **state)
{
	struct bench_job j = { .kernel = "host" };

	assert_true(bench_job_here(&j, "6.18.44-fc"));
	strcpy(j.kernel, "6.1");
	assert_true(bench_job_here(&j, "6.1.0-57-cloud-amd64"));
	assert_false(bench_job_here(&j, "6.12.118+deb12-cloud-amd64"));
	strcpy(j.kernel, "6.12.118+deb12-cloud-amd64");
	assert_true(bench_job_here(&j, "6.12.118+deb12-cloud-amd64"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_shard),
		cmocka_unit_test(test_plan_order),
		cmocka_unit_test(test_here),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
