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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_shard),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
